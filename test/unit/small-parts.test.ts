import twilio = require('twilio');
import { customizedText, type MessageContext } from '../../src/core/customization';
import { ConfigurationError, DeadlineExceededError, InvalidRecipientError, InvalidRequestError } from '../../src/core/errors';
import { loadTwilio } from '../../src/core/twilio-module';
import { deliveredLine, failedLine, MAX_LOG_LINE_LENGTH } from '../../src/core/log-line';
import { maskPhoneNumber, parsePhoneNumber } from '../../src/core/phone';
import { Scrubber, truncate } from '../../src/core/scrub';
import { CODE } from '../fixtures/values';

describe('the errors the sender reports', () => {
  it.each([
    [new ConfigurationError('m'), 'ConfigurationError', false, 'We could not send your verification code. Please contact support.'],
    [new InvalidRecipientError('m'), 'InvalidRecipientError', false, 'This phone number cannot receive verification codes. Check the number and try again.'],
    [new InvalidRequestError('m'), 'InvalidRequestError', false, 'We could not send your verification code. Please contact support.'],
    [new DeadlineExceededError('m'), 'DeadlineExceededError', true, 'We could not send your verification code right now. Please try again in a moment.'],
  ])('%s is named, transient or not, with its friendly message', (error, name, transient, friendly) => {
    expect({ name: error.name, transient: error.transient, friendlyMessage: error.friendlyMessage, message: error.message }).toEqual({ name, transient, friendlyMessage: friendly, message: 'm' });
  });
});

describe('loadTwilio', () => {
  it('returns the module the runtime loads', () => {
    expect(loadTwilio(() => twilio)).toBe(twilio);
  });

  it('says to declare twilio when the runtime cannot load it', () => {
    expect(() =>
      loadTwilio(() => {
        throw new Error("Cannot find module 'twilio'");
      }),
    ).toThrow(new ConfigurationError('The npm module "twilio" is not available: declare it as a dependency (the Action\'s Dependencies, or Hooks editor > Settings > NPM Modules).'));
  });

  it('says what to declare when the module is not the Twilio helper library', () => {
    expect(() => loadTwilio(() => ({ default: twilio }))).toThrow(
      new ConfigurationError('The module "twilio" did not load as the Twilio helper library; declare the npm package "twilio" (version 3 or later).'),
    );
  });
});

describe('the log lines', () => {
  const delivery = { api: 'messaging' as const, channel: 'sms' as const, sid: 'SM0123456789abcdef0123456789abcdef', attempts: 2, elapsedMs: 321 };

  it('of a delivery', () => {
    expect(deliveredLine(delivery, '+1555***5310')).toBe('twilio-phone-message: sent sms to +1555***5310 via messaging sid=SM0123456789abcdef0123456789abcdef attempts=2 ms=321');
    expect(deliveredLine({ ...delivery, sid: undefined }, '+1555***5310')).toBe('twilio-phone-message: sent sms to +1555***5310 via messaging sid=unknown attempts=2 ms=321');
  });

  it('of a failure without a Twilio answer: no code, no status', () => {
    expect(failedLine({ channel: 'voice', maskedRecipient: '+1555***5310' }, new ConfigurationError('TWILIO_AUTH_TOKEN is not set.'), 0, 3)).toBe(
      'twilio-phone-message: failed voice to +1555***5310 attempts=0 ms=3 transient=false ConfigurationError: TWILIO_AUTH_TOKEN is not set.',
    );
  });

  it(`cut to ${MAX_LOG_LINE_LENGTH} characters`, () => {
    const line = failedLine({ channel: 'sms', maskedRecipient: '+1555***5310' }, new ConfigurationError('x'.repeat(400)), 0, 3);
    expect(line).toHaveLength(MAX_LOG_LINE_LENGTH);
    expect(line.endsWith('x…')).toBe(true);
  });
});

describe('phone numbers', () => {
  it.each([
    ['+12345678', '+12345678'],
    ['+123456789012345', '+123456789012345'],
  ])('takes %s, at the bounds of E.164', (raw, e164) => {
    expect(parsePhoneNumber(raw)).toBe(e164);
  });

  it('names the recipient by default, and what it is told to name', () => {
    expect(() => parsePhoneNumber('')).toThrow('The recipient phone number is empty');
    expect(() => parsePhoneNumber('', 'TWILIO_PHONE_NUMBER')).toThrow('TWILIO_PHONE_NUMBER is empty');
  });

  it('masks a number of 8 characters keeping two digits at each end', () => {
    expect(maskPhoneNumber('12345678')).toBe('12***78');
    expect(maskPhoneNumber('1234567')).toBe('***');
    expect(maskPhoneNumber('123456789012')).toBe('1234***9012');
  });
});

describe('the scrubber, with its secrets', () => {
  it('scrubs a secret of exactly four characters, not a shorter one, and trims what it is given', () => {
    const scrubber = new Scrubber(['abcd', 'xyz', '  padded-secret  ', 7, null]);
    expect(scrubber.clean('abcd xyz padded-secret 7')).toBe('[redacted] xyz [redacted] 7');
  });

  it('removes a longer secret whole before a shorter one it contains', () => {
    const scrubber = new Scrubber(['abcd', 'abcdefgh']);
    expect(scrubber.clean('abcdefgh')).toBe('[redacted]');
    expect(new Scrubber(['abcdefgh', 'abcd']).clean('abcdefgh abcd')).toBe('[redacted] [redacted]');
  });

  it('cuts before a surrogate pair that would be split, and only then', () => {
    expect(truncate('abc😀def', 5)).toBe('abc…');
    expect(truncate('abcdef😀', 4)).toBe('abc…');
  });
});

describe('customizedText', () => {
  const context: MessageContext = {
    purpose: 'verification',
    text: `Your code is ${CODE}`,
    code: CODE,
    channel: 'sms',
    language: 'en',
    client: undefined,
    user: undefined,
    auth0: { trigger: 'send-phone-message', messageType: 'second-factor-authentication' },
  };

  it.each([['', 'an empty string'], ['  ', 'blanks'], [42, 'a number'], [undefined, 'nothing']])('refuses %j (%s)', (returned, _what) => {
    expect(() => customizedText(context, () => returned as string)).toThrow(
      new InvalidRequestError('customizeMessage() in src/customize.ts must return a non-empty string.'),
    );
  });

  it('lets a notice say anything, having no code to keep', () => {
    expect(customizedText({ ...context, purpose: 'blocked-account', code: undefined, text: 'Blocked.' }, () => 'Locked out.')).toBe('Locked out.');
  });

  it("lets a text drop a code that Auth0's own text did not hold", () => {
    expect(customizedText({ ...context, text: 'Your code follows' }, () => 'Hello')).toBe('Hello');
  });
});

describe('more edges of what leaves', () => {
  it("lets a customization drop text from a notice, even text that reads 'undefined'", () => {
    const notice: MessageContext = {
      purpose: 'blocked-account',
      text: 'undefined user blocked',
      code: undefined,
      channel: 'sms',
      language: 'en',
      client: undefined,
      user: undefined,
      auth0: { trigger: 'custom-phone-provider', messageType: 'blocked_account' },
    };
    expect(customizedText(notice, () => 'Blocked.')).toBe('Blocked.');
  });
});
