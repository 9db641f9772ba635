import { InvalidRecipientError } from '../../src/core/errors';
import { maskPhoneNumber, parsePhoneNumber } from '../../src/core/phone';

describe('parsePhoneNumber', () => {
  it.each([
    ['+15550105310', '+15550105310'],
    ['+1 (555) 010-5310', '+15550105310'],
    ['+44 20 7946 0958', '+442079460958'],
    ['1.555.010.5310', '+15550105310'],
    ['1-808-555-5555', '+18085555555'],
    [' +33 6 12 34 56 78 ', '+33612345678'],
    ['+12345678', '+12345678'],
    ['+123456789012345', '+123456789012345'],
  ])('turns %j into %j', (raw, expected) => {
    expect(parsePhoneNumber(raw)).toBe(expected);
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['+1 555 CALL NOW', /characters other than digits/],
    ['+1555010531０', /characters other than digits/],
    ['+1234567', /has 7 digits; E\.164 numbers have 8 to 15/],
    ['+1234567890123456', /has 16 digits/],
    ['07946 095 800', /starts with 0, a national trunk prefix/],
    ['0044 20 7946 0958', /starts with 00, an international call prefix; write \+ instead/],
    ['++15550105310', /characters other than digits/],
  ])('refuses %j with a message that says why', (raw, reason) => {
    expect(() => parsePhoneNumber(raw)).toThrow(InvalidRecipientError);
    expect(() => parsePhoneNumber(raw)).toThrow(reason);
  });

  it('refuses a value that is not text, saying what it is', () => {
    expect(() => parsePhoneNumber(15550105310)).toThrow(/^The recipient phone number is a number, not text; expected E\.164 text: a \+, the country code, then the number/);
    expect(() => parsePhoneNumber(undefined)).toThrow(/^The recipient phone number is missing;/);
    expect(() => parsePhoneNumber('  ')).toThrow(/^The recipient phone number is empty;/);
  });

  it('describes E.164 without an example number, which the scrubber would mask and which reads as someone\'s', () => {
    for (const raw of [42, '', 'abc']) {
      let message = '';
      try {
        parsePhoneNumber(raw);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/expected E\.164/);
      expect(message).not.toMatch(/\d{4}/);
    }
  });

  it('never repeats the whole number in its error message', () => {
    expect(() => parsePhoneNumber('+1 555 010 531x')).toThrow(/\+1555\*\*\*531x/);
  });

  it('names the recipient by default, and what it is told to name', () => {
    expect(() => parsePhoneNumber('')).toThrow('The recipient phone number is empty');
    expect(() => parsePhoneNumber('', 'TWILIO_PHONE_NUMBER')).toThrow('TWILIO_PHONE_NUMBER is empty');
  });
});

describe('maskPhoneNumber keeps the country code area and the last four digits, less of a short number', () => {
  it.each([
    ['+15550105310', '+1555***5310'],
    ['123456789012', '1234***9012'],
    ['+4912345678', '+49***78'],
    ['12345678', '12***78'],
    ['1234567', '***'],
    ['12345', '***'],
  ])('%j as %j', (number, masked) => {
    expect(maskPhoneNumber(number)).toBe(masked);
  });
});

describe('parsePhoneNumber of what is not text', () => {
  it.each([
    [undefined, 'missing'],
    [null, 'missing'],
    [15550105310, 'a number, not text'],
  ])('says %p is %s', (raw, what) => {
    expect(() => parsePhoneNumber(raw)).toThrow(`The recipient phone number is ${what}; expected E.164 text`);
  });
});
