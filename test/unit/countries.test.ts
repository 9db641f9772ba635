import type { CountryCode } from 'libphonenumber-js';
import { parseAllowedCountries, parseCountryList } from '../../src/core/countries';
import { PHONE_NUMBER_METADATA, type PhoneNumberLibrary } from '../../src/core/number-metadata';
import type { E164 } from '../../src/core/phone';

// The lists of countries the secrets hold (countries.ts) on their own: ALLOWED_COUNTRIES and
// WHATSAPP_COUNTRIES as tenants write them, and how a refusal names a recipient's country.

const realLibrary = (): unknown => require(PHONE_NUMBER_METADATA);
const JAMAICA = '+18765550123' as E164;

/** A libphonenumber-js that knows `countries` (whatever they look like) and puts every number in `country`. */
function libraryOf(countries: readonly string[], country: string): PhoneNumberLibrary {
  return {
    isSupportedCountry: (code) => countries.includes(code),
    parsePhoneNumberFromString: () => ({ country: country as CountryCode, getType: () => undefined }),
  };
}

describe('ALLOWED_COUNTRIES', () => {
  it('names the country of a recipient it refuses by its code alone where the runtime has no name for it', () => {
    // A library newer than the runtime's ICU may know a country the runtime cannot name: QZ stands for one.
    const allowlist = parseAllowedCountries('US', 'ALLOWED_COUNTRIES', () => libraryOf(['US', 'QZ'], 'QZ'));
    expect(allowlist.refusal(JAMAICA)).toEqual({ why: 'belongs to QZ, which ALLOWED_COUNTRIES (US) does not list', fix: 'Add QZ to ALLOWED_COUNTRIES if codes should go there.' });
  });

  it("names the recipient's country in English, whatever language the runtime speaks", () => {
    // A runtime whose default language is German: a name asked for in no language comes in German.
    const RuntimeNames = Intl.DisplayNames;
    const german = jest
      .spyOn(Intl, 'DisplayNames')
      .mockImplementation((locales, options) => new RuntimeNames(locales === undefined || (Array.isArray(locales) && locales.length === 0) ? ['de'] : locales, options));
    try {
      expect(new Intl.DisplayNames([], { type: 'region' }).of('JM')).toBe('Jamaika');
      expect(parseAllowedCountries('US', 'ALLOWED_COUNTRIES', realLibrary).refusal(JAMAICA)?.why).toBe('belongs to JM, Jamaica, which ALLOWED_COUNTRIES (US) does not list');
    } finally {
      german.mockRestore();
    }
  });

  it('takes only codes of two letters, even from a library that would know a longer one', () => {
    expect(() => parseAllowedCountries('US,USA', 'ALLOWED_COUNTRIES', () => libraryOf(['US', 'USA'], 'US'))).toThrow(
      'ALLOWED_COUNTRIES lists what is not the code of a country with phone numbers (USA): write ISO 3166-1 alpha-2 codes separated by commas, such as "US,CA,GB", or remove the secret to allow every country.',
    );
  });
});

describe('WHATSAPP_COUNTRIES', () => {
  it('takes * for every country, with spaces around it, and then needs no library', () => {
    const load = jest.fn(realLibrary);
    const list = parseCountryList(' * ', 'WHATSAPP_COUNTRIES', load);
    expect(list.includes(JAMAICA)).toBe(true);
    expect(list.countries.size).toBe(0);
    expect(load).not.toHaveBeenCalled();
  });

  it('says that * would take every country when it lists what is not a country', () => {
    expect(() => parseCountryList('BR,XX', 'WHATSAPP_COUNTRIES', realLibrary)).toThrow(
      'WHATSAPP_COUNTRIES lists what is not the code of a country with phone numbers (XX): write ISO 3166-1 alpha-2 codes separated by commas, such as "US,CA,GB", or remove the secret (or write * for every country).',
    );
  });

  it("includes a number of a listed country only", () => {
    const list = parseCountryList('br, jm', 'WHATSAPP_COUNTRIES', realLibrary);
    expect(list.countries).toEqual(new Set(['BR', 'JM']));
    expect(list.includes(JAMAICA)).toBe(true);
    expect(list.includes('+12125550123' as E164)).toBe(false);
    expect(list.includes('+99912345678' as E164)).toBe(false);
  });
});
