import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Management } from 'auth0';
import type { DeployTrigger } from './args';
import { DeployError } from './errors';
import type { Output } from './output';
import type { TenantApi } from './tenant-api';

/**
 * --test: sends the trigger's sample event through the action with Auth0's Actions test
 * endpoint, as the editor's Test button does. The sample's empty `secrets` is left out so the
 * action runs with the secrets the tenant holds. With real credentials this sends a real message
 * to the sample's recipient; the sample's +1 555 010 number is fictional, so Twilio refuses it
 * (21211) unless you put your own number in the sample.
 */
export async function testDeployedAction(api: TenantApi, actionId: string, trigger: DeployTrigger, root: string, output: Output): Promise<void> {
  const samplePath = `samples/action-${trigger}.json`;
  const file = path.join(root, samplePath);
  if (!existsSync(file)) throw new DeployError(`${samplePath} does not exist.`);
  const sample: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (typeof sample !== 'object' || sample === null || Array.isArray(sample)) throw new DeployError(`${samplePath} does not hold a JSON object.`);
  const { secrets: _emptySecrets, ...payload } = sample as Management.TestActionPayload;
  output.line('');
  output.line(`Testing with ${samplePath} (Auth0's Actions test endpoint):`);
  const result = await api.testAction(actionId, payload);
  for (const line of JSON.stringify(result.payload ?? {}, null, 2).split('\n')) output.line(`  ${line}`);
}
