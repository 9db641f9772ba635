import { setTimeout as pause } from 'node:timers/promises';
import { ManagementError } from 'auth0';
import { DeployError } from './errors';
import { retryAfter } from '../../src/core/transport';

/**
 * Auth0 answers 429 when a tenant's Management API rate limit is reached, with `retry-after`
 * (seconds) and `x-ratelimit-reset` (epoch seconds). A 429 means the request was not carried
 * out, so retrying a write is safe. The SDK's own retries are off (maxRetries 0) so that this is
 * the only retry layer and its bounds hold.
 */

/** Retries after a 429 before giving up. */
export const MAX_RATE_LIMIT_RETRIES = 4;
/** The longest single wait, in milliseconds; a longer wait asked by Auth0 fails the run at once. */
export const MAX_RATE_LIMIT_WAIT_MS = 30_000;
/** The first wait when Auth0 sends no rate-limit header, doubled at each retry, in milliseconds. */
export const FALLBACK_RATE_LIMIT_WAIT_MS = 1_000;

export interface RateLimitHooks {
  /** Told before each wait, to print it. */
  onWait: (waitMs: number, retry: number) => void;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export async function withRateLimitRetry<T>(call: () => Promise<T>, what: string, hooks: RateLimitHooks): Promise<T> {
  const sleep = hooks.sleep ?? pause;
  const now = hooks.now ?? Date.now;
  for (let retry = 0; ; retry += 1) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof ManagementError) || error.statusCode !== 429) throw error;
      const waitMs = rateLimitWaitMs(error.rawResponse?.headers, retry, now());
      if (retry >= MAX_RATE_LIMIT_RETRIES) {
        throw new DeployError(`Auth0 still rate-limits ${what} after ${MAX_RATE_LIMIT_RETRIES} retries (HTTP 429).`, 'Another client is using the Management API heavily; run the command again in a few minutes.');
      }
      if (waitMs > MAX_RATE_LIMIT_WAIT_MS) {
        throw new DeployError(
          `Auth0 rate-limits ${what} and asks to wait ${Math.ceil(waitMs / 1000)} s, longer than the ${MAX_RATE_LIMIT_WAIT_MS / 1000} s this command waits (HTTP 429).`,
          `Run the command again after ${new Date(now() + waitMs).toISOString()}.`,
        );
      }
      hooks.onWait(waitMs, retry + 1);
      await sleep(waitMs);
    }
  }
}

/**
 * The wait Auth0 asks for: `retry-after` (seconds, or an HTTP date) first, since it is exact;
 * else until `x-ratelimit-reset` (epoch seconds); else a doubling fallback.
 */
export function rateLimitWaitMs(headers: Headers | undefined, retry: number, now: number): number {
  const asked = retryAfter(headers?.get('retry-after'), now);
  if (asked !== undefined) return asked;
  const reset = Number(headers?.get('x-ratelimit-reset'));
  if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - now);
  return FALLBACK_RATE_LIMIT_WAIT_MS * 2 ** retry;
}
