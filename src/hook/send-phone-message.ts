/**
 * Auth0 Send Phone Message hook: delivers the MFA one-time code through Twilio, by SMS (on
 * WhatsApp first for the countries the tenant lists), by a voice call that reads the code, or
 * through Twilio Verify.
 *
 * Auth0 ended Hooks on 2026-11-18: where they no longer run, deploy the Send Phone Message action
 * (dist/actions/send-phone-message.js) instead. Otherwise paste this file into Auth0 Dashboard >
 * Auth Pipeline > Hooks > Send Phone Message, declare the NPM modules `twilio` and
 * `libphonenumber-js` (docs/deploy.md) and set the secrets (optional unless said):
 *   (the secrets: generated from SECRETS in src/core/config.ts when the bundle is built)
 *
 * Calls back exactly once, within 10 s: `cb(null, { api, channel, sid, fallbackReason? })` once
 * Twilio accepted the message (`fallbackReason`: why SMS carried a code meant for WhatsApp), or
 * `cb(error)`, a SendPhoneMessageError whose message says what to fix (never a secret, code or
 * phone number) and whose friendlyMessage the user sees. Never throws.
 */
import { asPhoneMessageError, kindOf, TwilioDeliveryError, type PhoneMessageError } from '../core/errors';
import { sendPhoneMessage } from '../core/send';
import { auth0RuntimeDependencies } from '../auth0/runtime';
import { answerOnce } from './answer-once';
import { hookRequest, type HookCallback, type HookContext } from './context';

/** Declared by Auth0's compiler in front of the hook's code; absent in other runtimes. */
declare const SendPhoneMessageError: (new (message: string, friendlyMessage?: string) => Error) | undefined;

/** Auth0's own error class when the runtime has it, so Auth0 shows `friendlyMessage` to the user. */
function toHookError(error: PhoneMessageError): Error {
  if (typeof SendPhoneMessageError !== 'function') return error;
  const runtimeError = new SendPhoneMessageError(error.message, error.friendlyMessage);
  const twilioCode = error instanceof TwilioDeliveryError ? error.twilioCode : undefined;
  return Object.assign(runtimeError, { transient: error.transient }, twilioCode === undefined ? {} : { twilioCode });
}

function sendPhoneMessageHook(recipient: string, text: string, context: HookContext, cb: HookCallback): void {
  const dependencies = auth0RuntimeDependencies();
  const answer = answerOnce(cb, dependencies.log);
  // The sender reads the arguments inside its own guard: whatever they throw is answered and logged once.
  sendPhoneMessage(() => hookRequest(recipient, text, context), dependencies)
    .then(
      ({ api, channel, sid, fallbackReason }) => answer(null, { api, channel, sid, ...(fallbackReason === undefined ? {} : { fallbackReason }) }),
      (error: unknown) => {
        const reported = asPhoneMessageError(error);
        let hookError: Error = reported;
        try {
          hookError = toHookError(reported);
        } catch {
          // Auth0's error class failed to build: the sender's own error still says what to fix.
        }
        answer(hookError);
      },
    )
    // Whatever else throws, the callback is still called (once: answerOnce).
    .catch((thrown: unknown) => answer(new Error(`The sender failed unexpectedly (${kindOf(thrown)}).`)));
}

module.exports = sendPhoneMessageHook;
