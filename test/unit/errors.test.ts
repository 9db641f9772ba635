import { ConfigurationError, DeadlineExceededError, InvalidRecipientError, InvalidRequestError } from '../../src/core/errors';

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
