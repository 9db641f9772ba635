import type { FakeTwilio } from '../../tools/fake-twilio/server';
import { startFakeTwilio } from '../helpers/fake-twilio';
import type { FakeManagementApi } from '../../tools/fake-management-api/server';
import { expectNoSecretValues, startFake, TWILIO_SECRETS, useDeployDriver, type RunResult } from './harness';

/**
 * `npm run deploy -- --check`: the Twilio check of `npm run check` first, on the same file,
 * against a fake Twilio; a failed check stops the run before the build and the tenant.
 */

const file = useDeployDriver();
let twilio: FakeTwilio | undefined;

beforeAll(async () => {
  twilio = await startFakeTwilio({ accountSid: TWILIO_SECRETS.TWILIO_ACCOUNT_SID ?? '', authToken: TWILIO_SECRETS.TWILIO_AUTH_TOKEN ?? '', apiKeys: {} });
});

afterAll(() => twilio?.stop());

beforeEach(() => twilio?.reset());
afterEach(() => expect(twilio?.contractViolations).toEqual([]));

/**
 * Deploys with --check (and `args`) to a fresh fake tenant, as `seed` leaves it, the check reaching
 * the fake Twilio; the tenant is closed before the result is checked.
 */
async function deployWithCheck(args: string[] = [], seed?: (api: FakeManagementApi) => void): Promise<{ result: RunResult; tenant: FakeManagementApi }> {
  if (twilio === undefined) throw new Error('the fake Twilio did not start');
  const api = await startFake({ certificate: file.certificate(), build: { readsBeforeDone: 1 } });
  try {
    seed?.(api);
    const result = await file.driver().run(['--trigger', 'send-phone-message', '--check', ...args, '--secrets', file.workspace.secretsFile(api.domain)], {}, { twilioPort: twilio.port });
    expectNoSecretValues(result);
    return { result, tenant: api };
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
  expect(result.stdout).toContain('  Every configured check passed (6 checks; 7 not configured).\n');
  expect(result.stdout.indexOf('Twilio check of')).toBeLessThan(result.stdout.indexOf('Bundles:'));
  expect(result.stdout).toContain('Done: version 1 of twilio-phone-message is deployed and bound to send-phone-message.');
});

test("asks for voice as the tenant's MFA message types say: a number without voice passes while calls are off", async () => {
  twilio?.inventory.number(TWILIO_SECRETS.TWILIO_PHONE_NUMBER ?? '', { voice: false });
  const { result } = await deployWithCheck();

  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/^ {2}✔ tenant calls +127\.0\.0\.1:\d+'s MFA phone message types are sms: calls are off, so voice is not checked\.$/m);
  expect(result.stdout).toMatch(/^ {2}✔ phone number +\+1500\*\*\*0006 is a number of this account, with SMS \(SMS come from it\); its voice is not checked: the tenant offers no calls\.$/m);
});

test('a failed check stops the run: exit 1, the failing line and why, nothing built, of the tenant only the MFA message types read', async () => {
  twilio?.inventory.number(TWILIO_SECRETS.TWILIO_PHONE_NUMBER ?? '', { voice: false });
  const { result, tenant } = await deployWithCheck([], (api) => {
    api.tenant.guardian.messageTypes = ['sms', 'voice'];
  });

  expect(result.code).toBe(1);
  expect(result.stdout).toMatch(/^ {2}✘ phone number +\+1500\*\*\*0006 has no voice capability/m);
  expect(result.stdout).not.toContain('Bundles:');
  expect(result.stderr).toBe('Deploy failed: The Twilio check failed: nothing was built, nothing changed on the tenant.\nFix: Fix what the check says above, then deploy again (npm run check runs the check alone).\n');
  expect(tenant.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /api/v2/guardian/factors/phone/message-types']);
  expect(twilio?.requests.every((request) => request.method === 'GET')).toBe(true);
});

test('with --enable-mfa the check asks for voice as the deploy is about to set it, whatever the tenant holds now', async () => {
  twilio?.inventory.number(TWILIO_SECRETS.TWILIO_PHONE_NUMBER ?? '', { voice: false });
  const { result, tenant } = await deployWithCheck(['--enable-mfa']);

  expect(result.code).toBe(1);
  expect(result.stdout).toMatch(/^ {2}✔ tenant calls +--enable-mfa sets the MFA phone message types to sms, voice: calls are on, so voice is checked\.$/m);
  expect(result.stdout).toMatch(/^ {2}✘ phone number +\+1500\*\*\*0006 has no voice capability/m);
  expect(tenant.requests).toEqual([]);
});
