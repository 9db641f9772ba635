import { ConfigurationError } from './errors';
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
      'The npm module "twilio" is not available: declare it as a dependency (the Action\'s Dependencies, or Hooks editor > Settings > NPM Modules).',
    );
  }
  if (typeof twilio !== 'function') {
    throw new ConfigurationError('The module "twilio" did not load as the Twilio helper library; declare the npm package "twilio" (version 3 or later).');
  }
  return twilio as TwilioModule;
}
