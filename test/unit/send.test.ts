import { TwilioDeliveryError } from '../../src/core/errors';
import type { PhoneMessageInput } from '../../src/core/message';
import { retryDelayMs, MAX_ATTEMPTS, MAX_RETRY_DELAY_MS } from '../../src/core/retry';
import { SEND_DEADLINE_MS, sendPhoneMessage } from '../../src/core/send';
import {
  expectNoSecrets,
  MESSAGING_SERVICE_SID,
  mockTwilio,
  networkError,
  SECRETS,
  twilioRestError,
  VERIFY_SID,
} from '../helpers/mock-twilio';

const CODE = '482913';

function message(overrides: Partial<PhoneMessageInput> = {}): PhoneMessageInput {
  return {
    recipient: '+1 (555) 010-5310',
    text: `Your verification code is ${CODE}`,
    code: CODE,
    messageType: 'sms',
    action: 'second-factor-authentication',
    language: 'en',
    from: undefined,
    verifiable: true,
    client: { id: 'client-1', name: 'Test App', metadata: {} },
    user: {},
    ...overrides,
  };
}

function setup(secrets: Record<string, unknown> = SECRETS) {
  const twilio = mockTwilio();
  const logs: string[] = [];
  const send = (input: PhoneMessageInput = message()) =>
    sendPhoneMessage(secrets, input, { twilio: () => twilio.module, log: (line) => logs.push(line), random: () => 0.5 });
  return { ...twilio, logs, send };
}

describe('sendPhoneMessage dispatch', () => {
  it('sends SMS from TWILIO_PHONE_NUMBER with the text Auth0 rendered', async () => {
    const { send, messagesCreate } = setup();
    const delivery = await send();
    expect(messagesCreate).toHaveBeenCalledWith({
      to: '+15550105310',
      body: `Your verification code is ${CODE}`,
      from: SECRETS.TWILIO_PHONE_NUMBER,
    });
    expect(delivery).toMatchObject({ api: 'messaging', channel: 'sms', sid: 'SM00000000000000000000000000000001', attempts: 1 });
  });

  it('sends SMS through the Messaging Service when TWILIO_MESSAGING_SERVICE_SID is set', async () => {
    const { send, messagesCreate } = setup({ ...SECRETS, TWILIO_MESSAGING_SERVICE_SID: MESSAGING_SERVICE_SID });
    await send();
    expect(messagesCreate).toHaveBeenCalledWith({
      to: '+15550105310',
      body: `Your verification code is ${CODE}`,
      messagingServiceSid: MESSAGING_SERVICE_SID,
    });
  });

  it('uses a Messaging Service alone, without a phone number, for SMS', async () => {
    const { TWILIO_PHONE_NUMBER: _unused, ...secrets } = SECRETS;
    const { send, messagesCreate } = setup({ ...secrets, TWILIO_MESSAGING_SERVICE_SID: MESSAGING_SERVICE_SID });
    await send();
    expect(messagesCreate.mock.calls[0]?.[0]).toHaveProperty('messagingServiceSid', MESSAGING_SERVICE_SID);
  });

  it('sends from the sender Auth0 chose when the message names one', async () => {
    const { send, messagesCreate } = setup({ ...SECRETS, TWILIO_MESSAGING_SERVICE_SID: MESSAGING_SERVICE_SID });
    await send(message({ from: '+1 500 555 0001' }));
    expect(messagesCreate.mock.calls[0]?.[0]).toEqual({ to: '+15550105310', body: expect.any(String), from: '+15005550001' });
  });

  it('places a voice call that speaks the code digit by digit, twice', async () => {
    const { send, callsCreate, messagesCreate } = setup();
    const delivery = await send(message({ messageType: 'voice', language: 'es' }));
    expect(messagesCreate).not.toHaveBeenCalled();
    const params = callsCreate.mock.calls[0]?.[0];
    expect(params).toMatchObject({ to: '+15550105310', from: SECRETS.TWILIO_PHONE_NUMBER });
    expect(params?.twiml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response>' +
        '<Say language="es-ES">Your verification code is 4, 8, 2, 9, 1, 3</Say><Pause length="1"/>' +
        '<Say language="es-ES">Your verification code is 4, 8, 2, 9, 1, 3</Say></Response>',
    );
    expect(delivery).toMatchObject({ api: 'voice', channel: 'voice', sid: 'CA00000000000000000000000000000001' });
  });

  it('starts a Verify SMS verification with Auth0 code as the custom code when TWILIO_VERIFY_SID is set', async () => {
    const { send, verificationsCreate, services, messagesCreate } = setup({ ...SECRETS, TWILIO_VERIFY_SID: VERIFY_SID });
    const delivery = await send(message({ language: 'fr' }));
    expect(services).toHaveBeenCalledWith(VERIFY_SID);
    expect(verificationsCreate).toHaveBeenCalledWith({ to: '+15550105310', channel: 'sms', customCode: CODE, locale: 'fr' });
    expect(messagesCreate).not.toHaveBeenCalled();
    expect(delivery).toMatchObject({ api: 'verify', channel: 'sms' });
  });

  it('asks Verify for a call for a voice message and leaves out a locale Verify does not know', async () => {
    const { send, verificationsCreate } = setup({ ...SECRETS, TWILIO_VERIFY_SID: VERIFY_SID });
    await send(message({ messageType: 'voice', language: 'kl' }));
    expect(verificationsCreate).toHaveBeenCalledWith({ to: '+15550105310', channel: 'call', customCode: CODE });
  });

  it('does not use Verify for a message that carries no code to verify', async () => {
    const { send, verificationsCreate, messagesCreate } = setup({ ...SECRETS, TWILIO_VERIFY_SID: VERIFY_SID });
    await send(message({ verifiable: false, code: undefined, text: 'Your account was blocked.' }));
    expect(verificationsCreate).not.toHaveBeenCalled();
    expect(messagesCreate).toHaveBeenCalledWith(expect.objectContaining({ body: 'Your account was blocked.' }));
  });

  it('builds one client per set of credentials and reuses it, with keep-alive', async () => {
    const { send, factory } = setup();
    await send();
    await send();
    expect(factory).toHaveBeenCalledTimes(1);
    expect(factory).toHaveBeenCalledWith(SECRETS.TWILIO_ACCOUNT_SID, SECRETS.TWILIO_AUTH_TOKEN, {
      keepAlive: true,
      timeout: SEND_DEADLINE_MS,
      autoRetry: false,
    });
  });

  it('builds a new client when the auth token is rotated', async () => {
    const twilio = mockTwilio();
    const deps = { twilio: () => twilio.module, log: () => undefined };
    await sendPhoneMessage(SECRETS, message(), deps);
    await sendPhoneMessage({ ...SECRETS, TWILIO_AUTH_TOKEN: 'beefbeefbeefbeefbeefbeefbeefbeef' }, message(), deps);
    expect(twilio.factory).toHaveBeenCalledTimes(2);
  });

  it('passes the customized text on, as the customization module returns it', async () => {
    const twilio = mockTwilio();
    await sendPhoneMessage(SECRETS, message(), {
      twilio: () => twilio.module,
      log: () => undefined,
      customize: ({ code, client }) => `${client?.name}: ${code}`,
    });
    expect(twilio.messagesCreate).toHaveBeenCalledWith(expect.objectContaining({ body: `Test App: ${CODE}` }));
  });
});

describe('sendPhoneMessage refuses bad input before any request', () => {
  it.each([
    ['a missing account SID', { TWILIO_AUTH_TOKEN: SECRETS.TWILIO_AUTH_TOKEN }, message(), 'TWILIO_ACCOUNT_SID is not set'],
    ['a missing auth token', { TWILIO_ACCOUNT_SID: SECRETS.TWILIO_ACCOUNT_SID }, message(), 'TWILIO_AUTH_TOKEN is not set'],
    [
      'no sender for SMS',
      { TWILIO_ACCOUNT_SID: SECRETS.TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN: SECRETS.TWILIO_AUTH_TOKEN },
      message(),
      'TWILIO_PHONE_NUMBER is not set',
    ],
    [
      'no number to call from',
      { ...SECRETS, TWILIO_PHONE_NUMBER: undefined, TWILIO_MESSAGING_SERVICE_SID: MESSAGING_SERVICE_SID },
      message({ messageType: 'voice' }),
      'TWILIO_PHONE_NUMBER is not set',
    ],
    ['a malformed recipient', SECRETS, message({ recipient: '555-CALL-NOW' }), 'characters other than digits'],
    ['a recipient without country code', SECRETS, message({ recipient: '0612345678' }), 'starts with 0'],
    ['an unknown message type', SECRETS, message({ messageType: 'fax' }), 'must be "sms" or "voice"'],
    ['a text that is not a string', SECRETS, message({ text: 42 }), 'not a string'],
    ['an empty text', SECRETS, message({ text: ' \n' }), 'The message text from Auth0 is empty'],
    ['Verify without a code', { ...SECRETS, TWILIO_VERIFY_SID: VERIFY_SID }, message({ code: undefined }), 'no one-time code'],
  ])('refuses %s', async (_case, secrets, input, reason) => {
    const { send, requestCount, logs } = setup(secrets);
    await expect(send(input)).rejects.toThrow(reason);
    expect(requestCount()).toBe(0);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toContain(reason);
  });

  it('refuses a customization that drops the code', async () => {
    const twilio = mockTwilio();
    const sending = sendPhoneMessage(SECRETS, message(), {
      twilio: () => twilio.module,
      log: () => undefined,
      customize: () => 'Welcome back!',
    });
    await expect(sending).rejects.toThrow('without the one-time code');
    expect(twilio.requestCount()).toBe(0);
  });

  it('reports a customization that throws without repeating what it threw', async () => {
    const twilio = mockTwilio();
    const sending = sendPhoneMessage(SECRETS, message(), {
      twilio: () => twilio.module,
      log: () => undefined,
      customize: () => {
        throw new TypeError(`cannot read ${CODE}`);
      },
    });
    await expect(sending).rejects.toThrow('customizeMessage() in src/customize.ts threw a TypeError');
    await sending.catch((error: Error) => expect(error.message).not.toContain(CODE));
  });
});

describe('sendPhoneMessage maps Twilio errors', () => {
  it.each([
    [20003, 401, 'check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN'],
    [21211, 400, 'recipient number invalid'],
    [21408, 400, 'Geo permissions'],
    [21608, 400, 'trial account'],
    [21610, 400, 'replied STOP'],
    [21614, 400, 'cannot receive SMS'],
    [60200, 400, 'Verify rejected a parameter'],
    [60203, 429, 'limit of send attempts'],
    [60204, 400, 'custom verification codes'],
    [60410, 403, 'Fraud Guard'],
  ])('keeps code %i and adds a hint', async (code, status, hint) => {
    const { send, messagesCreate } = setup();
    messagesCreate.mockRejectedValue(twilioRestError(status, code, `Twilio says ${code}`));
    const error = await send().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TwilioDeliveryError);
    expect(error).toMatchObject({ twilioCode: code, httpStatus: status });
    expect((error as Error).message).toContain(`error ${code} (HTTP ${status})`);
    expect((error as Error).message).toContain(hint);
    expect((error as Error).message).toContain(`https://www.twilio.com/docs/errors/${code}`);
  });

  it('does not retry an error that cannot heal', async () => {
    const { send, messagesCreate } = setup();
    messagesCreate.mockRejectedValue(twilioRestError(400, 21211, 'Invalid To'));
    await expect(send()).rejects.toMatchObject({ transient: false });
    expect(messagesCreate).toHaveBeenCalledTimes(1);
  });

  it('does not retry 60203, although Twilio answers it with 429', async () => {
    const { send, messagesCreate } = setup();
    messagesCreate.mockRejectedValue(twilioRestError(429, 60203, 'Max send attempts reached'));
    await expect(send()).rejects.toMatchObject({ transient: false, twilioCode: 60203 });
    expect(messagesCreate).toHaveBeenCalledTimes(1);
  });

  it('turns a synchronous throw of the library into a rejection', async () => {
    const { send, messagesCreate } = setup();
    messagesCreate.mockImplementation(() => {
      throw new Error('Required parameter "params.to" missing.');
    });
    await expect(send()).rejects.toThrow("The twilio library failed with Error after 1 attempt: Required parameter");
  });

  it('scrubs the auth token and the code from what Twilio said', async () => {
    const { send, messagesCreate, logs } = setup();
    messagesCreate.mockRejectedValue(
      twilioRestError(400, 21211, `Bad To with ${CODE} and ${SECRETS.TWILIO_AUTH_TOKEN}`),
    );
    const error = await send().catch((caught: unknown) => caught);
    expect((error as Error).message).toContain('Bad To with [redacted] and [redacted]');
    expectNoSecrets(error, [CODE, SECRETS.TWILIO_AUTH_TOKEN]);
    expectNoSecrets(logs.join('\n'), [CODE, SECRETS.TWILIO_AUTH_TOKEN]);
  });

  it('says when Twilio host name does not resolve, without retrying', async () => {
    const { send, messagesCreate } = setup();
    messagesCreate.mockRejectedValue(networkError('ENOTFOUND'));
    await expect(send()).rejects.toThrow("Could not resolve Twilio's host name (ENOTFOUND) after 1 attempt");
    expect(messagesCreate).toHaveBeenCalledTimes(1);
  });

  it('never copies the library error, which carries the Authorization header', async () => {
    const { send, messagesCreate } = setup();
    messagesCreate.mockRejectedValue(networkError('ENOTFOUND'));
    const error = await send().catch((caught: unknown) => caught);
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain('Basic');
  });
});

describe('sendPhoneMessage logs one line per outcome', () => {
  it('logs a success with the number masked and no code', async () => {
    const { send, logs } = setup();
    await send();
    expect(logs).toEqual([
      expect.stringMatching(/^twilio-phone-message: sms to \+1555\*\*\*5310 sent via messaging \(SM0+1\) in \d+ ms, 1 attempt$/),
    ]);
    expectNoSecrets(logs.join('\n'), [CODE, SECRETS.TWILIO_AUTH_TOKEN, '+15550105310']);
  });

  it('logs a failure with the error and the masked number', async () => {
    const { send, logs, messagesCreate } = setup();
    messagesCreate.mockRejectedValue(twilioRestError(400, 21610, 'Attempt to send to unsubscribed recipient'));
    await send().catch(() => undefined);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/sms to \+1555\*\*\*5310 failed after \d+ ms: TwilioDeliveryError: Twilio answered error 21610/);
  });
});

describe('sendPhoneMessage retries within one deadline', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('retries a 429 and succeeds', async () => {
    const { send, messagesCreate } = setup();
    messagesCreate.mockRejectedValueOnce(twilioRestError(429, 20429, 'Too Many Requests'));
    const sending = send();
    await jest.advanceTimersByTimeAsync(retryDelayMs(1, () => 0.5));
    await expect(sending).resolves.toMatchObject({ attempts: 2 });
    expect(messagesCreate).toHaveBeenCalledTimes(2);
  });

  it.each(['ECONNRESET', 'ETIMEDOUT', 'ECONNREFUSED', 'EAI_AGAIN'])('retries a %s connection failure', async (code) => {
    const { send, messagesCreate } = setup();
    messagesCreate.mockRejectedValueOnce(networkError(code));
    const sending = send();
    await jest.advanceTimersByTimeAsync(MAX_RETRY_DELAY_MS);
    await expect(sending).resolves.toMatchObject({ attempts: 2 });
  });

  it(`gives up after ${MAX_ATTEMPTS} attempts with the last error, still transient`, async () => {
    const { send, messagesCreate } = setup();
    messagesCreate.mockRejectedValue(twilioRestError(503, 20503, 'Service Unavailable'));
    const sending = send().catch((caught: unknown) => caught);
    await jest.advanceTimersByTimeAsync(SEND_DEADLINE_MS);
    const error = await sending;
    expect(messagesCreate).toHaveBeenCalledTimes(MAX_ATTEMPTS);
    expect(error).toMatchObject({ transient: true, httpStatus: 503 });
    expect((error as Error).message).toContain(`after ${MAX_ATTEMPTS} attempts`);
  });

  it('answers at the deadline when Twilio never answers', async () => {
    const { send, messagesCreate } = setup();
    messagesCreate.mockReturnValue(new Promise(() => undefined));
    let settled: unknown;
    void send().then(
      () => (settled = 'resolved'),
      (error: unknown) => (settled = error),
    );
    await jest.advanceTimersByTimeAsync(SEND_DEADLINE_MS - 1);
    expect(settled).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    expect(settled).toMatchObject({ name: 'DeadlineExceededError', transient: true });
    expect((settled as Error).message).toContain(`within ${SEND_DEADLINE_MS} ms`);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('stops retrying when the wait would leave no time for another attempt', async () => {
    const { send, messagesCreate } = setup();
    messagesCreate.mockImplementationOnce(
      () => new Promise((_resolve, reject) => setTimeout(() => reject(twilioRestError(429, 20429, 'slow')), SEND_DEADLINE_MS - 500)),
    );
    const sending = send().catch((caught: unknown) => caught);
    await jest.advanceTimersByTimeAsync(SEND_DEADLINE_MS);
    expect(await sending).toMatchObject({ httpStatus: 429 });
    expect(messagesCreate).toHaveBeenCalledTimes(1);
  });

  it('leaves no timer behind after a success', async () => {
    const { send } = setup();
    await send();
    expect(jest.getTimerCount()).toBe(0);
  });
});

