import type { Verdict } from './classify';
import { confirmDelivery, CONFIRM_WINDOW_MS } from './confirm';
import type { Deadline } from './deadline';
import { fallbackAfter, whatsappFailureReason } from './fallback';
import type { Call, Route } from './route';
import { retry, RetryExhaustedError, type RetryOptions } from './retry';
import { ATTEMPT_TIMEOUT_MS } from './transport';
import type { CreatedResource } from './twilio-module';
import type { WhatsAppResult } from './whatsapp-memory';

/** Kept for a fallback: one whole attempt. WhatsApp (retries, status watch) has the rest. */
export const FALLBACK_RESERVE_MS = ATTEMPT_TIMEOUT_MS;

/** How a send goes along its routes. */
export interface RouteContext {
  call: Call;
  deadline: Deadline;
  retry: Omit<RetryOptions<Verdict>, 'deadline'>;
  /** A created message's SID, when it is one that may be echoed and read back. */
  echoedSid(sid: unknown): string | undefined;
}

/** How far the send got, for the line it logs whatever the outcome, and what the WhatsApp memory learns. */
export interface Progress {
  attempts: number;
  /** Why SMS carries a code meant for WhatsApp. */
  fallbackReason: string | undefined;
  /** What came of the code on WhatsApp, when a WhatsApp route was tried. */
  whatsapp?: WhatsAppResult;
}

/**
 * Goes along the routes it is given, in order, each within its share of the deadline (a route
 * with a fallback keeps `FALLBACK_RESERVE_MS` for it). A route that reports failure late
 * (WhatsApp) counts once its status, read back, did not fail. Rejects with a `RetryExhaustedError`
 * when nothing may follow.
 */
export async function deliverAlong(routes: readonly Route[], context: RouteContext, progress: Progress): Promise<{ route: Route; sid: string | undefined }> {
  const { call, deadline } = context;
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
      // Only WhatsApp has a fallback.
      progress.whatsapp = { outcome: 'refused', twilioCode: verdict.twilioCode };
      progress.fallbackReason = fallback.reason;
      continue;
    }
    const sid = context.echoedSid(created.sid);
    if (route.confirm && sid !== undefined) {
      const confirmation = await confirmDelivery((window) => call((client) => client.messages(sid).fetch(), window, 1), within.capped(CONFIRM_WINDOW_MS));
      progress.whatsapp = confirmation.outcome === 'pending' ? { outcome: 'pending', sid } : confirmation;
      if (confirmation.outcome === 'failed' && hasFallback) {
        progress.fallbackReason = whatsappFailureReason(confirmation.twilioCode, confirmation.status);
        continue;
      }
    }
    return { route, sid };
  }
  throw new Error('no route left'); // unreachable: the last route returns or throws
}
