/**
 * The part of `npm run bench` through the latency relay (tools/fake-twilio/latency-relay.ts, RTT
 * 40 ms, the TCP handshake included), where what a connection costs shows. Twilio's hosts are
 * routed to the relay while it runs, then to the fake again.
 *
 * - warm: sends of ours, the baseline and one bare HTTPS POST of the same form with the same auth
 *   on a kept-alive agent (the physical limit), in kept containers, rotating send by send;
 * - cold: first sends in fresh processes (tools/bench/cold-series.ts), in rounds of one run of each
 *   subject, rotating: ours, ours with ALLOWED_COUNTRIES (COUNTRY_CHECK: libphonenumber-js loads
 *   and places the number before anything is sent), ours invoked from an event rather than as the
 *   continuation of the compile (cold-start.ts, Invocation), the baseline (no country check) and
 *   the bare request; each split into compile, module loads, connect and request.
 */
import { readFileSync } from 'node:fs';
import { Agent as HttpsAgent } from 'node:https';
import { LatencyRelay } from '../fake-twilio/latency-relay';
import { routeTwilio } from '../fake-twilio/route';
import type { ColdStartSpec } from './cold-start';
import { coldSplit, coldStart, inRounds, splitTable, timelineText, type ColdSplit } from './cold-series';
import { bareRequest } from './bare-request';
import { BASELINE_HOOK, BENCH_SECRETS, compileBenchHook, COUNTRY_CHECK, median, pairedDifference, pairedRatio, quantile, ratio, readBenchPayload, rotation, round, send, table, timed, verdict, type Bench } from './harness';

/** The relay's round trip: a request from Auth0's US region to Twilio's, give or take. */
export const RELAY_RTT_MS = 40;
export const RELAY_WARM_ROUNDS = 40;
/** Rounds of cold first sends: each holds one fresh process of each subject. */
export const RELAY_COLD_ROUNDS = 20;

export const RELAY_TARGETS = {
  /** A warm send costs what one kept-alive request costs, give or take 10%. */
  relayWarmToBare: 1.1,
  /** A cold first send, its connection opened while twilio loads, against the baseline's. */
  relayColdToBaseline: 0.8,
};

type WarmSubject = 'ours' | 'baseline' | 'bare';
const WARM_SUBJECTS: readonly WarmSubject[] = ['ours', 'baseline', 'bare'];
type ColdSubject = 'ours' | 'oursCountries' | 'oursFromEvent' | 'baseline' | 'bare';
const COLD_SUBJECTS: readonly ColdSubject[] = ['ours', 'oursCountries', 'oursFromEvent', 'baseline', 'bare'];
const COLD_LABELS: Record<ColdSubject, string> = {
  ours: 'ours',
  oursCountries: `ours, ALLOWED_COUNTRIES=${COUNTRY_CHECK.allowedCountries}`,
  oursFromEvent: 'ours, invoked from an event',
  baseline: 'baseline',
  bare: 'bare request',
};

const perSend = (value: number, count: number): number => round(value / count, 2);
const each = <S extends string>(subjects: readonly S[], figure: (subject: S) => number): Record<S, number> =>
  Object.fromEntries(subjects.map((subject) => [subject, figure(subject)])) as Record<S, number>;

/** Runs `measure` with Twilio's hosts routed to a relay in front of the fake; the route and the relay are undone after. */
export async function throughRelay<T>(bench: Bench, measure: (relay: LatencyRelay) => Promise<T>): Promise<T> {
  const relay = await new LatencyRelay({ host: '127.0.0.1', port: bench.fake.port }, RELAY_RTT_MS).start();
  // Until the relay closes: then Twilio's hosts go to the fake again.
  const unroute = routeTwilio(relay.port);
  try {
    return await measure(relay);
  } finally {
    unroute();
    await relay.close();
  }
}

export interface RelayWarmFigures {
  rounds: number;
  medianMs: Record<WarmSubject, number>;
  p95Ms: Record<WarmSubject, number>;
  roundTripsPerSend: Record<WarmSubject, number>;
  connectionsPerSend: Record<WarmSubject, number>;
  /** A new TCP + TLS connection and the request, in a warm process: the network part of a cold send. */
  newConnectionAndRequestMs: number;
  ratios: { oursToBare: number; oursToBaseline: number };
}

export async function relayWarm(bench: Bench, relay: LatencyRelay): Promise<RelayWarmFigures> {
  // New containers: their pools must hold connections through the relay, none from loopback.
  const hooks = { ours: await compileBenchHook(bench.ours), baseline: await compileBenchHook(BASELINE_HOOK) };
  const agent = new HttpsAgent({ keepAlive: true, ca: readFileSync(bench.caPath) });
  const sendOne = (subject: WarmSubject): Promise<void> =>
    subject === 'bare' ? bareRequest(agent, bench.form.path, bench.form.form, BENCH_SECRETS) : send(bench, hooks[subject]);
  for (const subject of WARM_SUBJECTS) for (let i = 0; i < 3; i++) await sendOne(subject);

  process.stderr.write(`relay (RTT ${RELAY_RTT_MS} ms): warm sends…\n`);
  const warm: Record<WarmSubject, number[]> = { ours: [], baseline: [], bare: [] };
  const roundTrips: Record<WarmSubject, number> = { ours: 0, baseline: 0, bare: 0 };
  const connections: Record<WarmSubject, number> = { ours: 0, baseline: 0, bare: 0 };
  for (let round_ = 0; round_ < RELAY_WARM_ROUNDS; round_++) {
    for (const subject of rotation(WARM_SUBJECTS, round_)) {
      const before = { ...relay.stats };
      warm[subject].push(await timed(() => sendOne(subject)));
      roundTrips[subject] += relay.stats.roundTrips - before.roundTrips;
      connections[subject] += relay.stats.connections - before.connections;
    }
  }
  agent.destroy();
  // The network part of a cold send alone: a new connection and the request, in a warm process.
  const connectionOnly: number[] = [];
  for (let run = 0; run < RELAY_COLD_ROUNDS; run++) {
    const fresh = new HttpsAgent({ keepAlive: true, ca: readFileSync(bench.caPath) });
    connectionOnly.push(await timed(() => bareRequest(fresh, bench.form.path, bench.form.form, BENCH_SECRETS)));
    fresh.destroy();
  }
  return {
    rounds: RELAY_WARM_ROUNDS,
    medianMs: each(WARM_SUBJECTS, (subject) => round(median(warm[subject]), 2)),
    p95Ms: each(WARM_SUBJECTS, (subject) => round(quantile(warm[subject], 0.95))),
    roundTripsPerSend: each(WARM_SUBJECTS, (subject) => perSend(roundTrips[subject], RELAY_WARM_ROUNDS)),
    connectionsPerSend: each(WARM_SUBJECTS, (subject) => perSend(connections[subject], RELAY_WARM_ROUNDS)),
    newConnectionAndRequestMs: round(median(connectionOnly), 1),
    ratios: { oursToBare: ratio(median(warm.ours), median(warm.bare)), oursToBaseline: ratio(median(warm.ours), median(warm.baseline)) },
  };
}

export interface RelayColdFigures {
  rounds: number;
  countryCheck: typeof COUNTRY_CHECK;
  medianMs: Record<ColdSubject, number>;
  split: Record<ColdSubject, ColdSplit>;
  roundTripsPerSend: Record<ColdSubject, number>;
  connectionsPerSend: Record<ColdSubject, number>;
  ratios: {
    /** Medians of the ratios within each round. */
    oursToBaseline: number;
    oursToBaselineOfMedians: number;
    /** Ours with ALLOWED_COUNTRIES against the baseline, which checks no country. */
    countriesToBaseline: number;
    countriesToBaselineOfMedians: number;
    /** Ours invoked from an event against the baseline (invoked as a continuation: it connects in its promise jobs either way). */
    fromEventToBaseline: number;
    fromEventToBaselineOfMedians: number;
    oursToBare: number;
  };
  /** Ours with ALLOWED_COUNTRIES less ours without, median of the differences within each round. */
  countryCheckCostMs: number;
}

export async function relayCold(bench: Bench, relay: LatencyRelay): Promise<RelayColdFigures> {
  process.stderr.write(`relay (RTT ${RELAY_RTT_MS} ms): ${RELAY_COLD_ROUNDS} rounds of cold first sends (${COLD_SUBJECTS.length} fresh processes each)…\n`);
  const network = { port: relay.port, caPath: bench.caPath, secrets: BENCH_SECRETS };
  const payload = readBenchPayload();
  const specs: Record<ColdSubject, Exclude<ColdStartSpec, { kind: 'module' }>> = {
    ours: { kind: 'hook', bundle: bench.ours, payload, invocation: 'continuation', ...network },
    oursCountries: {
      kind: 'hook',
      bundle: bench.ours,
      payload: { ...(payload as object), recipient: COUNTRY_CHECK.recipient },
      invocation: 'continuation',
      ...network,
      secrets: { ...BENCH_SECRETS, ALLOWED_COUNTRIES: COUNTRY_CHECK.allowedCountries },
    },
    oursFromEvent: { kind: 'hook', bundle: bench.ours, payload, invocation: 'event', ...network },
    baseline: { kind: 'hook', bundle: BASELINE_HOOK, payload, invocation: 'continuation', ...network },
    bare: { kind: 'bare', ...bench.form, ...network },
  };
  const roundTrips = each(COLD_SUBJECTS, () => 0);
  const connections = each(COLD_SUBJECTS, () => 0);
  const runs = await inRounds(COLD_SUBJECTS, RELAY_COLD_ROUNDS, async (subject) => {
    const before = { ...relay.stats };
    const result = await coldStart(specs[subject]);
    roundTrips[subject] += relay.stats.roundTrips - before.roundTrips;
    connections[subject] += relay.stats.connections - before.connections;
    return result;
  });
  const totals = Object.fromEntries(COLD_SUBJECTS.map((subject) => [subject, runs[subject].map((run) => run.totalMs)])) as Record<ColdSubject, number[]>;
  return {
    rounds: RELAY_COLD_ROUNDS,
    countryCheck: COUNTRY_CHECK,
    medianMs: each(COLD_SUBJECTS, (subject) => round(median(totals[subject]), 1)),
    split: Object.fromEntries(COLD_SUBJECTS.map((subject) => [subject, coldSplit(runs[subject])])) as Record<ColdSubject, ColdSplit>,
    roundTripsPerSend: each(COLD_SUBJECTS, (subject) => perSend(roundTrips[subject], RELAY_COLD_ROUNDS)),
    connectionsPerSend: each(COLD_SUBJECTS, (subject) => perSend(connections[subject], RELAY_COLD_ROUNDS)),
    ratios: {
      oursToBaseline: pairedRatio(totals.ours, totals.baseline),
      oursToBaselineOfMedians: ratio(median(totals.ours), median(totals.baseline)),
      countriesToBaseline: pairedRatio(totals.oursCountries, totals.baseline),
      countriesToBaselineOfMedians: ratio(median(totals.oursCountries), median(totals.baseline)),
      fromEventToBaseline: pairedRatio(totals.oursFromEvent, totals.baseline),
      fromEventToBaselineOfMedians: ratio(median(totals.oursFromEvent), median(totals.baseline)),
      oursToBare: pairedRatio(totals.ours, totals.bare),
    },
    countryCheckCostMs: pairedDifference(totals.oursCountries, totals.ours),
  };
}

/** Whether each figure through the relay meets its target. */
export function relayChecks(warm: RelayWarmFigures | undefined, cold: RelayColdFigures | undefined) {
  return {
    ...(warm === undefined ? {} : { relayWarm: warm.ratios.oursToBare <= RELAY_TARGETS.relayWarmToBare }),
    ...(cold === undefined
      ? {}
      : { relayCold: cold.ratios.oursToBaseline <= RELAY_TARGETS.relayColdToBaseline, relayColdWithCountries: cold.ratios.countriesToBaseline <= RELAY_TARGETS.relayColdToBaseline }),
  };
}

export function relayWarmReport(warm: RelayWarmFigures): string {
  const ok = relayChecks(warm, undefined).relayWarm === true;
  return [
    `Through the latency relay: RTT ${RELAY_RTT_MS} ms (TCP handshake included), ${warm.rounds} warm sends of each, rotating send by send`,
    table([
      ['figure', 'ours', 'baseline', 'bare request', 'ours/bare', 'ours/baseline', 'target'],
      ['warm send, median', `${warm.medianMs.ours} ms`, `${warm.medianMs.baseline} ms`, `${warm.medianMs.bare} ms`, `${warm.ratios.oursToBare}`, `${warm.ratios.oursToBaseline}`, `ours/bare ≤ ${RELAY_TARGETS.relayWarmToBare} ${verdict(ok)}`],
      ['warm send, p95', `${warm.p95Ms.ours} ms`, `${warm.p95Ms.baseline} ms`, `${warm.p95Ms.bare} ms`, '', '', ''],
      ['  round trips per warm send', `${warm.roundTripsPerSend.ours}`, `${warm.roundTripsPerSend.baseline}`, `${warm.roundTripsPerSend.bare}`, '', '', ''],
      ['  connections per warm send', `${warm.connectionsPerSend.ours}`, `${warm.connectionsPerSend.baseline}`, `${warm.connectionsPerSend.bare}`, '', '', ''],
      ['new TCP + TLS + request, warm process', '', '', `${warm.newConnectionAndRequestMs} ms`, '', '', ''],
    ]),
  ].join('\n');
}

export function relayColdReport(cold: RelayColdFigures): string {
  const checks = relayChecks(undefined, cold);
  const target = RELAY_TARGETS.relayColdToBaseline;
  return [
    `Cold first sends through the relay: ${cold.rounds} rounds of ${COLD_SUBJECTS.length} fresh processes (one of each subject, rotating); each compiles its hook and sends one SMS. Medians, each of its own:`,
    splitTable(
      COLD_SUBJECTS.map((subject) => ({ label: COLD_LABELS[subject], split: cold.split[subject], more: [`${cold.roundTripsPerSend[subject]}`, `${cold.connectionsPerSend[subject]}`] })),
      ['round trips', 'connections'],
    ),
    'when each step happened (median ms from the start of the compile):',
    ...COLD_SUBJECTS.map((subject) => `  ${timelineText(COLD_LABELS[subject], cold.split[subject])}`),
    `ours/baseline ${cold.ratios.oursToBaseline} (median of ${cold.rounds} pairs; of medians ${cold.ratios.oursToBaselineOfMedians}): target ≤ ${target} ${verdict(checks.relayCold === true)}`,
    `with ALLOWED_COUNTRIES/baseline (which checks no country) ${cold.ratios.countriesToBaseline} (pairs; of medians ${cold.ratios.countriesToBaselineOfMedians}): target ≤ ${target} ${verdict(checks.relayColdWithCountries === true)}`,
    `invoked from an event/baseline ${cold.ratios.fromEventToBaseline} (pairs; of medians ${cold.ratios.fromEventToBaselineOfMedians})`,
    `the country check costs a cold send ${cold.countryCheckCostMs} ms (median of the paired differences); ours/bare request ${cold.ratios.oursToBare} (pairs)`,
  ].join('\n');
}
