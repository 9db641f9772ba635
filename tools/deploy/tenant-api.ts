import { ManagementClient, TokenProvider, type Management } from 'auth0';
import type { DeployTrigger } from './args';
import { explainFailure } from './errors';
import type { GuardianPhoneState } from './plan';
import { retryWhileDeployPropagates } from './propagation';
import { withRateLimitRetry } from './rate-limit';
import type { ManagementCredentials } from './secrets-file';

/**
 * The Management API calls the command makes, through Auth0's SDK (ManagementClient), each one
 * retried on 429 within bounds and its failure turned into a DeployError that names the fix.
 */

/** How long one request may take, in seconds, before the run fails with a timeout. */
export const REQUEST_TIMEOUT_SECONDS = 30;
/** Page size for lists; Auth0 caps it at 50 (100 for some endpoints), 50 works for all used here. */
const PAGE_SIZE = 50;

export interface TenantApiHooks {
  /** Told of each rate-limit wait, to print it. */
  onRateLimitWait: (what: string, waitMs: number, retry: number) => void;
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
    const types = await this.call('reading the MFA phone message types', () => this.client.guardian.factors.phone.getMessageTypes());
    return {
      smsFactorEnabled: factors.some((factor) => factor.name === 'sms' && factor.enabled),
      selectedProvider: selected.provider,
      messageTypes: types.message_types ?? [],
    };
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
