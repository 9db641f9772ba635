import { FakeTwilio, type FakeTwilioOptions } from '../../tools/fake-twilio/server';
import { redirectedTwilio, type RedirectedTwilio } from '../../tools/fake-twilio/redirect';
import type { TwilioLibrary } from '../../tools/runtime/twilio-transport';
import { compiledHook, type BundleOptions } from './bundles';
import { API_KEY, SECRETS } from './mock-twilio';

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
  // The library the hook uses, for `settled()`.
  return { ...(await compiledHook(twilio, options)), twilio };
}

/** Waits until no request of `twilio` is in flight, so that none lands in the next test. */
export async function settled(twilio: RedirectedTwilio, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (twilio.pendingRequests() > 0) {
    if (Date.now() > deadline) throw new Error(`${twilio.pendingRequests()} twilio requests still in flight`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
