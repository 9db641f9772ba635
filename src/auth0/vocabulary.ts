import type { Channel, MessagePurpose } from '../core/message';

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

/** The Custom Phone Provider's `notification.delivery_method`; the other triggers say `sms` and `voice` already. */
export const DELIVERY_METHOD_CHANNELS: ReadonlyMap<unknown, Channel> = new Map<unknown, Channel>([
  ['text', 'sms'],
  ['voice', 'voice'],
]);
