import { PhoneMessageError, TwilioDeliveryError } from './errors';
import type { Delivery } from './message';
import { truncate } from './scrub';

/** Auth0 keeps this much of a `console.log` line and drops the rest. */
export const MAX_LOG_LINE_LENGTH = 256;

const PREFIX = 'twilio-phone-message:';

/**
 * The one line logged when a message went out, essentials first: outcome, channel, masked
 * number, Twilio's SID, attempts, milliseconds.
 */
export function deliveredLine(delivery: Delivery, maskedRecipient: string): string {
  const sid = delivery.sid ?? 'unknown';
  return truncate(
    `${PREFIX} sent ${delivery.channel} to ${maskedRecipient} via ${delivery.api} sid=${sid} attempts=${delivery.attempts} ms=${delivery.elapsedMs}`,
    MAX_LOG_LINE_LENGTH,
  );
}

/**
 * The one line logged when a message did not go out: outcome, channel, masked number, Twilio's
 * code and HTTP status when Twilio answered, attempts, milliseconds, whether it can heal, then as
 * much of the message as fits. The whole message is in the error the entry answers with.
 */
export function failedLine(channel: string, maskedRecipient: string, error: PhoneMessageError, attempts: number, elapsedMs: number): string {
  const twilio = error instanceof TwilioDeliveryError ? error : undefined;
  const fields = [
    `${PREFIX} failed ${channel} to ${maskedRecipient}`,
    twilio?.twilioCode === undefined ? '' : ` code=${twilio.twilioCode}`,
    twilio?.httpStatus === undefined ? '' : ` http=${twilio.httpStatus}`,
    ` attempts=${attempts} ms=${elapsedMs} transient=${error.transient}`,
    ` ${error.name}: ${error.message}`,
  ];
  return truncate(fields.join(''), MAX_LOG_LINE_LENGTH);
}
