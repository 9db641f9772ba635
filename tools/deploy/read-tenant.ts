import type { DesiredState } from './desired';
import type { TenantState } from './plan';
import type { TenantApi } from './tenant-api';

/** Reads what the plan compares against: read scopes only, so a dry run needs no write scope. */
export async function readTenant(api: TenantApi, desired: DesiredState): Promise<TenantState> {
  const triggers = await api.listTriggers();
  const action = await api.findAction(desired.name);
  const bindings = await api.listBindings(desired.trigger);
  return {
    triggers,
    ...(action ? { action } : {}),
    bindings,
    ...(desired.phoneProvider ? { phoneProvider: await api.phoneProvider() } : {}),
    ...(desired.mfa ? { guardian: await api.guardianPhoneState() } : {}),
  };
}
