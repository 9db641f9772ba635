import { CODE_VALIDITY_PERIOD_S } from '../../src/core/channels/messaging';
import type { MessageContext } from '../../src/core/customization';
import { FRIENDLY_MESSAGES, TwilioDeliveryError } from '../../src/core/errors';
import { MAX_LOG_LINE_LENGTH } from '../../src/core/log-line';
import type { PhoneMessageInput } from '../../src/core/message';
import { MAX_ATTEMPTS, MIN_ATTEMPT_TIME_MS, retryDelayMs } from '../../src/core/retry';
import { SEND_DEADLINE_MS, sendPhoneMessage, type SenderDependencies } from '../../src/core/send';
import { ATTEMPT_TIMEOUT_MS, AttemptTimeoutError, type AttemptLimits } from '../../src/core/transport';
import { API_KEY, CODE, MESSAGING_SERVICE_SID, RECIPIENT, SECRETS, VERIFY_SID } from '../fixtures/values';
import { mockTwilio, networkError, twilioRestError } from '../helpers/mock-twilio';
import { expectNoSecrets, expectNumbersMasked } from '../helpers/no-secrets';
import { PHONE_NUMBER_METADATA } from '../../src/core/number-metadata';
import { CUSTOM_PHONE_PROVIDER_FIELDS, SEND_PHONE_MESSAGE_FIELDS } from '../../src/auth0/vocabulary';
import { emptyContainerState } from '../../src/core/container';
import { whatsappMemory } from '../../src/core/whatsapp-memory';

function message(overrides: Partial<PhoneMessageInput> = {}): PhoneMessageInput {
  return {
    recipient: '+1 (555) 010-5310',
    text: `Your verification code is ${CODE}`,
    code: CODE,
    channel: 'sms',
    fields: SEND_PHONE_MESSAGE_FIELDS,
    purpose: 'verification',
    auth0: { trigger: 'send-phone-message', messageType: 'second-factor-authentication' },
    language: 'en',
    from: undefined,
    client: { id: 'client-1', name: 'Test App', metadata: {} },
    user: {},
    ...overrides,
  };
}

function setup(secrets: Record<string, unknown> = SECRETS, overrides: Partial<SenderDependencies> = {}) {
  const twilio = mockTwilio();
  const logs: string[] = [];
  const limits: AttemptLimits[] = [];
  const httpClient = { request: jest.fn() };
  const preconnect = jest.fn((_origin: string): Promise<void> | void => undefined);
  const dependencies: SenderDependencies = {
    twilio: () => twilio.module,
    phoneNumberLibrary: () => require(PHONE_NUMBER_METADATA),
    log: (line) => logs.push(line),
    customize: (context) => context.text,
    transport: {
      forAttempt: (attemptLimits) => {
        limits.push(attemptLimits);
        return httpClient;
      },
      preconnect,
    },
    random: () => 0.5,
    ...overrides,
  };
  const send = (input: PhoneMessageInput = message()) => sendPhoneMessage(() => ({ secrets, message: input }), dependencies);
  const failure = (input?: PhoneMessageInput) => send(input).then(
    () => {
      throw new Error('expected the send to fail');
    },
    (error: unknown) => error as TwilioDeliveryError,
  );
  return { ...twilio, logs, limits, httpClient, preconnect, send, failure };
}

describe('sendPhoneMessage delivers', () => {
  it('an SMS from TWILIO_PHONE_NUMBER with the text Auth0 rendered', async () => {
    const { send, messagesCreate } = setup();
    const delivery = await send();
    expect(messagesCreate).toHaveBeenCalledWith({ to: RECIPIENT, body: `Your verification code is ${CODE}`, from: SECRETS.TWILIO_PHONE_NUMBER, validityPeriod: CODE_VALIDITY_PERIOD_S });
    expect(delivery).toMatchObject({ api: 'messaging', channel: 'sms', sid: 'SM00000000000000000000000000000001', attempts: 1 });
  });

  it('an SMS through the Messaging Service when TWILIO_MESSAGING_SERVICE_SID is set, even beside a phone number', async () => {
    const { send, messagesCreate } = setup({ ...SECRETS, TWILIO_MESSAGING_SERVICE_SID: MESSAGING_SERVICE_SID });
    await send();
    expect(messagesCreate).toHaveBeenCalledWith({ to: RECIPIENT, body: `Your verification code is ${CODE}`, messagingServiceSid: MESSAGING_SERVICE_SID, validityPeriod: CODE_VALIDITY_PERIOD_S });
  });

  it('from the sender Auth0 chose when the notification names one', async () => {
    const { send, messagesCreate } = setup({ ...SECRETS, TWILIO_MESSAGING_SERVICE_SID: MESSAGING_SERVICE_SID });
    await send(message({ from: '+1 500 555 0001', channel: 'text', fields: CUSTOM_PHONE_PROVIDER_FIELDS }));
    expect(messagesCreate.mock.calls[0]?.[0]).toEqual({ to: RECIPIENT, body: expect.any(String), from: '+15005550001', validityPeriod: CODE_VALIDITY_PERIOD_S });
  });

  it('a voice call that speaks the code digit by digit, twice', async () => {
    const { send, callsCreate, messagesCreate } = setup();
    const delivery = await send(message({ channel: 'voice', language: 'es' }));
    expect(messagesCreate).not.toHaveBeenCalled();
    expect(callsCreate.mock.calls[0]?.[0]).toEqual({
      to: RECIPIENT,
      from: SECRETS.TWILIO_PHONE_NUMBER,
      timeout: 30,
      twiml:
        '<?xml version="1.0" encoding="UTF-8"?><Response>' +
        '<Say language="es-ES">Your verification code is 4, 8, 2, 9, 1, 3</Say><Pause length="1"/>' +
        '<Say language="es-ES">Your verification code is 4, 8, 2, 9, 1, 3</Say></Response>',
    });
    expect(delivery).toMatchObject({ api: 'voice', channel: 'voice', sid: 'CA00000000000000000000000000000001' });
  });

  it('a Verify SMS with Auth0 code as the custom code when TWILIO_VERIFY_SID is set', async () => {
    const { send, verificationsCreate, services, messagesCreate } = setup({ ...SECRETS, TWILIO_VERIFY_SID: VERIFY_SID });
    const delivery = await send(message({ language: 'fr_CA' }));
    expect(services).toHaveBeenCalledWith(VERIFY_SID);
    expect(verificationsCreate).toHaveBeenCalledWith({ to: RECIPIENT, channel: 'sms', customCode: CODE, locale: 'fr' });
    expect(messagesCreate).not.toHaveBeenCalled();
    expect(delivery).toMatchObject({ api: 'verify', channel: 'sms' });
  });

  it('a Verify call for a voice message, without a locale Verify does not know', async () => {
    const { send, verificationsCreate } = setup({ ...SECRETS, TWILIO_VERIFY_SID: VERIFY_SID });
    await send(message({ channel: 'voice', language: 'kl' }));
    // No locale key at all: twilio would send an empty Locale, which Verify refuses.
    expect(verificationsCreate.mock.calls[0]?.[0]).toStrictEqual({ to: RECIPIENT, channel: 'call', customCode: CODE });
  });

  it('a notice that happens to carry a code through Programmable Messaging, not Verify', async () => {
    const { send, verificationsCreate, messagesCreate } = setup({ ...SECRETS, TWILIO_VERIFY_SID: VERIFY_SID });
    await send(message({ purpose: 'blocked-account', text: `Blocked; reference ${CODE}` }));
    expect(verificationsCreate).not.toHaveBeenCalled();
    expect(messagesCreate).toHaveBeenCalledTimes(1);
  });

  it('takes a code that is not text for no code', async () => {
    const { send, verificationsCreate, messagesCreate } = setup({ ...SECRETS, TWILIO_VERIFY_SID: VERIFY_SID });
    await send(message({ code: Number(CODE) }));
    expect(verificationsCreate).not.toHaveBeenCalled();
    expect(messagesCreate).toHaveBeenCalledTimes(1);
  });

  it('a notice (no code) through Programmable Messaging even when Verify is configured', async () => {
    const { send, verificationsCreate, messagesCreate } = setup({ ...SECRETS, TWILIO_VERIFY_SID: VERIFY_SID });
    await send(message({ purpose: 'blocked-account', code: undefined, text: 'Your account was blocked.' }));
    expect(verificationsCreate).not.toHaveBeenCalled();
    expect(messagesCreate).toHaveBeenCalledWith(expect.objectContaining({ body: 'Your account was blocked.' }));
  });

  it('with a client per attempt, authenticated by the auth token, on the transport of that attempt', async () => {
    const { send, factory, httpClient } = setup();
    await send();
    expect(factory.mock.calls).toHaveLength(1);
    const [username, password, options] = factory.mock.calls[0] ?? [];
    expect([username, password]).toEqual([SECRETS.TWILIO_ACCOUNT_SID, SECRETS.TWILIO_AUTH_TOKEN]);
    // No region or edge key at all: twilio would read an undefined one as "use the environment's".
    expect(options).toStrictEqual({ accountSid: SECRETS.TWILIO_ACCOUNT_SID, httpClient });
  });

  it('authenticated by the API key, which wins over the auth token, for the account of TWILIO_ACCOUNT_SID', async () => {
    const { send, factory } = setup({ ...SECRETS, ...API_KEY });
    await send();
    expect(factory).toHaveBeenCalledWith(API_KEY.TWILIO_API_KEY, API_KEY.TWILIO_API_SECRET, expect.objectContaining({ accountSid: SECRETS.TWILIO_ACCOUNT_SID }));
  });

  it('to the region and edge of TWILIO_REGION and TWILIO_EDGE', async () => {
    const { send, factory } = setup({ ...SECRETS, TWILIO_REGION: 'IE1', TWILIO_EDGE: 'dublin' });
    await send();
    expect(factory.mock.calls[0]?.[2]).toMatchObject({ region: 'ie1', edge: 'dublin' });
  });

  it('the text the customization returns, given the context in one vocabulary beside the raw values', async () => {
    const contexts: MessageContext[] = [];
    const { send, messagesCreate } = setup(SECRETS, {
      customize: (context) => {
        contexts.push(context);
        return `${context.client?.name}: ${context.code}`;
      },
    });
    await send(message({ purpose: 'enrollment', auth0: { trigger: 'custom-phone-provider', messageType: 'otp_enroll' }, language: 'de' }));
    expect(messagesCreate).toHaveBeenCalledWith(expect.objectContaining({ body: `Test App: ${CODE}` }));
    expect(contexts).toEqual([
      {
        purpose: 'enrollment',
        text: `Your verification code is ${CODE}`,
        code: CODE,
        channel: 'sms',
        language: 'de',
        client: { id: 'client-1', name: 'Test App', metadata: {} },
        user: {},
        auth0: { trigger: 'custom-phone-provider', messageType: 'otp_enroll' },
      },
    ]);
  });
});

describe('sendPhoneMessage connects ahead', () => {
  it('loads the library only once the connection ahead is under way (its promise settled)', async () => {
    const order: string[] = [];
    const library = mockTwilio();
    let connected: () => void = () => undefined;
    const { send, preconnect } = setup(SECRETS, {
      twilio: () => {
        order.push('load twilio');
        return library.module;
      },
    });
    preconnect.mockImplementation(
      () =>
        new Promise<void>((resolve) => {
          connected = () => {
            order.push('connected');
            resolve();
          };
        }),
    );
    const sending = send();
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual([]);
    connected();
    await sending;
    expect(order).toEqual(['connected', 'load twilio']);
  });

  it.each([
    ['SMS', SECRETS, message(), 'https://api.twilio.com'],
    ['a call', SECRETS, message({ channel: 'voice' }), 'https://api.twilio.com'],
    ['Verify', { ...SECRETS, TWILIO_VERIFY_SID: VERIFY_SID }, message(), 'https://verify.twilio.com'],
    ['a region', { ...SECRETS, TWILIO_REGION: 'ie1' }, message(), 'https://api.dublin.ie1.twilio.com'],
    ['a region and an edge', { ...SECRETS, TWILIO_REGION: 'au1', TWILIO_EDGE: 'tokyo' }, message(), 'https://api.tokyo.au1.twilio.com'],
    ['an edge alone, in us1', { ...SECRETS, TWILIO_EDGE: 'frankfurt' }, message(), 'https://api.frankfurt.us1.twilio.com'],
  ])('for %s, to the host the library will address, once, before the library loads', async (_case, secrets, input, origin) => {
    const order: string[] = [];
    const library = mockTwilio();
    const { send, preconnect } = setup(secrets, {
      twilio: () => {
        order.push('load twilio');
        return library.module;
      },
    });
    preconnect.mockImplementation(() => void order.push('preconnect'));
    await send(input);
    expect(preconnect.mock.calls).toEqual([[origin]]);
    expect(order).toEqual(['preconnect', 'load twilio']);
  });

  it('gives the event loop a turn once the connection ahead is asked for, before the screen loads the number metadata, which holds the loop', async () => {
    // The transport's connect goes out on a later turn of the loop, as a socket's does.
    let connectWentOut = false;
    const loads: boolean[] = [];
    const { send, preconnect } = setup(SECRETS, {
      phoneNumberLibrary: () => {
        loads.push(connectWentOut);
        return require(PHONE_NUMBER_METADATA);
      },
    });
    preconnect.mockImplementation(() => {
      setImmediate(() => {
        connectWentOut = true;
      });
      return Promise.resolve();
    });
    await send();
    expect(loads).toEqual([true]);
  });
});

describe('sendPhoneMessage refuses bad input before any request', () => {
  const ONLY_CREDENTIALS = { TWILIO_ACCOUNT_SID: SECRETS.TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN: SECRETS.TWILIO_AUTH_TOKEN };
  it.each([
    ['a missing account SID', { TWILIO_AUTH_TOKEN: SECRETS.TWILIO_AUTH_TOKEN }, message(), 'TWILIO_ACCOUNT_SID is not set'],
    ['a missing auth token', { TWILIO_ACCOUNT_SID: SECRETS.TWILIO_ACCOUNT_SID }, message(), 'TWILIO_AUTH_TOKEN is not set'],
    ['no sender for SMS', ONLY_CREDENTIALS, message(), 'TWILIO_PHONE_NUMBER is not set: SMS needs a From number'],
    ['no number to call from', { ...ONLY_CREDENTIALS, TWILIO_MESSAGING_SERVICE_SID: MESSAGING_SERVICE_SID }, message({ channel: 'voice' }), 'a voice call needs a From number'],
    ['a notice with Verify alone', { ...ONLY_CREDENTIALS, TWILIO_VERIFY_SID: VERIFY_SID }, message({ purpose: 'password-change', code: undefined }), 'this password-change message carries no one-time code'],
    ['a malformed recipient', SECRETS, message({ recipient: '555-CALL-NOW' }), 'characters other than digits'],
    ['a recipient with a trunk prefix', SECRETS, message({ recipient: '0612345678' }), 'starts with 0, a national trunk prefix'],
    ['a recipient with an international prefix', SECRETS, message({ recipient: '0044 7911 123456' }), 'starts with 00, an international call prefix'],
    ['an unknown message type', SECRETS, message({ channel: 'fax' }), 'message_options.message_type must be "sms" or "voice"'],
    ['a text that is not a string', SECRETS, message({ text: 42 }), 'not a string'],
    ['an empty text', SECRETS, message({ text: ' \n' }), 'The message text from Auth0 is empty'],
  ])('refuses %s, opening no connection', async (_case, secrets, input, reason) => {
    const { failure, requestCount, logs, preconnect } = setup(secrets);
    const error = await failure(input);
    expect(error.message).toContain(reason);
    expect(requestCount()).toBe(0);
    expect(preconnect).not.toHaveBeenCalled();
    expect(logs).toHaveLength(1);
    expect(logs[0]).toContain('attempts=0');
  });

  it('refuses a recipient outside ALLOWED_COUNTRIES before any request, and logs the layer that refused it', async () => {
    const { failure, requestCount, logs } = setup({ ...SECRETS, ALLOWED_COUNTRIES: 'US,CA' });
    const error = await failure(message({ recipient: '+18765550123' }));
    expect(error).toMatchObject({ name: 'RecipientRefusedError', layer: 'countries', transient: false, friendlyMessage: FRIENDLY_MESSAGES.recipient });
    expect(error.message).toContain('belongs to JM, Jamaica, which ALLOWED_COUNTRIES (US,CA) does not list');
    expect(requestCount()).toBe(0);
    expect(logs).toEqual([expect.stringMatching(/^twilio-phone-message: refused sms to \+1876\*\*\*0123 by countries ms=\d+: The recipient phone number/)]);
  });

  it('logs a failure before the message could be read with what it knows: no channel, a masked or no recipient', async () => {
    const { failure, logs } = setup({});
    await failure(message({ channel: 'fax', recipient: Number(RECIPIENT) }));
    expect(logs).toEqual([expect.stringMatching(/^twilio-phone-message: failed message to an invalid recipient attempts=0 ms=\d+ transient=false ConfigurationError: TWILIO_ACCOUNT_SID is not set/)]);
    const voice = setup({});
    await voice.failure(message({ channel: 'voice' }));
    expect(voice.logs[0]).toMatch(/^twilio-phone-message: failed voice to \+1555\*\*\*5310 attempts=0 /);
  });

  it('logs a request whose reading throws as a failure of a message to an unknown recipient, naming only the kind of what was thrown', async () => {
    const twilio = mockTwilio();
    const logs: string[] = [];
    const readRequest = (): never => {
      throw new TypeError(`Cannot read the event of ${RECIPIENT}`);
    };
    const sending = sendPhoneMessage(readRequest, { twilio: () => twilio.module, phoneNumberLibrary: () => undefined, log: (line) => logs.push(line), customize: (context) => context.text });
    await expect(sending).rejects.toMatchObject({ name: 'InvalidRequestError', message: 'The sender failed unexpectedly (TypeError).' });
    expect(logs).toEqual([
      expect.stringMatching(/^twilio-phone-message: failed message to an unknown recipient attempts=0 ms=\d+ transient=false InvalidRequestError: The sender failed unexpectedly \(TypeError\)\.$/),
    ]);
    expect(twilio.requestCount()).toBe(0);
  });

  it('rejects with its own error when reading the request throws a value that throws when looked at (a revoked Proxy)', async () => {
    const twilio = mockTwilio();
    const logs: string[] = [];
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const readRequest = (): never => {
      throw proxy;
    };
    const sending = sendPhoneMessage(readRequest, { twilio: () => twilio.module, phoneNumberLibrary: () => undefined, log: (line) => logs.push(line), customize: (context) => context.text });
    await expect(sending).rejects.toMatchObject({ name: 'InvalidRequestError' });
    expect(logs).toEqual([expect.stringMatching(/^twilio-phone-message: failed message to an unknown recipient attempts=0 /)]);
  });

  it('never puts a secret in a message, even before the secrets could be read', async () => {
    const { failure, logs } = setup({ TWILIO_ACCOUNT_SID: 'bad', TWILIO_AUTH_TOKEN: SECRETS.TWILIO_AUTH_TOKEN });
    const error = await failure(message({ recipient: `+1555010531 ${SECRETS.TWILIO_AUTH_TOKEN}`, channel: 'fax' }));
    expectNoSecrets([error, logs], [SECRETS.TWILIO_AUTH_TOKEN]);
  });

  it.each(['enrollment', 'verification'] as const)('uses Verify for the code of an %s', async (purpose) => {
    const { send, verificationsCreate, messagesCreate } = setup({ ...SECRETS, TWILIO_VERIFY_SID: VERIFY_SID });
    await send(message({ purpose }));
    expect(verificationsCreate).toHaveBeenCalledWith(expect.objectContaining({ customCode: CODE }));
    expect(messagesCreate).not.toHaveBeenCalled();
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'secrets'],
  ])('reports secrets that are %s, not an object, as missing ones, not as a crash', async (_case, secrets) => {
    const twilio = mockTwilio();
    const sending = sendPhoneMessage(() => ({ secrets, message: message() }), { twilio: () => twilio.module, phoneNumberLibrary: () => undefined, log: () => undefined, customize: (context) => context.text });
    await expect(sending).rejects.toMatchObject({ name: 'ConfigurationError', message: 'TWILIO_ACCOUNT_SID is not set. Add it to the secrets of the hook or action.' });
    expect(twilio.requestCount()).toBe(0);
  });

  it('uses Verify for a code whose purpose Auth0 did not name, and not for one it sent empty', async () => {
    const withVerify = { ...SECRETS, TWILIO_VERIFY_SID: VERIFY_SID };
    const unnamed = setup(withVerify);
    await unnamed.send(message({ purpose: undefined }));
    expect(unnamed.verificationsCreate).toHaveBeenCalledTimes(1);
    const empty = setup(withVerify);
    await empty.send(message({ code: '', text: 'Your code is below' }));
    expect(empty.verificationsCreate).not.toHaveBeenCalled();
    expect(empty.messagesCreate).toHaveBeenCalledWith(expect.objectContaining({ body: 'Your code is below' }));
  });

  it('says which sender is missing for a message Verify cannot take', async () => {
    const onlyVerify = { TWILIO_ACCOUNT_SID: SECRETS.TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN: SECRETS.TWILIO_AUTH_TOKEN, TWILIO_VERIFY_SID: VERIFY_SID };
    const sms = await setup(onlyVerify).failure(message({ purpose: undefined, code: undefined }));
    expect(sms.message).toBe(
      'TWILIO_PHONE_NUMBER is not set: this message carries no one-time code, so Verify (TWILIO_VERIFY_SID) cannot deliver it; set TWILIO_PHONE_NUMBER (or TWILIO_MESSAGING_SERVICE_SID) to send it.',
    );
    const voice = await setup(onlyVerify).failure(message({ purpose: 'password-breach', code: undefined, channel: 'voice' }));
    expect(voice.message).toBe(
      'TWILIO_PHONE_NUMBER is not set: this password-breach message carries no one-time code, so Verify (TWILIO_VERIFY_SID) cannot deliver it; set TWILIO_PHONE_NUMBER to send it.',
    );
  });

  it('ignores an empty sender, and names a malformed one by the field of the trigger that sent it', async () => {
    const fromProvider = (from: string) => message({ from, channel: 'text', fields: CUSTOM_PHONE_PROVIDER_FIELDS });
    const { send, messagesCreate } = setup();
    await send(fromProvider(''));
    expect(messagesCreate.mock.calls[0]?.[0]).toMatchObject({ from: SECRETS.TWILIO_PHONE_NUMBER });
    const error = await setup().failure(fromProvider('Acme'));
    // The tenant's setup, not the user's number: a configuration error, with where to fix it.
    expect(error).toMatchObject({ name: 'ConfigurationError', friendlyMessage: FRIENDLY_MESSAGES.configuration });
    expect(error.message).toMatch(/^The sender phone number Auth0 passed as notification\.from \(\*\*\*\) contains characters other than digits.* Set the From number of the phone provider in Auth0 \(Branding > Phone Provider\)/);
  });

  it('reads no sender from an entry whose trigger names none: TWILIO_PHONE_NUMBER sends', async () => {
    const { send, messagesCreate } = setup();
    await send(message({ from: '+15005550009' }));
    expect(messagesCreate.mock.calls[0]?.[0]).toMatchObject({ from: SECRETS.TWILIO_PHONE_NUMBER });
  });

  it('names each refusal by its kind, never transient', async () => {
    const cases: Array<[Record<string, unknown>, PhoneMessageInput, string]> = [
      [{}, message(), 'ConfigurationError'],
      [SECRETS, message({ recipient: 'x' }), 'InvalidRecipientError'],
      [SECRETS, message({ text: 5 }), 'InvalidRequestError'],
    ];
    for (const [secrets, input, name] of cases) expect(await setup(secrets).failure(input)).toMatchObject({ name, transient: false });
  });

  it('lets through a number of a country ALLOWED_COUNTRIES lists, although +1 is shared', async () => {
    const { send, messagesCreate } = setup({ ...SECRETS, ALLOWED_COUNTRIES: 'us, ca' });
    await send(message({ recipient: '+14165550123' }));
    expect(messagesCreate).toHaveBeenCalledTimes(1);
  });

  it('names the missing module when ALLOWED_COUNTRIES is set and libphonenumber-js is not declared', async () => {
    const { failure, requestCount } = setup({ ...SECRETS, ALLOWED_COUNTRIES: 'US' }, {
      phoneNumberLibrary: () => {
        throw new Error(`Cannot find module '${PHONE_NUMBER_METADATA}'`);
      },
    });
    const error = await failure();
    expect(error.message).toBe(
      'ALLOWED_COUNTRIES needs the npm module "libphonenumber-js": declare it beside twilio (Action > Dependencies, or Hooks editor > Settings > NPM Modules), or remove ALLOWED_COUNTRIES.',
    );
    expect(requestCount()).toBe(0);
  });

  it('refuses a customization that drops the code', async () => {
    const { failure, requestCount } = setup(SECRETS, { customize: () => 'Welcome back!' });
    expect((await failure()).message).toContain('without the one-time code');
    expect(requestCount()).toBe(0);
  });

  it('reports a customization that throws without repeating what it threw', async () => {
    const { failure } = setup(SECRETS, {
      customize: () => {
        throw new TypeError(`cannot read ${CODE}`);
      },
    });
    const error = await failure();
    expect(error.message).toBe('customizeMessage() in src/customize.ts threw a TypeError; fix it and rebuild.');
  });
});

describe('sendPhoneMessage maps Twilio errors', () => {
  it.each([
    [20003, 401, 'check TWILIO_ACCOUNT_SID with TWILIO_AUTH_TOKEN, or TWILIO_API_KEY and TWILIO_API_SECRET'],
    [21211, 400, 'recipient number invalid'],
    [21408, 400, 'Geo permissions'],
    [21608, 400, 'trial account'],
    [21610, 400, 'replied STOP'],
    [21614, 400, 'cannot receive SMS'],
    [60200, 400, 'Verify rejected a parameter'],
    [60203, 429, 'limit of send attempts'],
    [60204, 403, 'Enable Custom Verification Code'],
    [60410, 403, 'Fraud Guard'],
  ])('keeps code %i, adds a hint and the reference of the code', async (code, status, hint) => {
    const { failure, messagesCreate } = setup();
    messagesCreate.mockRejectedValue(twilioRestError(status, code, `Twilio says ${code}.`, { moreInfo: 'https://evil.example/phish' }));
    const error = await failure();
    expect(error).toBeInstanceOf(TwilioDeliveryError);
    expect(error).toMatchObject({ twilioCode: code, httpStatus: status, transient: false });
    expect(error.message.startsWith(`Twilio answered error ${code} (HTTP ${status}) after 1 attempt: Twilio says ${code}. `)).toBe(true);
    expect(error.message).toContain(hint);
    expect(error.message).toMatch(new RegExp(` More: https://www\\.twilio\\.com/docs/errors/${code}$`));
    expect(error.message).not.toContain('evil.example');
  });

  it.each([
    ["The 'To' number +15558675310 is not a valid phone number.", 21211],
    ["Permission to send an SMS has not been enabled for the region indicated by the 'To' number: +1 (555) 867-5310.", 21408],
    ['The number +15558675310 is unverified. Trial accounts cannot send messages to unverified numbers; verify +15558675310 at twilio.com/user/account/phone-numbers/verified.', 21608],
    ['To number: 1-555-867-5310, is not a mobile number', 21614],
    ['Invalid parameter `To`: 555.867.5310', 60200],
  ])('masks every phone number Twilio repeats in its text: %s', async (text, code) => {
    const { failure, messagesCreate, logs } = setup();
    messagesCreate.mockRejectedValue(twilioRestError(400, code, text));
    const error = await failure(message({ recipient: '+15558675310' }));
    expectNumbersMasked([error, logs], ['+15558675310']);
    expect(error.message).toContain('***');
  });

  it('scrubs the auth token, the API secret and the code from what Twilio said, and its control characters', async () => {
    const { failure, messagesCreate, logs } = setup({ ...SECRETS, ...API_KEY });
    messagesCreate.mockRejectedValue(
      twilioRestError(400, 21211, `Bad To\n\u001b[31mwith ${CODE}, ${SECRETS.TWILIO_AUTH_TOKEN} and ${API_KEY.TWILIO_API_SECRET}\u202e`),
    );
    const error = await failure();
    expect(error.message).toContain('Bad To [31mwith [redacted], [redacted] and [redacted]');
    expect(`${error.message}${logs.join('')}`).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
    expectNoSecrets([error, logs], [CODE, SECRETS.TWILIO_AUTH_TOKEN, API_KEY.TWILIO_API_SECRET]);
  });

  it('cuts a long text from Twilio after scrubbing it, so no cut leaves half a secret', async () => {
    const { failure, messagesCreate } = setup();
    const filler = 'x'.repeat(190);
    messagesCreate.mockRejectedValue(twilioRestError(400, 21211, `${filler}${SECRETS.TWILIO_AUTH_TOKEN}${'y'.repeat(500)}`));
    const error = await failure();
    expect(error.message).toContain(`${filler}[redacted…`);
    expect(error.message).not.toContain(SECRETS.TWILIO_AUTH_TOKEN.slice(0, 8));
    expect(error.message.length).toBeLessThan(700);
  });

  it('does not retry an error that cannot heal', async () => {
    const { failure, messagesCreate } = setup();
    messagesCreate.mockRejectedValue(twilioRestError(400, 21211, 'Invalid To'));
    expect(await failure()).toMatchObject({ transient: false });
    expect(messagesCreate).toHaveBeenCalledTimes(1);
  });

  it('does not retry 60203, although Twilio answers it with 429', async () => {
    const { failure, messagesCreate } = setup();
    messagesCreate.mockRejectedValue(twilioRestError(429, 60203, 'Max send attempts reached'));
    expect(await failure()).toMatchObject({ transient: false, twilioCode: 60203 });
    expect(messagesCreate).toHaveBeenCalledTimes(1);
  });

  it('turns a synchronous throw of the library into a rejection', async () => {
    const { failure, messagesCreate } = setup();
    messagesCreate.mockImplementation(() => {
      throw new Error('Required parameter "params.to" missing.');
    });
    expect((await failure()).message).toBe('The twilio library failed with Error after 1 attempt: Required parameter "params.to" missing..');
  });

  it('says when Twilio host name does not resolve, without retrying, transient all the same', async () => {
    const { failure, messagesCreate } = setup();
    messagesCreate.mockRejectedValue(networkError('ENOTFOUND'));
    const error = await failure();
    expect(error.message).toMatch(/^Could not resolve Twilio's host \(ENOTFOUND\) after 1 attempt/);
    expect(error.transient).toBe(true);
    expect(messagesCreate).toHaveBeenCalledTimes(1);
  });

  it('never copies the library error, which carries the Authorization header', async () => {
    const { failure, messagesCreate } = setup();
    messagesCreate.mockRejectedValue(networkError('ENOTFOUND'));
    expectNoSecrets(await failure(), ['Basic']);
  });

  it.each([
    ['the account and its token', SECRETS, `${SECRETS.TWILIO_ACCOUNT_SID}:${SECRETS.TWILIO_AUTH_TOKEN}`],
    ['an API key and its secret', { ...SECRETS, ...API_KEY }, `${API_KEY.TWILIO_API_KEY}:${API_KEY.TWILIO_API_SECRET}`],
  ])("removes the Basic credential of %s that a proxy's page echoes back", async (_case, secrets, pair) => {
    const credential = Buffer.from(pair).toString('base64');
    const { failure, messagesCreate, logs } = setup(secrets);
    messagesCreate.mockRejectedValue(twilioRestError(400, 21211, `Bad request; you sent Authorization: Basic ${credential}`));
    const error = await failure();
    expect(error.message).toContain('Authorization: Basic [redacted]');
    expectNoSecrets([error, logs], [credential]);
  });

  it.each([
    ['the library cannot read the answer', () => new TypeError("Cannot read properties of null (reading 'sid')"), 'its body could not be read'],
    ['the attempt timed out in its body', () => new AttemptTimeoutError(ATTEMPT_TIMEOUT_MS), 'its body did not come in time'],
  ])('never sends again a create Twilio accepted when %s after the headers', async (_case, thrown, reason) => {
    // The attempt's transport saw Twilio's 201 for the create: the message exists.
    const { failure, messagesCreate } = setup(SECRETS, { transport: { forAttempt: () => ({ request: jest.fn(), acceptedStatus: 201 }) } });
    messagesCreate.mockRejectedValue(thrown());
    const error = await failure();
    expect(messagesCreate).toHaveBeenCalledTimes(1);
    expect(error).toMatchObject({ transient: false, friendlyMessage: FRIENDLY_MESSAGES.tryAgain });
    expect(error.message).toBe(`Twilio accepted the request (HTTP 201) but ${reason} after 1 attempt; the message may have been sent. Check the Twilio Console logs.`);
  });

  it('retries the same failures when Twilio accepted nothing', async () => {
    const { send, messagesCreate } = setup();
    messagesCreate.mockRejectedValueOnce(new AttemptTimeoutError(ATTEMPT_TIMEOUT_MS));
    expect(await send()).toMatchObject({ attempts: 2 });
  });

  it('removes the Basic credential however it is echoed: without its padding, the padding percent-encoded, in base64url', async () => {
    // A pair whose base64 is padded and holds a + or /, so that every form differs.
    const secrets = { ...SECRETS, TWILIO_AUTH_TOKEN: 'zz~~a9c2e1b4d8f7a6c5e3b2a1d9f8e7' };
    const padded = Buffer.from(`${secrets.TWILIO_ACCOUNT_SID}:${secrets.TWILIO_AUTH_TOKEN}`).toString('base64');
    const forms = [padded.replace(/=+$/, ''), padded.replace(/=/g, '%3D'), Buffer.from(`${secrets.TWILIO_ACCOUNT_SID}:${secrets.TWILIO_AUTH_TOKEN}`).toString('base64url')];
    expect(new Set(forms).size).toBe(3);
    const { failure, messagesCreate, logs } = setup(secrets);
    messagesCreate.mockRejectedValue(twilioRestError(400, 21211, `Bad request; you sent ${forms.join(' and ')}`));
    const error = await failure();
    expectNoSecrets([error, logs], [...forms, padded.slice(0, 24)]);
  });

  it('reports a create Twilio accepted whose body is not JSON as possibly sent, and does not send it again', async () => {
    const { failure, messagesCreate, httpClient } = setup();
    Object.defineProperty(httpClient, 'acceptedStatus', { value: 201 });
    messagesCreate.mockRejectedValue(new SyntaxError('Unexpected end of JSON input'));
    const error = await failure();
    expect(error.message).toBe('Twilio accepted the request (HTTP 201) but its body is not JSON after 1 attempt; the message may have been sent. Check the Twilio Console logs.');
    expect(messagesCreate).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['not a SID at all', 'SM'],
    ['a forged log line', 'SMf00d\ntwilio-phone-message: sent sms to +15558675310'],
    ['well-formed but made of the auth token', `SM${SECRETS.TWILIO_AUTH_TOKEN}`],
    ['not a string, though it reads as one', { toString: (): string => 'SM0123456789abcdef0123456789abcdef' }],
    ['a SID with something before it', 'xSM0123456789abcdef0123456789abcdef'],
    ['a SID with something after it', 'SM0123456789abcdef0123456789abcdef0'],
  ])('treats a success whose SID is %s as delivered, without echoing it', async (_case, sid) => {
    const { send, messagesCreate, logs } = setup();
    messagesCreate.mockResolvedValue({ sid });
    const delivery = await send();
    expect(delivery.sid).toBeUndefined();
    expect(logs).toEqual([expect.stringMatching(/^twilio-phone-message: sent sms to \+1555\*\*\*5310 via messaging sid=unknown attempts=1 ms=\d+$/)]);
  });
});

describe('sendPhoneMessage logs one line per outcome, at most 256 characters, essentials first', () => {
  it('a success: outcome, channel, masked number, API, SID, attempts, milliseconds', async () => {
    const { send, logs } = setup();
    await send();
    expect(logs).toEqual([expect.stringMatching(/^twilio-phone-message: sent sms to \+1555\*\*\*5310 via messaging sid=SM0{31}1 attempts=1 ms=\d+$/)]);
    expectNoSecrets(logs, [CODE, SECRETS.TWILIO_AUTH_TOKEN, RECIPIENT]);
  });

  it('a failure: outcome, channel, masked number, Twilio code, HTTP status, attempts, milliseconds, then the message, cut', async () => {
    const { send, logs, messagesCreate } = setup();
    messagesCreate.mockRejectedValue(twilioRestError(400, 21408, `Permission to send an SMS has not been enabled for the region indicated by the 'To' number: ${RECIPIENT}.`));
    await send().catch(() => undefined);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/^twilio-phone-message: failed sms to \+1555\*\*\*5310 code=21408 http=400 attempts=1 ms=\d+ transient=false TwilioDeliveryError: Twilio answered error 21408/);
    expect(logs[0]?.length).toBeLessThanOrEqual(MAX_LOG_LINE_LENGTH);
    expect(logs[0]).toMatch(/…$/);
    expectNumbersMasked(logs, [RECIPIENT]);
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

  it('waits as long as Retry-After asks before the next attempt, within the deadline', async () => {
    const { send, messagesCreate } = setup();
    messagesCreate.mockRejectedValueOnce(twilioRestError(429, 20429, 'Too Many Requests', { retryAfterMs: 3_000 }));
    const sending = send();
    await jest.advanceTimersByTimeAsync(2_999);
    expect(messagesCreate).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    await expect(sending).resolves.toMatchObject({ attempts: 2 });
  });

  it('answers at once when Retry-After asks for longer than the deadline leaves', async () => {
    const { failure, messagesCreate } = setup();
    messagesCreate.mockRejectedValue(twilioRestError(429, 20429, 'Too Many Requests', { retryAfterMs: SEND_DEADLINE_MS }));
    const error = await failure();
    expect(messagesCreate).toHaveBeenCalledTimes(1);
    expect(error).toMatchObject({ transient: true, httpStatus: 429 });
  });

  it.each([
    ['an HTML page', 'html', 502, 'with an HTML page instead of JSON (a gateway or load balancer in front of Twilio)'],
    ['plain text', 'text', 503, 'with plain text instead of JSON (a gateway or load balancer in front of Twilio)'],
    ['an empty body', 'empty', 504, 'with an empty body'],
    ['an HTML page', 'html', 429, 'with an HTML page instead of JSON (a gateway or load balancer in front of Twilio)'],
  ])('retries a gateway answer with %s (%s, HTTP %i)', async (_case, body, status, what) => {
    const { failure, messagesCreate } = setup();
    messagesCreate.mockRejectedValue(twilioRestError(status, undefined, '', { body }));
    const failing = failure();
    await jest.advanceTimersByTimeAsync(SEND_DEADLINE_MS);
    const error = await failing;
    expect(messagesCreate).toHaveBeenCalledTimes(MAX_ATTEMPTS);
    const busy = status === 429 ? 'Too many requests at once: Twilio, or a gateway in front of it, is limiting their rate.' : 'Twilio is overloaded or unavailable.';
    expect(error.message.startsWith(`Twilio answered HTTP ${status} ${what} after ${MAX_ATTEMPTS} attempts. ${busy}`)).toBe(true);
    expect(error).toMatchObject({ transient: true, httpStatus: status, twilioCode: undefined });
  });

  it.each(['ECONNRESET', 'ETIMEDOUT', 'ECONNREFUSED', 'EAI_AGAIN', 'EPIPE'])('retries a %s connection failure', async (code) => {
    const { send, messagesCreate } = setup();
    messagesCreate.mockRejectedValueOnce(networkError(code));
    const sending = send();
    await jest.advanceTimersByTimeAsync(retryDelayMs(1, () => 0.5));
    await expect(sending).resolves.toMatchObject({ attempts: 2 });
  });

  it('retries an attempt that ran out of its time, and says so if it lasts', async () => {
    const { failure, messagesCreate } = setup();
    messagesCreate.mockRejectedValue(new AttemptTimeoutError(ATTEMPT_TIMEOUT_MS));
    const failing = failure();
    await jest.advanceTimersByTimeAsync(SEND_DEADLINE_MS);
    const error = await failing;
    expect(messagesCreate).toHaveBeenCalledTimes(MAX_ATTEMPTS);
    expect(error.message).toMatch(/^Twilio did not answer within 4000 ms \(4 attempts\); the connection was closed\./);
  });

  it(`gives up after ${MAX_ATTEMPTS} attempts with the last error, still transient`, async () => {
    const { failure, messagesCreate } = setup();
    messagesCreate.mockRejectedValue(twilioRestError(503, 20503, 'Service Unavailable'));
    const failing = failure();
    await jest.advanceTimersByTimeAsync(SEND_DEADLINE_MS);
    const error = await failing;
    expect(messagesCreate).toHaveBeenCalledTimes(MAX_ATTEMPTS);
    expect(error).toMatchObject({ transient: true, httpStatus: 503 });
    expect(error.message).toContain(`after ${MAX_ATTEMPTS} attempts`);
  });

  it('gives each attempt the per-attempt timeout, capped by the time left', async () => {
    const { failure, messagesCreate, limits } = setup();
    messagesCreate.mockImplementation(() => new Promise((_resolve, reject) => setTimeout(() => reject(new AttemptTimeoutError(ATTEMPT_TIMEOUT_MS)), ATTEMPT_TIMEOUT_MS)));
    const failing = failure();
    await jest.advanceTimersByTimeAsync(SEND_DEADLINE_MS);
    await failing;
    const delay1 = retryDelayMs(1, () => 0.5);
    const delay2 = retryDelayMs(2, () => 0.5);
    expect(limits.map(({ timeoutMs }) => timeoutMs)).toEqual([ATTEMPT_TIMEOUT_MS, ATTEMPT_TIMEOUT_MS, SEND_DEADLINE_MS - 2 * ATTEMPT_TIMEOUT_MS - delay1 - delay2]);
  });

  it('answers at the deadline when Twilio never answers, and aborts the attempt so its connection is closed', async () => {
    const { send, messagesCreate, limits } = setup(SECRETS, { deadlineMs: SEND_DEADLINE_MS });
    messagesCreate.mockReturnValue(new Promise(() => undefined));
    let settled: unknown;
    void send().then(
      () => (settled = 'resolved'),
      (error: unknown) => (settled = error),
    );
    await jest.advanceTimersByTimeAsync(SEND_DEADLINE_MS - 1);
    expect(settled).toBeUndefined();
    expect(limits[0]?.signal.aborted).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(settled).toMatchObject({ name: 'DeadlineExceededError', transient: true });
    expect((settled as Error).message).toBe(`Twilio did not answer within ${SEND_DEADLINE_MS} ms (1 attempt); the connection was closed.`);
    expect(limits).toHaveLength(1);
    expect(limits[0]?.signal.aborted).toBe(true);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('stops retrying when the wait would leave less than a full attempt', async () => {
    const { failure, messagesCreate } = setup();
    messagesCreate.mockImplementationOnce(
      () => new Promise((_resolve, reject) => setTimeout(() => reject(twilioRestError(429, 20429, 'slow')), SEND_DEADLINE_MS - MIN_ATTEMPT_TIME_MS - 1)),
    );
    const failing = failure();
    await jest.advanceTimersByTimeAsync(SEND_DEADLINE_MS);
    expect(await failing).toMatchObject({ httpStatus: 429 });
    expect(messagesCreate).toHaveBeenCalledTimes(1);
  });

  it('leaves no timer behind after a success', async () => {
    const { send } = setup();
    await send();
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('sendPhoneMessage, with secrets as tenants paste them', () => {
  it('removes the Basic credential of secrets pasted with whitespace around them, as Twilio received it', async () => {
    const pair = `${SECRETS.TWILIO_ACCOUNT_SID}:${SECRETS.TWILIO_AUTH_TOKEN}`;
    const credential = Buffer.from(pair).toString('base64');
    const { failure, messagesCreate, logs } = setup({ ...SECRETS, TWILIO_ACCOUNT_SID: ` ${SECRETS.TWILIO_ACCOUNT_SID}\n`, TWILIO_AUTH_TOKEN: `\t${SECRETS.TWILIO_AUTH_TOKEN} ` });
    messagesCreate.mockRejectedValue(twilioRestError(400, 21211, `Bad request; you sent Authorization: Basic ${credential}`));
    const error = await failure();
    expect(error.message).toContain('Authorization: Basic [redacted]');
    expectNoSecrets([error, logs], [credential]);
  });

  it('refuses a secret that is not text, naming it, before any request', async () => {
    const { failure, requestCount } = setup({ ...SECRETS, TWILIO_AUTH_TOKEN: 42 });
    expect(await failure()).toMatchObject({ name: 'ConfigurationError', message: 'TWILIO_AUTH_TOKEN must be a string; set it as a secret of the hook or action.' });
    expect(requestCount()).toBe(0);
  });

  it('says Lookup refused when it answered an error without a code, and still sends the code', async () => {
    const { send, lookupRequest, logs } = setup({ ...SECRETS, TWILIO_LOOKUP: 'all' });
    lookupRequest.mockRejectedValue(twilioRestError(400, undefined, 'Bad Request'));
    await send();
    expect(logs[0]).toMatch(/ shield: lookup not consulted \(refused\)$/);
  });

  it('says Lookup answered what is not JSON, and still sends the code', async () => {
    const { send, lookupRequest, messagesCreate, logs } = setup({ ...SECRETS, TWILIO_LOOKUP: 'all' });
    lookupRequest.mockResolvedValue({ statusCode: 200, headers: {}, body: '<html>Bad gateway</html>' });
    await send();
    expect(messagesCreate).toHaveBeenCalledTimes(1);
    expect(logs[0]).toMatch(/ shield: lookup not consulted \(not JSON\)$/);
  });

  it("reads no WhatsApp memory for a message WhatsApp would not carry: a call or a notice to a number whose WhatsApp failed says nothing of WhatsApp", async () => {
    const container = emptyContainerState();
    const brazil = '+5511987654321';
    whatsappMemory(SECRETS.TWILIO_AUTH_TOKEN, undefined, container.whatsapp).set(brazil, { kind: 'undeliverable', twilioCode: 63003 });
    const secrets = { ...SECRETS, WHATSAPP_COUNTRIES: 'BR', TWILIO_WHATSAPP_FROM: '+15005550007', TWILIO_WHATSAPP_CONTENT_SID: 'HX0123456789abcdef0123456789abcdef' };
    const { send, logs } = setup(secrets, { container });
    const call = await send(message({ recipient: brazil, channel: 'voice' }));
    expect(call.channel).toBe('voice');
    expect(call.fallbackReason).toBeUndefined();
    const notice = await send(message({ recipient: brazil, purpose: 'blocked-account', code: undefined, text: 'Your account was blocked' }));
    expect(notice.fallbackReason).toBeUndefined();
    expect(logs.filter((line) => line.includes('whatsapp'))).toEqual([]);
  });
});
