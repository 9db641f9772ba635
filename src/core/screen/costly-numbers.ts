import { PHONE_NUMBER_MODULE } from '../number-metadata';
import type { E164 } from '../phone';
import { refuse, type PreSendCheck } from './check';
import { allowingFix, checksNumberTypes, COSTLY_NUMBER_TYPES, NON_GEOGRAPHIC_CALLING_CODES, typeWords } from './settings';

/**
 * Numbers that only cost, told from the number itself, free: a calling code of no country, and
 * (with libphonenumber-js) a premium-rate, shared-cost, UAN, voicemail or pager number. A type
 * the library cannot tell (an unassigned range, a fictional +1 555 number) is no reason to refuse.
 */
/** Refuses a number that only costs, with the entry of ALLOWED_NUMBER_TYPES that would let it through. */
const costly = (to: E164, what: string, allow: string): never =>
  refuse(costlyNumbers, to, `is ${what}, which only costs (what SMS pumping is after)`, allowingFix(allow));

export const costlyNumbers: PreSendCheck = {
  layer: 'number-type',
  screen(context) {
    const { shield } = context.config;
    const to = context.message.to;
    const network = NON_GEOGRAPHIC_CALLING_CODES.find((code) => to.startsWith(`+${code}`));
    if (network !== undefined && !shield.allowedNetworks.has(network)) costly(to, `under +${network}, a calling code of no country`, `+${network}`);
    if (!checksNumberTypes(shield)) return;
    const library = context.numberMetadata();
    if (library === undefined) {
      context.note(`number types not checked (no ${PHONE_NUMBER_MODULE})`);
      return;
    }
    const type = library.parsePhoneNumberFromString(to)?.getType();
    const refused = COSTLY_NUMBER_TYPES.find((known) => known === type && !shield.allowedTypes.has(known));
    if (refused !== undefined) costly(to, `a ${typeWords(refused)} number`, refused.toLowerCase());
  },
};
