import type { TwilioConfig } from '../config';
import { ConfigurationError } from '../errors';
import type { CreatedResource, MessageListInstanceCreateOptions, TwilioClient } from '../twilio-module';

/**
 * Programmable Messaging parameters. A Messaging Service, when configured, picks the sender
 * itself; otherwise the message comes from `from` (the notification's own sender) or
 * TWILIO_PHONE_NUMBER.
 */
export function smsParams(
  config: TwilioConfig,
  to: string,
  body: string,
  from: string | undefined,
): MessageListInstanceCreateOptions {
  if (from !== undefined) return { to, body, from };
  if (config.messagingServiceSid !== undefined) return { to, body, messagingServiceSid: config.messagingServiceSid };
  if (config.phoneNumber !== undefined) return { to, body, from: config.phoneNumber };
  throw new ConfigurationError(
    'TWILIO_PHONE_NUMBER is not set: SMS needs a From number (or TWILIO_MESSAGING_SERVICE_SID, or TWILIO_VERIFY_SID to send through Verify).',
  );
}

export function sendSms(client: TwilioClient, params: MessageListInstanceCreateOptions): Promise<CreatedResource> {
  return client.messages.create(params);
}
