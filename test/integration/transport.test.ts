import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeTwilio } from '../../tools/fake-twilio/server';
import type { TwilioRequestOptions } from '../../src/core/twilio-module';
import { getEventListeners } from 'node:events';
import { AttemptAbandonedError, AttemptTimeoutError, HttpTransport, MAX_RESPONSE_BYTES, OversizedAnswerError, sharedTransport, TwilioHttpError, UnreadAcceptanceError } from '../../src/core/transport';
import { startFakeTwilio, untilFakeHolds } from '../helpers/fake-twilio';
import { CODE, RECIPIENT, SECRETS } from '../fixtures/values';

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
    return transport.forAttempt({ timeoutMs, signal }).request(createRequest());
  }

  /** A create of a message, as the library asks for one. */
  function createRequest(): TwilioRequestOptions {
    return {
      method: 'post',
      // Twilio's own host: the route takes the connection to the fake.
      uri: `https://api.twilio.com/2010-04-01/Accounts/${SECRETS.TWILIO_ACCOUNT_SID}/Messages.json`,
      username: SECRETS.TWILIO_ACCOUNT_SID,
      password: SECRETS.TWILIO_AUTH_TOKEN,
      headers: { 'User-Agent': 'test', Accept: 'application/json' },
      data: { To: RECIPIENT, From: SECRETS.TWILIO_PHONE_NUMBER, Body: `Your code is ${CODE}`, MediaUrl: ['https://example.com/a.png', 'https://example.com/b.png'] },
    };
  }

  it('posts the form with Basic auth and hands the raw body of a success to the library', async () => {
    const response = await send();
    expect(response.statusCode).toBe(201);
    expect(JSON.parse(response.body)).toMatchObject({ sid: expect.stringMatching(/^SM[0-9a-f]{32}$/), to: RECIPIENT });
    expect(fake.requests[0]).toMatchObject({
      authorization: `Basic ${SECRETS.TWILIO_ACCOUNT_SID}:***`,
      form: { To: RECIPIENT, From: SECRETS.TWILIO_PHONE_NUMBER, Body: `Your code is ${CODE}`, MediaUrl: 'https://example.com/b.png' },
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

  it('ends an attempt whose answer stalls after the headers, at its timeout, closes its connection, and knows the create was accepted', async () => {
    fake.script({ kind: 'stall-after-headers' });
    const attempt = transport.forAttempt({ timeoutMs: STALL_TIMEOUT_MS, signal: new AbortController().signal });
    const error = await attempt.request(createRequest()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AttemptTimeoutError);
    expect(error).toMatchObject({ code: 'ETIMEDOUT', timeoutMs: STALL_TIMEOUT_MS });
    expect(attempt.acceptedStatus).toBe(201);
    await untilFakeHolds(fake, 0);
  });

  it('ends an attempt whose answer trickles, although bytes keep coming', async () => {
    fake.script({ kind: 'trickle', byteIntervalMs: 50 });
    const error = await send(undefined, STALL_TIMEOUT_MS).catch((caught: unknown) => caught);
    // A socket idle timeout would never fire on a trickle (a byte every 50 ms); the attempt's own limit does.
    expect(error).toMatchObject({ name: 'AttemptTimeoutError', timeoutMs: STALL_TIMEOUT_MS });
    await untilFakeHolds(fake, 0);
  });

  it('ends an attempt the sender gives up, and closes its connection', async () => {
    fake.script({ kind: 'hang' });
    const abandon = new AbortController();
    const sending = send(abandon.signal, 60_000).catch((caught: unknown) => caught);
    await untilFakeHolds(fake, 1);
    abandon.abort();
    expect(await sending).toBeInstanceOf(AttemptAbandonedError);
    await untilFakeHolds(fake, 0);
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
    await untilFakeHolds(fake, 30);
    const healthy = await Promise.all(Array.from({ length: 30 }, () => send()));
    expect(healthy.map((response) => response.statusCode)).toEqual(Array(30).fill(201));
    for (const outcome of await Promise.all(stalled)) expect(outcome).toBeInstanceOf(AttemptTimeoutError);
    await untilFakeHolds(fake, 0);
  });

  it('speaks HTTPS to the host of the URI, trusting the certificate TWILIO_CA_BUNDLE names, as the library does, and no other', async () => {
    // The fake's certificate, which every test file trusts through TWILIO_CA_BUNDLE (test/helpers/network.ts).
    expect((await send()).statusCode).toBe(201);
    expect(fake.requests.map((request) => request.host)).toEqual(['api.twilio.com']);
    expect(fake.servernames).toEqual(['api.twilio.com']);
    const previous = process.env.TWILIO_CA_BUNDLE;
    delete process.env.TWILIO_CA_BUNDLE;
    try {
      transport = new HttpTransport();
      await expect(send()).rejects.toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    } finally {
      process.env.TWILIO_CA_BUNDLE = previous;
    }
    expect(fake.requests).toHaveLength(1);
  });
});

describe('the transport, against answers made to measure', () => {
  type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;
  let server: Server;
  let handler: Handler = () => undefined;
  const received: Array<{ method: string | undefined; headers: IncomingMessage['headers']; body: string; url: string | undefined }> = [];
  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        received.push({ method: request.method, headers: request.headers, body, url: request.url });
        handler(request, body, response);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    received.length = 0;
  });

  const answer = (status: number, body: string | Buffer, headers: Record<string, string> = {}): Handler => (_request, _body, response) => {
    response.writeHead(status, headers);
    response.end(body);
  };

  function send(options: Partial<TwilioRequestOptions> = {}, signal = new AbortController().signal) {
    const { port } = server.address() as AddressInfo;
    return new HttpTransport().forAttempt({ timeoutMs: 10_000, signal }).request({ method: 'post', uri: `http://127.0.0.1:${port}/x`, ...options });
  }

  it('sends the method in capitals, no Authorization without both credentials, and no body without data', async () => {
    handler = answer(200, '{}');
    await send({ method: 'get', username: 'AC1' });
    expect(received[0]).toMatchObject({ method: 'GET', body: '' });
    expect(received[0]?.headers.authorization).toBeUndefined();
    expect(received[0]?.headers['content-length']).toBeUndefined();
    await send({ method: 'get', password: 'a secret without its user' });
    expect(received[1]?.headers.authorization).toBeUndefined();
  });

  it('adds params to the query, skips empty values, repeats arrays, and sends JSON when the library asks for it', async () => {
    handler = answer(201, '{}');
    await send({ params: { A: 'a b', B: undefined, C: ['1', null, '2'] }, data: { To: '+1', Skip: null, Many: ['x', 'y'] } });
    expect(received[0]).toMatchObject({ url: '/x?A=a+b&C=1&C=2', body: 'To=%2B1&Many=x&Many=y' });
    expect(received[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    await send({ headers: { 'Content-Type': 'application/json' }, data: { To: '+1' } });
    expect(received[1]).toMatchObject({ body: '{"To":"+1"}' });
    expect(received[1]?.headers['content-type']).toBe('application/json');
    expect(received[1]?.headers['content-length']).toBe('11');
  });

  it.each([
    [200, true],
    [299, true],
    [300, false],
  ])('takes HTTP %i for a success: %s', async (status, success) => {
    handler = answer(status, '{"sid":"SM1"}');
    const outcome = await send().then(
      (response) => response.statusCode,
      (error: unknown) => error,
    );
    if (success) expect(outcome).toBe(status);
    else expect(outcome).toMatchObject({ name: 'TwilioHttpError', status });
  });

  it.each([
    ['blank', ' \n ', {}, 'empty'],
    ['an HTML page by its type only', 'Bad gateway', { 'Content-Type': 'text/html; charset=utf-8' }, 'html'],
    ['markup after blanks', '  <html>', {}, 'html'],
    ['text', 'upstream reset', { 'Content-Type': 'text/plain' }, 'text'],
    ['JSON that is not an object', '"oops"', {}, 'json'],
    ['JSON null', 'null', {}, 'json'],
    ['text with markup inside, without a type', 'upstream < reset', {}, 'text'],
    ['JSON with a message that is not text', '{"code":20500,"message":42}', {}, 'json'],
  ])('reads an error body that is %s as %s', async (_case, body, headers, kind) => {
    handler = answer(502, body, headers);
    const error = await send().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'TwilioHttpError', status: 502, body: kind, message: '' });
  });

  it.each([
    [' 7 ', 7_000],
    ['12', 12_000],
    ['3a', undefined],
    ['a3', undefined],
    ['soon', undefined],
  ])('reads Retry-After %j', async (retryAfter, expected) => {
    handler = answer(429, '{"code":20429}', { 'Retry-After': retryAfter });
    expect(await send().catch((caught: unknown) => caught)).toMatchObject({ retryAfterMs: expected });
  });

  it('reads a Retry-After date as the time until it, and a past one as no wait', async () => {
    // A minute ahead, so that however long the request takes, the wait read stays far from 0.
    handler = answer(429, '{}', { 'Retry-After': new Date(Date.now() + 60_000).toUTCString() });
    const future = (await send().catch((caught: unknown) => caught)) as { retryAfterMs: number };
    expect(future.retryAfterMs).toBeGreaterThan(30_000);
    expect(future.retryAfterMs).toBeLessThanOrEqual(60_000);
    handler = answer(429, '{}', { 'Retry-After': new Date(Date.now() - 60_000).toUTCString() });
    expect(await send().catch((caught: unknown) => caught)).toMatchObject({ retryAfterMs: 0 });
  });

  it(`takes an answer of exactly ${MAX_RESPONSE_BYTES} bytes, and cuts off one byte more`, async () => {
    handler = answer(201, Buffer.alloc(MAX_RESPONSE_BYTES, 0x20));
    expect((await send()).body).toHaveLength(MAX_RESPONSE_BYTES);
    handler = answer(201, Buffer.alloc(MAX_RESPONSE_BYTES + 1, 0x20));
    expect(await send().catch((caught: unknown) => caught)).toMatchObject({ name: 'OversizedAnswerError', status: 201, message: `an answer of more than ${MAX_RESPONSE_BYTES} bytes` });
  });

  /** A success (or not) whose body starts, then its connection drops. */
  const cutAnswer = (status: number): Handler => (_request, _body, response) => {
    response.writeHead(status, { 'Content-Length': '100' });
    response.write('{"sid":');
    setTimeout(() => response.socket?.destroy(), 20);
  };

  it('rejects a connection dropped in the middle of an answer as the connection failure it is', async () => {
    handler = cutAnswer(502);
    expect(await send().catch((caught: unknown) => caught)).toMatchObject({ code: 'ECONNRESET' });
    handler = cutAnswer(200);
    expect(await send({ method: 'get' }).catch((caught: unknown) => caught)).toMatchObject({ code: 'ECONNRESET' });
  });

  it('rejects a create whose success was cut with the cut, and the attempt knows it was accepted from the headers on', async () => {
    handler = cutAnswer(201);
    const { port } = server.address() as AddressInfo;
    const attempt = new HttpTransport().forAttempt({ timeoutMs: 10_000, signal: new AbortController().signal });
    expect(attempt.acceptedStatus).toBeUndefined();
    const error = await attempt.request({ method: 'post', uri: `http://127.0.0.1:${port}/x` }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'ECONNRESET' });
    expect(attempt.acceptedStatus).toBe(201);
  });

  it('knows no acceptance of an error answer, nor of a success to a read (a GET creates nothing)', async () => {
    const { port } = server.address() as AddressInfo;
    for (const [status, method] of [[400, 'post'], [503, 'post'], [200, 'get']] as const) {
      handler = answer(status, '{}');
      const attempt = new HttpTransport().forAttempt({ timeoutMs: 10_000, signal: new AbortController().signal });
      await attempt.request({ method, uri: `http://127.0.0.1:${port}/x` }).catch(() => undefined);
      expect(attempt.acceptedStatus).toBeUndefined();
    }
  });

  it('gives an attempt given up before it started no connection at all', async () => {
    handler = answer(201, '{}');
    const abandon = new AbortController();
    abandon.abort();
    const error = await send({}, abandon.signal).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'AttemptAbandonedError', message: 'the sender gave this attempt up' });
    expect(received).toHaveLength(0);
  });

  it('is one transport, so one pool of connections, for every send of a container', () => {
    expect(sharedTransport()).toBeInstanceOf(HttpTransport);
    expect(sharedTransport()).toBe(sharedTransport());
  });

  it.each([
    [200, 200],
    [299, 299],
    [300, undefined],
  ])('knows the acceptance of a create answered HTTP %i: %p', async (status, accepted) => {
    handler = answer(status, '{}');
    const { port } = server.address() as AddressInfo;
    const attempt = new HttpTransport().forAttempt({ timeoutMs: 10_000, signal: new AbortController().signal });
    await attempt.request({ method: 'post', uri: `http://127.0.0.1:${port}/x` }).catch(() => undefined);
    expect(attempt.acceptedStatus).toBe(accepted);
  });

  it("leaves no listener on the attempt's signal once its answer is in, whatever the answer", async () => {
    const signal = new AbortController().signal;
    for (const status of [201, 503]) {
      handler = answer(status, '{}');
      await send({}, signal).catch(() => undefined);
      expect(getEventListeners(signal, 'abort')).toEqual([]);
    }
  });

  it('names an acceptance it could not read whole', () => {
    const reason = new AttemptTimeoutError(4_000);
    expect(new UnreadAcceptanceError(201, reason)).toMatchObject({
      name: 'UnreadAcceptanceError',
      status: 201,
      reason,
      message: 'Twilio accepted the request (HTTP 201) but its answer could not be read whole',
    });
  });

  it('names its timeout', () => {
    expect(new AttemptTimeoutError(4_000)).toMatchObject({ name: 'AttemptTimeoutError', code: 'ETIMEDOUT', message: 'no complete answer within 4000 ms' });
  });
});
