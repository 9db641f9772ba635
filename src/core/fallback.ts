import type { Verdict } from './classify';

/**
 * Twilio codes after which SMS cannot do better than WhatsApp did, so no fallback is tried:
 * the same credentials, the same number and the same Verify limit would fail it too.
 */
const NO_FALLBACK_TWILIO_CODES: readonly number[] = [
  20003, // authentication: the SMS request carries the same credentials
  21211, // Programmable Messaging: the number is not a valid phone number
  60200, // Verify: the number is invalid
  60203, // Verify: too many codes sent to this number (10 minutes)
];

/**
 * Why WhatsApp did not carry a code, in the words a tenant reads in its logs: Twilio's codes for
 * WhatsApp failures, reported at the create (a refusal) or later in the message's status.
 */
const WHATSAPP_FAILURES: ReadonlyMap<number, string> = new Map([
  [63003, 'not on WhatsApp'],
  [63007, 'no WhatsApp sender for TWILIO_WHATSAPP_FROM or the Messaging Service'],
  [63016, 'WhatsApp wants an approved template (TWILIO_WHATSAPP_CONTENT_SID)'],
  [63024, 'not a valid WhatsApp recipient'],
  [21656, "the template's variables were refused (TWILIO_WHATSAPP_CONTENT_SID must take the code as variable 1)"],
  [60223, 'WhatsApp is turned off on the Verify service'],
  [68008, 'WhatsApp is not set up on the Verify service'],
]);

/** The reason SMS carries the code, from the Twilio code of WhatsApp's failure when there is one. */
export function whatsappFailureReason(twilioCode: number | undefined, status?: string): string {
  if (twilioCode === undefined) return status === undefined ? 'WhatsApp failed' : `WhatsApp reported the message ${status}`;
  return `${WHATSAPP_FAILURES.get(twilioCode) ?? `WhatsApp failed`} (${twilioCode})`;
}

/**
 * Twilio codes that belong to the number, not to the account's setup: only after these is the
 * number remembered and its next codes sent by SMS at once. After a sender, template or Verify
 * setting, or an outage, WhatsApp is tried again, so that a fix takes effect at once.
 */
const NUMBER_FAILURE_CODES: readonly number[] = [
  63003, // the number is not on WhatsApp
  63024, // not a valid WhatsApp recipient
];

/** Whether WhatsApp's failure says something of the number (a failed status without a code does too). */
export function isNumberFailure(twilioCode: number | undefined, seenInStatus: boolean): boolean {
  return twilioCode === undefined ? seenInStatus : NUMBER_FAILURE_CODES.includes(twilioCode);
}

/**
 * Whether a route that failed at its request (after its retries) leaves the next route worth
 * trying, and why it is tried: every failure does, but those SMS would meet again, and a success
 * Twilio answered unreadably (the WhatsApp message may be out: an SMS would be a second code).
 */
export function fallbackAfter(verdict: Verdict): { reason: string } | undefined {
  const { twilioCode } = verdict;
  if (verdict.mayHaveSent) return undefined;
  if (twilioCode !== undefined && NO_FALLBACK_TWILIO_CODES.includes(twilioCode)) return undefined;
  if (twilioCode !== undefined) return { reason: whatsappFailureReason(twilioCode) };
  return { reason: verdict.transient ? 'no answer from Twilio in time for WhatsApp' : 'WhatsApp failed' };
}
