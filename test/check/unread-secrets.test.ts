import { closestKnownName, unreadSecretsSentence } from '../../tools/unread-secrets';
import { ALL_SECRET_NAMES } from '../../src/core/config';

/** The names the sender does not read, as `npm run check` flags them and `npm run deploy` notes them (tools/unread-secrets.ts). */

describe('closestKnownName', () => {
  it.each([
    ['a letter dropped', 'TWILIO_PHONE_NUMBR', 'TWILIO_PHONE_NUMBER'],
    ['two letters swapped', 'TWILIO_VOCIE', 'TWILIO_VOICE'],
    ['a letter added', 'TWILIO_REGIONS', 'TWILIO_REGION'],
    ['lower case', 'twilio_auth_token', 'TWILIO_AUTH_TOKEN'],
    ["one of the deploy's own keys", 'AUTH_DOMAIN', 'AUTH0_DOMAIN'],
  ])('%s: %s is %s', (_what, name, known) => {
    expect(closestKnownName(name)).toBe(known);
  });

  it('the nearest of two candidates: TWILIO_LOOKUP_FAILS is the failure mode, not the lookup', () => {
    expect(closestKnownName('TWILIO_LOOKUP_FAILS')).toBe('TWILIO_LOOKUP_FAIL');
  });

  it.each(['MY_NOTE', 'TWILIO_PHONE', 'SENDGRID_API_KEY'])('no near name for %s: three edits or more from every one', (name) => {
    expect(closestKnownName(name)).toBeUndefined();
  });
});

describe('unreadSecretsSentence', () => {
  it('names each unread name, with the one it likely meant, in the order given', () => {
    expect(unreadSecretsSentence(['TWILIO_ACCOUNT_SID', 'TWILIO_PHONE_NUMBR', 'MY_NOTE'])).toBe('the sender does not read TWILIO_PHONE_NUMBR (TWILIO_PHONE_NUMBER?), MY_NOTE');
  });

  it('says nothing when the sender reads every name, and never calls a secret of SECRETS unread', () => {
    expect(unreadSecretsSentence(ALL_SECRET_NAMES)).toBeUndefined();
    expect(unreadSecretsSentence([])).toBeUndefined();
  });
});
