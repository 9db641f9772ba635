import { execFile, spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { ROOT } from './harness';

/**
 * scripts/run-ts.js, the launcher of `npm run deploy` and of every tool (`npm start` too): it
 * bundles the tool, calls its runCli with the arguments and the io, and exits with the code it
 * resolves to; a throw is a bug, reported without its message; a reader that goes away early
 * changes nothing but where the output goes.
 */

const TOOL = 'test/deploy/fixture-tool.ts';

interface Launched {
  code: number | null;
  stdout: string;
  stderr: string;
}

function launch(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Launched> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['scripts/run-ts.js', TOOL, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

test.concurrent('the tool gets its arguments, the repository, the directory the command was typed in, and exits with its code', async () => {
  const typedIn = tmpdir();
  const result = await launch(['exit', '3'], { INIT_CWD: typedIn });

  expect(result.code).toBe(3);
  expect(JSON.parse(result.stdout)).toEqual({ argv: ['exit', '3'], root: ROOT, cwd: typedIn, colour: false });
  expect(result.stderr).toBe('');
});

test.concurrent('what the tool throws is reported as a bug by its kind and stack frames, never its message', async () => {
  const result = await launch(['throw']);

  expect(result.code).toBe(1);
  expect(result.stderr).toContain(`${TOOL} failed unexpectedly (RangeError); this is a bug, please report it.`);
  expect(result.stderr).toMatch(/^ {4}at /m);
  expect(result.stderr).not.toContain('secret-never-printed-0042');
});

test.concurrent.each([0, 1])(
  'a reader that closes the pipe early (`| head`) leaves the tool to finish quietly, with its own exit code (%i): a deploy is not cut off halfway, a failure still fails',
  async (exitCode) => {
    const child = spawn(process.execPath, ['scripts/run-ts.js', TOOL, 'flood', String(exitCode)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('exit', (exited) => resolve(exited)));

    expect(stderr).toBe('');
    expect(code).toBe(exitCode);
  },
);
