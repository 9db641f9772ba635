import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'dotenv';
import { readConfig, SECRET_NAMES } from '../../src/core/config';
import { ConfigurationError } from '../../src/core/errors';
import { DeployError } from './errors';
import { DEFAULT_SECRETS_FILE, EXAMPLE_SECRETS_FILE } from '../command-line';
import { PHONE_NUMBER_METADATA } from '../../src/core/number-metadata';
import { checksNumberTypes } from '../../src/core/screen/settings';

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
  /**
   * Whether the sender loads libphonenumber-js with these secrets (a country list in
   * ALLOWED_COUNTRIES or WHATSAPP_COUNTRIES): the action must then declare it. Told by the
   * sender's own readConfig, which asks for the library exactly when it needs it.
   */
  needsPhoneNumberLibrary: boolean;
}

/**
 * The secrets that name who sends. readConfig accepts a config with none of them, since the
 * sender checks per message (a Custom Phone Provider notification may name its own From
 * number); a deploy asks for one, or every message Auth0 names no sender for is refused.
 */
export const SENDER_SECRETS = [SECRET_NAMES.phoneNumber, SECRET_NAMES.messagingServiceSid, SECRET_NAMES.verifyServiceSid] as const;
/** `TWILIO_PHONE_NUMBER, TWILIO_MESSAGING_SERVICE_SID or TWILIO_VERIFY_SID`: what to set, as the deploy and the check say it. */
export const SENDER_SECRETS_PHRASE = `${SENDER_SECRETS.slice(0, -1).join(', ')} or ${SENDER_SECRETS[SENDER_SECRETS.length - 1]}`;

/** Keys that configure this command, never sent to the tenant. */
const CREDENTIAL_PREFIX = 'AUTH0_';
/** The machine-to-machine application's keys, each needed to sign in. */
export const CREDENTIAL_NAMES = ['AUTH0_DOMAIN', 'AUTH0_CLIENT_ID', 'AUTH0_CLIENT_SECRET'] as const;

/** The file lacks some of CREDENTIAL_NAMES: `missing` names them. */
export class MissingCredentialsError extends DeployError {
  constructor(
    readonly missing: readonly string[],
    path: string,
  ) {
    super(
      `${path} does not set ${missing.join(', ')}.`,
      'Create a machine-to-machine application authorized for the Auth0 Management API (see "Deploying with one command" in the README) and put its domain, client ID and client secret in the file.',
    );
  }
}

/** Auth0's limits on action secrets (Actions > Limitations). */
export const MAX_ACTION_SECRETS = 30;
export const MAX_SECRET_NAME_LENGTH = 128;
export const MAX_SECRET_VALUE_LENGTH = 4096;

/** Reads a dotenv file and splits it into the Management API credentials and the action's secrets. */
export function readSecretsFile(path: string): SecretsFile {
  const values = readValues(path);
  const actionSecrets = new Map([...values].filter(([name]) => !name.startsWith(CREDENTIAL_PREFIX)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const credentials = managementCredentials(path, values);
  const { needsPhoneNumberLibrary } = checkActionSecrets(path, actionSecrets);
  return {
    credentials,
    actionSecrets,
    needsPhoneNumberLibrary,
  };
}

/**
 * The Management API credentials of a dotenv file alone, for what reads or rolls back the tenant
 * without deploying the file's secrets: those are not read, so a malformed one stops nothing.
 */
export function readManagementCredentials(path: string): ManagementCredentials {
  return managementCredentials(path, readValues(path));
}

/** The file's keys with a value, trimmed. */
function readValues(path: string): Map<string, string> {
  if (!existsSync(path)) {
    throw new DeployError(`The secrets file ${path} does not exist.`, `Copy ${EXAMPLE_SECRETS_FILE} to ${DEFAULT_SECRETS_FILE}, fill in ${CREDENTIAL_NAMES.join(', ')} and the Twilio secrets, or pass --secrets FILE.`);
  }
  return new Map(
    Object.entries(parse(readFileSync(path)))
      .map(([name, value]): [string, string] => [name, value.trim()])
      .filter(([, value]) => value !== ''),
  );
}

function managementCredentials(path: string, values: ReadonlyMap<string, string>): ManagementCredentials {
  const missing = CREDENTIAL_NAMES.filter((name) => !values.has(name));
  if (missing.length > 0) throw new MissingCredentialsError(missing, path);
  const domain = normalizeDomain(values.get('AUTH0_DOMAIN') as string);
  if (!/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(domain)) {
    throw new DeployError(`AUTH0_DOMAIN in ${path} must be a host name, not "${domain}".`, "Use the tenant's domain alone, as shown in Applications > your application > Settings > Domain, e.g. acme.eu.auth0.com.");
  }
  return { domain, clientId: values.get('AUTH0_CLIENT_ID') as string, clientSecret: values.get('AUTH0_CLIENT_SECRET') as string };
}

/** People paste the tenant's URL; the SDK wants the bare host (and port, for a local fake). */
export function normalizeDomain(domain: string): string {
  return domain.replace(/^https?:\/\//i, '').replace(/\/+$/, '');
}

/**
 * Refuses what the action would refuse: its secrets go through the sender's own readConfig, so
 * a malformed SID or an unknown region fails here, with the sender's words, before a version
 * that fails every message is deployed. Then what only a deploy knows: Auth0's limits.
 */
function checkActionSecrets(path: string, secrets: ReadonlyMap<string, string>): { needsPhoneNumberLibrary: boolean } {
  let needsPhoneNumberLibrary = false;
  try {
    const config = readConfig(Object.fromEntries(secrets), (): unknown => {
      needsPhoneNumberLibrary = true;
      return require(PHONE_NUMBER_METADATA);
    });
    // The pumping shield tells a number's type with it, unless every costly type is allowed.
    if (checksNumberTypes(config.shield)) needsPhoneNumberLibrary = true;
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    throw new DeployError(error.message, `Correct it in ${path}, then run the command again; the action reads its secrets the same way and would refuse every message.`);
  }
  if (!SENDER_SECRETS.some((name) => secrets.has(name))) {
    throw new DeployError(`${path} names no sender.`, `Set ${SENDER_SECRETS_PHRASE}.`);
  }
  if (secrets.size > MAX_ACTION_SECRETS) {
    throw new DeployError(`${path} holds ${secrets.size} secrets; Auth0 allows ${MAX_ACTION_SECRETS} per action.`, 'Remove the keys the action does not read.');
  }
  for (const [name, value] of secrets) {
    if (name.length > MAX_SECRET_NAME_LENGTH) throw new DeployError(`The secret name ${name.slice(0, 40)}… is longer than Auth0's ${MAX_SECRET_NAME_LENGTH} characters.`);
    if (value.length > MAX_SECRET_VALUE_LENGTH) throw new DeployError(`The value of ${name} is longer than Auth0's ${MAX_SECRET_VALUE_LENGTH} characters.`);
  }
  return { needsPhoneNumberLibrary };
}
