/** The command line of `npm run deploy`, parsed into options or refused with a usage error. */

export const TRIGGERS = ['send-phone-message', 'custom-phone-provider'] as const;
export type DeployTrigger = (typeof TRIGGERS)[number];

/** The action's name on the tenant unless `--name` says otherwise. */
export const DEFAULT_ACTION_NAME = 'twilio-phone-message';
/** Where the Management API credentials and the action's secrets are read from. */
export const DEFAULT_SECRETS_FILE = '.env';
/**
 * How long to wait for Auth0 to build the action, in seconds. Builds install the dependencies
 * on Auth0's side and usually take seconds; five minutes covers a slow registry.
 */
export const DEFAULT_BUILD_TIMEOUT_SECONDS = 300;

export interface DeployOptions {
  trigger: DeployTrigger;
  /** Default `.env`. */
  secretsFile: string;
  /** Read the tenant and print the plan; write nothing. */
  dryRun: boolean;
  /** After deploying, run the sample event through the action with Auth0's test endpoint. */
  test: boolean;
  /** Send Phone Message only: turn on the SMS factor and route MFA codes through the action. */
  enableMfa: boolean;
  /** Default `twilio-phone-message`. */
  name: string;
  /** Skip `npm run build` and deploy dist/ as it is (CI that built in an earlier step). */
  build: boolean;
  /** Default 300. */
  buildTimeoutSeconds: number;
  help: boolean;
}

export const USAGE = `Usage: npm run deploy -- --trigger send-phone-message|custom-phone-provider [options]

Builds the bundles, then creates or updates the action on the Auth0 tenant named by AUTH0_DOMAIN,
deploys it and binds it to its trigger. A rerun with nothing changed writes nothing.

Options:
  --trigger TRIGGER        send-phone-message (MFA by SMS and voice) or custom-phone-provider
  --secrets FILE           dotenv file with AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET and the
                           action's secrets (default ${DEFAULT_SECRETS_FILE})
  --name NAME              the action's name on the tenant (default ${DEFAULT_ACTION_NAME})
  --dry-run                read the tenant and print the plan; change nothing
  --test                   after deploying, send the sample event through the action (Auth0's test endpoint)
  --enable-mfa             send-phone-message only: turn on the SMS factor and send MFA codes through
                           the action (changes every login on the tenant)
  --no-build               deploy dist/ as it is, without running npm run build first
  --build-timeout SECONDS  how long to wait for Auth0 to build the action (default ${DEFAULT_BUILD_TIMEOUT_SECONDS})
  --help                   print this help

Exit codes: 0 done (or nothing to do), 1 failed, 2 wrong usage.`;

/** A mistake in how the command was called: printed with the usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Parses `argv` (the arguments after `npm run deploy --`). Throws UsageError. */
export function parseArgs(argv: readonly string[]): DeployOptions {
  const options: DeployOptions = {
    trigger: 'send-phone-message',
    secretsFile: DEFAULT_SECRETS_FILE,
    dryRun: false,
    test: false,
    enableMfa: false,
    name: DEFAULT_ACTION_NAME,
    build: true,
    buildTimeoutSeconds: DEFAULT_BUILD_TIMEOUT_SECONDS,
    help: false,
  };
  let trigger: string | undefined;
  const rest = [...argv];
  while (rest.length > 0) {
    const argument = rest.shift() as string;
    const [flag, inline] = argument.startsWith('--') && argument.includes('=') ? [argument.slice(0, argument.indexOf('=')), argument.slice(argument.indexOf('=') + 1)] : [argument, undefined];
    const value = (): string => {
      const next = inline ?? rest.shift();
      if (next === undefined || next === '' || (inline === undefined && next.startsWith('--'))) throw new UsageError(`${flag} needs a value.`);
      return next;
    };
    switch (flag) {
      case '--trigger':
        trigger = value();
        break;
      case '--secrets':
        options.secretsFile = value();
        break;
      case '--name':
        options.name = value();
        break;
      case '--build-timeout': {
        const text = value();
        const seconds = Number(text);
        if (!/^\d+(\.\d+)?$/.test(text) || seconds <= 0) throw new UsageError(`--build-timeout takes a number of seconds above 0, not "${text}".`);
        options.buildTimeoutSeconds = seconds;
        break;
      }
      case '--dry-run':
        options.dryRun = true;
        break;
      case '--test':
        options.test = true;
        break;
      case '--enable-mfa':
        options.enableMfa = true;
        break;
      case '--no-build':
        options.build = false;
        break;
      case '--help':
      case '-h':
        options.help = true;
        break;
      default:
        throw new UsageError(`Unknown option ${argument}.`);
    }
  }
  if (options.help) return options;
  if (trigger === undefined) throw new UsageError(`--trigger is required: ${TRIGGERS.join(' or ')}.`);
  if (!isTrigger(trigger)) throw new UsageError(`--trigger must be ${TRIGGERS.join(' or ')}, not "${trigger}".`);
  options.trigger = trigger;
  if (options.enableMfa && trigger !== 'send-phone-message') {
    throw new UsageError('--enable-mfa routes MFA codes through the Send Phone Message flow: use it with --trigger send-phone-message.');
  }
  if (options.dryRun && options.test) throw new UsageError('--test sends a message through the deployed action; a --dry-run deploys nothing to test.');
  return options;
}

function isTrigger(value: string): value is DeployTrigger {
  return (TRIGGERS as readonly string[]).includes(value);
}
