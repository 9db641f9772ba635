import { once } from 'node:events';
import { Agent, request } from 'node:https';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { LatencyRelay } from '../../tools/fake-twilio/latency-relay';
import { routeTwilio } from '../../tools/fake-twilio/route';
import { FakeTwilio } from '../../tools/fake-twilio/server';
import { twilioCertificate } from '../../tools/fake-twilio/tls';
import { CODE, RECIPIENT, SECRETS } from '../fixtures/values';
import { waitUntil } from '../helpers/wait';

/**
 * Large against the delays of a loaded machine (two CPU hogs on two cores added up to 99 ms to a
 * cold TLS exchange: five times that is allowed), yet a relay that charged each exchange twice
 * would still miss the bounds.
 */
const RTT_MS = 500;
/**
 * Timers fire late, never early (by more than a millisecond): bounds below are tight; above, a
 * loaded machine may add up to a round trip less a little, but not a whole one (the relay's
 * round-trip count checks the rest exactly).
 */
const EARLY_MS = 3;
const LATE_MS = RTT_MS - 5;

/** An echo server: what comes in goes back, and an end is answered with an end. */
async function echoServer(): Promise<{ server: Server; port: number }> {
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    // A relay that closes drops its leg to this server, with a reset when bytes were still
    // unread: that is the relay's doing, and tested on its side.
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => socket.write(chunk));
    socket.on('end', () => socket.end());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port };
}

function readUntil(socket: Socket, bytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= bytes) {
        socket.off('data', onData);
        resolve(Buffer.concat(chunks));
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
}

describe('the latency relay', () => {
  let echo: { server: Server; port: number };
  let relay: LatencyRelay;
  beforeAll(async () => {
    echo = await echoServer();
  });
  afterAll(() => new Promise<void>((resolve) => echo.server.close(() => resolve())));
  beforeEach(async () => {
    relay = await new LatencyRelay({ host: '127.0.0.1', port: echo.port }, RTT_MS).start();
  });
  afterEach(() => relay.close());

  it('charges one RTT for the TCP handshake and one for each exchange, and keeps the order of the bytes', async () => {
    const started = performance.now();
    const socket = connect({ host: '127.0.0.1', port: relay.port });
    const message = Buffer.from(Array.from({ length: 200 }, (_, index) => `chunk ${index};`).join(''));
    // Written in many pieces, as a stream would be: they must come back whole and in order.
    for (let offset = 0; offset < message.length; offset += 37) socket.write(message.subarray(offset, offset + 37));
    const first = await readUntil(socket, message.length);
    const cold = performance.now() - started;
    expect(first.equals(message)).toBe(true);
    expect(cold).toBeGreaterThanOrEqual(2 * RTT_MS - EARLY_MS);
    expect(cold).toBeLessThan(2 * RTT_MS + LATE_MS);

    const warmStarted = performance.now();
    socket.write('again');
    expect((await readUntil(socket, 5)).toString()).toBe('again');
    const warm = performance.now() - warmStarted;
    expect(warm).toBeGreaterThanOrEqual(RTT_MS - EARLY_MS);
    expect(warm).toBeLessThan(RTT_MS + LATE_MS);

    socket.end();
    await once(socket, 'close');
    expect(relay.stats).toMatchObject({ connections: 1, roundTrips: 3, bytesUp: message.length + 5, bytesDown: message.length + 5 });
  });

  it('passes an end on after the one-way delay, and closes both legs', async () => {
    const socket = connect({ host: '127.0.0.1', port: relay.port, allowHalfOpen: true });
    await once(socket, 'connect');
    const started = performance.now();
    socket.end();
    await once(socket, 'end');
    // The client's end reaches the echo server (RTT/2, after the handshake's RTT), whose end comes back (RTT/2).
    expect(performance.now() - started).toBeGreaterThanOrEqual(RTT_MS - EARLY_MS);
    await once(socket, 'close');
  });

  it('drops every connection and timer on close', async () => {
    // A round trip of a minute: whatever a loaded machine delays, the bytes are still queued
    // (on a timer) when the relay closes.
    const slow = await new LatencyRelay({ host: '127.0.0.1', port: echo.port }, 60_000).start();
    try {
      const socket = connect({ host: '127.0.0.1', port: slow.port });
      // The relay's close resets this connection: a reset is what is expected, not a failure. (Not
      // `once(socket, 'close')`, which rejects on the 'error' that comes first: under load the
      // reset can even reach the client before its own connect has completed.)
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      socket.on('error', () => undefined);
      await once(socket, 'connect');
      socket.write('pending');
      await waitUntil('the relay to take the bytes written', () => slow.stats.bytesUp >= 'pending'.length);
      expect(slow.held).toEqual({ sockets: 2, timers: 1 });
      await slow.close();
      await closed;
      expect(slow.held).toEqual({ sockets: 0, timers: 0 });
    } finally {
      // Closing again is harmless; and a failed check above leaves nothing open behind it.
      await slow.close();
    }
  });
});

describe('HTTPS through the relay to the fake Twilio', () => {
  it('costs three RTTs on a new connection (TCP, TLS 1.3, request) and one on a kept one', async () => {
    const { cert } = await twilioCertificate();
    const fake = await new FakeTwilio({ accountSid: SECRETS.TWILIO_ACCOUNT_SID, authToken: SECRETS.TWILIO_AUTH_TOKEN }).start();
    const relay = await new LatencyRelay({ host: '127.0.0.1', port: fake.port }, RTT_MS).start();
    // api.twilio.com is routed to the relay, as the benchmark routes it.
    const unroute = routeTwilio(relay.port);
    const agent = new Agent({ keepAlive: true, ca: cert });
    const post = (): Promise<number> =>
      new Promise((resolve, reject) => {
        const started = performance.now();
        const body = new URLSearchParams({ To: RECIPIENT, From: SECRETS.TWILIO_PHONE_NUMBER, Body: `Your code is ${CODE}` }).toString();
        const sent = request(
          `https://api.twilio.com/2010-04-01/Accounts/${SECRETS.TWILIO_ACCOUNT_SID}/Messages.json`,
          {
            method: 'POST',
            agent,
            auth: `${SECRETS.TWILIO_ACCOUNT_SID}:${SECRETS.TWILIO_AUTH_TOKEN}`,
            headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) },
          },
          (response) => {
            response.resume();
            response.on('end', () => (response.statusCode === 201 ? resolve(performance.now() - started) : reject(new Error(`HTTP ${response.statusCode}`))));
          },
        );
        sent.on('error', reject);
        sent.end(body);
      });
    try {
      const cold = await post();
      // TCP handshake, ClientHello, client Finished with the request.
      expect(relay.stats.roundTrips).toBe(3);
      const warm = await post();
      expect(relay.stats.roundTrips).toBe(4);
      expect(cold).toBeGreaterThanOrEqual(3 * RTT_MS - EARLY_MS);
      expect(cold).toBeLessThan(3 * RTT_MS + LATE_MS);
      expect(warm).toBeGreaterThanOrEqual(RTT_MS - EARLY_MS);
      expect(warm).toBeLessThan(RTT_MS + LATE_MS);
      expect(relay.stats.connections).toBe(1);
      expect(fake.connections).toBe(1);
      expect(fake.requests.map((request) => request.host)).toEqual(['api.twilio.com', 'api.twilio.com']);
      expect(fake.contractViolations).toEqual([]);
    } finally {
      unroute();
      agent.destroy();
      await relay.close();
      await fake.stop();
    }
  });
});
