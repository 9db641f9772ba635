import type { Deadline } from './deadline';
import type { MessageStatusResource } from './twilio-module';

/** The first read waits this long after the create, and each next one as long again. */
export const STATUS_POLL_INTERVAL_MS = 400;
/**
 * How long a WhatsApp message's status is watched. Twilio reports WhatsApp's refusals (63003,
 * 63016, 63024) within a second or two; a message still `queued` or `sent` then is slow, not failed.
 */
export const CONFIRM_WINDOW_MS = 3_000;
/** A read is only worth starting with this much of the window left. */
export const MIN_READ_TIME_MS = 200;

/** Statuses after which Twilio will not deliver the message. */
const FAILED_STATUSES: ReadonlySet<unknown> = new Set(['failed', 'undelivered', 'canceled']);
/** Statuses that say the user has it. */
const DELIVERED_STATUSES: ReadonlySet<unknown> = new Set(['delivered', 'read']);

export type Confirmation =
  | { outcome: 'delivered' }
  /** Still on its way when the window closed: slow, not failed. */
  | { outcome: 'pending' }
  | { outcome: 'failed'; status: string; twilioCode: number | undefined };

/** What one status read tells, when it tells anything. */
export function statusOutcome(resource: MessageStatusResource): Confirmation | undefined {
  const { status, errorCode } = resource;
  if (DELIVERED_STATUSES.has(status)) return { outcome: 'delivered' };
  if (FAILED_STATUSES.has(status)) {
    const code = typeof errorCode === 'number' ? errorCode : typeof errorCode === 'string' && /^\d{5}$/.test(errorCode) ? Number(errorCode) : undefined;
    return { outcome: 'failed', status: String(status), twilioCode: code };
  }
  return undefined;
}

/**
 * Reads the status until it is final or `window` ends. A failed read (a timeout, a 5xx) tells
 * nothing: only a status Twilio reported makes a failure.
 */
export async function confirmDelivery(read: (within: Deadline) => Promise<MessageStatusResource>, window: Deadline): Promise<Confirmation> {
  for (;;) {
    await window.sleep(STATUS_POLL_INTERVAL_MS);
    if (window.remainingMs() < MIN_READ_TIME_MS) return { outcome: 'pending' };
    try {
      const outcome = statusOutcome(await read(window));
      if (outcome !== undefined) return outcome;
    } catch {
      // Nothing learnt; the next read may answer.
    }
  }
}
