import type { SenderDependencies } from '../core/send';
import { loadTwilio } from '../core/twilio-module';
import { customizeMessage } from '../customize';

/**
 * What every entry hands the sender in Auth0's runtimes: the modules the tenant declared (the
 * literal requires keep them visible in the bundle, and load them only when a send needs them),
 * `console` for the one log line, and this project's customization.
 */
export function auth0RuntimeDependencies(): SenderDependencies {
  return {
    twilio: () => loadTwilio(() => require('twilio')),
    phoneNumberLibrary: () => require('libphonenumber-js/max'),
    log: (line) => console.log(line),
    customize: customizeMessage,
  };
}
