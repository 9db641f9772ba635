import { UsageError } from '../../tools/command-line';
import { DEFAULT_ACTION_NAME, DEFAULT_BUILD_TIMEOUT_SECONDS, parseDeployArguments } from '../../tools/deploy/args';
import { DEFAULT_SECRETS_FILE } from '../../tools/command-line';

/** The command line of `npm run deploy`: every option, its default, and each usage error. */

test('--trigger alone takes every default', () => {
  expect(parseDeployArguments(['--trigger', 'custom-phone-provider'])).toEqual({
    trigger: 'custom-phone-provider',
    secretsFile: DEFAULT_SECRETS_FILE,
    dryRun: false,
    test: false,
    enableMfa: false,
    name: DEFAULT_ACTION_NAME,
    build: true,
    buildTimeoutSeconds: DEFAULT_BUILD_TIMEOUT_SECONDS,
    check: false,
    rollback: false,
    help: false,
  });
});

test('every option is read, with its value after a space or an equals sign', () => {
  expect(
    parseDeployArguments(['--trigger=send-phone-message', '--secrets', 'ci.env', '--name=sms', '--dry-run', '--enable-mfa', '--no-build', '--build-timeout', '12.5']),
  ).toEqual({ trigger: 'send-phone-message', secretsFile: 'ci.env', dryRun: true, test: false, enableMfa: true, name: 'sms', build: false, buildTimeoutSeconds: 12.5, check: false, rollback: false, help: false });
  expect(parseDeployArguments(['--trigger', 'custom-phone-provider', '--rollback', '--dry-run', '--no-build'])).toMatchObject({ rollback: true, dryRun: true });
  expect(parseDeployArguments(['--trigger', 'send-phone-message', '--test']).test).toBe(true);
  expect(parseDeployArguments(['--trigger', 'send-phone-message', '--check', '--dry-run'])).toMatchObject({ check: true, dryRun: true });
});

test('--help and -h need no --trigger', () => {
  expect(parseDeployArguments(['--help']).help).toBe(true);
  expect(parseDeployArguments(['-h']).help).toBe(true);
});

test.each([
  [[], '--trigger is required: send-phone-message or custom-phone-provider.'],
  [['--trigger', 'post-login'], '--trigger must be send-phone-message or custom-phone-provider, not "post-login".'],
  [['--trigger'], "Option '--trigger <value>' argument missing"],
  [['--trigger='], '--trigger needs a value.'],
  [['--trigger', 'send-phone-message', '--secrets='], '--secrets needs a value.'],
  [['--trigger', '--dry-run'], "Option '--trigger' argument is ambiguous."],
  [['--trigger', 'send-phone-message', '--force'], "Unknown option '--force'"],
  [['--trigger', 'send-phone-message', 'extra'], "Unexpected argument 'extra'"],
  [['--trigger', 'send-phone-message', '--build-timeout', '0'], '--build-timeout takes a number of seconds above 0, not "0".'],
  [['--trigger', 'send-phone-message', '--build-timeout', '5m'], '--build-timeout takes a number of seconds above 0, not "5m".'],
  [['--trigger', 'custom-phone-provider', '--enable-mfa'], '--enable-mfa routes MFA codes through the Send Phone Message flow: use it with --trigger send-phone-message.'],
  [['--trigger', 'send-phone-message', '--dry-run', '--test'], '--test sends a message through the deployed action; a --dry-run deploys nothing to test.'],
  [['--rollback'], '--trigger is required: send-phone-message or custom-phone-provider.'],
  [['--trigger', 'send-phone-message', '--rollback', '--enable-mfa'], '--rollback changes no MFA setting, and --enable-mfa turns them on: run them apart.'],
  [['--trigger', 'send-phone-message', '--rollback', '--check'], '--rollback deploys a version the tenant already ran. Run npm run check on its own.'],
  [['--trigger', 'send-phone-message', '--rollback', '--test'], "after --rollback, test the action from its editor's Test tab"],
])('%j is a usage error', (argv, message) => {
  expect(() => parseDeployArguments(argv)).toThrow(UsageError);
  expect(() => parseDeployArguments(argv)).toThrow(message);
});
