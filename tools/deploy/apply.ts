import type { Management } from 'auth0';
import { waitForBuild } from './build-wait';
import type { DesiredState } from './desired';
import { DeployError } from './errors';
import type { Output } from './output';
import type { Plan } from './plan';
import type { TenantApi } from './tenant-api';

/**
 * Carries out a plan, change by change, in its order: the action's draft, its build and deploy
 * (the one step that makes a version), the binding, then the phone provider or MFA settings,
 * which must only point at an action that is deployed and bound.
 */

export interface ApplyContext {
  api: TenantApi;
  desired: DesiredState;
  /** The values behind desired.secretNames; they go into the request bodies and nowhere else. */
  secretValues: ReadonlyMap<string, string>;
  /** The id of the action when the tenant already has it. */
  actionId: string | undefined;
  buildTimeoutMs: number;
  output: Output;
}

export interface ApplyResult {
  actionId: string;
  /** The number of the version this run deployed, if it deployed one. */
  deployedVersion?: number;
}

export async function applyPlan(plan: Plan, context: ApplyContext): Promise<ApplyResult> {
  let actionId = context.actionId;
  let deployedVersion: number | undefined;
  const requireActionId = (): string => {
    if (actionId === undefined) throw new DeployError('The plan uses the action before creating it.', 'This is a bug in the deploy command; report it with this output.');
    return actionId;
  };

  for (const change of plan.changes) {
    switch (change.kind) {
      case 'create-action': {
        const created = await context.api.createAction({ name: change.name, supported_triggers: [change.trigger], ...actionContent(context) });
        actionId = created.id;
        context.output.line(`  created action ${change.name} (${created.id ?? 'no id'})`);
        break;
      }
      case 'update-action':
        await context.api.updateAction(change.actionId, { supported_triggers: [change.trigger], ...actionContent(context) });
        context.output.line(`  updated the draft of ${change.name}`);
        break;
      case 'deploy-action': {
        const id = requireActionId();
        await waitForBuild(() => context.api.getAction(id), change.name, context.buildTimeoutMs, { onStatus: (status) => context.output.line(`  build: ${status}`) });
        const version = await context.api.deployAction(id);
        deployedVersion = version.number;
        context.output.line(`  deployed ${change.name} version ${version.number ?? '?'}`);
        break;
      }
      case 'bind': {
        const id = requireActionId();
        const bindings = change.after.map((bound): Management.ActionBindingWithRef => ({
          // Bound actions are named by id, as they were read; names can be ambiguous across edits.
          ref: { type: 'action_id', value: bound.self ? id : bound.actionId },
          display_name: bound.displayName,
        }));
        const result = await context.api.updateBindings(
          change.trigger,
          bindings,
          deployedVersion === undefined ? undefined : (waitMs) => context.output.line(`  the trigger does not see the new version yet; binding again in ${waitMs / 1000} s`),
        );
        context.output.line(`  bound to ${change.trigger}: ${(result.bindings ?? []).map((binding) => binding.display_name ?? binding.action?.name).join(', ')}`);
        break;
      }
      case 'create-phone-provider':
        await context.api.createPhoneProvider(customProvider(change.deliveryMethods));
        context.output.line(`  created the phone provider: custom (${change.deliveryMethods.join(', ')})`);
        break;
      case 'update-phone-provider':
        await context.api.updatePhoneProvider(change.providerId, customProvider(change.deliveryMethods));
        context.output.line(`  updated the phone provider: custom (${change.deliveryMethods.join(', ')})`);
        break;
      case 'enable-sms-factor':
        await context.api.enableSmsFactor();
        context.output.line('  MFA: phone factor on');
        break;
      case 'select-mfa-phone-provider':
        await context.api.selectMfaPhoneProvider(change.to);
        context.output.line(`  MFA: phone provider ${change.to}`);
        break;
      case 'set-mfa-message-types':
        await context.api.setMfaMessageTypes(change.to);
        context.output.line(`  MFA: message types ${change.to.join(', ')}`);
        break;
      default:
        unreachable(change);
    }
  }
  return { actionId: requireActionId(), ...(deployedVersion === undefined ? {} : { deployedVersion }) };
}

/**
 * The draft's whole content, every time: Auth0 replaces the secrets list on update (a name left
 * out is deleted), so all secrets are sent, with their values, whenever the draft is written.
 */
function actionContent(context: ApplyContext): Pick<Management.CreateActionRequestContent, 'code' | 'runtime' | 'dependencies' | 'secrets'> {
  return {
    code: context.desired.code,
    runtime: context.desired.runtime,
    dependencies: context.desired.dependencies,
    secrets: context.desired.secretNames.map((name) => ({ name, value: context.secretValues.get(name) })),
  };
}

/** A custom provider has no credentials of its own: the action holds them, as its secrets. */
function customProvider(deliveryMethods: Array<'text' | 'voice'>): Management.CreateBrandingPhoneProviderRequestContent {
  return { name: 'custom', disabled: false, configuration: { delivery_methods: deliveryMethods }, credentials: {} };
}

function unreachable(change: never): never {
  throw new Error(`Unhandled change ${JSON.stringify(change)}`);
}

