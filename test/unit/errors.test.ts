import {
  asPhoneMessageError,
  ConfigurationError,
  DeadlineExceededError,
  FRIENDLY_MESSAGES,
  InvalidRecipientError,
  InvalidRequestError,
  kindOf,
  RecipientRefusedError,
  TwilioDeliveryError,
} from '../../src/core/errors';
import { hostileThrownValues } from '../fixtures/values';

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

describe('kindOf, what a log line shows of a thrown value', () => {
  it.each(hostileThrownValues())('names %s without ever throwing', (kind, thrown) => {
    expect(kindOf(thrown())).toBe(kind);
  });

  it('names an error by its class, any other value by its type, and quotes no name that code could not have written', () => {
    expect(kindOf(new RangeError('x'))).toBe('RangeError');
    expect(kindOf('a string')).toBe('string');
    expect(kindOf(undefined)).toBe('undefined');
    expect(kindOf(Object.assign(new Error('x'), { name: 'Bad name +15558675310' }))).toBe('Error');
    expect(kindOf(Object.assign(new Error('x'), { name: 42 }))).toBe('Error');
  });
});

describe('the errors that carry more', () => {
  it('a refusal names the layer that refused, is never transient, and tells the user to check the number', () => {
    const refusal = new RecipientRefusedError('lookup', 'why');
    expect({ name: refusal.name, layer: refusal.layer, message: refusal.message, transient: refusal.transient, friendlyMessage: refusal.friendlyMessage }).toEqual({
      name: 'RecipientRefusedError',
      layer: 'lookup',
      message: 'why',
      transient: false,
      friendlyMessage: FRIENDLY_MESSAGES.recipient,
    });
  });

  it("Twilio's failure keeps what it was built with", () => {
    const failure = new TwilioDeliveryError({ message: 'm', friendlyMessage: FRIENDLY_MESSAGES.tryAgain, transient: true, twilioCode: 20429, httpStatus: 429 });
    expect({ ...failure, name: failure.name, message: failure.message }).toEqual({
      name: 'TwilioDeliveryError',
      message: 'm',
      friendlyMessage: FRIENDLY_MESSAGES.tryAgain,
      transient: true,
      twilioCode: 20429,
      httpStatus: 429,
    });
  });
});

describe('asPhoneMessageError, what the entries report of whatever was thrown', () => {
  it("passes the sender's own errors through as they are", () => {
    const own = new ConfigurationError('TWILIO_AUTH_TOKEN is not set.');
    expect(asPhoneMessageError(own)).toBe(own);
  });

  it.each(hostileThrownValues())('reports %s as an unexpected failure named by its kind only', (kind, thrown) => {
    const error = asPhoneMessageError(thrown());
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.message).toBe(`The sender failed unexpectedly (${kind}).`);
  });
});

describe('kindOf, at the edges of a name code could write', () => {
  it('takes a name of 64 characters of identifier, starting with a letter, _ or $, and nothing longer or otherwise', () => {
    const longest = `$${'_a1'.repeat(21)}`;
    expect(kindOf(Object.assign(new Error('x'), { name: longest }))).toBe(longest);
    expect(kindOf(Object.assign(new Error('x'), { name: `${longest}b` }))).toBe('Error');
    expect(kindOf(Object.assign(new Error('x'), { name: '1Error' }))).toBe('Error');
    expect(kindOf(Object.assign(new Error('x'), { name: 'Error!' }))).toBe('Error');
    expect(kindOf(Object.assign(new Error('x'), { name: '' }))).toBe('Error');
  });
});
