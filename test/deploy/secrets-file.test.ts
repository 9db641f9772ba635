import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DeployError } from '../../tools/deploy/errors';
import { readSecretsFile } from '../../tools/deploy/secrets-file';

/** The secrets file: Management API credentials on one side, the action's secrets on the other. */

const dir = mkdtempSync(path.join(tmpdir(), 'deploy-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(content: string): string {
  const name = path.join(dir, `${Math.random().toString(36).slice(2)}.env`);
  writeFileSync(name, content);
  return name;
}

const CREDENTIALS = 'AUTH0_DOMAIN=https://acme.eu.auth0.com/\nAUTH0_CLIENT_ID=id\nAUTH0_CLIENT_SECRET=secret\n';
const ACCOUNT_SID = 'AC00000000000000000000000000000001';
const TWILIO = `TWILIO_ACCOUNT_SID=${ACCOUNT_SID}\nTWILIO_AUTH_TOKEN= token \nTWILIO_PHONE_NUMBER=+15005550006\n`;

test('AUTH0_ keys sign the command in; every other key with a value becomes a secret, sorted, trimmed, empty ones dropped', () => {
  const secrets = readSecretsFile(file(`${CREDENTIALS}${TWILIO}TWILIO_VOICE=\nTWILIO_VOCIE=Polly.Joanna\n`));

  expect(secrets.credentials).toEqual({ domain: 'acme.eu.auth0.com', clientId: 'id', clientSecret: 'secret' });
  expect([...secrets.actionSecrets]).toEqual([
    ['TWILIO_ACCOUNT_SID', ACCOUNT_SID],
    ['TWILIO_AUTH_TOKEN', 'token'],
    ['TWILIO_PHONE_NUMBER', '+15005550006'],
    ['TWILIO_VOCIE', 'Polly.Joanna'],
  ]);
});

test('a missing credential, a domain with a path, or no Twilio sender is refused before any request', () => {
  expect(() => readSecretsFile(file(TWILIO))).toThrow('does not set AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET');
  expect(() => readSecretsFile(file(`${CREDENTIALS.replace('auth0.com/', 'auth0.com/api/v2')}${TWILIO}`))).toThrow('must be a host name, not "acme.eu.auth0.com/api/v2"');
  expect(() => readSecretsFile(file(`${CREDENTIALS}TWILIO_ACCOUNT_SID=${ACCOUNT_SID}\nTWILIO_AUTH_TOKEN=t\n`))).toThrow(/names no sender\.$/);
  expect(() => readSecretsFile(path.join(dir, 'absent.env'))).toThrow('does not exist');
});

/** What readSecretsFile threw, for a file with these lines after the credentials. */
function refusal(twilioLines: string): DeployError {
  try {
    readSecretsFile(file(`${CREDENTIALS}${twilioLines}`));
  } catch (error) {
    if (error instanceof DeployError) return error;
    throw error;
  }
  throw new Error('the secrets file was accepted');
}

describe('secrets the action would refuse are refused before the deploy, in the words of the sender (readConfig)', () => {
  test.each([
    ['a malformed account SID', TWILIO.replace(ACCOUNT_SID, 'AC1'), 'TWILIO_ACCOUNT_SID is malformed: it must be "AC" followed by 32 hex digits'],
    ['no auth token nor API key', TWILIO.replace('TWILIO_AUTH_TOKEN= token', 'TWILIO_VOICE=alice'), 'TWILIO_AUTH_TOKEN is not set.'],
    ['an API key without its secret', `${TWILIO}TWILIO_API_KEY=SK00000000000000000000000000000001\n`, 'TWILIO_API_KEY is set but TWILIO_API_SECRET is not'],
    ['an unknown region', `${TWILIO}TWILIO_REGION=eu1\n`, 'TWILIO_REGION is not a Twilio region this sender knows'],
    ['Verify outside us1', `${TWILIO}TWILIO_VERIFY_SID=VA00000000000000000000000000000001\nTWILIO_REGION=ie1\n`, 'TWILIO_VERIFY_SID cannot be used with TWILIO_REGION=ie1'],
    ['a Lookup scope the sender does not know', `${TWILIO}TWILIO_LOOKUP=sometimes\n`, 'TWILIO_LOOKUP is not a Lookup scope this sender knows: use one of enrollment, all'],
    ['a pumping risk threshold out of range', `${TWILIO}TWILIO_LOOKUP=enrollment\nTWILIO_LOOKUP_MAX_RISK=101\n`, 'TWILIO_LOOKUP_MAX_RISK must be a whole number from 0 to 100'],
    ['a velocity cap that is not a number', `${TWILIO}ENROLLMENT_VELOCITY=ten\n`, 'ENROLLMENT_VELOCITY must be a whole number from 1 to 1000, or off'],
    // Checked with libphonenumber-js, as the action loads it.
    ['a country code that does not exist', `${TWILIO}ALLOWED_COUNTRIES=US,ZZ\n`, 'ALLOWED_COUNTRIES lists what is not the code of a country with phone numbers (ZZ)'],
  ])('%s', (_case, lines, message) => {
    const error = refusal(lines);
    expect(error.message).toContain(message);
    expect(error.fix).toMatch(/^Correct it in .+\.env, then run the command again/);
  });

  test('a country allowlist libphonenumber-js knows passes', () => {
    expect(readSecretsFile(file(`${CREDENTIALS}${TWILIO}ALLOWED_COUNTRIES=US, ca\n`)).actionSecrets.get('ALLOWED_COUNTRIES')).toBe('US, ca');
  });
});

test("Auth0's own limits: 30 secrets per action", () => {
  const extra = Array.from({ length: 28 }, (_, index) => `EXTRA_${index}=x\n`).join('');
  expect(refusal(`${TWILIO}${extra}`).message).toMatch(/holds 31 secrets; Auth0 allows 30 per action\.$/);
});

const EVERY_COSTLY_TYPE = 'ALLOWED_NUMBER_TYPES=premium_rate,shared_cost,uan,voicemail,pager\n';
const WHATSAPP_EVERYWHERE = 'WHATSAPP_COUNTRIES=*\nTWILIO_WHATSAPP_CONTENT_SID=HX0123456789abcdef0123456789abcdef\nTWILIO_WHATSAPP_FROM=+15005550007\n';
test.each([
  ['no country list: the pumping shield tells number types with it', '', true],
  ['every costly type allowed and no country list', EVERY_COSTLY_TYPE, false],
  ['every costly type allowed, and ALLOWED_COUNTRIES', `${EVERY_COSTLY_TYPE}ALLOWED_COUNTRIES=US,CA\n`, true],
  ['every costly type allowed, and WHATSAPP_COUNTRIES with countries', `${EVERY_COSTLY_TYPE}${WHATSAPP_EVERYWHERE.replace('=*', '=BR,IN')}`, true],
  ['every costly type allowed, and WHATSAPP_COUNTRIES=*, which needs no library', `${EVERY_COSTLY_TYPE}${WHATSAPP_EVERYWHERE}`, false],
])('the action declares libphonenumber-js exactly when the sender loads it: %s', (_case, lines, needed) => {
  expect(readSecretsFile(file(`${CREDENTIALS}${TWILIO}${lines}`)).needsPhoneNumberLibrary).toBe(needed);
});
