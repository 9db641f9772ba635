import { readConfig } from '../../src/core/config';
import { ConfigurationError } from '../../src/core/errors';
import { MESSAGING_SERVICE_SID, SECRETS, VERIFY_SID } from '../helpers/mock-twilio';

describe('readConfig', () => {
  it('reads and normalizes every secret', () => {
    expect(
      readConfig({
        ...SECRETS,
        TWILIO_PHONE_NUMBER: '+1 (500) 555-0006',
        TWILIO_MESSAGING_SERVICE_SID: MESSAGING_SERVICE_SID,
        TWILIO_VERIFY_SID: VERIFY_SID,
        TWILIO_VOICE: 'Polly.Joanna-Neural',
      }),
    ).toEqual({
      accountSid: SECRETS.TWILIO_ACCOUNT_SID,
      authToken: SECRETS.TWILIO_AUTH_TOKEN,
      phoneNumber: '+15005550006',
      messagingServiceSid: MESSAGING_SERVICE_SID,
      verifyServiceSid: VERIFY_SID,
      voice: 'Polly.Joanna-Neural',
    });
  });

  it('trims the whitespace a copy from the console adds', () => {
    const config = readConfig({ ...SECRETS, TWILIO_AUTH_TOKEN: ` ${SECRETS.TWILIO_AUTH_TOKEN}\n` });
    expect(config.authToken).toBe(SECRETS.TWILIO_AUTH_TOKEN);
  });

  it('treats empty optional secrets as unset', () => {
    const config = readConfig({ ...SECRETS, TWILIO_VERIFY_SID: '', TWILIO_MESSAGING_SERVICE_SID: '  ' });
    expect(config.verifyServiceSid).toBeUndefined();
    expect(config.messagingServiceSid).toBeUndefined();
  });

  it.each([
    [{ TWILIO_AUTH_TOKEN: SECRETS.TWILIO_AUTH_TOKEN }, 'TWILIO_ACCOUNT_SID is not set'],
    [{ TWILIO_ACCOUNT_SID: SECRETS.TWILIO_ACCOUNT_SID }, 'TWILIO_AUTH_TOKEN is not set'],
    [{ ...SECRETS, TWILIO_AUTH_TOKEN: '   ' }, 'TWILIO_AUTH_TOKEN is not set'],
    [{ ...SECRETS, TWILIO_ACCOUNT_SID: 'SK0123456789abcdef0123456789abcdef' }, 'TWILIO_ACCOUNT_SID is malformed'],
    [{ ...SECRETS, TWILIO_AUTH_TOKEN: 'f00d face' }, 'TWILIO_AUTH_TOKEN is malformed'],
    [{ ...SECRETS, TWILIO_PHONE_NUMBER: '555-0106' }, 'TWILIO_PHONE_NUMBER'],
    [{ ...SECRETS, TWILIO_MESSAGING_SERVICE_SID: 'MG123' }, 'TWILIO_MESSAGING_SERVICE_SID is malformed'],
    [{ ...SECRETS, TWILIO_VERIFY_SID: VERIFY_SID.replace('VA', 'VB') }, 'TWILIO_VERIFY_SID is malformed'],
    [{ ...SECRETS, TWILIO_VOICE: '<Polly>' }, 'TWILIO_VOICE is malformed'],
    [{ ...SECRETS, TWILIO_AUTH_TOKEN: 42 }, 'TWILIO_AUTH_TOKEN must be a string'],
  ])('names the secret to fix: %j', (secrets, message) => {
    expect(() => readConfig(secrets)).toThrow(ConfigurationError);
    expect(() => readConfig(secrets)).toThrow(message);
  });

  it('reports a missing secrets object as the first missing secret', () => {
    expect(() => readConfig(undefined)).toThrow('TWILIO_ACCOUNT_SID is not set');
  });

  it('never puts a secret value in its message', () => {
    const malformedToken = 'f00dface f00dface';
    try {
      readConfig({ ...SECRETS, TWILIO_AUTH_TOKEN: malformedToken });
      throw new Error('readConfig accepted a token with a space');
    } catch (error) {
      expect((error as Error).message).not.toContain('f00dface');
    }
  });
});
