import fc from 'fast-check';
import { REDACTED, Scrubber, truncate } from '../../src/core/scrub';
import { CODE, SECRETS } from '../fixtures/values';
import { expectNumbersMasked } from '../helpers/no-secrets';

const TOKEN = SECRETS.TWILIO_AUTH_TOKEN;
const scrubber = new Scrubber([TOKEN, CODE, undefined, 42, 'abc']);

describe('the scrubber every outgoing text passes', () => {
  it.each([
    ['+15558675310', '+1555***5310'],
    ['+1 (555) 867-5310', '+1555***5310'],
    ['1-555-867-5310', '15***10'],
    ['(555) 867-5310', '(55***10'],
    ['555.867.5310', '55***10'],
    ['+44 20 7946 0958', '+4420***0958'],
    ['0044 20 7946 0958', '0044***0958'],
    ['867-5310', '***'],
  ])('masks %j wherever it stands', (number, masked) => {
    expect(scrubber.clean(`The number ${number} is unverified.`)).toBe(`The number ${masked} is unverified.`);
  });

  it('leaves what is not a phone number: codes of Twilio, statuses, durations, SIDs, URLs', () => {
    const text = 'error 21211 (HTTP 400) after 2 attempts, 10000 ms; sid=SM0123456789abcdef0123456789abcdef More: https://www.twilio.com/docs/errors/21211';
    expect(scrubber.clean(text)).toBe(text);
  });

  it('removes the secrets it was given, a longer one whole before a shorter one it contains', () => {
    expect(scrubber.clean(`token ${TOKEN}, code ${CODE}`)).toBe(`token ${REDACTED}, code ${REDACTED}`);
    expect(new Scrubber(['abcd', 'abcdefgh']).clean('abcdefgh')).toBe(REDACTED);
    expect(new Scrubber(['abcdefgh', 'abcd']).clean('abcdefgh abcd')).toBe(`${REDACTED} ${REDACTED}`);
  });

  it('takes a secret of four characters or more, trimmed, and ignores shorter ones and values that are not text', () => {
    expect(new Scrubber(['abcd', 'xyz', '  padded-secret  ', 7, null]).clean('abcd xyz padded-secret 7')).toBe(`${REDACTED} xyz ${REDACTED} 7`);
    expect(scrubber.clean('abc 42')).toBe('abc 42');
  });

  it.each([
    ['spaces', '4 8 2 9 1 3'],
    ['dashes in pairs', '48-29-13'],
    ['as a call reads it', '4, 8, 2, 9, 1, 3'],
    ['dots', '482.913'],
  ])('removes a code written with %s between its digits', (_case, written) => {
    expect(scrubber.clean(`your code is ${written}.`)).toBe(`your code is ${REDACTED}.`);
  });

  it('keeps a secret that is not all digits to the letter: separators are for codes only', () => {
    expect(new Scrubber(['ab12cd34']).clean('ab 12 cd 34 ab12cd34')).toBe(`ab 12 cd 34 ${REDACTED}`);
  });

  it('takes secrets with the characters of a pattern as plain text', () => {
    expect(new Scrubber(['a+b*c(d)', 'x.y?z']).clean('a+b*c(d) x.y?z xayqz')).toBe(`${REDACTED} ${REDACTED} xayqz`);
  });

  it('turns control characters, terminal escapes and bidi overrides into a space', () => {
    expect(scrubber.clean('a\r\nb\u001b[2Jc\u202ed\u0085e')).toBe('a b [2Jc d e');
  });

  it.each([
    ['a form echoed back, its plus percent-encoded', 'To=%2B15558675310&From=x', 'To=%2B1***5310&From=x'],
    ['a WhatsApp address in a form', 'whatsapp%3A%2B15558675310', 'whatsapp%3A%2B1***5310'],
    ['letters touching a number written with its plus', 'Number+15558675310is', 'Number+1555***5310is'],
    ['markdown around it', '**+15558675310** and *+15558675310*', '**+1555***5310** and *+1555***5310*'],
    ['an underscore after it', '+15558675310_', '+1555***5310_'],
    ['spaced dashes', '+1 555 - 867 - 5310', '+1555***5310'],
    ['a soft hyphen and a zero-width space inside', '+1\u00ad555\u200b8675310', '+1555***5310'],
    ['full-width digits and plus', '\uff0b\uff11\uff15\uff15\uff15\uff18\uff16\uff17\uff15\uff13\uff11\uff10', '+1555***5310'],
    ['a form whose encoded space comes before the plus', 'To=%20%2B15558675310', 'To=%20%2B1***5310'],
    ['a digit right before the plus', '1+15558675310x', '1+1555***5310x'],
    ['a superscript or fraction right after it', '+15558675310\u00b9 and 15558675310\u00bd', '+1555***5310\u00b9 and 15***10\u00bd'],
    ['invisible separators between its digits', '+1\u2063555\u2063867\u20635310', '+1555***5310'],
    ['soft hyphens beside three dashes', '+1-\u00ad--555-\u00ad--867-\u00ad--5310', '+1555***5310'],
  ])('masks a number in %s', (_case, text, cleaned) => {
    expect(scrubber.clean(text)).toBe(cleaned);
  });

  it("leaves the version in Twilio's API paths, which its 404 messages quote", () => {
    const text = 'The requested resource /2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json was not found';
    expect(scrubber.clean(text)).toBe(text);
  });

  it.each(['\u2063', '\u2062', '\u034f', '\ufe0f', '\u180e', '\u3164', '\u{e0020}'])('finds the code with %j between its digits, which shows nothing', (invisible) => {
    expect(scrubber.clean(`code ${Array.from(CODE).join(invisible)}`)).toBe(`code ${REDACTED}`);
  });

  it('finds the code written in full-width digits', () => {
    expect(scrubber.clean(`code ${Array.from(CODE, (digit) => String.fromCharCode(0xff10 + Number(digit))).join('')}`)).toBe(`code ${REDACTED}`);
  });

  it('changes nothing on a second pass', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        const once = scrubber.clean(text);
        expect(scrubber.clean(once)).toBe(once);
      }),
    );
  });

  it('never lets a phone number through, whatever its format and surroundings', () => {
    const e164 = fc.tuple(fc.integer({ min: 1, max: 9 }), fc.stringMatching(/^[0-9]{7,13}$/)).map(([first, rest]) => `+${first}${rest}`);
    const separator = fc.constantFrom('', ' ', '-', '.', ' (', ') ', '\u00a0');
    const formatted = fc
      .tuple(e164, fc.array(separator, { minLength: 12, maxLength: 12 }), fc.boolean())
      .map(([number, separators, plus]) => {
        const digits = Array.from(number.slice(1));
        return (plus ? '+' : '') + digits.map((digit, index) => (index === 0 ? digit : `${separators[index % 12]}${digit}`)).join('');
      });
    const surrounding = fc.string({ maxLength: 12 }).map((text) => text.replace(/[\p{L}\p{N}_*+]$/u, ' '));
    fc.assert(
      fc.property(formatted, surrounding, surrounding, (number, before, after) => {
        const cleaned = scrubber.clean(`${before}${number}${after.replace(/^[\p{L}\p{N}_*]/u, ' ')}`);
        expectNumbersMasked(cleaned, [number]);
      }),
      { numRuns: 500 },
    );
  });
});

describe('truncate', () => {
  it('cuts to the length, marking the cut', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abcd', 4)).toBe('abcd');
  });

  it('never splits a surrogate pair, and cuts before one only when it would be split', () => {
    expect(truncate('ab😀cd', 4)).toBe('ab…');
    expect(truncate('abc😀def', 5)).toBe('abc…');
    expect(truncate('abcdef😀', 4)).toBe('abc…');
  });
});

describe('a secret that starts with digits but is not all digits', () => {
  it('is removed as it is written, not as a run of digits', () => {
    const secret = '2026.ab-cd';
    const scrubbing = new Scrubber([secret]);
    expect(scrubbing.clean(`token ${secret}`)).toBe(`token ${REDACTED}`);
    expect(scrubbing.clean('token 2026xab-cd, 2 0 2 6 . a b - c d')).toBe('token 2026xab-cd, 2 0 2 6 . a b - c d');
  });
});
