import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'dotenv';
import { SECRET_NAMES } from '../../src/core/config';
import { DEFAULT_SECRETS_FILE, EXAMPLE_SECRETS_FILE, UsageError } from '../command-line';

/**
 * Secrets for runs against the fake: valid in shape, worthless anywhere else. An account that
 * sends SMS from a number, and one-time codes to Brazil and India on WhatsApp first (its sender
 * is the same number; its authentication template takes the code as variable 1).
 */
export const DEMO_SECRETS: Readonly<Record<string, string>> = {
  [SECRET_NAMES.accountSid]: 'ACdec0de00000000000000000000000001',
  [SECRET_NAMES.authToken]: 'demo0000000000000000000000000001',
  [SECRET_NAMES.phoneNumber]: '+15005550006',
  [SECRET_NAMES.whatsappCountries]: 'BR,IN',
  [SECRET_NAMES.whatsappFrom]: '+15005550006',
  [SECRET_NAMES.whatsappContentSid]: 'HXdec0de00000000000000000000000001',
};

export interface LoadedSecrets {
  secrets: Record<string, string>;
  /** Where they came from, for the header of the output. */
  source: string;
  fromFile: boolean;
}

const DEMO = { secrets: DEMO_SECRETS, source: 'built-in demo secrets', fromFile: false } as const;

/**
 * Reads a dotenv file; without one, `.env` when present, else the demo secrets. A `.env` just
 * copied from `.env.example` (its account SID still the placeholder) is not read: the demo
 * secrets run instead, and the source says why.
 */
export function loadSecrets(path: string | undefined, defaultPath = DEFAULT_SECRETS_FILE, examplePath = EXAMPLE_SECRETS_FILE): LoadedSecrets {
  const file = path ?? (existsSync(defaultPath) ? defaultPath : undefined);
  if (file === undefined) return { ...DEMO, secrets: { ...DEMO_SECRETS } };
  if (!existsSync(file)) throw new UsageError(`The secrets file ${file} does not exist; copy ${EXAMPLE_SECRETS_FILE} to it and fill it in.`);
  const secrets = parse(readFileSync(file));
  if (path === undefined && isPlaceholder(secrets, SECRET_NAMES.accountSid, examplePath)) {
    return { ...DEMO, secrets: { ...DEMO_SECRETS }, source: `${DEMO.source} (${file} still holds the placeholders of ${examplePath}: fill it in to run with yours)` };
  }
  return { secrets, source: file, fromFile: true };
}

/** Whether secret `name` is still the value `.env.example` gives it. */
function isPlaceholder(secrets: Readonly<Record<string, string>>, name: string, examplePath: string): boolean {
  const placeholders = existsSync(examplePath) ? parse(readFileSync(examplePath)) : {};
  return secrets[name] !== undefined && secrets[name] === placeholders[name];
}

/**
 * Why `--live` must not run with these secrets, or undefined when it may: live runs spend real
 * money and reach a real phone, so placeholders are refused before anything is sent.
 */
export function liveRefusal(loaded: LoadedSecrets, examplePath = EXAMPLE_SECRETS_FILE): string | undefined {
  if (!loaded.fromFile) {
    return `--live needs your Twilio credentials: copy ${EXAMPLE_SECRETS_FILE} to ${DEFAULT_SECRETS_FILE} and fill in ${SECRET_NAMES.accountSid}, ${SECRET_NAMES.authToken} (or ${SECRET_NAMES.apiKey} and ${SECRET_NAMES.apiSecret}) and ${SECRET_NAMES.phoneNumber} (or pass --secrets FILE).`;
  }
  // An API key stands in for the auth token, as it does in the sender.
  const secret = loaded.secrets[SECRET_NAMES.apiKey]?.trim() ? SECRET_NAMES.apiSecret : SECRET_NAMES.authToken;
  for (const name of [SECRET_NAMES.accountSid, secret]) {
    const value = loaded.secrets[name];
    if (value === undefined || value.trim() === '') return `--live needs ${name}, which ${loaded.source} does not set.`;
    if (isPlaceholder(loaded.secrets, name, examplePath) || value === DEMO_SECRETS[name]) {
      return `--live refused: ${name} in ${loaded.source} is still the example placeholder; put your own value from Twilio Console > Account Info.`;
    }
  }
  return undefined;
}

