import { ConfigurationError, InvalidRecipientError } from './errors';
import { parseAllowedCountries, parseCountryList, type CountryAllowlist, type CountryList } from './countries';
import { parsePhoneNumber, type E164 } from './phone';
import { isSid, type SidPrefix } from './sid';
import {
  DEFAULT_ENROLLMENTS_PER_BLOCK,
  DEFAULT_LOOKUP_MAX_RISK,
  LOOKUP_FAILURE_MODES,
  LOOKUP_SCOPES,
  MAX_RISK_SCORE,
  NUMBERS_PER_BLOCK,
  parseAllowedNumberTypes,
  VELOCITY_OFF,
  type ShieldSettings,
} from './screen/settings';

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
  /** One-time codes to these countries go on WhatsApp first; undefined: no WhatsApp. */
  whatsapp: WhatsAppConfig | undefined;
  /** The pumping shield's layers (screen/). */
  shield: ShieldSettings;
}

/** An SMS or WhatsApp message comes from a number, or from a Messaging Service that picks the number itself. */
export type MessageSender = { from: E164 } | { messagingServiceSid: string };

/**
 * How codes reach WhatsApp: through Verify (its service holds the WhatsApp sender), or through
 * Programmable Messaging with the tenant's approved authentication template, whose variable 1 is
 * the code (a business-initiated WhatsApp message must be a template).
 */
export interface WhatsAppConfig {
  countries: CountryList;
  route: { kind: 'verify' } | { kind: 'messaging'; sender: MessageSender; contentSid: string };
}

/** Messaging and Voice are served from all three; Verify from `us1` (the default) only, Lookup v2 from `us1` and `ie1`. */
export const TWILIO_REGIONS = ['us1', 'ie1', 'au1'] as const;
export type TwilioRegion = (typeof TWILIO_REGIONS)[number];
const DEFAULT_REGION: TwilioRegion = 'us1';
const LOOKUP_REGIONS: readonly TwilioRegion[] = ['us1', 'ie1'];

/** Twilio's public edge locations, where a connection enters Twilio's network. */
export const TWILIO_EDGES = ['ashburn', 'dublin', 'frankfurt', 'sao-paulo', 'singapore', 'sydney', 'tokyo', 'umatilla'] as const;
export type TwilioEdge = (typeof TWILIO_EDGES)[number];

/**
 * Every secret the sender reads: the one list. What each takes and is for (`SECRET_DOCS`, in
 * secret-docs.ts, which no entry imports, so the bundles do not carry it) is keyed by it; the
 * README's secrets table, `.env.example`, the banners and the tools derive from both or are tested
 * against them.
 */
export const SECRETS = {
  accountSid: { name: 'TWILIO_ACCOUNT_SID' },
  authToken: { name: 'TWILIO_AUTH_TOKEN', confidential: true },
  apiKey: { name: 'TWILIO_API_KEY' },
  apiSecret: { name: 'TWILIO_API_SECRET', confidential: true },
  phoneNumber: { name: 'TWILIO_PHONE_NUMBER' },
  messagingServiceSid: { name: 'TWILIO_MESSAGING_SERVICE_SID' },
  verifyServiceSid: { name: 'TWILIO_VERIFY_SID' },
  voice: { name: 'TWILIO_VOICE' },
  region: { name: 'TWILIO_REGION' },
  edge: { name: 'TWILIO_EDGE' },
  allowedCountries: { name: 'ALLOWED_COUNTRIES' },
  whatsappCountries: { name: 'WHATSAPP_COUNTRIES' },
  whatsappFrom: { name: 'TWILIO_WHATSAPP_FROM' },
  whatsappContentSid: { name: 'TWILIO_WHATSAPP_CONTENT_SID' },
  allowedNumberTypes: { name: 'ALLOWED_NUMBER_TYPES' },
  enrollmentVelocity: { name: 'ENROLLMENT_VELOCITY' },
  lookup: { name: 'TWILIO_LOOKUP' },
  lookupMaxRisk: { name: 'TWILIO_LOOKUP_MAX_RISK' },
  lookupFail: { name: 'TWILIO_LOOKUP_FAIL' },
} as const satisfies Record<string, { name: string; confidential?: true }>;

export type SecretKey = keyof typeof SECRETS;

/** `SECRET_NAMES.accountSid` is `TWILIO_ACCOUNT_SID`. */
export const SECRET_NAMES = Object.fromEntries(Object.entries(SECRETS).map(([key, secret]) => [key, secret.name])) as {
  readonly [K in SecretKey]: (typeof SECRETS)[K]['name'];
};

/** Every secret name, in the order of `SECRETS`. */
export const ALL_SECRET_NAMES: readonly string[] = Object.values(SECRETS).map((secret) => secret.name);

/** Scrubbed from every text that leaves. */
export const CONFIDENTIAL_SECRETS: readonly string[] = Object.values(SECRETS)
  .filter((secret) => 'confidential' in secret)
  .map((secret) => secret.name);

/**
 * A region's edge when TWILIO_EDGE is not set: Twilio retired `api.{region}.twilio.com` (us1
 * answers it since 2026-04-28), so other regions are reached as `api.{edge}.{region}.twilio.com`.
 */
const HOME_EDGES: Readonly<Record<TwilioRegion, TwilioEdge | undefined>> = { us1: undefined, ie1: 'dublin', au1: 'sydney' };

/** The Twilio products the sender calls: Programmable Messaging and Voice (`api`), Verify and Lookup. */
export type TwilioProduct = 'api' | 'verify' | 'lookups';

/**
 * The host twilio 3 to 6 addresses (its `getHostname`): `api.twilio.com`, `verify.twilio.com`,
 * `api.dublin.ie1.twilio.com`; an edge without a region is in us1.
 */
export function twilioHost(product: TwilioProduct, region: TwilioRegion | undefined, edge: TwilioEdge | undefined): string {
  const hostRegion = region ?? (edge === undefined ? undefined : DEFAULT_REGION);
  return [product, edge, hostRegion, 'twilio.com'].filter((part) => part !== undefined).join('.');
}

/** Twilio's voice names: `man`, `alice`, `Polly.Joanna-Neural`, `Google.en-US-Standard-C`. */
const VOICE_NAME = /^\p{L}[\p{L}\p{N}._-]{0,63}$/u;

type Secrets = Readonly<Record<string, unknown>>;

/** A product's secret set with a region Twilio does not serve that product from. */
function notServedIn(region: TwilioRegion, secretName: string, product: string, regions: string): ConfigurationError {
  return new ConfigurationError(`${secretName} cannot be used with TWILIO_REGION=${region}: Twilio ${product} is served from ${regions} only. Remove one of them.`);
}

/**
 * Reads the secrets, trimming the whitespace a copy from the Twilio console tends to add; an empty
 * optional secret is unset. Throws a `ConfigurationError` naming the secret and the fix, never its
 * value. `loadPhoneNumberLibrary` is called only when a secret lists countries.
 */
export function readConfig(secrets: unknown, loadPhoneNumberLibrary: () => unknown): SenderConfig {
  const source: Secrets = typeof secrets === 'object' && secrets !== null ? (secrets as Secrets) : {};
  const region = optionalChoice(source, SECRET_NAMES.region, TWILIO_REGIONS, 'a Twilio region');
  const verifyServiceSid = optionalSid(source, SECRET_NAMES.verifyServiceSid, 'VA', 'Verify > Services');
  if (verifyServiceSid !== undefined && region !== undefined && region !== DEFAULT_REGION) {
    throw notServedIn(region, 'TWILIO_VERIFY_SID', 'Verify', 'us1');
  }
  const allowedCountries = secretText(source, SECRET_NAMES.allowedCountries);
  const edge = optionalChoice(source, SECRET_NAMES.edge, TWILIO_EDGES, 'a Twilio edge') ?? (region === undefined ? undefined : HOME_EDGES[region]);
  const credentials = readCredentials(source);
  const messagingServiceSid = optionalSid(source, SECRET_NAMES.messagingServiceSid, 'MG', 'Messaging > Services');
  return {
    credentials,
    phoneNumber: optionalPhoneNumber(source, SECRET_NAMES.phoneNumber),
    messagingServiceSid,
    verifyServiceSid,
    voice: optionalVoice(source),
    region,
    edge,
    allowedCountries:
      allowedCountries === undefined ? undefined : parseAllowedCountries(allowedCountries, SECRET_NAMES.allowedCountries, loadPhoneNumberLibrary),
    whatsapp: readWhatsApp(source, { verifyServiceSid, messagingServiceSid }, loadPhoneNumberLibrary),
    shield: readShield(source, region),
  };
}

/** The pumping shield's secrets; Lookup v2 is served from us1 and ie1 only. */
function readShield(source: Secrets, region: TwilioRegion | undefined): ShieldSettings {
  const scope = optionalChoice(source, SECRET_NAMES.lookup, LOOKUP_SCOPES, 'a Lookup scope');
  const maxRiskScore = optionalWholeNumber(source, SECRET_NAMES.lookupMaxRisk, 0, MAX_RISK_SCORE) ?? DEFAULT_LOOKUP_MAX_RISK;
  const failure = optionalChoice(source, SECRET_NAMES.lookupFail, LOOKUP_FAILURE_MODES, 'a Lookup failure mode');
  const orphan = [SECRET_NAMES.lookupMaxRisk, SECRET_NAMES.lookupFail].find((name) => secretText(source, name) !== undefined);
  if (scope === undefined && orphan !== undefined) throw new ConfigurationError(`${orphan} is set but TWILIO_LOOKUP is not: set it, or remove ${orphan}.`);
  if (scope !== undefined && region !== undefined && !LOOKUP_REGIONS.includes(region)) {
    throw notServedIn(region, 'TWILIO_LOOKUP', 'Lookup v2', 'us1 and ie1');
  }
  const velocityOff = secretText(source, SECRET_NAMES.enrollmentVelocity)?.toLowerCase() === VELOCITY_OFF;
  return {
    ...parseAllowedNumberTypes(secretText(source, SECRET_NAMES.allowedNumberTypes), SECRET_NAMES.allowedNumberTypes),
    enrollmentsPerBlock: velocityOff ? undefined : (optionalWholeNumber(source, SECRET_NAMES.enrollmentVelocity, 1, NUMBERS_PER_BLOCK, VELOCITY_OFF) ?? DEFAULT_ENROLLMENTS_PER_BLOCK),
    lookup: scope === undefined ? undefined : { scope, maxRiskScore, failClosed: failure === 'closed' },
  };
}

/**
 * WHATSAPP_COUNTRIES turns WhatsApp on; its route's needs are checked here, not at a user's login.
 * The WhatsApp secrets without it are checked for shape too (a typo now is a typo later).
 */
function readWhatsApp(
  source: Secrets,
  services: { verifyServiceSid: string | undefined; messagingServiceSid: string | undefined },
  loadPhoneNumberLibrary: () => unknown,
): WhatsAppConfig | undefined {
  const listed = secretText(source, SECRET_NAMES.whatsappCountries);
  const from = optionalWhatsAppNumber(source);
  const contentSid = optionalSid(source, SECRET_NAMES.whatsappContentSid, 'HX', 'Messaging > Content Template Builder');
  if (listed === undefined) return undefined;
  const countries = parseCountryList(listed, SECRET_NAMES.whatsappCountries, loadPhoneNumberLibrary);
  if (services.verifyServiceSid !== undefined) return { countries, route: { kind: 'verify' } };
  if (contentSid === undefined) {
    throw new ConfigurationError(
      `WHATSAPP_COUNTRIES is set but TWILIO_WHATSAPP_CONTENT_SID is not: set it to your approved authentication template ` +
        `(Messaging > Content Template Builder, "HX…", the code as variable 1), send through Verify (TWILIO_VERIFY_SID), or remove WHATSAPP_COUNTRIES.`,
    );
  }
  const sender: MessageSender | undefined =
    from !== undefined ? { from } : services.messagingServiceSid !== undefined ? { messagingServiceSid: services.messagingServiceSid } : undefined;
  if (sender === undefined) {
    throw new ConfigurationError(
      `WHATSAPP_COUNTRIES is set but no WhatsApp sender is: set TWILIO_WHATSAPP_FROM to your WhatsApp ` +
        `sender's number, or TWILIO_MESSAGING_SERVICE_SID to a Messaging Service whose sender pool holds it.`,
    );
  }
  return { countries, route: { kind: 'messaging', sender, contentSid } };
}

/** `whatsapp:+15005550006` too, as Twilio's Console shows a WhatsApp sender. */
function optionalWhatsAppNumber(source: Secrets): E164 | undefined {
  const value = secretText(source, SECRET_NAMES.whatsappFrom);
  return value === undefined ? undefined : phoneNumberSecret(value.replace(/^whatsapp:/i, ''), SECRET_NAMES.whatsappFrom);
}

/**
 * An API key wins over the auth token: Twilio recommends keys (revocable one by one), and a
 * tenant moving to one may leave the old token in place.
 */
function readCredentials(source: Secrets): TwilioCredentials {
  const accountSid = sidSecret(requiredSecret(source, SECRET_NAMES.accountSid), SECRET_NAMES.accountSid, 'AC', 'Account Info');
  const apiKey = secretText(source, SECRET_NAMES.apiKey);
  const apiSecret = secretText(source, SECRET_NAMES.apiSecret);
  if (apiKey !== undefined || apiSecret !== undefined) {
    if (apiKey === undefined) {
      throw new ConfigurationError(
        `TWILIO_API_SECRET is set but TWILIO_API_KEY is not: add the key's SID ("SK…"), or remove TWILIO_API_SECRET to use TWILIO_AUTH_TOKEN.`,
      );
    }
    sidSecret(apiKey, SECRET_NAMES.apiKey, 'SK', 'Account > API keys & tokens');
    if (apiSecret === undefined) {
      throw new ConfigurationError(
        `TWILIO_API_KEY is set but TWILIO_API_SECRET is not: add the secret Twilio showed when the key was made (or make a new key).`,
      );
    }
    return { kind: 'api-key', username: apiKey, password: withoutWhitespace(apiSecret, SECRET_NAMES.apiSecret), accountSid };
  }
  const authToken = secretText(source, SECRET_NAMES.authToken);
  if (authToken === undefined) {
    throw new ConfigurationError(
      `TWILIO_AUTH_TOKEN is not set. Add it (or TWILIO_API_KEY and TWILIO_API_SECRET) to the secrets of the hook or action.`,
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

/** A secret that must be a SID of its type, with where the Twilio Console shows it; an optional one may be removed instead. */
function sidSecret(value: string, name: string, prefix: SidPrefix, consolePlace: string, orElse = ''): string {
  if (!isSid(value, prefix)) throw new ConfigurationError(`${name} is malformed: it must be "${prefix}" followed by 32 hex digits (Twilio Console > ${consolePlace})${orElse}.`);
  return value;
}

function optionalSid(source: Secrets, name: string, prefix: SidPrefix, consolePlace: string): string | undefined {
  const value = secretText(source, name);
  return value === undefined ? undefined : sidSecret(value, name, prefix, consolePlace, ', or be removed');
}

function optionalChoice<T extends string>(source: Secrets, name: string, choices: readonly T[], what: string): T | undefined {
  const value = secretText(source, name)?.toLowerCase();
  const choice = choices.find((known) => known === value);
  if (value !== undefined && choice === undefined) {
    throw new ConfigurationError(`${name} is not ${what} this sender knows: use one of ${choices.join(', ')}, or remove the secret.`);
  }
  return choice;
}

/** A whole number from `min` to `max` (or the word `orElse`, which the caller reads). */
function optionalWholeNumber(source: Secrets, name: string, min: number, max: number, orElse?: string): number | undefined {
  const text = secretText(source, name);
  const value = text !== undefined && /^\d{1,4}$/.test(text) ? Number(text) : NaN;
  if (text === undefined || (value >= min && value <= max)) return text === undefined ? undefined : value;
  throw new ConfigurationError(`${name} must be a whole number from ${min} to ${max}${orElse === undefined ? '' : `, or ${orElse}`}; remove it for the default.`);
}

function optionalPhoneNumber(source: Secrets, name: string): E164 | undefined {
  const value = secretText(source, name);
  return value === undefined ? undefined : phoneNumberSecret(value, name);
}

function phoneNumberSecret(value: string, name: string): E164 {
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
      `TWILIO_VOICE is malformed: use a Twilio voice name such as "Polly.Joanna" or "alice", or remove the secret.`,
    );
  }
  return value;
}
