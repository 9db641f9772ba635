/** One deadline for a whole send, every attempt and wait included. */
export class Deadline {
  private readonly expiresAt: number;

  constructor(readonly budgetMs: number, private readonly now: () => number = Date.now) {
    this.expiresAt = now() + budgetMs;
  }

  /** `ms` before this one (or now): what a step may use while keeping `ms` for the next. */
  leaving(ms: number): Deadline {
    return new Deadline(Math.max(0, this.remainingMs() - ms), this.now);
  }

  /** A deadline at most `ms` from now, and never past this one. */
  capped(ms: number): Deadline {
    return new Deadline(Math.min(ms, this.remainingMs()), this.now);
  }

  remainingMs(): number {
    return Math.max(0, this.expiresAt - this.now());
  }

  elapsedMs(): number {
    return this.budgetMs - (this.expiresAt - this.now());
  }

  /** Settles with `work`, or `onExpiry()` first; the timer is cleared so a finished send frees the container. */
  race<T>(work: Promise<T>, onExpiry: () => Error): Promise<T> {
    // A late rejection of `work` after the deadline must not surface as an unhandled rejection.
    work.catch(() => undefined);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(onExpiry()), this.remainingMs());
      work.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  /** Waits `ms`, but never past the deadline. */
  sleep(ms: number): Promise<void> {
    const wait = Math.min(ms, this.remainingMs());
    return new Promise((resolve) => setTimeout(resolve, wait));
  }
}
