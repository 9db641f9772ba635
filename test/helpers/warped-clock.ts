/**
 * A clock that runs `factor` times faster than the real one, as the globals `Date`,
 * `setTimeout` and `clearTimeout` of code under test. The sender's 10 s deadline and its retry
 * waits then pass in a fraction of the time while sockets, the fake Twilio and the library
 * run in real time: a real roundtrip simply counts as `factor` times longer.
 */
export function warpedClock(factor: number) {
  const realNow = Date.now;
  const origin = realNow();
  const now = (): number => origin + (realNow() - origin) * factor;

  class WarpedDate extends Date {
    static override now(): number {
      return now();
    }
  }

  return {
    now,
    globals: {
      Date: WarpedDate,
      setTimeout: (callback: () => void, ms = 0) => setTimeout(callback, ms / factor),
      clearTimeout: (timer: ReturnType<typeof setTimeout> | undefined) => clearTimeout(timer),
    },
  };
}
