import { SECRET_NAMES, type SenderConfig } from '../../../src/core/config';
import type { CheckContext } from '../context';
import { isRefused, read, type TwilioFailure, unreadable } from '../twilio-failure';
import { failed, flagged, notChecked, passed, shortSid, type Verdict } from '../verdict';

/**
 * The host and the credentials, from the first request: GET /2010-04-01/Accounts/{AccountSid}.json
 * (`client.api.v2010.accounts(sid).fetch()`), through the host the sender addresses (its region
 * and edge). The account must be active; a trial account is flagged. A Standard API key may not
 * read the Account resource (Twilio answers it 20003), so a key that is refused there is tried on
 * a resource every key of the account reads, GET …/IncomingPhoneNumbers.json?PageSize=1: there a
 * key of another account or region, or a revoked one, is refused too.
 */

export const HOST_CHECK = 'host';
export const CREDENTIALS_CHECK = 'credentials';

export interface CredentialsVerdicts {
  host: Verdict;
  credentials: Verdict;
  /** Whether the other checks can run: Twilio answered, took the credentials, and the account is active. */
  usable: boolean;
}

/** The host the sender's Messages and Calls go to: `api.twilio.com`, `api.dublin.ie1.twilio.com`. */
export function apiHost(context: CheckContext): string {
  return context.client.getHostname('api.twilio.com', context.client.edge, context.client.region);
}

export async function checkCredentials(context: CheckContext): Promise<CredentialsVerdicts> {
  const { config, client } = context;
  const host = apiHost(context);
  const account = await read(() => client.api.v2010.accounts(config.credentials.accountSid).fetch());
  if (!account.ok && account.failure.kind === 'unreached') {
    return {
      host: failed(HOST_CHECK, `${host} did not answer (${account.failure.code}).`, `Check ${SECRET_NAMES.region} and ${SECRET_NAMES.edge}, which make this host (${regionText(config)}), and this machine's network; behind a TLS-inspecting proxy, name its CA in TWILIO_CA_BUNDLE (docs/deploy.md, "Behind a TLS-inspecting proxy").`),
      credentials: notChecked(CREDENTIALS_CHECK, 'not checked: Twilio did not answer.'),
      usable: false,
    };
  }
  const reached = passed(HOST_CHECK, `${host} answered: the host the sender addresses, for ${regionText(config)}.`);
  if (account.ok) {
    const credentials = accountVerdict(config, account.value);
    return { host: reached, credentials, usable: credentials.outcome !== 'failed' };
  }
  if (config.credentials.kind === 'api-key' && isRefused(account.failure)) {
    const probe = await read(() => client.incomingPhoneNumbers.list({ limit: 1 }));
    if (probe.ok) {
      return {
        host: reached,
        credentials: passed(CREDENTIALS_CHECK, `API key ${shortSid(config.credentials.username)} authenticates for account ${shortSid(config.credentials.accountSid)}; as a Standard key it may not read the account's status and type, so a suspended or trial account is not flagged (a Main key or the auth token can).`),
        usable: true,
      };
    }
    return { host: reached, credentials: refused(config, probe.failure), usable: false };
  }
  return { host: reached, credentials: refused(config, account.failure), usable: false };
}

function accountVerdict(config: SenderConfig, account: { status: string; type: string }): Verdict {
  const what = `account ${shortSid(config.credentials.accountSid)} (${account.type}, ${account.status}), ${config.credentials.kind === 'api-key' ? `with API key ${shortSid(config.credentials.username)}` : 'with the auth token'}`;
  if (account.status !== 'active') {
    return failed(CREDENTIALS_CHECK, `${what}: a ${account.status} account sends nothing.`, account.status === 'closed'
      ? 'A closed account cannot be reopened: set the credentials of an active account.'
      : `Reactivate it: Twilio Console > Admin > Account billing (pay the balance due), or ask Twilio Support why it was suspended.`);
  }
  if (account.type === 'Trial') {
    return flagged(CREDENTIALS_CHECK, `${what}: a trial account sends codes only to verified numbers, and prefixes them with "Sent from your Twilio trial account".`,
      'Upgrade it (Twilio Console > Admin > Account billing > Upgrade account); to test before that, verify each recipient in Phone Numbers > Manage > Verified caller IDs.');
  }
  return passed(CREDENTIALS_CHECK, `${what}.`);
}

function refused(config: SenderConfig, failure: TwilioFailure): Verdict {
  const region = config.region === undefined ? '' : ` in region ${config.region}`;
  if (!isRefused(failure)) return unreadable(CREDENTIALS_CHECK, 'the account', failure, config);
  if (config.credentials.kind === 'api-key') {
    return failed(CREDENTIALS_CHECK, `Twilio refused ${SECRET_NAMES.apiKey} ${shortSid(config.credentials.username)} for account ${shortSid(config.credentials.accountSid)} (20003): a key of another account or region, a revoked key, another key's ${SECRET_NAMES.apiSecret}, or a suspended or closed account.`,
      `Create a Standard key in this account${region} (Twilio Console > Admin > Account management > API keys & tokens > Create API key) and set ${SECRET_NAMES.apiKey} and ${SECRET_NAMES.apiSecret} to its SID and secret.`);
  }
  return failed(CREDENTIALS_CHECK, `Twilio refused ${SECRET_NAMES.accountSid} ${shortSid(config.credentials.accountSid)} with ${SECRET_NAMES.authToken} (20003): a mistyped or rotated token, or a suspended or closed account.`,
    `Copy the Account SID and Auth Token again from Twilio Console > Account Dashboard > Account Info${region}.`);
}

/** `the default region, us1`, `region ie1 and edge dublin`. */
function regionText(config: SenderConfig): string {
  const region = config.region === undefined ? 'the default region, us1' : `region ${config.region}`;
  return config.edge === undefined ? region : `${region} and edge ${config.edge}`;
}
