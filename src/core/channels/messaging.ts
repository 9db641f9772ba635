import type { MessageSender } from '../config';
import type { E164 } from '../phone';
import type { Route } from '../route';
import type { MessageListInstanceCreateOptions } from '../twilio-module';

/** Twilio's `ValidityPeriod`: Auth0's codes expire after 5 minutes; a later one only confuses the user. */
export const CODE_VALIDITY_PERIOD_S = 300;

/** Twilio's address of a number on WhatsApp. */
const onWhatsApp = (number: E164): string => `whatsapp:${number}`;

/** An SMS through Programmable Messaging; a one-time code carries its validity period. */
export function smsRoute(to: E164, body: string, sender: MessageSender, oneTimeCode: boolean): Route {
  const params: MessageListInstanceCreateOptions = { to, body, ...sender, ...(oneTimeCode ? { validityPeriod: CODE_VALIDITY_PERIOD_S } : {}) };
  return { api: 'messaging', channel: 'sms', confirm: false, send: (client) => client.messages.create(params) };
}

/**
 * A one-time code on WhatsApp: a business-initiated message must be an approved template (the code
 * its variable 1). Twilio accepts it before WhatsApp does, so its status is read back.
 */
export function whatsappRoute(to: E164, code: string, sender: MessageSender, contentSid: string): Route {
  const params: MessageListInstanceCreateOptions = {
    to: onWhatsApp(to),
    ...('from' in sender ? { from: onWhatsApp(sender.from) } : sender),
    contentSid,
    contentVariables: JSON.stringify({ 1: code }),
    validityPeriod: CODE_VALIDITY_PERIOD_S,
  };
  return { api: 'messaging', channel: 'whatsapp', confirm: true, send: (client) => client.messages.create(params) };
}
