import type RequestClient = require('twilio/lib/base/RequestClient');
import type { E164 } from '../../src/core/phone';
import { HttpTransport } from '../../src/core/transport';
import type { TwilioLibrary } from '../runtime/twilio-transport';
import type { Check, CheckContext } from './context';
import { apiHost, checkCredentials } from './checks/credentials';
import { messagingServiceCheck } from './checks/messaging-service';
import { phoneNumberCheck } from './checks/phone-number';
import { checkSecrets } from './checks/secrets';
import { verifyServiceCheck } from './checks/verify-service';
import { voiceCountriesCheck } from './checks/voice-countries';
import { whatsappSenderCheck } from './checks/whatsapp-sender';
import { whatsappTemplateCheck } from './checks/whatsapp-template';
import { lookupCheck } from './checks/lookup';
import { shieldVerdict } from './checks/shield';
import { sendCheckCode } from './send-code';
import { skipped, type Verdict } from './verdict';

/**
 * The preflight check: the secrets as the sender reads them, then, through a client built as the
 * sender builds its own (the real twilio library, its credentials, region and edge, its
 * transport), the host and the credentials, then each configured resource, in this order. Read
 * only: every request is a GET, until `sendTo` asks for one code, sent last and only when nothing
 * failed.
 */

/** The resources checked after the credentials, in the order of the output. */
export const RESOURCE_CHECKS: readonly Check[] = [phoneNumberCheck, messagingServiceCheck, verifyServiceCheck, whatsappSenderCheck, whatsappTemplateCheck, voiceCountriesCheck, lookupCheck];

/** One read's time, connection included: far more than Twilio takes, less than a person waits. */
export const REQUEST_TIMEOUT_MS = 10_000;

export interface CheckOptions {
  /** The secrets, by name (the Twilio ones are read; others are ignored). */
  secrets: Readonly<Record<string, string>>;
  /** Where they came from, as the fixes name it: `.env`. */
  file: string;
  /** Send one real code there, last, when every check passed. */
  sendTo?: E164 | undefined;
}

export interface CheckDependencies {
  /** `require('twilio')`, or another version of it in a test; Twilio's hosts are routed to the fake there (tools/fake-twilio/route.ts). */
  twilio: TwilioLibrary;
  /** libphonenumber-js's `max` build, for the country lists. */
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
  if (secrets.config === undefined) return report([secrets.verdict], undefined);
  const { config } = secrets;

  const transport = new HttpTransport();
  const httpClient = transport.forAttempt({ timeoutMs: REQUEST_TIMEOUT_MS, signal: new AbortController().signal });
  const context: CheckContext = {
    config,
    client: dependencies.twilio(config.credentials.username, config.credentials.password, {
      accountSid: config.credentials.accountSid,
      ...(config.region === undefined ? {} : { region: config.region }),
      ...(config.edge === undefined ? {} : { edge: config.edge }),
      // The sender's transport, as the sender hands it to every twilio; the library's type is its own class.
      httpClient: httpClient as unknown as RequestClient,
    }),
  };

  const credentials = await checkCredentials(context);
  const verdicts = [secrets.verdict, shieldVerdict(config), credentials.host, credentials.credentials];
  for (const check of RESOURCE_CHECKS) {
    verdicts.push(credentials.usable ? await check.run(context) : skipped(check.name, `not checked: ${credentials.host.outcome === 'failed' ? 'Twilio did not answer' : 'the credentials failed'}.`));
  }
  const passedSoFar = verdicts.every((verdict) => verdict.outcome !== 'failed');
  if (options.sendTo === undefined) verdicts.push(skipped('send', 'read-only: nothing was sent (--send-to +E164 sends one code once every check passes).'));
  else if (!passedSoFar) verdicts.push(skipped('send', 'not sent: a check failed.'));
  else verdicts.push(await sendCheckCode(options.secrets, options.sendTo, dependencies.twilio, dependencies.phoneNumberLibrary));
  return report(verdicts, apiHost(context));
}

function report(verdicts: Verdict[], host: string | undefined): CheckReport {
  return { verdicts, host, ok: verdicts.every((verdict) => verdict.outcome !== 'failed') };
}
