import type { ContractViolation } from '../../tools/fake-twilio/contract';
import { edgeDomain, routedSockets, routeTwilio } from '../../tools/fake-twilio/route';
import { FakeTwilio, type FakeTwilioOptions } from '../../tools/fake-twilio/server';
import type { TwilioClientOptions, TwilioLibrary } from '../../tools/runtime/twilio-transport';
import { HttpTransport } from '../../src/core/transport';
import { TWILIO_EDGES, TWILIO_REGIONS, type TwilioEdge, type TwilioRegion } from '../../src/core/config';
import { compiledHook, type BundleOptions } from './bundles';
import { API_KEY, SECRETS } from '../fixtures/values';
import { waitUntil } from './wait';

/** Every major version of twilio the bundles are tested with. */
export const TWILIO_MAJORS = ['twilio-v3', 'twilio-v4', 'twilio', 'twilio-v6'] as const;

/**
 * The fake Twilio on loopback, over TLS, accepting the test account's token and API key, with
 * every Twilio host name of this process routed to it (tools/fake-twilio/route.ts): the real
 * twilio, the sender's transport and any other client reach it by addressing api.twilio.com,
 * verify.twilio.com or api.dublin.ie1.twilio.com, as at Auth0. One fake per file (a later one
 * takes the route over); runs side by side that need a fake each take one on an edge of their
 * own (`startFakeOnOwnEdge`). Once stopped, its hosts refuse connections, as a host that is down.
 *
 * Its `stop()` fails, listing them, when requests Twilio's API description rejects were made and
 * no test looked at them (see `failOnUnseenViolations`): every file that stops its fake in
 * `afterAll` holds every request it made to the contract, whichever test made it.
 */
export async function startFakeTwilio(options: Partial<FakeTwilioOptions> = {}): Promise<FakeTwilio> {
  const fake = await startedFake(options);
  routeTwilio(fake.port);
  return fake;
}

async function startedFake(options: Partial<FakeTwilioOptions>): Promise<FakeTwilio> {
  const fake = new FakeTwilio({
    accountSid: SECRETS.TWILIO_ACCOUNT_SID,
    authToken: SECRETS.TWILIO_AUTH_TOKEN,
    apiKeys: { [API_KEY.TWILIO_API_KEY]: API_KEY.TWILIO_API_SECRET },
    ...options,
  });
  failOnUnseenViolations(fake);
  return fake.start();
}

/** A fake reached only through its own edge and region, and the secrets that address them. */
export interface FakeOnEdge {
  fake: FakeTwilio;
  edge: TwilioEdge;
  region: TwilioRegion;
  /** TWILIO_REGION and TWILIO_EDGE: add them to a run's secrets, and its requests (and connections) go to this fake. */
  secrets: { TWILIO_REGION: TwilioRegion; TWILIO_EDGE: TwilioEdge };
}

/** The edges and regions in use by a fake of this file; us1's first, since Verify is served there only. */
const edgesInUse = new Set<string>();
const EDGE_ROUTES = TWILIO_REGIONS.flatMap((region) => TWILIO_EDGES.map((edge) => ({ edge, region })));

/**
 * A fake of its own for one of several runs side by side in this process: one host name goes to
 * one place at a time, so each such fake is reached through hosts no other uses, those of an
 * edge and region (`api.ashburn.us1.twilio.com`, `verify.ashburn.us1.twilio.com`…) that no other
 * fake of the file has now. The run addresses them through `secrets` (TWILIO_REGION, TWILIO_EDGE),
 * as a tenant does; 24 can run at once, the first 8 in us1 (where Verify is).
 */
export async function startFakeOnOwnEdge(options: Partial<FakeTwilioOptions> = {}): Promise<FakeOnEdge> {
  const free = EDGE_ROUTES.find(({ edge, region }) => !edgesInUse.has(edgeDomain(edge, region)));
  if (free === undefined) throw new Error(`startFakeOnOwnEdge: all ${EDGE_ROUTES.length} edges are in use in this process`);
  const domain = edgeDomain(free.edge, free.region);
  edgesInUse.add(domain);
  try {
    const fake = await startedFake(options);
    routeTwilio(fake.port, domain);
    const stop = fake.stop.bind(fake);
    fake.stop = async () => {
      try {
        await stop();
      } finally {
        edgesInUse.delete(domain);
      }
    };
    return { fake, ...free, secrets: { TWILIO_REGION: free.region, TWILIO_EDGE: free.edge } };
  } catch (error) {
    edgesInUse.delete(domain);
    throw error;
  }
}

/** A contract violation in one line: the request, then what the description rejected in it. */
const violationLine = (violation: ContractViolation): string => `${violation.method} ${violation.path}${violation.host === '' ? '' : ` (host ${violation.host})`}: ${violation.problems.join('; ')}`;

/**
 * Makes `fake.stop()` throw an Error listing the contract violations no test looked at. A test
 * that reads `fake.contractViolations` while it holds violations has taken charge of those (the
 * tests of the contract make them on purpose and assert them); any other violation, even one
 * made before a `reset()` (which empties the list), is kept for `stop()`, which stops the
 * fake first, then fails.
 */
function failOnUnseenViolations(fake: FakeTwilio): void {
  const violations = fake.contractViolations;
  const unseen: ContractViolation[] = [];
  /** How many of `violations` a test has read. */
  let seen = 0;
  // The fake itself only pushes to the list and empties it (`length = 0`); every other read is a test's.
  const watched = new Proxy(violations, {
    get(target, key) {
      if (key === 'push') return (...added: ContractViolation[]) => target.push(...added);
      seen = target.length;
      return Reflect.get(target, key, target) as unknown;
    },
  });
  Object.defineProperty(fake, 'contractViolations', { value: watched, enumerable: true });
  const reset = fake.reset.bind(fake);
  fake.reset = () => {
    unseen.push(...violations.slice(seen));
    seen = 0;
    reset();
  };
  const stop = fake.stop.bind(fake);
  fake.stop = async () => {
    await stop();
    const left = [...unseen, ...violations.slice(seen)];
    if (left.length > 0) {
      throw new Error(`The fake Twilio received ${left.length} request(s) that Twilio's API description rejects:\n${left.map(violationLine).join('\n')}`);
    }
  };
}

/** The real twilio package of one version, as it is: the route takes its requests to the fake. */
export function twilioPackage(packageName: string): TwilioLibrary {
  return require(packageName) as TwilioLibrary;
}

/**
 * A client of the real twilio of that version built as the sender builds one: the sender's
 * transport as its HTTP client (twilio 3's own client cannot trust TWILIO_CA_BUNDLE: it hands the
 * CA to axios, which ignores it).
 */
export function senderClient(packageName: string, username: string, password: string, options: Omit<TwilioClientOptions, 'httpClient'> = {}) {
  const httpClient = new HttpTransport().forAttempt({ timeoutMs: 10_000, signal: new AbortController().signal });
  return twilioPackage(packageName)(username, password, { ...options, httpClient: httpClient as unknown as TwilioClientOptions['httpClient'] });
}

/**
 * Globals that make the retry waits the shortest of their jitter (125, 250, 500 ms): the waits
 * stay real, the suite stays fast. Any other jitter is the fault properties' business.
 */
export const SHORTEST_WAITS = { Math: Object.create(Math, { random: { value: () => 0 } }) as Math };

/** The hook bundle compiled by Auth0's compiler, with the real `twilio` of that version, reaching the fake over HTTPS through the route. */
export function hookOverHttp(packageName: string, options: BundleOptions = {}) {
  return compiledHook(twilioPackage(packageName), options);
}

/** Waits until `count` held requests (hang, stall, trickle) keep a connection open: 0 once every attempt given up is closed. */
export function untilFakeHolds(fake: FakeTwilio, count: number): Promise<void> {
  return waitUntil(`${count} held connections at the fake Twilio`, () => fake.heldConnections() === count);
}

/**
 * Waits until nothing is in flight to `fake`, so that no request lands in the next test: no
 * connection routed to it (route.ts) is still connecting or carries a request whose answer has
 * not all come, and every connection the fake holds has its client's end open (a client that
 * gave a request up closes its end at once; the fake may still be reading what it had sent).
 * For a fake reached through the route directly, not through a relay.
 */
export function untilSettled(fake: FakeTwilio, timeoutMs?: number): Promise<void> {
  return waitUntil(
    'every request to the fake Twilio to settle',
    () => {
      const routed = routedSockets(fake.port);
      return routed.busy === 0 && routed.established === fake.openConnections();
    },
    timeoutMs,
  );
}

/**
 * For a file whose twilio is a mock: the connection the sender opens ahead to Twilio (its
 * preconnect, made by its real transport) is refused at once, as on a network without Twilio,
 * without failing the file; the mock answers the requests themselves.
 */
export function refuseTwilioConnections(): void {
  beforeAll(() => {
    routeTwilio(null);
  });
}
