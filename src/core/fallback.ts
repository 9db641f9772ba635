import type { Verdict } from './classify';

/** Twilio codes after which SMS cannot do better than WhatsApp did, so no fallback is tried. */
const NO_FALLBACK_TWILIO_CODES: readonly number[] = [
  20003, // authentication: SMS uses the same credentials
  21211, // Messaging: not a valid phone number
  60200, // Verify: the number is invalid
  60203, // Verify: too many codes to this number (10 minutes)
  60410, // Verify Fraud Guard: the number's prefix is blocked, on every channel of the service
];

/** Why WhatsApp did not carry a code, by Twilio's code at the create or in the status read back. */
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
 * Codes that belong to the number, not the account's setup: only after these are its next codes
 * sent by SMS at once. After a setup error or an outage WhatsApp is tried again, so a fix works at once.
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
 * Whether a failed route (retries spent) leaves the next worth trying, and why: yes, unless SMS
 * would meet the same failure, or the WhatsApp message may be out (an SMS would be a second code).
 */
export function fallbackAfter(verdict: Verdict): { reason: string } | undefined {
  const { twilioCode } = verdict;
  if (verdict.mayHaveSent) return undefined;
  if (twilioCode !== undefined && NO_FALLBACK_TWILIO_CODES.includes(twilioCode)) return undefined;
  if (twilioCode !== undefined) return { reason: whatsappFailureReason(twilioCode) };
  return { reason: verdict.transient ? 'no answer from Twilio in time for WhatsApp' : 'WhatsApp failed' };
}
