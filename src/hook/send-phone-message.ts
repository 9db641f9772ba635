/**
 * Auth0 Send Phone Message hook: delivers the MFA one-time code through Twilio.
 *
 * Paste dist/hook/send-phone-message.js into Auth0 Dashboard > Auth Pipeline > Hooks, declare
 * the NPM module `twilio`, and set the secrets:
 *   TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN           required
 *   TWILIO_PHONE_NUMBER                             From number for SMS and voice calls
 *   TWILIO_MESSAGING_SERVICE_SID                    optional: SMS through a Messaging Service
 *   TWILIO_VERIFY_SID                               optional: deliver through Twilio Verify
 *   TWILIO_VOICE                                    optional: the <Say> voice of calls
 *
 * Calls back once: `cb(null, { api, channel, sid })` once Twilio accepted the message, or
 * `cb(error)` with a SendPhoneMessageError whose message says what to fix and whose
 * friendlyMessage is shown to the user. Never later than 10 s.
 */
import { once } from '../core/callback';
import { InvalidRequestError, PhoneMessageError, TwilioDeliveryError } from '../core/errors';
import { auth0RuntimeDependencies } from '../core/load-twilio';
import { sendPhoneMessage } from '../core/send';
import { toPhoneMessage, type HookCallback, type HookContext } from './context';

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
  const answer = once(cb);
  const fail = (error: unknown): void => {
    const known =
      error instanceof PhoneMessageError
        ? error
        : new InvalidRequestError(`The hook failed unexpectedly (${error instanceof Error ? error.name : typeof error}).`);
    answer(toHookError(known));
  };
  try {
    const safeContext: HookContext = typeof context === 'object' && context !== null ? context : {};
    const message = toPhoneMessage(recipient, text, safeContext);
    sendPhoneMessage(safeContext.webtask?.secrets, message, auth0RuntimeDependencies()).then(
      (delivery) => answer(null, { api: delivery.api, channel: delivery.channel, sid: delivery.sid }),
      fail,
    );
  } catch (error) {
    fail(error);
  }
}

export = sendPhoneMessageHook;
