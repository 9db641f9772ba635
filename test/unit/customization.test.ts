import { customizedText, type MessageContext } from '../../src/core/customization';
import { InvalidRequestError } from '../../src/core/errors';
import { CODE } from '../fixtures/values';

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

  it("lets a notice say anything, having no code to keep, even drop text that reads 'undefined'", () => {
    const notice: MessageContext = { ...context, purpose: 'blocked-account', code: undefined, auth0: { trigger: 'custom-phone-provider', messageType: 'blocked_account' } };
    expect(customizedText({ ...notice, text: 'Blocked.' }, () => 'Locked out.')).toBe('Locked out.');
    expect(customizedText({ ...notice, text: 'undefined user blocked' }, () => 'Blocked.')).toBe('Blocked.');
  });

  it("lets a text drop a code that Auth0's own text did not hold", () => {
    expect(customizedText({ ...context, text: 'Your code follows' }, () => 'Hello')).toBe('Hello');
  });
});
