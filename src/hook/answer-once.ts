import { kindOf } from '../core/errors';
import type { HookCallback } from './context';

/**
 * Wraps Auth0's callback so that only its first call goes through (a late answer after the
 * deadline, a throw after a success: Auth0 hears one answer), and so that a callback that
 * throws (Auth0's own `res.end`, say) never escapes as an unhandled rejection that would crash
 * the container and every send in flight with it. A throw is logged once.
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
      log(`twilio-phone-message: the hook's callback threw an exception (${name}); Auth0 may not have received the answer.`);
    }
  };
}
