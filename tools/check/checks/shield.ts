import { SECRET_NAMES, type SenderConfig } from '../../../src/core/config';
import { COSTLY_NUMBER_TYPES, NON_GEOGRAPHIC_CALLING_CODES } from '../../../src/core/screen/settings';
import { passed, type Verdict } from '../verdict';

/**
 * Which layers of the pumping shield these secrets turn on, and what each refuses: read from the
 * secrets alone, nothing asked of Twilio (Lookup's own line asks it whether it answers).
 */

export const SHIELD_CHECK = 'pumping shield';

export function shieldVerdict(config: SenderConfig): Verdict {
  const { shield } = config;
  const types = COSTLY_NUMBER_TYPES.filter((type) => !shield.allowedTypes.has(type)).map((type) => type.toLowerCase());
  const networks = NON_GEOGRAPHIC_CALLING_CODES.filter((code) => !shield.allowedNetworks.has(code)).map((code) => `+${code}`);
  const layers = [
    `refuses ${[...types, ...(networks.length === 0 ? [] : [`numbers under ${networks.join(' ')}`])].join(', ') || 'no number by its type'}`,
    shield.enrollmentsPerBlock === undefined
      ? `no velocity cap (${SECRET_NAMES.enrollmentVelocity}=off)`
      : `at most ${shield.enrollmentsPerBlock} new numbers of one block of 1,000 enroll per hour`,
    shield.lookup === undefined
      ? `Twilio Lookup off (${SECRET_NAMES.lookup} unset)`
      : `Twilio Lookup before ${shield.lookup.scope === 'all' ? 'every code' : "each enrollment's code"}, refusing risk above ${shield.lookup.maxRiskScore}, failing ${shield.lookup.failClosed ? 'closed' : 'open'}`,
  ];
  return passed(SHIELD_CHECK, `${layers.join('; ')}.`);
}
