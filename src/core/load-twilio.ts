import { ConfigurationError } from './errors';
import type { SenderDependencies } from './send';
import type { TwilioModule } from './twilio-module';

/**
 * Loads the runtime's `twilio` when the first message is sent rather than when the code is
 * compiled, so that a missing dependency is reported as what to fix, not as a compile error.
 */
export function loadTwilio(load: () => unknown): TwilioModule {
  let twilio: unknown;
  try {
    twilio = load();
  } catch {
    throw new ConfigurationError(
      'The npm module "twilio" is not available: declare it as a dependency (Hooks editor > Settings > NPM Modules, or the Action\'s Dependencies).',
    );
  }
  if (typeof twilio !== 'function') {
    throw new ConfigurationError('The module "twilio" did not load as the Twilio helper library; declare the npm package "twilio" (version 3 or later).');
  }
  return twilio as TwilioModule;
}

/**
 * What every entry hands the sender in Auth0's runtimes: the `twilio` the tenant declared (the
 * literal require keeps it visible in the bundle), and `console` for the one log line.
 */
export function auth0RuntimeDependencies(): SenderDependencies {
  return { twilio: () => loadTwilio(() => require('twilio')), log: (line) => console.log(line) };
}
