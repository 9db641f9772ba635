import { CREDENTIALS_PHRASE, type TenantCalls } from '../tenant-calls';
import { flagged, notConfigured, passed, type Verdict } from '../verdict';

/**
 * Whether the tenant offers calls (tenant-calls.ts), as a line of its own: what the voice lines
 * that follow check, or why they flag a voice problem instead of failing it. A tenant that could
 * not be read is flagged, not failed: the check's subject is the Twilio account, and the deploy
 * meets the same credentials with the same words.
 */

export const TENANT_CALLS_CHECK = 'tenant calls';

export function tenantCallsVerdict(calls: TenantCalls): Verdict {
  if (calls.known) {
    return passed(TENANT_CALLS_CHECK, `${calls.source}: ${calls.on ? 'calls are on, so voice is checked' : 'calls are off, so voice is not checked'}.`);
  }
  const detail = `${calls.why}: the check cannot tell whether the tenant offers calls, so a voice problem is flagged, not failed.`;
  return calls.configured ? flagged(TENANT_CALLS_CHECK, detail, calls.fix) : notConfigured(TENANT_CALLS_CHECK, `${detail} ${calls.fix}`);
}

/** How a voice line that flags a problem, calls unknown, says the check could learn whether they are on. */
export function toTellWhetherCallsAreOn(calls: Extract<TenantCalls, { known: false }>): string {
  return calls.configured ? `see the ${TENANT_CALLS_CHECK} line for why the tenant could not be read` : `set ${CREDENTIALS_PHRASE} in the secrets file to let the check read whether the tenant offers calls`;
}
