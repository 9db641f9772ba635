import type { FakeTwilio } from '../../tools/fake-twilio/server';
import { AttemptAbandonedError, AttemptTimeoutError, HttpTransport, MAX_RESPONSE_BYTES, OversizedAnswerError, TwilioHttpError } from '../../src/core/transport';
import { startFakeTwilio } from '../helpers/fake-twilio';
import { SECRETS } from '../helpers/mock-twilio';

/** For answers that never complete: any limit shows the behaviour, a short one keeps the suite fast. */
const STALL_TIMEOUT_MS = 300;
/** For answers that do complete: far above a loopback roundtrip even on a loaded machine. */
const TIMEOUT_MS = 10_000;

describe('the transport every twilio version is handed', () => {
  let fake: FakeTwilio;
  let transport: HttpTransport;
  beforeAll(async () => {
    fake = await startFakeTwilio();
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.reset();
    transport = new HttpTransport();
  });

  function send(signal: AbortSignal = new AbortController().signal, timeoutMs = TIMEOUT_MS) {
    return transport.forAttempt({ timeoutMs, signal }).request({
      method: 'post',
      uri: `${fake.baseUrl}/2010-04-01/Accounts/${SECRETS.TWILIO_ACCOUNT_SID}/Messages.json`,
      username: SECRETS.TWILIO_ACCOUNT_SID,
      password: SECRETS.TWILIO_AUTH_TOKEN,
      headers: { 'User-Agent': 'test', Accept: 'application/json' },
      data: { To: '+15550105310', From: '+15005550006', Body: 'Your code is 482913', StatusCallbackEvent: ['a', 'b'] },
    });
  }

  const waitFor = async (condition: () => boolean): Promise<void> => {
    for (let waited = 0; !condition(); waited += 5) {
      if (waited > 10_000) throw new Error('condition not met in 10 s');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  it('posts the form with Basic auth and hands the raw body of a success to the library', async () => {
    const response = await send();
    expect(response.statusCode).toBe(201);
    expect(JSON.parse(response.body)).toMatchObject({ sid: expect.stringMatching(/^SM[0-9a-f]{32}$/), to: '+15550105310' });
    expect(fake.requests[0]).toMatchObject({
      authorization: `Basic ${SECRETS.TWILIO_ACCOUNT_SID}:***`,
      form: { To: '+15550105310', From: '+15005550006', Body: 'Your code is 482913', StatusCallbackEvent: 'b' },
    });
  });

  it('keeps the connection alive for the next request', async () => {
    const before = fake.connections;
    await send();
    await send();
    expect(fake.connections - before).toBe(1);
  });

  it("rejects Twilio's JSON error with its status, code, message and Retry-After", async () => {
    fake.script({ kind: 'twilio-error', code: 20429, headers: { 'Retry-After': '3' } });
    const error = await send().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TwilioHttpError);
    expect(error).toMatchObject({ status: 429, code: 20429, message: 'Too Many Requests', body: 'json', retryAfterMs: 3_000 });
  });

  it.each([
    ['html', 502],
    ['text', 503],
    ['empty', 504],
  ] as const)('rejects a gateway answer (%s, HTTP %i) with its status and the kind of body, not a parse error', async (body, status) => {
    fake.script({ kind: 'gateway', status, body });
    const error = await send().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'TwilioHttpError', status, code: undefined, message: '', body });
  });

  it('ends an attempt whose answer stalls after the headers, at its timeout, and closes its connection', async () => {
    fake.script({ kind: 'stall-after-headers' });
    const error = await send(undefined, STALL_TIMEOUT_MS).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AttemptTimeoutError);
    expect(error).toMatchObject({ code: 'ETIMEDOUT', timeoutMs: STALL_TIMEOUT_MS });
    await waitFor(() => fake.heldConnections() === 0);
  });

  it('ends an attempt whose answer trickles, although bytes keep coming', async () => {
    fake.script({ kind: 'trickle', byteIntervalMs: 50 });
    const error = await send(undefined, STALL_TIMEOUT_MS).catch((caught: unknown) => caught);
    // A socket idle timeout would never fire on a trickle (a byte every 50 ms); the attempt's own limit does.
    expect(error).toMatchObject({ name: 'AttemptTimeoutError', timeoutMs: STALL_TIMEOUT_MS });
    await waitFor(() => fake.heldConnections() === 0);
  });

  it('ends an attempt the sender gives up, and closes its connection', async () => {
    fake.script({ kind: 'hang' });
    const abandon = new AbortController();
    const sending = send(abandon.signal, 60_000).catch((caught: unknown) => caught);
    await waitFor(() => fake.heldConnections() === 1);
    abandon.abort();
    expect(await sending).toBeInstanceOf(AttemptAbandonedError);
    await waitFor(() => fake.heldConnections() === 0);
  });

  it('cuts off an answer larger than any of Twilio', async () => {
    fake.script({ kind: 'sid', sid: 'x'.repeat(MAX_RESPONSE_BYTES) });
    const error = await send().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OversizedAnswerError);
    expect(error).toMatchObject({ status: 201 });
  });

  it('rejects a connection dropped by the far end with its code', async () => {
    fake.script({ kind: 'reset' });
    await expect(send()).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('never lets given-up attempts starve later ones: 30 stalled, then 30 healthy, all answered', async () => {
    fake.script(...Array.from({ length: 30 }, () => ({ kind: 'stall-after-headers' as const })));
    // Long enough for the healthy ones to run while all 30 are held.
    const stalled = Array.from({ length: 30 }, () => send(undefined, 2_000).catch((caught: unknown) => caught));
    await waitFor(() => fake.heldConnections() === 30);
    const healthy = await Promise.all(Array.from({ length: 30 }, () => send()));
    expect(healthy.map((response) => response.statusCode)).toEqual(Array(30).fill(201));
    for (const outcome of await Promise.all(stalled)) expect(outcome).toBeInstanceOf(AttemptTimeoutError);
    await waitFor(() => fake.heldConnections() === 0);
  });
});
