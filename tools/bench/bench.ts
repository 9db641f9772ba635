/**
 * `npm run bench`: this project's hook against the baseline hook (tools/bench/baseline-hook.js, a new
 * Twilio client per call), side by side in one run, against the fake Twilio over TLS with a
 * certificate made at run time. Measurements alternate between the two in blocks, so that
 * whatever else the machine does weighs on both alike. Prints a table with ratios and writes
 * the same figures to tools/bench/results/latest.json.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { compileHook, runtimeRequire, type CompiledHook } from '../runtime/auth0-hook-runtime';
import { BENCH_SECRETS, runInFlight, tlsFakeTwilio } from './harness';

const OURS = 'dist/hook/send-phone-message.js';
const BASELINE = 'tools/bench/baseline-hook.js';
const BARE = 'tools/bench/bare-hook.js';
const PAYLOAD = 'samples/sms-second-factor.json';
/** Sends per block; blocks alternate between the hooks. */
const BLOCK_SENDS = 50;
const LATENCY_BLOCKS = 8;
const THROUGHPUT_ROUNDS = 3;
const THROUGHPUT_INVOCATIONS = 500;
const IN_FLIGHT = 50;
const COLD_STARTS = 15;
const OVERHEAD_PAIRS = 1_000;

const TARGETS = {
  warmMedianRatio: 0.5,
  connectionsPer100Sends: 1,
  coldStartRatio: 1.1,
  overheadRatio: 1.05,
  bundleBytes: 25_000,
};

const SECRETS = BENCH_SECRETS;

const median = (values: readonly number[]): number => quantile(values, 0.5);
function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return (sorted[low] ?? 0) + ((sorted[high] ?? 0) - (sorted[low] ?? 0)) * (position - low);
}
const round = (value: number, digits = 2): number => Math.round(value * 10 ** digits) / 10 ** digits;

async function timed(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await action();
  return performance.now() - started;
}

async function main(): Promise<void> {
  const { fake, library, caPath } = await tlsFakeTwilio(SECRETS);
  const moduleLoader = runtimeRequire(library);
  const silent = { log() {}, info() {}, warn() {}, error() {} };
  const hooks: Record<'ours' | 'baseline', CompiledHook> = {
    ours: await compileHook(readFileSync(OURS, 'utf8'), { require: moduleLoader, console: silent }),
    baseline: await compileHook(readFileSync(BASELINE, 'utf8'), { require: moduleLoader, console: silent }),
  };
  const payload = JSON.parse(readFileSync(PAYLOAD, 'utf8')) as unknown;
  const send = async (hook: CompiledHook): Promise<void> => {
    const envelope = await hook.invoke(payload, SECRETS);
    if (envelope.status !== 'success') throw new Error(`a benchmark send failed: ${JSON.stringify(envelope.data.message)}`);
  };
  const order = (block: number): Array<'ours' | 'baseline'> => (block % 2 === 0 ? ['ours', 'baseline'] : ['baseline', 'ours']);

  // Warm both containers: a first send loads twilio and, for ours, builds the cached client.
  for (const name of ['ours', 'baseline'] as const) for (let i = 0; i < 20; i++) await send(hooks[name]);

  process.stderr.write('warm latency…\n');
  const latency = { ours: [] as number[], baseline: [] as number[] };
  const connections = { ours: 0, baseline: 0 };
  for (let block = 0; block < LATENCY_BLOCKS; block++) {
    for (const name of order(block)) {
      const before = fake.connections;
      for (let i = 0; i < BLOCK_SENDS; i++) latency[name].push(await timed(() => send(hooks[name])));
      connections[name] += fake.connections - before;
    }
  }

  process.stderr.write('throughput…\n');
  const throughput = { ours: [] as number[], baseline: [] as number[] };
  for (let round_ = 0; round_ < THROUGHPUT_ROUNDS; round_++) {
    for (const name of order(round_)) {
      const elapsed = await timed(() => runInFlight(THROUGHPUT_INVOCATIONS, IN_FLIGHT, () => send(hooks[name])));
      throughput[name].push(THROUGHPUT_INVOCATIONS / (elapsed / 1000));
    }
  }

  process.stderr.write('overhead against a bare client.messages.create…\n');
  const bareHook = await compileHook(readFileSync(BARE, 'utf8'), { require: moduleLoader, console: silent });
  for (let i = 0; i < 20; i++) await send(bareHook);
  const overhead = { ours: [] as number[], bare: [] as number[] };
  // Alternating send by send: the difference is a few microseconds, so drift must not decide it.
  for (let pair = 0; pair < OVERHEAD_PAIRS; pair++) {
    const sequence = pair % 2 === 0 ? (['ours', 'bare'] as const) : (['bare', 'ours'] as const);
    for (const name of sequence) overhead[name].push(await timed(() => send(name === 'bare' ? bareHook : hooks.ours)));
  }

  process.stderr.write('cold starts…\n');
  const coldScript = join('build', 'tools', 'tools-bench-cold-start.js');
  const coldStart = { ours: [] as number[], baseline: [] as number[] };
  for (let run = 0; run < COLD_STARTS; run++) {
    for (const name of order(run)) {
      // Asynchronous: the fake that answers the child runs in this process.
      const { stdout: output } = await promisify(execFile)(process.execPath, [coldScript, name === 'ours' ? OURS : BASELINE, fake.baseUrl, caPath, PAYLOAD, JSON.stringify(SECRETS)], {
        encoding: 'utf8',
        timeout: 30_000,
      });
      coldStart[name].push(Number(output.trim()));
    }
  }
  await fake.stop();

  const bundleBytes = { ours: statSync(OURS).size, baseline: statSync(BASELINE).size };
  const sends = LATENCY_BLOCKS * BLOCK_SENDS;
  const figures = {
    warmMedianMs: { ours: round(median(latency.ours), 3), baseline: round(median(latency.baseline), 3) },
    warmP95Ms: { ours: round(quantile(latency.ours, 0.95)), baseline: round(quantile(latency.baseline, 0.95)) },
    connectionsPer100Sends: { ours: round((connections.ours / sends) * 100), baseline: round((connections.baseline / sends) * 100) },
    throughputPerSecond: { ours: round(median(throughput.ours), 0), baseline: round(median(throughput.baseline), 0) },
    coldStartMedianMs: { ours: round(median(coldStart.ours), 1), baseline: round(median(coldStart.baseline), 1) },
    bundleBytes,
    overheadMedianMs: { ours: round(median(overhead.ours), 3), bare: round(median(overhead.bare), 3) },
  };
  const ratio = (a: number, b: number): number => round(a / b, 3);
  const ratios = {
    warmMedian: ratio(figures.warmMedianMs.ours, figures.warmMedianMs.baseline),
    warmP95: ratio(figures.warmP95Ms.ours, figures.warmP95Ms.baseline),
    throughput: ratio(figures.throughputPerSecond.ours, figures.throughputPerSecond.baseline),
    coldStart: ratio(figures.coldStartMedianMs.ours, figures.coldStartMedianMs.baseline),
    bundle: ratio(bundleBytes.ours, bundleBytes.baseline),
    overhead: ratio(figures.overheadMedianMs.ours, figures.overheadMedianMs.bare),
  };
  const checks = {
    warmMedian: ratios.warmMedian <= TARGETS.warmMedianRatio,
    connections: figures.connectionsPer100Sends.ours <= TARGETS.connectionsPer100Sends,
    coldStart: ratios.coldStart <= TARGETS.coldStartRatio,
    overhead: ratios.overhead <= TARGETS.overheadRatio,
    bundle: bundleBytes.ours <= TARGETS.bundleBytes,
  };

  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version, twilio: (require('twilio/package.json') as { version: string }).version };
  const rows: Array<[string, string, string, string, string]> = [
    ['warm latency, median', `${figures.warmMedianMs.ours} ms`, `${figures.warmMedianMs.baseline} ms`, `${ratios.warmMedian}`, `≤ ${TARGETS.warmMedianRatio} ${checks.warmMedian ? 'ok' : 'MISSED'}`],
    ['warm latency, p95', `${figures.warmP95Ms.ours} ms`, `${figures.warmP95Ms.baseline} ms`, `${ratios.warmP95}`, ''],
    ['TLS connections per 100 sends', `${figures.connectionsPer100Sends.ours}`, `${figures.connectionsPer100Sends.baseline}`, '', `≤ ${TARGETS.connectionsPer100Sends} ${checks.connections ? 'ok' : 'MISSED'}`],
    [`throughput, ${IN_FLIGHT} in flight`, `${figures.throughputPerSecond.ours}/s`, `${figures.throughputPerSecond.baseline}/s`, `${ratios.throughput}`, ''],
    ['cold start, median', `${figures.coldStartMedianMs.ours} ms`, `${figures.coldStartMedianMs.baseline} ms`, `${ratios.coldStart}`, `≤ ${TARGETS.coldStartRatio} ${checks.coldStart ? 'ok' : 'MISSED'}`],
    ['bundle size', `${bundleBytes.ours} B`, `${bundleBytes.baseline} B`, `${ratios.bundle}`, `≤ ${TARGETS.bundleBytes} B ${checks.bundle ? 'ok' : 'MISSED'}`],
    [
      'overhead vs bare create, median',
      `${figures.overheadMedianMs.ours} ms (+${Math.round((figures.overheadMedianMs.ours - figures.overheadMedianMs.bare) * 1000)} µs)`,
      `${figures.overheadMedianMs.bare} ms (bare)`,
      `${ratios.overhead}`, `≤ ${TARGETS.overheadRatio} ${checks.overhead ? 'ok' : 'MISSED'}`],
  ];
  const header: [string, string, string, string, string] = ['figure', 'ours', 'baseline', 'ours/baseline', 'target'];
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => row[column]?.length ?? 0)));
  const line = (row: readonly string[]) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  console.log(`Benchmark: ${OURS} against ${BASELINE}, fake Twilio over TLS on 127.0.0.1`);
  console.log(`${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}, twilio ${machine.twilio}; ${sends} warm sends per hook in blocks of ${BLOCK_SENDS}, ${COLD_STARTS} cold starts each\n`);
  console.log(line(header));
  for (const row of rows) console.log(line(row));

  mkdirSync(join('tools', 'bench', 'results'), { recursive: true });
  const result = { date: new Date().toISOString(), machine, figures, ratios, targets: TARGETS, checks };
  writeFileSync(join('tools', 'bench', 'results', 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log('\nwritten to tools/bench/results/latest.json');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
