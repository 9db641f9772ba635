/**
 * `npm run deploy`: puts the Twilio phone-message action on an Auth0 tenant through the
 * Management API (Auth0's Node SDK), as one command a CI job can run.
 *
 *   npm run deploy -- --trigger send-phone-message|custom-phone-provider [--secrets FILE]
 *                     [--dry-run] [--test] [--enable-mfa] [--name NAME] [--no-build] [--build-timeout SECONDS] [--check]
 *   npm run deploy -- --trigger … --rollback [--dry-run] [--secrets FILE] [--name NAME]
 *
 * It builds dist/, reads the tenant, prints the plan (secret names only), then creates or updates
 * the action (code, runtime node22, the exact twilio version the tests cover, the secrets), waits
 * for Auth0 to build it, deploys it and binds it to its trigger, keeping the other actions bound.
 * Unchanged input makes no new version: secrets are compared through a keyed fingerprint
 * (fingerprint.ts), since Auth0 never returns their values. Credentials and secrets come from a
 * dotenv file (.env by default). With --check it first runs `npm run check` on the same file and
 * stops, before the build and the tenant, when a check fails. With --rollback it deploys the action's
 * previous version instead (rollback.ts). Exit codes: 0 done, 1 failed, 2 wrong usage.
 *
 * Started by scripts/run-ts.js (`npm run deploy`), which calls runCli; a test calls it too.
 */
import { spawnSync } from 'node:child_process';
import { applyPlan } from './apply';
import { readCommandLine, secretsFileGiven } from '../command-line';
import { parseDeployArguments, USAGE } from './args';
import { desiredState, mfaMessageTypes, type DesiredState } from './desired';
import { DeployError } from './errors';
import { scrubbingOutput, type Output } from './output';
import { planDeploy, type Plan, type TenantState } from './plan';
import { createsVersion, describePlan } from './plan-text';
import { rollBack } from './rollback';
import { readManagementCredentials, readSecretsFile, type SecretsFile } from './secrets-file';
import { unreadSecretsSentence } from '../unread-secrets';
import { printedWaits, requiredScopes, TenantApi } from './tenant-api';
import { testDeployedAction } from './test-action';
import { checkScrubber, reportLines } from '../check/print';
import { runCheck } from '../check/run';
import { tenantCallsOf, type TenantCalls } from '../check/tenant-calls';
import type { TwilioLibrary } from '../runtime/twilio-transport';
import { PHONE_NUMBER_METADATA } from '../../src/core/number-metadata';

/** What the command is given: by scripts/run-ts.js, or by a test. */
export interface DeployIo {
  /** The repository: dist/, package-lock.json, samples/. */
  root: string;
  /** Where relative paths on the command line start (the shell's directory). */
  cwd: string;
  write: (text: string) => void;
  writeError: (text: string) => void;
  /** The twilio library --check uses: a test's, pointed at the fake; `require('twilio')` otherwise. */
  twilio?: TwilioLibrary;
}

/** Runs `npm run deploy` with these arguments; resolves to the exit code (0 ok, 1 failed, 2 usage). */
export async function runCli(argv: readonly string[], io: DeployIo): Promise<number> {
  const options = readCommandLine(argv, parseDeployArguments, USAGE, io);
  if (typeof options === 'number') return options;

  const file = secretsFileGiven(options.secretsFile, io, options.rollback ? 'AUTH0_DOMAIN, AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET' : 'AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET and the Twilio secrets');
  if (typeof file === 'number') return file;
  const { path: secretsFile, shown: displayedFile } = file;
  // Until the secrets file is read there is no secret to scrub; nothing before prints one.
  let output: Output = scrubbingOutput(io.write, io.writeError, []);
  try {
    if (options.rollback) {
      const credentials = readManagementCredentials(secretsFile);
      output = scrubbingOutput(io.write, io.writeError, [credentials.clientSecret]);
      await rollBack(options, credentials, output);
      return 0;
    }
    const secrets = readSecretsFile(secretsFile);
    output = scrubbingOutput(io.write, io.writeError, [...secrets.actionSecrets.values(), secrets.credentials.clientSecret]);

    output.line(`Deploying ${options.name} (${options.trigger}) to ${secrets.credentials.domain}${options.dryRun ? ', dry run' : ''}`);
    if (options.check) await checkTwilio(io, secrets, options.enableMfa, displayedFile);
    if (options.build) buildBundles(io.root, output);
    else output.line('Bundles: dist/ as it is (--no-build)');
    const desired = desiredState(options, secrets, io.root);
    output.line(`Secrets from ${displayedFile}: ${desired.secretNames.join(', ')}`);
    const unread = unreadSecretsSentence(secrets.actionSecrets.keys());
    if (unread !== undefined) output.line(`  note: ${unread}; deployed anyway`);

    const scopes = requiredScopes(options);
    const api = await TenantApi.connect(secrets.credentials, scopes, printedWaits(output));
    const tenant = await api.readState(desired);
    output.line(`Tenant: ${describeTenant(tenant, desired)}`);
    const plan = planDeploy(tenant, desired);

    output.line('');
    if (plan.changes.length === 0) {
      const version = tenant.action?.deployed_version?.number;
      output.line(`Plan: nothing to change. Version ${version ?? '?'} of ${desired.name} holds this code, these dependencies and these secrets (compared by fingerprint), and is bound.`);
      if (!options.dryRun) output.line('No new version.');
    } else {
      output.line('Plan:');
      for (const line of describePlan(plan)) output.line(`  ${line}`);
      warnOfMfa(plan, output);
    }

    if (options.dryRun) {
      output.line('');
      output.line('Dry run: nothing was written to the tenant.');
      return 0;
    }

    let actionId = tenant.action?.id;
    if (plan.changes.length > 0) {
      output.line('');
      output.line('Applying:');
      const result = await applyPlan(plan, { api, desired, secretValues: secrets.actionSecrets, actionId, buildTimeoutMs: options.buildTimeoutSeconds * 1000, output });
      actionId = result.actionId;
      output.line('');
      output.line(closingLine(plan, desired, result.deployedVersion));
    }
    if (options.trigger === 'send-phone-message' && !options.enableMfa) {
      output.line('Auth0 runs it for MFA codes once Security > Multi-factor Auth > Phone Message uses the Custom provider (or run with --enable-mfa).');
    }
    if (options.test) {
      if (actionId === undefined) throw new DeployError('There is no action to test.');
      await testDeployedAction(api, actionId, options.trigger, io.root, output);
    }
    return 0;
  } catch (error) {
    if (!(error instanceof DeployError)) throw error;
    output.error(`Deploy failed: ${error.message}`);
    if (error.fix) output.error(`Fix: ${error.fix}`);
    return 1;
  }
}

/**
 * --check: `npm run check` on the action's secrets, its lines as it prints them (scrubbed by the
 * sender's scrubber, which masks phone numbers, rather than by this command's, which would blank
 * every secret value, a region's name included); a failed check stops the run here. Whether the
 * tenant offers calls is what --enable-mfa is about to set, or else what the tenant holds.
 */
async function checkTwilio(io: DeployIo, file: SecretsFile, enableMfa: boolean, shown: string): Promise<void> {
  const secrets = Object.fromEntries(file.actionSecrets);
  const types = mfaMessageTypes(file.actionSecrets);
  const calls: TenantCalls = enableMfa
    ? { known: true, on: types.includes('voice'), source: `--enable-mfa sets the MFA phone message types to ${types.join(', ')}` }
    : await tenantCallsOf(file.credentials);
  const report = await runCheck({ secrets, file: shown, calls }, { twilio: io.twilio ?? (require('twilio') as TwilioLibrary), phoneNumberLibrary: () => require(PHONE_NUMBER_METADATA) });
  const scrubber = checkScrubber({ ...secrets, AUTH0_CLIENT_SECRET: file.credentials.clientSecret });
  io.write(`Twilio check of ${shown}:\n${reportLines(report, scrubber, false).map((line) => (line === '' ? '' : `  ${line}`)).join('\n')}\n`);
  if (!report.ok) throw new DeployError('The Twilio check failed: nothing was built, nothing changed on the tenant.', 'Fix what the check says above, then deploy again (npm run check runs the check alone).');
}

/** `npm run -s build`: type-checks, then bundles src/ into dist/. Its own output shows the errors. */
function buildBundles(root: string, output: Output): void {
  const result = spawnSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], shell: process.platform === 'win32' });
  if (result.status !== 0) {
    throw new DeployError(`npm run build failed (${result.error ? result.error.message : `exit code ${result.status ?? result.signal}`}).`, 'Fix the errors above, then deploy again. Nothing was changed on the tenant.');
  }
  output.line('Bundles: built with npm run build');
}

function describeTenant(tenant: TenantState, desired: DesiredState): string {
  const names = tenant.bindings.map((binding) => binding.display_name ?? binding.action?.name ?? binding.action?.id);
  const bound = names.length === 0 ? `nothing bound to ${desired.trigger}` : `bound to ${desired.trigger}: ${names.join(', ')}`;
  if (tenant.action === undefined) return `no action named ${desired.name}; ${bound}`;
  const version = tenant.action.deployed_version?.number;
  return `action ${desired.name} found, ${version === undefined ? 'never deployed' : `version ${version} deployed`}; ${bound}`;
}

function warnOfMfa(plan: Plan, output: Output): void {
  if (!plan.changes.some((change) => change.kind === 'enable-sms-factor' || change.kind === 'select-mfa-phone-provider' || change.kind === 'set-mfa-message-types')) return;
  output.line('');
  output.line('! --enable-mfa changes every login on this tenant: users enrolled in phone MFA get their codes');
  output.line('  through this action from now on, and users can enroll a phone as a second factor.');
}

function closingLine(plan: Plan, desired: DesiredState, deployedVersion: number | undefined): string {
  if (createsVersion(plan)) return `Done: version ${deployedVersion ?? '?'} of ${desired.name} is deployed and bound to ${desired.trigger}.`;
  return `Done: ${desired.name} was already deployed; the settings above changed, no new version.`;
}
