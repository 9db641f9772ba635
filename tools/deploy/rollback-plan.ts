import type { Management } from 'auth0';
import { DEFAULT_ACTION_NAME, type DeployTrigger } from './args';
import { SEND_PHONE_MESSAGE_PROVIDER } from './desired';
import { DeployError } from './errors';

/**
 * What `--rollback` deploys again: the version made just before the one deployed now, by number,
 * as Auth0's Version History lists them. A pure function of what the tenant holds, so that a dry
 * run prints what a run does. A rollback is itself a new version (Auth0 copies the earlier one),
 * so a second rollback goes back to the version the first replaced.
 */

/** A version as the plan names it: its number and when Auth0 made it. */
export interface VersionMark {
  id: string;
  number: number;
  /** ISO 8601, as Auth0 gives it; undefined when Auth0 gave none. */
  createdAt: string | undefined;
}

export interface RollbackPlan {
  actionId: string;
  actionName: string;
  /** The version deployed now, which the rollback replaces. */
  from: VersionMark;
  /** The earlier version, deployed again as a new version. */
  to: VersionMark;
  /** How many versions the action has. */
  versionCount: number;
}

/** The tenant has no action of that name: nothing was ever deployed to roll back. */
export class NoActionToRollBackError extends DeployError {}

/** The action has no version before the one deployed (or none deployed at all). */
export class NoEarlierVersionError extends DeployError {}

/** The action `--rollback` acts on, once it is known to serve `trigger` and to have a version deployed. */
export function actionToRollBack(action: Management.Action | undefined, name: string, trigger: DeployTrigger): Management.Action & { id: string } {
  if (action?.id === undefined) {
    throw new NoActionToRollBackError(
      `The tenant has no action named ${name}: there is nothing to roll back.`,
      `Check --name (the deploy's default is ${DEFAULT_ACTION_NAME}) and AUTH0_DOMAIN; nothing was changed.`,
    );
  }
  const served = action.supported_triggers?.[0]?.id;
  if (served !== undefined && served !== trigger) {
    throw new DeployError(`The tenant's action ${name} serves the ${served} trigger, not ${trigger}; nothing was changed.`, `Run it with --trigger ${served}, or name the action of ${trigger} with --name.`);
  }
  if (action.deployed_version?.number === undefined) {
    throw new NoEarlierVersionError(`${name} has never been deployed: there is no version to roll back from, and nothing was changed.`, `Deploy it with npm run deploy -- --trigger ${trigger}.`);
  }
  return { ...action, id: action.id };
}

export function planRollback(action: Management.Action & { id: string }, versions: readonly Management.ActionVersion[]): RollbackPlan {
  const name = action.name ?? action.id;
  const from = mark(action.deployed_version);
  if (from === undefined) throw new NoEarlierVersionError(`${name} has never been deployed: there is no version to roll back from, and nothing was changed.`);
  const earlier = versions
    .map(mark)
    .filter((version): version is VersionMark => version !== undefined && version.number < from.number)
    .sort((a, b) => b.number - a.number);
  const to = earlier[0];
  if (to === undefined) {
    throw new NoEarlierVersionError(
      `Version ${from.number} of ${name}, deployed now${made(from)}, is its first: there is no earlier version to roll back to, and nothing was changed.`,
      'To stop Auth0 running it, undo what the deploy switched on, as "Rolling back" in docs/deploy.md says for each trigger.',
    );
  }
  return { actionId: action.id, actionName: name, from, to, versionCount: versions.length };
}

/** What a rollback leaves as it was, by trigger: said after the plan, so that nobody takes it for undone. */
export const NOT_ROLLED_BACK: Readonly<Record<DeployTrigger, string>> = {
  'send-phone-message':
    `Not rolled back: the Send Phone Message bindings, and the MFA settings --enable-mfa made (the phone factor, its provider ${SEND_PHONE_MESSAGE_PROVIDER}, its message types). To turn those back, see "Rolling back" in docs/deploy.md.`,
  'custom-phone-provider':
    'Not rolled back: the Custom Phone Provider binding, and the tenant\'s phone provider, which stays custom. To switch it back, see "Rolling back" in docs/deploy.md.',
};

/** The plan in words: the version deployed again, the one it replaces, and what stays as it is. */
export function describeRollbackPlan(plan: RollbackPlan, trigger: DeployTrigger): string[] {
  return ['Plan:', `  + deploy version ${plan.to.number}${made(plan.to)} again, as a new version, in place of version ${plan.from.number}`, '', NOT_ROLLED_BACK[trigger]];
}

/** ` (made 2026-11-30T10:00:00.000Z)`, or nothing when Auth0 gave no time. */
export function made(version: VersionMark): string {
  return version.createdAt === undefined ? '' : ` (made ${version.createdAt})`;
}

function mark(version: Management.ActionVersion | undefined): VersionMark | undefined {
  if (version?.id === undefined || version.number === undefined) return undefined;
  return { id: version.id, number: version.number, createdAt: version.created_at };
}
