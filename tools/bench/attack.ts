/**
 * `npm run bench -- --attack`: an SMS pumping campaign mixed with ordinary traffic, replayed
 * through the built Custom Phone Provider action against the fake Twilio over TLS, whose Lookup
 * v2 answers as the population below says (every request held to Twilio's API description).
 *
 * The campaign enrolls, within one hour:
 * - premium-rate numbers (US +1 900, UK and French premium ranges) and numbers of international
 *   networks (+881, +882, +883);
 * - mobiles in sequence, in a few blocks of 1,000, that Lookup scores high;
 * - mobiles in sequence, in a few blocks, that Lookup scores low (only the velocity cap sees them).
 * Ordinary users of many countries enroll a mobile (some ask for the code twice), then verify with
 * it a few times; Lookup scores them low, but for one in 500.
 *
 * Each setting is replayed in one warm container (the action loaded once) and in fresh containers
 * (loaded anew for every send) sharing an Auth0-like cache (tools/runtime/auth0-cache.ts), a few
 * executions at once. What is counted: attacker codes sent, ordinary codes refused, lookups made,
 * lookups of a verification code, and the most lookups of one number. And, through the latency
 * relay, what Lookup adds to an enrollment in a warm container: one round trip.
 */
import { readFileSync } from 'node:fs';
import type { FakeTwilio } from '../fake-twilio/server';
import { loadAction, recordingNotificationApi } from '../runtime/action-runtime';
import { Auth0LikeCache } from '../runtime/auth0-cache';
import { runtimeRequire } from '../runtime/auth0-hook-runtime';
import { BENCH_SECRETS, MeasurementError, median, round, runInFlight, table, timed } from './harness';
import { throughRelay, RELAY_RTT_MS } from './through-relay';
import type { Bench } from './harness';

type PhoneNumbers = typeof import('libphonenumber-js/max');
const phoneNumbers = require('libphonenumber-js/max') as PhoneNumbers;
const examples = require('libphonenumber-js/examples.mobile.json') as Record<string, string>;

/** The secrets of the two settings the targets are set for. */
const SETTINGS = {
  lookup: { ...BENCH_SECRETS, TWILIO_LOOKUP: 'enrollment' },
  free: BENCH_SECRETS,
} as const;
type SettingName = keyof typeof SETTINGS;

/**
 * Where the sends run, and how many at once: one warm container running executions side by side;
 * a fresh container for each send, one after the other, as an hour's traffic at its own pace
 * barely overlaps; and fresh containers eight at once, the whole hour in a burst, where Auth0's
 * cache (no compare-and-set, a copy per execution) loses what executions write at the same time.
 */
const MODES = {
  warm: { fresh: false, inFlight: 8, label: 'one warm container, 8 at once' },
  fresh: { fresh: true, inFlight: 1, label: 'a fresh container a send' },
  burst: { fresh: true, inFlight: 8, label: 'fresh containers, 8 at once' },
} as const;
type Mode = keyof typeof MODES;
/** Ordinary users who enroll within the hour, users enrolled before it (they only verify), and the countries they come from. */
const NEW_USERS = 300;
const ENROLLED_USERS = 400;
const USER_COUNTRIES = ['US', 'CA', 'GB', 'DE', 'FR', 'ES', 'IT', 'NL', 'SE', 'PL', 'BR', 'MX', 'AR', 'CO', 'IN', 'ID', 'PH', 'VN', 'JP', 'KR', 'AU', 'NZ', 'ZA', 'NG', 'KE', 'EG', 'TR', 'SA', 'AE', 'PK'];
/** Blocks of the campaign's sequential mobiles, and numbers enrolled in each. */
const HIGH_RISK_BLOCKS = ['LT', 'UZ', 'KG', 'TL'];
const LOW_RISK_BLOCKS = ['AZ', 'GN', 'SL'];
const NUMBERS_PER_BLOCK = 100;
const PREMIUM = 150;
const NETWORKS = 150;
/** Enrollments timed through the relay, with Lookup and without, alternating. */
const RELAY_ENROLLMENTS = 20;

/** The targets of issue 23, checked on the run with Lookup. */
export const ATTACK_TARGETS = { attackerSentRatio: 0.05, legitimateRefusedRatio: 0.005 };

/** A seeded generator, so every run replays the same campaign. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Code {
  who: 'attacker' | 'user';
  /** The user it belongs to: a refused enrollment ends that user's codes. */
  user: number;
  number: string;
  purpose: 'enrollment' | 'verification';
  /** Minutes into the hour; the replay goes in this order. */
  at: number;
}

/** A number of `country` of libphonenumber's `type`, its last `digits` digits drawn at random. */
function numberOf(country: string, random: () => number, types: readonly string[] = ['MOBILE', 'FIXED_LINE_OR_MOBILE']): string {
  const example = phoneNumbers.parsePhoneNumberFromString(examples[country] ?? '', country as never);
  if (example === undefined) throw new MeasurementError(`libphonenumber-js has no example mobile of ${country}`);
  for (let tries = 0; tries < 200; tries++) {
    const candidate = example.number.slice(0, -5) + String(Math.floor(random() * 100_000)).padStart(5, '0');
    if (types.includes(phoneNumbers.parsePhoneNumberFromString(candidate)?.getType() ?? '')) return candidate;
  }
  throw new MeasurementError(`no ${types.join(' or ')} number of ${country} found`);
}

/** The campaign and the ordinary traffic, and how the fake's Lookup scores each number. */
export function population(seed = 23) {
  const random = prng(seed);
  const scores = new Map<string, number>();
  const codes: Code[] = [];
  const minute = () => random() * 60;
  // Premium-rate numbers of the US (+1 900), the UK (+44 9) and France (+33 89), as libphonenumber-js types them.
  const premiumRanges = [() => `+1900${2 + Math.floor(random() * 8)}${String(Math.floor(random() * 1e6)).padStart(6, '0')}`, () => `+449${String(Math.floor(random() * 1e9)).padStart(9, '0')}`, () => `+3389${String(Math.floor(random() * 1e7)).padStart(7, '0')}`];
  const premium: string[] = [];
  while (premium.length < PREMIUM) {
    const number = (premiumRanges[premium.length % premiumRanges.length] as () => string)();
    if (phoneNumbers.parsePhoneNumberFromString(number)?.getType() === 'PREMIUM_RATE') premium.push(number);
  }
  const networks = Array.from({ length: NETWORKS }, (_, index) => `+${['881', '882', '883'][index % 3]}${String(Math.floor(random() * 1e9)).padStart(9, '0')}`);
  for (const number of [...premium, ...networks]) codes.push({ who: 'attacker', user: -1, number, purpose: 'enrollment', at: minute() });
  const sequence = (country: string, score: () => number) => {
    const block = numberOf(country, random).slice(0, -3);
    for (let n = 0; n < NUMBERS_PER_BLOCK; n++) {
      const number = `${block}${String(n).padStart(3, '0')}`;
      scores.set(number, score());
      codes.push({ who: 'attacker', user: -1, number, purpose: 'enrollment', at: minute() });
    }
  };
  for (const country of HIGH_RISK_BLOCKS) sequence(country, () => 85 + Math.floor(random() * 15));
  for (const country of LOW_RISK_BLOCKS) sequence(country, () => 5 + Math.floor(random() * 30));
  const enrolledBefore = new Set<string>();
  for (let user = 0; user < NEW_USERS + ENROLLED_USERS; user++) {
    const number = numberOf(USER_COUNTRIES[user % USER_COUNTRIES.length] ?? 'US', random);
    // One user in 250 is on a number Twilio scores high: the false positives Lookup costs.
    scores.set(number, user % 250 === 249 ? 90 : Math.floor(random() * 70));
    const start = random() * 40;
    if (user < NEW_USERS) {
      codes.push({ who: 'user', user, number, purpose: 'enrollment', at: start });
      if (random() < 0.1) codes.push({ who: 'user', user, number, purpose: 'enrollment', at: start + 0.5 });
    } else enrolledBefore.add(number);
    const verifications = 1 + Math.floor(random() * 3);
    for (let v = 0; v < verifications; v++) codes.push({ who: 'user', user, number, purpose: 'verification', at: start + 1 + random() * 19 });
  }
  return { codes: codes.sort((a, b) => a.at - b.at), scores, enrolledBefore };
}

/** The built Custom Phone Provider action, loaded as Auth0 loads it: a new container. */
function loadProvider(bundle: string) {
  const exported = loadAction(bundle, { require: runtimeRequire(require('twilio')), console: { log() {}, info() {}, warn() {}, error() {} } });
  return exported.onExecuteCustomPhoneProvider as (event: unknown, api: unknown) => Promise<void>;
}

function event(code: Code, secrets: Record<string, string>) {
  return {
    secrets,
    notification: {
      recipient: code.number,
      as_text: 'Your code is 730164',
      code: '730164',
      delivery_method: 'text',
      message_type: code.purpose === 'enrollment' ? 'otp_enroll' : 'otp_verify',
      locale: 'en',
    },
    client: { client_id: 'benchclient000000000000000000001', name: 'Bench' },
  };
}

export interface AttackRun {
  attackerCodes: number;
  attackerSent: number;
  legitimateCodes: number;
  legitimateRefused: number;
  lookups: number;
  lookupsOfVerifications: number;
  mostLookupsOfOneNumber: number;
  /** Attacker codes sent, by kind of number. */
  attackerSentBy: Record<'premium' | 'networks' | 'highRisk' | 'lowRisk', number>;
}

function attackerKind(number: string, scores: ReadonlyMap<string, number>): keyof AttackRun['attackerSentBy'] {
  if (/^\+88[123]/.test(number)) return 'networks';
  const score = scores.get(number);
  return score === undefined ? 'premium' : score >= 85 ? 'highRisk' : 'lowRisk';
}

/** One replay of the whole traffic under a setting, in a warm container or fresh ones. */
async function replay(fake: FakeTwilio, bundle: string, setting: SettingName, mode: Mode): Promise<AttackRun> {
  const { codes, scores, enrolledBefore } = population();
  fake.reset();
  fake.lookup.rule((number) => ({ lineType: 'mobile', riskScore: scores.get(number) ?? 0 }));
  const warm = MODES[mode].fresh ? undefined : loadProvider(bundle);
  const cache = new Auth0LikeCache();
  const refusedUsers = new Set<number>();
  const lookupsPerNumber = new Map<string, number>();
  const run: AttackRun = { attackerCodes: 0, attackerSent: 0, legitimateCodes: 0, legitimateRefused: 0, lookups: 0, lookupsOfVerifications: 0, mostLookupsOfOneNumber: 0, attackerSentBy: { premium: 0, networks: 0, highRisk: 0, lowRisk: 0 } };
  let next = 0;
  await runInFlight(codes.length, MODES[mode].inFlight, async () => {
    const code = codes[next++] as Code;
    if (code.who === 'user' && refusedUsers.has(code.user)) return;
    const handler = warm ?? loadProvider(bundle);
    const recorder = recordingNotificationApi();
    await handler(event(code, { ...SETTINGS[setting] }), { ...recorder.api, cache: cache.forExecution() });
    const [call] = recorder.calls;
    if (call?.method === 'retry') throw new MeasurementError(`a code was retried: ${call.reason}`);
    const sent = call === undefined;
    if (code.who === 'attacker') {
      run.attackerCodes++;
      if (sent) {
        run.attackerSent++;
        run.attackerSentBy[attackerKind(code.number, scores)]++;
      }
    } else {
      run.legitimateCodes++;
      if (!sent) {
        run.legitimateRefused++;
        if (code.purpose === 'enrollment') refusedUsers.add(code.user);
      }
    }
  });
  for (const request of fake.requests) {
    const number = /^\/v2\/PhoneNumbers\/([^?]+)/.exec(request.path)?.[1];
    if (number !== undefined) lookupsPerNumber.set(decodeURIComponent(number), (lookupsPerNumber.get(decodeURIComponent(number)) ?? 0) + 1);
  }
  // The numbers of users enrolled before the hour got verification codes only: any lookup of one was a verification's.
  run.lookupsOfVerifications = [...enrolledBefore].reduce((total, number) => total + (lookupsPerNumber.get(number) ?? 0), 0);
  run.lookups = fake.lookup.billed().sms_pumping_risk;
  run.mostLookupsOfOneNumber = Math.max(0, ...lookupsPerNumber.values());
  return run;
}

export interface AttackFigures {
  population: { attackerCodes: number; premium: number; networks: number; legitimateCodes: number; users: number; blocks: number };
  runs: Record<`${SettingName}-${Mode}`, AttackRun>;
  /** Median time of a warm enrollment through the relay, with Lookup and without, and the difference. */
  lookupCostMs: { withLookup: number; without: number; added: number; rttMs: number };
}

/** What Lookup adds to an enrollment in a warm container, through the latency relay. */
async function lookupCost(bench: Bench, bundle: string): Promise<AttackFigures['lookupCostMs']> {
  return throughRelay(bench, async () => {
    const handler = loadProvider(bundle);
    const times = { withLookup: [] as number[], without: [] as number[] };
    const random = prng(7);
    for (let i = 0; i < RELAY_ENROLLMENTS + 2; i++) {
      for (const setting of ['lookup', 'free'] as const) {
        const code: Code = { who: 'user', user: i, number: numberOf('BR', random), purpose: 'enrollment', at: 0 };
        const recorder = recordingNotificationApi();
        const ms = await timed(() => handler(event(code, { ...SETTINGS[setting] }), recorder.api));
        if (recorder.calls.length > 0) throw new MeasurementError(`an enrollment through the relay was refused: ${recorder.calls[0]?.reason ?? ''}`);
        // The first two warm the pool, to each host.
        if (i >= 2) times[setting === 'lookup' ? 'withLookup' : 'without'].push(ms);
      }
    }
    const withLookup = round(median(times.withLookup), 1);
    const without = round(median(times.without), 1);
    return { withLookup, without, added: round(withLookup - without, 1), rttMs: RELAY_RTT_MS };
  });
}

export async function measureAttack(bench: Bench, bundlePath: string): Promise<AttackFigures> {
  const bundle = readFileSync(bundlePath, 'utf8');
  const { codes, scores } = population();
  const runs = {} as AttackFigures['runs'];
  for (const setting of ['lookup', 'free'] as const) {
    for (const mode of Object.keys(MODES) as Mode[]) {
      process.stderr.write(`attack: ${setting === 'lookup' ? 'TWILIO_LOOKUP=enrollment' : 'free layers only'}, ${MODES[mode].label}…\n`);
      runs[`${setting}-${mode}`] = await replay(bench.fake, bundle, setting, mode);
    }
  }
  process.stderr.write(`attack: what Lookup adds to an enrollment, through the relay (RTT ${RELAY_RTT_MS} ms)…\n`);
  bench.fake.reset();
  const lookupCostMs = await lookupCost(bench, bundle);
  return {
    population: {
      attackerCodes: codes.filter((code) => code.who === 'attacker').length,
      premium: codes.filter((code) => code.who === 'attacker' && attackerKind(code.number, scores) === 'premium').length,
      networks: codes.filter((code) => code.who === 'attacker' && attackerKind(code.number, scores) === 'networks').length,
      legitimateCodes: codes.filter((code) => code.who === 'user').length,
      users: NEW_USERS + ENROLLED_USERS,
      blocks: HIGH_RISK_BLOCKS.length + LOW_RISK_BLOCKS.length,
    },
    runs,
    lookupCostMs,
  };
}

const percent = (part: number, whole: number): string => `${round((part / Math.max(1, whole)) * 100, 2)} %`;

/**
 * Whether the runs with Lookup meet the targets, and the free ones refuse every premium and network
 * code with no lookup: in a warm container and in fresh ones at the traffic's own pace; the burst
 * is reported beside, for what Auth0's cache loses.
 */
export function attackChecks(figures: AttackFigures) {
  const withLookup = (['lookup-warm', 'lookup-fresh'] as const).map((name) => figures.runs[name]);
  const free = (['free-warm', 'free-fresh', 'free-burst'] as const).map((name) => figures.runs[name]);
  return {
    attackerSent: withLookup.every((run) => run.attackerSent / run.attackerCodes <= ATTACK_TARGETS.attackerSentRatio),
    legitimateRefused: withLookup.every((run) => run.legitimateRefused / run.legitimateCodes <= ATTACK_TARGETS.legitimateRefusedRatio),
    lookups: withLookup.every((run) => run.lookupsOfVerifications === 0 && run.mostLookupsOfOneNumber <= 1),
    free: free.every((run) => run.attackerSentBy.premium === 0 && run.attackerSentBy.networks === 0 && run.lookups === 0),
  };
}

export function attackReport(figures: AttackFigures): string {
  const checks = attackChecks(figures);
  const ok = (pass: boolean): string => (pass ? 'ok' : 'MISSED');
  const { population: p } = figures;
  const rows = (Object.entries(figures.runs) as [string, AttackRun][]).map(([name, run]) => [
    `${name.startsWith('lookup-') ? 'TWILIO_LOOKUP=enrollment' : 'free layers only'}, ${MODES[name.replace(/^\w+-/, '') as Mode].label}`,
    `${run.attackerSent} (${percent(run.attackerSent, run.attackerCodes)})`,
    `${run.attackerSentBy.premium}/${run.attackerSentBy.networks}/${run.attackerSentBy.highRisk}/${run.attackerSentBy.lowRisk}`,
    `${run.legitimateRefused} (${percent(run.legitimateRefused, run.legitimateCodes)})`,
    `${run.lookups}`,
    `${run.lookupsOfVerifications}`,
    `${run.mostLookupsOfOneNumber}`,
  ]);
  return [
    `SMS pumping campaign through the built Custom Phone Provider action: ${p.attackerCodes} attacker enrollments (${p.premium} premium-rate, ${p.networks} international networks, ` +
      `${p.blocks} blocks of ${NUMBERS_PER_BLOCK} sequential mobiles, ${HIGH_RISK_BLOCKS.length} scored high and ${LOW_RISK_BLOCKS.length} low by Lookup) among ` +
      `${p.legitimateCodes} codes of ${p.users} users of ${USER_COUNTRIES.length} countries (${NEW_USERS} enrolling, the rest verifying), within one hour`,
    table([
      ['setting, containers', 'attacker codes sent', 'premium/networks/high/low', 'legitimate refused', 'lookups', 'of verifications', 'most of one number'],
      ...rows,
    ]),
    `targets with Lookup, warm and fresh: attacker codes sent ≤ ${ATTACK_TARGETS.attackerSentRatio * 100} % ${ok(checks.attackerSent)}; legitimate refused ≤ ${ATTACK_TARGETS.legitimateRefusedRatio * 100} % ${ok(checks.legitimateRefused)}; ` +
      `no lookup of a verification, one at most a number ${ok(checks.lookups)}; free layers: every premium and network code refused, no lookup ${ok(checks.free)}`,
    `What Lookup adds to an enrollment, warm, through the relay (RTT ${figures.lookupCostMs.rttMs} ms), medians of ${RELAY_ENROLLMENTS}: ` +
      `${figures.lookupCostMs.withLookup} ms with, ${figures.lookupCostMs.without} ms without: +${figures.lookupCostMs.added} ms`,
  ].join('\n');
}
