import { PhoneMessageError, RecipientRefusedError, TwilioDeliveryError } from './errors';
import { channelOf, correlationIdOf, type Delivery, type PhoneMessage, type PhoneMessageInput } from './message';
import { maskPhoneNumber } from './phone';
import { truncate, type Scrubber } from './scrub';

/** Auth0 keeps this much of a `console.log` line and drops the rest. */
export const MAX_LOG_LINE_LENGTH = 256;

/** What every line the sender logs starts with, the entries' own included: what to search Auth0's logs for. */
export const LOG_PREFIX = 'twilio-phone-message:';

/** Who a log line is about, as far as it is known: the channel, the masked recipient, Auth0's correlation ID. */
export interface LogSubject {
  channel: string;
  maskedRecipient: string;
  correlationId?: string | undefined;
}

/** Before the input could be read (an event whose fields throw when read, say). */
export const UNKNOWN_SUBJECT: LogSubject = { channel: 'message', maskedRecipient: 'an unknown recipient' };

/**
 * Before the message is parsed (a secret is missing, say), the raw input: only a channel the parse
 * would accept and a recipient that is text are named.
 */
export function inputSubject(input: PhoneMessageInput): LogSubject {
  return {
    channel: channelOf(input) ?? UNKNOWN_SUBJECT.channel,
    maskedRecipient: typeof input.recipient === 'string' ? maskPhoneNumber(input.recipient) : 'an invalid recipient',
    correlationId: correlationIdOf(input.correlationId),
  };
}

export function messageSubject(message: PhoneMessage): LogSubject {
  return { channel: message.channel, maskedRecipient: maskPhoneNumber(message.to), correlationId: message.correlationId };
}

const correlation = (correlationId: string | undefined): string => (correlationId === undefined ? '' : ` cid=${correlationId}`);

/** What a pre-send check could not look at (`lookup not consulted (HTTP 503)`), after the essentials. */
const shieldNotes = (notes: readonly string[]): string => (notes.length === 0 ? '' : ` shield: ${notes.join('; ')}`);

/** The line logged when a message went out, essentials first. */
export function deliveredLine(delivery: Delivery, subject: LogSubject, scrubber: Scrubber, notes: readonly string[] = []): string {
  const sid = delivery.sid ?? 'unknown';
  const fallback = delivery.fallbackReason === undefined ? '' : ` after whatsapp: ${delivery.fallbackReason}`;
  return finished(
    `${LOG_PREFIX} sent ${delivery.channel} to ${subject.maskedRecipient} via ${delivery.api} sid=${sid} attempts=${delivery.attempts} ms=${delivery.elapsedMs}${correlation(subject.correlationId)}${fallback}${shieldNotes(notes)}`,
    scrubber,
  );
}

/**
 * Scrubbed whole, then cut: a cut first could leave part of a number too short to be recognized,
 * and a scrub after the cut could lengthen the line.
 */
const finished = (line: string, scrubber: Scrubber): string => truncate(scrubber.clean(line), MAX_LOG_LINE_LENGTH);

/**
 * The line logged when a message did not go out, essentials first, then as much of the message as
 * fits: the whole message is in the error the entry answers with.
 */
export function failedLine(
  subject: LogSubject,
  error: PhoneMessageError,
  progress: { attempts: number; elapsedMs: number; fallbackReason?: string | undefined; notes?: readonly string[] },
  scrubber: Scrubber,
): string {
  const { attempts, elapsedMs, fallbackReason } = progress;
  if (error instanceof RecipientRefusedError) {
    // Nothing went to Twilio: the line names the check that refused.
    return finished(
      `${LOG_PREFIX} refused ${subject.channel} to ${subject.maskedRecipient} by ${error.layer} ms=${elapsedMs}${correlation(subject.correlationId)}${shieldNotes(progress.notes ?? [])}: ${error.message}`,
      scrubber,
    );
  }
  const twilio = error instanceof TwilioDeliveryError ? error : undefined;
  const fields = [
    `${LOG_PREFIX} failed ${subject.channel} to ${subject.maskedRecipient}`,
    twilio?.twilioCode === undefined ? '' : ` code=${twilio.twilioCode}`,
    twilio?.httpStatus === undefined ? '' : ` http=${twilio.httpStatus}`,
    ` attempts=${attempts} ms=${elapsedMs} transient=${error.transient}`,
    correlation(subject.correlationId),
    fallbackReason === undefined ? '' : ` after whatsapp: ${fallbackReason};`,
    shieldNotes(progress.notes ?? []),
    ` ${error.name}: ${error.message}`,
  ];
  return finished(fields.join(''), scrubber);
}
