import twilio = require('twilio');
import { spellOut, spokenMessage, voiceTwiml } from '../../src/core/channels/voice';
import { sayLanguageFor, verifyLocaleFor } from '../../src/core/language';

const twilioModule = Object.assign(() => { throw new Error('no client in this test'); }, { twiml: twilio.twiml });

describe('spokenMessage', () => {
  it('spells the code digit by digit so text-to-speech does not read a number', () => {
    expect(spellOut('482913')).toBe('4, 8, 2, 9, 1, 3');
    expect(spokenMessage('Your code is 482913', '482913')).toBe('Your code is 4, 8, 2, 9, 1, 3');
  });

  it('fills a template Auth0 left unrendered instead of saying "{{code}}"', () => {
    expect(spokenMessage('Hello, your code is {{code}}.', '482913')).toBe('Hello, your code is 4, 8, 2, 9, 1, 3.');
  });

  it('adds the code when the text does not contain it', () => {
    expect(spokenMessage('Your verification code is', '0042')).toBe('Your verification code is 0, 0, 4, 2.');
  });

  it('drops characters that XML cannot carry and folds whitespace', () => {
    expect(spokenMessage('Code:\u0000\n\t 123456\u0007', '123456')).toBe('Code: 1, 2, 3, 4, 5, 6');
  });
});

describe('voiceTwiml', () => {
  it('says the message twice, a pause between, in the language of the login', () => {
    const twiml = voiceTwiml(twilioModule, 'Votre code est 1, 2, 3', 'fr-CA', undefined);
    expect(twiml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response>' +
        '<Say language="fr-CA">Votre code est 1, 2, 3</Say><Pause length="1"/>' +
        '<Say language="fr-CA">Votre code est 1, 2, 3</Say></Response>',
    );
  });

  it('escapes markup in the text so it cannot inject TwiML', () => {
    const twiml = voiceTwiml(twilioModule, 'Code </Say><Dial>+19005550000</Dial> & more', 'en', undefined);
    expect(twiml).toContain('Code &lt;/Say&gt;&lt;Dial&gt;+19005550000&lt;/Dial&gt; &amp; more');
    expect(twiml).not.toContain('<Dial>');
  });

  it('uses the voice from TWILIO_VOICE', () => {
    expect(voiceTwiml(twilioModule, 'Hi', 'en-GB', 'Polly.Amy')).toContain('<Say language="en-GB" voice="Polly.Amy">Hi</Say>');
  });
});

describe('languages', () => {
  it.each([
    ['en', 'en-US'],
    ['fr', 'fr-FR'],
    ['fr_CA', 'fr-CA'],
    ['pt', 'pt-BR'],
    ['de-AT', 'de-DE'],
    ['da', 'da-DK'],
    ['no', 'nb-NO'],
    ['es-419', 'es-MX'],
    ['zh-Hant', 'zh-TW'],
    ['en-NZ', 'en-US'],
    ['EN-gb', 'en-GB'],
    ['xx', 'en-US'],
    ['constructor', 'en-US'],
    ['__proto__', 'en-US'],
    [undefined, 'en-US'],
  ])('speaks %j as %j', (language, expected) => {
    expect(sayLanguageFor(language)).toBe(expected);
  });

  it.each([
    ['en', 'en'],
    ['en-GB', 'en-GB'],
    ['en-AU', 'en'],
    ['pt-br', 'pt-BR'],
    ['zz', undefined],
    ['constructor', undefined],
    ['', undefined],
  ])('asks Verify for %j as %j', (language, expected) => {
    expect(verifyLocaleFor(language)).toBe(expected);
  });
});
