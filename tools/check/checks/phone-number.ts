import { SECRET_NAMES } from '../../../src/core/config';
import { maskPhoneNumber } from '../../../src/core/phone';
import type { Check, CheckContext } from '../context';
import { read, unreadable } from '../twilio-failure';
import { toTellWhetherCallsAreOn } from './tenant-calls';
import { failed, flagged, notConfigured, passed, type Verdict } from '../verdict';

/**
 * TWILIO_PHONE_NUMBER: a number of this account (GET …/IncomingPhoneNumbers.json?PhoneNumber=…&PageSize=1,
 * `client.incomingPhoneNumbers.list({ phoneNumber, limit: 1 })`) with what the sender does with
 * it: SMS come from it unless a Messaging Service sends them, and calls whenever it is set (every
 * call without Verify, notices with it), if the tenant offers calls. A number without voice fails
 * when it does, is flagged when the check cannot tell, and passes when it does not.
 */

const CHECK = 'phone number';
const ACTIVE_NUMBERS = 'Twilio Console > Phone Numbers > Manage > Active numbers';

type Capability = 'SMS' | 'voice';

async function checkPhoneNumber({ config, client, calls }: CheckContext): Promise<Verdict> {
  const phoneNumber = config.phoneNumber;
  if (phoneNumber === undefined) return notConfigured(CHECK, `${SECRET_NAMES.phoneNumber} is not set.`);
  const shown = maskPhoneNumber(phoneNumber);
  const found = await read(() => client.incomingPhoneNumbers.list({ phoneNumber, limit: 1 }));
  if (!found.ok) return unreadable(CHECK, "the account's numbers", found.failure, config);
  const [number] = found.value;
  if (number === undefined) {
    return failed(CHECK, `${shown} is not a number of this account.`, `Set ${SECRET_NAMES.phoneNumber} to one of the numbers in ${ACTIVE_NUMBERS}, in E.164 (or buy one there).`);
  }
  const callsOff = calls.known && !calls.on;
  const needed: Capability[] = [...(config.messagingServiceSid === undefined ? ['SMS' as const] : []), ...(callsOff ? [] : ['voice' as const])];
  const has = (capability: Capability): boolean => (capability === 'SMS' ? number.capabilities.sms : number.capabilities.voice) === true;
  const missing = needed.filter((capability) => !has(capability));
  const uses = needed.map((capability) => (capability === 'SMS' ? 'SMS are sent' : 'calls are placed')).join(' and ');
  const choose = `Choose a number with ${missing.join(' and ')} in ${ACTIVE_NUMBERS} (its Capabilities column), or buy one`;
  if (missing.includes('SMS') || (missing.length > 0 && calls.known)) {
    return failed(CHECK, `${shown} has no ${missing.join(' or ')} capability, and ${uses} from it.`,
      `${choose}${config.messagingServiceSid === undefined && missing.includes('SMS') ? `, or send SMS through a Messaging Service (${SECRET_NAMES.messagingServiceSid})` : ''}.`);
  }
  if (missing.length > 0 && !calls.known) {
    return flagged(CHECK, `${shown} has no voice capability, and calls are placed from it if the tenant offers them, which the check cannot tell.`,
      `${choose}; or, if the tenant offers no calls, ${toTellWhetherCallsAreOn(calls)}.`);
  }
  const comeFromIt = needed.length === 0 ? '' : `, with ${needed.join(' and ')} (${needed.map((capability) => (capability === 'SMS' ? 'SMS' : 'calls')).join(' and ')} come from it)`;
  return passed(CHECK, `${shown} is a number of this account${comeFromIt}${callsOff ? '; its voice is not checked: the tenant offers no calls' : ''}.`);
}

export const phoneNumberCheck: Check = { name: CHECK, run: checkPhoneNumber };
