import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SECRET_NAMES } from '../../src/core/config';
import { PHONE_NUMBER_MODULE } from '../../src/core/number-metadata';
import { AUTH0_CODE_LIMIT_BYTES } from '../../scripts/auth0-limits';
import type { DeployOptions, DeployTrigger } from './args';
import { DeployError } from './errors';
import { fingerprintKey, secretTags, withFingerprint, type SecretTags } from './fingerprint';
import type { SecretsFile } from './secrets-file';

/**
 * What the tenant should hold after the run, computed from the repository and the secrets file
 * alone. It carries secret names and their tags, never their values.
 */
export interface DesiredState {
  name: string;
  trigger: DeployTrigger;
  runtime: string;
  /** The bundle with its secrets fingerprint appended. */
  code: string;
  /** The bundle's path relative to the repository, for messages. */
  bundlePath: string;
  dependencies: Array<{ name: string; version: string }>;
  secretNames: string[];
  secretTags: SecretTags;
  /** Custom Phone Provider: the tenant's phone provider, `custom`, with these delivery methods. */
  phoneProvider?: { deliveryMethods: Array<'text' | 'voice'> };
  /** Send Phone Message with --enable-mfa: the SMS factor on, codes through the action. */
  mfa?: { messageTypes: Array<'sms' | 'voice'> };
}

/** The Node runtime of the action; the repo's bundles target it and its tests run the same major. */
export const ACTION_RUNTIME = 'node22';
/** The Guardian phone provider that runs the Send Phone Message flow (its actions, or the legacy hook). */
export const SEND_PHONE_MESSAGE_PROVIDER = 'phone-message-hook' as const;

export function desiredState(options: DeployOptions, secrets: SecretsFile, root: string): DesiredState {
  const bundlePath = `dist/actions/${options.trigger}.js`;
  const bundleFile = path.join(root, bundlePath);
  if (!existsSync(bundleFile)) throw new DeployError(`${bundlePath} does not exist.`, 'Run npm run build (or drop --no-build).');
  const tags = secretTags(fingerprintKey(secrets.credentials.clientSecret), secrets.actionSecrets);
  const voice = placesCalls(secrets.actionSecrets);
  const code = withFingerprint(readFileSync(bundleFile, 'utf8'), tags);
  refuseOversized(bundlePath, code);
  return {
    name: options.name,
    trigger: options.trigger,
    runtime: ACTION_RUNTIME,
    code,
    bundlePath,
    dependencies: actionDependencies(root, secrets.needsPhoneNumberLibrary),
    secretNames: [...secrets.actionSecrets.keys()],
    secretTags: tags,
    ...(options.trigger === 'custom-phone-provider' ? { phoneProvider: { deliveryMethods: voice ? ['text', 'voice'] : ['text'] } } : {}),
    ...(options.enableMfa ? { mfa: { messageTypes: mfaMessageTypes(secrets.actionSecrets) } } : {}),
  };
}

/**
 * The build refuses a bundle over Auth0's limit; the fingerprint comment the deploy appends (a
 * tag per secret) can still push one over, so the code as it would be sent is measured again,
 * before Auth0 is contacted.
 */
function refuseOversized(bundlePath: string, code: string): void {
  const bytes = Buffer.byteLength(code);
  if (bytes <= AUTH0_CODE_LIMIT_BYTES) return;
  throw new DeployError(
    `${bundlePath} with the secrets fingerprint this command appends is ${bytes.toLocaleString('en-US')} bytes, over Auth0's limit of ${AUTH0_CODE_LIMIT_BYTES.toLocaleString('en-US')} bytes for an action's code. Nothing was sent to Auth0.`,
    'Shorten what src/customize.ts adds (its comments count too), or set fewer secrets, then deploy again.',
  );
}

/**
 * Whether the sender can place a call with these secrets: a call needs a From number, or Verify,
 * which calls from its own numbers. The deploy offers calls (the phone provider's `voice`, the
 * MFA message type `voice`) exactly then.
 */
export function placesCalls(actionSecrets: ReadonlyMap<string, string>): boolean {
  return actionSecrets.has(SECRET_NAMES.phoneNumber) || actionSecrets.has(SECRET_NAMES.verifyServiceSid);
}

/** The MFA phone message types --enable-mfa sets. */
export function mfaMessageTypes(actionSecrets: ReadonlyMap<string, string>): Array<'sms' | 'voice'> {
  return placesCalls(actionSecrets) ? ['sms', 'voice'] : ['sms'];
}

/**
 * The npm modules the action declares, pinned to the versions the lock file installs, which
 * are the versions this repository's tests ran against. libphonenumber-js whenever the sender
 * loads it: to tell a number's type for the pumping shield (unless ALLOWED_NUMBER_TYPES allows
 * every costly type), and for country lists (ALLOWED_COUNTRIES, WHATSAPP_COUNTRIES other than `*`).
 */
export function actionDependencies(root: string, withPhoneNumberLibrary: boolean): Array<{ name: string; version: string }> {
  const names = withPhoneNumberLibrary ? ['twilio', PHONE_NUMBER_MODULE] : ['twilio'];
  return names.map((name) => ({ name, version: lockedVersion(root, name) }));
}

function lockedVersion(root: string, name: string): string {
  const lock: unknown = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
  const packages = typeof lock === 'object' && lock !== null ? (lock as { packages?: Record<string, { version?: unknown }> }).packages : undefined;
  const version = packages?.[`node_modules/${name}`]?.version;
  if (typeof version !== 'string') throw new DeployError(`package-lock.json has no entry for node_modules/${name}.`, 'Run npm install, then deploy again.');
  return version;
}
