/**
 * Auth0 Action, Send Phone Message trigger: delivers the MFA one-time code through Twilio, by
 * SMS (on WhatsApp first for the countries the tenant lists), by a voice call that reads the
 * code digit by digit, or through Twilio Verify.
 *
 * Deploy as a custom action (Node 22) with the dependencies `twilio` and `libphonenumber-js`
 * (docs/deploy.md, "The dependencies") and the secrets (optional unless said):
 *   (the secrets: generated from SECRETS in src/core/config.ts when the bundle is built)
 *
 * Resolves once Twilio accepted the message, within 10 s. Otherwise throws an Error whose
 * message says what to fix (never a secret, code or phone number); Auth0 logs the failure
 * (gd_send_sms_failure or gd_send_voice_failure) and the user can ask for a new code.
 */
import { sendPhoneMessage, type SendRequest } from '../core/send';
import { auth0RuntimeDependencies } from '../auth0/runtime';
import { SEND_PHONE_MESSAGE_FIELDS, SEND_PHONE_MESSAGE_PURPOSES } from '../auth0/vocabulary';
import { actionClient, type ActionApi, type SendPhoneMessageEvent } from './types';

function sendPhoneMessageRequest(event: SendPhoneMessageEvent): SendRequest {
  const options = event.message_options ?? {};
  return {
    secrets: event.secrets,
    message: {
      recipient: options.recipient,
      text: options.text,
      code: options.code,
      channel: options.message_type,
      fields: SEND_PHONE_MESSAGE_FIELDS,
      purpose: SEND_PHONE_MESSAGE_PURPOSES.get(options.action),
      auth0: { trigger: 'send-phone-message', messageType: options.action },
      language: event.request?.language,
      correlationId: event.transaction?.correlation_id,
      from: undefined,
      client: actionClient(event.client),
      user: event.user,
    },
  };
}

export async function onExecuteSendPhoneMessage(event: SendPhoneMessageEvent, api?: ActionApi): Promise<void> {
  // The sender reads the event inside its own guard: whatever it throws is reported and logged once.
  await sendPhoneMessage(() => sendPhoneMessageRequest(event), auth0RuntimeDependencies(api));
}
