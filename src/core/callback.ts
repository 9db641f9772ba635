/**
 * Wraps a Node-style callback so that only its first call goes through: whatever races (a late
 * Twilio answer after the deadline, a throw after a success), Auth0 hears one answer.
 */
export function once<A extends unknown[]>(callback: (...args: A) => void): (...args: A) => void {
  let called = false;
  return (...args: A) => {
    if (called) return;
    called = true;
    callback(...args);
  };
}
