import type { Deadline } from './deadline';

/** The ceiling of the first wait; with equal jitter the first wait is 125 to 250 ms. */
export const INITIAL_RETRY_DELAY_MS = 250;
/** No backoff wait is longer than this, whatever the attempt number (a `Retry-After` may be). */
export const MAX_RETRY_DELAY_MS = 2_000;
/** Attempts in all, the first included. */
export const MAX_ATTEMPTS = 4;
/** Another attempt is only worth starting with at least this much time left. */
export const MIN_ATTEMPT_TIME_MS = 1_000;

/** What the retry needs to know of a failure. */
export interface FailureAdvice {
  /** Whether another attempt can heal it; anything else ends the retries at once. */
  retryable: boolean;
  /** How long the server asked to wait (`Retry-After`), when it did. */
  retryAfterMs: number | undefined;
}

export interface RetryOptions<Advice extends FailureAdvice> {
  deadline: Deadline;
  /** Called once per failure; its answer decides the retry and reaches the caller with the last failure. */
  advise: (error: unknown) => Advice;
  /** For tests: a number in [0, 1) that spreads the waits (equal jitter). */
  random?: () => number;
}

/** The last failure, untouched, with its advice and attempt count: the caller need not judge it again. */
export class RetryExhaustedError<Advice extends FailureAdvice = FailureAdvice> extends Error {
  override readonly name = 'RetryExhaustedError';
  constructor(readonly lastError: unknown, readonly advice: Advice, readonly attempts: number) {
    super(`gave up after ${attempts === 1 ? '1 attempt' : `${attempts} attempts`}`);
  }
}

/** The wait before attempt `attempt + 1`: exponential with equal jitter (half fixed, half random), capped. */
export function retryDelayMs(attempt: number, random: () => number): number {
  const ceiling = Math.min(MAX_RETRY_DELAY_MS, INITIAL_RETRY_DELAY_MS * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * Runs `attempt` until it succeeds, fails for good, or no attempt or time is left. A `Retry-After`
 * is waited only if an attempt still fits after it; otherwise the failure is reported at once.
 */
export async function retry<T, Advice extends FailureAdvice>(
  attempt: (attemptNumber: number) => Promise<T>,
  options: RetryOptions<Advice>,
): Promise<{ value: T; attempts: number }> {
  const random = options.random ?? Math.random;
  for (let attemptNumber = 1; ; attemptNumber++) {
    try {
      return { value: await attempt(attemptNumber), attempts: attemptNumber };
    } catch (error) {
      const advice = options.advise(error);
      const delay = Math.max(retryDelayMs(attemptNumber, random), advice.retryAfterMs ?? 0);
      const timeLeftAfterWait = options.deadline.remainingMs() - delay;
      if (attemptNumber >= MAX_ATTEMPTS || !advice.retryable || timeLeftAfterWait < MIN_ATTEMPT_TIME_MS) {
        throw new RetryExhaustedError(error, advice, attemptNumber);
      }
      await options.deadline.sleep(delay);
    }
  }
}
