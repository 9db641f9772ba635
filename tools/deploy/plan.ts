import type { Management } from 'auth0';
import type { DeployTrigger } from './args';
import { SEND_PHONE_MESSAGE_PROVIDER, type DesiredState } from './desired';
import { DeployError } from './errors';
import { readFingerprint, withoutFingerprint } from './fingerprint';

/**
 * The plan: a pure function from what the tenant holds and what it should hold to the list of
 * changes that takes one to the other. No HTTP here; the same function drives --dry-run and a
 * real run, so what a dry run prints is what a run does.
 */

/** What the command read from the tenant. */
export interface TenantState {
  triggers: readonly Management.ActionTrigger[];
  /** The action with the desired name, if the tenant has one. */
  action?: Management.Action;
  /** The bindings of the desired trigger, in execution order. */
  bindings: readonly Management.ActionBinding[];
  /** Read for Custom Phone Provider only: the tenant's phone provider, null when none is configured. */
  phoneProvider?: Management.PhoneProviderSchemaMasked | null;
  /** Read with --enable-mfa only. */
  guardian?: GuardianPhoneState;
}

export interface GuardianPhoneState {
  smsFactorEnabled: boolean;
  selectedProvider: string | undefined;
  messageTypes: readonly string[];
}

/** An action in a trigger's bindings; `self` is the action being deployed (its id may not exist yet). */
export interface BoundAction {
  self: boolean;
  actionId: string | undefined;
  displayName: string;
}

export type Change =
  | { kind: 'create-action'; name: string; trigger: { id: DeployTrigger; version: string }; runtime: string; dependencies: DesiredState['dependencies']; secretNames: string[] }
  | { kind: 'update-action'; actionId: string; name: string; trigger: { id: DeployTrigger; version: string }; reasons: string[] }
  | { kind: 'deploy-action'; name: string; reason: string }
  | { kind: 'bind'; trigger: DeployTrigger; before: BoundAction[]; after: BoundAction[] }
  | { kind: 'create-phone-provider'; deliveryMethods: Array<'text' | 'voice'> }
  | { kind: 'update-phone-provider'; providerId: string; deliveryMethods: Array<'text' | 'voice'>; reasons: string[] }
  | { kind: 'enable-sms-factor' }
  | { kind: 'select-mfa-phone-provider'; from: string | undefined; to: typeof SEND_PHONE_MESSAGE_PROVIDER }
  | { kind: 'set-mfa-message-types'; from: readonly string[]; to: Array<'sms' | 'voice'> };

export interface Plan {
  /** The trigger version the action targets: the tenant's CURRENT version of the trigger. */
  triggerVersion: string;
  /** In the order they must be applied. Empty: the tenant already holds the desired state. */
  changes: Change[];
}

export function planDeploy(tenant: TenantState, desired: DesiredState): Plan {
  const triggerVersion = currentTriggerVersion(tenant.triggers, desired.trigger);
  const trigger = { id: desired.trigger, version: triggerVersion };
  const changes: Change[] = [];
  const action = tenant.action;

  if (action === undefined) {
    changes.push({ kind: 'create-action', name: desired.name, trigger, runtime: desired.runtime, dependencies: desired.dependencies, secretNames: desired.secretNames });
    changes.push({ kind: 'deploy-action', name: desired.name, reason: 'first version' });
  } else {
    const actionTrigger = action.supported_triggers?.[0]?.id;
    if (actionTrigger !== undefined && actionTrigger !== desired.trigger) {
      throw new DeployError(
        `The tenant's action ${desired.name} serves the ${actionTrigger} trigger, not ${desired.trigger}; an action serves one trigger.`,
        `Deploy under another name: --name ${desired.name}-${desired.trigger}.`,
      );
    }
    const reasons = actionDifferences(action, desired, triggerVersion);
    if (reasons.length > 0) {
      changes.push({ kind: 'update-action', actionId: requireId(action.id), name: desired.name, trigger, reasons });
      changes.push({ kind: 'deploy-action', name: desired.name, reason: 'the draft changed' });
    } else if (action.deployed_version === undefined) {
      changes.push({ kind: 'deploy-action', name: desired.name, reason: 'the action was never deployed' });
    } else if (action.all_changes_deployed !== true) {
      changes.push({ kind: 'deploy-action', name: desired.name, reason: 'the draft holds changes not deployed yet' });
    }
  }

  const binding = bindingChange(tenant.bindings, action?.id, desired);
  if (binding) changes.push(binding);
  if (desired.phoneProvider) changes.push(...phoneProviderChanges(tenant.phoneProvider, desired.phoneProvider.deliveryMethods));
  if (desired.mfa) changes.push(...mfaChanges(tenant.guardian, desired.mfa.messageTypes));
  return { triggerVersion, changes };
}

/** Auth0 lists each version of a trigger; an action targets the one marked CURRENT. */
export function currentTriggerVersion(triggers: readonly Management.ActionTrigger[], id: DeployTrigger): string {
  const current = triggers.find((trigger) => trigger.id === id && trigger.status?.toUpperCase() === 'CURRENT' && trigger.version !== undefined);
  if (current?.version === undefined) {
    throw new DeployError(`The tenant offers no current version of the ${id} trigger.`, 'Auth0 may not have enabled this trigger on the tenant; check Actions > Triggers in the dashboard.');
  }
  return current.version;
}

/** Why the draft differs from what should be deployed; empty when it holds exactly that. */
function actionDifferences(action: Management.Action, desired: DesiredState, triggerVersion: string): string[] {
  const reasons: string[] = [];
  const version = action.supported_triggers?.[0]?.version;
  if (version !== triggerVersion) reasons.push(`trigger version ${version ?? 'none'} → ${triggerVersion}`);
  if (action.runtime !== desired.runtime) reasons.push(`runtime ${action.runtime ?? 'none'} → ${desired.runtime}`);

  const current = new Map((action.dependencies ?? []).map((dependency) => [dependency.name ?? '', dependency.version ?? '']));
  for (const { name, version: wanted } of desired.dependencies) {
    const had = current.get(name);
    if (had === undefined) reasons.push(`dependency ${name}@${wanted} added`);
    else if (had !== wanted) reasons.push(`dependency ${name} ${had} → ${wanted}`);
  }
  for (const name of current.keys()) {
    if (!desired.dependencies.some((dependency) => dependency.name === name)) reasons.push(`dependency ${name} removed`);
  }

  if (withoutFingerprint(action.code ?? '') !== withoutFingerprint(desired.code)) reasons.push(`code: ${desired.bundlePath} differs from the draft`);

  const currentNames = (action.secrets ?? []).map((secret) => secret.name ?? '');
  for (const name of desired.secretNames) if (!currentNames.includes(name)) reasons.push(`secret ${name} added`);
  for (const name of currentNames) if (!desired.secretNames.includes(name)) reasons.push(`secret ${name} removed (not in the secrets file)`);
  const previousTags = readFingerprint(action.code);
  const kept = desired.secretNames.filter((name) => currentNames.includes(name));
  if (previousTags === undefined) {
    if (kept.length > 0) reasons.push('secret values: no fingerprint from an earlier deploy to compare with, so all are written');
  } else {
    for (const name of kept) if (previousTags.get(name) !== desired.secretTags.get(name)) reasons.push(`secret ${name}: value changed`);
  }
  // Anything else in the code's last lines (a fingerprint written differently) still makes the drafts differ.
  if (reasons.length === 0 && action.code !== desired.code) reasons.push('secrets fingerprint comment differs');
  return reasons;
}

/**
 * Send Phone Message: the tenant's other actions stay bound in their order, this one is added
 * once, at the end. Custom Phone Provider: Auth0 allows one action on that trigger, so this one
 * replaces whatever is bound.
 */
function bindingChange(bindings: readonly Management.ActionBinding[], actionId: string | undefined, desired: DesiredState): Change | undefined {
  const before = bindings.map(
    (binding): BoundAction => ({
      self: actionId !== undefined && binding.action?.id === actionId,
      actionId: binding.action?.id,
      displayName: binding.display_name ?? binding.action?.name ?? binding.action?.id ?? 'unnamed action',
    }),
  );
  const self: BoundAction = { self: true, actionId, displayName: desired.name };
  if (desired.trigger === 'custom-phone-provider') {
    return before.length === 1 && before[0]?.self ? undefined : { kind: 'bind', trigger: desired.trigger, before, after: [self] };
  }
  return before.some((bound) => bound.self) ? undefined : { kind: 'bind', trigger: desired.trigger, before, after: [...before, self] };
}

function phoneProviderChanges(current: Management.PhoneProviderSchemaMasked | null | undefined, deliveryMethods: Array<'text' | 'voice'>): Change[] {
  if (!current) return [{ kind: 'create-phone-provider', deliveryMethods }];
  const reasons: string[] = [];
  if (current.name !== 'custom') reasons.push(`provider ${current.name} → custom`);
  if (current.disabled === true) reasons.push('disabled → enabled');
  const methods = current.configuration && 'delivery_methods' in current.configuration ? current.configuration.delivery_methods : undefined;
  if (!sameSet(methods ?? [], deliveryMethods)) reasons.push(`delivery methods ${(methods ?? []).join(', ') || 'none'} → ${deliveryMethods.join(', ')}`);
  return reasons.length === 0 ? [] : [{ kind: 'update-phone-provider', providerId: requireId(current.id), deliveryMethods, reasons }];
}

function mfaChanges(current: GuardianPhoneState | undefined, messageTypes: Array<'sms' | 'voice'>): Change[] {
  if (current === undefined) throw new Error('planDeploy needs the Guardian phone state to plan --enable-mfa');
  const changes: Change[] = [];
  if (!current.smsFactorEnabled) changes.push({ kind: 'enable-sms-factor' });
  if (current.selectedProvider !== SEND_PHONE_MESSAGE_PROVIDER) changes.push({ kind: 'select-mfa-phone-provider', from: current.selectedProvider, to: SEND_PHONE_MESSAGE_PROVIDER });
  if (!sameSet(current.messageTypes, messageTypes)) changes.push({ kind: 'set-mfa-message-types', from: current.messageTypes, to: messageTypes });
  return changes;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item) => b.includes(item));
}

function requireId(id: string | undefined): string {
  if (id === undefined) throw new DeployError('Auth0 returned an object without an id.', 'Run the command again.');
  return id;
}
