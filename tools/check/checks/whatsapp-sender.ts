import { SECRET_NAMES } from '../../../src/core/config';
import { maskPhoneNumber } from '../../../src/core/phone';
import type { Check, CheckContext } from '../context';
import { read, unreadable } from '../twilio-failure';
import { failed, notConfigured, passed, type Verdict } from '../verdict';

/**
 * TWILIO_WHATSAPP_FROM: a WhatsApp sender of this account, online (GET
 * messaging.twilio.com/v2/Channels/Senders?Channel=whatsapp, the Senders API,
 * `client.messaging.v2.channelsSenders.list`). Twilio refuses a WhatsApp message from any other
 * address, or from a sender still in registration or taken offline, with 63007: every code then
 * goes by SMS, after a wasted request. A Messaging Service's WhatsApp sender is the messaging
 * service line's; Verify's is the verify line's.
 */

const CHECK = 'whatsapp sender';
const WHATSAPP_SENDERS = 'Twilio Console > Messaging > Senders > WhatsApp senders';
/** Senders read: an account has a few; an ISV's may have hundreds, and one more page costs little. */
const SENDERS_READ = 1000;
/** The Senders API's statuses of a sender that sends: online, or online while its profile is updated. */
const SENDING_STATUSES: readonly string[] = ['ONLINE', 'ONLINE:UPDATING'];
/** Statuses of a sender that has not finished its registration yet (the others: OFFLINE). */
const REGISTERING_STATUSES: readonly string[] = ['CREATING', 'PENDING_VERIFICATION', 'VERIFYING', 'TWILIO_REVIEW', 'DRAFT', 'STUBBED'];

async function checkWhatsAppSender({ config, client }: CheckContext): Promise<Verdict> {
  const route = config.whatsapp?.route;
  if (route === undefined) return notConfigured(CHECK, `${SECRET_NAMES.whatsappCountries} is not set.`);
  if (route.kind === 'verify') return notConfigured(CHECK, `codes on WhatsApp go through Verify (${SECRET_NAMES.verifyServiceSid}), from its WhatsApp sender: see the verify line.`);
  if (!('from' in route.sender)) return notConfigured(CHECK, `codes on WhatsApp come from the Sender Pool of ${SECRET_NAMES.messagingServiceSid}: see the messaging service line.`);
  const shown = maskPhoneNumber(route.sender.from);
  const address = `whatsapp:${route.sender.from}`;
  const listed = await read(() => client.messaging.v2.channelsSenders.list({ channel: 'whatsapp', limit: SENDERS_READ }));
  if (!listed.ok) return unreadable(CHECK, "the account's WhatsApp senders", listed.failure, config);
  const sender = listed.value.find((candidate) => (candidate.senderId ?? '').toLowerCase() === address);
  if (sender === undefined) {
    return failed(
      CHECK,
      `${shown} is not a WhatsApp sender of this account: Twilio refuses every WhatsApp code from it (63007), and each goes by SMS.`,
      `Set ${SECRET_NAMES.whatsappFrom} to a number listed in ${WHATSAPP_SENDERS}, or register this one there.`,
    );
  }
  if (SENDING_STATUSES.includes(sender.status)) return passed(CHECK, `${shown} is a WhatsApp sender of this account, online.`);
  const reasons = (sender.offlineReasons ?? []).map((reason) => reason.message).filter((message): message is string => typeof message === 'string' && message !== '');
  const why = reasons.length === 0 ? '' : ` (${reasons.join('; ').replace(/\.$/, '')})`;
  const fix = REGISTERING_STATUSES.includes(sender.status)
    ? `Finish its registration in ${WHATSAPP_SENDERS}; until it is online, codes go by SMS.`
    : `Open it in ${WHATSAPP_SENDERS} to see why it is offline and bring it back online (or set ${SECRET_NAMES.whatsappFrom} to a sender that is); until then, codes go by SMS.`;
  return failed(CHECK, `${shown} is a WhatsApp sender of this account, but ${sender.status}${why}: Twilio refuses every WhatsApp code from it (63007) until it is online.`, fix);
}

export const whatsappSenderCheck: Check = { name: CHECK, run: checkWhatsAppSender };
