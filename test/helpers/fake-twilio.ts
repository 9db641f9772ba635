import { FakeTwilio, type FakeTwilioOptions } from '../../tools/fake-twilio/server';
import { redirectedTwilio, type RedirectedTwilio } from '../../tools/fake-twilio/redirect';
import type { TwilioLibrary } from '../../tools/runtime/twilio-transport';
import { compiledHook, type BundleOptions } from './bundles';
import { API_KEY, SECRETS } from '../fixtures/values';
import { waitUntil } from './wait';

/** Every major version of twilio the bundles are tested with. */
export const TWILIO_MAJORS = ['twilio-v3', 'twilio-v4', 'twilio', 'twilio-v6'] as const;

/** The fake Twilio on loopback, accepting the test account's token and API key. */
export function startFakeTwilio(options: Partial<FakeTwilioOptions> = {}): Promise<FakeTwilio> {
  return new FakeTwilio({
    accountSid: SECRETS.TWILIO_ACCOUNT_SID,
    authToken: SECRETS.TWILIO_AUTH_TOKEN,
    apiKeys: { [API_KEY.TWILIO_API_KEY]: API_KEY.TWILIO_API_SECRET },
    ...options,
  }).start();
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
