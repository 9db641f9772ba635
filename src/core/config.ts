import { ConfigurationError, InvalidRecipientError } from './errors';
import { normalizePhoneNumber } from './phone';

/** What the sender needs from the hook or action secrets, checked and normalized. */
export interface TwilioConfig {
  accountSid: string;
  authToken: string;
  /** E.164 From number for SMS and voice calls. */
  phoneNumber: string | undefined;
  /** `MG…`: SMS goes through this Messaging Service instead of a From number. */
  messagingServiceSid: string | undefined;
  /** `VA…`: when set, Twilio Verify delivers the code (with Auth0's code as its custom code). */
  verifyServiceSid: string | undefined;
  /** A Twilio `<Say>` voice such as `Polly.Joanna` or `alice`; Twilio's default when unset. */
  voice: string | undefined;
}

export const SECRET_NAMES = {
  accountSid: 'TWILIO_ACCOUNT_SID',
  authToken: 'TWILIO_AUTH_TOKEN',
  phoneNumber: 'TWILIO_PHONE_NUMBER',
  messagingServiceSid: 'TWILIO_MESSAGING_SERVICE_SID',
  verifyServiceSid: 'TWILIO_VERIFY_SID',
  voice: 'TWILIO_VOICE',
} as const;

/** Twilio SIDs are a two-letter type prefix and 32 hex digits. */
const SID_PATTERNS: Readonly<Record<string, RegExp>> = {
  AC: /^AC[0-9a-fA-F]{32}$/,
  MG: /^MG[0-9a-fA-F]{32}$/,
  VA: /^VA[0-9a-fA-F]{32}$/,
};
const sidPattern = (prefix: 'AC' | 'MG' | 'VA'): RegExp => SID_PATTERNS[prefix] as RegExp;
/** Twilio's voice names: `man`, `alice`, `Polly.Joanna-Neural`, `Google.en-US-Standard-C`. */
const VOICE_NAME = /^\p{L}[\p{L}\p{N}._-]{0,63}$/u;

type Secrets = Readonly<Record<string, unknown>>;

/**
 * Reads the secrets, trimming the whitespace a copy from the Twilio console tends to add.
 * Throws a `ConfigurationError` naming the secret and what to do about it; the value of a
 * secret never appears in the message.
 */
export function readConfig(secrets: unknown): TwilioConfig {
  const source: Secrets = typeof secrets === 'object' && secrets !== null ? (secrets as Secrets) : {};

  const accountSid = requiredSecret(source, SECRET_NAMES.accountSid);
  if (!sidPattern('AC').test(accountSid)) {
    throw new ConfigurationError(
      `${SECRET_NAMES.accountSid} is malformed: it must be "AC" followed by 32 hex digits, as shown in the Twilio Console under Account Info.`,
    );
  }
  const authToken = requiredSecret(source, SECRET_NAMES.authToken);
  if (/\s/.test(authToken)) {
    throw new ConfigurationError(
      `${SECRET_NAMES.authToken} is malformed: it contains whitespace. Copy the Auth Token again from the Twilio Console.`,
    );
  }

  return {
    accountSid,
    authToken,
    phoneNumber: optionalPhoneNumber(source, SECRET_NAMES.phoneNumber),
    messagingServiceSid: optionalSid(source, SECRET_NAMES.messagingServiceSid, 'MG', 'Messaging > Services'),
    verifyServiceSid: optionalSid(source, SECRET_NAMES.verifyServiceSid, 'VA', 'Verify > Services'),
    voice: optionalVoice(source),
  };
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

function optionalSid(source: Secrets, name: string, prefix: 'MG' | 'VA', consolePlace: string): string | undefined {
  const value = secretText(source, name);
  if (value !== undefined && !sidPattern(prefix).test(value)) {
    throw new ConfigurationError(
      `${name} is malformed: it must be "${prefix}" followed by 32 hex digits, as shown in the Twilio Console under ${consolePlace}. Remove the secret if you do not use it.`,
    );
  }
  return value;
}

function optionalPhoneNumber(source: Secrets, name: string): string | undefined {
  const value = secretText(source, name);
  if (value === undefined) return undefined;
  try {
    return normalizePhoneNumber(value, name);
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
