import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

const ROOT = join(__dirname, '..', '..');

/** Builds a fixture into build/ (ignored by git, inside the project so its node_modules resolve) and runs it in its own process. */
function runFixture(name: string) {
  const script = join(ROOT, 'build', 'test', `${name}.js`);
  buildSync({
    entryPoints: [join(ROOT, 'test', 'fixtures', `${name}.ts`)],
    outfile: script,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    logLevel: 'error',
  });
  // A leaked socket or timer keeps the process alive until this kill; a crash shows in the status.
  const child = spawnSync(process.execPath, [script, ROOT], { cwd: ROOT, timeout: 20_000, encoding: 'utf8' });
  expect(child.error).toBeUndefined();
  expect(child.signal).toBeNull();
  expect(child.stderr).toBe('');
  expect(child.status).toBe(0);
  return JSON.parse(child.stdout) as unknown;
}

it('leaves nothing open after 100 simultaneous invocations: the process exits by itself', () => {
  const outcome = runFixture('burst-then-exit') as { requests: number; attemptsLogged: number };
  expect(outcome).toEqual({ successes: 100, requests: outcome.attemptsLogged, attemptsLogged: expect.any(Number), extraAnswers: 0 });
  expect(outcome.requests).toBeGreaterThanOrEqual(100);
}, 30_000);

it('lives on when the callback or the runtime throws: each throw logged once, the next invocation answered', () => {
  expect(runFixture('throwing-callback')).toEqual({
    first: 'success',
    callbacks: 1,
    third: 'success',
    thrownLogs: [
      "twilio-phone-message: the hook's callback threw an exception (TypeError); Auth0 may not have received the answer.",
      "twilio-phone-message: the hook's callback threw an exception (RangeError); Auth0 may not have received the answer.",
    ],
  });
}, 30_000);
