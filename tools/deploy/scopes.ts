import type { DeployOptions } from './args';

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

export function requiredScopes(options: Pick<DeployOptions, 'trigger' | 'enableMfa'>): string[] {
  return [...ACTION_SCOPES, ...(options.trigger === 'custom-phone-provider' ? PHONE_PROVIDER_SCOPES : []), ...(options.enableMfa ? MFA_SCOPES : [])];
}
