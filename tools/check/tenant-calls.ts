import { DeployError } from '../deploy/errors';
import { CREDENTIAL_NAMES, MissingCredentialsError, readManagementCredentials, type ManagementCredentials } from '../deploy/secrets-file';
import { TENANT_CALLS_SCOPES, TenantApi } from '../deploy/tenant-api';

/**
 * Whether the tenant offers one-time codes by voice call, which decides whether the check asks
 * for voice (the number's voice capability, the countries' voice permissions): the MFA phone
 * message types (Security > Multi-factor Auth > Phone Message, `GET
 * /api/v2/guardian/factors/phone/message-types`), read with the deploy's credentials when the
 * secrets file holds them. Without them the check cannot tell, and a voice problem is flagged
 * rather than failed.
 */
export type TenantCalls =
  | {
      known: true;
      on: boolean;
      /** Where that comes from, as the line says it: `acme.eu.auth0.com's MFA phone message types are sms, voice`. */
      source: string;
    }
  | {
      known: false;
      /** Whether the AUTH0_ lines were set (and the read failed) or not. */
      configured: boolean;
      /** Why the check cannot tell, as a sentence. */
      why: string;
      /** How to let it, as a sentence. */
      fix: string;
    };

/** The application's keys, as a phrase: `AUTH0_DOMAIN, AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET`. */
export const CREDENTIALS_PHRASE = `${CREDENTIAL_NAMES.slice(0, -1).join(', ')} and ${CREDENTIAL_NAMES[CREDENTIAL_NAMES.length - 1]}`;

/** The calls of the tenant whose credentials the secrets file at `path` holds, or why they are unknown. */
export async function readTenantCalls(path: string): Promise<TenantCalls> {
  let credentials: ManagementCredentials;
  try {
    credentials = readManagementCredentials(path);
  } catch (error) {
    if (error instanceof MissingCredentialsError && error.missing.length === CREDENTIAL_NAMES.length) {
      return {
        known: false,
        configured: false,
        why: `${CREDENTIALS_PHRASE} are not set`,
        fix: `Set them (an application granted ${TENANT_CALLS_SCOPES.join(', ')}, as npm run deploy uses) to let the check read the tenant's MFA phone message types.`,
      };
    }
    return unknown(error);
  }
  return tenantCallsOf(credentials);
}

/** The tenant's MFA phone message types, read through the Management API: calls are on when `voice` is among them. */
export async function tenantCallsOf(credentials: ManagementCredentials): Promise<TenantCalls> {
  try {
    // A rate-limit wait is waited out in silence: the check prints its lines once they are all known.
    const api = await TenantApi.connect(credentials, TENANT_CALLS_SCOPES, { onRateLimitWait: () => undefined });
    const types = await api.mfaMessageTypes();
    return { known: true, on: types.includes('voice'), source: `${credentials.domain}'s MFA phone message types are ${types.join(', ') || 'none'}` };
  } catch (error) {
    return unknown(error);
  }
}

/** The AUTH0_ lines are there, but the tenant could not be read: the deploy's words for why, and its fix. */
function unknown(error: unknown): TenantCalls {
  if (!(error instanceof DeployError)) throw error;
  return { known: false, configured: true, why: `the tenant's MFA phone message types could not be read: ${error.message.replace(/\.$/, '')}`, fix: error.fix ?? 'Run the check again.' };
}
