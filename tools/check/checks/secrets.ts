import { EVERY_COUNTRY } from '../../../src/core/countries';
import { SECRET_NAMES, type SenderConfig } from '../../../src/core/config';
import { maskPhoneNumber } from '../../../src/core/phone';
import { unreadSecretsSentence } from '../../unread-secrets';
import { SENDER_SECRETS_PHRASE } from '../../deploy/secrets-file';
import { secretProblems } from '../secret-problems';
import { failed, flagged, passed, shortSid, type Verdict } from '../verdict';

/**
 * The secrets, read by the sender's own readConfig, so that every missing, half-set or malformed
 * one is reported in the sender's words before any request, one line each (secret-problems.ts);
 * then what they make the sender do, which decides the checks that follow. A file that names no
 * sender fails too: the sender would refuse every message Auth0 names no sender for. Flagged
 * besides: names the sender does not read (typos, as the deploy notes them), notices with no
 * sender but Verify, WhatsApp countries no code may go to.
 */

export const SECRETS_CHECK = 'secrets';

export type SecretsVerdicts = { verdicts: Verdict[]; config: SenderConfig | undefined };

export function checkSecrets(secrets: Readonly<Record<string, string>>, file: string, phoneNumberLibrary: () => unknown): SecretsVerdicts {
  const { config, problems } = secretProblems(secrets, phoneNumberLibrary);
  const unread = unreadSecretsSentence(Object.keys(secrets).filter((name) => (secrets[name] ?? '').trim() !== ''));
  const unreadFlag = unread === undefined ? [] : [flagged(SECRETS_CHECK, `${unread}; npm run deploy deploys such a name anyway, as a secret the action never reads.`, `In ${file}, rename each to the name the sender reads, or remove it.`)];
  if (problems.length > 0) {
    const fix = problems.length === 1
      ? `Correct it in ${file}, then run the check again; the sender reads it the same way and would refuse every message.`
      : `Correct these ${problems.length} in ${file}, then run the check again; the sender reads them the same way and would refuse every message.`;
    return { verdicts: [...problems.map((problem, index) => failed(SECRETS_CHECK, problem, index === problems.length - 1 ? fix : undefined)), ...unreadFlag], config: undefined };
  }
  if (config === undefined || (config.phoneNumber === undefined && config.messagingServiceSid === undefined && config.verifyServiceSid === undefined)) {
    const noSender = failed(SECRETS_CHECK, `${file} names no sender: every message Auth0 names no sender for would be refused.`, `Set ${SENDER_SECRETS_PHRASE} in ${file}.`);
    return { verdicts: [noSender, ...unreadFlag], config: undefined };
  }
  return { verdicts: [passed(SECRETS_CHECK, `${routes(config)}.`), ...noticesFlag(config, file), ...unreachableFlag(config, file), ...unreadFlag], config };
}

/**
 * Verify carries one-time codes only: with no number and no Messaging Service beside it, the
 * Custom Phone Provider's notices (blocked account, password change or breach) have no sender and
 * are dropped, unless Auth0's phone provider passes its own From number.
 */
function noticesFlag(config: SenderConfig, file: string): Verdict[] {
  if (config.verifyServiceSid === undefined || config.phoneNumber !== undefined || config.messagingServiceSid !== undefined) return [];
  return [
    flagged(
      SECRETS_CHECK,
      `${SECRET_NAMES.verifyServiceSid} is the only sender, and Verify carries one-time codes only: the Custom Phone Provider drops its notices (blocked account, password change or breach), unless Auth0's phone provider passes a From number.`,
      `If the tenant uses the Custom Phone Provider, set ${SECRET_NAMES.phoneNumber} (notices by SMS and call) or ${SECRET_NAMES.messagingServiceSid} (by SMS) in ${file}.`,
    ),
  ];
}

/** A WhatsApp country ALLOWED_COUNTRIES leaves out: no code goes there at all. */
function unreachableFlag(config: SenderConfig, file: string): Verdict[] {
  const unreachable = [...(config.whatsapp?.countries.countries ?? [])].filter((country) => config.allowedCountries !== undefined && !config.allowedCountries.countries.has(country));
  if (unreachable.length === 0) return [];
  return [
    flagged(SECRETS_CHECK, `${SECRET_NAMES.allowedCountries} leaves out ${unreachable.join(', ')}, which ${SECRET_NAMES.whatsappCountries} lists: no code goes there at all.`,
      `Add ${unreachable.join(', ')} to ${SECRET_NAMES.allowedCountries} in ${file}, or remove ${unreachable.length === 1 ? 'it' : 'them'} from ${SECRET_NAMES.whatsappCountries}.`),
  ];
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
