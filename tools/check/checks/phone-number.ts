import { SECRET_NAMES } from '../../../src/core/config';
import { maskPhoneNumber } from '../../../src/core/phone';
import type { Check, CheckContext } from '../context';
import { read, unreadable } from '../twilio-failure';
import { failed, passed, skipped, type Verdict } from '../verdict';

/**
 * TWILIO_PHONE_NUMBER: a number of this account (GET …/IncomingPhoneNumbers.json?PhoneNumber=…&PageSize=1,
 * `client.incomingPhoneNumbers.list({ phoneNumber, limit: 1 })`) with what the sender does with
 * it: calls come from it whenever it is set (every call without Verify, notices with it), and SMS
 * too unless a Messaging Service sends them.
 */

const CHECK = 'phone number';
const ACTIVE_NUMBERS = 'Twilio Console > Phone Numbers > Manage > Active numbers';

type Capability = 'SMS' | 'voice';

async function checkPhoneNumber({ config, client }: CheckContext): Promise<Verdict> {
  const phoneNumber = config.phoneNumber;
  if (phoneNumber === undefined) return skipped(CHECK, `${SECRET_NAMES.phoneNumber} is not set.`);
  const shown = maskPhoneNumber(phoneNumber);
  const found = await read(() => client.incomingPhoneNumbers.list({ phoneNumber, limit: 1 }));
  if (!found.ok) return unreadable(CHECK, "the account's numbers", found.failure, config);
  const [number] = found.value;
  if (number === undefined) {
    return failed(CHECK, `${shown} is not a number of this account.`, `Set ${SECRET_NAMES.phoneNumber} to one of the numbers in ${ACTIVE_NUMBERS}, in E.164 (or buy one there).`);
  }
  const needed: Capability[] = [...(config.messagingServiceSid === undefined ? ['SMS' as const] : []), 'voice'];
  const has = (capability: Capability): boolean => (capability === 'SMS' ? number.capabilities.sms : number.capabilities.voice) === true;
  const missing = needed.filter((capability) => !has(capability));
  if (missing.length > 0) {
    const uses = needed.map((capability) => (capability === 'SMS' ? 'SMS are sent' : 'calls are placed')).join(' and ');
    return failed(CHECK, `${shown} has no ${missing.join(' or ')} capability, and ${uses} from it.`,
      `Choose a number with ${missing.join(' and ')} in ${ACTIVE_NUMBERS} (its Capabilities column), or buy one${config.messagingServiceSid === undefined && missing.includes('SMS') ? `, or send SMS through a Messaging Service (${SECRET_NAMES.messagingServiceSid})` : ''}.`);
  }
  return passed(CHECK, `${shown} is a number of this account, with ${needed.join(' and ')} (${needed.map((capability) => (capability === 'SMS' ? 'SMS' : 'calls')).join(' and ')} come from it).`);
}

export const phoneNumberCheck: Check = { name: CHECK, run: checkPhoneNumber };
