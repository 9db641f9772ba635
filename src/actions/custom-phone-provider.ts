/**
 * Auth0 Action, Custom Phone Provider trigger: delivers Auth0's phone notifications (one-time
 * codes for enrollment and verification, blocked-account and password notices) through Twilio:
 * text messages by SMS (codes on WhatsApp first for the countries the tenant lists), voice by a
 * call, or through Twilio Verify.
 *
 * Paste as the code of Branding > Phone Provider > Custom (or deploy with `npm run deploy`), with
 * the dependencies `twilio` and `libphonenumber-js` (docs/deploy.md, "The dependencies") and the
 * secrets (optional unless said):
 *   (the secrets: generated from SECRETS in src/core/config.ts when the bundle is built)
 *
 * Returns normally when Twilio accepted the message. On failure it calls exactly one of
 * api.notification.retry(reason) (429, 5xx, connection, deadline: Auth0 tries again, up to 5
 * times) or api.notification.drop(reason) (what asking again cannot fix), and returns. The
 * reason says what to fix, never a secret, code or phone number.
 */
import { asPhoneMessageError, kindOf } from '../core/errors';
import { LOG_PREFIX } from '../core/log-line';
import { sendPhoneMessage, type SendRequest } from '../core/send';
import { auth0RuntimeDependencies } from '../auth0/runtime';
import { CUSTOM_PHONE_PROVIDER_FIELDS, CUSTOM_PHONE_PROVIDER_PURPOSES } from '../auth0/vocabulary';
import { actionClient, type CustomPhoneProviderApi, type CustomPhoneProviderEvent } from './types';

/** Auth0 cuts a longer reason. */
const MAX_REASON_LENGTH = 1024;

function customPhoneProviderRequest(event: CustomPhoneProviderEvent): SendRequest {
  const notification = event.notification ?? {};
  const channel = notification.delivery_method;
  return {
    secrets: event.secrets,
    message: {
      recipient: notification.recipient,
      text: channel === CUSTOM_PHONE_PROVIDER_FIELDS.channel[2] ? notification.as_voice : notification.as_text,
      code: notification.code,
      channel,
      fields: CUSTOM_PHONE_PROVIDER_FIELDS,
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
      dependencies.log(`${LOG_PREFIX} api.notification.${error.transient ? 'retry' : 'drop'} threw an exception (${name}).`);
    }
  }
}
