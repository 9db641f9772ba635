/**
 * `npm run load`: 10,000 invocations of the built hook, 200 in flight, in one warm container,
 * against the fake Twilio over TLS, every 50th answer a 429 that the hook retries. Checks that
 * each invocation is answered exactly once, that the fake saw exactly the requests the retry
 * policy allows, that connections stay within the keep-alive pool, that memory comes back, and
 * that the process then exits by itself. Prints a table; exits 1 when a check fails.
 *
 * The run happens in a child process (started with --expose-gc) so the parent can see whether
 * it exits on its own: a leaked socket or timer would keep it alive.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { FakeFault } from '../fake-twilio/server';
import { compileHook, runtimeRequire } from '../runtime/auth0-hook-runtime';
import { BENCH_SECRETS, runInFlight, tlsFakeTwilio } from './harness';

const INVOCATIONS = 10_000;
const IN_FLIGHT = 200;
const WARM_UP_INVOCATIONS = 400;
/** One answer in this many is a 429, retried by the hook. */
const RETRIED_EVERY = 50;
/** twilio's RequestClient keeps at most this many sockets per host (its DEFAULT_MAX_SOCKETS). */
const KEEP_ALIVE_POOL = 20;
const MAX_HEAP_GROWTH_MB = 5;
/** How long the child may take to exit after its last answer before it counts as hung. */
const EXIT_GRACE_MS = 5_000;

const SECRETS = BENCH_SECRETS;

interface LoadResult {
  invocations: number;
  successes: number;
  extraAnswers: number;
  requests: number;
  retried429s: number;
  connections: number;
  peakConnections: number;
  heapBeforeMb: number;
  heapAfterMb: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  seconds: number;
  twilioVersion: string;
}

const mb = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc');
  gc();
  gc();
}

async function child(): Promise<void> {
  const { fake, library } = await tlsFakeTwilio(SECRETS);
  let logLines = 0;
  const quiet = { log: () => logLines++, info: () => logLines++, warn: () => logLines++, error: () => logLines++ };
  const hook = await compileHook(readFileSync('dist/hook/send-phone-message.js', 'utf8'), {
    require: runtimeRequire(library),
    console: quiet,
  });
  const payload = JSON.parse(readFileSync('samples/sms-second-factor.json', 'utf8')) as unknown;

  const run = async (count: number): Promise<number> => {
    let successes = 0;
    await runInFlight(count, IN_FLIGHT, async () => {
      const envelope = await hook.invoke(payload, SECRETS);
      if (envelope.status === 'success') successes++;
    });
    return successes;
  };

  await run(WARM_UP_INVOCATIONS);
  fake.reset();
  const retryAnswer: FakeFault = { kind: 'http-status', status: 429 };
  const answer: FakeFault = { kind: 'delay', ms: 0 };
  fake.script(...Array.from({ length: INVOCATIONS }, (_, index) => ((index + 1) % RETRIED_EVERY === 0 ? retryAnswer : answer)));
  collectGarbage();
  const before = process.memoryUsage();
  const started = process.hrtime.bigint();
  const successes = await run(INVOCATIONS);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  collectGarbage();
  const after = process.memoryUsage();

  const result: LoadResult = {
    invocations: INVOCATIONS,
    successes,
    extraAnswers: hook.extraAnswers,
    requests: [...fake.answered.values()].reduce((sum, count) => sum + count, 0),
    retried429s: fake.answered.get(429) ?? 0,
    connections: fake.connections,
    peakConnections: fake.peakConnections,
    heapBeforeMb: mb(before.heapUsed),
    heapAfterMb: mb(after.heapUsed),
    rssBeforeMb: mb(before.rss),
    rssAfterMb: mb(after.rss),
    seconds: Math.round(seconds * 100) / 100,
    twilioVersion: (require('twilio/package.json') as { version: string }).version,
  };
  await fake.stop();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function parent(): void {
  const child = spawn(process.execPath, ['--expose-gc', process.argv[1] ?? '', '--child'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  let answeredAt: number | undefined;
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (output.includes('\n')) answeredAt ??= Date.now();
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 10 * 60_000);
  let hangTimer: NodeJS.Timeout | undefined;
  const hangCheck = setInterval(() => {
    if (answeredAt !== undefined && hangTimer === undefined) hangTimer = setTimeout(() => child.kill('SIGKILL'), EXIT_GRACE_MS);
  }, 50);
  child.on('exit', (code, signal) => {
    clearTimeout(killer);
    clearInterval(hangCheck);
    if (hangTimer !== undefined) clearTimeout(hangTimer);
    const exitedAfterMs = answeredAt === undefined ? undefined : Date.now() - answeredAt;
    if (answeredAt === undefined) {
      console.error(`the load run ended without results (exit ${code}, signal ${signal})`);
      process.exitCode = 1;
      return;
    }
    const result = JSON.parse(output.trim()) as LoadResult;
    const expectedRequests = result.invocations + result.retried429s;
    const heapGrowth = Math.round((result.heapAfterMb - result.heapBeforeMb) * 10) / 10;
    const rows: Array<[string, string, boolean]> = [
      ['answered', `${result.successes} / ${result.invocations} succeeded`, result.successes === result.invocations],
      ['answered more than once', String(result.extraAnswers), result.extraAnswers === 0],
      ['requests the fake saw', `${result.requests} = ${result.invocations} + ${result.retried429s} retries after 429`, result.requests === expectedRequests && result.retried429s > 0],
      ['TLS connections open at once', `at most ${result.peakConnections} (keep-alive pool: ${KEEP_ALIVE_POOL} per host)`, result.peakConnections <= KEEP_ALIVE_POOL],
      ['TLS connections opened', `${result.connections} for ${result.requests} requests (idle sockets past the pool's 5 free are closed)`, result.connections <= result.requests / 100],
      ['heap after GC, before → after', `${result.heapBeforeMb} → ${result.heapAfterMb} MB (${heapGrowth >= 0 ? '+' : ''}${heapGrowth} MB)`, heapGrowth <= MAX_HEAP_GROWTH_MB],
      ['RSS, before → after', `${result.rssBeforeMb} → ${result.rssAfterMb} MB`, true],
      ['wall time', `${result.seconds} s (${Math.round(result.invocations / result.seconds)} invocations/s)`, true],
      ['process exited by itself', signal === null && code === 0 ? `yes, ${exitedAfterMs} ms after its last answer` : `no (exit ${code}, signal ${signal})`, signal === null && code === 0],
    ];
    console.log(`Load: ${result.invocations} invocations, ${IN_FLIGHT} in flight, one warm container`);
    console.log(`dist/hook/send-phone-message.js under auth0-ext-compilers, twilio ${result.twilioVersion} over TLS to the fake on 127.0.0.1\n`);
    const width = Math.max(...rows.map(([label]) => label.length));
    for (const [label, value, ok] of rows) console.log(`${label.padEnd(width)}  ${ok ? 'ok  ' : 'FAIL'}  ${value}`);
    const failures = rows.filter(([, , ok]) => !ok).length;
    console.log(`\nload: ${rows.length - failures} passed, ${failures} failed`);
    process.exitCode = failures === 0 ? 0 : 1;
  });
}

if (process.argv.includes('--child')) {
  child().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
} else {
  parent();
}
