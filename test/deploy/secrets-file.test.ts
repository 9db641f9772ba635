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
const TWILIO = 'TWILIO_ACCOUNT_SID=AC1\nTWILIO_AUTH_TOKEN= token \nTWILIO_PHONE_NUMBER=+15005550006\n';

test('AUTH0_ keys sign the command in; every other key with a value becomes a secret, sorted, trimmed, empty ones dropped', () => {
  const secrets = readSecretsFile(file(`${CREDENTIALS}${TWILIO}TWILIO_VOICE=\nTWILIO_VOCIE=Polly.Joanna\n`));

  expect(secrets.credentials).toEqual({ domain: 'acme.eu.auth0.com', clientId: 'id', clientSecret: 'secret' });
  expect([...secrets.actionSecrets]).toEqual([
    ['TWILIO_ACCOUNT_SID', 'AC1'],
    ['TWILIO_AUTH_TOKEN', 'token'],
    ['TWILIO_PHONE_NUMBER', '+15005550006'],
    ['TWILIO_VOCIE', 'Polly.Joanna'],
  ]);
  expect(secrets.unknownNames).toEqual(['TWILIO_VOCIE']);
});

test('a missing credential, a domain with a path, or no Twilio sender is refused before any request', () => {
  expect(() => readSecretsFile(file(TWILIO))).toThrow('does not set AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET');
  expect(() => readSecretsFile(file(`${CREDENTIALS.replace('auth0.com/', 'auth0.com/api/v2')}${TWILIO}`))).toThrow('must be a host name, not "acme.eu.auth0.com/api/v2"');
  expect(() => readSecretsFile(file(`${CREDENTIALS}TWILIO_ACCOUNT_SID=AC1\nTWILIO_AUTH_TOKEN=t\n`))).toThrow(DeployError);
  expect(() => readSecretsFile(path.join(dir, 'absent.env'))).toThrow('does not exist');
});
