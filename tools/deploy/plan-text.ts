import type { BoundAction, Change, Plan } from './plan';

/** The plan in words, one change a line (details indented), secret names only. */
export function describePlan(plan: Plan): string[] {
  return plan.changes.flatMap(describeChange);
}

export function describeChange(change: Change): string[] {
  switch (change.kind) {
    case 'create-action':
      return [
        `+ create action ${change.name} (trigger ${change.trigger.id} ${change.trigger.version}, runtime ${change.runtime})`,
        `    dependencies: ${change.dependencies.map((dependency) => `${dependency.name}@${dependency.version}`).join(', ')}`,
        `    secrets: ${change.secretNames.join(', ')}`,
      ];
    case 'update-action':
      return [`~ update action ${change.name}`, ...change.reasons.map((reason) => `    ${reason}`)];
    case 'deploy-action':
      return [`+ deploy ${change.name} as a new version (${change.reason})`];
    case 'bind':
      return [`~ bind to ${change.trigger}: ${boundList(change.before)} → ${boundList(change.after)}`, ...unbound(change)];
    case 'create-phone-provider':
      return [`+ create the phone provider: custom, delivery methods ${change.deliveryMethods.join(', ')}`];
    case 'update-phone-provider':
      return [`~ update the phone provider to custom`, ...change.reasons.map((reason) => `    ${reason}`)];
    case 'enable-sms-factor':
      return ['~ MFA: turn on the phone factor (sms)'];
    case 'select-mfa-phone-provider':
      return [`~ MFA: phone provider ${change.from ?? 'none'} → ${change.to} (codes go through the Send Phone Message flow)`];
    case 'set-mfa-message-types':
      return [`~ MFA: phone message types ${change.from.join(', ') || 'none'} → ${change.to.join(', ')}`];
  }
}

function boundList(bound: readonly BoundAction[]): string {
  return bound.length === 0 ? '(none)' : bound.map((action) => (action.self ? `[${action.displayName}]` : action.displayName)).join(', ');
}

function unbound(change: Extract<Change, { kind: 'bind' }>): string[] {
  const removed = change.before.filter((bound) => !bound.self && !change.after.some((kept) => kept.actionId === bound.actionId));
  return removed.length === 0 ? [] : [`    unbinds ${removed.map((bound) => bound.displayName).join(', ')}: Auth0 allows one action on ${change.trigger}`];
}

/** Whether the plan deploys a new version of the action; a binding or a setting alone does not. */
export function createsVersion(plan: Plan): boolean {
  return plan.changes.some((change) => change.kind === 'deploy-action');
}
