import { parsePhoneNumber, type E164 } from '../../src/core/phone';
import { DEFAULT_SECRETS_FILE, parseCommandLine, UsageError } from '../command-line';

/** The command line of `npm run check`, parsed into options or refused with a usage error. */

export interface CheckArguments {
  /** The dotenv file `npm run deploy` reads; its Twilio secrets. Default `.env`. */
  secretsFile: string;
  /** Send one real code there once every check passed. */
  sendTo: E164 | undefined;
  help: boolean;
}

export const USAGE = `Usage: npm run check [-- --secrets FILE] [--send-to +E164]

Tells, before any login depends on it, whether the Twilio account of the secrets will deliver:
the credentials, the region's host, TWILIO_PHONE_NUMBER, the Messaging Service, the Verify
service, the WhatsApp template and the voice permissions of the countries of ALLOWED_COUNTRIES,
each as configured. Voice is asked for when the tenant offers calls, which the AUTH0_ lines let
it read (its MFA phone message types); without them a voice problem is flagged, not failed.
Read-only: nothing is sent, nothing changes (unless --send-to).

Options:
  --secrets FILE     the dotenv file with the Twilio secrets, the one npm run deploy reads
                     (default ${DEFAULT_SECRETS_FILE}; its AUTH0_ lines, when set, let the check
                     read whether the tenant offers calls)
  --send-to +E164    last, once every check passed, send one real code to this number through
                     the route a login would take
  --help             print this help

Exit codes: 0 every configured check passed, 1 a check failed, 2 wrong usage.`;

/** Parses `argv` (the arguments after `npm run check --`). Throws UsageError. */
export function parseCheckArguments(argv: readonly string[]): CheckArguments {
  const { values } = parseCommandLine({
    args: [...argv],
    options: { secrets: { type: 'string', default: DEFAULT_SECRETS_FILE }, 'send-to': { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.secrets === '') throw new UsageError('--secrets needs a value.');
  return { secretsFile: values.secrets, sendTo: values['send-to'] === undefined ? undefined : recipient(values['send-to']), help: values.help };
}

/** `+15550105310`: a number with its country code, as Auth0 hands the sender one. */
function recipient(text: string): E164 {
  const problem = 'takes a phone number in E.164, with its country code, such as +15550105310';
  if (!text.trim().startsWith('+')) throw new UsageError(`--send-to ${problem}.`);
  try {
    return parsePhoneNumber(text, '--send-to');
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : `--send-to ${problem}.`);
  }
}
