import { mockTwilio, networkError, SECRETS, twilioRestError, VERIFY_SID, expectNoSecrets } from '../helpers/mock-twilio';
import { actionBundle, customPhoneProviderAction, sampleEvent, sendPhoneMessageAction } from '../helpers/action-bundles';
import { createdAnswer, recordingTwilio } from '../helpers/recording-twilio';
import { runtimeRequire } from '../helpers/hook-bundle';
import { loadAction } from '../../tools/runtime/action-runtime';

const SECRET_VALUES = [SECRETS.TWILIO_AUTH_TOKEN, '730164'];

describe('the action bundles', () => {
  it.each([
    ['send-phone-message', 'onExecuteSendPhoneMessage'],
    ['custom-phone-provider', 'onExecuteCustomPhoneProvider'],
  ] as const)('%s exports %s and requires only twilio', (name, exportName) => {
    const bundle = actionBundle(name);
    const exported = loadAction(bundle, { require: runtimeRequire(mockTwilio().module) });
    expect(Object.keys(exported)).toEqual([exportName]);
    expect(typeof exported[exportName]).toBe('function');
    const required = [...bundle.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((match) => match[1]);
    expect(new Set(required)).toEqual(new Set(['twilio']));
  });
});

describe('the Send Phone Message action, with a mocked client', () => {
  it('sends the SMS Auth0 asked for, in the language of the request', async () => {
    const twilio = mockTwilio();
    const action = sendPhoneMessageAction(twilio.module);
    await expect(action.run(sampleEvent('action-send-phone-message', { ...SECRETS }))).resolves.toBeUndefined();
    expect(twilio.messagesCreate).toHaveBeenCalledWith({
      to: '+15550105310',
      from: SECRETS.TWILIO_PHONE_NUMBER,
      body: 'Your Acme verification code is 730164',
    });
    expect(action.logs).toEqual([expect.stringContaining('sms to +1555***5310 sent via messaging')]);
  });

  it('calls for a voice message, speaking the code digit by digit in event.request.language', async () => {
    const twilio = mockTwilio();
    await sendPhoneMessageAction(twilio.module).run(sampleEvent('action-send-phone-message-voice', { ...SECRETS }));
    expect(twilio.callsCreate.mock.calls[0]?.[0].twiml).toContain('<Say language="en-GB">Your Acme enrollment code is 5, 5, 2, 8, 0, 7</Say>');
  });

  it('throws an Error that names the missing secret, and sends nothing', async () => {
    const twilio = mockTwilio();
    const { TWILIO_ACCOUNT_SID: _unused, ...secrets } = SECRETS;
    await expect(sendPhoneMessageAction(twilio.module).run(sampleEvent('action-send-phone-message', secrets))).rejects.toThrow(
      'TWILIO_ACCOUNT_SID is not set',
    );
    expect(twilio.requestCount()).toBe(0);
  });

  it('throws the Twilio error with its code and hint, without secrets', async () => {
    const twilio = mockTwilio();
    twilio.messagesCreate.mockRejectedValue(twilioRestError(400, 21614, "'To' number is not a valid mobile number"));
    const error = await sendPhoneMessageAction(twilio.module)
      .run(sampleEvent('action-send-phone-message', { ...SECRETS }))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain('error 21614');
    expect((error as Error).message).toContain('cannot receive SMS');
    expectNoSecrets(error, SECRET_VALUES);
  });
});

describe('the Custom Phone Provider action, with a mocked client', () => {
  it('delivers as_text by SMS and calls neither retry nor drop', async () => {
    const twilio = mockTwilio();
    const outcome = await customPhoneProviderAction(twilio.module).run(sampleEvent('action-custom-phone-provider', { ...SECRETS }));
    expect(outcome.calls).toEqual([]);
    expect(twilio.messagesCreate).toHaveBeenCalledWith(expect.objectContaining({ body: 'Your Acme verification code is 730164' }));
  });

  it('speaks as_voice for the voice delivery method', async () => {
    const twilio = mockTwilio();
    await customPhoneProviderAction(twilio.module).run(sampleEvent('action-custom-phone-provider-voice', { ...SECRETS }));
    expect(twilio.callsCreate.mock.calls[0]?.[0].twiml).toContain('<Say language="fr-FR">Votre code Acme est 9, 1, 8, 2, 7, 3</Say>');
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
    expect(twilio.verificationsCreate).toHaveBeenCalledWith({ to: '+15550105310', channel: 'sms', customCode: '730164', locale: 'en' });
  });

  it('sends a notification without a code by SMS even when Verify is configured', async () => {
    const twilio = mockTwilio();
    const outcome = await customPhoneProviderAction(twilio.module).run(
      sampleEvent('action-custom-phone-provider-blocked', { ...SECRETS, TWILIO_VERIFY_SID: VERIFY_SID }),
    );
    expect(outcome.calls).toEqual([]);
    expect(twilio.verificationsCreate).not.toHaveBeenCalled();
    expect(twilio.messagesCreate).toHaveBeenCalledWith(expect.objectContaining({ body: expect.stringContaining('blocked') }));
  });

  it('drops a notification without a code when only Verify is configured, naming the secret to set', async () => {
    const twilio = mockTwilio();
    const { TWILIO_PHONE_NUMBER: _unused, ...secrets } = SECRETS;
    const outcome = await customPhoneProviderAction(twilio.module).run(
      sampleEvent('action-custom-phone-provider-blocked', { ...secrets, TWILIO_VERIFY_SID: VERIFY_SID }),
    );
    expect(outcome.calls).toEqual([
      { method: 'drop', reason: expect.stringMatching(/^TWILIO_PHONE_NUMBER is not set: a blocked_account message carries no one-time code/) },
    ]);
    expect(twilio.requestCount()).toBe(0);
  });

  it.each([
    ['429', () => twilioRestError(429, 20429, 'Too Many Requests'), 'retry'],
    ['503', () => twilioRestError(503, 20503, 'Service Unavailable'), 'retry'],
    ['a reset connection', () => networkError('ECONNRESET'), 'retry'],
    ['20003', () => twilioRestError(401, 20003, 'Authenticate'), 'drop'],
    ['21211', () => twilioRestError(400, 21211, 'Invalid To'), 'drop'],
    ['21610', () => twilioRestError(400, 21610, 'Unsubscribed'), 'drop'],
    ['21614', () => twilioRestError(400, 21614, 'Not a mobile'), 'drop'],
    ['another 4xx', () => twilioRestError(400, 21617, 'Body too long'), 'drop'],
  ])('answers %s with exactly one %s', async (_case, failure, method) => {
    const twilio = mockTwilio();
    twilio.messagesCreate.mockRejectedValue(failure());
    const outcome = await customPhoneProviderAction(twilio.module).run(sampleEvent('action-custom-phone-provider', { ...SECRETS }));
    expect(outcome.returned).toBeUndefined();
    expect(outcome.calls).toEqual([{ method, reason: expect.any(String) }]);
    expect(outcome.calls[0]?.reason.length).toBeLessThanOrEqual(1024);
    expectNoSecrets(outcome.calls, SECRET_VALUES);
  }, 15_000);

  it('drops a notification with an unknown delivery method, even one named like an object property', async () => {
    const twilio = mockTwilio();
    const event = sampleEvent('action-custom-phone-provider', { ...SECRETS });
    (event.notification as Record<string, unknown>).delivery_method = 'constructor';
    const outcome = await customPhoneProviderAction(twilio.module).run(event);
    expect(outcome.calls).toEqual([{ method: 'drop', reason: 'The message type must be "sms" or "voice".' }]);
    expect(twilio.requestCount()).toBe(0);
  });

  it('drops an invalid recipient before calling Twilio', async () => {
    const twilio = mockTwilio();
    const event = sampleEvent('action-custom-phone-provider', { ...SECRETS });
    (event.notification as Record<string, unknown>).recipient = 'not a number';
    const outcome = await customPhoneProviderAction(twilio.module).run(event);
    expect(outcome.calls).toEqual([{ method: 'drop', reason: expect.stringContaining('characters other than digits') }]);
    expect(twilio.requestCount()).toBe(0);
  });
});

describe.each(['twilio', 'twilio-v6'])('the action bundles with the real %s and a recording transport', (twilioPackage) => {
  it('send the Verify request twilio builds for a Custom Phone Provider one-time code', async () => {
    const twilio = recordingTwilio(twilioPackage, (request) => createdAnswer(request.uri));
    const outcome = await customPhoneProviderAction(twilio.module).run(
      sampleEvent('action-custom-phone-provider-voice', { ...SECRETS, TWILIO_VERIFY_SID: VERIFY_SID }),
    );
    expect(outcome.calls).toEqual([]);
    expect(twilio.requests[0]).toMatchObject({
      uri: `https://verify.twilio.com/v2/Services/${VERIFY_SID}/Verifications`,
      data: { To: '+33612345678', Channel: 'call', CustomCode: '918273', Locale: 'fr' },
    });
  });

  it('send the SMS twilio builds for the Send Phone Message action', async () => {
    const twilio = recordingTwilio(twilioPackage, (request) => createdAnswer(request.uri));
    await sendPhoneMessageAction(twilio.module).run(sampleEvent('action-send-phone-message', { ...SECRETS }));
    expect(twilio.requests[0]?.data).toMatchObject({ To: '+15550105310', Body: 'Your Acme verification code is 730164' });
  });
});
