import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../../tools/check/cli';
import { USAGE } from '../../tools/check/args';
import { CHECK_LINES } from '../../tools/check/run';
import { FakeTwilio } from '../../tools/fake-twilio/server';
import { untilSettled } from '../helpers/fake-twilio';
import { routeTwilio } from '../../tools/fake-twilio/route';
import { expectNoSecrets, expectNumbersMasked } from '../helpers/no-secrets';
import { API_KEY, MESSAGING_SERVICE_SID, SECRETS } from '../fixtures/values';
import { ALL_BUT_VERIFY, CONTENT_SID, healthyAccount, REAL_LOOKING_RECIPIENT, useCheckFake } from './harness';

/**
 * `npm run check` as a person runs it: the secrets from a dotenv file, one line per check, a
 * summing-up line, the exit code; nothing secret and no whole phone number in what it prints; one
 * real code with --send-to, only once every check passed. The files hold no AUTH0_ lines, but for
 * one whose tenant answers nowhere: a tenant read as a person's check reads it is in
 * tenant-read.test.ts, through a process that trusts the fake Management API.
 */

const CLIENT_SECRET = 'auth0-client-s3cret-never-printed';
/** The deploy's lines, for a tenant where nothing answers: a port of this machine just closed, which refuses at once. */
async function unreachableTenant(): Promise<Record<string, string>> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return { AUTH0_DOMAIN: `127.0.0.1:${port}`, AUTH0_CLIENT_ID: 'deployClientId0000000000000000001', AUTH0_CLIENT_SECRET: CLIENT_SECRET };
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('npm run check', () => {
  let fake: FakeTwilio;
  useCheckFake((started) => (fake = started));
  beforeEach(() => healthyAccount(fake));
  const dir = mkdtempSync(path.join(tmpdir(), 'check-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let files = 0;

  /** Writes the secrets to a file of its own, and runs the check on it. */
  async function run(secrets: Record<string, string>, args: string[] = [], colour = false): Promise<Run> {
    files += 1;
    const file = path.join(dir, `${files}.env`);
    writeFileSync(file, Object.entries(secrets).map(([name, value]) => `${name}=${value}`).join('\n'));
    let stdout = '';
    let stderr = '';
    // The command's own require('twilio'), as `npm run check` runs it; the route takes it to the fake.
    const code = await runCli(['--secrets', path.basename(file), ...args], { write: (text) => (stdout += text), writeError: (text) => (stderr += text), colour, cwd: dir });
    await untilSettled(fake);
    expectNoSecrets({ stdout, stderr }, [SECRETS.TWILIO_AUTH_TOKEN, API_KEY.TWILIO_API_SECRET, CLIENT_SECRET, Buffer.from(`${SECRETS.TWILIO_ACCOUNT_SID}:${SECRETS.TWILIO_AUTH_TOKEN}`).toString('base64')]);
    expectNumbersMasked({ stdout, stderr }, [SECRETS.TWILIO_PHONE_NUMBER, REAL_LOOKING_RECIPIENT, '+15005550007']);
    return { code, stdout, stderr };
  }

  it('a healthy configuration: one line per check, every configured one passed, exit 0', async () => {
    const result = await run(ALL_BUT_VERIFY);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^Checking the Twilio secrets of \d+\.env, read-only: nothing is sent, nothing changes\.$/);
    expect(lines.slice(2, 15).map((line) => line.slice(0, 20).trimEnd())).toEqual([
      '✔ secrets',
      '✔ pumping shield',
      '– tenant calls',
      '✔ host',
      '✔ credentials',
      '✔ phone number',
      '✔ messaging service',
      '– verify',
      '– whatsapp sender',
      '✔ whatsapp template',
      '✔ voice countries',
      '– lookup',
      '– send',
    ]);
    expect(lines[3]).toMatch(/^✔ pumping shield +refuses premium_rate, shared_cost, uan, voicemail, pager, numbers under \+800 .* \+979; at most 10 new numbers of one block of 1,000 enroll per hour; Twilio Lookup off \(TWILIO_LOOKUP unset\)\.$/);
    // Each line the check has, in its order, once: the list docs/deploy.md is held to.
    expect(lines.slice(2, 15).map((line) => line.slice(2, 20).trimEnd())).toEqual(CHECK_LINES);
    expect(lines.slice(15)).toEqual(['', 'Every configured check passed (8 checks; 5 not configured).', '']);
    expect(result.code).toBe(0);
    expect(fake.requests.every((request) => request.method === 'GET')).toBe(true);
  });

  it('a broken configuration: each failure with its fix, each voice problem flagged while calls may be off, the summing-up, exit 1', async () => {
    fake.account.set({ type: 'Trial' });
    fake.inventory.number(SECRETS.TWILIO_PHONE_NUMBER, { voice: false }).content(CONTENT_SID, { approval: 'rejected' }).denyVoice('BR');
    const result = await run(ALL_BUT_VERIFY);
    const marks = result.stdout.split('\n').slice(2, 15).map((line) => line.slice(0, 20).trimEnd());
    expect(marks).toEqual(['✔ secrets', '✔ pumping shield', '– tenant calls', '✔ host', '! credentials', '! phone number', '✔ messaging service', '– verify', '– whatsapp sender', '✘ whatsapp template', '! voice countries', '– lookup', '– send']);
    expect(result.stdout).toMatch(/^! phone number +\+1500\*\*\*0006 has no voice capability, and calls are placed from it if the tenant offers them, which the check cannot tell\. Fix: Choose a number with voice/m);
    expect(result.stdout).toContain(
      "\n– tenant calls       AUTH0_DOMAIN, AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET are not set: the check cannot tell whether the tenant offers calls, so a voice problem is flagged, not failed. Set them (an application granted read:guardian_factors, as npm run deploy uses) to let the check read the tenant's MFA phone message types.\n",
    );
    expect(result.stdout).toContain(
      '\n! phone number       +1500***0006 has no voice capability, and calls are placed from it if the tenant offers them, which the check cannot tell. Fix: Choose a number with voice in Twilio Console > Phone Numbers > Manage > Active numbers (its Capabilities column), or buy one; or, if the tenant offers no calls, set AUTH0_DOMAIN, AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET in the secrets file to let the check read whether the tenant offers calls.\n',
    );
    expect(result.stdout).toContain('\n1 check failed; 5 not configured: fix it, then run npm run check again.\n');
    expect(result.code).toBe(1);
  });

  it('with TWILIO_LOOKUP: says the layers on, and whether Lookup answers, with a lookup Twilio does not bill', async () => {
    const result = await run({ ...SECRETS, TWILIO_LOOKUP: 'enrollment', TWILIO_LOOKUP_MAX_RISK: '60', ENROLLMENT_VELOCITY: 'off', ALLOWED_NUMBER_TYPES: 'uan,+882' });
    expect(result.stdout).toMatch(/^✔ pumping shield +refuses premium_rate, shared_cost, voicemail, pager, numbers under \+800 \+808 \+870 \+878 \+881 \+883 \+888 \+979; no velocity cap \(ENROLLMENT_VELOCITY=off\); Twilio Lookup before each enrollment's code, refusing risk above 60, failing open\.$/m);
    expect(result.stdout).toMatch(/^✔ lookup +Lookup answered a lookup without packages of \+1500\*\*\*0006, which Twilio does not bill\./m);
    expect(fake.lookup.billed()).toEqual({ line_type_intelligence: 0, sms_pumping_risk: 0, basic: 1 });
    expect(result.code).toBe(0);
  });

  it('with TWILIO_LOOKUP: fails when Lookup refuses the credentials, the other lines passing', async () => {
    // A Lookup that knows another token: the rest of the account answers as before.
    const lookups = await new FakeTwilio({ accountSid: SECRETS.TWILIO_ACCOUNT_SID, authToken: 'another-token' }).start();
    const unroute = routeTwilio(lookups.port, 'lookups.twilio.com');
    try {
      const result = await run({ ...SECRETS, TWILIO_LOOKUP: 'all' });
      expect(result.stdout).toMatch(/^✔ credentials /m);
      expect(result.stdout).toMatch(/^✘ lookup +Twilio Lookup refused these credentials \(20003\)\. Fix: Use credentials of this account and region for Lookup, or remove TWILIO_LOOKUP\.$/m);
      expect(result.code).toBe(1);
    } finally {
      unroute();
      await lookups.stop();
    }
  });

  it('a flag alone still exits 0', async () => {
    fake.account.set({ type: 'Trial' });
    const result = await run(SECRETS);
    expect(result.stdout).toContain('Every configured check passed (5 checks, 1 with a flag to read; 8 not configured).');
    expect(result.code).toBe(0);
  });

  it('AUTH0_ lines for a tenant that does not answer: the tenant calls line is flagged with why, and a voice problem with it', async () => {
    fake.inventory.number(SECRETS.TWILIO_PHONE_NUMBER, { voice: false });
    const result = await run({ ...(await unreachableTenant()), ...SECRETS });
    expect(result.stdout).toMatch(
      /^! tenant calls +the tenant's MFA phone message types could not be read: Nothing answers HTTPS at 127\.0\.0\.1:\d+ \(ECONNREFUSED\): the check cannot tell whether the tenant offers calls, so a voice problem is flagged, not failed\. Fix: Check AUTH0_DOMAIN/m,
    );
    expect(result.stdout).toMatch(/^! phone number .*; or, if the tenant offers no calls, see the tenant calls line for why the tenant could not be read\.$/m);
    expect(result.code).toBe(0);
  });

  it("a malformed secret fails with the sender's own message, before any request", async () => {
    const result = await run({ ...SECRETS, TWILIO_REGION: 'eu1' });
    expect(result.stdout).toContain('✘ secrets  TWILIO_REGION is not a Twilio region this sender knows: use one of us1, ie1, au1, or remove the secret. Fix: Correct it in ');
    expect(fake.requests).toEqual([]);
    expect(result.code).toBe(1);
  });

  it('every bad secret in one run, one line each in the sender\'s own words; a misspelled name flagged with the name it meant; no request', async () => {
    const result = await run({ ...SECRETS, TWILIO_ACCOUNT_SID: 'AC1', TWILIO_PHONE_NUMBER: '+1555', TWILIO_REGION: 'eu1', TWILIO_VOCIE: 'alice' });
    const lines = result.stdout.split('\n').slice(2);
    expect(lines.slice(4)).toEqual(['', '3 checks failed: fix them, then run npm run check again.', '']);
    expect(lines[0]).toBe('✘ secrets  TWILIO_REGION is not a Twilio region this sender knows: use one of us1, ie1, au1, or remove the secret.');
    expect(lines[1]).toBe('✘ secrets  TWILIO_ACCOUNT_SID is malformed: it must be "AC" followed by 32 hex digits (Twilio Console > Account Info).');
    expect(lines[2]).toMatch(/^✘ secrets {2}TWILIO_PHONE_NUMBER \(\*\*\*\) has 4 digits; .* Fix: Correct these 3 in \d+\.env, then run the check again; the sender reads them the same way and would refuse every message\.$/);
    expect(lines[3]).toMatch(/^! secrets {2}the sender does not read TWILIO_VOCIE \(TWILIO_VOICE\?\); npm run deploy deploys such a name anyway, as a secret the action never reads\. Fix: In \d+\.env, rename each/);
    expect(fake.requests).toEqual([]);
    expect(result.code).toBe(1);
  });

  it('the summing-up tells what is not configured from what an earlier failure left not checked', async () => {
    const result = await run({ ...SECRETS, TWILIO_AUTH_TOKEN: 'not-the-token-of-this-account' });
    expect(result.stdout).toContain('\n1 check failed; 2 not configured, 7 not checked: fix it, then run npm run check again.\n');
    expect(result.code).toBe(1);
  });

  it('a file that names no sender fails', async () => {
    const { TWILIO_PHONE_NUMBER: _unset, ...withoutSender } = SECRETS;
    const result = await run(withoutSender);
    expect(result.stdout).toMatch(/✘ secrets {2}\d+\.env names no sender/);
    expect(result.code).toBe(1);
  });

  it('a Twilio answer that echoes a secret or a number is printed scrubbed', async () => {
    fake.failAlways({ kind: 'twilio-error', code: 20500, status: 500, message: `Internal error for ${SECRETS.TWILIO_AUTH_TOKEN} calling +15005550007` });
    const result = await run(SECRETS);
    expect(result.stdout).toContain('the account could not be read: HTTP 500, error 20500: Internal error for [redacted] calling +1500***0007.');
    expect(result.code).toBe(1);
  });

  it('is coloured for a terminal and plain otherwise', async () => {
    const coloured = await run(SECRETS, [], true);
    expect(coloured.stdout).toContain('\u001b[32m✔\u001b[39m \u001b[1mcredentials');
    expect((await run(SECRETS)).stdout).not.toContain('\u001b[');
  });

  describe('--send-to', () => {
    it('sends one code through the configured route, last, once every check passed', async () => {
      const result = await run(ALL_BUT_VERIFY, ['--send-to', REAL_LOOKING_RECIPIENT]);
      expect(result.stdout).toMatch(/^✔ send +a code went to \+1415\*\*\*0123 by SMS through Programmable Messaging, SM[0-9a-f]{32} \(1 attempt\); check that it arrived\.$/m);
      expect(fake.messages.list()).toEqual([expect.objectContaining({ to: REAL_LOOKING_RECIPIENT, messaging_service_sid: MESSAGING_SERVICE_SID, body: expect.stringMatching(/^\d{6} is your verification code\.$/) })]);
      expect(fake.requests.at(-1)?.method).toBe('POST');
      expect(result.code).toBe(0);
    });

    it('sends nothing when a check failed', async () => {
      fake.inventory.content(CONTENT_SID, { approval: 'rejected' });
      const result = await run(ALL_BUT_VERIFY, ['--send-to', REAL_LOOKING_RECIPIENT]);
      expect(result.stdout).toMatch(/^– send +not sent: a check failed\.$/m);
      expect(fake.requests.every((request) => request.method === 'GET')).toBe(true);
      expect(result.code).toBe(1);
    });

    it("reports the sender's refusal, and exits 1", async () => {
      const result = await run({ ...SECRETS, ALLOWED_COUNTRIES: 'GB' }, ['--send-to', REAL_LOOKING_RECIPIENT]);
      expect(result.stdout).toMatch(/^✘ send +the code to \+1415\*\*\*0123 was not sent: The recipient phone number \(\+1415\*\*\*0123\) belongs to US, United States, which ALLOWED_COUNTRIES \(GB\) does not list/m);
      expect(result.code).toBe(1);
    });
  });

  describe('wrong usage exits 2 with what was wrong, and the usage', () => {
    it.each([
      [['--bogus'], "Unknown option '--bogus'"],
      [['--send-to', '15550105310'], '--send-to takes a phone number in E.164, with its country code, such as +15550105310.'],
      [['--send-to', '+1555'], '--send-to (***) has 4 digits'],
      [['--secrets='], '--secrets needs a value.'],
    ])('%j', async (argv, message) => {
      let stderr = '';
      const code = await runCli(argv, { write: () => undefined, writeError: (text) => (stderr += text), colour: false, cwd: dir });
      expect(stderr).toContain(message);
      expect(stderr).toContain(USAGE);
      expect(code).toBe(2);
    });

    it('a secrets file that does not exist', async () => {
      let stderr = '';
      const code = await runCli(['--secrets', 'missing.env'], { write: () => undefined, writeError: (text) => (stderr += text), colour: false, cwd: dir });
      expect(stderr).toBe('The secrets file missing.env does not exist: copy .env.example to missing.env and fill in the Twilio secrets, or pass --secrets with the file that holds them.\n');
      expect(code).toBe(2);
    });

    it('--help prints the usage and exits 0', async () => {
      let stdout = '';
      expect(await runCli(['--help'], { write: (text) => (stdout += text), writeError: () => undefined, colour: false, cwd: dir })).toBe(0);
      expect(stdout).toBe(`${USAGE}\n`);
    });
  });
});
