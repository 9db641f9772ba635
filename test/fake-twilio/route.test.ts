import { X509Certificate } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { checkServerIdentity, connect, type PeerCertificate, type TLSSocket } from 'node:tls';
import { TWILIO_EDGES, TWILIO_REGIONS } from '../../src/core/config';
import { LatencyRelay } from '../../tools/fake-twilio/latency-relay';
import { edgeDomain, installTwilioRoute, routeTwilio, takeRefusedConnections, twilioRouteOf } from '../../tools/fake-twilio/route';
import type { FakeTwilio } from '../../tools/fake-twilio/server';
import { twilioCertificate } from '../../tools/fake-twilio/tls';
import { senderClient, startFakeTwilio, TWILIO_MAJORS, twilioPackage, untilSettled } from '../helpers/fake-twilio';
import { CODE, RECIPIENT, SECRETS, VERIFY_SID } from '../fixtures/values';
import { waitUntil } from '../helpers/wait';
import { useFake } from './harness';

/**
 * How every test reaches the fake: Twilio's host names routed at the network (name and port) to
 * the fake's port on 127.0.0.1, the name kept as TLS server name and Host; what has no route is
 * refused at once and never looked up, and a fake that is down refuses as a host that is down.
 */

const MESSAGES = `/2010-04-01/Accounts/${SECRETS.TWILIO_ACCOUNT_SID}/Messages.json`;
/** What the raw clients below trust, as the sender's transport does through TWILIO_CA_BUNDLE. */
let ca: string;
beforeAll(async () => {
  ca = (await twilioCertificate()).cert;
});

/** Connects with a bare tls.connect, as a preconnect does; resolves with the socket once TLS is up, rejects with the connection's error. */
function bareConnect(options: { host: string; port?: number; servername?: string; lookup?: () => void }): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port: 443, ca, ...options, ...(options.lookup ? { lookup: options.lookup as never } : {}) }, () => resolve(socket));
    socket.once('error', reject);
  });
}

const SMS = new URLSearchParams({ To: RECIPIENT, From: SECRETS.TWILIO_PHONE_NUMBER, Body: `Your code is ${CODE}` }).toString();

/** One raw HTTPS request to `host` on a connection of its own (by default the POST of an SMS); resolves with the status. */
function send(host: string, { method = 'POST', path = MESSAGES, signal }: { method?: string; path?: string; signal?: AbortSignal } = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = method === 'POST' ? SMS : '';
    const sent = httpsRequest(
      `https://${host}${path}`,
      {
        method,
        agent: false,
        ca,
        auth: `${SECRETS.TWILIO_ACCOUNT_SID}:${SECRETS.TWILIO_AUTH_TOKEN}`,
        headers: body === '' ? {} : { 'Content-Type': 'application/x-www-form-urlencoded' },
        ...(signal ? { signal } : {}),
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    sent.on('error', reject);
    sent.end(body);
  });
}

describe("the fakes' certificate", () => {
  it('names every host the sender may address: each product, in each region and through each edge of it, and 127.0.0.1', () => {
    const certificate = new X509Certificate(ca).toLegacyObject() as PeerCertificate;
    const products = ['api', 'verify', 'messaging', 'content', 'voice', 'accounts'];
    const hosts = products.flatMap((product) => [
      `${product}.twilio.com`,
      ...TWILIO_REGIONS.map((region) => `${product}.${region}.twilio.com`),
      ...TWILIO_REGIONS.flatMap((region) => TWILIO_EDGES.map((edge) => `${product}.${edge}.${region}.twilio.com`)),
    ]);
    expect(hosts.filter((host) => checkServerIdentity(host, certificate) !== undefined)).toEqual([]);
    expect(checkServerIdentity('127.0.0.1', certificate)).toBeUndefined();
    // A wildcard covers one label: neither a host of no region nor one of another domain is named.
    expect(['api.nowhere.twilio.com.example', 'api.twilio.com.example', 'api.dublin.xx1.twilio.com'].map((host) => checkServerIdentity(host, certificate) === undefined)).toEqual([false, false, false]);
  });
});

describe("Twilio's host names, routed to the fake", () => {
  let fake: FakeTwilio;
  useFake((started) => (fake = started));
  // Some tests below route elsewhere, or unroute: each starts with every name routed to the fake.
  beforeEach(() => routeTwilio(fake.port));

  type Client = ReturnType<typeof senderClient>;
  /** An SMS, a Verify code and an SMS through the edge and region of Dublin, from clients made by `client`. */
  async function threeRequests(client: (options?: { region?: string; edge?: string }) => Client): Promise<void> {
    await client().messages.create({ to: RECIPIENT, from: SECRETS.TWILIO_PHONE_NUMBER, body: `Your code is ${CODE}` });
      await client().verify.v2.services(VERIFY_SID).verifications.create({ to: RECIPIENT, channel: 'sms' });
    await client({ region: 'ie1', edge: 'dublin' }).messages.create({ to: RECIPIENT, from: SECRETS.TWILIO_PHONE_NUMBER, body: `Your code is ${CODE}` });
    expect(fake.requests.map(({ host, outcome }) => [host, outcome])).toEqual([
      ['api.twilio.com', 201],
      ['verify.twilio.com', 201],
      ['api.dublin.ie1.twilio.com', 201],
    ]);
    // Every client made its own connection, asking for the name it addressed.
    expect(fake.servernames).toEqual(['api.twilio.com', 'verify.twilio.com', 'api.dublin.ie1.twilio.com']);
    expect(fake.contractViolations).toEqual([]);
  }

  it.each(TWILIO_MAJORS)('reach it from the real %s with the sender\'s transport: api.twilio.com, verify.twilio.com, api.dublin.ie1.twilio.com, each name the Host and the TLS server name', async (major) => {
    await threeRequests((options = {}) => senderClient(major, SECRETS.TWILIO_ACCOUNT_SID, SECRETS.TWILIO_AUTH_TOKEN, options));
  });

  // twilio 3's own client hands TWILIO_CA_BUNDLE to axios as `ca`, which axios ignores: it cannot trust the fake (nor a proxy's CA).
  it.each(TWILIO_MAJORS.filter((major) => major !== 'twilio-v3'))('reach it from the real %s with its own HTTP client (axios), which reads TWILIO_CA_BUNDLE', async (major) => {
    await threeRequests((options = {}) => twilioPackage(major)(SECRETS.TWILIO_ACCOUNT_SID, SECRETS.TWILIO_AUTH_TOKEN, options));
  });

  it('reaches it from a raw https.request to any product host, the certificate checked against the name', async () => {
    expect(await send('api.twilio.com')).toBe(201);
    expect(await send('voice.twilio.com', { method: 'GET', path: '/v1/DialingPermissions/Countries/BR' })).toBe(200);
    expect(fake.requests.map((request) => request.host)).toEqual(['api.twilio.com', 'voice.twilio.com']);
    expect(fake.servernames).toEqual(['api.twilio.com', 'voice.twilio.com']);
    expect(fake.contractViolations).toEqual([]);
  });

  it('reaches it from a bare tls.connect to api.twilio.com:443, as a preconnect opens one: the name checked, the SNI as the client set it', async () => {
    const connections = fake.connections;
    const named = await bareConnect({ host: 'api.twilio.com', servername: 'api.twilio.com' });
    // No server name given: Node sends none, and the route adds none; the certificate is still checked against the host.
    const unnamed = await bareConnect({ host: 'verify.twilio.com' });
    expect([named.authorized, unnamed.authorized]).toEqual([true, true]);
    expect([named.remoteAddress, named.remotePort]).toEqual(['127.0.0.1', fake.port]);
    // The client's handshake ends a moment before the server's.
    await waitUntil('the fake to have accepted both connections', () => fake.connections - connections === 2);
    expect(fake.servernames).toEqual(['api.twilio.com', undefined]);
    named.destroy();
    unnamed.destroy();
  });

  it('routes to a relay in front of the fake as well: the latency relay', async () => {
    const relay = await new LatencyRelay({ host: '127.0.0.1', port: fake.port }, 20).start();
    try {
      routeTwilio(relay.port);
      await twilioPackage('twilio')(SECRETS.TWILIO_ACCOUNT_SID, SECRETS.TWILIO_AUTH_TOKEN).messages.create({ to: RECIPIENT, from: SECRETS.TWILIO_PHONE_NUMBER, body: 'hi' });
      expect(relay.stats.connections).toBe(1);
      expect(fake.requests.map((request) => request.host)).toEqual(['api.twilio.com']);
      expect(fake.servernames).toEqual(['api.twilio.com']);
    } finally {
      await relay.close();
    }
  });

  it('sends each name where its most specific route says, and an undone route gives the one before back', async () => {
    const other = await startFakeTwilio();
    try {
      routeTwilio(fake.port);
      const undo = routeTwilio(other.port, edgeDomain('dublin', 'ie1'));
      expect([twilioRouteOf('api.twilio.com'), twilioRouteOf('API.Dublin.IE1.twilio.com.'), twilioRouteOf('verify.dublin.ie1.twilio.com')]).toEqual([fake.port, other.port, other.port]);
      expect(await send('api.dublin.ie1.twilio.com')).toBe(201);
      expect(await send('api.twilio.com')).toBe(201);
      expect([other.requests.length, fake.requests.length]).toEqual([1, 1]);
      undo();
      expect(twilioRouteOf('api.dublin.ie1.twilio.com')).toBe(fake.port);
      // A name that is not Twilio's is none of the route's business.
      expect(twilioRouteOf('api.twilio.com.example')).toBeUndefined();
    } finally {
      await other.stop();
    }
  });

  it('refuses a name when the fake routed there is down, as the system refuses a port where nothing listens', async () => {
    const down = await startFakeTwilio();
    await down.stop();
    routeTwilio(down.port);
    await expect(send('api.twilio.com')).rejects.toMatchObject({ code: 'ECONNREFUSED', address: '127.0.0.1', port: down.port });
    expect(takeRefusedConnections()).toEqual([]);
  });

  it('refuses every Twilio name at once, without looking it up, when nothing is routed, and records it', async () => {
    installTwilioRoute();
    const connections = fake.connections;
    let lookups = 0;
    const started = Date.now();
    await expect(bareConnect({ host: 'api.twilio.com', lookup: () => lookups++ })).rejects.toMatchObject({ code: 'ECONNREFUSED', syscall: 'connect', address: 'api.twilio.com', port: 443 });
    await expect(send('api.sydney.au1.twilio.com')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(lookups).toBe(0);
    // A DNS lookup, or a connection attempt to a far host, takes far longer than this, even on a loaded machine.
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(takeRefusedConnections()).toEqual([
      { host: 'api.twilio.com', port: 443 },
      { host: 'api.sydney.au1.twilio.com', port: 443 },
    ]);
    expect(fake.connections).toBe(connections);
  });

  it('refuses a Twilio name at another port than 443, even when routed: plain HTTP never leaves', async () => {
    const refused = new Promise((resolve, reject) => httpRequest('http://api.twilio.com/', { agent: false }, resolve).on('error', reject).end());
    await expect(refused).rejects.toMatchObject({ code: 'ECONNREFUSED', address: 'api.twilio.com', port: 80 });
    expect(takeRefusedConnections()).toEqual([{ host: 'api.twilio.com', port: 80 }]);
  });

  describe('untilSettled', () => {
    it('waits for a request the fake holds before answering, and for the answer to come', async () => {
      fake.script({ kind: 'delay', ms: 300 });
      let answered = false;
      const sending = send('api.twilio.com').then(() => (answered = true));
      await untilSettled(fake);
      expect(answered).toBe(true);
      await sending;
    });

    it('does not settle while a request hangs, and settles once its client gives it up', async () => {
      fake.script({ kind: 'hang' });
      const controller = new AbortController();
      const failed = send('api.twilio.com', { signal: controller.signal }).catch((error: unknown) => error);
      await expect(untilSettled(fake, 500)).rejects.toThrow(/in vain/);
      expect(fake.requests.map((request) => request.outcome)).toEqual(['hang']);
      controller.abort();
      await failed;
      await untilSettled(fake);
      expect(fake.heldConnections()).toBe(0);
    });
  });
});
