import twilio = require('twilio');
import { ConfigurationError } from '../../src/core/errors';
import { loadTwilio } from '../../src/core/twilio-module';

describe('loadTwilio', () => {
  it('returns the module the runtime loads', () => {
    expect(loadTwilio(() => twilio)).toBe(twilio);
  });

  it('says to declare twilio when the runtime cannot load it', () => {
    expect(() =>
      loadTwilio(() => {
        throw new Error("Cannot find module 'twilio'");
      }),
    ).toThrow(new ConfigurationError('The npm module "twilio" is not available: declare it as a dependency (Action > Dependencies, or Hooks editor > Settings > NPM Modules).'));
  });

  it('says what to declare when the module is not the Twilio helper library', () => {
    expect(() => loadTwilio(() => ({ default: twilio }))).toThrow(
      new ConfigurationError('The module "twilio" is not the Twilio helper library; declare the npm package "twilio", version 3 or later.'),
    );
  });
});
