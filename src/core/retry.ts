import type { Deadline } from './deadline';

/** The first wait before a second attempt. */
export const INITIAL_RETRY_DELAY_MS = 250;
/** No single wait is longer than this, whatever the attempt number. */
export const MAX_RETRY_DELAY_MS = 2_000;
/** Attempts in all, the first included. */
export const MAX_ATTEMPTS = 4;
/** Another attempt is only worth starting with at least this much time left. */
export const MIN_ATTEMPT_TIME_MS = 1_000;

export interface RetryOptions {
  deadline: Deadline;
  /** Whether a failure can heal with another attempt; anything else is thrown at once. */
  isRetryable: (error: unknown) => boolean;
  /** For tests: a number in [0, 1) that spreads the waits (equal jitter). */
  random?: () => number;
}

/** `1 attempt`, `3 attempts`: for messages that say how hard the sender tried. */
export function attemptsText(attempts: number): string {
  return attempts === 1 ? '1 attempt' : `${attempts} attempts`;
}

export class RetryExhaustedError extends Error {
  constructor(readonly lastError: unknown, readonly attempts: number) {
    super(`gave up after ${attempts} attempts`);
    this.name = 'RetryExhaustedError';
  }
}

/** The wait before attempt `attempt + 1`: exponential with equal jitter (half fixed, half random), capped. */
export function retryDelayMs(attempt: number, random: () => number): number {
  const ceiling = Math.min(MAX_RETRY_DELAY_MS, INITIAL_RETRY_DELAY_MS * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * Runs `attempt` until it succeeds, fails in a way that cannot heal, or there is no attempt or
 * no time left. Every failure, the last included, reaches the caller as a `RetryExhaustedError`
 * that carries the attempt count, so a message can say how hard the sender tried.
 */
export async function retry<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  options: RetryOptions,
): Promise<{ value: T; attempts: number }> {
  const random = options.random ?? Math.random;
  for (let attemptNumber = 1; ; attemptNumber++) {
    try {
      return { value: await attempt(attemptNumber), attempts: attemptNumber };
    } catch (error) {
      const delay = retryDelayMs(attemptNumber, random);
      const timeLeftAfterWait = options.deadline.remainingMs() - delay;
      if (
        attemptNumber >= MAX_ATTEMPTS ||
        !options.isRetryable(error) ||
        timeLeftAfterWait < MIN_ATTEMPT_TIME_MS
      ) {
        throw new RetryExhaustedError(error, attemptNumber);
      }
      await options.deadline.sleep(delay);
    }
  }
}
