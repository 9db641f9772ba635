// One cold start, in a fresh process started by tools/bench/cold-series.ts. Prints one JSON line.
//
// - `hook`: read and compile the bundle with Auth0's compiler, invoke it once, and time from
//   before the compile to the answer; the first invocation loads `twilio` (and libphonenumber-js
//   when a secret lists countries) and opens the first TCP + TLS connection. Each optional module's
//   load is timed where the runtime hands it over, and the first send's connect and request are
//   watched at the network (tools/bench/first-send-watch.ts): a ColdStartResult.
// - `bare`: one HTTPS POST of the same form on a new connection, timed from before loading `https`.
// - `module`: load one module (libphonenumber-js/min or /max) and ask it what the sender asks (is
//   the country one, which country a number belongs to): a ModuleLoadResult.
//
// Connections to api.twilio.com go to 127.0.0.1:PORT (the fake, or the latency relay) by
// tools/fake-twilio/route.ts, and nothing else is changed: the hook gets the plain `twilio`.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { compileHook } from '../runtime/auth0-hook-runtime';
import { bareRequest } from './bare-request';
import { FirstSendWatch, type ConnectTimes, type Span } from './first-send-watch';
import { routeTwilio } from '../fake-twilio/route';

interface Network {
  port: number;
  caPath: string;
  secrets: Record<string, string> & { TWILIO_ACCOUNT_SID: string; TWILIO_AUTH_TOKEN: string };
}

/**
 * How the runtime invokes the hook once compiled: as the continuation of the compile's promise
 * (`continuation`: what the hook queues for the next tick, such as a connect to an IP address or
 * the request of a DNS lookup, waits until every promise job queued meanwhile has run), or from an
 * event of its own (`event`, a macrotask, as an HTTP request's callback would: the next tick's work
 * runs before those promise jobs).
 */
export type Invocation = 'continuation' | 'event';

export type ColdStartSpec =
  | ({ kind: 'hook'; bundle: string; payload: unknown; invocation: Invocation } & Network)
  /** The form ours sends, and where. */
  | ({ kind: 'bare'; path: string; form: Record<string, string> } & Network)
  | { kind: 'module'; id: string; number: string; country: string };

export interface ColdStartResult {
  totalMs: number;
  /** Auth0's compiler and the bundle's own initialization; null for `bare`. */
  compile: Span | null;
  /** The first load of each optional module the hook required (`twilio`, `libphonenumber-js/max`), by id. */
  modules: Record<string, Span>;
  /** The first request's connection: its connect call, TCP connect and the TLS handshake's end. */
  connect: ConnectTimes | null;
  /** The first request, from when it could leave (written, connection secure) to the end of its answer. */
  request: Span | null;
}

export interface ModuleLoadResult {
  /** `require(id)`. */
  loadMs: number;
  /** The first answers: whether the country is known, and which country the number belongs to. */
  firstAnswerMs: number;
}

/** The modules whose load is timed: the declared dependencies, not Node's built-ins. */
const OPTIONAL_MODULE = /^(twilio|libphonenumber-js)(\/|$)/;

const print = (result: ColdStartResult | ModuleLoadResult): never => {
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
};

function loadModule(spec: Extract<ColdStartSpec, { kind: 'module' }>): never {
  const started = performance.now();
  const library = require(spec.id) as { isSupportedCountry(code: string): boolean; parsePhoneNumberFromString(text: string): { country?: string } | undefined };
  const loaded = performance.now();
  const country = library.isSupportedCountry(spec.country) ? library.parsePhoneNumberFromString(spec.number)?.country : undefined;
  const answered = performance.now();
  if (country !== spec.country) throw new Error(`${spec.id} placed ${spec.number} in ${country ?? 'no country'}, not ${spec.country}`);
  return print({ loadMs: loaded - started, firstAnswerMs: answered - loaded });
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '') as ColdStartSpec;
  if (spec.kind === 'module') return loadModule(spec);
  // What the measurement pays for must not be loaded yet by this script's own imports.
  const loaded = (process as { moduleLoadList?: readonly string[] }).moduleLoadList ?? [];
  const early = ['tls', 'https', 'http'].filter((name) => loaded.includes(`NativeModule ${name}`));
  if (early.length > 0) throw new Error(`cold-start: ${early.join(', ')} loaded before the measurement`);
  // Trusted by the sender's transport and by twilio's RequestClient alike.
  process.env.TWILIO_CA_BUNDLE = spec.caPath;
  routeTwilio(spec.port);
  const watch = new FirstSendWatch().install();
  const network = (started: number) => ({ connect: watch.connect(started), request: watch.request(started) });

  if (spec.kind === 'bare') {
    const started = performance.now();
    const { Agent } = require('node:https') as typeof import('node:https');
    const agent = new Agent({ keepAlive: true, ca: readFileSync(spec.caPath) });
    await bareRequest(agent, spec.path, spec.form, spec.secrets);
    return print({ totalMs: performance.now() - started, compile: null, modules: {}, ...network(started) });
  }

  const silent = { log() {}, info() {}, warn() {}, error() {} };
  const modules: Record<string, Span> = {};
  let started = 0;
  const runtimeRequire = (id: string): unknown => {
    if (!OPTIONAL_MODULE.test(id) || id in modules) return require(id);
    const loading = performance.now();
    const module = require(id) as unknown;
    modules[id] = [loading - started, performance.now() - started];
    return module;
  };

  started = performance.now();
  const hook = await compileHook(readFileSync(spec.bundle, 'utf8'), { require: runtimeRequire, console: silent });
  const compiled = performance.now();
  const invoke = () => hook.invoke(spec.payload, spec.secrets);
  const envelope = await (spec.invocation === 'event' ? new Promise<Awaited<ReturnType<typeof invoke>>>((resolve, reject) => setImmediate(() => invoke().then(resolve, reject))) : invoke());
  const totalMs = performance.now() - started;
  if (envelope.status !== 'success') throw new Error(`cold start failed: ${JSON.stringify(envelope)}`);
  return print({ totalMs, compile: [0, compiled - started], modules, ...network(started) });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
