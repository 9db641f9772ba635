import { AUTH0_CACHE_MAX_ENTRIES, AUTH0_CACHE_MAX_TOTAL_BYTES, AUTH0_CACHE_MAX_VALUE_BYTES, CACHE_SHARES, type KeyValueCache } from '../../src/core/cache-budget';
import { shareBytes, shareEntries, shareItems } from '../helpers/cache-shares';
import { emptyContainerState, type ContainerState } from '../../src/core/container';
import { FRIENDLY_MESSAGES, type RecipientRefusedError } from '../../src/core/errors';
import { MAX_LOG_LINE_LENGTH } from '../../src/core/log-line';
import type { PhoneMessageInput } from '../../src/core/message';
import { PHONE_NUMBER_METADATA } from '../../src/core/number-metadata';
import { LOOKUP_BUDGET_MS } from '../../src/core/screen/lookup';
import { PRE_SEND_CHECKS } from '../../src/core/screen/screen';
import { LookupUnavailableError, refuse } from '../../src/core/screen/check';
import { DEFAULT_ENROLLMENTS_PER_BLOCK, DEFAULT_LOOKUP_MAX_RISK } from '../../src/core/screen/settings';
import { admit, velocityCounts, VELOCITY_WINDOW_MS } from '../../src/core/screen/velocity-counts';
import { CacheBudget } from '../../src/core/cache-budget';
import { SEND_DEADLINE_MS, sendPhoneMessage, type SenderDependencies } from '../../src/core/send';
import type { E164 } from '../../src/core/phone';
import { SECRETS } from '../fixtures/values';
import { lookupAnswer, mockTwilio, twilioRestError } from '../helpers/mock-twilio';
import { expectNoSecrets, expectNumbersMasked } from '../helpers/no-secrets';
import { enrollmentInput } from '../helpers/enrollment-input';

// The pumping shield, layer by layer, through the sender with a mocked Twilio client: what each
// layer refuses and lets through, what it costs (Lookup requests), and what it writes in the one
// log line. Each test has a container of its own unless it hands one in.

const PREMIUM_US = '+19005550100';
const MOBILE_BR = '+5511987654321';

function message(overrides: Partial<PhoneMessageInput> = {}): PhoneMessageInput {
  return enrollmentInput(MOBILE_BR, overrides);
}

/** Auth0's `api.cache`, as a map that keeps what it is given. */
function memoryCache(): KeyValueCache & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return { values, get: (key) => (values.has(key) ? { value: values.get(key) } : undefined), set: (key, value) => values.set(key, value) };
}

function setup(secrets: Record<string, string> = SECRETS, overrides: Partial<SenderDependencies> = {}) {
  const twilio = mockTwilio();
  const logs: string[] = [];
  const container: ContainerState = overrides.container ?? emptyContainerState();
  const dependencies: SenderDependencies = {
    twilio: () => twilio.module,
    phoneNumberLibrary: () => require(PHONE_NUMBER_METADATA),
    log: (line) => logs.push(line),
    customize: (context) => context.text,
    transport: { forAttempt: () => ({ request: jest.fn() }) },
    random: () => 0.5,
    container,
    ...overrides,
  };
  const send = (input: Partial<PhoneMessageInput> = {}) =>
    sendPhoneMessage(() => ({ secrets, message: message(input) }), dependencies).then(
      (delivery) => ({ delivery, error: undefined }),
      (error: unknown) => ({ delivery: undefined, error: error as RecipientRefusedError }),
    );
  return { ...twilio, logs, container, send };
}

describe('the pre-send checks', () => {
  it('run in one ordered list, the free ones first and Lookup, which Twilio bills, last', () => {
    expect(PRE_SEND_CHECKS.map((check) => check.layer)).toEqual(['countries', 'number-type', 'velocity', 'lookup']);
  });
});

describe('numbers that only cost', () => {
  it.each([
    ['a US premium-rate number', PREMIUM_US, 'a premium-rate number', 'premium_rate'],
    ['a UK shared-cost number', '+4382040738465', 'a shared-cost number', 'shared_cost'],
    ['a UK pager', '+447644554677', 'a pager number', 'pager'],
    ['a number of the +881 satellite network', '+881612345678', 'under +881, a calling code of no country', '+881'],
    ['a number of the +882 international networks', '+882345678901', 'under +882', '+882'],
    ['a number of the +883 international networks', '+8835100123456', 'under +883', '+883'],
  ])('refuse %s before any request, naming the layer and the secret that would allow it', async (_case, recipient, what, allow) => {
    const { send, logs, requestCount } = setup();
    const { error } = await send({ recipient });
    expect(error).toMatchObject({ name: 'RecipientRefusedError', layer: 'number-type', transient: false, friendlyMessage: FRIENDLY_MESSAGES.recipient });
    expect(error?.message).toContain(what);
    expect(error?.message).toContain(`Add ${allow} to ALLOWED_NUMBER_TYPES`);
    expect(requestCount()).toBe(0);
    expect(logs).toEqual([expect.stringMatching(/^twilio-phone-message: refused sms to \+\d{3,5}\*\*\*\d{4} by number-type ms=\d+: The recipient/)]);
    expectNumbersMasked([error, logs], [recipient]);
  });

  it('refuse a call as they refuse an SMS', async () => {
    const { send, requestCount } = setup();
    expect((await send({ recipient: PREMIUM_US, channel: 'voice' })).error?.layer).toBe('number-type');
    expect(requestCount()).toBe(0);
  });

  it.each([
    ['a mobile of Brazil', MOBILE_BR],
    ["the tests' fictional +1 555 number, whose type no one can tell", '+15550105310'],
    ['a US toll-free number, which costs its owner and pays no one', '+18885550100'],
    ['a US number that may be a mobile', '+12125550100'],
  ])('let through %s', async (_case, recipient) => {
    const { send, messagesCreate } = setup();
    expect((await send({ recipient })).delivery?.channel).toBe('sms');
    expect(messagesCreate).toHaveBeenCalledTimes(1);
  });

  it('deliver to what ALLOWED_NUMBER_TYPES lists, and to nothing else it does not', async () => {
    const { send } = setup({ ...SECRETS, ALLOWED_NUMBER_TYPES: 'Premium-Rate, +882' });
    expect((await send({ recipient: PREMIUM_US })).delivery).toBeDefined();
    expect((await send({ recipient: '+882345678901' })).delivery).toBeDefined();
    expect((await send({ recipient: '+881612345678' })).error?.layer).toBe('number-type');
    expect((await send({ recipient: '+4382040738465' })).error?.layer).toBe('number-type');
  });

  it('without libphonenumber-js, still refuse the calling codes of no country, and say in the log line that types went unchecked', async () => {
    const missing = () => {
      throw new Error(`Cannot find module '${PHONE_NUMBER_METADATA}'`);
    };
    const { send, logs } = setup(SECRETS, { phoneNumberLibrary: missing });
    expect((await send({ recipient: '+882345678901' })).error?.layer).toBe('number-type');
    const { delivery } = await send({ recipient: PREMIUM_US });
    expect(delivery?.channel).toBe('sms');
    expect(logs[1]).toMatch(/^twilio-phone-message: sent sms to \+1900\*\*\*0100 via messaging .* shield: number types not checked \(no libphonenumber-js\)$/);
  });

  it('need no library when every costly type is allowed: the runtime is never asked for it', async () => {
    const library = jest.fn(() => require(PHONE_NUMBER_METADATA) as unknown);
    const { send, logs } = setup({ ...SECRETS, ALLOWED_NUMBER_TYPES: 'premium_rate,shared_cost,uan,voicemail,pager' }, { phoneNumberLibrary: library });
    expect((await send({ recipient: PREMIUM_US })).delivery).toBeDefined();
    expect(library).not.toHaveBeenCalled();
    expect(logs[0]).not.toContain('shield:');
  });
});

describe('the velocity cap on enrollment codes', () => {
  /** The `n`th number of one block of 1,000. */
  const inBlock = (n: number, block = '+55119876') => `${block}${String(n).padStart(3, '0')}`;

  it(`lets ${DEFAULT_ENROLLMENTS_PER_BLOCK} new numbers of one block get enrollment codes within an hour, and refuses the next`, async () => {
    const { send, logs, messagesCreate } = setup();
    for (let n = 0; n < DEFAULT_ENROLLMENTS_PER_BLOCK; n++) expect((await send({ recipient: inBlock(n) })).delivery).toBeDefined();
    const { error } = await send({ recipient: inBlock(500) });
    expect(error).toMatchObject({ layer: 'velocity', transient: false });
    expect(error?.message).toContain(`is new to a block of 1,000 where ${DEFAULT_ENROLLMENTS_PER_BLOCK} got enrollment codes this hour, ENROLLMENT_VELOCITY's cap`);
    expect(error?.message).toContain('Raise ENROLLMENT_VELOCITY');
    expect(messagesCreate).toHaveBeenCalledTimes(DEFAULT_ENROLLMENTS_PER_BLOCK);
    expect(logs.at(-1)).toMatch(/^twilio-phone-message: refused sms to \+5511\*\*\*6500 by velocity /);
  });

  it('never refuses a number that asks again, nor a verification code, nor another block', async () => {
    const { send } = setup();
    for (let n = 0; n < DEFAULT_ENROLLMENTS_PER_BLOCK; n++) await send({ recipient: inBlock(n) });
    for (let again = 0; again < 5; again++) expect((await send({ recipient: inBlock(3) })).delivery).toBeDefined();
    expect((await send({ recipient: inBlock(700), purpose: 'verification' })).delivery).toBeDefined();
    expect((await send({ recipient: inBlock(700, '+55119877') })).delivery).toBeDefined();
  });

  it('never refuses an enrollment message that carries no code, nor counts its number', async () => {
    const { send } = setup({ ...SECRETS, ENROLLMENT_VELOCITY: '1' });
    expect((await send({ recipient: inBlock(1) })).delivery).toBeDefined();
    expect((await send({ recipient: inBlock(2), code: undefined, text: 'Your phone is enrolled.' })).delivery).toBeDefined();
    expect((await send({ recipient: inBlock(3) })).error?.layer).toBe('velocity');
  });

  it('is set by ENROLLMENT_VELOCITY, and off when it says off', async () => {
    const capped = setup({ ...SECRETS, ENROLLMENT_VELOCITY: '2' });
    expect((await capped.send({ recipient: inBlock(1) })).delivery).toBeDefined();
    expect((await capped.send({ recipient: inBlock(2) })).delivery).toBeDefined();
    expect((await capped.send({ recipient: inBlock(3) })).error?.layer).toBe('velocity');
    const off = setup({ ...SECRETS, ENROLLMENT_VELOCITY: 'off' });
    for (let n = 0; n < 30; n++) expect((await off.send({ recipient: inBlock(n) })).delivery).toBeDefined();
  });

  it("counts across containers through Auth0's cache: a campaign spread over fresh containers meets the same cap", async () => {
    const cache = memoryCache();
    const outcomes = [];
    for (let n = 0; n < 30; n++) outcomes.push(await setup(SECRETS, { cache }).send({ recipient: inBlock(n) }));
    expect(outcomes.filter((outcome) => outcome.delivery !== undefined)).toHaveLength(DEFAULT_ENROLLMENTS_PER_BLOCK);
  });

  it('forgets a number an hour after it was counted, to the millisecond', () => {
    let now = Date.UTC(2026, 11, 7, 12);
    const counts = velocityCounts(SECRETS.TWILIO_AUTH_TOKEN, undefined, new Map(), () => now);
    expect(admit(counts, inBlock(1) as E164, 1, now)).toEqual({ admitted: true, counted: 0 });
    now += VELOCITY_WINDOW_MS - 1;
    expect(admit(counts, inBlock(2) as E164, 1, now)).toEqual({ admitted: false, counted: 1 });
    now += 1;
    expect(admit(counts, inBlock(2) as E164, 1, now)).toEqual({ admitted: true, counted: 0 });
  });

  it("keeps the fullest blocks when the cache's share is full, a block as a keyed hash and its numbers' last three digits only", () => {
    const cache = memoryCache();
    const share = new CacheBudget(cache).share('velocity');
    const now = Date.UTC(2026, 11, 7, 12);
    const counts = velocityCounts(SECRETS.TWILIO_AUTH_TOKEN, share, new Map(), () => now);
    for (let n = 0; n < 8; n++) admit(counts, inBlock(n) as E164, 10, now);
    for (let block = 0; block < 400; block++) admit(counts, `+4477009${String(block).padStart(2, '0')}123` as E164, 10, now);
    expect(shareBytes(cache.values, 'velocity')).toBeLessThanOrEqual(CACHE_SHARES.velocity.bytes);
    const items = shareItems(cache.values, 'velocity');
    expect(items.filter((item) => /^[A-Za-z0-9_-]{10}=(\d{3}[0-9a-z]{1,2}\.){7}\d{3}[0-9a-z]{1,2}@[0-9a-z]+$/.test(item))).toHaveLength(1);
    expect(items.join(',')).not.toContain('55119876');
    // A fresh container reads the block under attack from the cache.
    const elsewhere = velocityCounts(SECRETS.TWILIO_AUTH_TOKEN, share, new Map(), () => now);
    expect(admit(elsewhere, inBlock(100) as E164, 8, now)).toEqual({ admitted: false, counted: 8 });
  });
});

describe('Twilio Lookup, where the tenant turns it on', () => {
  const LOOKUP = { ...SECRETS, TWILIO_LOOKUP: 'enrollment' };

  it('is never asked without TWILIO_LOOKUP', async () => {
    const { send, lookupRequest } = setup();
    await send();
    expect(lookupRequest).not.toHaveBeenCalled();
  });

  it("asks once for an enrollment's number, both packages in one GET of lookups.twilio.com, and never for a verification code", async () => {
    const { send, lookupRequest, messagesCreate } = setup(LOOKUP);
    expect((await send()).delivery).toBeDefined();
    expect(lookupRequest.mock.calls).toEqual([
      [{ method: 'get', uri: 'https://lookups.twilio.com/v2/PhoneNumbers/%2B5511987654321', params: { Fields: 'line_type_intelligence,sms_pumping_risk' } }],
    ]);
    await send();
    await send({ purpose: 'verification', recipient: '+5511987650000' });
    expect(lookupRequest).toHaveBeenCalledTimes(1);
    expect(messagesCreate).toHaveBeenCalledTimes(3);
  });

  it('asks for every code under TWILIO_LOOKUP=all, and for no notice', async () => {
    const { send, lookupRequest } = setup({ ...SECRETS, TWILIO_LOOKUP: 'all' });
    await send({ purpose: 'verification' });
    await send({ purpose: 'blocked-account', code: undefined, text: 'Your account is blocked.', recipient: '+5511987650001' });
    expect(lookupRequest).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['a premium line', { lineType: 'premium' }, 'is a premium-rate line, Twilio Lookup says; nothing was sent. Add premium_rate to ALLOWED_NUMBER_TYPES'],
    ['a voicemail line', { lineType: 'voicemail' }, 'is a voicemail line, Twilio Lookup says'],
    ['a number Fraud Guard blocks', { blocked: true }, 'is blocked by Verify Fraud Guard for SMS pumping, Twilio Lookup says'],
    ['a pumping risk above the threshold', { riskScore: DEFAULT_LOOKUP_MAX_RISK + 1 }, `has an SMS pumping risk score of ${DEFAULT_LOOKUP_MAX_RISK + 1} from Twilio Lookup, above TWILIO_LOOKUP_MAX_RISK (${DEFAULT_LOOKUP_MAX_RISK})`],
  ])('refuses %s, and remembers the answer: the next code is refused without a second lookup', async (_case, signals, reason) => {
    const { send, lookupRequest, messagesCreate, logs } = setup(LOOKUP);
    lookupRequest.mockImplementation(async () => ({ statusCode: 200, headers: {}, body: JSON.stringify(lookupAnswer(MOBILE_BR, signals)) }));
    const { error } = await send();
    expect(error).toMatchObject({ layer: 'lookup', transient: false });
    expect(error?.message).toContain(reason);
    expect((await send()).error?.layer).toBe('lookup');
    expect(lookupRequest).toHaveBeenCalledTimes(1);
    expect(messagesCreate).not.toHaveBeenCalled();
    expect(logs[0]).toMatch(/^twilio-phone-message: refused sms to \+5511\*\*\*4321 by lookup ms=\d+: The recipient phone number \(\+5511\*\*\*4321\) /);
  });

  it('lets the threshold itself through, and refuses above what TWILIO_LOOKUP_MAX_RISK says', async () => {
    const answer = (riskScore: number) => async () => ({ statusCode: 200, headers: {}, body: JSON.stringify(lookupAnswer(MOBILE_BR, { riskScore })) });
    const at = setup({ ...LOOKUP, TWILIO_LOOKUP_MAX_RISK: '40' });
    at.lookupRequest.mockImplementation(answer(40));
    expect((await at.send()).delivery).toBeDefined();
    const above = setup({ ...LOOKUP, TWILIO_LOOKUP_MAX_RISK: '40' });
    above.lookupRequest.mockImplementation(answer(41));
    expect((await above.send()).error?.layer).toBe('lookup');
  });

  it('lets a premium line through when ALLOWED_NUMBER_TYPES allows the type', async () => {
    const { send, lookupRequest } = setup({ ...LOOKUP, ALLOWED_NUMBER_TYPES: 'premium_rate' });
    lookupRequest.mockImplementation(async () => ({ statusCode: 200, headers: {}, body: JSON.stringify(lookupAnswer(MOBILE_BR, { lineType: 'premium' })) }));
    expect((await send()).delivery).toBeDefined();
  });

  it.each([
    ['an outage (503, retried, then given up)', () => Promise.reject(twilioRestError(503, 20503, 'Service Unavailable')), 'error 20503'],
    ['refused credentials (20003)', () => Promise.reject(twilioRestError(401, 20003, 'Authenticate')), 'error 20003'],
    ['an answer that is not JSON', async () => ({ statusCode: 200, headers: {}, body: '<html>' }), 'not JSON'],
    [
      'an account without the packages (60606 in each)',
      async () => ({ statusCode: 200, headers: {}, body: JSON.stringify({ ...lookupAnswer(MOBILE_BR, {}), line_type_intelligence: { error_code: 60606 }, sms_pumping_risk: { error_code: 60606 } }) }),
      'package error 60606',
    ],
  ])('sends the code when Lookup fails (%s), and says in the log line that it was not consulted', async (_case, answer, reason) => {
    const { send, lookupRequest, messagesCreate, logs } = setup(LOOKUP);
    lookupRequest.mockImplementation(answer);
    expect((await send()).delivery).toBeDefined();
    expect(messagesCreate).toHaveBeenCalledTimes(1);
    expect(logs[0]).toMatch(new RegExp(`^twilio-phone-message: sent sms .* shield: lookup not consulted \\(${reason.replace(/[()]/g, '\\$&')}\\)$`));
    expect(logs[0]?.length).toBeLessThanOrEqual(MAX_LOG_LINE_LENGTH);
    // Not remembered: the next code asks again.
    await send();
    expect(lookupRequest.mock.calls.length).toBeGreaterThan(1);
  });

  it('refuses instead when TWILIO_LOOKUP_FAIL=closed', async () => {
    const { send, lookupRequest, messagesCreate } = setup({ ...LOOKUP, TWILIO_LOOKUP_FAIL: 'closed' });
    lookupRequest.mockRejectedValue(twilioRestError(503, 20503, 'Service Unavailable'));
    const { error } = await send();
    expect(error).toMatchObject({ layer: 'lookup', transient: false });
    expect(error?.message).toBe('The recipient phone number (+5511***4321) could not be looked up (error 20503), and TWILIO_LOOKUP_FAIL=closed; nothing was sent. Check Lookup in the Twilio Console.');
    expect(messagesCreate).not.toHaveBeenCalled();
  });

  it(`gives up a Lookup that never answers after ${LOOKUP_BUDGET_MS} ms, and the code still goes within the send's deadline`, async () => {
    jest.useFakeTimers();
    try {
      const { send, lookupRequest, messagesCreate, logs } = setup(LOOKUP);
      lookupRequest.mockImplementation(() => new Promise(() => undefined));
      const sending = send();
      await jest.advanceTimersByTimeAsync(LOOKUP_BUDGET_MS);
      const { delivery } = await sending;
      expect(delivery?.elapsedMs).toBeGreaterThanOrEqual(LOOKUP_BUDGET_MS);
      expect(delivery?.elapsedMs).toBeLessThan(SEND_DEADLINE_MS);
      expect(messagesCreate).toHaveBeenCalledTimes(1);
      expect(logs[0]).toContain('shield: lookup not consulted (no answer)');
    } finally {
      jest.useRealTimers();
    }
  });

  it("asks once across containers that share Auth0's cache", async () => {
    const cache = memoryCache();
    const first = setup(LOOKUP, { cache });
    await first.send();
    const second = setup(LOOKUP, { cache });
    await second.send();
    expect(first.lookupRequest).toHaveBeenCalledTimes(1);
    expect(second.lookupRequest).not.toHaveBeenCalled();
    const stored = shareItems(cache.values, 'lookup').join(',');
    expect(stored).toMatch(/^[A-Za-z0-9_-]{10}=mobile~0~0@[0-9a-z]+$/);
    expectNoSecrets([stored], ['5511987654321'.slice(-7), SECRETS.TWILIO_AUTH_TOKEN]);
  });
});

describe("the one owner of Auth0's cache", () => {
  it("gives each user a share that together fit Auth0's limits: a few entries each, at most 4 KB a value, 8 KB in all", () => {
    const shares = Object.values(CACHE_SHARES);
    expect(shares.reduce((total, share) => total + share.bytes, 0)).toBeLessThanOrEqual(AUTH0_CACHE_MAX_TOTAL_BYTES);
    expect(shares.reduce((total, share) => total + share.keys, 0)).toBeLessThanOrEqual(AUTH0_CACHE_MAX_ENTRIES);
    for (const share of shares) expect(share.bytes / share.keys).toBeLessThanOrEqual(AUTH0_CACHE_MAX_VALUE_BYTES);
    expect(new Set(shares.map((share) => share.key)).size).toBe(shares.length);
  });

  it('is the only writer of the cache: a write rewrites the one entry of its item, cut at whole items to that entry\'s bytes', () => {
    const cache = memoryCache();
    const share = new CacheBudget(cache).share('lookup');
    const items = Array.from({ length: 500 }, (_, index) => `${String.fromCharCode(65 + (index % 26))}item${index}`);
    share?.write(items, 1000, 'A');
    const entries = shareEntries(cache.values, 'lookup');
    expect(entries).toHaveLength(1);
    const [key = '', value = ''] = entries[0] ?? [];
    expect(key).toMatch(new RegExp(`^${CACHE_SHARES.lookup.key}:\\d$`));
    expect(key.length + value.length).toBeLessThanOrEqual(CACHE_SHARES.lookup.bytes / CACHE_SHARES.lookup.keys);
    expect(key.length + value.length).toBeGreaterThan(CACHE_SHARES.lookup.bytes / CACHE_SHARES.lookup.keys - 12);
    // Only the items of that entry: those whose first character goes to it, as 'A' does.
    expect(new Set(value.split(',').map((item) => item.charCodeAt(0) % CACHE_SHARES.lookup.keys))).toEqual(new Set(['A'.charCodeAt(0) % CACHE_SHARES.lookup.keys]));
    share?.write(items, 1000, 'B');
    expect(shareEntries(cache.values, 'lookup')).toHaveLength(2);
    expect(new CacheBudget(undefined).share('lookup')).toBeUndefined();
  });
});

describe('a refusal', () => {
  it('ends where its reason ends when there is no fix to add', () => {
    expect(() => refuse({ layer: 'countries' }, '+15550105310' as E164, 'belongs nowhere', '')).toThrow(
      expect.objectContaining({ layer: 'countries', message: 'The recipient phone number (+1555***5310) belongs nowhere; nothing was sent.' }),
    );
  });

  it('of Lookup, that could not answer, is named as such', () => {
    expect(new LookupUnavailableError('no answer')).toMatchObject({ name: 'LookupUnavailableError', message: 'no answer' });
  });
});
