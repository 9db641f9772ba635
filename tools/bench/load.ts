/**
 * `npm run load`: 10,000 invocations of the built hook, 200 in flight, in one warm container,
 * against the fake Twilio over TLS, every 50th answer a 429 that the hook retries. Checks that
 * each invocation is answered exactly once, that the fake saw exactly the requests the retry
 * policy allows (so none timed out and was sent again), that connections are reused, that the
 * idle pool keeps no more than its 20, that memory comes back, and that the process then exits
 * by itself. Prints a table; exits 1 when a check fails.
 *
 * The container runs in a child process (started with --expose-gc), so the parent can see
 * whether it exits on its own: a leaked socket or timer would keep it alive. The fake runs in
 * the parent, as Twilio runs elsewhere: in one process, the fake's side of 200 simultaneous TLS
 * handshakes would queue behind the hook's on one event loop and push sends past their attempt
 * timeout. The hook gets the plain `twilio`; its connections to api.twilio.com are opened to
 * the fake (tools/fake-twilio/route.ts).
 *
 * The transport has no cap on connections: a burst opens up to one per send in flight, and
 * after it the pool keeps at most MAX_IDLE_CONNECTIONS (20) idle ones.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { MAX_IDLE_CONNECTIONS } from '../../src/core/transport';
import type { FakeFault } from '../fake-twilio/server';
import { routeTwilio } from '../fake-twilio/route';
import { BENCH_SECRETS, benchTwilio, bundlesToMeasure, compileBenchHook, readBenchPayload, round, runInFlight, table, twilioVersion } from './harness';

const INVOCATIONS = 10_000;
const IN_FLIGHT = 200;
const WARM_UP_INVOCATIONS = 400;
/** One answer in this many is a 429, retried by the hook. */
const RETRIED_EVERY = 50;
const MAX_HEAP_GROWTH_MB = 5;

const HOOK = bundlesToMeasure().hook;

/** What the child measures in the container. */
interface ContainerResult {
  invocations: number;
  successes: number;
  extraAnswers: number;
  heapBeforeMb: number;
  heapAfterMb: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  seconds: number;
  twilioVersion: string;
}

const mb = (bytes: number): number => round(bytes / 1024 / 1024, 1);

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc');
  gc();
  gc();
}

/** How long after the run the child waits before it reports, so that the pool has settled. */
const SETTLE_MS = 200;
/** How long the child may take to exit after its last answer before it counts as hung. */
const EXIT_GRACE_MS = 5_000;

/**
 * The container, in the child process: warms up, tells the parent, waits for its go, runs,
 * reports, and should exit.
 */
export async function runContainer(port: number, caPath: string): Promise<void> {
  process.env.TWILIO_CA_BUNDLE = caPath;
  routeTwilio(port);
  const hook = await compileBenchHook(HOOK);
  const payload = readBenchPayload();
  const run = async (count: number): Promise<number> => {
    let successes = 0;
    await runInFlight(count, IN_FLIGHT, async () => {
      const envelope = await hook.invoke(payload, BENCH_SECRETS);
      if (envelope.status === 'success') successes++;
    });
    return successes;
  };

  await run(WARM_UP_INVOCATIONS);
  // The parent resets the fake's counters and scripts the 429s, then says go.
  const lines = createInterface({ input: process.stdin });
  process.stdout.write('warm\n');
  await new Promise<void>((resolve) => lines.once('line', () => resolve()));
  lines.close();
  process.stdin.destroy();

  collectGarbage();
  const before = process.memoryUsage();
  const started = process.hrtime.bigint();
  const successes = await run(INVOCATIONS);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  collectGarbage();
  const after = process.memoryUsage();
  const result: ContainerResult = {
    invocations: INVOCATIONS,
    successes,
    extraAnswers: hook.extraAnswers,
    heapBeforeMb: mb(before.heapUsed),
    heapAfterMb: mb(after.heapUsed),
    rssBeforeMb: mb(before.rss),
    rssAfterMb: mb(after.rss),
    seconds: round(seconds, 2),
    twilioVersion: twilioVersion(),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** Runs the load test; resolves to 0 when every check passed, else 1. */
export async function runCli(): Promise<number> {
  const { fake, caPath } = await benchTwilio();
  // This very bundle, loaded in the child to run its container (a rejection there exits it with 1).
  const runInChild = `require(${JSON.stringify(__filename)}).runContainer(${fake.port}, ${JSON.stringify(caPath)})`;
  const container = spawn(process.execPath, ['--expose-gc', '-e', runInChild], { stdio: ['pipe', 'pipe', 'inherit'] });
  let result: ContainerResult | undefined;
  let answeredAt: number | undefined;
  let atAnswer = { requests: 0, retried429s: 0, connections: 0, peakConnections: 0, openConnections: 0 };
  createInterface({ input: container.stdout }).on('line', (line) => {
    if (line === 'warm') {
      fake.reset();
      const retryAnswer: FakeFault = { kind: 'http-status', status: 429 };
      const answer: FakeFault = { kind: 'delay', ms: 0 };
      fake.script(...Array.from({ length: INVOCATIONS }, (_, index) => ((index + 1) % RETRIED_EVERY === 0 ? retryAnswer : answer)));
      container.stdin.end('go\n');
      return;
    }
    answeredAt = Date.now();
    result = JSON.parse(line) as ContainerResult;
    atAnswer = {
      requests: [...fake.answered.values()].reduce((sum, count) => sum + count, 0),
      retried429s: fake.answered.get(429) ?? 0,
      connections: fake.connections,
      peakConnections: fake.peakConnections,
      // The child waited SETTLE_MS after its last answer: what is still open is its idle pool.
      openConnections: fake.openConnections(),
    };
  });
  const killer = setTimeout(() => container.kill('SIGKILL'), 10 * 60_000);
  let hangTimer: NodeJS.Timeout | undefined;
  const hangCheck = setInterval(() => {
    if (answeredAt !== undefined && hangTimer === undefined) hangTimer = setTimeout(() => container.kill('SIGKILL'), EXIT_GRACE_MS);
  }, 50);
  const [code, signal] = (await new Promise((resolve) => container.on('exit', (...args) => resolve(args)))) as [number | null, NodeJS.Signals | null];
  clearTimeout(killer);
  clearInterval(hangCheck);
  if (hangTimer !== undefined) clearTimeout(hangTimer);
  await fake.stop();

  if (result === undefined || answeredAt === undefined) {
    console.error(`the load run ended without results (exit ${code}, signal ${signal})`);
    return 1;
  }
  const exitedAfterMs = Date.now() - answeredAt;
  const expectedRequests = result.invocations + atAnswer.retried429s;
  const heapGrowth = round(result.heapAfterMb - result.heapBeforeMb, 1);
  const exited = signal === null && code === 0;
  const rows: Array<[string, string, boolean]> = [
    ['answered', `${result.successes} / ${result.invocations} succeeded`, result.successes === result.invocations],
    ['answered more than once', String(result.extraAnswers), result.extraAnswers === 0],
    [
      'requests the fake saw',
      `${atAnswer.requests} (${result.invocations} + ${atAnswer.retried429s} retries after 429 = ${expectedRequests})`,
      atAnswer.requests === expectedRequests && atAnswer.retried429s > 0,
    ],
    ['TLS connections open at once', `at most ${atAnswer.peakConnections} (no cap: up to one per send in flight, ${IN_FLIGHT})`, atAnswer.peakConnections <= IN_FLIGHT],
    [
      'TLS connections used',
      `${atAnswer.connections} for ${atAnswer.requests} requests (the ${MAX_IDLE_CONNECTIONS} kept from the warm-up, and new ones)`,
      atAnswer.connections <= IN_FLIGHT + MAX_IDLE_CONNECTIONS,
    ],
    ['idle connections kept after the run', `${atAnswer.openConnections} (idle pool: at most ${MAX_IDLE_CONNECTIONS})`, atAnswer.openConnections <= MAX_IDLE_CONNECTIONS],
    ['heap after GC, before → after', `${result.heapBeforeMb} → ${result.heapAfterMb} MB (${heapGrowth >= 0 ? '+' : ''}${heapGrowth} MB)`, heapGrowth <= MAX_HEAP_GROWTH_MB],
    ['RSS, before → after', `${result.rssBeforeMb} → ${result.rssAfterMb} MB`, true],
    ['wall time', `${result.seconds} s (${Math.round(result.invocations / result.seconds)} invocations/s)`, true],
    ['process exited by itself', exited ? `yes, ${exitedAfterMs} ms after its report` : `no (exit ${code}, signal ${signal})`, exited],
  ];
  console.log(`Load: ${result.invocations} invocations, ${IN_FLIGHT} in flight, one warm container (a child process)`);
  console.log(`${HOOK} under auth0-ext-compilers, twilio ${result.twilioVersion} over TLS to the fake in the parent process\n`);
  console.log(table(rows.map(([label, value, ok]) => [label, ok ? 'ok' : 'FAIL', value])));
  const failures = rows.filter(([, , ok]) => !ok).length;
  console.log(`\nload: ${rows.length - failures} passed, ${failures} failed`);
  return failures === 0 ? 0 : 1;
}
