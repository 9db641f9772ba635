import { readConfig } from '../../src/core/config';
import { CONFIRM_WINDOW_MS, STATUS_POLL_INTERVAL_MS } from '../../src/core/confirm';
import { MAX_LOG_LINE_LENGTH } from '../../src/core/log-line';
import { CODE_VALIDITY_PERIOD_S } from '../../src/core/channels/messaging';
import type { PhoneMessageInput } from '../../src/core/message';
import { FALLBACK_RESERVE_MS } from '../../src/core/deliver';
import { SEND_DEADLINE_MS, sendPhoneMessage, type SenderDependencies } from '../../src/core/send';
import { AttemptTimeoutError } from '../../src/core/transport';
import { rememberWhatsApp, whatsappMemory, WHATSAPP_MEMORY_MS } from '../../src/core/whatsapp-memory';
import { CacheBudget, CACHE_SHARES, type KeyValueCache } from '../../src/core/cache-budget';
import { shareBytes, shareItems } from '../helpers/cache-shares';
import { emptyContainerState } from '../../src/core/container';
import type { MessageListInstanceCreateOptions, MessageStatusResource } from '../../src/core/twilio-module';
import { MESSAGING_SERVICE_SID, SECRETS, VERIFY_SID } from '../fixtures/values';
import { mockTwilio, twilioRestError } from '../helpers/mock-twilio';
import { PHONE_NUMBER_METADATA } from '../../src/core/number-metadata';
import { SEND_PHONE_MESSAGE_FIELDS } from '../../src/auth0/vocabulary';


const CODE = '482913';
const BRAZIL = '+5511987654321';
const US = '+15550105310';
const CONTENT_SID = 'HX0123456789abcdef0123456789abcdef';
const WHATSAPP_FROM = '+15005550007';
const WHATSAPP_SECRETS = { ...SECRETS, WHATSAPP_COUNTRIES: 'BR,IN', TWILIO_WHATSAPP_FROM: WHATSAPP_FROM, TWILIO_WHATSAPP_CONTENT_SID: CONTENT_SID };
const WHATSAPP_SID = 'SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const SMS_SID = 'SMbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const phoneNumberLibrary = (): unknown => require(PHONE_NUMBER_METADATA);

function message(overrides: Partial<PhoneMessageInput> = {}): PhoneMessageInput {
  return {
    recipient: BRAZIL,
    text: `Seu código é ${CODE}`,
    code: CODE,
    channel: 'sms',
    fields: SEND_PHONE_MESSAGE_FIELDS,
    purpose: 'verification',
    auth0: { trigger: 'send-phone-message', messageType: 'second-factor-authentication' },
    language: 'pt-BR',
    from: undefined,
    client: undefined,
    user: {},
    ...overrides,
  };
}

/** The WhatsApp memory's share of a cache. */
const shareOf = (cache: KeyValueCache) => new CacheBudget(cache).share('whatsapp');

/** Auth0's `api.cache`, as a map that keeps what it is given. */
function memoryCache(): KeyValueCache & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return {
    values,
    get: (key) => (values.has(key) ? { value: values.get(key) } : undefined),
    set: (key, value) => values.set(key, value),
  };
}

/**
 * The sender with a mocked client whose WhatsApp messages report `statuses`, one per read (the
 * last one stays), on a fake clock; a fresh container's memory unless one is handed in.
 */
function setup(secrets: Record<string, unknown> = WHATSAPP_SECRETS, statuses: MessageStatusResource[] = [{ status: 'delivered', errorCode: null }], overrides: Partial<SenderDependencies> = {}) {
  const twilio = mockTwilio();
  const logs: string[] = [];
  twilio.messagesCreate.mockImplementation(async (params: MessageListInstanceCreateOptions) => ({ sid: String(params.to).startsWith('whatsapp:') ? WHATSAPP_SID : SMS_SID }));
  let read = 0;
  twilio.messageFetch.mockImplementation(async () => statuses[Math.min(read++, statuses.length - 1)] as MessageStatusResource);
  const dependencies: SenderDependencies = {
    twilio: () => twilio.module,
    phoneNumberLibrary,
    log: (line) => logs.push(line),
    customize: (context) => context.text,
    random: () => 0.5,
    container: emptyContainerState(),
    // The mocked client sends nothing over the network; neither does this transport.
    transport: { forAttempt: () => ({ request: jest.fn() }) },
    ...overrides,
  };
  const run = async (input: PhoneMessageInput = message()) => {
    const sending = sendPhoneMessage(() => ({ secrets, message: input }), dependencies).then(
      (delivery) => ({ delivery, error: undefined }),
      (error: unknown) => ({ delivery: undefined, error: error as Error & { twilioCode?: number } }),
    );
    await jest.advanceTimersByTimeAsync(SEND_DEADLINE_MS);
    return sending;
  };
  const whatsappCreates = () => twilio.messagesCreate.mock.calls.filter(([params]) => String(params.to).startsWith('whatsapp:'));
  const smsCreates = () => twilio.messagesCreate.mock.calls.filter(([params]) => !String(params.to).startsWith('whatsapp:'));
  return { ...twilio, logs, run, whatsappCreates, smsCreates };
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe('WHATSAPP_COUNTRIES and the secrets its route needs', () => {
  const read = (secrets: Record<string, unknown>) => () => readConfig(secrets, phoneNumberLibrary);

  it('leaves WhatsApp off when unset, whatever else is set', () => {
    expect(read({ ...SECRETS, TWILIO_WHATSAPP_FROM: WHATSAPP_FROM, TWILIO_WHATSAPP_CONTENT_SID: CONTENT_SID })().whatsapp).toBeUndefined();
  });

  it('takes a From number written as Twilio shows a WhatsApp sender', () => {
    const config = read({ ...WHATSAPP_SECRETS, TWILIO_WHATSAPP_FROM: `whatsapp:${WHATSAPP_FROM}` })();
    expect(config.whatsapp?.route).toEqual({ kind: 'messaging', sender: { from: WHATSAPP_FROM }, contentSid: CONTENT_SID });
  });

  it('sends from the Messaging Service when no WhatsApp From number is set', () => {
    const { TWILIO_WHATSAPP_FROM: _unused, ...secrets } = WHATSAPP_SECRETS;
    expect(read({ ...secrets, TWILIO_MESSAGING_SERVICE_SID: MESSAGING_SERVICE_SID })().whatsapp?.route).toEqual({
      kind: 'messaging',
      sender: { messagingServiceSid: MESSAGING_SERVICE_SID },
      contentSid: CONTENT_SID,
    });
  });

  it('needs no template or sender through Verify, whose service holds the WhatsApp sender', () => {
    expect(read({ ...SECRETS, WHATSAPP_COUNTRIES: 'BR', TWILIO_VERIFY_SID: VERIFY_SID })().whatsapp?.route).toEqual({ kind: 'verify' });
  });

  it.each([
    ['no template', { ...SECRETS, WHATSAPP_COUNTRIES: 'BR', TWILIO_WHATSAPP_FROM: WHATSAPP_FROM }, /^WHATSAPP_COUNTRIES is set but TWILIO_WHATSAPP_CONTENT_SID is not: .*approved/],
    ['no sender', { ...SECRETS, WHATSAPP_COUNTRIES: 'BR', TWILIO_WHATSAPP_CONTENT_SID: CONTENT_SID }, /^WHATSAPP_COUNTRIES is set but no WhatsApp sender is: set TWILIO_WHATSAPP_FROM .* or TWILIO_MESSAGING_SERVICE_SID/],
    ['a malformed template SID', { ...WHATSAPP_SECRETS, TWILIO_WHATSAPP_CONTENT_SID: 'HX123' }, /^TWILIO_WHATSAPP_CONTENT_SID is malformed: it must be "HX" followed by 32 hex digits/],
    ['a malformed From number', { ...WHATSAPP_SECRETS, TWILIO_WHATSAPP_FROM: 'whatsapp:0044 7911' }, /^TWILIO_WHATSAPP_FROM .*starts with 00/],
    ['an unknown country', { ...WHATSAPP_SECRETS, WHATSAPP_COUNTRIES: 'BR,XX' }, /^WHATSAPP_COUNTRIES lists what is not the code of a country with phone numbers \(XX\)/],
  ])('refuses %s before any request, naming the secret', (_case, secrets, reason) => {
    expect(read(secrets)).toThrow(expect.objectContaining({ name: 'ConfigurationError', message: expect.stringMatching(reason) }));
  });

  it('says which module to declare for listed countries, and needs none for *', () => {
    const without = () => {
      throw new Error(`Cannot find module '${PHONE_NUMBER_METADATA}'`);
    };
    expect(() => readConfig(WHATSAPP_SECRETS, without)).toThrow('WHATSAPP_COUNTRIES needs the npm module "libphonenumber-js"');
    expect(readConfig({ ...WHATSAPP_SECRETS, WHATSAPP_COUNTRIES: '*' }, without).whatsapp?.countries.includes(US as never)).toBe(true);
  });
});

describe('a one-time code to a WhatsApp country', () => {
  it('goes on WhatsApp with the approved template, the code as variable 1, and no SMS after it is delivered', async () => {
    const { run, messagesCreate, messageFetch, smsCreates } = setup();
    const { delivery } = await run();
    expect(messagesCreate).toHaveBeenCalledWith({
      to: `whatsapp:${BRAZIL}`,
      from: `whatsapp:${WHATSAPP_FROM}`,
      contentSid: CONTENT_SID,
      contentVariables: JSON.stringify({ 1: CODE }),
      validityPeriod: CODE_VALIDITY_PERIOD_S,
    });
    expect(messageFetch).toHaveBeenCalledWith(WHATSAPP_SID);
    expect(smsCreates()).toEqual([]);
    expect(delivery).toMatchObject({ api: 'messaging', channel: 'whatsapp', sid: WHATSAPP_SID });
    expect(delivery?.fallbackReason).toBeUndefined();
  });

  it('goes from the Messaging Service when that is the sender', async () => {
    const { TWILIO_WHATSAPP_FROM: _unused, ...secrets } = WHATSAPP_SECRETS;
    const { run, messagesCreate } = setup({ ...secrets, TWILIO_MESSAGING_SERVICE_SID: MESSAGING_SERVICE_SID });
    await run();
    expect(messagesCreate.mock.calls[0]?.[0]).toMatchObject({ to: `whatsapp:${BRAZIL}`, messagingServiceSid: MESSAGING_SERVICE_SID });
    expect(messagesCreate.mock.calls[0]?.[0]).not.toHaveProperty('from');
  });

  it.each([
    ['a recipient of a country not listed', message({ recipient: US })],
    ['a voice call', message({ channel: 'voice' })],
    ['a notice without a code', message({ purpose: 'blocked-account', code: undefined, text: 'Your account was blocked' })],
  ])('is not what WhatsApp carries: %s goes as Auth0 asked', async (_case, input) => {
    const { run, whatsappCreates, messageFetch, requestCount } = setup();
    const { delivery } = await run(input);
    expect(whatsappCreates()).toEqual([]);
    expect(messageFetch).not.toHaveBeenCalled();
    expect(requestCount()).toBe(1);
    expect(delivery?.channel).toBe(input.channel);
  });

  it('counts a message still queued or sent when the watch ends as delivered: slow, not failed, and no second code', async () => {
    const { run, smsCreates, messageFetch } = setup(WHATSAPP_SECRETS, [{ status: 'queued', errorCode: null }, { status: 'sent', errorCode: null }]);
    const { delivery } = await run();
    expect(delivery?.channel).toBe('whatsapp');
    expect(smsCreates()).toEqual([]);
    // Read every interval while the window lasts, and no longer.
    expect(messageFetch.mock.calls.length).toBeGreaterThanOrEqual(Math.floor(CONFIRM_WINDOW_MS / STATUS_POLL_INTERVAL_MS) - 1);
    expect(messageFetch.mock.calls.length).toBeLessThanOrEqual(Math.ceil(CONFIRM_WINDOW_MS / STATUS_POLL_INTERVAL_MS));
  });
});

describe('SMS carries the code when WhatsApp cannot', () => {
  it.each([
    [63003, 'failed', 'not on WhatsApp (63003)'],
    [63016, 'failed', 'WhatsApp wants an approved template (TWILIO_WHATSAPP_CONTENT_SID) (63016)'],
    [63024, 'undelivered', 'not a valid WhatsApp recipient (63024)'],
  ])('when the status read back turns %s', async (code, status, reason) => {
    const { run, smsCreates, logs } = setup(WHATSAPP_SECRETS, [{ status: 'queued', errorCode: null }, { status, errorCode: code }]);
    const { delivery } = await run();
    expect(smsCreates()).toEqual([[{ to: BRAZIL, from: SECRETS.TWILIO_PHONE_NUMBER, body: `Seu código é ${CODE}`, validityPeriod: CODE_VALIDITY_PERIOD_S }]]);
    expect(delivery).toMatchObject({ channel: 'sms', sid: SMS_SID, fallbackReason: reason });
    expect(logs).toEqual([expect.stringMatching(new RegExp(`^twilio-phone-message: sent sms to \\+5511\\*\\*\\*4321 via messaging sid=${SMS_SID} attempts=2 ms=\\d+ after whatsapp: ${reason.replace(/[()]/g, '\\$&')}$`))]);
  });

  it.each([
    [63007, 'no WhatsApp sender for TWILIO_WHATSAPP_FROM or the Messaging Service (63007)'],
    [21656, "the template's variables were refused (TWILIO_WHATSAPP_CONTENT_SID must take the code as variable 1) (21656)"],
    [63016, 'WhatsApp wants an approved template (TWILIO_WHATSAPP_CONTENT_SID) (63016)'],
  ])('when Twilio refuses the WhatsApp request at once (%i), without reading a status', async (code, reason) => {
    const { run, smsCreates, messagesCreate, messageFetch } = setup();
    messagesCreate.mockRejectedValueOnce(twilioRestError(400, code, `Twilio could not find a Channel with the specified From address`));
    const { delivery } = await run();
    expect(messageFetch).not.toHaveBeenCalled();
    expect(smsCreates()).toHaveLength(1);
    expect(delivery).toMatchObject({ channel: 'sms', fallbackReason: reason });
  });

  it('but not after a success Twilio answered unreadably: the WhatsApp message may be out, and an SMS would be a second code', async () => {
    let accepted: number | undefined;
    const { run, smsCreates, messagesCreate } = setup(WHATSAPP_SECRETS, undefined, { transport: { forAttempt: () => ({ request: jest.fn(), get acceptedStatus() { return accepted; } }) } });
    // Twilio's 201 came, and the library could not read its body.
    messagesCreate.mockImplementationOnce(async () => {
      accepted = 201;
      throw new SyntaxError('Unexpected end of JSON input');
    });
    const { error } = await run(message({ recipient: '+5511900000011' }));
    expect(smsCreates()).toEqual([]);
    expect(error?.message).toMatch(/the message may have been sent/);
  });

  it('nor after a WhatsApp create Twilio accepted whose answer stalled until the WhatsApp share of the deadline ran out', async () => {
    let accepted: number | undefined;
    const { run, smsCreates, messagesCreate } = setup(WHATSAPP_SECRETS, undefined, { transport: { forAttempt: () => ({ request: jest.fn(), get acceptedStatus() { return accepted; } }) } });
    // Twilio's 201 came, then nothing: the attempt is still reading when the deadline ends it.
    messagesCreate.mockImplementationOnce(() => {
      accepted = 201;
      return new Promise(() => undefined);
    });
    const { error } = await run(message({ recipient: '+5511900000012' }));
    expect(messagesCreate).toHaveBeenCalledTimes(1);
    expect(smsCreates()).toEqual([]);
    expect(error?.message).toMatch(/^Twilio accepted the request \(HTTP 201\) but its body did not come in time after 1 attempt; the message may have been sent\. Check the Twilio Console logs\.$/);
  });

  it.each([
    [20003, 401, 'the same credentials'],
    [21211, 400, 'the same invalid number'],
  ])('but not after %i, which SMS would meet again (%s)', async (code, status) => {
    const { run, smsCreates, messagesCreate } = setup();
    messagesCreate.mockRejectedValueOnce(twilioRestError(status, code, 'refused'));
    const { error } = await run();
    expect(smsCreates()).toEqual([]);
    expect(error).toMatchObject({ name: 'TwilioDeliveryError', twilioCode: code });
  });

  it('after WhatsApp keeps failing with 503s, while time allows', async () => {
    const { run, smsCreates, whatsappCreates, messagesCreate } = setup();
    messagesCreate.mockImplementation(async (params) => {
      if (String(params.to).startsWith('whatsapp:')) throw twilioRestError(503, 20503, 'Service Unavailable');
      return { sid: SMS_SID };
    });
    const { delivery } = await run();
    expect(whatsappCreates().length).toBeGreaterThan(1);
    expect(smsCreates()).toHaveLength(1);
    expect(delivery).toMatchObject({ channel: 'sms', fallbackReason: 'WhatsApp failed (20503)' });
  });

  it('within the deadline when the WhatsApp attempts stall: SMS keeps a whole attempt of its own', async () => {
    const { run, smsCreates, messagesCreate } = setup();
    messagesCreate.mockImplementation((params) =>
      String(params.to).startsWith('whatsapp:') ? new Promise((_resolve, reject) => setTimeout(() => reject(new AttemptTimeoutError(4_000)), 4_000)) : Promise.resolve({ sid: SMS_SID }),
    );
    const started = Date.now();
    const { delivery } = await run();
    expect(delivery?.channel).toBe('sms');
    expect(smsCreates()).toHaveLength(1);
    expect(delivery?.elapsedMs).toBeLessThanOrEqual(SEND_DEADLINE_MS - FALLBACK_RESERVE_MS);
    expect(Date.now() - started).toBeLessThanOrEqual(SEND_DEADLINE_MS);
  });
});

describe('a number whose WhatsApp failed', () => {
  it('gets its next code by SMS at once, without another WhatsApp attempt', async () => {
    const container = { container: emptyContainerState() };
    const first = setup(WHATSAPP_SECRETS, [{ status: 'failed', errorCode: 63003 }], container);
    await first.run();
    const second = setup(WHATSAPP_SECRETS, undefined, container);
    const { delivery } = await second.run();
    expect(second.whatsappCreates()).toEqual([]);
    expect(second.smsCreates()).toHaveLength(1);
    expect(delivery?.fallbackReason).toBe('earlier: not on WhatsApp (63003)');
  });

  it.each([
    ['a refusal of the sender at the create', 63007, 'create'],
    ['a template refused in the status read back', 63016, 'status'],
  ])("is not remembered after %s: the account's setup, not the number, failed, and a fix takes effect at once", async (_case, code, where) => {
    const container = { container: emptyContainerState() };
    const first = setup(WHATSAPP_SECRETS, [{ status: 'failed', errorCode: code }], container);
    if (where === 'create') first.messagesCreate.mockRejectedValueOnce(twilioRestError(400, code, 'refused'));
    const { delivery: fellBack } = await first.run(message({ recipient: '+5511900000010' }));
    expect(fellBack?.channel).toBe('sms');
    const second = setup(WHATSAPP_SECRETS, undefined, container);
    const { delivery } = await second.run(message({ recipient: '+5511900000010' }));
    expect(second.whatsappCreates()).toHaveLength(1);
    expect(delivery?.channel).toBe('whatsapp');
  });

  it('whose last code was still on its way is read back when the next is asked for: failed since, SMS at once', async () => {
    const container = { container: emptyContainerState() };
    const watched = setup(WHATSAPP_SECRETS, [{ status: 'sent', errorCode: null }], container);
    await watched.run(message({ recipient: '+919876543210' }));
    const next = setup(WHATSAPP_SECRETS, [{ status: 'undelivered', errorCode: 63024 }], container);
    const { delivery } = await next.run(message({ recipient: '+919876543210' }));
    expect(next.messageFetch).toHaveBeenCalledWith(WHATSAPP_SID);
    expect(next.whatsappCreates()).toEqual([]);
    expect(delivery).toMatchObject({ channel: 'sms', fallbackReason: 'earlier: not a valid WhatsApp recipient (63024)' });
  });

  it("whose last code, read back, failed for the account's setup gets this code by SMS, and WhatsApp again the time after", async () => {
    const container = { container: emptyContainerState() };
    const watched = setup(WHATSAPP_SECRETS, [{ status: 'sent', errorCode: null }], container);
    await watched.run(message({ recipient: '+5511912340001' }));
    const next = setup(WHATSAPP_SECRETS, [{ status: 'failed', errorCode: 63016 }], container);
    const { delivery } = await next.run(message({ recipient: '+5511912340001' }));
    expect(next.whatsappCreates()).toEqual([]);
    expect(delivery).toMatchObject({ channel: 'sms', fallbackReason: 'earlier: WhatsApp wants an approved template (TWILIO_WHATSAPP_CONTENT_SID) (63016)' });
    // The setup, not the number: forgotten, so a fix takes effect at the next code.
    const after = setup(WHATSAPP_SECRETS, undefined, container);
    expect((await after.run(message({ recipient: '+5511912340001' }))).delivery?.channel).toBe('whatsapp');
  });

  it('whose last code cannot be read back gets this code by SMS, and is remembered as not reached', async () => {
    const container = { container: emptyContainerState() };
    const watched = setup(WHATSAPP_SECRETS, [{ status: 'sent', errorCode: null }], container);
    await watched.run(message({ recipient: '+5511912340002' }));
    const next = setup(WHATSAPP_SECRETS, undefined, container);
    next.messageFetch.mockRejectedValue(twilioRestError(503, 20503, 'unavailable'));
    const { delivery } = await next.run(message({ recipient: '+5511912340002' }));
    expect(delivery).toMatchObject({ channel: 'sms', fallbackReason: 'the last code sent on WhatsApp was not delivered' });
    const after = setup(WHATSAPP_SECRETS, undefined, container);
    const third = await after.run(message({ recipient: '+5511912340002' }));
    expect(after.whatsappCreates()).toEqual([]);
    expect(after.messageFetch).not.toHaveBeenCalled();
    expect(third.delivery).toMatchObject({ channel: 'sms', fallbackReason: 'earlier: WhatsApp failed' });
  });

  it('whose last code was delivered since gets WhatsApp again', async () => {
    const container = { container: emptyContainerState() };
    const watched = setup(WHATSAPP_SECRETS, [{ status: 'sent', errorCode: null }], container);
    await watched.run(message({ recipient: '+5511912340000' }));
    const next = setup(WHATSAPP_SECRETS, [{ status: 'read', errorCode: null }], container);
    const { delivery } = await next.run(message({ recipient: '+5511912340000' }));
    expect(delivery?.channel).toBe('whatsapp');
  });

  it("is remembered in Auth0's cache as a keyed hash, never the number", async () => {
    const cache = memoryCache();
    const first = setup(WHATSAPP_SECRETS, [{ status: 'failed', errorCode: 63003 }], { cache });
    await first.run(message({ recipient: '+5511900000001' }));
    const stored = shareItems(cache.values, 'whatsapp').join(',');
    expect(stored).toMatch(/^[A-Za-z0-9_-]{10}=x63003@[0-9a-z]+$/);
    expect(stored.replace(/\D/g, '')).not.toContain('5511900000001'.slice(-7));
    // Another container, with nothing of its own, reads the cache.
    const elsewhere = whatsappMemory(SECRETS.TWILIO_AUTH_TOKEN, shareOf(cache), new Map());
    expect(elsewhere.get('+5511900000001')).toEqual({ kind: 'undeliverable', twilioCode: 63003 });
    expect(whatsappMemory('another-account-secret', shareOf(cache), new Map()).get('+5511900000001')).toBeUndefined();
  });

  it("keeps the cache within the WhatsApp memory's share by dropping the oldest numbers, and forgets after a day", () => {
    const cache = memoryCache();
    let now = Date.UTC(2026, 10, 30);
    const memory = whatsappMemory(SECRETS.TWILIO_AUTH_TOKEN, shareOf(cache), new Map(), () => now);
    for (let n = 0; n < 200; n++) memory.set(`+55119${String(n).padStart(8, '0')}`, { kind: 'pending', sid: WHATSAPP_SID });
    expect(shareBytes(cache.values, 'whatsapp')).toBeLessThanOrEqual(CACHE_SHARES.whatsapp.bytes);
    expect(shareBytes(cache.values, 'whatsapp')).toBeGreaterThan(CACHE_SHARES.whatsapp.bytes - 100 * CACHE_SHARES.whatsapp.keys);
    const fresh = whatsappMemory(SECRETS.TWILIO_AUTH_TOKEN, shareOf(cache), new Map(), () => now);
    expect(fresh.get('+5511900000199')).toEqual({ kind: 'pending', sid: WHATSAPP_SID });
    expect(fresh.get('+5511900000000')).toBeUndefined();
    now += WHATSAPP_MEMORY_MS - 1;
    expect(fresh.get('+5511900000199')).toEqual({ kind: 'pending', sid: WHATSAPP_SID });
    now += 1;
    expect(fresh.get('+5511900000199')).toBeUndefined();
  });

  it("keeps a code on its way by its message's SID, an SMS's or an MMS's, and nothing it could not read back", () => {
    const memory = whatsappMemory(SECRETS.TWILIO_AUTH_TOKEN, undefined, new Map());
    const mms = `MM${'0123456789abcdef'.repeat(2)}`;
    rememberWhatsApp(memory, '+5511900000001', { outcome: 'pending', sid: WHATSAPP_SID });
    rememberWhatsApp(memory, '+5511900000002', { outcome: 'pending', sid: mms });
    rememberWhatsApp(memory, '+5511900000003', { outcome: 'pending', sid: `VE${'a'.repeat(32)}` });
    expect(memory.get('+5511900000001')).toEqual({ kind: 'pending', sid: WHATSAPP_SID });
    expect(memory.get('+5511900000002')).toEqual({ kind: 'pending', sid: mms });
    expect(memory.get('+5511900000003')).toBeUndefined();
  });

  it('keeps at most 1,000 numbers in the container, dropping the oldest first', () => {
    const records = new Map();
    const memory = whatsappMemory(SECRETS.TWILIO_AUTH_TOKEN, undefined, records);
    const number = (n: number) => `+55119${String(n).padStart(8, '0')}`;
    for (let n = 0; n < 1_000; n++) memory.set(number(n), { kind: 'undeliverable', twilioCode: 63003 });
    expect(records.size).toBe(1_000);
    expect(memory.get(number(0))).toEqual({ kind: 'undeliverable', twilioCode: 63003 });
    memory.set(number(1_000), { kind: 'undeliverable', twilioCode: 63003 });
    expect(records.size).toBe(1_000);
    expect(memory.get(number(0))).toBeUndefined();
    expect(memory.get(number(1))).toEqual({ kind: 'undeliverable', twilioCode: 63003 });
  });

  it('survives a cache that throws or holds garbage: best effort, as Auth0 says of its own', async () => {
    const throwing: KeyValueCache = {
      get: () => {
        throw new Error('cache down');
      },
      set: () => {
        throw new Error('cache down');
      },
    };
    const { delivery } = await setup(WHATSAPP_SECRETS, undefined, { cache: throwing }).run(message({ recipient: '+5511900000002' }));
    expect(delivery?.channel).toBe('whatsapp');
    const garbage: KeyValueCache = { get: () => ({ value: 'a=b,,=x@@,zzzzzzzzzzzzzzzz=SMnothex@1' }), set: () => undefined };
    expect(whatsappMemory(SECRETS.TWILIO_AUTH_TOKEN, shareOf(garbage), new Map()).get('+5511900000002')).toBeUndefined();
  });
});

describe('WhatsApp through Verify', () => {
  const VERIFY_WHATSAPP = { ...SECRETS, TWILIO_VERIFY_SID: VERIFY_SID, WHATSAPP_COUNTRIES: 'BR' };

  it("sends Verify's WhatsApp channel with Auth0's code, and reads no status (Verify reports none)", async () => {
    const { run, verificationsCreate, messageFetch } = setup(VERIFY_WHATSAPP);
    const { delivery } = await run(message({ recipient: '+5511900000003' }));
    expect(verificationsCreate).toHaveBeenCalledWith({ to: '+5511900000003', channel: 'whatsapp', customCode: CODE, locale: 'pt-BR' });
    expect(messageFetch).not.toHaveBeenCalled();
    expect(delivery).toMatchObject({ api: 'verify', channel: 'whatsapp' });
  });

  it.each([
    [60223, 'WhatsApp is turned off on the Verify service (60223)'],
    [68008, 'WhatsApp is not set up on the Verify service (68008)'],
  ])("falls back to Verify's SMS when Verify refuses WhatsApp (%i)", async (code, reason) => {
    const { run, verificationsCreate } = setup(VERIFY_WHATSAPP);
    verificationsCreate.mockRejectedValueOnce(twilioRestError(400, code, 'Delivery channel disabled'));
    const { delivery } = await run(message({ recipient: '+5511900000004' }));
    expect(verificationsCreate.mock.calls.map(([params]) => params.channel)).toEqual(['whatsapp', 'sms']);
    expect(delivery).toMatchObject({ api: 'verify', channel: 'sms', fallbackReason: reason });
  });

  it("does not fall back after Verify's attempt limit (60203): SMS would meet it too", async () => {
    const { run, verificationsCreate } = setup(VERIFY_WHATSAPP);
    verificationsCreate.mockRejectedValueOnce(twilioRestError(429, 60203, 'Max send attempts reached'));
    const { error } = await run(message({ recipient: '+5511900000005' }));
    expect(verificationsCreate).toHaveBeenCalledTimes(1);
    expect(error).toMatchObject({ twilioCode: 60203 });
  });
});

describe('the log line of a WhatsApp code', () => {
  it("carries Auth0's correlation ID and the fallback, within 256 characters", async () => {
    const { run, logs } = setup(WHATSAPP_SECRETS, [{ status: 'failed', errorCode: 63003 }]);
    await run(message({ recipient: '+5511900000006', correlationId: 'a1b2c3d4-e5f6-7890-abcd-ef0123456789' }));
    expect(logs).toHaveLength(1);
    expect(logs[0]).toContain(' cid=a1b2c3d4-e5f6-7890-abcd-ef0123456789 after whatsapp: not on WhatsApp (63003)');
    expect(logs[0]?.length).toBeLessThanOrEqual(MAX_LOG_LINE_LENGTH);
  });

  it('leaves out a correlation ID that is not one', async () => {
    const { run, logs } = setup();
    await run(message({ recipient: '+5511900000007', correlationId: 'x y\nforged line' }));
    expect(logs[0]).not.toContain('cid=');
  });
});

describe("a one-time code's validity period", () => {
  it(`is ${CODE_VALIDITY_PERIOD_S} s, Auth0's code lifetime, on SMS codes; a notice, which expires with nothing, carries none`, async () => {
    const code = setup(SECRETS);
    await code.run(message({ recipient: US }));
    expect(code.messagesCreate.mock.calls[0]?.[0]).toMatchObject({ validityPeriod: 300 });
    const notice = setup(SECRETS);
    await notice.run(message({ recipient: US, purpose: 'password-change', code: undefined, text: 'Your password was changed' }));
    expect(notice.messagesCreate.mock.calls[0]?.[0]).not.toHaveProperty('validityPeriod');
  });
});
