import type { CountryCode } from 'libphonenumber-js';
import { ConfigurationError, InvalidRecipientError } from './errors';
import { maskPhoneNumber, type E164 } from './phone';

/** Loaded only when a secret lists countries, so tenants who list none need not declare it. */
export const PHONE_NUMBER_MODULE = 'libphonenumber-js';

/**
 * The build of it the sender loads: its smallest metadata (`min`, 83 kB against `max`'s 157 kB)
 * places every number of a shared calling code (`+1`: the US, Canada and about twenty Caribbean
 * countries) by its area code exactly as `max` does; `max` adds what tells a mobile from a
 * landline, which the question "which country" never asks (a test holds the two to the same
 * answer). The entries require it by this literal name.
 */
export const PHONE_NUMBER_METADATA = 'libphonenumber-js/min';

/** What stands for "every country" in WHATSAPP_COUNTRIES. */
export const EVERY_COUNTRY = '*';

/** The part of libphonenumber-js this module calls. */
interface PhoneNumberLibrary {
  parsePhoneNumberFromString(text: string): { country?: CountryCode } | undefined;
  isSupportedCountry(code: string): boolean;
}

/** A set of countries, read from a secret, and how to tell a number's country. */
export interface CountryList {
  /** The ISO codes listed; empty when the list is `*`. */
  readonly countries: ReadonlySet<string>;
  /** Whether `number` belongs to a listed country. */
  includes(number: E164): boolean;
}

/** The countries recipients may belong to. */
export interface CountryAllowlist extends CountryList {
  /** Throws an `InvalidRecipientError` naming the country and the secret when `number` is not allowed. */
  check(number: E164): void;
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
    const what = codes.length === 0 ? 'lists no country' : `has ${unknown.length === 1 ? 'an entry' : 'entries'} that ${unknown.length === 1 ? 'is not a country code' : 'are not country codes'} with phone numbers (${unknown.slice(0, 5).join(', ')})`;
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
    check(number) {
      const country = countryOf(number);
      if (country !== undefined && countries.has(country)) return;
      const allowed = [...countries].join(',');
      throw new InvalidRecipientError(
        country === undefined
          ? `The recipient phone number (${maskPhoneNumber(number)}) belongs to no country that ${PHONE_NUMBER_MODULE} knows, so ${secretName} (${allowed}) cannot allow it; nothing was sent.`
          : `The recipient phone number (${maskPhoneNumber(number)}) belongs to ${countryName(country)}, which ${secretName} (${allowed}) does not list; nothing was sent. Add ${country} to ${secretName} if codes should go there.`,
      );
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
  let library: unknown;
  try {
    library = load();
  } catch {
    library = undefined;
  }
  const candidate = library as Partial<PhoneNumberLibrary> | undefined;
  if (typeof candidate?.parsePhoneNumberFromString !== 'function' || typeof candidate.isSupportedCountry !== 'function') {
    throw new ConfigurationError(
      `${secretName} needs the npm module "${PHONE_NUMBER_MODULE}": declare it as a dependency beside twilio (Action > Dependencies, or Hooks editor > Settings > NPM Modules), or remove ${secretName}.`,
    );
  }
  return candidate as PhoneNumberLibrary;
}
