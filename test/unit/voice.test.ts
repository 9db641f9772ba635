import twilio = require('twilio');
import { spellOut, spokenMessage, voiceTwiml } from '../../src/core/channels/voice';

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

  it('speaks a template left unrendered as it is when there is no code', () => {
    expect(spokenMessage('Blocked {{code}}', '')).toBe('Blocked {{code}}');
  });

  it('speaks the code alone when there is no text around it', () => {
    expect(spokenMessage('', '12')).toBe('1, 2.');
  });

  it('drops a lone surrogate of either kind, and keeps a pair', () => {
    expect(spokenMessage('a\udc00b\ud800c😀', '')).toBe('a b c😀');
  });

  it('fills a template whatever its spacing', () => {
    expect(spokenMessage('Code {{ code }} now', '12')).toBe('Code 1, 2 now');
  });

  it('speaks the text as it is when there is no code', () => {
    expect(spokenMessage(' Your account  was blocked ', '')).toBe('Your account was blocked');
    expect(spokenMessage('Blocked {{code}}', undefined)).toBe('Blocked {{code}}');
  });

  it('adds the code after a text without it, without a space before the period', () => {
    expect(spokenMessage('Your code is   ', '42')).toBe('Your code is 4, 2.');
  });

  it('replaces each character XML cannot carry by a space', () => {
    expect(spokenMessage('a\u0001b\ufffec\ud800d', '')).toBe('a b c d');
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

  it('uses the voice from TWILIO_VOICE, and no voice attribute without it', () => {
    expect(voiceTwiml(twilioModule, 'Hi', 'en-GB', 'Polly.Amy')).toContain('<Say language="en-GB" voice="Polly.Amy">Hi</Say>');
    expect(voiceTwiml(twilioModule, 'Hi', 'en-US', undefined)).toContain('<Say language="en-US">Hi</Say>');
  });
});

