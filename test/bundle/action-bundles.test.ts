import { ACTION_CODE, FRENCH_RECIPIENT, hostileThrownValues, RECIPIENT, SECRETS, VERIFY_SID, VOICE_CODE } from '../fixtures/values';
import { mockTwilio, networkError, twilioRestError } from '../helpers/mock-twilio';
import { expectNoSecrets, expectNumbersMasked } from '../helpers/no-secrets';
import { customPhoneProviderAction, sampleEvent, sendPhoneMessageAction } from '../helpers/bundles';
import { createdAnswer, scriptedTwilio } from '../helpers/scripted-twilio';
import { refuseTwilioConnections } from '../helpers/fake-twilio';

refuseTwilioConnections();

const SECRET_VALUES = [SECRETS.TWILIO_AUTH_TOKEN, ACTION_CODE];

describe('the Send Phone Message action, with a mocked client', () => {
  it('sends the SMS Auth0 asked for', async () => {
    const twilio = mockTwilio();
    const action = sendPhoneMessageAction(twilio.module);
    await expect(action.run(sampleEvent('action-send-phone-message', { ...SECRETS }))).resolves.toBeUndefined();
    expect(twilio.messagesCreate).toHaveBeenCalledWith({ to: RECIPIENT, from: SECRETS.TWILIO_PHONE_NUMBER, body: `Your Acme verification code is ${ACTION_CODE}`, validityPeriod: 300 });
    expect(action.logs).toEqual([expect.stringContaining('sent sms to +1555***5310 via messaging')]);
  });

  it('calls for a voice message, speaking the code digit by digit in event.request.language', async () => {
    const twilio = mockTwilio();
    await sendPhoneMessageAction(twilio.module).run(sampleEvent('action-send-phone-message-voice', { ...SECRETS }));
    expect(twilio.callsCreate.mock.calls[0]?.[0].twiml).toContain('<Say language="en-GB">Your Acme enrollment code is 5, 5, 2, 8, 0, 7</Say>');
  });

  it('throws an Error that names the missing secret, and sends nothing', async () => {
    const twilio = mockTwilio();
    const { TWILIO_ACCOUNT_SID: _unused, ...secrets } = SECRETS;
    await expect(sendPhoneMessageAction(twilio.module).run(sampleEvent('action-send-phone-message', secrets))).rejects.toThrow('TWILIO_ACCOUNT_SID is not set');
    expect(twilio.requestCount()).toBe(0);
  });

  it('throws the Twilio error with its code and hint, the number masked, without secrets', async () => {
    const twilio = mockTwilio();
    twilio.messagesCreate.mockRejectedValue(twilioRestError(400, 21614, `To number: ${RECIPIENT}, is not a mobile number`));
    const error = await sendPhoneMessageAction(twilio.module)
      .run(sampleEvent('action-send-phone-message', { ...SECRETS }))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain('error 21614');
    expect((error as Error).message).toContain('To number: +1555***5310, is not a mobile number');
    expectNoSecrets(error, SECRET_VALUES);
    expectNumbersMasked(error, [RECIPIENT]);
  });
});

/** An event whose `field` of `part` throws when read, as a hostile or broken runtime object could. */
function eventWithThrowingField(sample: string, part: string, field: string, thrown: () => unknown): Record<string, unknown> {
  const event = sampleEvent(sample, { ...SECRETS });
  Object.defineProperty(event[part], field, {
    enumerable: true,
    get() {
      throw thrown();
    },
  });
  return event;
}

describe.each(hostileThrownValues())('an action whose event throws when read (%s)', (kind, thrown) => {
  const unreadable = (line: string | undefined) =>
    expect(line).toBe(`twilio-phone-message: failed message to an unknown recipient attempts=0 ms=${/ ms=(\d+) /.exec(line ?? '')?.[1]} transient=false InvalidRequestError: The sender failed unexpectedly (${kind}).`);

  it('Send Phone Message: throws the sender\'s error, logs one line, sends nothing', async () => {
    const twilio = mockTwilio();
    const action = sendPhoneMessageAction(twilio.module);
    await expect(action.run(eventWithThrowingField('action-send-phone-message', 'message_options', 'recipient', thrown))).rejects.toMatchObject({
      name: 'InvalidRequestError',
      message: `The sender failed unexpectedly (${kind}).`,
    });
    expect(action.logs).toHaveLength(1);
    unreadable(action.logs[0]);
    expect(twilio.requestCount()).toBe(0);
  });

  it('Custom Phone Provider: drops the notification once, logs one line, sends nothing', async () => {
    const twilio = mockTwilio();
    const action = customPhoneProviderAction(twilio.module);
    const outcome = await action.run(eventWithThrowingField('action-custom-phone-provider', 'notification', 'delivery_method', thrown));
    expect(outcome.calls).toEqual([{ method: 'drop', reason: `The sender failed unexpectedly (${kind}).` }]);
    expect(action.logs).toHaveLength(1);
    unreadable(action.logs[0]);
    expect(twilio.requestCount()).toBe(0);
  });

  it('Custom Phone Provider: a drop that throws it is caught and logged once', async () => {
    const twilio = mockTwilio();
    const action = customPhoneProviderAction(twilio.module);
    const drops: string[] = [];
    const api = {
      notification: {
        retry: () => undefined,
        drop: (reason: string) => {
          drops.push(reason);
          throw thrown();
        },
      },
    };
    await expect(action.run(eventWithThrowingField('action-custom-phone-provider', 'notification', 'delivery_method', thrown), api)).resolves.toMatchObject({ returned: undefined });
    expect(drops).toEqual([`The sender failed unexpectedly (${kind}).`]);
    expect(action.logs).toHaveLength(2);
    expect(action.logs[1]).toBe(`twilio-phone-message: api.notification.drop threw an exception (${kind}).`);
  });
});

describe('the Custom Phone Provider action, with a mocked client', () => {
  it('delivers as_text by SMS and calls neither retry nor drop', async () => {
    const twilio = mockTwilio();
    const outcome = await customPhoneProviderAction(twilio.module).run(sampleEvent('action-custom-phone-provider', { ...SECRETS }));
    expect(outcome.calls).toEqual([]);
    expect(twilio.messagesCreate).toHaveBeenCalledWith(expect.objectContaining({ body: `Your Acme verification code is ${ACTION_CODE}` }));
  });

  it('speaks as_voice for the voice delivery method', async () => {
    const twilio = mockTwilio();
    await customPhoneProviderAction(twilio.module).run(sampleEvent('action-custom-phone-provider-voice', { ...SECRETS }));
    expect(twilio.callsCreate.mock.calls[0]?.[0].twiml).toContain('<Say language="fr-FR">Votre code Acme est 9, 1, 8, 2, 7, 3</Say>');
  });

  it('reads a locale written as Auth0 documents it, en_US', async () => {
    const twilio = mockTwilio();
    const event = sampleEvent('action-custom-phone-provider-voice', { ...SECRETS });
    (event.notification as Record<string, unknown>).locale = 'fr_CA';
    await customPhoneProviderAction(twilio.module).run(event);
    expect(twilio.callsCreate.mock.calls[0]?.[0].twiml).toContain('<Say language="fr-CA">');
  });

  it('sends from notification.from instead of TWILIO_PHONE_NUMBER', async () => {
    const twilio = mockTwilio();
    const event = sampleEvent('action-custom-phone-provider', { ...SECRETS });
    (event.notification as Record<string, unknown>).from = '+15005550001';
    await customPhoneProviderAction(twilio.module).run(event);
    expect(twilio.messagesCreate.mock.calls[0]?.[0]).toMatchObject({ from: '+15005550001' });
  });

  it('uses Verify with the custom code for a one-time code', async () => {
    const twilio = mockTwilio();
    await customPhoneProviderAction(twilio.module).run(sampleEvent('action-custom-phone-provider', { ...SECRETS, TWILIO_VERIFY_SID: VERIFY_SID }));
    expect(twilio.verificationsCreate).toHaveBeenCalledWith({ to: RECIPIENT, channel: 'sms', customCode: ACTION_CODE, locale: 'en' });
  });

  it('sends a notification without a code by SMS even when Verify is configured', async () => {
    const twilio = mockTwilio();
    const outcome = await customPhoneProviderAction(twilio.module).run(sampleEvent('action-custom-phone-provider-blocked', { ...SECRETS, TWILIO_VERIFY_SID: VERIFY_SID }));
    expect(outcome.calls).toEqual([]);
    expect(twilio.verificationsCreate).not.toHaveBeenCalled();
    expect(twilio.messagesCreate).toHaveBeenCalledWith(expect.objectContaining({ body: expect.stringContaining('blocked') }));
  });

  it('drops a notification without a code when only Verify is configured, naming the secret to set', async () => {
    const twilio = mockTwilio();
    const { TWILIO_PHONE_NUMBER: _unused, ...secrets } = SECRETS;
    const outcome = await customPhoneProviderAction(twilio.module).run(sampleEvent('action-custom-phone-provider-blocked', { ...secrets, TWILIO_VERIFY_SID: VERIFY_SID }));
    expect(outcome.calls).toEqual([
      { method: 'drop', reason: expect.stringMatching(/^TWILIO_PHONE_NUMBER is not set: this blocked-account message carries no one-time code/) },
    ]);
    expect(twilio.requestCount()).toBe(0);
  });

  it.each([
    ['429', () => twilioRestError(429, 20429, 'Too Many Requests'), 'retry'],
    ['503', () => twilioRestError(503, 20503, 'Service Unavailable'), 'retry'],
    ['a gateway page', () => twilioRestError(502, undefined, '', { body: 'html' }), 'retry'],
    ['a reset connection', () => networkError('ECONNRESET'), 'retry'],
    ['20003', () => twilioRestError(401, 20003, 'Authenticate'), 'drop'],
    ['21211', () => twilioRestError(400, 21211, `The 'To' number ${RECIPIENT} is not a valid phone number.`), 'drop'],
    ['21610', () => twilioRestError(400, 21610, 'Attempt to send to unsubscribed recipient'), 'drop'],
    ['21614', () => twilioRestError(400, 21614, `To number: ${RECIPIENT}, is not a mobile number`), 'drop'],
    ['another 4xx', () => twilioRestError(400, 21617, 'Body too long'), 'drop'],
  ])('answers %s with exactly one %s, its reason scrubbed', async (_case, failure, method) => {
    jest.useFakeTimers();
    try {
      const twilio = mockTwilio();
      twilio.messagesCreate.mockRejectedValue(failure());
      const running = customPhoneProviderAction(twilio.module, { globals: { setTimeout, clearTimeout, Date } }).run(sampleEvent('action-custom-phone-provider', { ...SECRETS }));
      await jest.advanceTimersByTimeAsync(10_000);
      const outcome = await running;
      expect(outcome.returned).toBeUndefined();
      expect(outcome.calls).toEqual([{ method, reason: expect.any(String) }]);
      expect(outcome.calls[0]?.reason.length).toBeLessThanOrEqual(1024);
      expectNoSecrets(outcome.calls, SECRET_VALUES);
      expectNumbersMasked(outcome.calls, [RECIPIENT]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('drops a notification with an unknown delivery method, even one named like an object property', async () => {
    const twilio = mockTwilio();
    const event = sampleEvent('action-custom-phone-provider', { ...SECRETS });
    (event.notification as Record<string, unknown>).delivery_method = 'constructor';
    const outcome = await customPhoneProviderAction(twilio.module).run(event);
    expect(outcome.calls).toEqual([{ method: 'drop', reason: 'notification.delivery_method must be "text" or "voice" (a text message or a call).' }]);
    expect(twilio.requestCount()).toBe(0);
  });

  it('returns normally, logging once, when api.notification itself throws', async () => {
    const twilio = mockTwilio();
    twilio.messagesCreate.mockRejectedValue(twilioRestError(400, 21211, 'Invalid To'));
    const action = customPhoneProviderAction(twilio.module);
    const broken = { notification: { retry: () => undefined, drop: () => { throw new Error('api gone'); } } };
    await expect(action.run(sampleEvent('action-custom-phone-provider', { ...SECRETS }), broken)).resolves.toMatchObject({ returned: undefined });
    expect(action.logs).toEqual([
      expect.stringMatching(/^twilio-phone-message: failed sms to \+1555\*\*\*5310 code=21211/),
      'twilio-phone-message: api.notification.drop threw an exception (Error).',
    ]);
  });
});

describe.each(['twilio', 'twilio-v6'])('the action bundles with the real %s and a scripted wire', (twilioPackage) => {
  it('send the Verify request twilio builds for a Custom Phone Provider one-time code', async () => {
    const twilio = scriptedTwilio(twilioPackage, (request) => createdAnswer(request.uri));
    const outcome = await customPhoneProviderAction(twilio.module).run(sampleEvent('action-custom-phone-provider-voice', { ...SECRETS, TWILIO_VERIFY_SID: VERIFY_SID }));
    expect(outcome.calls).toEqual([]);
    expect(twilio.requests[0]).toMatchObject({
      uri: `https://verify.twilio.com/v2/Services/${VERIFY_SID}/Verifications`,
      form: { To: FRENCH_RECIPIENT, Channel: 'call', CustomCode: VOICE_CODE, Locale: 'fr' },
    });
  });

  it('send the SMS twilio builds for the Send Phone Message action', async () => {
    const twilio = scriptedTwilio(twilioPackage, (request) => createdAnswer(request.uri));
    await sendPhoneMessageAction(twilio.module).run(sampleEvent('action-send-phone-message', { ...SECRETS }));
    expect(twilio.requests[0]?.form).toMatchObject({ To: RECIPIENT, Body: `Your Acme verification code is ${ACTION_CODE}` });
  });
});
