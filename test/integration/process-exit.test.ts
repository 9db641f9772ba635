import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

const ROOT = join(__dirname, '..', '..');

it('leaves nothing open after 100 simultaneous invocations: the process exits by itself', () => {
  // Inside the project (build/ is ignored by git) so that its node_modules resolve.
  const script = join(ROOT, 'build', 'test', 'burst-then-exit.js');
  buildSync({
    entryPoints: [join(ROOT, 'test', 'fixtures', 'burst-then-exit.ts')],
    outfile: script,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    logLevel: 'error',
  });
  // A leaked socket or timer keeps the process alive until this kill.
  const child = spawnSync(process.execPath, [script, ROOT], { cwd: ROOT, timeout: 20_000, encoding: 'utf8' });
  expect(child.error).toBeUndefined();
  expect(child.signal).toBeNull();
  expect(child.stderr).toBe('');
  expect(child.status).toBe(0);
  expect(JSON.parse(child.stdout)).toEqual({ successes: 100, requests: 100, extraAnswers: 0 });
}, 30_000);
