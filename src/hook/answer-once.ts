import { kindOf } from '../core/errors';
import { LOG_PREFIX } from '../core/log-line';
import type { HookCallback } from './context';

/**
 * Only the first call reaches Auth0 (a late answer after the deadline is dropped), and a callback
 * that throws (Auth0's own `res.end`, say) is logged, never an unhandled rejection that would
 * crash the container and every send in flight.
 */
export function answerOnce(callback: HookCallback, log: (line: string) => void): HookCallback {
  let answered = false;
  return (error, response) => {
    if (answered) return;
    answered = true;
    try {
      callback(error, response);
    } catch (thrown) {
      const name = kindOf(thrown);
      log(`${LOG_PREFIX} the hook's callback threw an exception (${name}); Auth0 may not have received the answer.`);
    }
  };
}
