import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { SECRETS } from '../helpers/mock-twilio';

const ROOT = join(__dirname, '..', '..');

function npmStart(...args: string[]) {
  const child = spawnSync('npm', ['start', '--silent', '--', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

describe('npm start', () => {
  it('runs the SMS enrollment sample against the fake and shows the envelope, the log and the request', () => {
    const { status, stdout } = npmStart();
    expect(status).toBe(0);
    expect(stdout).toContain('Send Phone Message hook');
    expect(stdout).toMatch(/"status": "success"/);
    expect(stdout).toMatch(/twilio-phone-message: sent sms to \+1555\*\*\*5310 via messaging sid=SM[0-9a-f]{32} attempts=1 ms=\d+/);
    expect(stdout).toMatch(/POST \/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/Messages\.json -> 201/);
    expect(stdout).toContain('Body: Your Acme enrollment code is 482913');
    expect(stdout).toMatch(/Authorization: Basic AC[0-9a-f]{32}:\*\*\*/);
    // Plain text when the output is not a terminal.
    expect(stdout).not.toContain('\u001b[');
  });

  it('runs a voice payload and shows the TwiML Twilio received', () => {
    const { status, stdout } = npmStart('samples/voice-second-factor.json');
    expect(status).toBe(0);
    expect(stdout).toContain('Calls.json -> 201');
    expect(stdout).toContain('<Say language="fr-FR">Votre code de vérification Acme est 9, 1, 8, 2, 7, 3</Say>');
  });

  it('shows how a Twilio error looks with --fail 21211 and exits non-zero', () => {
    const { status, stdout } = npmStart('--fail', '21211');
    expect(status).toBe(1);
    expect(stdout).toMatch(/"status": "error"/);
    expect(stdout).toContain('error 21211 (HTTP 400)');
    expect(stdout).toContain('Messages.json -> 400');
    expect(stdout).not.toContain(SECRETS.TWILIO_AUTH_TOKEN);
  });

  it('refuses --live without credentials, before sending anything', () => {
    const { status, stdout } = npmStart('--live', '--secrets', '.env.example');
    expect(status).toBe(2);
    expect(stdout).toContain('TWILIO_ACCOUNT_SID in .env.example is still the example placeholder');
    expect(stdout).not.toContain('Response');
  });

  it('lists its options with --help', () => {
    const { status, stdout } = npmStart('--help');
    expect(status).toBe(0);
    for (const option of ['--secrets FILE', '--live', '--fail CODE', '--action NAME']) expect(stdout).toContain(option);
  });
});

describe('npm start --action', () => {
  it('runs the Send Phone Message action sample', () => {
    const { status, stdout } = npmStart('--action', 'send-phone-message');
    expect(status).toBe(0);
    expect(stdout).toContain('Send Phone Message action');
    expect(stdout).toMatch(/"outcome": "completed"/);
    expect(stdout).toContain('Messages.json -> 201');
  });

  it('shows the drop and its reason for a Custom Phone Provider failure', () => {
    const { status, stdout } = npmStart('--action', 'custom-phone-provider', '--fail', '21610');
    expect(status).toBe(1);
    expect(stdout).toMatch(/"outcome": "drop"/);
    expect(stdout).toMatch(/"reason": "Twilio answered error 21610/);
  });

  it('refuses an unknown action', () => {
    const { status, stdout } = npmStart('--action', 'post-login');
    expect(status).toBe(2);
    expect(stdout).toContain('Unknown --action "post-login"');
  });
});
