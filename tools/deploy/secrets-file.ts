import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'dotenv';
import { DeployError } from './errors';

/** The machine-to-machine application the command signs in as. */
export interface ManagementCredentials {
  /** The tenant's host name, e.g. `acme.eu.auth0.com` (a pasted `https://…/` is trimmed). */
  domain: string;
  clientId: string;
  clientSecret: string;
}

export interface SecretsFile {
  credentials: ManagementCredentials;
  /** The action's secrets: every non-AUTH0_ key with a value, sorted by name. */
  actionSecrets: ReadonlyMap<string, string>;
  /** Keys the sender does not read, most likely typos; deployed anyway, named in a warning. */
  unknownNames: string[];
}

/** The secrets the sender reads (src/core), in the order the README lists them. */
export const KNOWN_SECRET_NAMES: readonly string[] = [
  'TWILIO_ACCOUNT_SID',
  'TWILIO_AUTH_TOKEN',
  'TWILIO_API_KEY',
  'TWILIO_API_SECRET',
  'TWILIO_PHONE_NUMBER',
  'TWILIO_MESSAGING_SERVICE_SID',
  'TWILIO_VERIFY_SID',
  'TWILIO_VOICE',
  'TWILIO_REGION',
  'TWILIO_EDGE',
  'ALLOWED_COUNTRIES',
];

/** Keys that configure this command, never sent to the tenant. */
const CREDENTIAL_PREFIX = 'AUTH0_';

/** Auth0's limits on action secrets (Actions > Limitations). */
export const MAX_ACTION_SECRETS = 30;
export const MAX_SECRET_NAME_LENGTH = 128;
export const MAX_SECRET_VALUE_LENGTH = 4096;

/** Reads a dotenv file and splits it into the Management API credentials and the action's secrets. */
export function readSecretsFile(path: string): SecretsFile {
  if (!existsSync(path)) {
    throw new DeployError(`The secrets file ${path} does not exist.`, 'Copy .env.example to .env, fill in AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET and the Twilio secrets, or pass --secrets FILE.');
  }
  const entries = Object.entries(parse(readFileSync(path)))
    .map(([name, value]): [string, string] => [name, value.trim()])
    .filter(([, value]) => value !== '');
  const values = new Map(entries);

  const missing = ['AUTH0_DOMAIN', 'AUTH0_CLIENT_ID', 'AUTH0_CLIENT_SECRET'].filter((name) => !values.has(name));
  if (missing.length > 0) {
    throw new DeployError(
      `${path} does not set ${missing.join(', ')}.`,
      'Create a machine-to-machine application authorized for the Auth0 Management API (see "Deploying with one command" in the README) and put its domain, client ID and client secret in the file.',
    );
  }

  const domain = normalizeDomain(values.get('AUTH0_DOMAIN') as string);
  if (!/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(domain)) {
    throw new DeployError(`AUTH0_DOMAIN in ${path} must be a host name, not "${domain}".`, "Use the tenant's domain alone, as shown in Applications > your application > Settings > Domain, e.g. acme.eu.auth0.com.");
  }

  const actionSecrets = new Map(entries.filter(([name]) => !name.startsWith(CREDENTIAL_PREFIX)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  checkActionSecrets(path, actionSecrets);
  return {
    credentials: {
      domain,
      clientId: values.get('AUTH0_CLIENT_ID') as string,
      clientSecret: values.get('AUTH0_CLIENT_SECRET') as string,
    },
    actionSecrets,
    unknownNames: [...actionSecrets.keys()].filter((name) => !KNOWN_SECRET_NAMES.includes(name)),
  };
}

/** People paste the tenant's URL; the SDK wants the bare host (and port, for a local fake). */
export function normalizeDomain(domain: string): string {
  return domain.replace(/^https?:\/\//i, '').replace(/\/+$/, '');
}

function checkActionSecrets(path: string, secrets: ReadonlyMap<string, string>): void {
  if (!secrets.has('TWILIO_ACCOUNT_SID')) {
    throw new DeployError(`${path} does not set TWILIO_ACCOUNT_SID.`, 'The action cannot reach Twilio without it: add your Account SID (Twilio Console > Account Info).');
  }
  if (!secrets.has('TWILIO_AUTH_TOKEN') && !(secrets.has('TWILIO_API_KEY') && secrets.has('TWILIO_API_SECRET'))) {
    throw new DeployError(`${path} sets neither TWILIO_AUTH_TOKEN nor TWILIO_API_KEY with TWILIO_API_SECRET.`, 'Add the auth token (Twilio Console > Account Info), or an API key and its secret.');
  }
  if (!['TWILIO_PHONE_NUMBER', 'TWILIO_MESSAGING_SERVICE_SID', 'TWILIO_VERIFY_SID'].some((name) => secrets.has(name))) {
    throw new DeployError(`${path} names no sender.`, 'Set TWILIO_PHONE_NUMBER, TWILIO_MESSAGING_SERVICE_SID or TWILIO_VERIFY_SID.');
  }
  if (secrets.size > MAX_ACTION_SECRETS) {
    throw new DeployError(`${path} holds ${secrets.size} secrets; Auth0 allows ${MAX_ACTION_SECRETS} per action.`, 'Remove the keys the action does not read.');
  }
  for (const [name, value] of secrets) {
    if (name.length > MAX_SECRET_NAME_LENGTH) throw new DeployError(`The secret name ${name.slice(0, 40)}… is longer than Auth0's ${MAX_SECRET_NAME_LENGTH} characters.`);
    if (value.length > MAX_SECRET_VALUE_LENGTH) throw new DeployError(`The value of ${name} is longer than Auth0's ${MAX_SECRET_VALUE_LENGTH} characters.`);
  }
}
