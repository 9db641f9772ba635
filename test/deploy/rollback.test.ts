import { ALL_SCOPES, storedAction as action, TWILIO_SECRETS, useDeployDriver, withTenant, type TenantUnderTest } from './harness';

/**
 * `npm run deploy -- --rollback` against a fake Management API that keeps versions as Auth0 does:
 * the earlier version deployed again as a new one, what it says it did, a dry run that writes
 * nothing, and each way it cannot: no earlier version, no such action, the tenant failing.
 */

const file = useDeployDriver();

const SEND = ['--trigger', 'send-phone-message'];
const ROTATED_TOKEN = 'auth-token-rotated-never-printed-003';
const ISO_TIME = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z`;

/** Two deploys of the tool: version 1 with the default secrets, version 2 with a rotated token. */
async function twoVersions({ deploy: run }: TenantUnderTest): Promise<void> {
  expect((await run(SEND)).code).toBe(0);
  expect((await run(SEND, { TWILIO_AUTH_TOKEN: ROTATED_TOKEN })).code).toBe(0);
}

test.concurrent(
  'deploys the version before the deployed one again, as a new version, and says which went back to which, made when',
  withTenant(file, async (tenant) => {
    const { api, deploy: run } = tenant;
    await twoVersions(tenant);
    const [first, second] = action(api).versions;
    const writesBefore = api.writes().length;

    const result = await run([...SEND, '--rollback']);

    expect(result.code).toBe(0);
    const versions = action(api).versions;
    expect(versions.map((version) => [version.number, version.deployed])).toEqual([[1, false], [2, false], [3, true]]);
    // Version 3 is version 1 again: its code (fingerprint included), dependencies and secret values.
    expect(versions[2]).toMatchObject({ code: first?.code, dependencies: first?.dependencies, runtime: first?.runtime });
    expect(versions[2]?.secrets.find((secret) => secret.name === 'TWILIO_AUTH_TOKEN')?.value).toBe(TWILIO_SECRETS.TWILIO_AUTH_TOKEN);
    // The draft is the code that runs, as the dashboard's Revert leaves it.
    expect(action(api).code).toBe(first?.code);
    expect(action(api).all_changes_deployed).toBe(true);
    expect(api.tenant.boundActionNames('send-phone-message')).toEqual(['twilio-phone-message']);
    expect(api.writes().slice(writesBefore).map((write) => `${write.method} ${write.path}`)).toEqual([`POST /api/v2/actions/actions/${action(api).id}/versions/${first?.id}/deploy`]);
    expect(result.stdout).toContain(`Rolling back twilio-phone-message (send-phone-message) on ${api.domain}\n`);
    expect(result.stdout).toContain(`Tenant: action twilio-phone-message found, version 2 deployed (made ${second?.created_at}), 2 versions\n`);
    expect(result.stdout).toContain(`  + deploy version 1 (made ${first?.created_at}) again, as a new version, in place of version 2\n`);
    expect(result.stdout).toMatch(new RegExp(`^ {2}deployed version 1 again as version 3, made ${ISO_TIME}$`, 'm'));
    expect(result.stdout).toContain(`Done: twilio-phone-message runs version 1 (made ${first?.created_at}) again, as version 3, in place of version 2 (made ${second?.created_at}).\n`);
    expect(result.stdout).toContain('Not rolled back: the Send Phone Message bindings, and the MFA settings --enable-mfa made');
    expect(result.stdout).not.toContain('Bundles:');

    // A second rollback goes back to the version the first replaced; the next deploy of the repository deploys its bundle again.
    expect((await run([...SEND, '--rollback'])).stdout).toContain('  + deploy version 2 (made');
    const redeploy = await run(SEND);
    expect(redeploy.code).toBe(0);
    expect(redeploy.stdout).toContain('+ deploy twilio-phone-message as a new version (the draft changed)');
  }),
);

test.concurrent(
  'custom-phone-provider: rolls the action back and says that the phone provider stays custom',
  withTenant(file, async ({ api, deploy: run }) => {
    expect((await run(['--trigger', 'custom-phone-provider'])).code).toBe(0);
    expect((await run(['--trigger', 'custom-phone-provider'], { TWILIO_AUTH_TOKEN: ROTATED_TOKEN })).code).toBe(0);
    const provider = structuredClone(api.tenant.phoneProvider);

    const result = await run(['--trigger', 'custom-phone-provider', '--rollback']);

    expect(result.code).toBe(0);
    expect(action(api).versions.map((version) => version.deployed)).toEqual([false, false, true]);
    expect(api.tenant.phoneProvider).toEqual(provider);
    expect(result.stdout).toContain("Not rolled back: the Custom Phone Provider binding, and the tenant's phone provider, which stays custom. To switch it back, see \"Rolling back\" in docs/deploy.md.");
  }),
);

test.concurrent(
  '--dry-run prints the same plan and writes nothing',
  withTenant(file, async (tenant) => {
    const { api, deploy: run } = tenant;
    await twoVersions(tenant);
    const writesBefore = api.writes().length;

    const result = await run([...SEND, '--rollback', '--dry-run']);

    expect(result.code).toBe(0);
    expect(api.writes()).toHaveLength(writesBefore);
    expect(action(api).versions.map((version) => version.deployed)).toEqual([false, true]);
    expect(result.stdout).toContain(`on ${api.domain}, dry run\n`);
    expect(result.stdout).toContain('  + deploy version 1 (made');
    expect(result.stdout).toContain('Dry run: nothing was written to the tenant.');
    expect(result.stdout).not.toContain('Applying:');
  }),
);

test.concurrent(
  'an action whose only version is deployed has nothing to roll back to: exit 1, said, nothing written',
  withTenant(file, async ({ api, deploy: run }) => {
    expect((await run(SEND)).code).toBe(0);
    const writesBefore = api.writes().length;

    const result = await run([...SEND, '--rollback']);

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^Deploy failed: Version 1 of twilio-phone-message, deployed now \\(made ${ISO_TIME}\\), is its first: there is no earlier version to roll back to, and nothing was changed\\.$`, 'm'));
    expect(result.stderr).toContain('Fix: To stop Auth0 running it, undo what the deploy switched on, as "Rolling back" in docs/deploy.md says for each trigger.');
    expect(api.writes()).toHaveLength(writesBefore);
  }),
);

test.concurrent(
  'an action that does not exist, or was never deployed, is said as such: exit 1, nothing written',
  withTenant(file, async ({ api, deploy: run }) => {
    const missing = await run([...SEND, '--rollback', '--name', 'sms-sender']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Deploy failed: The tenant has no action named sms-sender: there is nothing to roll back.');
    expect(missing.stderr).toContain("Fix: Check --name (the deploy's default is twilio-phone-message) and AUTH0_DOMAIN; nothing was changed.");

    api.tenant.createAction({ name: 'drafted', supported_triggers: [{ id: 'send-phone-message' }], code: 'exports.onExecuteSendPhoneMessage = async () => {};' });
    const undeployed = await run([...SEND, '--rollback', '--name', 'drafted']);
    expect(undeployed.code).toBe(1);
    expect(undeployed.stderr).toContain('Deploy failed: drafted has never been deployed: there is no version to roll back from, and nothing was changed.');
    expect(api.writes()).toEqual([]);
  }),
);

test.concurrent(
  "an action of the other trigger is not rolled back under this one's name",
  withTenant(file, async ({ api, deploy: run }) => {
    api.tenant.seedDeployedAction({ name: 'twilio-phone-message', trigger: 'custom-phone-provider' });

    const result = await run([...SEND, '--rollback']);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Deploy failed: The tenant's action twilio-phone-message serves the custom-phone-provider trigger, not send-phone-message; nothing was changed.");
    expect(result.stderr).toContain('Fix: Run it with --trigger custom-phone-provider, or name the action of send-phone-message with --name.');
  }),
);

test.concurrent(
  "a tenant that fails the roll-back is reported with Auth0's status and message, and the fix to run again",
  withTenant(
    file,
    async (tenant) => {
      await twoVersions(tenant);

      const result = await tenant.deploy([...SEND, '--rollback']);

      expect(result.code).toBe(1);
      expect(result.stderr).toContain('Deploy failed: Auth0 failed while deploying the earlier version (HTTP 503: The service is down for maintenance).');
      expect(result.stderr).toContain('Fix: Run the command again in a few minutes');
      expect(result.stderr).toContain('Before running it again, see with --dry-run which version is deployed: if it is no longer version 2, this roll-back went through despite the failure, and another would deploy version 2 again.');
      expect(action(tenant.api).versions).toHaveLength(2);
    },
    { failure: { matches: (method, path) => method === 'POST' && /\/versions\/[^/]+\/deploy$/.test(path), status: 503, message: 'The service is down for maintenance' } },
  ),
);

test.concurrent(
  'a rollback needs only the read and create scopes of actions: without create:actions it is refused, named, and a dry run still plans',
  withTenant(
    file,
    async ({ api, deploy: run }) => {
      const id = api.tenant.seedDeployedAction({ name: 'twilio-phone-message', trigger: 'send-phone-message' });
      api.tenant.seedDeployedVersion(id, 'exports.onExecuteSendPhoneMessage = async () => {}; // v2');

      expect((await run([...SEND, '--rollback', '--dry-run'])).code).toBe(0);
      const result = await run([...SEND, '--rollback']);

      expect(result.code).toBe(1);
      expect(result.stderr).toContain('The application lacks the scope create:actions, needed for deploying the earlier version');
      expect(result.stderr).toContain('This run needs read:actions, create:actions.');
    },
    { scopes: ALL_SCOPES.filter((scope) => scope !== 'create:actions') },
  ),
);

test.concurrent(
  'reads every page of a long version history, and needs no Twilio secret: a file of the AUTH0_ lines alone will do',
  withTenant(file, async ({ api, deploy: run }) => {
    const id = api.tenant.seedDeployedAction({ name: 'twilio-phone-message', trigger: 'send-phone-message' });
    for (let version = 2; version <= 55; version += 1) api.tenant.seedDeployedVersion(id, `exports.onExecuteSendPhoneMessage = async () => {}; // v${version}`);

    const result = await run([...SEND, '--rollback'], { TWILIO_ACCOUNT_SID: undefined, TWILIO_AUTH_TOKEN: undefined, TWILIO_PHONE_NUMBER: undefined });

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('version 55 deployed');
    expect(result.stdout).toContain(', 55 versions\n');
    expect(result.stdout).toContain('deployed version 54 again as version 56');
    expect(api.requests.filter((request) => request.path.endsWith('/versions')).length).toBeGreaterThan(1);
  }),
);
