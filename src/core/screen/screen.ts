import type { TwilioProduct } from '../config';
import { allowedCountries } from './allowed-countries';
import type { PreSendCheck, ScreenContext } from './check';
import { costlyNumbers } from './costly-numbers';
import { twilioLookup } from './lookup';
import { enrollmentVelocity } from './velocity';

/**
 * The checks a message passes between its parse and its plan, in order: the free ones first,
 * the one Twilio bills last, so that a number refused for free is never paid for. Adding a check
 * is a file of its own and a line here.
 */
export const PRE_SEND_CHECKS: readonly PreSendCheck[] = [allowedCountries, costlyNumbers, enrollmentVelocity, twilioLookup];

/** Runs every check; the first refusal throws a `RecipientRefusedError`. */
export async function screenMessage(context: ScreenContext): Promise<void> {
  for (const check of PRE_SEND_CHECKS) await check.screen(context);
}

/** The Twilio products the checks will call for this message: their connections open ahead. */
export function screenProducts(context: ScreenContext): TwilioProduct[] {
  return PRE_SEND_CHECKS.flatMap((check) => check.connectsTo?.(context) ?? []);
}
