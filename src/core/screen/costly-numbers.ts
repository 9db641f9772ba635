import { SECRET_NAMES } from '../config';
import { PHONE_NUMBER_MODULE } from '../number-metadata';
import { maskPhoneNumber, type E164 } from '../phone';
import { refuse, type PreSendCheck } from './check';
import { checksNumberTypes, COSTLY_NUMBER_TYPES, COSTLY_TYPE_NAMES, NON_GEOGRAPHIC_CALLING_CODES } from './settings';

/**
 * Numbers that only cost, told from the number itself, free: a calling code of no country, and
 * (with libphonenumber-js) a premium-rate, shared-cost, UAN, voicemail or pager number. A type
 * the library cannot tell (an unassigned range, a fictional +1 555 number) is no reason to refuse.
 */
/** The refusal's words: the number, why it only costs, and the secret that allows it. */
const refusal = (to: E164, what: string, allow: string): string =>
  `The recipient phone number (${maskPhoneNumber(to)}) is ${what}: its messages and calls only cost, which is what SMS pumping is after; nothing was sent. ` +
  `Add ${allow} to ${SECRET_NAMES.allowedNumberTypes} if your users truly have such numbers.`;

export const costlyNumbers: PreSendCheck = {
  layer: 'number-type',
  screen(context) {
    const { shield } = context.config;
    const to = context.message.to;
    const network = NON_GEOGRAPHIC_CALLING_CODES.find((code) => to.startsWith(`+${code}`));
    if (network !== undefined && !shield.allowedNetworks.has(network)) refuse(costlyNumbers, refusal(to, `under +${network}, a calling code of no country`, `+${network}`));
    if (!checksNumberTypes(shield)) return;
    const library = context.numberMetadata();
    if (library === undefined) {
      context.note(`number types not checked (no ${PHONE_NUMBER_MODULE})`);
      return;
    }
    const type = library.parsePhoneNumberFromString(to)?.getType();
    const costly = COSTLY_NUMBER_TYPES.find((known) => known === type && !shield.allowedTypes.has(known));
    if (costly !== undefined) refuse(costlyNumbers, refusal(to, `a ${COSTLY_TYPE_NAMES[costly].words} number`, costly.toLowerCase()));
  },
};
