/**
 * `npm run bench`: this project's hook (dist/hook/send-phone-message.js) against the baseline hook
 * (tools/bench/baseline-hook.js, a new Twilio client per call, Auth0's sample pattern) and a bare
 * kept-alive request, both hooks compiled by Auth0's compiler, against the fake Twilio over TLS
 * with a certificate for Twilio's hosts (tools/fake-twilio/tls.ts), trusted through TWILIO_CA_BUNDLE.
 *
 * Every hook gets the plain `twilio` package and addresses api.twilio.com; the connection is
 * opened to the fake instead, at the network (tools/fake-twilio/route.ts, as in the tests and
 * `npm start`), so no hook pays for a redirect. Measurements alternate between the subjects, so that whatever else the machine
 * does weighs on all alike. Two runs:
 *
 * - on loopback: warm latency, connections, throughput, overhead against a bare `create`, and
 *   cold starts (a fresh process: compile, load twilio, first send), split into their phases;
 * - through the latency relay (tools/fake-twilio/latency-relay.ts, RTT 40 ms, the TCP
 *   handshake included): a warm send and a cold first send of ours, the baseline, and one bare
 *   HTTPS POST of the same form with the same auth on a kept-alive agent (the physical limit).
 *
 * Then the WhatsApp section (tools/bench/whatsapp.ts): a code by SMS alone, delivered on
 * WhatsApp, falling back after 63003 in the first status read, and after a refusal at the create
 * (63007), each in a fresh hook, and what a fallback costs. `npm run bench -- --only whatsapp`
 * runs it alone (about 20 s) and writes nothing.
 *
 * Cold-start ratios are medians of the ratios of adjacent runs (pairs), which cancel the drift
 * of a shared machine. Prints the tables, with ratios and targets, and writes the figures to build/bench/latest.json
 * (git-ignored). `npm run bench -- --record` also writes them to tools/bench/results/latest.json,
 * the committed record of the figures the README quotes. A missed target is reported, not
 * failed: these are measurements on a shared machine, not tests.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { Agent as HttpsAgent } from 'node:https';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LatencyRelay } from '../fake-twilio/latency-relay';
import type { FakeTwilio } from '../fake-twilio/server';
import type { CompiledHook } from '../runtime/auth0-hook-runtime';
import { bareRequest } from './bare-request';
import type { ColdStartResult, ColdStartSpec } from './cold-start';
import {
  BENCH_PAYLOAD,
  BENCH_SECRETS,
  benchTwilio,
  bundlesToMeasure,
  compileBenchHook,
  MeasurementError,
  median,
  quantile,
  readBenchPayload,
  rotation,
  round,
  runInFlight,
  table,
  timed,
  twilioVersion,
} from './harness';
import { routeTwilio } from '../fake-twilio/route';
import { measureWhatsApp, WHATSAPP_RUNS, whatsappReport } from './whatsapp';

const BUILT = bundlesToMeasure();
const OURS = BUILT.hook;
const BASELINE = 'tools/bench/baseline-hook.js';
const BARE_HOOK = 'tools/bench/bare-hook.js';
/** Every bundle a tenant deploys: Auth0 limits each Action's code to 100 kB. */
const BUNDLES = ['hook/send-phone-message.js', 'actions/send-phone-message.js', 'actions/custom-phone-provider.js'].map((bundle) => `${BUILT.dir}/${bundle}`);
const COLD_SCRIPT = join('build', 'tools', 'tools-bench-cold-start.js');
const RECORD = join('tools', 'bench', 'results', 'latest.json');
const LATEST = join('build', 'bench', 'latest.json');

/** Sends per block on loopback; blocks alternate between the hooks. */
const BLOCK_SENDS = 50;
const LATENCY_BLOCKS = 8;
const THROUGHPUT_ROUNDS = 3;
const THROUGHPUT_INVOCATIONS = 500;
const IN_FLIGHT = 50;
const COLD_STARTS = 15;
const OVERHEAD_PAIRS = 1_000;
/** The relay's round trip: a request from Auth0's US region to Twilio's, give or take. */
const RELAY_RTT_MS = 40;
const RELAY_WARM_ROUNDS = 40;
const RELAY_COLD_STARTS = 15;

const TARGETS = {
  warmMedianRatio: 0.5,
  connectionsPer100Sends: 1,
  coldStartRatio: 1.1,
  overheadRatio: 1.05,
  /** Auth0: "Each Action should not exceed 100 kB" (taken as 100,000 bytes). */
  bundleBytes: 100_000,
  relayWarmToBare: 1.15,
  relayColdToBaseline: 1.0,
};

type Subject = 'ours' | 'baseline' | 'bare';

const ratio = (a: number, b: number): number => round(a / b, 3);
/**
 * The median of the ratios of runs made one after the other (ours, then the baseline, or the
 * reverse): a cold start takes a few hundred milliseconds, and what else the machine does
 * drifts over seconds, so pairs cancel the drift that separate medians keep.
 */
const pairedRatio = (ours: readonly number[], other: readonly number[]): number => round(median(ours.map((value, index) => value / (other[index] ?? NaN))), 3);

interface Bench {
  fake: FakeTwilio;
  caPath: string;
  payload: unknown;
  /** The path and form ours posts: the bare request sends the same. */
  form: { path: string; form: Record<string, string> };
}

async function send(bench: Bench, hook: CompiledHook): Promise<void> {
  const envelope = await hook.invoke(bench.payload, BENCH_SECRETS);
  if (envelope.status !== 'success') throw new MeasurementError(`a benchmark send failed: ${JSON.stringify(envelope.data.message)}`);
}

async function coldStart(bench: Bench, subject: Subject, port: number): Promise<ColdStartResult> {
  const spec: ColdStartSpec = {
    subject: subject === 'ours' ? OURS : subject === 'baseline' ? BASELINE : 'bare',
    port,
    caPath: bench.caPath,
    payloadPath: BENCH_PAYLOAD,
    secrets: BENCH_SECRETS,
    ...(subject === 'bare' ? { bare: bench.form } : {}),
  };
  // Asynchronous: the fake (and the relay) that answer the child run in this process.
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [COLD_SCRIPT, JSON.stringify(spec)], { encoding: 'utf8', timeout: 30_000 });
    return JSON.parse(stdout.trim()) as ColdStartResult;
  } catch (error) {
    throw new MeasurementError(`a cold start of ${spec.subject} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function loopback(bench: Bench) {
  const { fake } = bench;
  const hooks: Record<'ours' | 'baseline', CompiledHook> = { ours: await compileBenchHook(OURS), baseline: await compileBenchHook(BASELINE) };
  // Warm both containers: a first send loads twilio and, for ours, opens the kept connection.
  for (const name of ['ours', 'baseline'] as const) for (let i = 0; i < 20; i++) await send(bench, hooks[name]);

  process.stderr.write('loopback: warm latency…\n');
  const latency = { ours: [] as number[], baseline: [] as number[] };
  const connections = { ours: 0, baseline: 0 };
  for (let block = 0; block < LATENCY_BLOCKS; block++) {
    for (const name of rotation(['ours', 'baseline'] as const, block)) {
      const before = fake.connections;
      for (let i = 0; i < BLOCK_SENDS; i++) latency[name].push(await timed(() => send(bench, hooks[name])));
      connections[name] += fake.connections - before;
    }
  }

  process.stderr.write('loopback: throughput…\n');
  const throughput = { ours: [] as number[], baseline: [] as number[] };
  for (let round_ = 0; round_ < THROUGHPUT_ROUNDS; round_++) {
    for (const name of rotation(['ours', 'baseline'] as const, round_)) {
      const elapsed = await timed(() => runInFlight(THROUGHPUT_INVOCATIONS, IN_FLIGHT, () => send(bench, hooks[name])));
      throughput[name].push(THROUGHPUT_INVOCATIONS / (elapsed / 1000));
    }
  }

  process.stderr.write('loopback: overhead against a bare client.messages.create…\n');
  const bareHook = await compileBenchHook(BARE_HOOK);
  for (let i = 0; i < 20; i++) await send(bench, bareHook);
  const overhead = { ours: [] as number[], bare: [] as number[] };
  // Alternating send by send: the difference is a few microseconds, so drift must not decide it.
  for (let pair = 0; pair < OVERHEAD_PAIRS; pair++) {
    for (const name of rotation(['ours', 'bare'] as const, pair)) overhead[name].push(await timed(() => send(bench, name === 'bare' ? bareHook : hooks.ours)));
  }

  process.stderr.write('loopback: cold starts…\n');
  const cold = { ours: [] as ColdStartResult[], baseline: [] as ColdStartResult[] };
  for (let run = 0; run < COLD_STARTS; run++) {
    for (const name of rotation(['ours', 'baseline'] as const, run)) cold[name].push(await coldStart(bench, name, fake.port));
  }

  const sends = LATENCY_BLOCKS * BLOCK_SENDS;
  const phases = (runs: readonly ColdStartResult[]) => {
    const total = median(runs.map((run) => run.totalMs));
    const compile = median(runs.map((run) => run.compileMs));
    const twilioLoad = median(runs.map((run) => run.twilioLoadMs));
    // What is left: the first send, its TLS handshake and the first use of twilio's client.
    const firstSend = median(runs.map((run) => run.totalMs - run.compileMs - run.twilioLoadMs));
    return { totalMs: round(total, 1), compileMs: round(compile, 1), twilioLoadMs: round(twilioLoad, 1), firstSendMs: round(firstSend, 1) };
  };
  const figures = {
    warmMedianMs: { ours: round(median(latency.ours), 3), baseline: round(median(latency.baseline), 3) },
    warmP95Ms: { ours: round(quantile(latency.ours, 0.95)), baseline: round(quantile(latency.baseline, 0.95)) },
    connectionsPer100Sends: { ours: round((connections.ours / sends) * 100), baseline: round((connections.baseline / sends) * 100) },
    throughputPerSecond: { ours: round(median(throughput.ours), 0), baseline: round(median(throughput.baseline), 0) },
    coldStart: { ours: phases(cold.ours), baseline: phases(cold.baseline) },
    overheadMedianMs: { ours: round(median(overhead.ours), 3), bare: round(median(overhead.bare), 3) },
  };
  const ratios = {
    warmMedian: ratio(median(latency.ours), median(latency.baseline)),
    warmP95: ratio(quantile(latency.ours, 0.95), quantile(latency.baseline, 0.95)),
    throughput: ratio(median(throughput.ours), median(throughput.baseline)),
    coldStart: pairedRatio(cold.ours.map((run) => run.totalMs), cold.baseline.map((run) => run.totalMs)),
    coldStartOfMedians: ratio(median(cold.ours.map((run) => run.totalMs)), median(cold.baseline.map((run) => run.totalMs))),
    overhead: ratio(median(overhead.ours), median(overhead.bare)),
  };
  return { sends, figures, ratios };
}

async function throughRelay(bench: Bench) {
  const relay = await new LatencyRelay({ host: '127.0.0.1', port: bench.fake.port }, RELAY_RTT_MS).start();
  // Until the relay closes: then Twilio's hosts go to the fake again.
  const unroute = routeTwilio(relay.port);
  try {
    // New containers: their pools must hold connections through the relay, none from loopback.
    const hooks = { ours: await compileBenchHook(OURS), baseline: await compileBenchHook(BASELINE) };
    const agent = new HttpsAgent({ keepAlive: true, ca: readFileSync(bench.caPath) });
    const sendOne = (subject: Subject): Promise<void> =>
      subject === 'bare' ? bareRequest(agent, bench.form.path, bench.form.form, BENCH_SECRETS) : send(bench, hooks[subject]);
    const subjects: Subject[] = ['ours', 'baseline', 'bare'];
    for (const subject of subjects) for (let i = 0; i < 3; i++) await sendOne(subject);

    process.stderr.write(`relay (RTT ${RELAY_RTT_MS} ms): warm sends…\n`);
    const warm: Record<Subject, number[]> = { ours: [], baseline: [], bare: [] };
    const roundTrips: Record<Subject, number> = { ours: 0, baseline: 0, bare: 0 };
    const connections: Record<Subject, number> = { ours: 0, baseline: 0, bare: 0 };
    for (let round_ = 0; round_ < RELAY_WARM_ROUNDS; round_++) {
      for (const subject of rotation(subjects, round_)) {
        const before = { ...relay.stats };
        warm[subject].push(await timed(() => sendOne(subject)));
        roundTrips[subject] += relay.stats.roundTrips - before.roundTrips;
        connections[subject] += relay.stats.connections - before.connections;
      }
    }
    agent.destroy();

    process.stderr.write(`relay (RTT ${RELAY_RTT_MS} ms): cold first sends…\n`);
    const cold: Record<Subject, number[]> = { ours: [], baseline: [], bare: [] };
    const coldRoundTrips: Record<Subject, number> = { ours: 0, baseline: 0, bare: 0 };
    for (let run = 0; run < RELAY_COLD_STARTS; run++) {
      for (const subject of rotation(subjects, run)) {
        const before = relay.stats.roundTrips;
        cold[subject].push((await coldStart(bench, subject, relay.port)).totalMs);
        coldRoundTrips[subject] += relay.stats.roundTrips - before;
      }
    }
    // The network part of a cold send alone: a new connection and the request, in a warm process.
    const connectionOnly: number[] = [];
    for (let run = 0; run < RELAY_COLD_STARTS; run++) {
      const fresh = new HttpsAgent({ keepAlive: true, ca: readFileSync(bench.caPath) });
      connectionOnly.push(await timed(() => bareRequest(fresh, bench.form.path, bench.form.form, BENCH_SECRETS)));
      fresh.destroy();
    }

    const perSend = (value: number, count: number): number => round(value / count, 2);
    const medians = (values: Record<Subject, number[]>, digits: number) => ({
      ours: round(median(values.ours), digits),
      baseline: round(median(values.baseline), digits),
      bare: round(median(values.bare), digits),
    });
    return {
      rttMs: RELAY_RTT_MS,
      warmMedianMs: medians(warm, 2),
      warmP95Ms: { ours: round(quantile(warm.ours, 0.95)), baseline: round(quantile(warm.baseline, 0.95)), bare: round(quantile(warm.bare, 0.95)) },
      warmRoundTripsPerSend: { ours: perSend(roundTrips.ours, RELAY_WARM_ROUNDS), baseline: perSend(roundTrips.baseline, RELAY_WARM_ROUNDS), bare: perSend(roundTrips.bare, RELAY_WARM_ROUNDS) },
      warmConnectionsPerSend: { ours: perSend(connections.ours, RELAY_WARM_ROUNDS), baseline: perSend(connections.baseline, RELAY_WARM_ROUNDS), bare: perSend(connections.bare, RELAY_WARM_ROUNDS) },
      coldMedianMs: medians(cold, 1),
      coldRoundTripsPerSend: { ours: perSend(coldRoundTrips.ours, RELAY_COLD_STARTS), baseline: perSend(coldRoundTrips.baseline, RELAY_COLD_STARTS), bare: perSend(coldRoundTrips.bare, RELAY_COLD_STARTS) },
      newConnectionAndRequestMs: round(median(connectionOnly), 1),
      ratios: {
        warmOursToBare: ratio(median(warm.ours), median(warm.bare)),
        warmOursToBaseline: ratio(median(warm.ours), median(warm.baseline)),
        coldOursToBaseline: pairedRatio(cold.ours, cold.baseline),
        coldOursToBaselineOfMedians: ratio(median(cold.ours), median(cold.baseline)),
        coldOursToBare: pairedRatio(cold.ours, cold.bare),
      },
    };
  } finally {
    unroute();
    await relay.close();
  }
}

const verdict = (ok: boolean): string => (ok ? 'ok' : 'MISSED');

/** The section `--only NAME` runs alone, or undefined for the whole benchmark; a string saying what is wrong with the arguments. */
function onlySection(argv: readonly string[]): { only: 'whatsapp' | undefined } | string {
  const index = argv.indexOf('--only');
  if (index === -1) return { only: undefined };
  if (argv[index + 1] !== 'whatsapp') return `--only takes the one section that runs alone: whatsapp; got ${argv[index + 1] ?? 'nothing'}.`;
  if (argv.includes('--record')) return '--record writes the record of a whole run; run it without --only.';
  return { only: 'whatsapp' };
}

const machineText = (machine: { cpus: number; cpuModel: string; node: string; twilio: string }): string =>
  `${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}, twilio ${machine.twilio}\n`;

/**
 * Runs the benchmark; `--record` also writes the committed record; `--only whatsapp` runs the
 * WhatsApp section alone (about 20 s) and writes nothing. Resolves to 1 when a measurement could
 * not be made, 2 on a usage error.
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  const record = argv.includes('--record');
  const section = onlySection(argv);
  if (typeof section === 'string') {
    console.error(`bench: ${section}`);
    return 2;
  }
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version, twilio: twilioVersion() };
  const { fake, caPath } = await benchTwilio({ recordRequests: true });
  const bench: Bench = {
    fake,
    caPath,
    payload: readBenchPayload(),
    form: { path: '', form: {} },
  };
  const unroute = routeTwilio(fake.port);
  try {
    if (section.only === 'whatsapp') {
      process.stderr.write(`whatsapp: ${WHATSAPP_RUNS} runs of each case…\n`);
      const whatsapp = await measureWhatsApp(fake, OURS);
      console.log(`Benchmark, WhatsApp section only: ${OURS}, fake Twilio over TLS (api.twilio.com routed to 127.0.0.1)`);
      console.log(machineText(machine));
      console.log(whatsappReport(whatsapp));
      return 0;
    }
    // The form ours posts, for the bare request.
    await send(bench, await compileBenchHook(OURS));
    const first = fake.requests[0];
    if (first === undefined) throw new MeasurementError('the fake saw no request');
    bench.form = { path: first.path, form: first.form };
    fake.reset();

    const local = await loopback(bench);
    fake.reset();
    const relay = await throughRelay(bench);
    fake.reset();
    process.stderr.write(`whatsapp: ${WHATSAPP_RUNS} runs of each case…\n`);
    const whatsapp = await measureWhatsApp(fake, OURS);

    const bundles = Object.fromEntries(BUNDLES.map((path) => [path, statSync(path).size]));
    const checks = {
      warmMedian: local.ratios.warmMedian <= TARGETS.warmMedianRatio,
      connections: local.figures.connectionsPer100Sends.ours <= TARGETS.connectionsPer100Sends,
      coldStart: local.ratios.coldStart <= TARGETS.coldStartRatio,
      overhead: local.ratios.overhead <= TARGETS.overheadRatio,
      bundles: Object.values(bundles).every((size) => size <= TARGETS.bundleBytes),
      relayWarm: relay.ratios.warmOursToBare <= TARGETS.relayWarmToBare,
      relayCold: relay.ratios.coldOursToBaseline <= TARGETS.relayColdToBaseline,
    };

    const f = local.figures;
    const coldOurs = f.coldStart.ours;
    const coldBase = f.coldStart.baseline;
    console.log(`Benchmark: ${OURS} against ${BASELINE}, fake Twilio over TLS (api.twilio.com routed to 127.0.0.1)`);
    console.log(machineText(machine));
    if (!BUILT.distIsFresh) console.log(`dist/ was not built from the current src/: measured a fresh build in ${BUILT.dir}/\n`);
    console.log(`On loopback: ${local.sends} warm sends per hook in blocks of ${BLOCK_SENDS}, ${COLD_STARTS} cold starts each`);
    console.log(
      table([
        ['figure', 'ours', 'baseline', 'ours/baseline', 'target'],
        ['warm latency, median', `${f.warmMedianMs.ours} ms`, `${f.warmMedianMs.baseline} ms`, `${local.ratios.warmMedian}`, `≤ ${TARGETS.warmMedianRatio} ${verdict(checks.warmMedian)}`],
        ['warm latency, p95', `${f.warmP95Ms.ours} ms`, `${f.warmP95Ms.baseline} ms`, `${local.ratios.warmP95}`, ''],
        ['TLS connections per 100 sends', `${f.connectionsPer100Sends.ours}`, `${f.connectionsPer100Sends.baseline}`, '', `≤ ${TARGETS.connectionsPer100Sends} ${verdict(checks.connections)}`],
        [`throughput, ${IN_FLIGHT} in flight`, `${f.throughputPerSecond.ours}/s`, `${f.throughputPerSecond.baseline}/s`, `${local.ratios.throughput}`, ''],
        ['cold start, median', `${coldOurs.totalMs} ms`, `${coldBase.totalMs} ms`, `${local.ratios.coldStart} (pairs)`, `≤ ${TARGETS.coldStartRatio} ${verdict(checks.coldStart)}`],
        ['  compile (Auth0 compiler, module init)', `${coldOurs.compileMs} ms`, `${coldBase.compileMs} ms`, '', ''],
        ['  require("twilio")', `${coldOurs.twilioLoadMs} ms`, `${coldBase.twilioLoadMs} ms`, '', ''],
        ['  first send (client, TLS, request)', `${coldOurs.firstSendMs} ms`, `${coldBase.firstSendMs} ms`, '', ''],
        [
          'overhead vs bare create, median',
          `${f.overheadMedianMs.ours} ms (${f.overheadMedianMs.ours >= f.overheadMedianMs.bare ? '+' : ''}${Math.round((f.overheadMedianMs.ours - f.overheadMedianMs.bare) * 1000)} µs)`,
          `${f.overheadMedianMs.bare} ms (bare)`,
          `${local.ratios.overhead}`,
          `≤ ${TARGETS.overheadRatio} ${verdict(checks.overhead)}`,
        ],
      ]),
    );
    console.log(`\nThrough the latency relay: RTT ${relay.rttMs} ms (TCP handshake included), ${RELAY_WARM_ROUNDS} warm sends and ${RELAY_COLD_STARTS} cold starts each`);
    console.log(
      table([
        ['figure', 'ours', 'baseline', 'bare request', 'ours/bare', 'ours/baseline', 'target'],
        [
          'warm send, median',
          `${relay.warmMedianMs.ours} ms`,
          `${relay.warmMedianMs.baseline} ms`,
          `${relay.warmMedianMs.bare} ms`,
          `${relay.ratios.warmOursToBare}`,
          `${relay.ratios.warmOursToBaseline}`,
          `ours/bare ≤ ${TARGETS.relayWarmToBare} ${verdict(checks.relayWarm)}`,
        ],
        ['warm send, p95', `${relay.warmP95Ms.ours} ms`, `${relay.warmP95Ms.baseline} ms`, `${relay.warmP95Ms.bare} ms`, '', '', ''],
        ['  round trips per warm send', `${relay.warmRoundTripsPerSend.ours}`, `${relay.warmRoundTripsPerSend.baseline}`, `${relay.warmRoundTripsPerSend.bare}`, '', '', ''],
        [
          'cold first send, median (fresh process)',
          `${relay.coldMedianMs.ours} ms`,
          `${relay.coldMedianMs.baseline} ms`,
          `${relay.coldMedianMs.bare} ms`,
          `${relay.ratios.coldOursToBare}`,
          `${relay.ratios.coldOursToBaseline} (pairs; of medians ${relay.ratios.coldOursToBaselineOfMedians})`,
          `ours/baseline ≤ ${TARGETS.relayColdToBaseline} ${verdict(checks.relayCold)}`,
        ],
        ['  round trips per cold send', `${relay.coldRoundTripsPerSend.ours}`, `${relay.coldRoundTripsPerSend.baseline}`, `${relay.coldRoundTripsPerSend.bare}`, '', '', ''],
        ['new TCP + TLS + request, warm process', '', '', `${relay.newConnectionAndRequestMs} ms`, '', '', ''],
      ]),
    );
    console.log(`\n${whatsappReport(whatsapp)}`);
    console.log(`\nBundles (Auth0 limits an Action's code to 100 kB; ≤ ${TARGETS.bundleBytes.toLocaleString('en-US')} B)`);
    console.log(table(Object.entries(bundles).map(([path, size]) => [path, `${size.toLocaleString('en-US')} B`, verdict(size <= TARGETS.bundleBytes)])));

    const result = { date: new Date().toISOString(), machine, measured: BUILT, loopback: { figures: local.figures, ratios: local.ratios }, relay, whatsapp, bundles, targets: TARGETS, checks };
    const json = `${JSON.stringify(result, null, 2)}\n`;
    mkdirSync(join('build', 'bench'), { recursive: true });
    writeFileSync(LATEST, json);
    if (record) writeFileSync(RECORD, json);
    console.log(`\nwritten to ${LATEST}${record ? ` and ${RECORD} (--record)` : ''}`);
    return 0;
  } catch (error) {
    if (!(error instanceof MeasurementError)) throw error;
    console.error(`bench: ${error.message}`);
    return 1;
  } finally {
    unroute();
    await fake.stop();
  }
}
