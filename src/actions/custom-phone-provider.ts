/**
 * Auth0 Action, Custom Phone Provider trigger: delivers Auth0's phone notifications (one-time
 * codes for enrollment and verification, blocked-account and password notices) through Twilio:
 * text messages by SMS (codes on WhatsApp first for the countries the tenant lists), voice by a
 * call, or through Twilio Verify.
 *
 * Paste as the code of Branding > Phone Provider > Custom (or deploy with `npm run deploy`), with
 * the dependency `twilio` (and `libphonenumber-js` when ALLOWED_COUNTRIES or
 * WHATSAPP_COUNTRIES lists countries) and the secrets:
 *   TWILIO_ACCOUNT_SID             required
 *   TWILIO_AUTH_TOKEN, or TWILIO_API_KEY and TWILIO_API_SECRET: required (an API key wins)
 *   TWILIO_PHONE_NUMBER            From number, unless the notification names one
 *   TWILIO_MESSAGING_SERVICE_SID   optional: SMS through a Messaging Service
 *   TWILIO_VERIFY_SID              optional: one-time codes through Twilio Verify
 *   TWILIO_VOICE                   optional: the <Say> voice of calls
 *   TWILIO_REGION, TWILIO_EDGE     optional: Twilio region (us1, ie1, au1) and edge
 *   ALLOWED_COUNTRIES              optional: ISO country codes recipients may be in
 *   WHATSAPP_COUNTRIES             optional: codes to these countries (or * for all) go on WhatsApp
 *                                  first, SMS when WhatsApp cannot deliver
 *   TWILIO_WHATSAPP_FROM, TWILIO_WHATSAPP_CONTENT_SID: with WHATSAPP_COUNTRIES, unless through
 *                                  Verify: the WhatsApp sender and the approved template
 *
 * Returns normally when Twilio accepted the message. On failure it calls exactly one of
 * api.notification.retry(reason) (429, 5xx, connection, deadline: Auth0 tries again, up to 5
 * times) or api.notification.drop(reason) (what asking again cannot fix), and returns. The
 * reason says what to fix, never a secret, code or phone number.
 */
import { asPhoneMessageError, kindOf } from '../core/errors';
import { sendPhoneMessage, type SendRequest } from '../core/send';
import { auth0RuntimeDependencies } from '../auth0/runtime';
import { CUSTOM_PHONE_PROVIDER_PURPOSES, DELIVERY_METHOD_CHANNELS } from '../auth0/vocabulary';
import { actionClient, type CustomPhoneProviderApi, type CustomPhoneProviderEvent } from './types';

/** Auth0 cuts a longer reason. */
const MAX_REASON_LENGTH = 1024;

function customPhoneProviderRequest(event: CustomPhoneProviderEvent): SendRequest {
  const notification = event.notification ?? {};
  const channel = DELIVERY_METHOD_CHANNELS.get(notification.delivery_method) ?? notification.delivery_method;
  return {
    secrets: event.secrets,
    message: {
      recipient: notification.recipient,
      text: channel === 'voice' ? notification.as_voice : notification.as_text,
      code: notification.code,
      channel,
      purpose: CUSTOM_PHONE_PROVIDER_PURPOSES.get(notification.message_type),
      auth0: { trigger: 'custom-phone-provider', messageType: notification.message_type },
      language: notification.locale ?? event.request?.language,
      correlationId: event.transaction?.correlation_id,
      from: notification.from,
      client: actionClient(event.client),
      user: event.user,
    },
  };
}

export async function onExecuteCustomPhoneProvider(event: CustomPhoneProviderEvent, api: CustomPhoneProviderApi): Promise<void> {
  const dependencies = auth0RuntimeDependencies(api);
  try {
    // The sender reads the event inside its own guard: whatever it throws is dropped and logged once.
    await sendPhoneMessage(() => customPhoneProviderRequest(event), dependencies);
  } catch (caught) {
    const error = asPhoneMessageError(caught);
    const reason = error.message.slice(0, MAX_REASON_LENGTH);
    try {
      if (error.transient) api.notification.retry(reason);
      else api.notification.drop(reason);
    } catch (thrown) {
      const name = kindOf(thrown);
      dependencies.log(`twilio-phone-message: api.notification.${error.transient ? 'retry' : 'drop'} threw an exception (${name}).`);
    }
  }
}
