import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, storedAction as action, TWILIO_SECRETS, useDeployDriver, withTenant } from './harness';

/**
 * `npm run deploy` against a fake Management API: what a first deploy puts on the tenant, that
 * an unchanged rerun writes nothing, that a change makes exactly one version, how bindings, the
 * phone provider and the MFA settings end up, and that no secret value is ever printed.
 *
 * The runs go through one driver process for the file (harness.ts), except the first test's,
 * which runs the command as `npm run deploy` does, in a process of its own.
 */

const file = useDeployDriver();

const LOCK = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version: string }> };
const TWILIO_VERSION = LOCK.packages['node_modules/twilio']?.version;
const LIBPHONENUMBER_VERSION = LOCK.packages['node_modules/libphonenumber-js']?.version;

function bundle(trigger: string): string {
  return readFileSync(path.join(ROOT, 'dist', 'actions', `${trigger}.js`), 'utf8').trimEnd();
}

const SEND = ['--trigger', 'send-phone-message'];
const CUSTOM = ['--trigger', 'custom-phone-provider'];

test.concurrent(
  'a first deploy creates the action from the bundle, on node22 with the locked twilio and the secrets, then deploys version 1 and binds it after the actions already bound',
  withTenant(file, async ({ api, deploy }) => {
    for (const name of ['audit-log', 'geo-block']) api.tenant.seedBinding('send-phone-message', api.tenant.seedDeployedAction({ name, trigger: 'send-phone-message' }));

    const result = await deploy(SEND);

    expect(result.code).toBe(0);
    const deployed = action(api);
    expect(deployed.code.startsWith(bundle('send-phone-message'))).toBe(true);
    expect(deployed.runtime).toBe('node22');
    expect(deployed.supported_triggers).toEqual([{ id: 'send-phone-message', version: 'v2' }]);
    expect(deployed.dependencies).toEqual([
      { name: 'twilio', version: TWILIO_VERSION },
      { name: 'libphonenumber-js', version: LIBPHONENUMBER_VERSION },
    ]);
    expect(Object.fromEntries(deployed.secrets.map((secret) => [secret.name, secret.value]))).toEqual(TWILIO_SECRETS);
    expect(deployed.versions.map((version) => version.number)).toEqual([1]);
    expect(api.tenant.boundActionNames('send-phone-message')).toEqual(['audit-log', 'geo-block', 'twilio-phone-message']);
    // The fake refuses to deploy an unbuilt draft: the deploy went through only after the build finished.
    expect(result.stdout).toMatch(/build: pending\n {2}build: building\n {2}build: built\n {2}deployed twilio-phone-message version 1/);
    expect(result.stdout).toContain('Done: version 1 of twilio-phone-message is deployed and bound to send-phone-message.');
  }, { build: { readsBeforeDone: 2 } }, true),
);

test.concurrent(
  'a bind refused right after the deploy, while Auth0 catches up with the new version, is tried again and binds the action once',
  withTenant(file, async ({ api, deploy }) => {
    const result = await deploy(SEND);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('the trigger does not see the new version yet; binding again in 1 s');
    expect(api.requests.filter((request) => request.method === 'PATCH' && request.path.endsWith('/bindings')).map((request) => request.status)).toEqual([400, 200]);
    expect(api.tenant.boundActionNames('send-phone-message')).toEqual(['twilio-phone-message']);
  }, { bindingLag: 1 }),
);

test.concurrent(
  'an unchanged rerun writes nothing and says no new version was made',
  withTenant(file, async ({ api, deploy }) => {
    expect((await deploy(SEND)).code).toBe(0);
    const writesAfterFirst = api.writes().length;

    const rerun = await deploy(SEND);

    expect(rerun.code).toBe(0);
    expect(api.writes()).toHaveLength(writesAfterFirst);
    expect(action(api).versions).toHaveLength(1);
    expect(rerun.stdout).toContain('Plan: nothing to change. Version 1 of twilio-phone-message');
    expect(rerun.stdout).toContain('No new version.');
  }),
);

test.concurrent(
  'a changed secret and a new allowlist make exactly one new version, name what changed, and leave the bindings where they are',
  withTenant(file, async ({ api, deploy }) => {
    // Every costly number type allowed: the sender never loads libphonenumber-js, and the action declares twilio alone.
    const everyType = 'premium_rate,shared_cost,uan,voicemail,pager';
    expect((await deploy(SEND, { ALLOWED_NUMBER_TYPES: everyType })).code).toBe(0);
    expect(action(api).dependencies).toEqual([{ name: 'twilio', version: TWILIO_VERSION }]);
    // Another team bound its action after this one since.
    api.tenant.seedBinding('send-phone-message', api.tenant.seedDeployedAction({ name: 'audit-log', trigger: 'send-phone-message' }));
    const writesBefore = api.writes().length;

    const changed = await deploy(SEND, { ALLOWED_NUMBER_TYPES: everyType, TWILIO_AUTH_TOKEN: 'auth-token-rotated-never-printed-002', ALLOWED_COUNTRIES: 'US,CA' });

    expect(changed.code).toBe(0);
    expect(action(api).versions.map((version) => version.number)).toEqual([1, 2]);
    expect(api.writes().slice(writesBefore).map((write) => `${write.method} ${write.path.replace(/[0-9a-f-]{36}/, ':id')}`)).toEqual([
      'PATCH /api/v2/actions/actions/:id',
      'POST /api/v2/actions/actions/:id/deploy',
    ]);
    expect(changed.stdout).toContain('secret TWILIO_AUTH_TOKEN: value changed');
    expect(changed.stdout).toContain('secret ALLOWED_COUNTRIES added');
    expect(changed.stdout).toContain(`dependency libphonenumber-js@${LIBPHONENUMBER_VERSION} added`);
    expect(action(api).dependencies).toEqual([
      { name: 'twilio', version: TWILIO_VERSION },
      { name: 'libphonenumber-js', version: LIBPHONENUMBER_VERSION },
    ]);
    expect(action(api).secrets.find((secret) => secret.name === 'TWILIO_AUTH_TOKEN')?.value).toBe('auth-token-rotated-never-printed-002');
    expect(api.tenant.boundActionNames('send-phone-message')).toEqual(['twilio-phone-message', 'audit-log']);
  }),
);

test.concurrent(
  'a draft left undeployed by an earlier run is deployed once, without writing the draft again',
  withTenant(file, async ({ api, deploy }) => {
    expect((await deploy(SEND)).code).toBe(0);
    // An earlier run updated the draft, then stopped before deploying.
    const stored = action(api);
    stored.all_changes_deployed = false;
    const writesBefore = api.writes().length;

    const resumed = await deploy(SEND);

    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain('deploy twilio-phone-message as a new version (the draft holds changes not deployed yet)');
    expect(api.writes().slice(writesBefore).map((write) => write.method + ' ' + write.path.endsWith('/deploy'))).toEqual(['POST true']);
    expect(action(api).versions).toHaveLength(2);
  }),
);

test.concurrent(
  '--dry-run reads the tenant, prints the plan with secret names, and writes nothing',
  withTenant(file, async ({ api, deploy }) => {
    api.tenant.seedBinding('send-phone-message', api.tenant.seedDeployedAction({ name: 'audit-log', trigger: 'send-phone-message' }));
    const writesBefore = api.writes().length;

    const dryRun = await deploy([...SEND, '--dry-run']);

    expect(dryRun.code).toBe(0);
    expect(api.writes()).toHaveLength(writesBefore);
    expect(api.tenant.actions.map((candidate) => candidate.name)).toEqual(['audit-log']);
    expect(dryRun.stdout).toContain('+ create action twilio-phone-message (trigger send-phone-message v2, runtime node22)');
    expect(dryRun.stdout).toContain('secrets: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_PHONE_NUMBER');
    expect(dryRun.stdout).toContain('~ bind to send-phone-message: audit-log → audit-log, [twilio-phone-message]');
    expect(dryRun.stdout).toContain('Dry run: nothing was written to the tenant.');
  }),
);

test.concurrent(
  'a name the sender does not read is deployed with a note naming it and the name it most likely meant, in the words npm run check flags it',
  withTenant(file, async ({ deploy }) => {
    const dryRun = await deploy([...SEND, '--dry-run'], { TWILIO_VOCIE: 'Polly.Joanna-Neural', MY_NOTE: 'a note kept beside the secrets' });

    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toContain('\n  note: the sender does not read MY_NOTE, TWILIO_VOCIE (TWILIO_VOICE?); deployed anyway\n');
  }),
);

test.concurrent(
  'custom-phone-provider creates the custom phone provider with text and voice, replaces the one action the trigger allows, then repairs a provider changed in the dashboard without a new version',
  withTenant(file, async ({ api, deploy }) => {
    api.tenant.seedBinding('custom-phone-provider', api.tenant.seedDeployedAction({ name: 'old-sms-gateway', trigger: 'custom-phone-provider' }));

    const first = await deploy(CUSTOM);

    expect(first.code).toBe(0);
    expect(action(api).code.startsWith(bundle('custom-phone-provider'))).toBe(true);
    expect(api.tenant.boundActionNames('custom-phone-provider')).toEqual(['twilio-phone-message']);
    expect(first.stdout).toContain('unbinds old-sms-gateway: Auth0 allows one action on custom-phone-provider');
    expect(api.tenant.phoneProvider).toMatchObject({ name: 'custom', disabled: false, configuration: { delivery_methods: ['text', 'voice'] } });

    // Someone switched the tenant back to Auth0's Twilio provider, SMS only.
    const providerId = String(api.tenant.phoneProvider?.id);
    api.tenant.phoneProvider = { ...api.tenant.phoneProvider, id: providerId, name: 'twilio', configuration: { delivery_methods: ['text'] } };

    const repaired = await deploy(CUSTOM);

    expect(repaired.code).toBe(0);
    expect(repaired.stdout).toContain('provider twilio → custom');
    expect(repaired.stdout).toContain('delivery methods text → text, voice');
    expect(api.tenant.phoneProvider).toMatchObject({ id: providerId, name: 'custom', configuration: { delivery_methods: ['text', 'voice'] } });
    expect(action(api).versions).toHaveLength(1);
    expect(repaired.stdout).toContain('Done: twilio-phone-message was already deployed; the settings above changed, no new version.');
  }),
);

test.concurrent(
  'without a From number or Verify the custom provider delivers text only, since a call needs one of them',
  withTenant(file, async ({ api, deploy }) => {

    const result = await deploy(CUSTOM, { TWILIO_PHONE_NUMBER: undefined, TWILIO_MESSAGING_SERVICE_SID: 'MG00000000000000000000000000000001' });

    expect(result.code).toBe(0);
    expect(api.tenant.phoneProvider?.configuration).toEqual({ delivery_methods: ['text'] });
  }),
);

test.concurrent(
  '--enable-mfa turns on the phone factor, routes codes through the Send Phone Message flow with sms and voice, and warns that every login changes',
  withTenant(file, async ({ api, deploy }) => {

    const result = await deploy([...SEND, '--enable-mfa']);

    expect(result.code).toBe(0);
    expect(api.tenant.guardian.factors.get('sms')).toBe(true);
    expect(api.tenant.guardian.selectedPhoneProvider).toBe('phone-message-hook');
    expect(api.tenant.guardian.messageTypes).toEqual(['sms', 'voice']);
    expect(result.stdout).toContain('! --enable-mfa changes every login on this tenant');

    const writesBefore = api.writes().length;
    expect((await deploy([...SEND, '--enable-mfa'])).code).toBe(0);
    expect(api.writes()).toHaveLength(writesBefore);
  }),
);

test.concurrent(
  "--test sends the trigger's sample event, without its empty secrets, through the deployed action and prints Auth0's answer",
  withTenant(file, async ({ api, deploy }) => {

    const result = await deploy([...SEND, '--test']);

    expect(result.code).toBe(0);
    const sample = JSON.parse(readFileSync(path.join(ROOT, 'samples', 'action-send-phone-message.json'), 'utf8')) as Record<string, unknown>;
    delete sample.secrets;
    expect(api.tenant.testedPayloads).toEqual([{ actionId: action(api).id, payload: sample }]);
    expect(result.stdout).toContain('Testing with samples/action-send-phone-message.json');
    expect(result.stdout).toContain('tested by the fake Management API');
  }),
);
