import { ConfigurationError, DeadlineExceededError, InvalidRecipientError, InvalidRequestError, kindOf } from '../../src/core/errors';
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
