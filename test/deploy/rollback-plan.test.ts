import type { Management } from 'auth0';
import { actionToRollBack, describeRollbackPlan, NoActionToRollBackError, NoEarlierVersionError, planRollback } from '../../tools/deploy/rollback-plan';
import { DeployError } from '../../tools/deploy/errors';

/** Which version --rollback deploys again, and the plan's words: a pure function of what the tenant holds. */

const made = (number: number): string => `2026-11-${String(number).padStart(2, '0')}T10:00:00.000Z`;
const version = (number: number, deployed = false): Management.ActionVersion => ({ id: `ver_${number}`, number, deployed, created_at: made(number) });

function deployedAt(number: number): Management.Action & { id: string } {
  return { id: 'act_1', name: 'twilio-phone-message', supported_triggers: [{ id: 'send-phone-message', version: 'v2' }], deployed_version: version(number, true) };
}

describe('planRollback', () => {
  it('goes back to the version numbered just before the deployed one, whatever order Auth0 lists them in', () => {
    const versions = [version(1), version(3, true), version(2)];
    expect(planRollback(deployedAt(3), versions)).toEqual({
      actionId: 'act_1',
      actionName: 'twilio-phone-message',
      from: { id: 'ver_3', number: 3, createdAt: made(3) },
      to: { id: 'ver_2', number: 2, createdAt: made(2) },
      versionCount: 3,
    });
  });

  it('after a rollback (version 4, a copy of 2), goes back to the version the rollback replaced', () => {
    expect(planRollback(deployedAt(4), [version(4, true), version(3), version(2), version(1)]).to.number).toBe(3);
  });

  it('from a version deployed again in the dashboard (2 of 3), goes back to the one before it, not to the newest', () => {
    expect(planRollback(deployedAt(2), [version(3), version(2, true), version(1)]).to.number).toBe(1);
  });

  it('refuses when the deployed version is the first, naming it and when it was made', () => {
    const plan = () => planRollback(deployedAt(1), [version(1, true)]);
    expect(plan).toThrow(NoEarlierVersionError);
    expect(plan).toThrow(`Version 1 of twilio-phone-message, deployed now (made ${made(1)}), is its first: there is no earlier version to roll back to, and nothing was changed.`);
  });
});

describe('actionToRollBack', () => {
  it('refuses a missing action, one of another trigger, and one never deployed, each with its own error', () => {
    expect(() => actionToRollBack(undefined, 'sms', 'send-phone-message')).toThrow(NoActionToRollBackError);
    const otherTrigger: Management.Action = { ...deployedAt(2), supported_triggers: [{ id: 'custom-phone-provider', version: 'v1' }] };
    expect(() => actionToRollBack(otherTrigger, 'twilio-phone-message', 'send-phone-message')).toThrow(DeployError);
    expect(() => actionToRollBack(otherTrigger, 'twilio-phone-message', 'send-phone-message')).toThrow('serves the custom-phone-provider trigger, not send-phone-message');
    const { deployed_version: _never, ...undeployed } = deployedAt(2);
    expect(() => actionToRollBack(undeployed, 'twilio-phone-message', 'send-phone-message')).toThrow(NoEarlierVersionError);
    expect(actionToRollBack(deployedAt(2), 'twilio-phone-message', 'send-phone-message').id).toBe('act_1');
  });
});

describe('the plan in words', () => {
  const plan = planRollback(deployedAt(3), [version(3, true), version(2), version(1)]);

  it('names the version deployed again, when it was made, and the one it replaces', () => {
    expect(describeRollbackPlan(plan, 'send-phone-message').slice(0, 2)).toEqual(['Plan:', `  + deploy version 2 (made ${made(2)}) again, as a new version, in place of version 3`]);
  });

  it('says, per trigger, what the deploy switched that the rollback leaves as it is, and where the way back is written', () => {
    expect(describeRollbackPlan(plan, 'send-phone-message')[3]).toBe(
      'Not rolled back: the Send Phone Message bindings, and the MFA settings --enable-mfa made (the phone factor, its provider phone-message-hook, its message types). To turn those back, see "Rolling back" in docs/deploy.md.',
    );
    expect(describeRollbackPlan(plan, 'custom-phone-provider')[3]).toBe(
      'Not rolled back: the Custom Phone Provider binding, and the tenant\'s phone provider, which stays custom. To switch it back, see "Rolling back" in docs/deploy.md.',
    );
  });
});
