import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { FakeTwilio } from '../fake-twilio/server';
import { twilioCertificate } from '../fake-twilio/tls';
import { compileHook, runtimeRequire, type CompiledHook } from '../runtime/auth0-hook-runtime';

/** Secrets the fake accepts: valid in shape, worthless anywhere else. */
export const BENCH_SECRETS = {
  TWILIO_ACCOUNT_SID: 'ACbe4c0000000000000000000000000001',
  TWILIO_AUTH_TOKEN: 'bench000000000000000000000000001',
  TWILIO_PHONE_NUMBER: '+15005550006',
};
export type BenchSecrets = typeof BENCH_SECRETS;

/**
 * The country check the benchmark has the sender make: ALLOWED_COUNTRIES=US,CA and a New York
 * number, whose country its area code decides (+1 is shared by the US, Canada and the Caribbean).
 */
export const COUNTRY_CHECK = { allowedCountries: 'US,CA', recipient: '+12125550123', country: 'US' } as const;

/** A measurement that could not be made (a send failed, a cold start died): printed, exit code 1. */
export class MeasurementError extends Error {
  override readonly name = 'MeasurementError';
}

/**
 * The fake Twilio over TLS with the certificate of every Twilio host (tools/fake-twilio/tls.ts),
 * trusted through TWILIO_CA_BUNDLE (set here, in this process, before any client reads it;
 * `caPath` is for children). Requests are recorded only when asked (the benchmark copies one
 * form from them). Twilio's hosts are routed to it by the caller (tools/fake-twilio/route.ts).
 */
export async function benchTwilio(options: { recordRequests?: boolean } = {}): Promise<{ fake: FakeTwilio; caPath: string }> {
  const { caPath } = await twilioCertificate();
  process.env.TWILIO_CA_BUNDLE = caPath;
  const fake = await new FakeTwilio({
    accountSid: BENCH_SECRETS.TWILIO_ACCOUNT_SID,
    authToken: BENCH_SECRETS.TWILIO_AUTH_TOKEN,
    recordRequests: options.recordRequests ?? false,
  }).start();
  return { fake, caPath };
}

export interface MeasuredBundles {
  dir: string;
  distIsFresh: boolean;
  /** This project's hook in `dir`, what both the benchmark and the load test measure. */
  hook: string;
}

/**
 * Where the bundles to measure are: dist/ when it was built from the current src/, else the
 * fresh build tools/bench/prepare.js made in build/bench/dist/ (it records which).
 */
export function bundlesToMeasure(): MeasuredBundles {
  const record = join('build', 'bench', 'bundles.json');
  const { dir, distIsFresh } = existsSync(record) ? (JSON.parse(readFileSync(record, 'utf8')) as Omit<MeasuredBundles, 'hook'>) : { dir: 'dist', distIsFresh: true };
  return { dir, distIsFresh, hook: `${dir}/hook/send-phone-message.js` };
}

/** What the benchmark's sections share: the fake, its certificate, the payload, and the form ours posts. */
export interface Bench {
  fake: FakeTwilio;
  /** This project's hook, as bundlesToMeasure found it. */
  ours: string;
  caPath: string;
  payload: unknown;
  /** The path and form ours posts: the bare request sends the same. */
  form: { path: string; form: Record<string, string> };
}

/** One invocation of a compiled hook with the bench's payload and secrets; a failure is a measurement that could not be made. */
export async function send(bench: Bench, hook: CompiledHook): Promise<void> {
  const envelope = await hook.invoke(bench.payload, BENCH_SECRETS);
  if (envelope.status !== 'success') throw new MeasurementError(`a benchmark send failed: ${JSON.stringify(envelope.data.message)}`);
}

/** The baseline: a new Twilio client per call, Auth0's sample pattern. */
export const BASELINE_HOOK = 'tools/bench/baseline-hook.js';

/** A target's verdict, as the tables print it: a missed target is reported, not failed. */
export const verdict = (ok: boolean): string => (ok ? 'ok' : 'MISSED');

/** The payload every hook is invoked with. */
export const BENCH_PAYLOAD = 'samples/sms-second-factor.json';

/** The payload, read afresh at each call: the runtime adds to a payload it is invoked with (context.webtask). */
export function readBenchPayload(): unknown {
  return JSON.parse(readFileSync(BENCH_PAYLOAD, 'utf8')) as unknown;
}

/** The hooks' log lines are not what is measured, and 10,000 of them would bury the results. */
const SILENT = { log() {}, info() {}, warn() {}, error() {} };

/**
 * The hook bundle at `path`, compiled by Auth0's compiler with the plain `twilio`: a new
 * container, with its own module state and connection pool.
 */
export function compileBenchHook(path: string): Promise<CompiledHook> {
  return compileHook(readFileSync(path, 'utf8'), { require: runtimeRequire(require('twilio')), console: SILENT });
}

/** The twilio the hooks load, for the results. */
export function twilioVersion(): string {
  return (require('twilio/package.json') as { version: string }).version;
}

export const round = (value: number, digits = 2): number => Math.round(value * 10 ** digits) / 10 ** digits;

/** The value below which `q` of `values` lie, interpolated between the two nearest. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return (sorted[low] ?? 0) + ((sorted[high] ?? 0) - (sorted[low] ?? 0)) * (position - low);
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);

export const ratio = (a: number, b: number): number => round(a / b, 3);

/**
 * The median of the ratios of runs made one after the other (ours, then the baseline, or the
 * reverse): a cold start takes a few hundred milliseconds, and what else the machine does
 * drifts over seconds, so pairs cancel the drift that separate medians keep.
 */
export const pairedRatio = (ours: readonly number[], other: readonly number[]): number => round(median(ours.map((value, index) => value / (other[index] ?? NaN))), 3);

/** The median of the differences of runs made one after the other, as `pairedRatio`. */
export const pairedDifference = (ours: readonly number[], other: readonly number[], digits = 1): number => round(median(ours.map((value, index) => value - (other[index] ?? NaN))), digits);

/** How long `action` takes, in milliseconds. */
export async function timed(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await action();
  return performance.now() - started;
}

/** Rotates the order of the subjects from one round to the next, so none always goes first. */
export function rotation<T>(subjects: readonly T[], round_: number): T[] {
  const shift = round_ % subjects.length;
  return [...subjects.slice(shift), ...subjects.slice(0, shift)];
}

/** Rows as columns padded to their widest cell, two spaces apart. */
export function table(rows: ReadonlyArray<readonly string[]>): string {
  const widths = (rows[0] ?? []).map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd()).join('\n');
}

/** Runs `task` `total` times with `inFlight` of them running at once at most. */
export async function runInFlight(total: number, inFlight: number, task: () => Promise<void>): Promise<void> {
  let started = 0;
  const worker = async (): Promise<void> => {
    while (started < total) {
      started++;
      await task();
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, total) }, worker));
}
