import { ConfigurationError } from './errors';
import { loadNumberMetadata, PHONE_NUMBER_MODULE, type PhoneNumberLibrary } from './number-metadata';
import type { E164 } from './phone';
import { DEPENDENCIES_PLACE } from './twilio-module';

/** What stands for "every country" in WHATSAPP_COUNTRIES. */
export const EVERY_COUNTRY = '*';

/** A set of countries, read from a secret, and how to tell a number's country. */
export interface CountryList {
  /** The ISO codes listed; empty when the list is `*`. */
  readonly countries: ReadonlySet<string>;
  /** Whether `number` belongs to a listed country. */
  includes(number: E164): boolean;
}

/** The countries recipients may belong to. */
export interface CountryAllowlist extends CountryList {
  /** Why `number` is not allowed, naming its country, and what to do; undefined when it is. */
  refusal(number: E164): { why: string; fix: string } | undefined;
}

function countryName(code: string): string {
  const name = new Intl.DisplayNames(['en'], { type: 'region' }).of(code);
  return name === undefined || name === code ? code : `${code}, ${name}`;
}

/** `US, ca ,GB` → {US, CA, GB}, each an ISO 3166-1 alpha-2 code that libphonenumber-js knows. */
function readCountries(text: string, secretName: string, library: PhoneNumberLibrary, unsetMeans: string): ReadonlySet<string> {
  const codes = text.split(',').map((part) => part.trim().toUpperCase()).filter((part) => part !== '');
  const unknown = codes.filter((code) => !/^[A-Z]{2}$/.test(code) || !library.isSupportedCountry(code));
  if (codes.length === 0 || unknown.length > 0) {
    const what = codes.length === 0 ? 'lists no country' : `lists what is not the code of a country with phone numbers (${unknown.slice(0, 5).join(', ')})`;
    throw new ConfigurationError(
      `${secretName} ${what}: write ISO 3166-1 alpha-2 codes separated by commas, such as "US,CA,GB", or remove the secret ${unsetMeans}.`,
    );
  }
  return new Set(codes);
}

/** ALLOWED_COUNTRIES: a recipient of any other country is refused before any request. */
export function parseAllowedCountries(text: string, secretName: string, load: () => unknown): CountryAllowlist {
  const library = phoneNumberLibrary(load, secretName);
  const countries = readCountries(text, secretName, library, 'to allow every country');
  const countryOf = (number: E164): string | undefined => library.parsePhoneNumberFromString(number)?.country;
  return {
    countries,
    includes: (number) => countries.has(countryOf(number) ?? ''),
    refusal(number) {
      const country = countryOf(number);
      if (country !== undefined && countries.has(country)) return undefined;
      const allowed = [...countries].join(',');
      return country === undefined
        ? { why: `belongs to no country that ${PHONE_NUMBER_MODULE} knows, so ${secretName} (${allowed}) cannot allow it`, fix: '' }
        : { why: `belongs to ${countryName(country)}, which ${secretName} (${allowed}) does not list`, fix: `Add ${country} to ${secretName} if codes should go there.` };
    },
  };
}

/** WHATSAPP_COUNTRIES: `BR,IN,MX`, or `*` for every country (which needs no library). */
export function parseCountryList(text: string, secretName: string, load: () => unknown): CountryList {
  if (text.trim() === EVERY_COUNTRY) return { countries: new Set(), includes: () => true };
  const library = phoneNumberLibrary(load, secretName);
  const countries = readCountries(text, secretName, library, `(or write ${EVERY_COUNTRY} for every country)`);
  return { countries, includes: (number) => countries.has(library.parsePhoneNumberFromString(number)?.country ?? '') };
}

function phoneNumberLibrary(load: () => unknown, secretName: string): PhoneNumberLibrary {
  const library = loadNumberMetadata(load);
  if (library === undefined) {
    throw new ConfigurationError(
      `${secretName} needs the npm module "${PHONE_NUMBER_MODULE}": declare it beside twilio ${DEPENDENCIES_PLACE}, or remove ${secretName}.`,
    );
  }
  return library;
}
