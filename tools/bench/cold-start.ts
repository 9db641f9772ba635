// One cold start, in a fresh process started by tools/bench/bench.ts. For a hook: read and compile
// the bundle with Auth0's compiler, invoke it once, and time from before the compile to the
// first callback (the first invocation loads `twilio` and opens the first TCP + TLS connection).
// For `bare`: one HTTPS POST of the same form on a new connection, timed from before loading
// `https`. Connections to api.twilio.com go to 127.0.0.1:PORT (the fake, or the latency relay)
// by tools/fake-twilio/route.ts, and nothing else is changed: the hook gets the plain `twilio`.
// Prints one JSON line: { totalMs, compileMs, twilioLoadMs }.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { compileHook } from '../runtime/auth0-hook-runtime';
import { bareRequest } from './bare-request';
import type { BenchSecrets } from './harness';
import { routeTwilio } from '../fake-twilio/route';

export interface ColdStartSpec {
  /** A hook bundle, or `bare`. */
  subject: string;
  port: number;
  caPath: string;
  payloadPath: string;
  secrets: BenchSecrets;
  /** For `bare`: the form ours sends, and where. */
  bare?: { path: string; form: Record<string, string> };
}

export interface ColdStartResult {
  totalMs: number;
  compileMs: number;
  twilioLoadMs: number;
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '') as ColdStartSpec;
  // What the measurement pays for must not be loaded yet by this script's own imports.
  const loaded = (process as { moduleLoadList?: readonly string[] }).moduleLoadList ?? [];
  const early = ['tls', 'https', 'http'].filter((name) => loaded.includes(`NativeModule ${name}`));
  if (early.length > 0) throw new Error(`cold-start: ${early.join(', ')} loaded before the measurement`);
  // Trusted by the sender's transport and by twilio's RequestClient alike.
  process.env.TWILIO_CA_BUNDLE = spec.caPath;
  routeTwilio(spec.port);

  if (spec.subject === 'bare') {
    if (spec.bare === undefined) throw new Error('bare needs the form');
    const started = performance.now();
    const { Agent } = require('node:https') as typeof import('node:https');
    const agent = new Agent({ keepAlive: true, ca: readFileSync(spec.caPath) });
    await bareRequest(agent, spec.bare.path, spec.bare.form, spec.secrets);
    const result: ColdStartResult = { totalMs: performance.now() - started, compileMs: 0, twilioLoadMs: 0 };
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exit(0);
  }

  const payload = JSON.parse(readFileSync(spec.payloadPath, 'utf8')) as unknown;
  const silent = { log() {}, info() {}, warn() {}, error() {} };
  let twilio: unknown;
  let twilioLoadMs = 0;
  const runtimeRequire = (id: string): unknown => {
    if (id !== 'twilio') return require(id);
    if (twilio === undefined) {
      const loading = performance.now();
      twilio = require('twilio');
      twilioLoadMs = performance.now() - loading;
    }
    return twilio;
  };

  const started = performance.now();
  const hook = await compileHook(readFileSync(spec.subject, 'utf8'), { require: runtimeRequire, console: silent });
  const compileMs = performance.now() - started;
  const envelope = await hook.invoke(payload, spec.secrets);
  const totalMs = performance.now() - started;
  if (envelope.status !== 'success') throw new Error(`cold start failed: ${JSON.stringify(envelope)}`);
  const result: ColdStartResult = { totalMs, compileMs, twilioLoadMs };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
