import type RequestClient = require('twilio/lib/base/RequestClient');
import type { E164 } from '../../src/core/phone';
import { HttpTransport } from '../../src/core/transport';
import type { TwilioLibrary } from '../runtime/twilio-transport';
import type { Check, CheckContext } from './context';
import { apiHost, checkCredentials, CREDENTIALS_CHECK, HOST_CHECK } from './checks/credentials';
import { messagingServiceCheck } from './checks/messaging-service';
import { phoneNumberCheck } from './checks/phone-number';
import { checkSecrets, SECRETS_CHECK } from './checks/secrets';
import { verifyServiceCheck } from './checks/verify-service';
import { voiceCountriesCheck } from './checks/voice-countries';
import { whatsappSenderCheck } from './checks/whatsapp-sender';
import { whatsappTemplateCheck } from './checks/whatsapp-template';
import { lookupCheck } from './checks/lookup';
import { SHIELD_CHECK, shieldVerdict } from './checks/shield';
import { TENANT_CALLS_CHECK, tenantCallsVerdict } from './checks/tenant-calls';
import { SEND_CHECK, sendCheckCode } from './send-code';
import type { TenantCalls } from './tenant-calls';
import { notChecked, notConfigured, type Verdict } from './verdict';

/**
 * The preflight check: the secrets as the sender reads them, whether the tenant offers calls
 * (read before, by the caller), then, through a client built as the sender builds its own (the real twilio library, its credentials, region and edge, its
 * transport), the host and the credentials, then each configured resource, in this order. Read
 * only: every request is a GET, until `sendTo` asks for one code, sent last and only when nothing
 * failed.
 */

/** The resources checked after the credentials, in the order of the output. */
export const RESOURCE_CHECKS: readonly Check[] = [phoneNumberCheck, messagingServiceCheck, verifyServiceCheck, whatsappSenderCheck, whatsappTemplateCheck, voiceCountriesCheck, lookupCheck];

/** Every line of the output, by its name, in its order. */
export const CHECK_LINES: readonly string[] = [SECRETS_CHECK, SHIELD_CHECK, TENANT_CALLS_CHECK, HOST_CHECK, CREDENTIALS_CHECK, ...RESOURCE_CHECKS.map((check) => check.name), SEND_CHECK];

/** One read's time, connection included: far more than Twilio takes, less than a person waits. */
export const REQUEST_TIMEOUT_MS = 10_000;

export interface CheckOptions {
  /** The secrets, by name (the Twilio ones are read; others are ignored). */
  secrets: Readonly<Record<string, string>>;
  /** Where they came from, as the fixes name it: `.env`. */
  file: string;
  /** Send one real code there, last, when every check passed. */
  sendTo?: E164 | undefined;
  /** Whether the tenant offers calls, as read from it (tenant-calls.ts), or why that is unknown. */
  calls: TenantCalls;
}

export interface CheckDependencies {
  /** `require('twilio')`, or another version of it in a test; Twilio's hosts are routed to the fake there (tools/fake-twilio/route.ts). */
  twilio: TwilioLibrary;
  /** libphonenumber-js as the sender loads it (PHONE_NUMBER_METADATA): the secrets' country lists, and the number type of --send-to's code. */
  phoneNumberLibrary: () => unknown;
}

export interface CheckReport {
  verdicts: Verdict[];
  /** The host the sender's Messages and Calls go to, once the secrets could be read. */
  host: string | undefined;
  /** Nothing failed (a flag is no failure). */
  ok: boolean;
}

export async function runCheck(options: CheckOptions, dependencies: CheckDependencies): Promise<CheckReport> {
  const secrets = checkSecrets(options.secrets, options.file, dependencies.phoneNumberLibrary);
  if (secrets.config === undefined) return report(secrets.verdicts, undefined);
  const { config } = secrets;

  const transport = new HttpTransport();
  const httpClient = transport.forAttempt({ timeoutMs: REQUEST_TIMEOUT_MS, signal: new AbortController().signal });
  const context: CheckContext = {
    config,
    calls: options.calls,
    client: dependencies.twilio(config.credentials.username, config.credentials.password, {
      accountSid: config.credentials.accountSid,
      ...(config.region === undefined ? {} : { region: config.region }),
      ...(config.edge === undefined ? {} : { edge: config.edge }),
      // The sender's transport, as the sender hands it to every twilio; the library's type is its own class.
      httpClient: httpClient as unknown as RequestClient,
    }),
  };

  const credentials = await checkCredentials(context);
  const verdicts = [...secrets.verdicts, shieldVerdict(config), tenantCallsVerdict(options.calls), credentials.host, credentials.credentials];
  for (const check of RESOURCE_CHECKS) {
    verdicts.push(credentials.usable ? await check.run(context) : notChecked(check.name, `not checked: ${credentials.host.outcome === 'failed' ? 'Twilio did not answer' : 'the credentials failed'}.`));
  }
  const passedSoFar = verdicts.every((verdict) => verdict.outcome !== 'failed');
  if (options.sendTo === undefined) verdicts.push(notConfigured(SEND_CHECK, 'read-only: nothing was sent (--send-to +E164 sends one code once every check passes).'));
  else if (!passedSoFar) verdicts.push(notChecked(SEND_CHECK, 'not sent: a check failed.'));
  else verdicts.push(await sendCheckCode(options.secrets, options.sendTo, dependencies.twilio, dependencies.phoneNumberLibrary));
  return report(verdicts, apiHost(context));
}

function report(verdicts: Verdict[], host: string | undefined): CheckReport {
  return { verdicts, host, ok: verdicts.every((verdict) => verdict.outcome !== 'failed') };
}
