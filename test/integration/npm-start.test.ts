import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../tools/runner/cli';
import { CODE, SECRETS } from '../fixtures/values';

const ROOT = join(__dirname, '..', '..');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: readonly string[], cwd = ROOT): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, [...args], { cwd, encoding: 'utf8', timeout: 90_000, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      resolve({ status: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr });
    });
  });
}

/**
 * The runner itself, in this process, as `npm start -- …` runs it once dist/ is built: most cases
 * need no process of their own. `npm start` proper is spawned once, below.
 */
async function start(...args: string[]): Promise<Run> {
  let stdout = '';
  const status = await runCli(args, { write: (text) => (stdout += text), colour: false });
  return { status, stdout, stderr: '' };
}

/** A copy of the project sharing its node_modules, to edit without touching the real one. */
function scratchCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'npm-start-'));
  for (const entry of ['src', 'tools', 'scripts', 'dist', 'samples', 'package.json', 'tsconfig.json', 'tsconfig.build.json']) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

const runs: Record<string, Run> = {};
const scratch = scratchCopy();
beforeAll(async () => {
  const commands: Record<string, () => Promise<Run>> = {
    npmStart: () => run('npm', ['start', '--silent']),
    voice: () => start('samples/voice-second-factor.json'),
    fail21211: () => start('--fail', '21211'),
    failGateway: () => start('--fail', 'gateway'),
    fail200: () => start('--fail', '200'),
    wrongKind: () => start('samples/action-custom-phone-provider.json'),
    wrongKindForAction: () => start('--action', 'send-phone-message', 'samples/sms-enrollment.json'),
    live: () => start('--live', '--secrets', '.env.example'),
    help: () => start('--help'),
    sendPhoneMessage: () => start('--action', 'send-phone-message'),
    customPhoneProvider: () => start('--action', 'custom-phone-provider', '--fail', '21610'),
    unknownAction: () => start('--action', 'post-login'),
    scratch: async () => {
      // A fresh clone writes files in any order: a newer src/ file alone must not trigger a rebuild.
      const future = new Date(Date.now() + 60_000);
      utimesSync(join(scratch, 'src', 'customize.ts'), future, future);
      const unchanged = await run(process.execPath, ['scripts/start.js'], scratch);
      // An edited customization that does not compile: the build fails as tsc reports it (here a
      // stand-in that prints what tsc would), and npm start says what to do, without a stack trace.
      writeFileSync(join(scratch, 'src', 'customize.ts'), 'export function customizeMessage(message: { text: string }): number {\n  return message.text;\n}\n');
      const packageJson = JSON.parse(readFileSync(join(scratch, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
      packageJson.scripts.build = `node -e "console.error('src/customize.ts(2,3): error TS2322: Type \\'string\\' is not assignable to type \\'number\\'.'); process.exit(2)"`;
      writeFileSync(join(scratch, 'package.json'), JSON.stringify(packageJson));
      runs.scratchBroken = await run(process.execPath, ['scripts/start.js'], scratch);
      return unchanged;
    },
  };
  const results = await Promise.all(Object.entries(commands).map(async ([name, command]) => [name, await command()] as const));
  for (const [name, result] of results) runs[name] = result;
}, 120_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const ran = (name: string): Run => {
  const result = runs[name];
  if (result === undefined) throw new Error(`${name} did not run`);
  return result;
};

describe('npm start', () => {
  it('runs the SMS enrollment sample against the fake and shows the envelope, the log and the request', () => {
    const { status, stdout } = ran('npmStart');
    expect(status).toBe(0);
    expect(stdout).toContain('Send Phone Message hook');
    expect(stdout).toMatch(/"status": "success"/);
    expect(stdout).toMatch(/twilio-phone-message: sent sms to \+1555\*\*\*5310 via messaging sid=SM[0-9a-f]{32} attempts=1 ms=\d+/);
    expect(stdout).toMatch(/POST \/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/Messages\.json -> 201/);
    // The wording is the adopter's (src/customize.ts, built into dist/): only the code is certain.
    expect(stdout).toMatch(new RegExp(`^ *Body: [^\\n]*${CODE}`, 'm'));
    expect(stdout).toMatch(/Authorization: Basic AC[0-9a-f]{32}:\*\*\*/);
    // Plain text when the output is not a terminal.
    expect(stdout).not.toContain('\u001b[');
  });

  it('runs a voice payload and shows the TwiML Twilio received', () => {
    const { status, stdout } = ran('voice');
    expect(status).toBe(0);
    expect(stdout).toContain('Calls.json -> 201');
    // Whatever the adopter's wording, the code is read digit by digit, twice, in the user's language.
    expect(stdout).toMatch(/<Say language="fr-FR">[^<]*9, 1, 8, 2, 7, 3[^<]*<\/Say><Pause length="1"\/><Say language="fr-FR">[^<]*9, 1, 8, 2, 7, 3[^<]*<\/Say>/);
  });

  it('shows how a Twilio error looks with --fail 21211 and exits with 1', () => {
    const { status, stdout } = ran('fail21211');
    expect(status).toBe(1);
    expect(stdout).toMatch(/"status": "error"/);
    expect(stdout).toContain('error 21211 (HTTP 400)');
    expect(stdout).toContain('Messages.json -> 400');
    expect(stdout).not.toContain(SECRETS.TWILIO_AUTH_TOKEN);
  });

  it('shows the retries of a gateway page with --fail gateway', () => {
    const { status, stdout } = ran('failGateway');
    expect(status).toBe(1);
    expect(stdout).toContain('Twilio received 4 requests');
    expect(stdout).toContain('"transient": true');
  });

  it('refuses --fail with a status that is not an error', () => {
    const { status, stdout } = ran('fail200');
    expect(status).toBe(2);
    expect(stdout).toContain('--fail takes a Twilio error code (21211), an HTTP error status (400 to 599), or one of hang, stall, trickle, reset, malformed, gateway; got "200".');
  });

  it('says which option runs a payload of another kind', () => {
    expect(ran('wrongKind')).toMatchObject({
      status: 2,
      stdout: expect.stringContaining('samples/action-custom-phone-provider.json is a Custom Phone Provider action event (notification), not a hook payload (recipient, text, context): run it with --action custom-phone-provider.'),
    });
    expect(ran('wrongKindForAction')).toMatchObject({ status: 2, stdout: expect.stringContaining('run it without --action (or with --action hook)') });
  });

  it('refuses --live without credentials, before sending anything', () => {
    const { status, stdout } = ran('live');
    expect(status).toBe(2);
    expect(stdout).toContain('TWILIO_ACCOUNT_SID in .env.example is still the example placeholder');
    expect(stdout).not.toContain('Response');
  });

  it('lists its options with --help', () => {
    const { status, stdout } = ran('help');
    expect(status).toBe(0);
    for (const option of ['--secrets FILE', '--live', '--fail FAULT', '--action NAME', 'hook, send-phone-message, custom-phone-provider']) expect(stdout).toContain(option);
  });

  it('does not rebuild a fresh clone whose files are in any order, and reports a broken customization without a stack trace', () => {
    const unchanged = ran('scratch');
    expect(unchanged.status).toBe(0);
    expect(unchanged.stderr).not.toContain('rebuilding');
    const broken = ran('scratchBroken');
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain('src/ has changed since dist/ was built: rebuilding (npm run build)');
    expect(`${broken.stdout}${broken.stderr}`).toContain("src/customize.ts(2,3): error TS2322: Type 'string' is not assignable to type 'number'.");
    expect(broken.stderr).toContain('The build failed (see above): fix what it names, such as a type error in src/customize.ts, then run npm start again.');
    expect(broken.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('npm start --action', () => {
  it('runs the Send Phone Message action sample', () => {
    const { status, stdout } = ran('sendPhoneMessage');
    expect(status).toBe(0);
    expect(stdout).toContain('Send Phone Message action');
    expect(stdout).toMatch(/"outcome": "completed"/);
    expect(stdout).toContain('Messages.json -> 201');
  });

  it('shows the drop and its reason for a Custom Phone Provider failure', () => {
    const { status, stdout } = ran('customPhoneProvider');
    expect(status).toBe(1);
    expect(stdout).toMatch(/"outcome": "drop"/);
    expect(stdout).toMatch(/"reason": "Twilio answered error 21610/);
  });

  it('refuses an unknown action', () => {
    const { status, stdout } = ran('unknownAction');
    expect(status).toBe(2);
    expect(stdout).toContain('Unknown --action "post-login"');
  });
});
