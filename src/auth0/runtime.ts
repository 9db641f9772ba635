import type { SenderDependencies } from '../core/send';
import type { KeyValueCache } from '../core/cache-budget';
import { loadTwilio } from '../core/twilio-module';
import { customizeMessage } from '../customize';

/**
 * What every entry hands the sender in Auth0's runtimes. The literal requires keep the declared
 * modules visible in the bundle, loaded only when a send needs them.
 */
export function auth0RuntimeDependencies(api?: unknown): SenderDependencies {
  return {
    twilio: () => loadTwilio(() => require('twilio')),
    phoneNumberLibrary: () => require('libphonenumber-js/max'),
    log: (line) => console.log(line),
    customize: customizeMessage,
    cache: actionCache(api),
  };
}

/** Actions have it; the hook and a test's bare `api` do not. */
function actionCache(api: unknown): KeyValueCache | undefined {
  const cache: unknown = typeof api === 'object' && api !== null ? (api as { cache?: unknown }).cache : undefined;
  const candidate = cache as Partial<KeyValueCache> | undefined;
  return typeof candidate?.get === 'function' && typeof candidate.set === 'function' ? (candidate as KeyValueCache) : undefined;
}
