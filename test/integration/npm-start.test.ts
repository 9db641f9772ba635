import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli as runCheck } from '../../tools/check/cli';
import { runCli as runDeploy } from '../../tools/deploy/cli';
import { runCli, USAGE } from '../../tools/runner/cli';
import { readSample } from '../../tools/runner/sample';
import { DEMO_SECRETS, loadSecrets } from '../../tools/runner/secrets';
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
 * need no process of their own. `npm start` proper is spawned once, below. A run routes Twilio's
 * host names to its fake for the whole process, so the runs in this process go one at a time.
 */
async function start(...args: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const status = await runCli(args, { write: (text) => (stdout += text), writeError: (text) => (stderr += text), colour: false });
  return { status, stdout, stderr };
}

/** A copy of the project sharing its node_modules, to edit without touching the real one. */
function scratchCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'npm-start-'));
  for (const entry of ['src', 'tools', 'scripts', 'dist', 'samples', 'package.json', 'tsconfig.json', 'tsconfig.build.json']) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

/** What a sample sends: its recipient in E.164 and its one-time code, read from the file. */
function sampleValues(path: string): { recipient: string; code: string } {
  const payload = JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as { recipient?: string; context?: { code?: string }; notification?: { recipient: string; code: string } };
  const recipient = payload.notification?.recipient ?? payload.recipient ?? '';
  return { recipient: recipient.replace(/\s/g, ''), code: payload.notification?.code ?? payload.context?.code ?? '' };
}

interface ShownRequest {
  /** `POST Messages.json -> 201 status=queued`, `GET Messages/{sid} -> 200 status=failed error_code=63003`: the resource, not the account. */
  line: string;
  sid: string | undefined;
  form: Record<string, string>;
}

/** What the runner showed: the answer (parsed), the log lines and the requests Twilio received. */
function shown(stdout: string): { result: { status?: string; data?: Record<string, unknown> }; logs: string[]; requests: ShownRequest[] } {
  // The answer's JSON ends at its closing brace, alone on its line; a note may follow it.
  const result = /\n(?:Response|Action result)\n(\{[\s\S]*?\n\})\n/.exec(stdout)?.[1];
  const logs = /\nLogs\n([\s\S]*?)\n\n/.exec(stdout)?.[1]?.split('\n') ?? [];
  const requests: ShownRequest[] = [];
  for (const line of stdout.slice(stdout.indexOf('\nTwilio received')).split('\n').slice(2)) {
    const request = /^(GET|POST) \/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/(Messages\.json|Messages\/(SM[0-9a-f]{32})\.json) -> (.*)$/.exec(line);
    if (request) requests.push({ line: `${request[1]} ${request[3] ? 'Messages/{sid}' : request[2]} -> ${request[4]}`, sid: request[3], form: {} });
    const field = /^ {2}(\w+): (.*)$/.exec(line);
    if (field?.[1] !== undefined && field[1] !== 'Authorization') (requests.at(-1) ?? { form: {} as Record<string, string> }).form[field[1]] = field[2] ?? '';
  }
  return { result: result === undefined ? {} : (JSON.parse(result) as { status?: string }), logs, requests };
}

const WHATSAPP_CODE = sampleValues('samples/whatsapp-code.json');
const WHATSAPP_FALLBACK = sampleValues('samples/whatsapp-fallback.json');
const WHATSAPP_ACTION = sampleValues('samples/action-custom-phone-provider-whatsapp.json');

const runs: Record<string, Run> = {};
const scratch = scratchCopy();
/** The test account's own secrets, without WhatsApp, as a user's .env would be. */
const OWN_SECRETS = join(scratch, 'own.env');
writeFileSync(OWN_SECRETS, Object.entries(SECRETS).map(([name, value]) => `${name}=${value}\n`).join(''));
/** A sample whose fake section names a number that is not E.164. */
const BAD_FAKE = join(scratch, 'bad-fake.json');
writeFileSync(BAD_FAKE, JSON.stringify({ ...JSON.parse(readFileSync(join(ROOT, 'samples', 'whatsapp-code.json'), 'utf8')), fake: { onWhatsApp: { '11 98765 4321': {} } } }));
/** The SMS enrollment sample with a recipient of 4 digits, which the sender refuses. */
const BAD_NUMBER = join(scratch, 'bad-number.json');
writeFileSync(BAD_NUMBER, JSON.stringify({ ...JSON.parse(readFileSync(join(ROOT, 'samples', 'sms-enrollment.json'), 'utf8')), recipient: '+1555' }));
/** The SMS enrollment sample without its recipient, which Auth0's compiler refuses. */
const NO_RECIPIENT = join(scratch, 'no-recipient.json');
const { recipient: _recipient, ...withoutRecipient } = JSON.parse(readFileSync(join(ROOT, 'samples', 'sms-enrollment.json'), 'utf8')) as Record<string, unknown>;
writeFileSync(NO_RECIPIENT, JSON.stringify(withoutRecipient));
beforeAll(async () => {
  const commands: Record<string, () => Promise<Run>> = {
    unknownOption: () => start('--bogus'),
    badNumber: () => start(BAD_NUMBER),
    badNumberWithStack: () => start('--stack', BAD_NUMBER),
    noRecipient: () => start(NO_RECIPIENT),
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
    whatsappCode: () => start('samples/whatsapp-code.json'),
    whatsappFallback: () => start('samples/whatsapp-fallback.json'),
    whatsappAction: () => start('--action', 'custom-phone-provider', 'samples/action-custom-phone-provider-whatsapp.json'),
    whatsappOwnSecrets: () => start('--secrets', OWN_SECRETS, 'samples/whatsapp-code.json'),
    badFake: () => start(BAD_FAKE),
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
  // The commands that spawn processes run side by side, and beside those of this process, which run in turn.
  const spawning = new Set(['npmStart', 'scratch']);
  const record = async ([name, command]: [string, () => Promise<Run>]): Promise<void> => {
    runs[name] = await command();
  };
  const inTurn = async (): Promise<void> => {
    for (const entry of Object.entries(commands).filter(([name]) => !spawning.has(name))) await record(entry);
  };
  await Promise.all([inTurn(), ...Object.entries(commands).filter(([name]) => spawning.has(name)).map(record)]);
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
    const { status, stderr } = ran('fail200');
    expect(status).toBe(2);
    expect(stderr).toContain('--fail takes a Twilio error code (21211), an HTTP error status (400 to 599), or one of hang, stall, trickle, reset, malformed, gateway; got "200".');
  });

  it('says which option runs a payload of another kind', () => {
    expect(ran('wrongKind')).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('samples/action-custom-phone-provider.json is a Custom Phone Provider action event (notification), not a hook payload (recipient, text, context): run it with --action custom-phone-provider.'),
    });
    expect(ran('wrongKindForAction')).toMatchObject({ status: 2, stderr: expect.stringContaining('run it without --action (or with --action hook)') });
  });

  it('refuses --live without credentials, before sending anything', () => {
    const { status, stdout, stderr } = ran('live');
    expect(status).toBe(2);
    expect(stderr).toContain('TWILIO_ACCOUNT_SID in .env.example is still the example placeholder');
    expect(stdout).not.toContain('Response');
  });

  it('lists its options with --help', () => {
    const { status, stdout } = ran('help');
    expect(status).toBe(0);
    for (const option of ['--secrets FILE', '--live', '--fail FAULT', '--action NAME', 'hook, send-phone-message, custom-phone-provider']) expect(stdout).toContain(option);
  });

  it('names every sample in --help', () => {
    const { stdout } = ran('help');
    const samples = readdirSync(join(ROOT, 'samples')).filter((name) => name.endsWith('.json'));
    expect(samples).toContain('whatsapp-code.json');
    for (const sample of samples) expect(stdout).toMatch(new RegExp(`(^|[\\s,])${sample.replace(/\./g, '\\.')}`));
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

describe('npm start with wrong usage, and with the errors a local run expects', () => {
  it('refuses an unknown option as npm run check and npm run deploy do: the option named, then the usage, on stderr, exit 2', async () => {
    const { status, stdout, stderr } = ran('unknownOption');
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`Unknown option '--bogus'\n\n${USAGE}\n`);
    // Node's advice for a positional that starts with a dash, '-- "--bogus"', fits no npm script.
    expect(stderr).not.toContain('"--bogus"');
    const firstLines: string[] = [];
    const sink = { write: () => undefined, writeError: (text: string) => firstLines.push(text.split('\n\n')[0] ?? ''), colour: false, cwd: ROOT, root: ROOT };
    expect(await runCheck(['--bogus'], sink)).toBe(2);
    expect(await runDeploy(['--bogus'], sink)).toBe(2);
    expect(firstLines).toEqual(["Unknown option '--bogus'", "Unknown option '--bogus'"]);
  });

  it("shows a bad number's error envelope as Auth0 answers it, every field kept, its stack without this machine's frames", () => {
    const { status, stdout } = ran('badNumber');
    expect(status).toBe(1);
    const { result } = shown(stdout);
    const message = 'The recipient phone number (***) has 4 digits; E.164 numbers have 8 to 15, country code included.';
    expect(result).toEqual({
      status: 'error',
      data: { stack: `SendPhoneMessageError: ${message}`, message, name: 'SendPhoneMessageError', friendlyMessage: expect.any(String), transient: false },
    });
    expect(stdout).toMatch(new RegExp(`^\\(its stack's \\d+ frames, places on this machine rather than in Auth0's runtime, are left out: npm start -- --stack ${BAD_NUMBER.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} shows them\\)$`, 'm'));
    expect(stdout).not.toMatch(/^\s+at /m);
    expect(stdout).not.toContain('build/tools/');
  });

  it('shows the whole stack with --stack', () => {
    const { status, stdout } = ran('badNumberWithStack');
    expect(status).toBe(1);
    const stack = String(shown(stdout).result.data?.stack);
    expect(stack.split('\n')[0]).toBe('SendPhoneMessageError: The recipient phone number (***) has 4 digits; E.164 numbers have 8 to 15, country code included.');
    expect(stack).toMatch(/\n\s+at /);
    expect(stdout).not.toContain('are left out');
  });

  it("shows the compiler's refusal of a payload without its recipient as Auth0 answers it, without the frames", () => {
    const { status, stdout } = ran('noRecipient');
    expect(status).toBe(1);
    const message = 'Body.recipient received by extensibility point is not a string';
    expect(shown(stdout).result).toEqual({ status: 'error', data: { stack: `Error: ${message}`, message } });
    expect(stdout).not.toContain('node_modules');
    expect(stdout).toContain('Twilio received 0 requests');
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
    const { status, stderr } = ran('unknownAction');
    expect(status).toBe(2);
    expect(stderr).toContain('Unknown --action "post-login"');
  });
});

describe('npm start on WhatsApp', () => {
  it('delivers on WhatsApp to a recipient who is on it: one template message, its status read until delivered', () => {
    const { status, stdout } = ran('whatsappCode');
    expect(status).toBe(0);
    expect(stdout).toContain(`whatsapp: WHATSAPP_COUNTRIES=BR,IN; on WhatsApp: ${WHATSAPP_CODE.recipient} (reads show sent, delivered)`);
    const { result, logs, requests } = shown(stdout);
    expect(result).toEqual({ status: 'success', data: { api: 'messaging', channel: 'whatsapp', sid: expect.stringMatching(/^SM[0-9a-f]{32}$/) } });
    expect(requests.map((request) => request.line)).toEqual(['POST Messages.json -> 201 status=queued', 'GET Messages/{sid} -> 200 status=sent', 'GET Messages/{sid} -> 200 status=delivered']);
    const [create, ...reads] = requests;
    expect(create?.form).toMatchObject({
      To: `whatsapp:${WHATSAPP_CODE.recipient}`,
      From: `whatsapp:${DEMO_SECRETS.TWILIO_WHATSAPP_FROM}`,
      ContentSid: DEMO_SECRETS.TWILIO_WHATSAPP_CONTENT_SID,
    });
    expect(JSON.parse(create?.form.ContentVariables ?? '{}')).toEqual({ 1: WHATSAPP_CODE.code });
    expect(create?.form).not.toHaveProperty('Body');
    // The reads are of the message the answer names.
    for (const read of reads) expect(read.sid).toBe(result.data?.sid);
    expect(logs).toEqual([expect.stringMatching(/^twilio-phone-message: sent whatsapp to \+5511\*\*\*4321 via messaging sid=SM[0-9a-f]{32} attempts=1 ms=\d+$/)]);
  });

  it('falls back to SMS for a recipient who is not on WhatsApp: the read shows failed 63003, then the SMS', () => {
    const { status, stdout } = ran('whatsappFallback');
    expect(status).toBe(0);
    expect(stdout).toContain('on WhatsApp: nobody');
    const { result, logs, requests } = shown(stdout);
    expect(result).toEqual({ status: 'success', data: { api: 'messaging', channel: 'sms', sid: expect.stringMatching(/^SM[0-9a-f]{32}$/), fallbackReason: 'not on WhatsApp (63003)' } });
    expect(requests.map((request) => request.line)).toEqual(['POST Messages.json -> 201 status=queued', 'GET Messages/{sid} -> 200 status=failed error_code=63003', 'POST Messages.json -> 201 status=queued']);
    const [whatsapp, read, sms] = requests;
    expect(whatsapp?.form).toMatchObject({ To: `whatsapp:${WHATSAPP_FALLBACK.recipient}`, ContentSid: DEMO_SECRETS.TWILIO_WHATSAPP_CONTENT_SID });
    expect(read?.sid).not.toBe(result.data?.sid);
    expect(sms?.form).toMatchObject({ To: WHATSAPP_FALLBACK.recipient, From: DEMO_SECRETS.TWILIO_PHONE_NUMBER, Body: expect.stringContaining(WHATSAPP_FALLBACK.code) });
    expect(sms?.form).not.toHaveProperty('ContentSid');
    expect(logs).toEqual([expect.stringMatching(/^twilio-phone-message: sent sms to \+91\S+ via messaging sid=SM[0-9a-f]{32} attempts=2 ms=\d+ after whatsapp: not on WhatsApp \(63003\)$/)]);
  });

  it('runs the Custom Phone Provider on WhatsApp, its reads as the sample scripts them', () => {
    const { status, stdout } = ran('whatsappAction');
    expect(status).toBe(0);
    const { result, logs, requests } = shown(stdout);
    expect(result).toEqual({ outcome: 'delivered' });
    expect(requests.map((request) => request.line)).toEqual(['POST Messages.json -> 201 status=queued', 'GET Messages/{sid} -> 200 status=sent', 'GET Messages/{sid} -> 200 status=read']);
    expect(requests[0]?.form).toMatchObject({ To: `whatsapp:${WHATSAPP_ACTION.recipient}`, ContentVariables: JSON.stringify({ 1: WHATSAPP_ACTION.code }) });
    expect(logs).toEqual([expect.stringContaining('sent whatsapp to +5521***4321')]);
  });

  it("uses the user's own secrets as they are: without WHATSAPP_COUNTRIES the code goes by SMS, and the header says why", () => {
    const { status, stdout } = ran('whatsappOwnSecrets');
    expect(status).toBe(0);
    expect(stdout).toContain(`whatsapp: off: ${OWN_SECRETS} sets no WHATSAPP_COUNTRIES, so codes go by SMS`);
    const { result, requests } = shown(stdout);
    expect(result.data).toMatchObject({ channel: 'sms' });
    expect(result.data).not.toHaveProperty('fallbackReason');
    expect(requests.map((request) => [request.line, request.form.To])).toEqual([['POST Messages.json -> 201 status=queued', WHATSAPP_CODE.recipient]]);
  });

  it('hands the entry the payload without its fake section, and refuses a section it cannot read', () => {
    const sample = readSample(join(ROOT, 'samples', 'whatsapp-code.json'));
    expect(sample.payload).not.toHaveProperty('fake');
    expect(sample.payload).toHaveProperty('recipient');
    expect(sample.fake).toEqual({ onWhatsApp: { [WHATSAPP_CODE.recipient]: { statuses: [{ status: 'sent' }, { status: 'delivered' }] } } });
    const { status, stdout, stderr } = ran('badFake');
    expect(status).toBe(2);
    expect(stderr).toContain(`${BAD_FAKE}: "11 98765 4321" in "fake.onWhatsApp" is not an E.164 number.`);
    expect(stdout).not.toContain('Twilio received');
  });
});

describe('the secrets npm start runs with', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'secrets-'));
    cpSync(join(ROOT, '.env.example'), join(dir, '.env.example'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('are the demo secrets, saying why, while .env is the copy of .env.example the README asks for, not yet filled in', () => {
    cpSync(join(dir, '.env.example'), join(dir, '.env'));
    const loaded = loadSecrets(undefined, join(dir, '.env'), join(dir, '.env.example'));
    expect(loaded).toEqual({ secrets: DEMO_SECRETS, fromFile: false, source: `built-in demo secrets (${join(dir, '.env')} still holds the placeholders of ${join(dir, '.env.example')}: fill it in to run with yours)` });
  });

  it('are those of .env once its account SID is filled in, and those of a file named with --secrets whatever it holds', () => {
    writeFileSync(join(dir, '.env'), `TWILIO_ACCOUNT_SID=${SECRETS.TWILIO_ACCOUNT_SID}\n`);
    expect(loadSecrets(undefined, join(dir, '.env'), join(dir, '.env.example'))).toMatchObject({ fromFile: true, secrets: { TWILIO_ACCOUNT_SID: SECRETS.TWILIO_ACCOUNT_SID } });
    expect(loadSecrets(join(dir, '.env.example'), join(dir, '.env'), join(dir, '.env.example'))).toMatchObject({ fromFile: true, source: join(dir, '.env.example') });
  });
});
