import { sayLanguageFor, verifyLocaleFor } from '../../src/core/language';

// The locales Twilio documents for Verify's `Locale`: each must be sent as Twilio spells it.
const VERIFY_DOCUMENTED = ['af', 'ar', 'ca', 'cs', 'da', 'de', 'el', 'en', 'en-GB', 'es', 'et', 'fi', 'fr', 'he', 'hi', 'hr', 'hu', 'id', 'it', 'ja', 'ko', 'ms', 'nb', 'nl', 'pl', 'pt', 'pt-BR', 'ro', 'ru', 'sv', 'th', 'tl', 'tr', 'vi', 'zh', 'zh-CN', 'zh-HK'];

describe("the login page's language", () => {
  it.each(VERIFY_DOCUMENTED)('is sent to Verify as %s', (locale) => {
    expect(verifyLocaleFor(locale.toUpperCase().replace('-', '_'))).toBe(locale);
  });

  it.each([
    ['fr-CA', 'fr'],
    ['pt_PT', 'pt'],
    ['en-US', 'en'],
    ['kl', undefined],
    ['', undefined],
    ['  ', undefined],
    [42, undefined],
    ['en', 'en'],
    ['en-GB', 'en-GB'],
    ['en-AU', 'en'],
    ['pt-br', 'pt-BR'],
    ['zz', undefined],
    ['constructor', undefined],
  ])('reaches Verify from %j as %j', (language, locale) => {
    expect(verifyLocaleFor(language)).toBe(locale);
  });

  it.each([
    ['en', 'en-US'],
    ['fr', 'fr-FR'],
    ['pt', 'pt-BR'],
    ['no', 'nb-NO'],
    ['es-419', 'es-MX'],
    ['es-US', 'es-MX'],
    ['zh-Hans', 'zh-CN'],
    ['zh-Hant', 'zh-TW'],
    ['zh_HK', 'zh-HK'],
    ['de', 'de-DE'],
    ['de-AT', 'de-DE'],
    ['en_GB', 'en-GB'],
    [' fr-ca ', 'fr-CA'],
    ['kl', 'en-US'],
    ['', 'en-US'],
    [undefined, 'en-US'],
    ['fr_CA', 'fr-CA'],
    ['da', 'da-DK'],
    ['en-NZ', 'en-US'],
    ['EN-gb', 'en-GB'],
    ['xx', 'en-US'],
    ['constructor', 'en-US'],
    ['__proto__', 'en-US'],
  ])('is spoken in calls from %j as %j', (language, say) => {
    expect(sayLanguageFor(language)).toBe(say);
  });
});
