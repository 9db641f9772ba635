/**
 * Auth0 Action, Send Phone Message trigger: delivers the MFA one-time code through Twilio.
 *
 * Deploy dist/actions/send-phone-message.js as a custom action (Node 22) with the dependency
 * `twilio` and the secrets:
 *   TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN           required
 *   TWILIO_PHONE_NUMBER                             From number for SMS and voice calls
 *   TWILIO_MESSAGING_SERVICE_SID                    optional: SMS through a Messaging Service
 *   TWILIO_VERIFY_SID                               optional: deliver through Twilio Verify
 *   TWILIO_VOICE                                    optional: the <Say> voice of calls
 *
 * Resolves once Twilio accepted the message. Throws an Error whose message says what to fix
 * (Auth0 then logs gd_send_sms_failure or gd_send_voice_failure). Never later than 10 s.
 */
import { auth0RuntimeDependencies } from '../core/load-twilio';
import { sendPhoneMessage } from '../core/send';
import { actionClient, type SendPhoneMessageEvent } from './types';

export async function onExecuteSendPhoneMessage(event: SendPhoneMessageEvent): Promise<void> {
  const options = event.message_options ?? {};
  await sendPhoneMessage(
    event.secrets,
    {
      recipient: options.recipient,
      text: options.text,
      code: options.code,
      messageType: options.message_type,
      action: options.action,
      language: event.request?.language,
      from: undefined,
      verifiable: true,
      client: actionClient(event.client),
      user: event.user,
    },
    auth0RuntimeDependencies(),
  );
}
