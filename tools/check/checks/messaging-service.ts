import { SECRET_NAMES, type SenderConfig } from '../../../src/core/config';
import type { Check, CheckContext } from '../context';
import { isNotFound, read, unreadable } from '../twilio-failure';
import { failed, named, notConfigured, passed, shortSid, type Verdict } from '../verdict';

/**
 * TWILIO_MESSAGING_SERVICE_SID: the service exists (GET messaging.twilio.com/v1/Services/{Sid})
 * and its Sender Pool holds a sender for SMS: a phone number, else a short code, else an
 * alphanumeric sender (GET …/PhoneNumbers, …/ShortCodes, …/AlphaSenders, one of each at most,
 * stopping at the first found). When WhatsApp goes through it, the pool holds a WhatsApp sender
 * too (GET …/ChannelSenders).
 */

const CHECK = 'messaging service';
/** Channel senders read to find a WhatsApp one: a pool holds a few (WhatsApp, RCS, Messenger). */
const CHANNEL_SENDERS_READ = 50;

/** Whether codes on WhatsApp go through the Messaging Service's pool. */
function whatsappThroughService(config: SenderConfig): boolean {
  const route = config.whatsapp?.route;
  return route?.kind === 'messaging' && 'messagingServiceSid' in route.sender;
}

async function checkMessagingService({ config, client }: CheckContext): Promise<Verdict> {
  const sid = config.messagingServiceSid;
  if (sid === undefined) return notConfigured(CHECK, `${SECRET_NAMES.messagingServiceSid} is not set.`);
  const service = client.messaging.v1.services(sid);
  const fetched = await read(() => service.fetch());
  if (!fetched.ok) {
    return isNotFound(fetched.failure)
      ? failed(CHECK, `${shortSid(sid)} is not a Messaging Service of this account (20404).`, `Copy the SID (MG…) from Twilio Console > Messaging > Services${config.region === undefined ? '' : `, in region ${config.region}`}, or remove ${SECRET_NAMES.messagingServiceSid}.`)
      : unreadable(CHECK, shortSid(sid), fetched.failure, config);
  }
  const name = named(fetched.value.friendlyName, sid);
  const senderPool = `Twilio Console > Messaging > Services > ${fetched.value.friendlyName || shortSid(sid)} > Sender Pool > Add Senders`;

  const pools: [string, () => Promise<unknown[]>][] = [
    ['a phone number', () => service.phoneNumbers.list({ limit: 1 })],
    ['a short code', () => service.shortCodes.list({ limit: 1 })],
    ['an alphanumeric sender', () => service.alphaSenders.list({ limit: 1 })],
  ];
  let smsSender: string | undefined;
  for (const [what, list] of pools) {
    const senders = await read(list);
    if (!senders.ok) return unreadable(CHECK, `the Sender Pool of ${name}`, senders.failure, config);
    if (senders.value.length > 0) {
      smsSender = what;
      break;
    }
  }
  const problems: string[] = [];
  const fixes: string[] = [];
  if (smsSender === undefined) {
    problems.push('has no sender in its Sender Pool, so it cannot send SMS');
    fixes.push('a phone number (or a short code, or an alphanumeric sender)');
  }
  let whatsappSender = false;
  if (whatsappThroughService(config)) {
    const channelSenders = await read(() => service.channelSenders.list({ limit: CHANNEL_SENDERS_READ }));
    if (!channelSenders.ok) return unreadable(CHECK, `the Sender Pool of ${name}`, channelSenders.failure, config);
    whatsappSender = channelSenders.value.some((sender) => (sender.sender ?? '').toLowerCase().startsWith('whatsapp:'));
    if (!whatsappSender) {
      problems.push(`has no WhatsApp sender in its Sender Pool, and WhatsApp codes go through it (${SECRET_NAMES.whatsappFrom} is not set)`);
      fixes.push('a WhatsApp sender');
    }
  }
  if (problems.length > 0) return failed(CHECK, `${name} ${problems.join('; it ')}.`, `${senderPool}: add ${fixes.join(' and ')}.`);
  return passed(CHECK, `${name} has ${smsSender} in its Sender Pool${whatsappSender ? ', and a WhatsApp sender' : ''}.`);
}

export const messagingServiceCheck: Check = { name: CHECK, run: checkMessagingService };
