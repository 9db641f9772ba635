import { SECRET_NAMES } from '../../../src/core/config';
import { maskPhoneNumber } from '../../../src/core/phone';
import type { Check, CheckContext } from '../context';
import { isRefused, read, unreadable } from '../twilio-failure';
import { failed, notConfigured, passed, type Verdict } from '../verdict';

/**
 * TWILIO_LOOKUP: whether Lookup v2 answers these credentials in this region, with the one request
 * Twilio does not bill: a lookup without packages (GET lookups.twilio.com/v2/PhoneNumbers/{Number},
 * no Fields), of TWILIO_PHONE_NUMBER or of Twilio's own example number. Whether the account has
 * the billed packages only a billed lookup shows: the first code's log line says so (a package
 * error) if it does not.
 */

const CHECK = 'lookup';
/** The number of Twilio's own Lookup examples, asked when the secrets name none. */
const EXAMPLE_NUMBER = '+14159929960';

async function checkLookup({ config, client }: CheckContext): Promise<Verdict> {
  const lookup = config.shield.lookup;
  if (lookup === undefined) return notConfigured(CHECK, `${SECRET_NAMES.lookup} is not set: no lookup, no cost.`);
  const number = config.phoneNumber ?? EXAMPLE_NUMBER;
  const fetched = await read(() => client.lookups.v2.phoneNumbers(number).fetch());
  if (!fetched.ok) {
    return isRefused(fetched.failure)
      ? failed(CHECK, 'Twilio Lookup refused these credentials (20003).', `Use credentials of this account and region for Lookup, or remove ${SECRET_NAMES.lookup}.`)
      : unreadable(CHECK, 'Twilio Lookup', fetched.failure, config);
  }
  return passed(
    CHECK,
    `Lookup answered a lookup without packages of ${maskPhoneNumber(number)}, which Twilio does not bill. Each code it will look up ` +
      `(${lookup.scope === 'all' ? 'every code' : 'each enrollment'}, once a day a number) is billed for line type intelligence and SMS pumping risk.`,
  );
}

export const lookupCheck: Check = { name: CHECK, run: checkLookup };
