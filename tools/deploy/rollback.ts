import type { Management } from 'auth0';
import type { DeployOptions } from './args';
import { DeployError } from './errors';
import type { Output } from './output';
import { actionToRollBack, describeRollbackPlan, made, planRollback, type RollbackPlan } from './rollback-plan';
import type { ManagementCredentials } from './secrets-file';
import { printedWaits, requiredScopes, TenantApi } from './tenant-api';

/**
 * `npm run deploy -- --rollback`: deploys again the action's version before the one deployed,
 * through Auth0's roll-back endpoint (a new version, a copy of the earlier one, deployed at once;
 * the flows run it from the next message on), and says which version went back to which, made
 * when. It builds nothing and reads no Twilio secret; it changes neither the trigger's bindings
 * nor what the deploy switched on (the phone provider, the MFA settings): it says so instead,
 * and where the way back from those is written.
 */

export async function rollBack(options: DeployOptions, credentials: ManagementCredentials, output: Output): Promise<void> {
  output.line(`Rolling back ${options.name} (${options.trigger}) on ${credentials.domain}${options.dryRun ? ', dry run' : ''}`);
  const api = await TenantApi.connect(credentials, requiredScopes(options), printedWaits(output));
  const action = actionToRollBack(await api.findAction(options.name), options.name, options.trigger);
  const plan = planRollback(action, await api.listVersions(action.id));
  output.line(`Tenant: action ${plan.actionName} found, version ${plan.from.number} deployed${made(plan.from)}, ${plan.versionCount} versions`);
  output.line('');
  for (const line of describeRollbackPlan(plan, options.trigger)) output.line(line);

  if (options.dryRun) {
    output.line('');
    output.line('Dry run: nothing was written to the tenant.');
    return;
  }
  output.line('');
  output.line('Applying:');
  const copy = await deployVersion(api, plan);
  output.line(`  deployed version ${plan.to.number} again as version ${copy.number ?? '?'}${copy.created_at === undefined ? '' : `, made ${copy.created_at}`}`);
  output.line('');
  output.line(closingLine(plan, copy.number));
  output.line('The next npm run deploy deploys this repository\'s bundle again: revert the commit too.');
}

/**
 * Auth0's roll-back; when it fails, the fix says to look before running it again: a roll-back
 * that went through before the failure (an answer lost on the way) leaves version `to`'s copy
 * deployed, and another would deploy version `from` again.
 */
async function deployVersion(api: TenantApi, plan: RollbackPlan): Promise<Management.DeployActionVersionResponseContent> {
  try {
    return await api.deployVersion(plan.actionId, plan.to.id);
  } catch (error) {
    if (!(error instanceof DeployError)) throw error;
    const look = `Before running it again, see with --dry-run which version is deployed: if it is no longer version ${plan.from.number}, this roll-back went through despite the failure, and another would deploy version ${plan.from.number} again.`;
    throw new DeployError(error.message, error.fix === undefined ? look : `${error.fix} ${look}`);
  }
}

function closingLine(plan: RollbackPlan, copyNumber: number | undefined): string {
  return `Done: ${plan.actionName} runs version ${plan.to.number}${made(plan.to)} again, as version ${copyNumber ?? '?'}, in place of version ${plan.from.number}${made(plan.from)}.`;
}
