import type { E164 } from '../phone';
import type { CreatedResource, MessageListInstanceCreateOptions, TwilioClient } from '../twilio-module';

/** An SMS comes from a number, or from a Messaging Service that picks the number itself. */
export type SmsSender = { from: E164 } | { messagingServiceSid: string };

/** Programmable Messaging parameters. */
export function smsParams(to: E164, body: string, sender: SmsSender): MessageListInstanceCreateOptions {
  return { to, body, ...sender };
}

export function sendSms(client: TwilioClient, params: MessageListInstanceCreateOptions): Promise<CreatedResource> {
  return client.messages.create(params);
}
