import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * `npm run check` is the launcher running tools/check/cli.ts: the script says so, and a run with
 * a file that does not exist ends there, with exit code 2, before any request (a run that reaches
 * Twilio is the business of the tests that point the library at the fake).
 */

const ROOT = path.resolve(__dirname, '../..');
const COMMAND = 'node scripts/run-ts.js tools/check/cli.ts';

test('the npm script is the launcher with the check', () => {
  const { scripts } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  expect(scripts.check).toBe(COMMAND);
});

test('run as npm runs it, from the directory the command was typed in: a missing secrets file is wrong usage, exit 2', async () => {
  const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [...COMMAND.split(' ').slice(1), '--secrets', 'nowhere.env'], { cwd: ROOT, env: { ...process.env, INIT_CWD: tmpdir(), NO_COLOR: '1' }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
  expect(result).toEqual({ code: 2, stdout: '', stderr: 'The secrets file nowhere.env does not exist: copy .env.example to nowhere.env and fill in the Twilio secrets, or pass --secrets with the file that holds them.\n' });
});

