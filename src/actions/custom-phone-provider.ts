/**
 * Auth0 Action, Custom Phone Provider trigger: delivers Auth0's phone notifications (one-time
 * codes, blocked account, password notices) through Twilio.
 *
 * Deploy dist/actions/custom-phone-provider.js as a custom action (Node 22) with the dependency
 * `twilio` and the secrets:
 *   TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN           required
 *   TWILIO_PHONE_NUMBER                             From number, unless the notification names one
 *   TWILIO_MESSAGING_SERVICE_SID                    optional: SMS through a Messaging Service
 *   TWILIO_VERIFY_SID                               optional: one-time codes through Twilio Verify
 *   TWILIO_VOICE                                    optional: the <Say> voice of calls
 *
 * Returns normally when Twilio accepted the message. On failure it calls exactly one of
 * api.notification.retry(reason) (429, 5xx, connection, deadline: Auth0 tries again) or
 * api.notification.drop(reason) (anything asking again cannot fix), and returns.
 */
import { InvalidRequestError, PhoneMessageError } from '../core/errors';
import { auth0RuntimeDependencies } from '../core/load-twilio';
import { sendPhoneMessage } from '../core/send';
import { actionClient, type CustomPhoneProviderApi, type CustomPhoneProviderEvent } from './types';

/** Auth0 refuses a longer reason. */
const MAX_REASON_LENGTH = 1024;
/** The notifications that carry a one-time code, and so can go through Verify. */
const CODE_MESSAGE_TYPES = ['otp_verify', 'otp_enroll'];
const DELIVERY_METHODS: ReadonlyMap<unknown, 'sms' | 'voice'> = new Map([
  ['text', 'sms'],
  ['voice', 'voice'],
]);

export async function onExecuteCustomPhoneProvider(event: CustomPhoneProviderEvent, api: CustomPhoneProviderApi): Promise<void> {
  const notification = event.notification ?? {};
  const messageType = DELIVERY_METHODS.get(notification.delivery_method) ?? notification.delivery_method;
  try {
    await sendPhoneMessage(
      event.secrets,
      {
        recipient: notification.recipient,
        text: messageType === 'voice' ? notification.as_voice : notification.as_text,
        code: notification.code,
        messageType,
        action: notification.message_type,
        language: notification.locale ?? event.request?.language,
        from: notification.from,
        verifiable: CODE_MESSAGE_TYPES.includes(notification.message_type ?? ''),
        client: actionClient(event.client),
        user: event.user,
      },
      auth0RuntimeDependencies(),
    );
  } catch (caught) {
    const error =
      caught instanceof PhoneMessageError
        ? caught
        : new InvalidRequestError(`The action failed unexpectedly (${caught instanceof Error ? caught.name : typeof caught}).`);
    const reason = error.message.slice(0, MAX_REASON_LENGTH);
    if (error.transient) api.notification.retry(reason);
    else api.notification.drop(reason);
  }
}
