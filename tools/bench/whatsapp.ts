/**
 * The WhatsApp section of `npm run bench`: what a one-time code costs in time on each way it can
 * go, with the built hook against the fake Twilio over TLS (api.twilio.com routed to it, as for
 * the rest of the benchmark). Four cases, alternating run by run:
 *
 * - `sms`: SMS alone, secrets without WHATSAPP_COUNTRIES;
 * - `whatsapp`: delivered on WhatsApp, the first status read showing `delivered`;
 * - `fallback63003`: not on WhatsApp, the first status read showing `failed` 63003, then the SMS;
 * - `refused63007`: WhatsApp refused at the create (63007, no such sender), then the SMS.
 *
 * Each run is a fresh hook (a new container: nothing remembered of the number, a new connection
 * pool), warmed by one SMS to a number outside WHATSAPP_COUNTRIES, so that what is timed is the
 * route, not loading twilio or the first TLS handshake. The fallback cost is the median of
 * `fallback63003` less the median of `sms`: mostly the wait before the first status read
 * (STATUS_POLL_INTERVAL_MS), by design.
 */
import type { FakeTwilio } from '../fake-twilio/server';
import { readSample } from '../runner/sample';
import { BENCH_SECRETS, compileBenchHook, MeasurementError, median, quantile, readBenchPayload, rotation, round, table, timed } from './harness';

/** Runs of each case. */
export const WHATSAPP_RUNS = 20;

const WHATSAPP_SECRETS = {
  ...BENCH_SECRETS,
  WHATSAPP_COUNTRIES: 'BR,IN',
  TWILIO_WHATSAPP_FROM: BENCH_SECRETS.TWILIO_PHONE_NUMBER,
  TWILIO_WHATSAPP_CONTENT_SID: 'HXbe4c0000000000000000000000000001',
};
/** A WhatsApp sender the fake's account does not have: Twilio refuses the create with 63007. */
const UNKNOWN_SENDER_SECRETS = { ...WHATSAPP_SECRETS, TWILIO_WHATSAPP_FROM: '+15005550009' };

interface WhatsAppCase {
  label: string;
  secrets: Readonly<Record<string, string>>;
  /** Which sample's recipient: on WhatsApp (samples/whatsapp-code.json, Brazil) or not (whatsapp-fallback.json, India). */
  recipient: 'on WhatsApp' | 'not on WhatsApp';
  /** What the hook must answer for the run to count: its channel and the reason of a fallback. */
  channel: 'sms' | 'whatsapp';
  fallback?: RegExp;
}

const WHATSAPP_CASES = {
  sms: { label: 'SMS alone (no WHATSAPP_COUNTRIES)', secrets: BENCH_SECRETS, recipient: 'not on WhatsApp', channel: 'sms' },
  whatsapp: { label: 'on WhatsApp, delivered at the first read', secrets: WHATSAPP_SECRETS, recipient: 'on WhatsApp', channel: 'whatsapp' },
  fallback63003: { label: 'fallback: failed 63003 at the first read', secrets: WHATSAPP_SECRETS, recipient: 'not on WhatsApp', channel: 'sms', fallback: /\(63003\)/ },
  refused63007: { label: 'fallback: refused at the create (63007)', secrets: UNKNOWN_SENDER_SECRETS, recipient: 'not on WhatsApp', channel: 'sms', fallback: /\(63007\)/ },
} satisfies Record<string, WhatsAppCase>;
type CaseName = keyof typeof WHATSAPP_CASES;
const CASE_NAMES = Object.keys(WHATSAPP_CASES) as CaseName[];

/** The hook payloads of the two samples `npm start` shows WhatsApp with, without their `fake` section. */
function samplePayloads(): Record<WhatsAppCase['recipient'], { recipient: string }> {
  return {
    'on WhatsApp': readSample('samples/whatsapp-code.json').payload as { recipient: string },
    'not on WhatsApp': readSample('samples/whatsapp-fallback.json').payload as { recipient: string },
  };
}

export interface WhatsAppFigures {
  runs: number;
  medianMs: Record<CaseName, number>;
  p95Ms: Record<CaseName, number>;
  /** Requests Twilio received per measured send: the create(s) and the status reads. */
  requestsPerSend: Record<CaseName, number>;
  /** median(fallback63003) − median(sms): what a fallback after 63003 adds to a code. */
  fallbackCostMs: number;
  /** median(refused63007) − median(sms). */
  refusalCostMs: number;
}

const requestCount = (fake: FakeTwilio): number => [...fake.answered.values()].reduce((sum, count) => sum + count, 0);

/** One run of a case in a fresh hook: its time in milliseconds and the requests it made. */
async function runCase(fake: FakeTwilio, hookPath: string, name: CaseName, payload: { recipient: string }): Promise<{ ms: number; requests: number }> {
  const spec: WhatsAppCase = WHATSAPP_CASES[name];
  const hook = await compileBenchHook(hookPath);
  const warmup = await hook.invoke(readBenchPayload(), spec.secrets);
  if (warmup.status !== 'success') throw new MeasurementError(`the warm-up send of ${name} failed: ${JSON.stringify(warmup.data.message)}`);
  const before = requestCount(fake);
  let answer: Record<string, unknown> = {};
  const ms = await timed(async () => {
    const envelope = await hook.invoke(payload, spec.secrets);
    answer = envelope.status === 'success' ? envelope.data : { error: envelope.data.message };
  });
  const reason = typeof answer.fallbackReason === 'string' ? answer.fallbackReason : undefined;
  const fellBack = spec.fallback === undefined ? reason === undefined : reason !== undefined && spec.fallback.test(reason);
  if (answer.channel !== spec.channel || !fellBack) throw new MeasurementError(`${name} did not go as it should: ${JSON.stringify(answer)}`);
  return { ms, requests: requestCount(fake) - before };
}

/** Measures the four cases, `runs` of each, alternating; the fake's WhatsApp is set up here. */
export async function measureWhatsApp(fake: FakeTwilio, hookPath: string, runs = WHATSAPP_RUNS): Promise<WhatsAppFigures> {
  const payloads = samplePayloads();
  fake.whatsapp.sender(WHATSAPP_SECRETS.TWILIO_WHATSAPP_FROM);
  fake.whatsapp.recipient(payloads['on WhatsApp'].recipient.replace(/\s/g, ''), { statuses: ['delivered'] });
  const times = Object.fromEntries(CASE_NAMES.map((name) => [name, [] as number[]])) as Record<CaseName, number[]>;
  const requests = Object.fromEntries(CASE_NAMES.map((name) => [name, 0])) as Record<CaseName, number>;
  for (let run = 0; run < runs; run++) {
    for (const name of rotation(CASE_NAMES, run)) {
      const measured = await runCase(fake, hookPath, name, payloads[WHATSAPP_CASES[name].recipient]);
      times[name].push(measured.ms);
      requests[name] += measured.requests;
    }
  }
  const each = (figure: (name: CaseName) => number) => Object.fromEntries(CASE_NAMES.map((name) => [name, figure(name)])) as Record<CaseName, number>;
  return {
    runs,
    medianMs: each((name) => round(median(times[name]), 1)),
    p95Ms: each((name) => round(quantile(times[name], 0.95), 1)),
    requestsPerSend: each((name) => round(requests[name] / runs, 2)),
    fallbackCostMs: round(median(times.fallback63003) - median(times.sms), 1),
    refusalCostMs: round(median(times.refused63007) - median(times.sms), 1),
  };
}

/** The section's table and its fallback cost, as printed. */
export function whatsappReport(figures: WhatsAppFigures): string {
  const rows = CASE_NAMES.map((name) => [WHATSAPP_CASES[name].label, `${figures.medianMs[name]} ms`, `${figures.p95Ms[name]} ms`, `${figures.requestsPerSend[name]}`]);
  return [
    `WhatsApp on loopback: ${figures.runs} sends of each case, alternating, each in a fresh hook warmed by one SMS`,
    table([['case', 'median', 'p95', 'requests per send'], ...rows]),
    `fallback cost after 63003: ${figures.fallbackCostMs} ms (median of the fallback less the median of SMS alone); after a refusal at the create: ${figures.refusalCostMs} ms`,
  ].join('\n');
}
