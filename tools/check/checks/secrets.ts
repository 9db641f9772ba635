import { EVERY_COUNTRY } from '../../../src/core/countries';
import { readConfig, SECRET_NAMES, type SenderConfig } from '../../../src/core/config';
import { ConfigurationError } from '../../../src/core/errors';
import { maskPhoneNumber } from '../../../src/core/phone';
import { failed, flagged, passed, shortSid, type Verdict } from '../verdict';

/**
 * The secrets, read by the sender's own readConfig, so that a missing, half-set or malformed one
 * is reported in the sender's words before any request; then what they make the sender do, which
 * decides the checks that follow. A file that names no sender fails too: the sender would refuse
 * every message Auth0 names no sender for.
 */

export const SECRETS_CHECK = 'secrets';

export type SecretsVerdict = { verdict: Verdict; config: SenderConfig | undefined };

export function checkSecrets(secrets: Readonly<Record<string, string>>, file: string, phoneNumberLibrary: () => unknown): SecretsVerdict {
  let config: SenderConfig;
  try {
    config = readConfig(secrets, phoneNumberLibrary);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    return { verdict: failed(SECRETS_CHECK, error.message, `Correct it in ${file}, then run the check again; the sender reads it the same way and would refuse every message.`), config: undefined };
  }
  if (config.phoneNumber === undefined && config.messagingServiceSid === undefined && config.verifyServiceSid === undefined) {
    return {
      verdict: failed(SECRETS_CHECK, `${file} names no sender: every message Auth0 names no sender for would be refused.`, `Set ${SECRET_NAMES.phoneNumber}, ${SECRET_NAMES.messagingServiceSid} or ${SECRET_NAMES.verifyServiceSid} in ${file}.`),
      config: undefined,
    };
  }
  const unreachable = [...(config.whatsapp?.countries.countries ?? [])].filter((country) => config.allowedCountries !== undefined && !config.allowedCountries.countries.has(country));
  if (unreachable.length > 0) {
    return {
      verdict: flagged(SECRETS_CHECK, `${routes(config)}; but ${SECRET_NAMES.allowedCountries} leaves out ${unreachable.join(', ')}, which ${SECRET_NAMES.whatsappCountries} lists: no code goes there at all.`,
        `Add ${unreachable.join(', ')} to ${SECRET_NAMES.allowedCountries} in ${file}, or remove ${unreachable.length === 1 ? 'it' : 'them'} from ${SECRET_NAMES.whatsappCountries}.`),
      config,
    };
  }
  return { verdict: passed(SECRETS_CHECK, `${routes(config)}.`), config };
}

/** What the sender does with these secrets, in a sentence: `codes by SMS and calls through Verify VA…1234; …`. */
function routes(config: SenderConfig): string {
  const from = config.phoneNumber === undefined ? undefined : maskPhoneNumber(config.phoneNumber);
  const service = config.messagingServiceSid === undefined ? undefined : `Messaging Service ${shortSid(config.messagingServiceSid)}`;
  const parts: string[] = [];
  if (config.verifyServiceSid !== undefined) {
    parts.push(`codes by SMS and call through Verify ${shortSid(config.verifyServiceSid)}`);
    const notices = [service === undefined ? (from === undefined ? undefined : `SMS from ${from}`) : `SMS through ${service}`, from === undefined ? undefined : `calls from ${from}`].filter((part) => part !== undefined);
    if (notices.length > 0) parts.push(`notices: ${notices.join(', ')}`);
  } else {
    parts.push(`SMS ${service === undefined ? `from ${from}` : `through ${service}`}`, from === undefined ? 'no calls (no From number)' : `calls from ${from}`);
  }
  const whatsapp = config.whatsapp;
  if (whatsapp !== undefined) {
    const countries = whatsapp.countries.countries.size === 0 ? `every country (${EVERY_COUNTRY})` : [...whatsapp.countries.countries].join(', ');
    const route = whatsapp.route.kind === 'verify'
      ? 'through Verify'
      : `with template ${shortSid(whatsapp.route.contentSid)} ${'from' in whatsapp.route.sender ? `from ${maskPhoneNumber(whatsapp.route.sender.from)}` : `through ${service}`}`;
    parts.push(`codes to ${countries} on WhatsApp first, ${route}`);
  }
  parts.push(config.allowedCountries === undefined ? 'recipients in any country' : `recipients in ${[...config.allowedCountries.countries].join(', ')} only`);
  return parts.join('; ');
}
