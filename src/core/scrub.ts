import { maskPhoneNumber } from './phone';

/** Values shorter than this are too common to scrub from text without mangling it. */
const MIN_SECRET_LENGTH = 4;

/** C0 and C1 controls, DEL, and the bidi controls that can reorder what a terminal shows: each becomes a space. */
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g;

/**
 * Characters that show nothing, removed so they cannot hide a number or a code from the patterns
 * below: format characters (soft hyphen, zero-width ones, word joiner, invisible operators, BOM,
 * tags), variation selectors, the combining grapheme joiner and the Hangul fillers.
 */
const INVISIBLE_CHARACTERS = /[\p{Cf}\u034f\u115f\u1160\u3164\uffa0\ufe00-\ufe0f\u{e0100}-\u{e01ef}]+/gu;

/** Written between a number's digits: spaces, dashes, dots, parentheses, slashes, a form's `%20`. */
const NUMBER_SEPARATOR = '(?:[ \\u00a0\\-.()/]|%20)';
/** The version in every path of Twilio's API (`/2010-04-01/Accounts/…`), which its 404s quote: a date, not a number. */
const TWILIO_API_VERSION = '2010-04-01/';
/** Seven digits or more, each followed by up to three separators (`+1 555 - 867 - 5310`). */
const DIGIT_RUN = `(?:\\d${NUMBER_SEPARATOR}{0,3}){6,}\\d`;

/**
 * Anything that reads as a phone number. After a plus (`+`, or `%2B` in an echoed form) it is one
 * whatever letters touch it (`Number+15558675310is`); without one, digits inside a word (the hex
 * of a SID) are not. Over-masking a date or a long number is the price of never showing a real one.
 */
const PHONE_NUMBER_LIKE = new RegExp(
  `(?:\\+|%2[Bb])${DIGIT_RUN}|(?<![\\p{L}\\d_*])(?!${TWILIO_API_VERSION})${DIGIT_RUN}(?![\\p{L}\\d_*])`,
  'gu',
);

/** Full-width (or other compatibility) digits and plus signs: `0`–`9` and `+` once normalized. */
const COMPATIBILITY_DIGITS = /[\p{Nd}\uff0b](?<![0-9])/gu;

export const REDACTED = '[redacted]';

/** Between the digits of a code people write or read out: `4 8 2 9 1 3`, `48-29-13`. */
const DIGIT_SEPARATORS = '[\\s.,\\-]{0,3}';

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A secret as a pattern: a code made of digits is also found with separators between them. */
function secretPattern(secret: string): string {
  return /^\d+$/.test(secret) ? Array.from(secret).join(DIGIT_SEPARATORS) : escapeRegExp(secret);
}

/**
 * The one scrubber every text passes before it leaves (an error message, a reason given to Auth0,
 * a log line), whoever wrote it: it removes control characters and the secrets it was given, and
 * masks every phone number. Scrubbing twice changes nothing.
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
    const result = text
      .replace(COMPATIBILITY_DIGITS, (character) => character.normalize('NFKC'))
      .replace(CONTROL_CHARACTERS, ' ')
      .replace(INVISIBLE_CHARACTERS, '');
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
