/**
 * `npm run bench`: this project's hook (dist/hook/send-phone-message.js) against the baseline hook
 * (tools/bench/baseline-hook.js, a new Twilio client per call, Auth0's sample pattern) and a bare
 * kept-alive request, both hooks compiled by Auth0's compiler, against the fake Twilio over TLS
 * with a certificate for Twilio's hosts (tools/fake-twilio/tls.ts), trusted through TWILIO_CA_BUNDLE.
 *
 * Every hook gets the plain `twilio` package and addresses api.twilio.com; the connection is
 * opened to the fake instead, at the network (tools/fake-twilio/route.ts, as in the tests and
 * `npm start`), so no hook pays for a redirect. Measurements alternate between the subjects, so
 * that whatever else the machine does weighs on all alike. The sections:
 *
 * - on loopback: warm latency, connections, throughput, overhead against a bare `create`, and
 *   cold starts (a fresh process: compile, load twilio, first send), split into their phases;
 * - through the latency relay (tools/bench/through-relay.ts, RTT 40 ms): a warm send of ours, the
 *   baseline and a bare kept-alive request; cold first sends in fresh processes, in rounds of
 *   ours, ours with ALLOWED_COUNTRIES, the baseline and a bare request, split into compile,
 *   module loads, connect (and how much of it overlapped a load) and request;
 * - libphonenumber-js (tools/bench/modules.ts): its `min` build against `max`, which the sender
 *   loads, each loaded in fresh processes;
 * - WhatsApp (tools/bench/whatsapp.ts): a code by SMS alone, delivered on WhatsApp, falling back
 *   after 63003 in the first status read, and after a refusal at the create (63007).
 *
 * - the SMS pumping campaign (tools/bench/attack.ts, `--attack`, run alone): attacker codes sent
 *   and legitimate codes refused by the pumping shield, with Lookup and without.
 *
 * Usage: npm run bench [-- --record | --only SECTION | --attack [--record]]
 *   --record         also write the figures to tools/bench/results/latest.json, the committed
 *                    record docs/performance.md quotes, and the report to latest.txt beside it
 *                    (a whole run only)
 *   --only cold      the cold first sends through the relay and the libphonenumber-js loads
 *                    (about a minute), written nowhere
 *   --only whatsapp  the WhatsApp section (about 20 s), written nowhere
 *   --attack         the SMS pumping campaign alone (a few minutes); with --record, written to
 *                    tools/bench/results/attack.json and attack.txt, the record docs/performance.md quotes
 *
 * Cold-start ratios are medians of the ratios within each round (pairs), which cancel the drift
 * of a shared machine; the ratio of the medians is shown beside them. Prints the tables, with
 * ratios and targets, and writes the figures to build/bench/latest.json (git-ignored). A missed
 * target is reported, not failed: these are measurements on a shared machine, not tests.
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { CompiledHook } from '../runtime/auth0-hook-runtime';
import { coldSplit, coldStart, inRounds, splitTable } from './cold-series';
import {
  BASELINE_HOOK,
  BENCH_SECRETS,
  benchTwilio,
  bundlesToMeasure,
  compileBenchHook,
  MeasurementError,
  median,
  pairedRatio,
  quantile,
  ratio,
  readBenchPayload,
  rotation,
  round,
  runInFlight,
  send,
  table,
  timed,
  twilioVersion,
  verdict,
  type Bench,
} from './harness';
import { routeTwilio } from '../fake-twilio/route';
import { measureModuleLoads, MODULE_RUNS, moduleLoadReport } from './modules';
import { relayChecks, relayCold, relayColdReport, relayWarm, relayWarmReport, RELAY_RTT_MS, RELAY_TARGETS, throughRelay } from './through-relay';
import { measureWhatsApp, WHATSAPP_RUNS, whatsappReport } from './whatsapp';
import { attackChecks, attackReport, measureAttack } from './attack';
import { AUTH0_CODE_LIMIT_BYTES } from '../../scripts/auth0-limits';

const BUILT = bundlesToMeasure();
const BARE_HOOK = 'tools/bench/bare-hook.js';
/** Every bundle a tenant deploys. */
const BUNDLES = ['hook/send-phone-message.js', 'actions/send-phone-message.js', 'actions/custom-phone-provider.js'].map((bundle) => `${BUILT.dir}/${bundle}`);
const RECORD = join('tools', 'bench', 'results', 'latest.json');
const ATTACK_RECORD = join('tools', 'bench', 'results', 'attack.json');
const LATEST = join('build', 'bench', 'latest.json');

/** Sends per block on loopback; blocks alternate between the hooks. */
const BLOCK_SENDS = 50;
const LATENCY_BLOCKS = 8;
const THROUGHPUT_ROUNDS = 3;
const THROUGHPUT_INVOCATIONS = 500;
const IN_FLIGHT = 50;
const COLD_STARTS = 20;
const OVERHEAD_PAIRS = 1_000;

const TARGETS = {
  warmMedianRatio: 0.5,
  connectionsPer100Sends: 1,
  coldStartRatio: 1.1,
  overheadRatio: 1.05,
  /** Each bundle leaves 15 kB of Auth0's limit (AUTH0_CODE_LIMIT_BYTES) to an adopter's customization. */
  bundleBytes: 85_000,
  ...RELAY_TARGETS,
};

async function loopback(bench: Bench) {
  const { fake } = bench;
  const hooks: Record<'ours' | 'baseline', CompiledHook> = { ours: await compileBenchHook(bench.ours), baseline: await compileBenchHook(BASELINE_HOOK) };
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
  const network = { port: fake.port, caPath: bench.caPath, secrets: BENCH_SECRETS };
  const payload = readBenchPayload();
  const cold = await inRounds(['ours', 'baseline'] as const, COLD_STARTS, (name) =>
    coldStart({ kind: 'hook', bundle: name === 'ours' ? bench.ours : BASELINE_HOOK, payload, invocation: 'continuation', ...network }),
  );

  const sends = LATENCY_BLOCKS * BLOCK_SENDS;
  const figures = {
    warmMedianMs: { ours: round(median(latency.ours), 3), baseline: round(median(latency.baseline), 3) },
    warmP95Ms: { ours: round(quantile(latency.ours, 0.95)), baseline: round(quantile(latency.baseline, 0.95)) },
    connectionsPer100Sends: { ours: round((connections.ours / sends) * 100), baseline: round((connections.baseline / sends) * 100) },
    throughputPerSecond: { ours: round(median(throughput.ours), 0), baseline: round(median(throughput.baseline), 0) },
    coldStart: { ours: coldSplit(cold.ours), baseline: coldSplit(cold.baseline) },
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

type Section = 'cold' | 'whatsapp';
const SECTIONS: readonly Section[] = ['cold', 'whatsapp'];

/**
 * A record: its figures (JSON, which the docs' tests read) and, beside it with the extension
 * `.txt`, the report as printed, so that the tables docs/performance.md discusses are kept with
 * the run that made them rather than copied into the docs.
 */
function writeRecord(file: string, json: string, report: string): void {
  writeFileSync(file, json);
  writeFileSync(file.replace(/\.json$/, '.txt'), `${report}\n`);
}

/** The section `--only NAME` runs alone, or undefined for the whole benchmark; a string saying what is wrong with the arguments. */
function onlySection(argv: readonly string[]): { only: Section | undefined } | string {
  const index = argv.indexOf('--only');
  if (index === -1) return { only: undefined };
  const name = argv[index + 1];
  const section = SECTIONS.find((candidate) => candidate === name);
  if (section === undefined) return `--only takes one of the sections that run alone: ${SECTIONS.join(', ')}; got ${name ?? 'nothing'}.`;
  if (argv.includes('--record')) return '--record writes the record of a whole run (or of --attack); run it without --only.';
  return { only: section };
}

const machineText = (machine: { cpus: number; cpuModel: string; node: string; twilio: string }): string =>
  `${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}, twilio ${machine.twilio}\n`;

function loopbackReport(local: Awaited<ReturnType<typeof loopback>>, checks: { warmMedian: boolean; connections: boolean; coldStart: boolean; overhead: boolean }): string {
  const f = local.figures;
  const coldOurs = f.coldStart.ours;
  const coldBase = f.coldStart.baseline;
  return [
    `On loopback: ${local.sends} warm sends per hook in blocks of ${BLOCK_SENDS}, ${COLD_STARTS} cold starts each`,
    table([
      ['figure', 'ours', 'baseline', 'ours/baseline', 'target'],
      ['warm latency, median', `${f.warmMedianMs.ours} ms`, `${f.warmMedianMs.baseline} ms`, `${local.ratios.warmMedian}`, `≤ ${TARGETS.warmMedianRatio} ${verdict(checks.warmMedian)}`],
      ['warm latency, p95', `${f.warmP95Ms.ours} ms`, `${f.warmP95Ms.baseline} ms`, `${local.ratios.warmP95}`, ''],
      ['TLS connections per 100 sends', `${f.connectionsPer100Sends.ours}`, `${f.connectionsPer100Sends.baseline}`, '', `≤ ${TARGETS.connectionsPer100Sends} ${verdict(checks.connections)}`],
      [`throughput, ${IN_FLIGHT} in flight`, `${f.throughputPerSecond.ours}/s`, `${f.throughputPerSecond.baseline}/s`, `${local.ratios.throughput}`, ''],
      [
        'cold start, median',
        `${coldOurs.totalMs} ms`,
        `${coldBase.totalMs} ms`,
        `${local.ratios.coldStart} (pairs; of medians ${local.ratios.coldStartOfMedians})`,
        `≤ ${TARGETS.coldStartRatio} ${verdict(checks.coldStart)}`,
      ],
      [
        'overhead vs bare create, median',
        `${f.overheadMedianMs.ours} ms (${f.overheadMedianMs.ours >= f.overheadMedianMs.bare ? '+' : ''}${Math.round((f.overheadMedianMs.ours - f.overheadMedianMs.bare) * 1000)} µs)`,
        `${f.overheadMedianMs.bare} ms (bare)`,
        `${local.ratios.overhead}`,
        `≤ ${TARGETS.overheadRatio} ${verdict(checks.overhead)}`,
      ],
    ]),
    'Cold starts on loopback, split (medians, each of its own):',
    splitTable([
      { label: 'ours', split: coldOurs },
      { label: 'baseline', split: coldBase },
    ]),
  ].join('\n');
}

/** The cold first sends through the relay and the loads of libphonenumber-js: `--only cold`, and part of a whole run. */
async function coldSections(bench: Bench) {
  const cold = await throughRelay(bench, (relay) => relayCold(bench, relay));
  process.stderr.write(`libphonenumber-js: ${MODULE_RUNS} loads of each build…\n`);
  const modules = await measureModuleLoads();
  return { cold, modules };
}

/**
 * Runs the benchmark; `--record` also writes the committed record; `--only cold` or `--only
 * whatsapp` runs that section alone and writes nothing. Resolves to 1 when a measurement could not
 * be made, 2 on a usage error.
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
  const bench: Bench = { fake, ours: BUILT.hook, caPath, payload: readBenchPayload(), form: { path: '', form: {} } };
  const unroute = routeTwilio(fake.port);
  try {
    if (argv.includes('--attack')) {
      const attack = await measureAttack(bench, `${BUILT.dir}/actions/custom-phone-provider.js`);
      const report = [
        `Benchmark, SMS pumping campaign: ${BUILT.dir}/actions/custom-phone-provider.js, fake Twilio over TLS with Lookup v2`,
        machineText(machine),
        attackReport(attack),
      ].join('\n');
      console.log(report);
      const json = `${JSON.stringify({ date: new Date().toISOString().slice(0, 10), machine, ...attack, checks: attackChecks(attack) }, null, 2)}\n`;
      if (record) writeRecord(ATTACK_RECORD, json, report);
      console.log(record ? `\nwritten to ${ATTACK_RECORD} and its report beside it (--record)` : '');
      return 0;
    }
    if (section.only === 'whatsapp') {
      process.stderr.write(`whatsapp: ${WHATSAPP_RUNS} runs of each case…\n`);
      const whatsapp = await measureWhatsApp(fake, bench.ours);
      console.log(`Benchmark, WhatsApp section only: ${bench.ours}, fake Twilio over TLS (api.twilio.com routed to 127.0.0.1)`);
      console.log(machineText(machine));
      console.log(whatsappReport(whatsapp));
      return 0;
    }
    // The form ours posts, for the bare request.
    await send(bench, await compileBenchHook(bench.ours));
    const first = fake.requests[0];
    if (first === undefined) throw new MeasurementError('the fake saw no request');
    bench.form = { path: first.path, form: first.form };
    fake.reset();

    if (section.only === 'cold') {
      const { cold, modules } = await coldSections(bench);
      console.log(`Benchmark, cold section only: ${bench.ours} against ${BASELINE_HOOK}, fake Twilio over TLS behind the latency relay`);
      console.log(machineText(machine));
      if (!BUILT.distIsFresh) console.log(`dist/ was not built from the current src/: measured a fresh build in ${BUILT.dir}/\n`);
      console.log(`${relayColdReport(cold)}\n\n${moduleLoadReport(modules)}`);
      return 0;
    }

    const local = await loopback(bench);
    fake.reset();
    const warm = await throughRelay(bench, (relay) => relayWarm(bench, relay));
    fake.reset();
    const { cold, modules } = await coldSections(bench);
    fake.reset();
    process.stderr.write(`whatsapp: ${WHATSAPP_RUNS} runs of each case…\n`);
    const whatsapp = await measureWhatsApp(fake, bench.ours);

    const bundles = Object.fromEntries(BUNDLES.map((path) => [path, statSync(path).size]));
    const checks = {
      warmMedian: local.ratios.warmMedian <= TARGETS.warmMedianRatio,
      connections: local.figures.connectionsPer100Sends.ours <= TARGETS.connectionsPer100Sends,
      coldStart: local.ratios.coldStart <= TARGETS.coldStartRatio,
      overhead: local.ratios.overhead <= TARGETS.overheadRatio,
      bundles: Object.values(bundles).every((size) => size <= TARGETS.bundleBytes),
      ...relayChecks(warm, cold),
    };

    const report = [
      `Benchmark: ${bench.ours} against ${BASELINE_HOOK}, fake Twilio over TLS (api.twilio.com routed to 127.0.0.1)`,
      machineText(machine),
      ...(BUILT.distIsFresh ? [] : [`dist/ was not built from the current src/: measured a fresh build in ${BUILT.dir}/\n`]),
      loopbackReport(local, checks),
      `\n${relayWarmReport(warm)}`,
      `\n${relayColdReport(cold)}`,
      `\n${moduleLoadReport(modules)}`,
      `\n${whatsappReport(whatsapp)}`,
      `\nBundles (Auth0's limit: ${AUTH0_CODE_LIMIT_BYTES.toLocaleString('en-US')} B an action; target ≤ ${TARGETS.bundleBytes.toLocaleString('en-US')} B, room for a customization)`,
      table(Object.entries(bundles).map(([path, size]) => [path, `${size.toLocaleString('en-US')} B`, verdict(size <= TARGETS.bundleBytes)])),
    ].join('\n');
    console.log(report);

    const result = {
      date: new Date().toISOString(),
      machine,
      measured: BUILT,
      loopback: { figures: local.figures, ratios: local.ratios },
      relay: { rttMs: RELAY_RTT_MS, warm, cold },
      modules,
      whatsapp,
      bundles,
      targets: TARGETS,
      checks,
    };
    const json = `${JSON.stringify(result, null, 2)}\n`;
    mkdirSync(join('build', 'bench'), { recursive: true });
    writeFileSync(LATEST, json);
    if (record) writeRecord(RECORD, json, report);
    console.log(`\nwritten to ${LATEST}${record ? ` and ${RECORD} with its report beside it (--record)` : ''}`);
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
