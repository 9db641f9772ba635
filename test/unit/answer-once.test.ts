import { answerOnce } from '../../src/hook/answer-once';
import { SECRETS } from '../fixtures/values';

describe("answerOnce, around the hook's callback", () => {
  it('passes the first answer through, error and response alike', () => {
    const callback = jest.fn();
    const answer = answerOnce(callback, jest.fn());
    answer(null, { api: 'messaging', channel: 'sms', sid: 'SM1' });
    expect(callback).toHaveBeenCalledTimes(1);
    expect(callback).toHaveBeenCalledWith(null, { api: 'messaging', channel: 'sms', sid: 'SM1' });
  });

  it('lets no later answer through, whatever it is', () => {
    const callback = jest.fn();
    const answer = answerOnce(callback, jest.fn());
    const first = new Error('first');
    answer(first);
    answer(null, { api: 'voice', channel: 'voice', sid: 'CA1' });
    answer(new Error('third'));
    expect(callback.mock.calls).toEqual([[first, undefined]]);
  });

  it('catches a callback that throws, logs it once by name only, and still answers nothing more', () => {
    const log = jest.fn();
    const callback = jest.fn(() => {
      throw new TypeError(`res.end failed with secret ${SECRETS.TWILIO_AUTH_TOKEN}`);
    });
    const answer = answerOnce(callback, log);
    expect(() => answer(null)).not.toThrow();
    expect(() => answer(null)).not.toThrow();
    expect(callback).toHaveBeenCalledTimes(1);
    expect(log.mock.calls).toEqual([["twilio-phone-message: the hook's callback threw an exception (TypeError); Auth0 may not have received the answer."]]);
  });

  it('names a thrown value that is not an Error by its type', () => {
    const log = jest.fn();
    answerOnce(() => {
      throw 'oops';
    }, log)(null);
    expect(log).toHaveBeenCalledWith("twilio-phone-message: the hook's callback threw an exception (string); Auth0 may not have received the answer.");
  });
});
