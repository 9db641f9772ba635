import { LookupUnavailableError, refuse, type PreSendCheck, type ScreenContext } from './check';
import type { LookupSignals } from './lookup-memory';
import { allowingFix, COSTLY_NUMBER_TYPES, LOOKUP_LINE_TYPES, typeWords } from './settings';

/**
 * Twilio Lookup v2, where the tenant pays for it (TWILIO_LOOKUP): the number's line type and its
 * SMS pumping risk, asked once a day per number. When Lookup cannot answer, the code goes (and
 * the log line says Lookup was not consulted), unless TWILIO_LOOKUP_FAIL=closed.
 */

/** The two packages asked, in one request, each billed by Twilio. */
export const LOOKUP_FIELDS = ['line_type_intelligence', 'sms_pumping_risk'] as const;

/**
 * The part of the send's deadline Lookup may use, retries included: Lookup answers in a few
 * hundred milliseconds; past this the code goes without it, with the rest of the 10 s for the
 * message itself (a WhatsApp code and its SMS fallback included).
 */
export const LOOKUP_BUDGET_MS = 2_500;

/** Whether this message's number is looked up: a code, and under `enrollment`, an enrollment's. */
function asks({ config, message }: Pick<ScreenContext, 'config' | 'message'>): boolean {
  const lookup = config.shield.lookup;
  return lookup !== undefined && message.oneTimeCode !== undefined && (lookup.scope === 'all' || message.purpose === 'enrollment');
}

/** A field of an object, if `value` is one. */
const field = (value: unknown, name: string): unknown => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined);

/**
 * The signals of Lookup's answer. A package that errored (60606: the account lacks it) gives
 * none; when none came, the package's error code says why.
 */
export function lookupSignals(answer: unknown): { signals: LookupSignals; error: string | undefined } {
  const [lineType, risk] = LOOKUP_FIELDS.map((name) => field(answer, name));
  const ok = (fields: unknown): boolean => field(fields, 'error_code') == null;
  const type = ok(lineType) ? field(lineType, 'type') : undefined;
  const blocked = ok(risk) ? field(risk, 'number_blocked') : undefined;
  const score = ok(risk) ? field(risk, 'sms_pumping_risk_score') : undefined;
  const signals: LookupSignals = {
    lineType: typeof type === 'string' && /^[A-Za-z]{1,20}$/.test(type) ? type : undefined,
    blocked: typeof blocked === 'boolean' ? blocked : undefined,
    riskScore: Number.isInteger(score) && (score as number) >= 0 && (score as number) <= 100 ? (score as number) : undefined,
  };
  const code = field(lineType, 'error_code') ?? field(risk, 'error_code');
  return { signals, error: Object.values(signals).some((value) => value !== undefined) ? undefined : `package error ${String(code ?? 'none')}` };
}

/**
 * Asks Lookup, remembering what it answered. Undefined when it could not be consulted: noted in
 * the log line, or refused when the tenant fails closed.
 */
async function ask(context: ScreenContext, failClosed: boolean): Promise<LookupSignals | undefined> {
  const to = context.message.to;
  let reason: string;
  try {
    const { signals, error } = lookupSignals(await context.lookUp(to, LOOKUP_FIELDS.join(','), context.deadline.capped(LOOKUP_BUDGET_MS)));
    if (error === undefined) {
      context.lookups.set(to, signals);
      return signals;
    }
    reason = error;
  } catch (error) {
    reason = error instanceof LookupUnavailableError ? error.message : 'the request failed';
  }
  if (failClosed) {
    refuse(twilioLookup, to, `could not be looked up (${reason}), and TWILIO_LOOKUP_FAIL=closed`, 'Check Lookup in the Twilio Console.');
  }
  context.note(`lookup not consulted (${reason})`);
  return undefined;
}

export const twilioLookup: PreSendCheck = {
  layer: 'lookup',
  connectsTo: (context) => (asks(context) && context.lookups.get(context.message.to) === undefined ? 'lookups' : undefined),
  async screen(context) {
    const settings = context.config.shield.lookup;
    if (settings === undefined || !asks(context)) return;
    const to = context.message.to;
    const signals = context.lookups.get(to) ?? (await ask(context, settings.failClosed));
    if (signals === undefined) return;
    const costly = COSTLY_NUMBER_TYPES.find((type) => LOOKUP_LINE_TYPES[type] === signals.lineType && !context.config.shield.allowedTypes.has(type));
    if (costly !== undefined) {
      refuse(twilioLookup, to, `is a ${typeWords(costly)} line, Twilio Lookup says`, allowingFix(costly.toLowerCase()));
    }
    if (signals.blocked === true) refuse(twilioLookup, to, 'is blocked by Verify Fraud Guard for SMS pumping, Twilio Lookup says', 'Review Console > Verify > Fraud Guard if it is not.');
    if (signals.riskScore !== undefined && signals.riskScore > settings.maxRiskScore) {
      refuse(twilioLookup, to, `has an SMS pumping risk score of ${signals.riskScore} from Twilio Lookup, above TWILIO_LOOKUP_MAX_RISK (${settings.maxRiskScore})`, `Raise TWILIO_LOOKUP_MAX_RISK if legitimate users are refused.`);
    }
  },
};
