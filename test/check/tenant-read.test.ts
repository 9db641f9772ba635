import type { FakeManagementApi, FakeManagementApiOptions } from '../../tools/fake-management-api/server';
import type { FakeTwilio } from '../../tools/fake-twilio/server';
import { startFakeTwilio } from '../helpers/fake-twilio';
import { ALL_SCOPES, expectNoSecretValues, startFake, TWILIO_SECRETS, useDeployDriver, type RunResult } from '../deploy/harness';

/**
 * `npm run check` on a secrets file with the deploy's AUTH0_ lines: it reads the tenant's MFA
 * phone message types from the fake Management API (through Auth0's SDK, in a process that
 * trusts the fake, as the deploy's tests run), and asks for voice only when `voice` is among them;
 * a tenant it cannot read is flagged with the deploy's words for why. It reads, never writes.
 */

const file = useDeployDriver();
let twilio: FakeTwilio | undefined;

beforeAll(async () => {
  twilio = await startFakeTwilio({ accountSid: TWILIO_SECRETS.TWILIO_ACCOUNT_SID ?? '', authToken: TWILIO_SECRETS.TWILIO_AUTH_TOKEN ?? '', apiKeys: {} });
});
afterAll(() => twilio?.stop());
beforeEach(() => {
  twilio?.reset();
  // A number without voice: the phone number line shows whether voice was asked for.
  twilio?.inventory.number(TWILIO_SECRETS.TWILIO_PHONE_NUMBER ?? '', { voice: false });
});
afterEach(() => expect(twilio?.contractViolations).toEqual([]));

/** Runs `npm run check` on a file naming a fresh fake tenant with these MFA message types; the tenant is closed before the result is checked. */
async function checkWithTenant(messageTypes: Array<'sms' | 'voice'>, options: Omit<Partial<FakeManagementApiOptions>, 'certificate'> = {}, secrets: Record<string, string> = {}): Promise<{ result: RunResult; tenant: FakeManagementApi }> {
  if (twilio === undefined) throw new Error('the fake Twilio did not start');
  const tenant = await startFake({ certificate: file.certificate(), ...options });
  try {
    tenant.tenant.guardian.messageTypes = messageTypes;
    const result = await file.driver().run(['--secrets', file.workspace.secretsFile(tenant.domain, secrets)], secrets, { command: 'check', twilioPort: twilio.port });
    expectNoSecretValues(result, secrets);
    return { result, tenant };
  } finally {
    await tenant.close();
  }
}

test('a tenant whose MFA offers voice: voice is checked, and a number without it fails', async () => {
  const { result, tenant } = await checkWithTenant(['sms', 'voice']);

  expect(result.stdout).toMatch(/^✔ tenant calls +127\.0\.0\.1:\d+'s MFA phone message types are sms, voice: calls are on, so voice is checked\.$/m);
  expect(result.stdout).toMatch(/^✘ phone number +\+1500\*\*\*0006 has no voice capability, and SMS are sent and calls are placed from it\./m);
  expect(result.code).toBe(1);
  expect(tenant.requests.map((request) => `${request.method} ${request.path} ${request.status}`)).toEqual(['GET /api/v2/guardian/factors/phone/message-types 200']);
});

test('a tenant whose MFA offers SMS alone: voice is not asked for, and the check passes', async () => {
  const { result, tenant } = await checkWithTenant(['sms']);

  expect(result.stdout).toMatch(/^✔ tenant calls +127\.0\.0\.1:\d+'s MFA phone message types are sms: calls are off, so voice is not checked\.$/m);
  expect(result.stdout).toMatch(/^✔ phone number +\+1500\*\*\*0006 is a number of this account, with SMS \(SMS come from it\); its voice is not checked: the tenant offers no calls\.$/m);
  expect(result.code).toBe(0);
  expect(tenant.writes()).toEqual([]);
});

test('an application without read:guardian_factors: the line is flagged with the scope to grant, and the voice problem only flagged', async () => {
  const { result } = await checkWithTenant(['sms', 'voice'], { scopes: ALL_SCOPES.filter((scope) => scope !== 'read:guardian_factors') });

  expect(result.stdout).toMatch(/^! tenant calls +the tenant's MFA phone message types could not be read: The application lacks the scope read:guardian_factors, needed for reading the MFA phone message types/m);
  expect(result.stdout).toContain('This run needs read:guardian_factors.');
  expect(result.stdout).toMatch(/^! phone number +\+1500\*\*\*0006 has no voice capability/m);
  expect(result.code).toBe(0);
});

test('wrong client credentials: the line is flagged with the fix, no secret printed', async () => {
  const wrongSecret = 'wrong-client-secret-never-printed-0010';
  const { result, tenant } = await checkWithTenant(['sms', 'voice'], {}, { AUTH0_CLIENT_SECRET: wrongSecret });

  expect(result.stdout).toMatch(/^! tenant calls +the tenant's MFA phone message types could not be read: Auth0 refused the client credentials \(access_denied: Unauthorized\): .* Fix: Check AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET/m);
  expect(tenant.requests).toEqual([]);
});
