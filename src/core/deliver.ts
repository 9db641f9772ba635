import type { Verdict } from './classify';
import { confirmDelivery, CONFIRM_WINDOW_MS, statusOutcome, type Confirmation } from './confirm';
import type { Deadline } from './deadline';
import { fallbackAfter, isNumberFailure, whatsappFailureReason } from './fallback';
import type { E164 } from './phone';
import type { Call, Route } from './route';
import { retry, RetryExhaustedError, type RetryOptions } from './retry';
import { ATTEMPT_TIMEOUT_MS } from './transport';
import type { CreatedResource, MessageStatusResource } from './twilio-module';
import type { WhatsAppMemory } from './whatsapp-memory';

/** Kept for a fallback: one whole attempt. WhatsApp (retries, status watch) has the rest. */
export const FALLBACK_RESERVE_MS = ATTEMPT_TIMEOUT_MS;

/** Reading the status of the last WhatsApp code, before the next is sent, may take this long. */
const LAST_STATUS_READ_MS = 2_000;

/** How a send goes along its routes. */
export interface RouteContext {
  call: Call;
  deadline: Deadline;
  retry: Omit<RetryOptions<Verdict>, 'deadline'>;
  memory: WhatsAppMemory;
  to: E164;
  /** A created message's SID, when it is one that may be echoed and read back. */
  echoedSid(sid: unknown): string | undefined;
}

/** How far the send got, for the line it logs whatever the outcome. */
export interface Progress {
  attempts: number;
  /** Why SMS carries a code meant for WhatsApp. */
  fallbackReason: string | undefined;
}

/**
 * Tries the routes in order, each within its share of the deadline (a route with a fallback keeps
 * `FALLBACK_RESERVE_MS` for it). A route that reports failure late (WhatsApp) counts once its
 * status, read back, did not fail. Rejects with a `RetryExhaustedError` when nothing may follow.
 */
export async function deliverAlong(routes: readonly Route[], context: RouteContext, progress: Progress): Promise<{ route: Route; sid: string | undefined }> {
  const { call, deadline, memory, to } = context;
  for (const [index, route] of routes.entries()) {
    const hasFallback = index < routes.length - 1;
    const within = hasFallback ? deadline.leaving(FALLBACK_RESERVE_MS) : deadline;
    let created: CreatedResource;
    try {
      const result = await retry((attemptNumber) => call(route.send, within, attemptNumber), { ...context.retry, deadline: within });
      progress.attempts += result.attempts;
      created = result.value;
    } catch (caught) {
      if (!(caught instanceof RetryExhaustedError)) throw caught;
      progress.attempts += caught.attempts;
      const verdict = caught.advice as Verdict;
      const fallback = hasFallback ? fallbackAfter(verdict) : undefined;
      if (fallback === undefined) throw caught;
      if (isNumberFailure(verdict.twilioCode, false)) memory.set(to, { kind: 'undeliverable', twilioCode: verdict.twilioCode });
      progress.fallbackReason = fallback.reason;
      continue;
    }
    const sid = context.echoedSid(created.sid);
    if (route.confirm && sid !== undefined) {
      const confirmation = await confirmDelivery((window) => call((client) => client.messages(sid).fetch(), window, 1), within.capped(CONFIRM_WINDOW_MS));
      if (confirmation.outcome === 'failed' && hasFallback) {
        if (isNumberFailure(confirmation.twilioCode, true)) memory.set(to, { kind: 'undeliverable', twilioCode: confirmation.twilioCode });
        else memory.delete(to);
        progress.fallbackReason = whatsappFailureReason(confirmation.twilioCode, confirmation.status);
        continue;
      }
      // Delivered numbers are forgotten; a message still on its way is read back next time.
      if (confirmation.outcome === 'pending') memory.set(to, { kind: 'pending', sid });
      else memory.delete(to);
    }
    return { route, sid };
  }
  throw new Error('no route left'); // unreachable: the last route returns or throws
}

/**
 * Why not to try WhatsApp for this number now: it failed before, or the last code sent there,
 * read back now, failed or never arrived. Undefined: try WhatsApp.
 */
export async function earlierWhatsAppFailure(context: Pick<RouteContext, 'call' | 'deadline' | 'memory' | 'to'>): Promise<string | undefined> {
  const { memory, to } = context;
  const known = memory.get(to);
  if (known === undefined) return undefined;
  if (known.kind === 'undeliverable') return `earlier: ${whatsappFailureReason(known.twilioCode)}`;
  let last: Confirmation | undefined;
  try {
    const read: MessageStatusResource = await context.call((client) => client.messages(known.sid).fetch(), context.deadline.capped(LAST_STATUS_READ_MS), 1);
    last = statusOutcome(read);
  } catch {
    last = undefined;
  }
  if (last?.outcome === 'delivered') {
    memory.delete(to);
    return undefined;
  }
  const twilioCode = last?.outcome === 'failed' ? last.twilioCode : undefined;
  // A code that never arrived says something of the number; a failure of the account's setup does not.
  if (last?.outcome === 'failed' && !isNumberFailure(twilioCode, true)) memory.delete(to);
  else memory.set(to, { kind: 'undeliverable', twilioCode });
  return last?.outcome === 'failed' ? `earlier: ${whatsappFailureReason(twilioCode, last.status)}` : 'the last code sent on WhatsApp was not delivered';
}
