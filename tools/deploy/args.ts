import type { ParseArgsConfig } from 'node:util';
import { DEFAULT_SECRETS_FILE, parseCommandLine, UsageError } from '../command-line';

/** The command line of `npm run deploy`, parsed into options or refused with a usage error. */


export const TRIGGERS = ['send-phone-message', 'custom-phone-provider'] as const;
export type DeployTrigger = (typeof TRIGGERS)[number];

/** The action's name on the tenant unless `--name` says otherwise. */
export const DEFAULT_ACTION_NAME = 'twilio-phone-message';
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
  /** First run `npm run check` on the secrets file, and stop when a check fails. */
  check: boolean;
  /** Deploy the version before the one deployed, instead of the repository's bundle. */
  rollback: boolean;
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
  --check                  first check the Twilio account as npm run check does, with the same file;
                           stop, changing nothing, when a check fails
  --rollback               instead of deploying: deploy again the action's version before the one
                           deployed (Auth0 copies it into a new version); builds nothing, changes
                           no binding, phone provider or MFA setting (with --dry-run: the plan only)
  --help                   print this help

Exit codes: 0 done (or nothing to do), 1 failed, 2 wrong usage.`;


const OPTIONS = {
  trigger: { type: 'string' },
  secrets: { type: 'string', default: DEFAULT_SECRETS_FILE },
  name: { type: 'string', default: DEFAULT_ACTION_NAME },
  'build-timeout': { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
  test: { type: 'boolean', default: false },
  'enable-mfa': { type: 'boolean', default: false },
  'no-build': { type: 'boolean', default: false },
  check: { type: 'boolean', default: false },
  rollback: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

/** Parses `argv` (the arguments after `npm run deploy --`). Throws UsageError. */
export function parseDeployArguments(argv: readonly string[]): DeployOptions {
  const { values } = parseCommandLine({ args: [...argv], options: OPTIONS });
  // parseArgs takes `--secrets=` for an empty value; none of these has a meaning when empty.
  for (const name of ['trigger', 'secrets', 'name', 'build-timeout'] as const) {
    if (values[name] === '') throw new UsageError(`--${name} needs a value.`);
  }
  const options: DeployOptions = {
    trigger: 'send-phone-message',
    secretsFile: values.secrets,
    dryRun: values['dry-run'],
    test: values.test,
    enableMfa: values['enable-mfa'],
    name: values.name,
    build: !values['no-build'],
    buildTimeoutSeconds: buildTimeoutSeconds(values['build-timeout']),
    check: values.check,
    rollback: values.rollback,
    help: values.help,
  };
  if (options.help) return options;
  const trigger = values.trigger;
  if (trigger === undefined) throw new UsageError(`--trigger is required: ${TRIGGERS.join(' or ')}.`);
  if (!isTrigger(trigger)) throw new UsageError(`--trigger must be ${TRIGGERS.join(' or ')}, not "${trigger}".`);
  options.trigger = trigger;
  if (options.enableMfa && trigger !== 'send-phone-message') {
    throw new UsageError('--enable-mfa routes MFA codes through the Send Phone Message flow: use it with --trigger send-phone-message.');
  }
  if (options.dryRun && options.test) throw new UsageError('--test sends a message through the deployed action; a --dry-run deploys nothing to test.');
  if (options.rollback) refuseWithRollback(options);
  return options;
}

/**
 * A rollback deploys a version the tenant already ran, and nothing else: the options that add a
 * step to a deploy have nothing to act on, and saying so beats ignoring them.
 */
function refuseWithRollback(options: DeployOptions): void {
  if (options.enableMfa) {
    throw new UsageError('--rollback changes no MFA setting, and --enable-mfa turns them on: run them apart. To turn MFA back, see "Rolling back" in docs/deploy.md.');
  }
  if (options.check) throw new UsageError('--check checks the Twilio account before a deploy of this repository; --rollback deploys a version the tenant already ran. Run npm run check on its own.');
  if (options.test) throw new UsageError("--test runs with a deploy of this repository; after --rollback, test the action from its editor's Test tab (Actions > Library).");
}

function buildTimeoutSeconds(text: string | undefined): number {
  if (text === undefined) return DEFAULT_BUILD_TIMEOUT_SECONDS;
  const seconds = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || seconds <= 0) throw new UsageError(`--build-timeout takes a number of seconds above 0, not "${text}".`);
  return seconds;
}

function isTrigger(value: string): value is DeployTrigger {
  return (TRIGGERS as readonly string[]).includes(value);
}
