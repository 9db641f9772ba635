import type { E164 } from '../phone';
import type { Plan } from '../plan';

/** An SMS comes from a number, or from a Messaging Service that picks the number itself. */
export type SmsSender = { from: E164 } | { messagingServiceSid: string };

/** An SMS through Programmable Messaging. */
export function smsPlan(to: E164, body: string, sender: SmsSender): Plan {
  const params = { to, body, ...sender };
  return { api: 'messaging', send: (client) => client.messages.create(params) };
}
