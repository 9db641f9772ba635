import type { SenderDependencies } from '../core/send';
import type { KeyValueCache } from '../core/whatsapp-memory';
import { loadTwilio } from '../core/twilio-module';
import { customizeMessage } from '../customize';

/**
 * What every entry hands the sender in Auth0's runtimes: the modules the tenant declared (the
 * literal requires keep them visible in the bundle, and load them only when a send needs them),
 * `console` for the one log line, this project's customization, and the action's `api.cache`
 * when its trigger has one.
 */
export function auth0RuntimeDependencies(api?: unknown): SenderDependencies {
  return {
    twilio: () => loadTwilio(() => require('twilio')),
    phoneNumberLibrary: () => require('libphonenumber-js/min'),
    log: (line) => console.log(line),
    customize: customizeMessage,
    cache: actionCache(api),
  };
}

/** `api.cache` when it is one (Actions have it; the hook and a test's bare `api` do not). */
function actionCache(api: unknown): KeyValueCache | undefined {
  const cache: unknown = typeof api === 'object' && api !== null ? (api as { cache?: unknown }).cache : undefined;
  const candidate = cache as Partial<KeyValueCache> | undefined;
  return typeof candidate?.get === 'function' && typeof candidate.set === 'function' ? (candidate as KeyValueCache) : undefined;
}
