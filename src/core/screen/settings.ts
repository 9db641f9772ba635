import { ConfigurationError } from '../errors';

/**
 * What the pumping shield does, read from the secrets: the layers before a code leaves, their
 * defaults, and the words a secret may use. The free layers are on unless a secret says otherwise;
 * Twilio Lookup, which Twilio bills per request, only when the tenant turns it on.
 */

/**
 * Number types whose numbers only cost (libphonenumber-js's names): the operator of a premium-rate,
 * shared-cost or UAN number is paid per message or call, and nobody reads a code on a voicemail
 * box or a pager. Refused unless ALLOWED_NUMBER_TYPES lists them.
 */
export const COSTLY_NUMBER_TYPES = ['PREMIUM_RATE', 'SHARED_COST', 'UAN', 'VOICEMAIL', 'PAGER'] as const;
export type CostlyNumberType = (typeof COSTLY_NUMBER_TYPES)[number];

/** Each costly type as Twilio Lookup's line type intelligence names it. */
export const LOOKUP_LINE_TYPES: Readonly<Record<CostlyNumberType, string>> = { PREMIUM_RATE: 'premium', SHARED_COST: 'sharedCost', UAN: 'uan', VOICEMAIL: 'voicemail', PAGER: 'pager' };

/** `premium-rate`, `shared-cost`, `uan`: a costly type in the words of a message. */
export const typeWords = (type: CostlyNumberType): string => type.toLowerCase().replace('_', '-');

/** The fix of a refusal of a costly number: the entry of ALLOWED_NUMBER_TYPES (`premium_rate`, `+882`) that lets it through. */
export const allowingFix = (entry: string): string => `Add ${entry} to ALLOWED_NUMBER_TYPES if your users truly have such numbers.`;

/**
 * Calling codes of no country (ITU's international networks and services: freephone, satellite,
 * the +882 and +883 networks, premium rate): the classic revenue-share destinations. Every number
 * under them is refused unless ALLOWED_NUMBER_TYPES lists its code; told from the number alone,
 * so this holds without libphonenumber-js (a test holds the list to its metadata).
 */
export const NON_GEOGRAPHIC_CALLING_CODES = ['800', '808', '870', '878', '881', '882', '883', '888', '979'] as const;

/**
 * New numbers of one block of 1,000 that may get an enrollment code within an hour. A tenant's
 * real users enroll numbers scattered over millions of blocks: even a large tenant sees two or
 * three new numbers of one block in an hour, while a campaign enrolls its numbers in sequence.
 * Ten keeps a campaign of 200 numbers in one block to 5 % of its codes; a tenant whose staff enroll
 * desk phones of one office range raises it (or turns it off).
 */
export const DEFAULT_ENROLLMENTS_PER_BLOCK = 10;
/** The most ENROLLMENT_VELOCITY may say: a block has 1,000 numbers. */
export const NUMBERS_PER_BLOCK = 1_000;
/** What turns the velocity cap off. */
export const VELOCITY_OFF = 'off';

/** When Lookup is asked: before each enrollment's code, or before every code. */
export const LOOKUP_SCOPES = ['enrollment', 'all'] as const;
export type LookupScope = (typeof LOOKUP_SCOPES)[number];

/**
 * Twilio's SMS pumping risk score above which a number is refused (0 no risk, 100 certain).
 * High enough that a user on a carrier Twilio rates moderately risky (its own example scores 61)
 * still gets codes; a tenant under attack lowers it.
 */
export const DEFAULT_LOOKUP_MAX_RISK = 80;
export const MAX_RISK_SCORE = 100;

/** What a failed Lookup (timeout, outage, refusal) means: send anyway (`open`), or refuse (`closed`). */
export const LOOKUP_FAILURE_MODES = ['open', 'closed'] as const;

export interface LookupSettings {
  scope: LookupScope;
  /** Refused above this score. */
  maxRiskScore: number;
  /** Refuse when Lookup could not be consulted. */
  failClosed: boolean;
}

export interface ShieldSettings {
  /** Costly types the tenant serves after all. */
  allowedTypes: ReadonlySet<CostlyNumberType>;
  /** Non-geographic calling codes the tenant serves after all (`882`). */
  allowedNetworks: ReadonlySet<string>;
  /** New numbers per block per hour for enrollment codes; undefined: no cap. */
  enrollmentsPerBlock: number | undefined;
  /** Twilio Lookup v2; undefined: never asked. */
  lookup: LookupSettings | undefined;
}

/** Whether the costly-number layer has types to tell, which needs libphonenumber-js. */
export function checksNumberTypes(shield: ShieldSettings): boolean {
  return COSTLY_NUMBER_TYPES.some((type) => !shield.allowedTypes.has(type));
}

/** `premium_rate`, `Premium-Rate` and `PREMIUM RATE` are `PREMIUM_RATE`; `+882` and `882` are `882`. */
export function parseAllowedNumberTypes(text: string | undefined, secretName: string): Pick<ShieldSettings, 'allowedTypes' | 'allowedNetworks'> {
  const allowedTypes = new Set<CostlyNumberType>();
  const allowedNetworks = new Set<string>();
  for (const entry of (text ?? '').split(',').map((part) => part.trim()).filter((part) => part !== '')) {
    const network = NON_GEOGRAPHIC_CALLING_CODES.find((code) => code === entry.replace(/^\+/, ''));
    const type = COSTLY_NUMBER_TYPES.find((known) => known === entry.toUpperCase().replace(/[\s-]+/g, '_'));
    if (network !== undefined) allowedNetworks.add(network);
    else if (type !== undefined) allowedTypes.add(type);
    else {
      const known = [...COSTLY_NUMBER_TYPES.map((known) => known.toLowerCase()), ...NON_GEOGRAPHIC_CALLING_CODES.map((code) => `+${code}`)];
      throw new ConfigurationError(`${secretName} lists "${entry.slice(0, 20)}": list only ${known.join(', ')}, separated by commas, or remove the secret.`);
    }
  }
  return { allowedTypes, allowedNetworks };
}

