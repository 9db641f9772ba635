import type { SenderConfig } from '../../src/core/config';
import { AttemptTimeoutError, TwilioHttpError } from '../../src/core/transport';
import { failed, type Verdict } from './verdict';

/**
 * What a request of the check met instead of a success: Twilio's answer (an HTTP status and
 * Twilio's code, from the sender's transport), or no answer (a network code). Only these fields
 * are read: the twilio library's own errors carry the request, Authorization header included.
 */
export type TwilioFailure =
  | { kind: 'answered'; status: number; code: number | undefined; message: string }
  | { kind: 'unreached'; code: string };

function twilioFailure(error: unknown): TwilioFailure {
  if (error instanceof TwilioHttpError) {
    return { kind: 'answered', status: error.status, code: typeof error.code === 'number' ? error.code : undefined, message: error.message };
  }
  if (error instanceof AttemptTimeoutError) return { kind: 'unreached', code: `no answer within ${error.timeoutMs / 1000} s` };
  const code: unknown = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  // Anything else is a bug of the check's, not Twilio's answer: let it surface.
  if (typeof code !== 'string') throw error;
  return { kind: 'unreached', code };
}

/** Twilio answered 404 (20404): no such resource in this account (and region). */
export const isNotFound = (failure: TwilioFailure): boolean => failure.kind === 'answered' && failure.status === 404;

/** Twilio answered 401 (20003): these credentials may not read this. */
export const isRefused = (failure: TwilioFailure): boolean => failure.kind === 'answered' && failure.status === 401;

/**
 * `HTTP 500, error 20500: Internal Server Error`, `no answer (ENOTFOUND)`: the failure in a few
 * words (a word between the status and the code, which the scrubber would take for one number).
 */
function failureText(failure: TwilioFailure): string {
  if (failure.kind === 'unreached') return `no answer (${failure.code})`;
  const message = failure.message.trim().replace(/\.$/, '');
  return `HTTP ${failure.status}${failure.code === undefined ? '' : `, error ${failure.code}`}${message === '' ? '' : `: ${message}`}`;
}

export type Read<T> = { ok: true; value: T } | { ok: false; failure: TwilioFailure };

/** One request of the check: its resource, or what it met instead. */
export async function read<T>(request: () => Promise<T>): Promise<Read<T>> {
  try {
    return { ok: true, value: await request() };
  } catch (error) {
    return { ok: false, failure: twilioFailure(error) };
  }
}

/**
 * A read that met neither the resource nor an answer a check explains (a 5xx, a dropped
 * connection, a host that does not resolve). Outside us1 a product's host may not exist: Twilio's
 * regions are isolated and serve some products only, and the sender meets the same there.
 */
export function unreadable(check: string, what: string, failure: TwilioFailure, config: SenderConfig): Verdict {
  const fix = failure.kind === 'unreached' && config.region !== undefined && config.region !== 'us1'
    ? `Check that Twilio serves this product in region ${config.region} (Twilio's "Regional product availability"): regions are isolated, and the sender reaches it there too; else run the check again.`
    : 'Run the check again; if it fails the same way, see status.twilio.com.';
  return failed(check, `${what} could not be read: ${failureText(failure)}.`, fix);
}
