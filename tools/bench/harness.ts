import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import twilio = require('twilio');
import { FakeTwilio } from '../fake-twilio/server';
import { redirectedTwilio } from '../fake-twilio/redirect';
import { loopbackCertificate } from '../fake-twilio/tls';
import type { TwilioLibrary } from '../runtime/twilio-transport';

/** Secrets the fake accepts: valid in shape, worthless anywhere else. */
export const BENCH_SECRETS = {
  TWILIO_ACCOUNT_SID: 'ACbe4c0000000000000000000000000001',
  TWILIO_AUTH_TOKEN: 'bench000000000000000000000000001',
  TWILIO_PHONE_NUMBER: '+15005550006',
};
export type BenchSecrets = typeof BENCH_SECRETS;

/**
 * The fake Twilio over TLS, as the real one is, with a certificate made for this run, and the
 * real twilio library pointed at it. The certificate is trusted through TWILIO_CA_BUNDLE, which
 * the sender's transport and twilio's own RequestClient both read (set before their first
 * request). Requests are counted, not kept.
 */
export async function tlsFakeTwilio(secrets: BenchSecrets): Promise<{ fake: FakeTwilio; library: TwilioLibrary; caPath: string }> {
  const { key, cert } = await loopbackCertificate();
  const caPath = join('build', 'bench-ca.pem');
  mkdirSync('build', { recursive: true });
  writeFileSync(caPath, cert);
  process.env.TWILIO_CA_BUNDLE = caPath;
  const fake = await new FakeTwilio({
    accountSid: secrets.TWILIO_ACCOUNT_SID,
    authToken: secrets.TWILIO_AUTH_TOKEN,
    tls: { key, cert },
    recordRequests: false,
  }).start();
  return { fake, library: redirectedTwilio(twilio, fake.baseUrl), caPath };
}

/** Runs `task` `total` times with `inFlight` of them running at once at most. */
export async function runInFlight(total: number, inFlight: number, task: () => Promise<void>): Promise<void> {
  let started = 0;
  const worker = async (): Promise<void> => {
    while (started < total) {
      started++;
      await task();
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, total) }, worker));
}
