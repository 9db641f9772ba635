import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { connect, createServer as createTcpServer, Socket as TcpSocket, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls = require('node:tls');
import { HttpTransport, IDLE_CONNECTION_TIMEOUT_MS, PRECONNECT_WAIT_MS } from '../../src/core/transport';
import { loopbackCertificate } from '../../tools/fake-twilio/tls';
import { waitUntil } from '../helpers/wait';

// The transport opens the connection to Twilio before the library loads (`preconnect`), and the
// first request takes it. What must hold: the request uses that one connection; a warm pool opens
// none; and a preconnect that fails, before or during the request, leaves the request as it was.

/** What the HTTPS server does with a new TCP connection: answer, reset it, or say nothing for 100 ms (no handshake) and reset it. */
type Greeting = 'answer' | 'reset' | 'silent-then-reset';

interface TwilioLike {
  server: Server;
  origin: string;
  /** TCP connections accepted. */
  connections: number;
  /** TLS handshakes completed. */
  handshakes: number;
  greet: Greeting[];
  /** The TCP connections the front accepted, the client's side of each as the front sees it. */
  sockets: Socket[];
}

let certificate: { key: string; cert: string };
let previousCaBundle: string | undefined;

beforeAll(async () => {
  certificate = await loopbackCertificate();
  const caFile = join(mkdtempSync(join(tmpdir(), 'preconnect-')), 'ca.pem');
  writeFileSync(caFile, certificate.cert);
  previousCaBundle = process.env.TWILIO_CA_BUNDLE;
  process.env.TWILIO_CA_BUNDLE = caFile;
});

afterAll(() => {
  if (previousCaBundle === undefined) delete process.env.TWILIO_CA_BUNDLE;
  else process.env.TWILIO_CA_BUNDLE = previousCaBundle;
});

const servers: Server[] = [];
const transports: HttpTransport[] = [];

afterEach(async () => {
  transports.splice(0).forEach((transport) => transport.close());
  await Promise.all(servers.splice(0).map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
});

/**
 * An HTTPS server on 127.0.0.1 that answers as Twilio does, behind a TCP front that greets each
 * new connection as `greet` says, in turn, then hands it to the server.
 */
async function twilioLike(greet: Greeting[] = []): Promise<TwilioLike> {
  const state = { connections: 0, handshakes: 0, greet: [...greet], sockets: [] as Socket[] };
  const https = createServer(certificate, (_request, response) => {
    response.writeHead(201, { 'Content-Type': 'application/json' });
    response.end('{"sid":"SM00000000000000000000000000000001"}');
  });
  https.on('secureConnection', () => state.handshakes++);
  await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
  const httpsPort = (https.address() as AddressInfo).port;
  const front = createTcpServer((socket: Socket) => {
    state.connections++;
    state.sockets.push(socket);
    const greeting = state.greet.shift() ?? 'answer';
    if (greeting === 'reset') return socket.destroy();
    if (greeting === 'silent-then-reset') return void setTimeout(() => socket.destroy(), 100);
    const inner = connect(httpsPort, '127.0.0.1');
    socket.pipe(inner).pipe(socket);
    socket.on('error', () => inner.destroy());
    inner.on('error', () => socket.destroy());
    socket.on('close', () => inner.destroy());
  });
  front.on('close', () => https.close());
  servers.push(front);
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  const origin = `https://127.0.0.1:${(front.address() as AddressInfo).port}`;
  return Object.assign(state, { server: front, origin });
}

/** Fakes only the clock of the transport's own timers: the sockets keep real time. */
const TRANSPORT_CLOCK_ONLY: FakeTimersConfig = { doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask', 'hrtime', 'performance'] };

function transport(): HttpTransport {
  const created = new HttpTransport();
  transports.push(created);
  return created;
}

/** One request, as an attempt of the sender makes it. */
function post(through: HttpTransport, origin: string) {
  return through.request({ method: 'post', uri: `${origin}/2010-04-01/Accounts/AC1/Messages.json`, data: { To: '+15550105310' } }, { timeoutMs: 4_000, signal: new AbortController().signal });
}

describe('a connection opened ahead (preconnect)', () => {
  it('is the one the first request takes, once its handshake is done', async () => {
    const twilio = await twilioLike();
    const sender = transport();
    sender.preconnect(twilio.origin);
    await waitUntil('the handshake of the connection opened ahead', () => twilio.handshakes === 1);
    await expect(post(sender, twilio.origin)).resolves.toMatchObject({ statusCode: 201 });
    expect(twilio.connections).toBe(1);
  });

  it('is the one the first request takes while its handshake is still going on', async () => {
    const twilio = await twilioLike();
    const sender = transport();
    sender.preconnect(twilio.origin);
    await expect(post(sender, twilio.origin)).resolves.toMatchObject({ statusCode: 201 });
    expect(twilio.connections).toBe(1);
  });

  it('is waited for until its TCP handshake is done, so that its TLS greeting is out before the library loads', async () => {
    const twilio = await twilioLike();
    const sender = transport();
    await sender.preconnect(twilio.origin);
    expect(twilio.connections).toBe(1);
  });

  it(`is waited for ${PRECONNECT_WAIT_MS} ms at most when its handshake never comes (a SYN dropped on the way)`, async () => {
    jest.useFakeTimers();
    const neverConnects = jest.spyOn(tls, 'connect').mockImplementation(() => new TcpSocket() as tls.TLSSocket);
    try {
      let settled = false;
      void transport()
        .preconnect('https://api.twilio.com')
        ?.then(() => {
          settled = true;
        });
      await jest.advanceTimersByTimeAsync(PRECONNECT_WAIT_MS - 1);
      expect(settled).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      expect(settled).toBe(true);
      expect(neverConnects).toHaveBeenCalledTimes(1);
    } finally {
      neverConnects.mockRestore();
      jest.useRealTimers();
    }
  });

  it('is not waited for in a warm container: nothing is opened, so there is nothing to wait for', async () => {
    const twilio = await twilioLike();
    const sender = transport();
    await post(sender, twilio.origin);
    expect(sender.preconnect(twilio.origin)).toBeUndefined();
    expect(twilio.connections).toBe(1);
  });

  it('is not opened when the pool holds a connection (a warm container changes nothing)', async () => {
    const twilio = await twilioLike();
    const sender = transport();
    await post(sender, twilio.origin);
    sender.preconnect(twilio.origin);
    await post(sender, twilio.origin);
    expect(twilio.connections).toBe(1);
  });

  it('is opened once, however often it is asked for before a request takes it', async () => {
    const twilio = await twilioLike();
    const sender = transport();
    sender.preconnect(twilio.origin);
    sender.preconnect(twilio.origin);
    await post(sender, twilio.origin);
    expect(twilio.connections).toBe(1);
  });

  it('that the far end refuses costs the request nothing: it opens its own, as without', async () => {
    const twilio = await twilioLike(['reset']);
    const sender = transport();
    sender.preconnect(twilio.origin);
    await waitUntil('the refused connection opened ahead', () => twilio.connections === 1);
    await expect(post(sender, twilio.origin)).resolves.toMatchObject({ statusCode: 201 });
    expect(twilio.connections).toBe(2);
  });

  it('that fails while the request waits for its handshake gives the request a fresh connection', async () => {
    const twilio = await twilioLike(['silent-then-reset']);
    const sender = transport();
    sender.preconnect(twilio.origin);
    await expect(post(sender, twilio.origin)).resolves.toMatchObject({ statusCode: 201 });
    expect(twilio.connections).toBe(2);
    expect(twilio.handshakes).toBe(1);
  });

  it('to a port where nothing listens is silent, and so is one to a name that is no host', async () => {
    const twilio = await twilioLike();
    const closed = await twilioLike();
    await new Promise<void>((resolve) => closed.server.close(() => resolve()));
    servers.splice(servers.indexOf(closed.server), 1);
    const sender = transport();
    sender.preconnect(closed.origin);
    sender.preconnect('https://no-such-host.invalid');
    sender.preconnect('not a URL');
    await expect(post(sender, twilio.origin)).resolves.toMatchObject({ statusCode: 201 });
    await expect(post(sender, closed.origin)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('is opened for its origin although the pool holds a connection to another', async () => {
    const [first, second] = [await twilioLike(), await twilioLike()];
    const sender = transport();
    await post(sender, first.origin);
    expect(sender.preconnect(second.origin)).toBeDefined();
    await waitUntil('the connection opened ahead to the second origin', () => second.connections === 1);
    await post(sender, second.origin);
    expect(second.connections).toBe(1);
  });

  it.each([
    ['the far end resets it', (socket: Socket) => socket.resetAndDestroy()],
    ['the far end closes it after the handshake', (socket: Socket) => socket.end()],
  ])('that ends before a request takes it (%s) is forgotten: asked again, another opens, and the request takes that one', async (_case, end) => {
    const twilio = await twilioLike();
    const sender = transport();
    const opening = sender.preconnect(twilio.origin);
    await waitUntil('the handshake of the connection opened ahead', () => twilio.handshakes === 1);
    await opening;
    const ended = new Promise((resolve) => twilio.sockets[0]?.once('close', resolve));
    end(twilio.sockets[0] as Socket);
    await ended;
    // Well before the time after which an unused connection is dropped anyway.
    await waitUntil(
      'another connection opened ahead',
      () => {
        sender.preconnect(twilio.origin);
        return twilio.connections === 2;
      },
      IDLE_CONNECTION_TIMEOUT_MS / 2,
    );
    await expect(post(sender, twilio.origin)).resolves.toMatchObject({ statusCode: 201 });
    expect(twilio.connections).toBe(2);
  });

  it('taken by a request, is the pool\'s: kept open past the time an unused one is closed', async () => {
    const twilio = await twilioLike();
    const sender = transport();
    jest.useFakeTimers(TRANSPORT_CLOCK_ONLY);
    try {
      sender.preconnect(twilio.origin);
      await waitUntil('the handshake of the connection opened ahead', () => twilio.handshakes === 1);
      await post(sender, twilio.origin);
      jest.advanceTimersByTime(IDLE_CONNECTION_TIMEOUT_MS);
      await expect(post(sender, twilio.origin)).resolves.toMatchObject({ statusCode: 201 });
      expect(twilio.connections).toBe(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('closed unused, does not take along the one opened after it, although its close is told after that one opened', async () => {
    const twilio = await twilioLike();
    const sender = transport();
    jest.useFakeTimers(TRANSPORT_CLOCK_ONLY);
    try {
      sender.preconnect(twilio.origin);
      await waitUntil('the handshake of the first connection opened ahead', () => twilio.handshakes === 1);
      const firstClosed = new Promise((resolve) => twilio.sockets[0]?.once('close', resolve));
      // The first is closed as unused; its socket tells its close in a later turn of the event loop.
      jest.advanceTimersByTime(IDLE_CONNECTION_TIMEOUT_MS);
      expect(sender.preconnect(twilio.origin)).toBeDefined();
      await firstClosed;
      await waitUntil('the handshake of the second connection opened ahead', () => twilio.handshakes === 2);
      await expect(post(sender, twilio.origin)).resolves.toMatchObject({ statusCode: 201 });
      expect(twilio.connections).toBe(2);
    } finally {
      jest.useRealTimers();
    }
  });

  it('taken while its handshake goes on, is the request\'s alone: its failure later opens no connection of its own', async () => {
    const twilio = await twilioLike();
    const sender = transport();
    sender.preconnect(twilio.origin);
    await expect(post(sender, twilio.origin)).resolves.toMatchObject({ statusCode: 201 });
    twilio.sockets[0]?.resetAndDestroy();
    // Once the pool has let the reset connection go, a preconnect opens the next one.
    await waitUntil('a preconnect after the reset', () => sender.preconnect(twilio.origin) !== undefined);
    await expect(post(sender, twilio.origin)).resolves.toMatchObject({ statusCode: 201 });
    expect(twilio.connections).toBe(2);
  });

  it('names the host it connects to (SNI), and no IP address, as the agent names a request', () => {
    const connecting = jest.spyOn(tls, 'connect').mockImplementation(() => new TcpSocket() as tls.TLSSocket);
    try {
      const sender = transport();
      sender.preconnect('https://api.twilio.com');
      sender.preconnect('https://127.0.0.1:9');
      expect(connecting.mock.calls.map(([options]) => (options as tls.ConnectionOptions).servername)).toEqual(['api.twilio.com', '']);
    } finally {
      connecting.mockRestore();
    }
  });

  it('is not made over plain HTTP: Twilio is reached over HTTPS only', async () => {
    const twilio = await twilioLike();
    transport().preconnect(twilio.origin.replace('https:', 'http:'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(twilio.connections).toBe(0);
  });
});
