import type { Management } from 'auth0';
import type { DesiredState } from '../../tools/deploy/desired';
import { DeployError } from '../../tools/deploy/errors';
import { fingerprintKey, readFingerprint, secretTags, withFingerprint } from '../../tools/deploy/fingerprint';
import { planDeploy, type Change, type TenantState } from '../../tools/deploy/plan';
import { describePlan } from '../../tools/deploy/plan-text';
import { rateLimitWaitMs } from '../../tools/deploy/rate-limit';

/** planDeploy as a pure function: tenant state and desired state in, changes out, no HTTP. */

const BUNDLE = 'exports.onExecuteSendPhoneMessage = async () => {};';
const KEY = fingerprintKey('client-secret');
const SECRETS = new Map([
  ['TWILIO_ACCOUNT_SID', 'AC00000000000000000000000000000001'],
  ['TWILIO_AUTH_TOKEN', 'token-one'],
  ['TWILIO_PHONE_NUMBER', '+15005550006'],
]);

const TRIGGERS: Management.ActionTrigger[] = [
  { id: 'send-phone-message', version: 'v1', status: 'DEPRECATED' },
  { id: 'send-phone-message', version: 'v2', status: 'CURRENT' },
  { id: 'custom-phone-provider', version: 'v1', status: 'CURRENT' },
];

function desired(overrides: Partial<DesiredState> = {}, secrets: ReadonlyMap<string, string> = SECRETS): DesiredState {
  const tags = secretTags(KEY, secrets);
  return {
    name: 'twilio-phone-message',
    trigger: 'send-phone-message',
    runtime: 'node22',
    code: withFingerprint(BUNDLE, tags),
    bundlePath: 'dist/actions/send-phone-message.js',
    dependencies: [{ name: 'twilio', version: '5.13.1' }],
    secretNames: [...secrets.keys()],
    secretTags: tags,
    ...overrides,
  };
}

/** The action as a previous deploy of `state` left it: deployed, draft identical. */
function deployedAction(state: DesiredState, overrides: Partial<Management.Action> = {}): Management.Action {
  return {
    id: 'act_1',
    name: state.name,
    supported_triggers: [{ id: state.trigger, version: state.trigger === 'send-phone-message' ? 'v2' : 'v1' }],
    code: state.code,
    runtime: state.runtime,
    dependencies: state.dependencies,
    secrets: state.secretNames.map((name) => ({ name, updated_at: '2026-01-01T00:00:00.000Z' })),
    all_changes_deployed: true,
    deployed_version: { id: 'ver_3', number: 3, deployed: true },
    status: 'built',
    ...overrides,
  };
}

function binding(actionId: string, name: string): Management.ActionBinding {
  return { id: `bind_${actionId}`, display_name: name, action: { id: actionId, name } };
}

function kinds(changes: Change[]): string[] {
  return changes.map((change) => change.kind);
}

describe('planDeploy', () => {
  test('an empty tenant gets the action created, deployed, and bound after the actions already bound', () => {
    const tenant: TenantState = { triggers: TRIGGERS, bindings: [binding('a', 'audit-log'), binding('b', 'geo-block')] };

    const plan = planDeploy(tenant, desired());

    expect(plan.triggerVersion).toBe('v2');
    expect(kinds(plan.changes)).toEqual(['create-action', 'deploy-action', 'bind']);
    expect(plan.changes[2]).toMatchObject({
      after: [
        { actionId: 'a', displayName: 'audit-log', self: false },
        { actionId: 'b', displayName: 'geo-block', self: false },
        { actionId: undefined, displayName: 'twilio-phone-message', self: true },
      ],
    });
  });

  test('a tenant that already holds the deployed, bound action needs nothing, wherever it is bound', () => {
    const state = desired();
    const tenant: TenantState = { triggers: TRIGGERS, action: deployedAction(state), bindings: [binding('act_1', 'twilio-phone-message'), binding('a', 'audit-log')] };

    expect(planDeploy(tenant, state).changes).toEqual([]);
  });

  test('a changed secret value updates and deploys once, naming that secret only', () => {
    const before = desired();
    const rotated = desired({}, new Map([...SECRETS, ['TWILIO_AUTH_TOKEN', 'token-two']]));
    const tenant: TenantState = { triggers: TRIGGERS, action: deployedAction(before), bindings: [binding('act_1', 'twilio-phone-message')] };

    const plan = planDeploy(tenant, rotated);

    expect(kinds(plan.changes)).toEqual(['update-action', 'deploy-action']);
    expect(plan.changes[0]).toMatchObject({ reasons: ['secret TWILIO_AUTH_TOKEN: value changed'] });
    expect(describePlan(plan).join('\n')).not.toContain('token-two');
  });

  test('an added and a removed secret, a new dependency version, an old runtime and trigger version are each named', () => {
    const state = desired({ dependencies: [{ name: 'twilio', version: '5.13.1' }] });
    const action = deployedAction(state, {
      runtime: 'node18',
      supported_triggers: [{ id: 'send-phone-message', version: 'v1' }],
      dependencies: [{ name: 'twilio', version: '5.0.0' }],
      secrets: [{ name: 'TWILIO_ACCOUNT_SID' }, { name: 'TWILIO_AUTH_TOKEN' }, { name: 'LEGACY_KEY' }],
    });

    const plan = planDeploy({ triggers: TRIGGERS, action, bindings: [] }, state);

    expect(plan.changes[0]).toMatchObject({
      kind: 'update-action',
      reasons: [
        'trigger version v1 → v2',
        'runtime node18 → node22',
        'dependency twilio 5.0.0 → 5.13.1',
        'secret TWILIO_PHONE_NUMBER added',
        'secret LEGACY_KEY removed (not in the secrets file)',
      ],
    });
  });

  test('an action made by hand, without a fingerprint, has its secrets written once, since their values cannot be compared', () => {
    const state = desired();
    const action = deployedAction(state, { code: `${BUNDLE}\n` });

    const plan = planDeploy({ triggers: TRIGGERS, action, bindings: [binding('act_1', 'twilio-phone-message')] }, state);

    expect(plan.changes[0]).toMatchObject({ kind: 'update-action', reasons: ['secret values: no fingerprint from an earlier deploy to compare with, so all are written'] });
  });

  test('a changed bundle updates the draft; a draft identical but undeployed is only deployed', () => {
    const state = desired();
    const edited = planDeploy({ triggers: TRIGGERS, action: deployedAction(desired({ code: withFingerprint('// older bundle', state.secretTags) })), bindings: [] }, state);
    const undeployed = planDeploy({ triggers: TRIGGERS, action: deployedAction(state, { all_changes_deployed: false }), bindings: [binding('act_1', 'twilio-phone-message')] }, state);

    expect(edited.changes[0]).toMatchObject({ kind: 'update-action', reasons: ['code: dist/actions/send-phone-message.js differs from the draft'] });
    expect(undeployed.changes).toEqual([{ kind: 'deploy-action', name: 'twilio-phone-message', reason: 'the draft holds changes not deployed yet' }]);
  });

  test('custom-phone-provider replaces the one bound action and creates the custom provider; a matching provider is left alone', () => {
    const state = desired({ trigger: 'custom-phone-provider', phoneProvider: { deliveryMethods: ['text', 'voice'] } });
    const fresh = planDeploy({ triggers: TRIGGERS, bindings: [binding('old', 'old-gateway')], phoneProvider: null }, state);
    const settled = planDeploy(
      {
        triggers: TRIGGERS,
        action: deployedAction(state),
        bindings: [binding('act_1', 'twilio-phone-message')],
        phoneProvider: { id: 'pro_1', name: 'custom', disabled: false, configuration: { delivery_methods: ['voice', 'text'] } },
      },
      state,
    );

    expect(kinds(fresh.changes)).toEqual(['create-action', 'deploy-action', 'bind', 'create-phone-provider']);
    expect(fresh.changes[2]).toMatchObject({ after: [{ self: true }] });
    expect(settled.changes).toEqual([]);
  });

  test('--enable-mfa changes only the Guardian settings that differ', () => {
    const state = desired({ mfa: { messageTypes: ['sms', 'voice'] } });
    const tenant: TenantState = {
      triggers: TRIGGERS,
      action: deployedAction(state),
      bindings: [binding('act_1', 'twilio-phone-message')],
      guardian: { smsFactorEnabled: true, selectedProvider: 'auth0', messageTypes: ['sms'] },
    };

    expect(planDeploy(tenant, state).changes).toEqual([
      { kind: 'select-mfa-phone-provider', from: 'auth0', to: 'phone-message-hook' },
      { kind: 'set-mfa-message-types', from: ['sms'], to: ['sms', 'voice'] },
    ]);
  });

  test('an action of the same name on another trigger is refused, with a name to use instead', () => {
    const state = desired();
    const action = deployedAction(state, { supported_triggers: [{ id: 'post-login', version: 'v3' }] });

    expect(() => planDeploy({ triggers: TRIGGERS, action, bindings: [] }, state)).toThrow(DeployError);
    expect(() => planDeploy({ triggers: TRIGGERS, action, bindings: [] }, state)).toThrow(/serves the post-login trigger/);
  });
});

describe('the secrets fingerprint', () => {
  test('tags change with the value, the name and the key, and the comment reads back what was written', () => {
    const tags = secretTags(KEY, SECRETS);

    expect(secretTags(KEY, new Map([['TWILIO_AUTH_TOKEN', 'token-one']])).get('TWILIO_AUTH_TOKEN')).toBe(tags.get('TWILIO_AUTH_TOKEN'));
    expect(secretTags(KEY, new Map([['TWILIO_AUTH_TOKEN', 'token-two']])).get('TWILIO_AUTH_TOKEN')).not.toBe(tags.get('TWILIO_AUTH_TOKEN'));
    expect(secretTags(KEY, new Map([['OTHER_NAME', 'token-one']])).get('OTHER_NAME')).not.toBe(tags.get('TWILIO_AUTH_TOKEN'));
    expect(secretTags(fingerprintKey('another-client-secret'), SECRETS).get('TWILIO_AUTH_TOKEN')).not.toBe(tags.get('TWILIO_AUTH_TOKEN'));
    const code = withFingerprint(BUNDLE, tags);
    expect(readFingerprint(code)).toEqual(tags);
    expect(withFingerprint(code, tags)).toBe(code);
    for (const value of SECRETS.values()) expect(code).not.toContain(value);
  });
});

describe('the wait a 429 asks for', () => {
  const now = Date.parse('2026-03-01T12:00:00.000Z');

  test('retry-after first, then x-ratelimit-reset, then a doubling fallback', () => {
    expect(rateLimitWaitMs(new Headers({ 'retry-after': '3', 'x-ratelimit-reset': String(now / 1000 + 10) }), 0, now)).toBe(3000);
    expect(rateLimitWaitMs(new Headers({ 'x-ratelimit-reset': String(now / 1000 + 10) }), 0, now)).toBe(10_000);
    expect(rateLimitWaitMs(new Headers(), 2, now)).toBe(4000);
  });

  test("retry-after as an HTTP date, from the command's own clock, read as the sender reads Twilio's", () => {
    expect(rateLimitWaitMs(new Headers({ 'retry-after': 'Sun, 01 Mar 2026 12:00:07 GMT' }), 0, now)).toBe(7000);
    expect(rateLimitWaitMs(new Headers({ 'retry-after': 'Sun, 01 Mar 2026 11:59:00 GMT' }), 0, now)).toBe(0);
    expect(rateLimitWaitMs(new Headers({ 'retry-after': 'soon', 'x-ratelimit-reset': String(now / 1000 + 10) }), 0, now)).toBe(10_000);
  });
});
