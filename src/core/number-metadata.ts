import type { CountryCode, NumberType } from 'libphonenumber-js';

/**
 * libphonenumber-js: what a phone number is (its country, its type). Loaded only when a send
 * needs it, so a tenant who declares only twilio still gets codes; its absence is named, never a
 * crash.
 */

/** The npm module tenants declare beside twilio. */
export const PHONE_NUMBER_MODULE = 'libphonenumber-js';

/**
 * The build the sender loads: `max`, whose metadata knows a number's type (premium rate, shared
 * cost, mobile…), which the pumping shield asks, as well as its country. It loads in about the
 * time `min` does: most of the load is the library's code (docs/performance.md). The entries
 * require it by this literal name.
 */
export const PHONE_NUMBER_METADATA = 'libphonenumber-js/max';

/** The part of libphonenumber-js the sender calls. */
export interface PhoneNumberLibrary {
  parsePhoneNumberFromString(text: string): { country?: CountryCode; getType(): NumberType } | undefined;
  isSupportedCountry(code: string): boolean;
}

/** The library, or undefined when the runtime does not have it (or something else came back). */
export function loadNumberMetadata(load: () => unknown): PhoneNumberLibrary | undefined {
  let library: unknown;
  try {
    library = load();
  } catch {
    // Absent: nothing loaded fails the check below like any other wrong shape.
  }
  const candidate = library as Partial<PhoneNumberLibrary> | undefined;
  return typeof candidate?.parsePhoneNumberFromString === 'function' && typeof candidate.isSupportedCountry === 'function' ? (candidate as PhoneNumberLibrary) : undefined;
}
