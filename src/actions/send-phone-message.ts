/**
 * Auth0 Action, Send Phone Message trigger: delivers the MFA one-time code through Twilio, by
 * SMS (on WhatsApp first for the countries the tenant lists), by a voice call that reads the
 * code digit by digit, or through Twilio Verify.
 *
 * Deploy as a custom action (Node 22) with the dependency `twilio` (and `libphonenumber-js`
 * when ALLOWED_COUNTRIES or WHATSAPP_COUNTRIES lists countries) and the secrets:
 *   TWILIO_ACCOUNT_SID             required
 *   TWILIO_AUTH_TOKEN, or TWILIO_API_KEY and TWILIO_API_SECRET: required (an API key wins)
 *   TWILIO_PHONE_NUMBER            the From number: required for calls, and for SMS without a
 *                                  Messaging Service or Verify
 *   TWILIO_MESSAGING_SERVICE_SID   optional: SMS through a Messaging Service
 *   TWILIO_VERIFY_SID              optional: deliver through Twilio Verify
 *   TWILIO_VOICE                   optional: the <Say> voice of calls
 *   TWILIO_REGION, TWILIO_EDGE     optional: Twilio region (us1, ie1, au1) and edge
 *   ALLOWED_COUNTRIES              optional: ISO country codes recipients may be in
 *   WHATSAPP_COUNTRIES             optional: codes to these countries (or * for all) go on WhatsApp
 *                                  first, SMS when WhatsApp cannot deliver
 *   TWILIO_WHATSAPP_FROM, TWILIO_WHATSAPP_CONTENT_SID: with WHATSAPP_COUNTRIES, unless through
 *                                  Verify: the WhatsApp sender and the approved template
 *
 * Resolves once Twilio accepted the message, within 10 s. Otherwise throws an Error whose
 * message says what to fix (never a secret, code or phone number); Auth0 logs the failure
 * (gd_send_sms_failure or gd_send_voice_failure) and the user can ask for a new code.
 */
import { sendPhoneMessage, type SendRequest } from '../core/send';
import { auth0RuntimeDependencies } from '../auth0/runtime';
import { SEND_PHONE_MESSAGE_PURPOSES } from '../auth0/vocabulary';
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
