import type { Auth0Fields, MessagePurpose } from '../core/message';

/* Each Auth0 trigger names the same things differently. */

/** The hook's `context.action` and the Send Phone Message action's `message_options.action`. */
export const SEND_PHONE_MESSAGE_PURPOSES: ReadonlyMap<unknown, MessagePurpose> = new Map<unknown, MessagePurpose>([
  ['enrollment', 'enrollment'],
  ['second-factor-authentication', 'verification'],
]);

/** The Custom Phone Provider's `notification.message_type`. */
export const CUSTOM_PHONE_PROVIDER_PURPOSES: ReadonlyMap<unknown, MessagePurpose> = new Map<unknown, MessagePurpose>([
  ['otp_enroll', 'enrollment'],
  ['otp_verify', 'verification'],
  ['blocked_account', 'blocked-account'],
  ['change_password', 'password-change'],
  ['password_breach', 'password-breach'],
]);

/** The fields each trigger's event holds the channel in (and the sender, for the one that has it), as its own errors name them. */
export const HOOK_FIELDS: Auth0Fields = { channel: ['context.message_type', 'sms', 'voice'] };
export const SEND_PHONE_MESSAGE_FIELDS: Auth0Fields = { channel: ['message_options.message_type', 'sms', 'voice'] };
export const CUSTOM_PHONE_PROVIDER_FIELDS: Auth0Fields = {
  channel: ['notification.delivery_method', 'text', 'voice'],
  from: [
    'notification.from',
    "Set the From number of the phone provider in Auth0 (Branding > Phone Provider) to a Twilio number in E.164, or clear it to send from TWILIO_PHONE_NUMBER; an alphanumeric sender goes in a Messaging Service's sender pool (TWILIO_MESSAGING_SERVICE_SID).",
  ],
};
