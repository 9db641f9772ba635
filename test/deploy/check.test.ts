import type { FakeTwilio } from '../../tools/fake-twilio/server';
import { startFakeTwilio } from '../helpers/fake-twilio';
import { bundleDriver, DeployDriver, expectNoSecretValues, loopbackCertificate, startFake, TWILIO_SECRETS, Workspace, type RunResult } from './harness';

/**
 * `npm run deploy -- --check`: the Twilio check of `npm run check` first, on the same file,
 * against a fake Twilio; a failed check stops the run before the build and the tenant.
 */

const workspace = new Workspace();
const driverScript = bundleDriver();
let certificate: { key: string; cert: string };
let driver: DeployDriver | undefined;
let twilio: FakeTwilio | undefined;

beforeAll(async () => {
  certificate = await loopbackCertificate();
  driver = await DeployDriver.start(driverScript, workspace.file('ca.pem', certificate.cert));
  twilio = await startFakeTwilio({ accountSid: TWILIO_SECRETS.TWILIO_ACCOUNT_SID ?? '', authToken: TWILIO_SECRETS.TWILIO_AUTH_TOKEN ?? '', apiKeys: {} });
});

afterAll(async () => {
  try {
    await Promise.all([driver?.close(), twilio?.stop()]);
  } finally {
    workspace.remove();
  }
});

beforeEach(() => twilio?.reset());
afterEach(() => expect(twilio?.contractViolations).toEqual([]));

/** Deploys with --check to a fresh fake tenant, the check reaching the fake Twilio; the tenant is closed before the result is checked. */
async function deployWithCheck(): Promise<{ result: RunResult; tenantRequests: number }> {
  if (driver === undefined || twilio === undefined) throw new Error('the deploy driver or the fake Twilio did not start');
  const api = await startFake({ certificate, build: { readsBeforeDone: 1 } });
  try {
    const result = await driver.run(['--trigger', 'send-phone-message', '--check', '--secrets', workspace.secretsFile(api.domain)], {}, { twilioPort: twilio.port });
    expectNoSecretValues(result);
    return { result, tenantRequests: api.requests.length };
  } finally {
    await api.close();
  }
}

test('with a healthy Twilio account it prints the check first, then deploys as before', async () => {
  twilio?.inventory.number(TWILIO_SECRETS.TWILIO_PHONE_NUMBER ?? '');
  const { result } = await deployWithCheck();

  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/Twilio check of [^\n]+\.env:\n {2}✔ secrets {2}/);
  expect(result.stdout).toMatch(/^ {2}✔ credentials +account AC…c0de \(Full, active\), with the auth token\.$/m);
  expect(result.stdout).toContain('  Every configured check passed (5 checks; 7 skipped).\n');
  expect(result.stdout.indexOf('Twilio check of')).toBeLessThan(result.stdout.indexOf('Bundles:'));
  expect(result.stdout).toContain('Done: version 1 of twilio-phone-message is deployed and bound to send-phone-message.');
});

test('a failed check stops the run: exit 1, the failing line and why, nothing built, the tenant not even read', async () => {
  twilio?.inventory.number(TWILIO_SECRETS.TWILIO_PHONE_NUMBER ?? '', { voice: false });
  const { result, tenantRequests } = await deployWithCheck();

  expect(result.code).toBe(1);
  expect(result.stdout).toMatch(/^ {2}✘ phone number +\+1500\*\*\*0006 has no voice capability/m);
  expect(result.stdout).not.toContain('Bundles:');
  expect(result.stderr).toBe('Deploy failed: The Twilio check failed: nothing was built, nothing changed on the tenant.\nFix: Fix what the check says above, then deploy again (npm run check runs the check alone).\n');
  expect(tenantRequests).toBe(0);
  expect(twilio?.requests.every((request) => request.method === 'GET')).toBe(true);
});
