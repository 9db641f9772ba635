import { InvalidRecipientError } from './errors';

/** A phone number in E.164 (`+15550105310`): only `parsePhoneNumber` makes one. */
export type E164 = string & { readonly __brand: 'E164' };

/** ITU-T E.164: a country code and subscriber number of at most 15 digits; 8 is the shortest real one. */
const E164_MIN_DIGITS = 8;
const E164_MAX_DIGITS = 15;

/** E.164 in words: an example number would be masked by the scrubber and read as someone's number. */
const E164_SHAPE = 'a +, the country code, then the number, such as +1 and ten digits for the US';

/** What people and CRMs put between digits. */
const FORMATTING_CHARACTERS = /[\s\-.()/]/g;

/**
 * A number as users type it (`+1 (555) 010-5310`) in E.164, or an `InvalidRecipientError` saying
 * what is wrong. Without a `+` it is read as carrying its country code, as Auth0's sample payloads
 * do (`1-808-555-5555`).
 */
export function parsePhoneNumber(raw: unknown, what = 'The recipient phone number'): E164 {
  if (typeof raw !== 'string') {
    throw new InvalidRecipientError(`${what} is ${raw === undefined || raw === null ? 'missing' : `a ${typeof raw}, not text`}; expected E.164 text: ${E164_SHAPE}.`);
  }
  if (raw.trim() === '') {
    throw new InvalidRecipientError(`${what} is empty; expected E.164: ${E164_SHAPE}.`);
  }
  const stripped = raw.replace(FORMATTING_CHARACTERS, '');
  const digits = stripped.startsWith('+') ? stripped.slice(1) : stripped;
  const shown = maskPhoneNumber(raw);
  if (!/^[0-9]+$/.test(digits)) {
    throw new InvalidRecipientError(
      `${what} (${shown}) contains characters other than digits, a leading +, spaces, dashes, dots and parentheses; expected E.164: ${E164_SHAPE}.`,
    );
  }
  if (digits.startsWith('00')) {
    throw new InvalidRecipientError(
      `${what} (${shown}) starts with 00, an international call prefix; write + instead, such as +44… for 0044…`,
    );
  }
  if (digits.startsWith('0')) {
    throw new InvalidRecipientError(
      `${what} (${shown}) starts with 0, a national trunk prefix; write it with its country code instead, such as +44 7… for 07…`,
    );
  }
  if (digits.length < E164_MIN_DIGITS || digits.length > E164_MAX_DIGITS) {
    throw new InvalidRecipientError(
      `${what} (${shown}) has ${digits.length} digits; E.164 numbers have ${E164_MIN_DIGITS} to ${E164_MAX_DIGITS}, country code included.`,
    );
  }
  return `+${digits}` as E164;
}

/** `+15550105310` → `+1555***5310`; short or odd values keep less, never most of a number. */
export function maskPhoneNumber(value: string): string {
  const compact = value.replace(FORMATTING_CHARACTERS, '');
  const visible = compact.length >= 12 ? 4 : compact.length >= 8 ? 2 : 0;
  if (visible === 0) return '***';
  const head = compact.startsWith('+') ? visible + 1 : visible;
  return `${compact.slice(0, head)}***${compact.slice(-visible)}`;
}
