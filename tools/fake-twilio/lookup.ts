import { isSupportedCountry, parsePhoneNumberFromString, validatePhoneNumberLength, type CountryCode, type PhoneNumber, type PhoneNumberType } from 'libphonenumber-js/max';
import { twilioErrorBody, type TwilioErrorAnswer } from './twilio-errors';

/**
 * Twilio Lookup v2 (`GET lookups.twilio.com/v2/PhoneNumbers/{PhoneNumber}?Fields=…`) as the
 * fake's account answers it: the JSON of `lookups.v2.phone_number`, every top-level key present
 * and null where nothing was asked, as the examples of Twilio's API description show it.
 *
 * Without `Fields` (or with `validation` only) it is Twilio's free basic lookup: validation and
 * formatting, from libphonenumber-js's metadata (Google's, which Twilio's validation follows). Two
 * data packages are modelled, Line Type Intelligence and SMS Pumping Risk, each billed per lookup
 * that answers it (`billed()`), since a run must be able to say what Lookup costs.
 *
 * What the fake assumes where the description says nothing (its examples were the only source
 * at hand):
 * - A package the account may not use (`packages()`) answers 200 with the package's object, its
 *   fields null and `error_code` 60606 (Lookup Package is Not Enabled): Lookup v2 reports a
 *   package's failure inside the package, the lookup itself succeeding (every package object of
 *   the description carries an `error_code`), and a package not answered is not billed.
 * - The packages Twilio lists that the fake does not model (caller_name, sim_swap…) come back as
 *   not enabled, `{ "error_code": 60606 }`: the fake holds no data for them.
 * - An invalid number answers 200 with `valid: false` and its `validation_errors`, packages null
 *   and unbilled (the description's `fetchInvalid` example); the lookup counts as a basic one.
 * - A valid number's `validation_errors` is null, as in the description's `fetch` and
 *   `fetchLineTypeIntelligence` examples (its `fetchSmsPumpingRisk` example shows `[]`).
 * - A `Fields` name Twilio does not list is refused with 400 and the fake's 80701: the
 *   description lists the names in its text only, so its schema (a string) lets any through.
 *
 * A number a test sets up (`number()`, or a `rule()` that answers for it) is one Twilio knows: it
 * is valid whatever libphonenumber-js says of it, so that the tests' fictional 555 numbers can
 * be given a line type and a risk.
 */

/** Twilio's line types (Line Type Intelligence's `type`). */
export const LINE_TYPES = ['landline', 'mobile', 'fixedVoip', 'nonFixedVoip', 'personal', 'tollFree', 'premium', 'sharedCost', 'uan', 'voicemail', 'pager', 'unknown'] as const;
export type LineType = (typeof LINE_TYPES)[number];

/** The data packages the fake models, by their name in `Fields` and in the answer. */
export const LOOKUP_PACKAGES = ['line_type_intelligence', 'sms_pumping_risk'] as const;
export type LookupPackage = (typeof LOOKUP_PACKAGES)[number];

/** Whether the account may use a package: a package not enabled answers with error 60606 inside it. */
export type PackageState = 'enabled' | 'not-enabled';

/** The rest of what `Fields` may name (the description's list): `validation` is the basic lookup, the others are packages the fake does not model. */
const VALIDATION_FIELD = 'validation';
const UNMODELLED_PACKAGES = ['caller_name', 'sim_swap', 'call_forwarding', 'line_status', 'identity_match', 'reassigned_number', 'phone_number_quality_score', 'pre_fill'] as const;
type UnmodelledPackage = (typeof UNMODELLED_PACKAGES)[number];

/** Lookup v2's error for a package the account does not have. */
export const PACKAGE_NOT_ENABLED = 60606;

/** What Twilio knows of a number, as a test sets it. */
export interface LookupSettings {
  /** Default: from libphonenumber-js's type of the number (`unknown` when it has none). */
  lineType?: LineType;
  /** SMS Pumping Risk's score, an integer from 0 to 100; default 0. */
  riskScore?: number;
  /** Blocked by Verify Fraud Guard for SMS pumping; default false. */
  blocked?: boolean;
  /** Line Type Intelligence's carrier fields; default null (the fake knows no carriers). */
  carrierName?: string;
  mobileCountryCode?: string;
  mobileNetworkCode?: string;
}

/** Settings for whole populations: the settings of a number (E.164), or undefined when the rule has none for it. */
export type LookupRule = (e164: string) => LookupSettings | undefined;

/** How many lookups the account was billed for, per package, and how many were free basic lookups (no package billed). */
export interface LookupBill {
  line_type_intelligence: number;
  sms_pumping_risk: number;
  basic: number;
}

export type ValidationError = 'TOO_SHORT' | 'TOO_LONG' | 'INVALID_BUT_POSSIBLE' | 'INVALID_COUNTRY_CODE' | 'INVALID_LENGTH' | 'NOT_A_NUMBER';
export type RiskCategory = 'low' | 'mild' | 'moderate' | 'high';

export interface LineTypeIntelligence {
  type: LineType | null;
  carrier_name: string | null;
  mobile_country_code: string | null;
  mobile_network_code: string | null;
  error_code: number | null;
}

export interface SmsPumpingRisk {
  carrier_risk_category: RiskCategory | null;
  number_blocked: boolean | null;
  number_blocked_date: string | null;
  number_blocked_last_3_months: boolean | null;
  sms_pumping_risk_score: number | null;
  error_code: number | null;
}

/** `lookups.v2.phone_number`, its keys in the order of Twilio's examples. */
export interface LookupResource {
  calling_country_code: string | null;
  country_code: string | null;
  phone_number: string;
  national_format: string | null;
  valid: boolean;
  validation_errors: ValidationError[] | null;
  caller_name: { error_code: number } | null;
  sim_swap: { error_code: number } | null;
  call_forwarding: { error_code: number } | null;
  line_status: { error_code: number } | null;
  line_type_intelligence: LineTypeIntelligence | null;
  identity_match: { error_code: number } | null;
  reassigned_number: { error_code: number } | null;
  sms_pumping_risk: SmsPumpingRisk | null;
  phone_number_quality_score: { error_code: number } | null;
  pre_fill: { error_code: number } | null;
  url: string;
}

const LOOKUP_PATH = /^\/v2\/PhoneNumbers\/([^/]+)$/;
const LOOKUP_URL = 'https://lookups.twilio.com/v2/PhoneNumbers/';
const E164 = /^\+[1-9][0-9]{1,14}$/;
/** "Default country code is +1 (North America)", says the description of `PhoneNumber`. */
const DEFAULT_COUNTRY: CountryCode = 'US';

/**
 * libphonenumber-js's types as Twilio's. A number that may be either a fixed line or a mobile
 * (most of North America's) is taken for a mobile: Twilio knows the carrier and the fake does not,
 * and a test that needs a landline there says so.
 */
const LINE_TYPE_OF: Readonly<Record<PhoneNumberType, LineType>> = {
  MOBILE: 'mobile',
  FIXED_LINE: 'landline',
  FIXED_LINE_OR_MOBILE: 'mobile',
  PREMIUM_RATE: 'premium',
  SHARED_COST: 'sharedCost',
  UAN: 'uan',
  VOICEMAIL: 'voicemail',
  PAGER: 'pager',
  TOLL_FREE: 'tollFree',
  VOIP: 'nonFixedVoip',
  PERSONAL_NUMBER: 'personal',
};

/**
 * The category of a score. These bands are the fake's: Twilio publishes the categories
 * (low, mild, moderate, high) and a 0–100 score, not where one ends and the next begins. The
 * description's one example (61, moderate) falls in them.
 */
export function riskCategory(score: number): RiskCategory {
  if (score >= 80) return 'high';
  if (score >= 60) return 'moderate';
  if (score >= 40) return 'mild';
  return 'low';
}

/** The account's Lookup: what it knows of numbers, which packages it may use, and what it was billed. */
export class FakeLookup {
  private readonly numbers = new Map<string, LookupSettings>();
  private readonly rules: LookupRule[] = [];
  private readonly states = new Map<LookupPackage, PackageState>();
  private readonly bill: LookupBill = { line_type_intelligence: 0, sms_pumping_risk: 0, basic: 0 };

  /** What Twilio knows of one number (E.164): `fake.lookup.number('+15550105310', { lineType: 'landline' })`. Wins over any rule. */
  number(e164: string, settings: LookupSettings): this {
    if (!E164.test(e164)) throw new Error(`fake.lookup.number: ${e164} is not E.164`);
    this.numbers.set(e164, checked(settings));
    return this;
  }

  /**
   * Settings for every number the rule answers for (a population by prefix, say); the rule
   * added last is asked first. A rule that answers out-of-range settings fails the lookup (its
   * connection is dropped).
   */
  rule(rule: LookupRule): this {
    this.rules.unshift(rule);
    return this;
  }

  /** Which packages the account may use; each is enabled until a test says otherwise. */
  packages(states: Partial<Record<LookupPackage, PackageState>>): this {
    for (const [name, state] of Object.entries(states) as [LookupPackage, PackageState | undefined][]) {
      if (state !== undefined) this.states.set(name, state);
    }
    return this;
  }

  /** How many lookups were billed so far, per package, and how many were free (no package billed). */
  billed(): LookupBill {
    return { ...this.bill };
  }

  /** Forgets the numbers, rules and package states, and the bill. */
  clear(): void {
    this.numbers.clear();
    this.rules.length = 0;
    this.states.clear();
    this.bill.line_type_intelligence = 0;
    this.bill.sms_pumping_risk = 0;
    this.bill.basic = 0;
  }

  /** GET /v2/PhoneNumbers/{PhoneNumber}: the lookup, Twilio's refusal of its `Fields`, or undefined when `path` is not a lookup. */
  answer(path: string, query: URLSearchParams): { status: 200; body: LookupResource } | TwilioErrorAnswer | undefined {
    const encoded = LOOKUP_PATH.exec(path)?.[1];
    if (encoded === undefined) return undefined;
    const input = safelyDecoded(encoded);
    const fields = (query.get('Fields') ?? '').split(',').map((field) => field.trim()).filter((field) => field !== '');
    const unknown = fields.filter((field) => field !== VALIDATION_FIELD && !(LOOKUP_PACKAGES as readonly string[]).includes(field) && !(UNMODELLED_PACKAGES as readonly string[]).includes(field));
    if (unknown.length > 0) return twilioErrorBody(80701, '', { message: `Parameter Validation Failed: Fields: ${unknown.join(', ')} is not a field of Lookup v2` });

    const countryCode = query.get('CountryCode') ?? DEFAULT_COUNTRY;
    const country = isSupportedCountry(countryCode) ? countryCode : undefined;
    const parsed = input.startsWith('+') || country !== undefined ? parsePhoneNumberFromString(input, country) : undefined;
    const e164 = parsed?.number ?? input;
    const settings = this.settingsOf(e164);
    const valid = parsed !== undefined && (settings !== undefined || parsed.isValid());
    const resource: LookupResource = {
      calling_country_code: valid ? parsed.countryCallingCode : null,
      country_code: valid ? (parsed.country ?? parsed.getPossibleCountries()[0] ?? null) : null,
      phone_number: e164,
      national_format: valid ? parsed.formatNational() : null,
      valid,
      validation_errors: valid ? null : [validationError(input, parsed, country)],
      caller_name: null,
      sim_swap: null,
      call_forwarding: null,
      line_status: null,
      line_type_intelligence: null,
      identity_match: null,
      reassigned_number: null,
      sms_pumping_risk: null,
      phone_number_quality_score: null,
      pre_fill: null,
      url: `${LOOKUP_URL}${e164}`,
    };
    let billed = false;
    if (valid) {
      for (const field of new Set(fields)) {
        if (isUnmodelled(field)) resource[field] = { error_code: PACKAGE_NOT_ENABLED };
        if (field !== 'line_type_intelligence' && field !== 'sms_pumping_risk') continue;
        const enabled = (this.states.get(field) ?? 'enabled') === 'enabled';
        if (field === 'line_type_intelligence') resource.line_type_intelligence = enabled ? lineTypeIntelligence(parsed, settings ?? {}) : { type: null, carrier_name: null, mobile_country_code: null, mobile_network_code: null, error_code: PACKAGE_NOT_ENABLED };
        else resource.sms_pumping_risk = enabled ? smsPumpingRisk(settings ?? {}) : { carrier_risk_category: null, number_blocked: null, number_blocked_date: null, number_blocked_last_3_months: null, sms_pumping_risk_score: null, error_code: PACKAGE_NOT_ENABLED };
        if (enabled) {
          this.bill[field]++;
          billed = true;
        }
      }
    }
    if (!billed) this.bill.basic++;
    return { status: 200, body: resource };
  }

  private settingsOf(e164: string): LookupSettings | undefined {
    const own = this.numbers.get(e164);
    if (own !== undefined) return own;
    for (const rule of this.rules) {
      const settings = rule(e164);
      if (settings !== undefined) return checked(settings);
    }
    return undefined;
  }
}

function isUnmodelled(field: string): field is UnmodelledPackage {
  return (UNMODELLED_PACKAGES as readonly string[]).includes(field);
}

/** Settings as given, once their score is one Twilio could answer. */
function checked(settings: LookupSettings): LookupSettings {
  const score = settings.riskScore;
  if (score !== undefined && !(Number.isInteger(score) && score >= 0 && score <= 100)) throw new Error(`fake.lookup: riskScore ${score} is not an integer from 0 to 100`);
  if (settings.lineType !== undefined && !LINE_TYPES.includes(settings.lineType)) throw new Error(`fake.lookup: ${String(settings.lineType)} is not one of Twilio's line types`);
  return settings;
}

/** The path's number as sent: `%2B15550105310` and `+15550105310` alike; as it is when it does not decode. */
function safelyDecoded(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded;
  }
}

/** Why a number is not valid, in Twilio's words (the description's enum). */
function validationError(input: string, parsed: PhoneNumber | undefined, country: CountryCode | undefined): ValidationError {
  const length = input.startsWith('+') || country !== undefined ? validatePhoneNumberLength(input, country) : 'INVALID_COUNTRY';
  switch (length) {
    case 'INVALID_COUNTRY':
      return 'INVALID_COUNTRY_CODE';
    case 'NOT_A_NUMBER':
    case 'TOO_SHORT':
    case 'TOO_LONG':
    case 'INVALID_LENGTH':
      return length;
    default:
      return parsed === undefined ? 'NOT_A_NUMBER' : 'INVALID_BUT_POSSIBLE';
  }
}

function lineTypeIntelligence(parsed: PhoneNumber, settings: LookupSettings): LineTypeIntelligence {
  const derived = parsed.getType();
  return {
    type: settings.lineType ?? (derived === undefined ? 'unknown' : LINE_TYPE_OF[derived]),
    carrier_name: settings.carrierName ?? null,
    mobile_country_code: settings.mobileCountryCode ?? null,
    mobile_network_code: settings.mobileNetworkCode ?? null,
    error_code: null,
  };
}

function smsPumpingRisk(settings: LookupSettings): SmsPumpingRisk {
  const score = settings.riskScore ?? 0;
  const blocked = settings.blocked ?? false;
  return {
    carrier_risk_category: riskCategory(score),
    number_blocked: blocked,
    // When it was blocked is not a test's concern: the lookup's own time, in Twilio's ISO format.
    number_blocked_date: blocked ? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') : null,
    // The description's example shows null for a number not blocked.
    number_blocked_last_3_months: blocked ? true : null,
    sms_pumping_risk_score: score,
    error_code: null,
  };
}
