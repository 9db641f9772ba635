import type { FakeTwilio } from '../../tools/fake-twilio/server';
import { runCheck, type CheckReport } from '../../tools/check/run';
import type { TenantCalls } from '../../tools/check/tenant-calls';
import type { Verdict } from '../../tools/check/verdict';
import type { E164 } from '../../src/core/phone';
import { twilioPackage, untilSettled } from '../helpers/fake-twilio';
import type { TwilioLibrary } from '../../tools/runtime/twilio-transport';
import { MESSAGING_SERVICE_SID, SECRETS, VERIFY_SID } from '../fixtures/values';
import { useFake } from '../fake-twilio/harness';
import { PHONE_NUMBER_METADATA } from '../../src/core/number-metadata';

// What the tests of `npm run check` share: a fake per file whose requests must all be valid, a
// healthy account on it, and a run of the check against it through the real twilio.

export const CONTENT_SID = 'HX0123456789abcdef0123456789abcdef';
export const WHATSAPP_SENDER = `whatsapp:${SECRETS.TWILIO_PHONE_NUMBER}`;
/** A number of a country libphonenumber-js knows (the samples' +1 555 010… are fictional): for --send-to. */
export const REAL_LOOKING_RECIPIENT = '+14155550123';

/** Secrets that use everything a check reads, but Verify (its own test): a number, a Messaging Service, WhatsApp through it, country lists. */
export const ALL_BUT_VERIFY: Readonly<Record<string, string>> = {
  ...SECRETS,
  TWILIO_MESSAGING_SERVICE_SID: MESSAGING_SERVICE_SID,
  ALLOWED_COUNTRIES: 'US,CA,BR',
  WHATSAPP_COUNTRIES: 'BR',
  TWILIO_WHATSAPP_CONTENT_SID: CONTENT_SID,
};

/** Secrets that send codes through Verify, WhatsApp included, with the number for notices. */
export const THROUGH_VERIFY: Readonly<Record<string, string>> = { ...SECRETS, TWILIO_VERIFY_SID: VERIFY_SID, WHATSAPP_COUNTRIES: '*' };

/** One fake for the file, reset before each test; after each, no request of the check broke Twilio's API description. */
export function useCheckFake(use: (fake: FakeTwilio) => void): void {
  let started: FakeTwilio | undefined;
  useFake((fake) => {
    started = fake;
    use(fake);
  });
  afterEach(() => expect(started?.contractViolations).toEqual([]));
}

/** What the secrets above find on a healthy account: every resource there, as they need it. */
export function healthyAccount(fake: FakeTwilio): void {
  fake.inventory
    .number(SECRETS.TWILIO_PHONE_NUMBER)
    .messagingService(MESSAGING_SERVICE_SID, { phoneNumbers: ['+15005550007'] })
    .verifyService(VERIFY_SID, { customCodeEnabled: true })
    .content(CONTENT_SID);
  fake.whatsapp.sender(WHATSAPP_SENDER, { messagingServiceSid: MESSAGING_SERVICE_SID }).verify(VERIFY_SID, 'enabled');
}

/** A tenant whose MFA phone message types include voice: the check asks for voice. */
export const CALLS_ON: TenantCalls = { known: true, on: true, source: "acme.eu.auth0.com's MFA phone message types are sms, voice" };
/** A tenant that offers codes by SMS alone: no voice is asked for. */
export const CALLS_OFF: TenantCalls = { known: true, on: false, source: "acme.eu.auth0.com's MFA phone message types are sms" };
/** A secrets file without the AUTH0_ lines: the check cannot tell. */
export const CALLS_UNKNOWN: TenantCalls = { known: false, configured: false, why: 'AUTH0_DOMAIN, AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET are not set', fix: 'Set them.' };

export interface CheckRun extends CheckReport {
  /** The verdict of the check of that name. */
  verdict(check: string): Verdict;
}

/**
 * Runs the check with these secrets against the fake (reached through the route), through the
 * real twilio, for a tenant whose calls are on unless `calls` says otherwise.
 */
export async function checkOn(fake: FakeTwilio, secrets: Readonly<Record<string, string>>, options: { sendTo?: E164; twilio?: TwilioLibrary; calls?: TenantCalls } = {}): Promise<CheckRun> {
  const twilio = options.twilio ?? twilioPackage('twilio');
  const report = await runCheck({ secrets, file: '.env', sendTo: options.sendTo, calls: options.calls ?? CALLS_ON }, { twilio, phoneNumberLibrary: () => require(PHONE_NUMBER_METADATA) });
  await untilSettled(fake);
  return {
    ...report,
    verdict(check) {
      const found = report.verdicts.find((verdict) => verdict.check === check);
      if (found === undefined) throw new Error(`no ${check} line in ${report.verdicts.map((verdict) => verdict.check).join(', ')}`);
      return found;
    },
  };
}

/** The outcome of each line, by check: `{ secrets: 'passed', host: 'passed', … }`. */
export function outcomes(report: CheckReport): Record<string, Verdict['outcome']> {
  return Object.fromEntries(report.verdicts.map((verdict) => [verdict.check, verdict.outcome]));
}
