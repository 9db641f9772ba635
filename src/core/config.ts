import { ConfigurationError, InvalidRecipientError } from './errors';
import { parseAllowedCountries, type CountryAllowlist } from './countries';
import { parsePhoneNumber, type E164 } from './phone';

/** How the sender authenticates to Twilio: HTTP Basic with an account's token, or with an API key. */
export interface TwilioCredentials {
  kind: 'auth-token' | 'api-key';
  /** The Basic auth user: the account SID, or the API key SID (`SK…`). */
  username: string;
  /** The auth token or the API key's secret. Never logged. */
  password: string;
  /** The account whose resources are used (its SID is in every request path). */
  accountSid: string;
}

/** What the sender needs from the hook or action secrets, checked and normalized. */
export interface SenderConfig {
  credentials: TwilioCredentials;
  /** E.164 From number for SMS and voice calls. */
  phoneNumber: E164 | undefined;
  /** `MG…`: SMS goes through this Messaging Service instead of a From number. */
  messagingServiceSid: string | undefined;
  /** `VA…`: when set, Twilio Verify delivers the code (with Auth0's code as its custom code). */
  verifyServiceSid: string | undefined;
  /** A Twilio `<Say>` voice such as `Polly.Joanna` or `alice`; Twilio's default when unset. */
  voice: string | undefined;
  /** Twilio's region (`ie1`, `au1`): requests go to `api.{edge}.{region}.twilio.com`. */
  region: TwilioRegion | undefined;
  /** Twilio's edge location (`dublin`, `sydney`): where the connection enters Twilio's network. */
  edge: TwilioEdge | undefined;
  /** The countries recipients may belong to; undefined lets every country through. */
  allowedCountries: CountryAllowlist | undefined;
}

export const SECRET_NAMES = {
  accountSid: 'TWILIO_ACCOUNT_SID',
  authToken: 'TWILIO_AUTH_TOKEN',
  apiKey: 'TWILIO_API_KEY',
  apiSecret: 'TWILIO_API_SECRET',
  phoneNumber: 'TWILIO_PHONE_NUMBER',
  messagingServiceSid: 'TWILIO_MESSAGING_SERVICE_SID',
  verifyServiceSid: 'TWILIO_VERIFY_SID',
  voice: 'TWILIO_VOICE',
  region: 'TWILIO_REGION',
  edge: 'TWILIO_EDGE',
  allowedCountries: 'ALLOWED_COUNTRIES',
} as const;

/** The secrets whose values must never appear anywhere: scrubbed from every text that leaves. */
export const CONFIDENTIAL_SECRETS = [SECRET_NAMES.authToken, SECRET_NAMES.apiSecret] as const;

/**
 * Twilio's regions for the REST API. `us1` is the default; Programmable Messaging and Voice are
 * also served from `ie1` and `au1`. Verify is served from `us1` only.
 */
export const TWILIO_REGIONS = ['us1', 'ie1', 'au1'] as const;
export type TwilioRegion = (typeof TWILIO_REGIONS)[number];
const DEFAULT_REGION: TwilioRegion = 'us1';

/** Twilio's public edge locations, where a connection enters Twilio's network. */
export const TWILIO_EDGES = ['ashburn', 'dublin', 'frankfurt', 'sao-paulo', 'singapore', 'sydney', 'tokyo', 'umatilla'] as const;
export type TwilioEdge = (typeof TWILIO_EDGES)[number];

/**
 * The edge a region is reached through when TWILIO_EDGE is not set. Twilio retired the
 * `api.{region}.twilio.com` host names (they answer from us1 since 2026-04-28); a region outside
 * us1 is now addressed as `api.{edge}.{region}.twilio.com`, through the edge next to it.
 */
const HOME_EDGES: Readonly<Record<TwilioRegion, TwilioEdge | undefined>> = { us1: undefined, ie1: 'dublin', au1: 'sydney' };

/** Twilio SIDs are a two-letter type prefix and 32 hex digits. */
type SidPrefix = 'AC' | 'MG' | 'VA' | 'SK';
const isSid = (prefix: SidPrefix, value: string): boolean => new RegExp(`^${prefix}[0-9a-fA-F]{32}$`).test(value);
/** Twilio's voice names: `man`, `alice`, `Polly.Joanna-Neural`, `Google.en-US-Standard-C`. */
const VOICE_NAME = /^\p{L}[\p{L}\p{N}._-]{0,63}$/u;

type Secrets = Readonly<Record<string, unknown>>;

/**
 * Reads the secrets, trimming the whitespace a copy from the Twilio console tends to add, and
 * treating an empty optional secret as unset. Throws a `ConfigurationError` naming the secret and
 * what to do about it; the value of a secret never appears in the message.
 * `loadPhoneNumberLibrary` is called only when ALLOWED_COUNTRIES is set: it returns the
 * runtime's libphonenumber-js, or throws when the tenant did not declare it.
 */
export function readConfig(secrets: unknown, loadPhoneNumberLibrary: () => unknown): SenderConfig {
  const source: Secrets = typeof secrets === 'object' && secrets !== null ? (secrets as Secrets) : {};
  const region = optionalChoice(source, SECRET_NAMES.region, TWILIO_REGIONS);
  const verifyServiceSid = optionalSid(source, SECRET_NAMES.verifyServiceSid, 'VA', 'Verify > Services');
  if (verifyServiceSid !== undefined && region !== undefined && region !== DEFAULT_REGION) {
    throw new ConfigurationError(
      `${SECRET_NAMES.verifyServiceSid} cannot be used with ${SECRET_NAMES.region}=${region}: Twilio Verify is served from us1 only. ` +
        `Remove ${SECRET_NAMES.verifyServiceSid} to send through Programmable Messaging and Voice in ${region}, or remove ${SECRET_NAMES.region}.`,
    );
  }
  const allowedCountries = secretText(source, SECRET_NAMES.allowedCountries);
  const edge = optionalChoice(source, SECRET_NAMES.edge, TWILIO_EDGES) ?? (region === undefined ? undefined : HOME_EDGES[region]);
  return {
    credentials: readCredentials(source),
    phoneNumber: optionalPhoneNumber(source, SECRET_NAMES.phoneNumber),
    messagingServiceSid: optionalSid(source, SECRET_NAMES.messagingServiceSid, 'MG', 'Messaging > Services'),
    verifyServiceSid,
    voice: optionalVoice(source),
    region,
    edge,
    allowedCountries:
      allowedCountries === undefined ? undefined : parseAllowedCountries(allowedCountries, SECRET_NAMES.allowedCountries, loadPhoneNumberLibrary),
  };
}

/**
 * An API key wins over the auth token when both are set: Twilio recommends keys, which can be
 * revoked one by one, and a tenant moving to a key may leave the old token in place for a while.
 */
function readCredentials(source: Secrets): TwilioCredentials {
  const accountSid = requiredSecret(source, SECRET_NAMES.accountSid);
  if (!isSid('AC', accountSid)) {
    throw new ConfigurationError(
      `${SECRET_NAMES.accountSid} is malformed: it must be "AC" followed by 32 hex digits, as shown in the Twilio Console under Account Info.`,
    );
  }
  const apiKey = secretText(source, SECRET_NAMES.apiKey);
  const apiSecret = secretText(source, SECRET_NAMES.apiSecret);
  if (apiKey !== undefined || apiSecret !== undefined) {
    if (apiKey === undefined) {
      throw new ConfigurationError(
        `${SECRET_NAMES.apiSecret} is set but ${SECRET_NAMES.apiKey} is not: add the API key's SID ("SK…") as ${SECRET_NAMES.apiKey}, or remove ${SECRET_NAMES.apiSecret} to use ${SECRET_NAMES.authToken}.`,
      );
    }
    if (!isSid('SK', apiKey)) {
      throw new ConfigurationError(
        `${SECRET_NAMES.apiKey} is malformed: it must be the API key's SID, "SK" followed by 32 hex digits (Twilio Console > Account > API keys & tokens).`,
      );
    }
    if (apiSecret === undefined) {
      throw new ConfigurationError(
        `${SECRET_NAMES.apiKey} is set but ${SECRET_NAMES.apiSecret} is not: add the secret Twilio showed once when the key was created (or create a new key).`,
      );
    }
    return { kind: 'api-key', username: apiKey, password: withoutWhitespace(apiSecret, SECRET_NAMES.apiSecret), accountSid };
  }
  const authToken = secretText(source, SECRET_NAMES.authToken);
  if (authToken === undefined) {
    throw new ConfigurationError(
      `${SECRET_NAMES.authToken} is not set. Add it (or ${SECRET_NAMES.apiKey} and ${SECRET_NAMES.apiSecret}) to the secrets of the hook or action.`,
    );
  }
  return { kind: 'auth-token', username: accountSid, password: withoutWhitespace(authToken, SECRET_NAMES.authToken), accountSid };
}

function withoutWhitespace(value: string, name: string): string {
  if (/\s/.test(value)) {
    throw new ConfigurationError(`${name} is malformed: it contains whitespace. Copy it again from the Twilio Console.`);
  }
  return value;
}

function secretText(source: Secrets, name: string): string | undefined {
  const value = source[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new ConfigurationError(`${name} must be a string; set it as a secret of the hook or action.`);
  }
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function requiredSecret(source: Secrets, name: string): string {
  const value = secretText(source, name);
  if (value === undefined) {
    throw new ConfigurationError(`${name} is not set. Add it to the secrets of the hook or action.`);
  }
  return value;
}

function optionalSid(source: Secrets, name: string, prefix: SidPrefix, consolePlace: string): string | undefined {
  const value = secretText(source, name);
  if (value !== undefined && !isSid(prefix, value)) {
    throw new ConfigurationError(
      `${name} is malformed: it must be "${prefix}" followed by 32 hex digits, as shown in the Twilio Console under ${consolePlace}. Remove the secret if you do not use it.`,
    );
  }
  return value;
}

function optionalChoice<T extends string>(source: Secrets, name: string, choices: readonly T[]): T | undefined {
  const value = secretText(source, name)?.toLowerCase();
  if (value === undefined) return undefined;
  const choice = choices.find((known) => known === value);
  if (choice === undefined) {
    throw new ConfigurationError(`${name} is not a Twilio ${name === SECRET_NAMES.region ? 'region' : 'edge'} this sender knows: use one of ${choices.join(', ')}, or remove the secret.`);
  }
  return choice;
}

function optionalPhoneNumber(source: Secrets, name: string): E164 | undefined {
  const value = secretText(source, name);
  if (value === undefined) return undefined;
  try {
    return parsePhoneNumber(value, name);
  } catch (error) {
    if (error instanceof InvalidRecipientError) throw new ConfigurationError(error.message);
    throw error;
  }
}

function optionalVoice(source: Secrets): string | undefined {
  const value = secretText(source, SECRET_NAMES.voice);
  if (value !== undefined && !VOICE_NAME.test(value)) {
    throw new ConfigurationError(
      `${SECRET_NAMES.voice} is malformed: use a Twilio voice name such as "Polly.Joanna" or "alice", or remove the secret.`,
    );
  }
  return value;
}
