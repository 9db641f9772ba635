import { setTimeout as sleep } from 'node:timers/promises';
import { ManagementClient, ManagementError, TokenProvider, type Management } from 'auth0';
import type { DeployOptions, DeployTrigger } from './args';
import type { DesiredState } from './desired';
import { explainFailure } from './errors';
import type { Output } from './output';
import type { GuardianPhoneState, TenantState } from './plan';
import { withRateLimitRetry } from './rate-limit';
import type { ManagementCredentials } from './secrets-file';

/**
 * The Management API as the command uses it: the scopes its calls need, and the calls, through
 * Auth0's SDK (ManagementClient), each one retried on 429 within bounds (a bind right after a
 * deploy also while Auth0 catches up) and its failure turned into a DeployError that names the fix.
 */

/**
 * The Management API scopes a run uses, exactly: what the machine-to-machine application must be
 * granted. Scopes per endpoint as Auth0 documents them: reading actions, triggers and bindings
 * needs read:actions; creating, deploying and testing an action create:actions; updating an action
 * and its trigger's bindings update:actions.
 */
export const ACTION_SCOPES = ['read:actions', 'create:actions', 'update:actions'] as const;
/** Custom Phone Provider: Branding > Phone Provider. */
export const PHONE_PROVIDER_SCOPES = ['read:phone_providers', 'create:phone_providers', 'update:phone_providers'] as const;
/** --enable-mfa: the phone factor, its provider and its message types. */
export const MFA_SCOPES = ['read:guardian_factors', 'update:guardian_factors'] as const;
/** npm run check (and the deploy's --check): whether the tenant offers calls, from the MFA phone message types. */
export const TENANT_CALLS_SCOPES = ['read:guardian_factors'] as const;

/** --rollback: reading the action and its versions, deploying an earlier one. */
export const ROLLBACK_SCOPES = ['read:actions', 'create:actions'] as const;

export function requiredScopes(options: Pick<DeployOptions, 'trigger' | 'enableMfa' | 'rollback'>): string[] {
  if (options.rollback) return [...ROLLBACK_SCOPES];
  return [...ACTION_SCOPES, ...(options.trigger === 'custom-phone-provider' ? PHONE_PROVIDER_SCOPES : []), ...(options.enableMfa ? MFA_SCOPES : [])];
}

/** How long one request may take, in seconds, before the run fails with a timeout. */
export const REQUEST_TIMEOUT_SECONDS = 30;
/** Page size for lists; Auth0 caps it at 50 (100 for some endpoints), 50 works for all used here. */
const PAGE_SIZE = 50;

export interface TenantApiHooks {
  /** Told of each rate-limit wait, to print it. */
  onRateLimitWait: (what: string, waitMs: number, retry: number) => void;
}

/** The hooks that print each rate-limit wait as a line of the run's output. */
export function printedWaits(output: Output): TenantApiHooks {
  return { onRateLimitWait: (what, waitMs, retry) => output.line(`  Auth0 rate limit while ${what}: waiting ${(waitMs / 1000).toFixed(1)} s (retry ${retry})`) };
}

export class TenantApi {
  private constructor(
    private readonly client: ManagementClient,
    private readonly domain: string,
    private readonly requiredScopes: readonly string[],
    private readonly hooks: TenantApiHooks,
  ) {}

  /**
   * Signs in with client credentials (POST /oauth/token) before anything else, so that a wrong
   * domain or wrong credentials fail first, with the fix for that and nothing half-done.
   */
  static async connect(credentials: ManagementCredentials, requiredScopes: readonly string[], hooks: TenantApiHooks): Promise<TenantApi> {
    const audience = `https://${credentials.domain}/api/v2/`;
    const tokens = new TokenProvider({ domain: credentials.domain, clientId: credentials.clientId, clientSecret: credentials.clientSecret, audience });
    try {
      await tokens.getAccessToken();
    } catch (error) {
      throw explainFailure(error, { domain: credentials.domain, stage: 'token', doing: 'signing in', requiredScopes });
    }
    const client = new ManagementClient({
      domain: credentials.domain,
      token: () => tokens.getAccessToken(),
      // Retries are withRateLimitRetry's alone, so their bound is the one documented there.
      maxRetries: 0,
      timeoutInSeconds: REQUEST_TIMEOUT_SECONDS,
      logging: { silent: true },
    });
    return new TenantApi(client, credentials.domain, requiredScopes, hooks);
  }

  private async call<T>(doing: string, request: () => Promise<T>, options: { creatingAction?: boolean } = {}): Promise<T> {
    try {
      return await withRateLimitRetry(request, doing, { onWait: (waitMs, retry) => this.hooks.onRateLimitWait(doing, waitMs, retry) });
    } catch (error) {
      throw explainFailure(error, { domain: this.domain, stage: 'api', doing, requiredScopes: this.requiredScopes, ...options });
    }
  }

  /** Reads what the plan compares against: read scopes only, so a dry run needs no write scope. */
  async readState(desired: DesiredState): Promise<TenantState> {
    const triggers = await this.listTriggers();
    const action = await this.findAction(desired.name);
    const bindings = await this.listBindings(desired.trigger);
    return {
      triggers,
      ...(action ? { action } : {}),
      bindings,
      ...(desired.phoneProvider ? { phoneProvider: await this.phoneProvider() } : {}),
      ...(desired.mfa ? { guardian: await this.guardianPhoneState() } : {}),
    };
  }

  async listTriggers(): Promise<Management.ActionTrigger[]> {
    const response = await this.call('reading the triggers', () => this.client.actions.triggers.list());
    return response.triggers ?? [];
  }

  /** The action with exactly this name, read in full, or undefined. */
  async findAction(name: string): Promise<Management.Action | undefined> {
    const found = await this.call('looking up the action', async () => {
      const matches: Management.Action[] = [];
      for await (const action of await this.client.actions.list({ actionName: name, per_page: PAGE_SIZE })) {
        if (action.name === name) matches.push(action);
      }
      return matches[0];
    });
    return found?.id === undefined ? found : this.getAction(found.id);
  }

  getAction(id: string): Promise<Management.GetActionResponseContent> {
    return this.call('reading the action', () => this.client.actions.get(id));
  }

  createAction(request: Management.CreateActionRequestContent): Promise<Management.CreateActionResponseContent> {
    return this.call('creating the action', () => this.client.actions.create(request), { creatingAction: true });
  }

  updateAction(id: string, request: Management.UpdateActionRequestContent): Promise<Management.UpdateActionResponseContent> {
    return this.call('updating the action', () => this.client.actions.update(id, request));
  }

  deployAction(id: string): Promise<Management.DeployActionResponseContent> {
    return this.call('deploying the action', () => this.client.actions.deploy(id));
  }

  /** Every version of the action, as Auth0 lists them a page at a time. */
  async listVersions(actionId: string): Promise<Management.ActionVersion[]> {
    return this.call('reading the versions of the action', async () => {
      const versions: Management.ActionVersion[] = [];
      for await (const version of await this.client.actions.versions.list(actionId, { per_page: PAGE_SIZE })) versions.push(version);
      return versions;
    });
  }

  /**
   * Auth0's roll-back: a new version, a copy of `versionId`, deployed in place of the one before;
   * the draft becomes that copy too (`update_draft`), as the dashboard's Revert leaves it, so that
   * the editor shows the code that runs.
   */
  deployVersion(actionId: string, versionId: string): Promise<Management.DeployActionVersionResponseContent> {
    return this.call('deploying the earlier version', () => this.client.actions.versions.deploy(actionId, versionId, { update_draft: true }));
  }

  testAction(id: string, payload: Management.TestActionPayload): Promise<Management.TestActionResponseContent> {
    return this.call('testing the action', () => this.client.actions.test(id, { payload }));
  }

  async listBindings(trigger: DeployTrigger): Promise<Management.ActionBinding[]> {
    return this.call('reading the trigger bindings', async () => {
      const bindings: Management.ActionBinding[] = [];
      for await (const binding of await this.client.actions.triggers.bindings.list(trigger, { per_page: PAGE_SIZE })) bindings.push(binding);
      return bindings;
    });
  }

  /** `onPropagationRetry` when the action was deployed just now: the bind is then retried while Auth0 catches up. */
  updateBindings(trigger: DeployTrigger, bindings: Management.ActionBindingWithRef[], onPropagationRetry?: (waitMs: number) => void): Promise<Management.UpdateActionBindingsResponseContent> {
    const update = () => this.client.actions.triggers.bindings.updateMany(trigger, { bindings });
    return this.call('binding the action to its trigger', onPropagationRetry ? () => retryWhileDeployPropagates(update, onPropagationRetry) : update);
  }

  /** The tenant's phone provider (Branding > Phone Provider), or null when none is configured. */
  async phoneProvider(): Promise<Management.PhoneProviderSchemaMasked | null> {
    const response = await this.call('reading the phone provider', () => this.client.branding.phone.providers.list());
    return response.providers?.[0] ?? null;
  }

  createPhoneProvider(request: Management.CreateBrandingPhoneProviderRequestContent): Promise<Management.CreateBrandingPhoneProviderResponseContent> {
    return this.call('creating the phone provider', () => this.client.branding.phone.providers.create(request));
  }

  updatePhoneProvider(id: string, request: Management.UpdateBrandingPhoneProviderRequestContent): Promise<Management.UpdateBrandingPhoneProviderResponseContent> {
    return this.call('updating the phone provider', () => this.client.branding.phone.providers.update(id, request));
  }

  async guardianPhoneState(): Promise<GuardianPhoneState> {
    const factors = await this.call('reading the MFA factors', () => this.client.guardian.factors.list());
    const selected = await this.call('reading the MFA phone provider', () => this.client.guardian.factors.phone.getSelectedProvider());
    return {
      smsFactorEnabled: factors.some((factor) => factor.name === 'sms' && factor.enabled),
      selectedProvider: selected.provider,
      messageTypes: await this.mfaMessageTypes(),
    };
  }

  /** The MFA phone message types (Security > Multi-factor Auth > Phone Message: SMS, Voice): `['sms', 'voice']`. */
  async mfaMessageTypes(): Promise<Management.GuardianFactorPhoneFactorMessageTypeEnum[]> {
    const types = await this.call('reading the MFA phone message types', () => this.client.guardian.factors.phone.getMessageTypes());
    return types.message_types ?? [];
  }

  enableSmsFactor(): Promise<Management.SetGuardianFactorResponseContent> {
    return this.call('turning on the phone factor', () => this.client.guardian.factors.set('sms', { enabled: true }));
  }

  selectMfaPhoneProvider(provider: Management.GuardianFactorsProviderSmsProviderEnum): Promise<Management.SetGuardianFactorsProviderPhoneResponseContent> {
    return this.call('selecting the MFA phone provider', () => this.client.guardian.factors.phone.setProvider({ provider }));
  }

  setMfaMessageTypes(types: Management.GuardianFactorPhoneFactorMessageTypeEnum[]): Promise<Management.SetGuardianFactorPhoneMessageTypesResponseContent> {
    return this.call('setting the MFA phone message types', () => this.client.guardian.factors.phone.setMessageTypes({ message_types: types }));
  }
}

/**
 * Right after a deploy, Auth0's trigger bindings may not see the new version yet: Auth0's own
 * Deploy CLI sleeps 4 s before binding because "this service is slow to pick up newly deployed
 * actions". Binding a freshly deployed action is therefore tried again, on a refusal of the
 * request itself (400, 404, 409), after these waits, in milliseconds, after which the refusal is
 * reported as it is.
 */
export const BIND_RETRY_DELAYS_MS: readonly number[] = [1_000, 2_000, 4_000];

async function retryWhileDeployPropagates<T>(request: () => Promise<T>, onRetry: (waitMs: number) => void): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await request();
    } catch (error) {
      const waitMs = BIND_RETRY_DELAYS_MS[attempt];
      const refused = error instanceof ManagementError && [400, 404, 409].includes(error.statusCode ?? 0);
      if (!refused || waitMs === undefined) throw error;
      onRetry(waitMs);
      await sleep(waitMs);
    }
  }
}
