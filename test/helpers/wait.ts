// Taken when the module loads, before a test can install fake timers: a wait is real time.
const { setTimeout: later, Date: RealDate } = globalThis;

/**
 * Polls `condition` until it holds. Fails after `timeoutMs`, naming `what` it waited for: the
 * bound is generous (a loaded 2-core machine is slow, never this slow), the poll is short.
 */
export async function waitUntil(what: string, condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = RealDate.now() + timeoutMs;
  while (!condition()) {
    if (RealDate.now() > deadline) throw new Error(`Waited ${timeoutMs} ms for ${what}, in vain.`);
    await new Promise((resolve) => later(resolve, 5));
  }
}
