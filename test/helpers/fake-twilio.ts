import { FakeTwilio } from '../../tools/fake-twilio/server';
import { redirectedTwilio, type RedirectedTwilio } from '../../tools/fake-twilio/redirect';
import type { TwilioLibrary } from '../../tools/runtime/twilio-transport';
import { compiledHook } from './hook-bundle';
import { SECRETS } from './mock-twilio';

export const TWILIO_PACKAGES = ['twilio-v4', 'twilio-v6'] as const;

/** The fake Twilio on loopback, accepting the test secrets. */
export function startFakeTwilio(): Promise<FakeTwilio> {
  return new FakeTwilio({ accountSid: SECRETS.TWILIO_ACCOUNT_SID, authToken: SECRETS.TWILIO_AUTH_TOKEN }).start();
}

/** The real twilio package of one version, pointed at the fake. */
export function twilioFor(packageName: string, fake: FakeTwilio): RedirectedTwilio {
  return redirectedTwilio(require(packageName) as TwilioLibrary, fake.baseUrl);
}

/** The committed bundle compiled by Auth0's compiler, with `twilio` reaching the fake over HTTP. */
export function hookOverHttp(packageName: string, fake: FakeTwilio) {
  return compiledHook(twilioFor(packageName, fake));
}

/** Waits until no request of `twilio` is in flight, so that none lands in the next test case. */
export async function settled(twilio: RedirectedTwilio, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (twilio.pendingRequests() > 0) {
    if (Date.now() > deadline) throw new Error(`${twilio.pendingRequests()} twilio requests still in flight`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
