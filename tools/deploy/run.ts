import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { applyPlan } from './apply';
import { parseArgs, UsageError, USAGE, type DeployOptions } from './args';
import { desiredState, type DesiredState } from './desired';
import { DeployError } from './errors';
import { scrubbingOutput, type Output } from './output';
import { planDeploy, type Plan, type TenantState } from './plan';
import { createsVersion, describePlan } from './plan-text';
import { readSecretsFile } from './secrets-file';
import { requiredScopes, TenantApi } from './tenant-api';
import { testDeployedAction } from './test-action';

export interface RunEnvironment {
  /** The repository: dist/, package-lock.json, samples/. */
  root: string;
  /** Where relative paths on the command line start (the shell's directory). */
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/**
 * The whole command behind the entry (deploy.ts): runDeploy, plus what to do when it throws
 * something that is not a DeployError. Resolves to the exit code; never rejects.
 */
export async function deployCommand(argv: readonly string[], env: RunEnvironment): Promise<number> {
  try {
    return await runDeploy(argv, env);
  } catch (error) {
    // Not a DeployError: a bug. Print its kind and its stack frames only: the message (several
    // lines for an SDK error, which embeds the response body) could quote a request.
    env.stderr(`Deploy failed unexpectedly (${error instanceof Error ? error.name : typeof error}); this is a bug, please report it.\n`);
    const frames = error instanceof Error ? (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line)) : [];
    if (frames.length > 0) env.stderr(`${frames.join('\n')}\n`);
    return 1;
  }
}

/** Runs `npm run deploy` with these arguments; resolves to the exit code (0 ok, 1 failed, 2 usage). */
export async function runDeploy(argv: readonly string[], env: RunEnvironment): Promise<number> {
  let options: DeployOptions;
  try {
    options = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    env.stderr(`${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (options.help) {
    env.stdout(`${USAGE}\n`);
    return 0;
  }

  // Until the secrets file is read there is no secret to scrub; nothing before prints one.
  let output: Output = scrubbingOutput(env.stdout, env.stderr, []);
  try {
    const secretsFile = path.resolve(env.cwd, options.secretsFile);
    const secrets = readSecretsFile(secretsFile);
    output = scrubbingOutput(env.stdout, env.stderr, [...secrets.actionSecrets.values(), secrets.credentials.clientSecret]);
    const displayedFile = path.relative(env.cwd, secretsFile) || secretsFile;

    output.line(`Deploying ${options.name} (${options.trigger}) to ${secrets.credentials.domain}${options.dryRun ? ', dry run' : ''}`);
    if (options.build) buildBundles(env.root, output);
    else output.line('Bundles: dist/ as it is (--no-build)');
    const desired = desiredState(options, secrets, env.root);
    output.line(`Secrets from ${displayedFile}: ${desired.secretNames.join(', ')}`);
    if (secrets.unknownNames.length > 0) output.line(`  note: the sender does not read ${secrets.unknownNames.join(', ')}; deployed anyway (a typo?)`);

    const scopes = requiredScopes(options);
    const api = await TenantApi.connect(secrets.credentials, scopes, {
      onRateLimitWait: (what, waitMs, retry) => output.line(`  Auth0 rate limit while ${what}: waiting ${(waitMs / 1000).toFixed(1)} s (retry ${retry})`),
    });
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
      await testDeployedAction(api, actionId, options.trigger, env.root, output);
    }
    return 0;
  } catch (error) {
    if (!(error instanceof DeployError)) throw error;
    output.error(`Deploy failed: ${error.message}`);
    if (error.fix) output.error(`Fix: ${error.fix}`);
    return 1;
  }
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
  if (createsVersion(plan) && deployedVersion !== undefined) return `Done: version ${deployedVersion} of ${desired.name} is deployed and bound to ${desired.trigger}.`;
  return `Done: ${desired.name} was already deployed; the settings above changed, no new version.`;
}
