import { maskPhoneNumber } from './phone';

/** Values shorter than this are too common to scrub from text without mangling it. */
const MIN_SECRET_LENGTH = 4;

/**
 * C0 and C1 control characters, DEL, the bidi controls that can reorder what a terminal shows,
 * and the invisible characters that could hide a number or a code from the patterns below
 * (soft hyphen, zero-width spaces and joiners, word joiner, byte order mark).
 */
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]+/g;

/** What people and Twilio write between the digits of a number: spaces, dashes, dots, parentheses, slashes, a form's `%20`. */
const NUMBER_SEPARATOR = '(?:[ \\u00a0\\-.()/]|%20)';
/** Seven digits or more, each followed by up to three separators (`+1 555 - 867 - 5310`). */
const DIGIT_RUN = `(?:\\d${NUMBER_SEPARATOR}{0,3}){6,}\\d`;

/**
 * Anything that reads as a phone number: 7 or more digits, with the separators people and
 * Twilio write between them (`+15558675310`, `+1 (555) 867-5310`, `0044 20 7946 0958`). After a
 * plus sign (`+`, or `%2B` in a form echoed back) it is a number wherever it stands, whatever
 * letters touch it (`Number+15558675310is`, `**+15558675310**`); without one, a run of digits
 * inside a word, such as the hex of a SID, is not: letters and digits may not touch it.
 * Over-masking a date or a long number is the price of never showing a real one.
 */
const PHONE_NUMBER_LIKE = new RegExp(
  `(?<!\\p{N})(?:\\+|%2[Bb])${DIGIT_RUN}(?!\\p{N})|(?<![\\p{L}\\p{N}_*])${DIGIT_RUN}(?![\\p{L}\\p{N}_*])`,
  'gu',
);

/** Digits and plus signs written in their full-width (or another compatibility) form, which read as `0`–`9` and `+` once normalized. */
const COMPATIBILITY_DIGITS = /[\p{Nd}\uff0b](?<![0-9])/gu;

export const REDACTED = '[redacted]';

/** What people put between the digits of a code they write or read out: `4 8 2 9 1 3`, `48-29-13`, `4, 8, 2`. */
const DIGIT_SEPARATORS = '[\\s.,\\-]{0,3}';

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A secret as a pattern: a code made of digits is also found with separators between them. */
function secretPattern(secret: string): string {
  return /^\d+$/.test(secret) ? Array.from(secret).join(DIGIT_SEPARATORS) : escapeRegExp(secret);
}

/**
 * The one scrubber every text passes before it leaves the sender (an error message, a reason
 * given to Auth0, a log line), whoever wrote it: Twilio, the twilio library, the runtime or this
 * project. It removes control characters, the secrets it was given (auth token, API secret,
 * one-time code) and masks every phone number. Scrubbing twice changes nothing.
 */
export class Scrubber {
  private readonly secrets: RegExp | undefined;

  constructor(secrets: ReadonlyArray<unknown>) {
    // Longest first, so a secret that contains another is removed whole.
    const patterns = secrets
      .filter((value): value is string => typeof value === 'string')
      .map((value) => value.trim())
      .filter((value) => value.length >= MIN_SECRET_LENGTH)
      .sort((a, b) => b.length - a.length)
      .map(secretPattern);
    this.secrets = patterns.length === 0 ? undefined : new RegExp(patterns.join('|'), 'g');
  }

  clean(text: string): string {
    const result = text.replace(COMPATIBILITY_DIGITS, (character) => character.normalize('NFKC')).replace(CONTROL_CHARACTERS, ' ');
    const withoutSecrets = this.secrets === undefined ? result : result.replace(this.secrets, REDACTED);
    return withoutSecrets.replace(PHONE_NUMBER_LIKE, (number) => maskPhoneNumber(number));
  }
}

/** Cuts `text` to at most `maxLength` characters, marking the cut, without splitting a surrogate pair. */
export function truncate(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  let end = maxLength - 1;
  if (/[\ud800-\udbff]/.test(text.charAt(end - 1))) end--;
  return `${text.slice(0, end)}…`;
}
