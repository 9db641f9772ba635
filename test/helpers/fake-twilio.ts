import type { ContractViolation } from '../../tools/fake-twilio/contract';
import { FakeTwilio, type FakeTwilioOptions } from '../../tools/fake-twilio/server';
import { redirectedTwilio, type RedirectedTwilio } from '../../tools/fake-twilio/redirect';
import type { TwilioLibrary } from '../../tools/runtime/twilio-transport';
import { compiledHook, type BundleOptions } from './bundles';
import { API_KEY, SECRETS } from '../fixtures/values';
import { waitUntil } from './wait';

/** Every major version of twilio the bundles are tested with. */
export const TWILIO_MAJORS = ['twilio-v3', 'twilio-v4', 'twilio', 'twilio-v6'] as const;

/**
 * The fake Twilio on loopback, accepting the test account's token and API key. Its `stop()`
 * fails, listing them, when requests Twilio's API description rejects were made and no test
 * looked at them (see `failOnUnseenViolations`): every file that stops its fake in `afterAll`
 * holds every request it made to the contract, whichever test made it.
 */
export async function startFakeTwilio(options: Partial<FakeTwilioOptions> = {}): Promise<FakeTwilio> {
  const fake = new FakeTwilio({
    accountSid: SECRETS.TWILIO_ACCOUNT_SID,
    authToken: SECRETS.TWILIO_AUTH_TOKEN,
    apiKeys: { [API_KEY.TWILIO_API_KEY]: API_KEY.TWILIO_API_SECRET },
    ...options,
  });
  failOnUnseenViolations(fake);
  return fake.start();
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

/** The real twilio package of one version, pointed at the fake. */
export function twilioFor(packageName: string, fake: FakeTwilio): RedirectedTwilio {
  return redirectedTwilio(require(packageName) as TwilioLibrary, fake.baseUrl);
}

/**
 * Globals that make the retry waits the shortest of their jitter (125, 250, 500 ms): the waits
 * stay real, the suite stays fast. Any other jitter is the fault properties' business.
 */
export const SHORTEST_WAITS = { Math: Object.create(Math, { random: { value: () => 0 } }) as Math };

/** The hook bundle compiled by Auth0's compiler, with `twilio` reaching the fake over HTTP. */
export async function hookOverHttp(packageName: string, fake: FakeTwilio, options: BundleOptions = {}) {
  const twilio = twilioFor(packageName, fake);
  // The library the hook uses, for `untilSettled()`.
  return { ...(await compiledHook(twilio, options)), twilio };
}

/** Waits until `count` held requests (hang, stall, trickle) keep a connection open: 0 once every attempt given up is closed. */
export function untilFakeHolds(fake: FakeTwilio, count: number): Promise<void> {
  return waitUntil(`${count} held connections at the fake Twilio`, () => fake.heldConnections() === count);
}

/** Waits until no request of `twilio` is in flight, so that none lands in the next test. */
export function untilSettled(twilio: RedirectedTwilio): Promise<void> {
  return waitUntil('every request of the twilio library to settle', () => twilio.pendingRequests() === 0);
}
