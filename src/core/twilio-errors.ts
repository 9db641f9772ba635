import { FRIENDLY_MESSAGES, TwilioDeliveryError } from './errors';
import { scrub } from './redact';
import { attemptsText } from './retry';

/**
 * Connection-level failures worth another attempt: none of them means Twilio refused the
 * message, and each can heal within the seconds the sender has.
 */
const RETRYABLE_NETWORK_CODES: readonly string[] = [
  'ECONNRESET', // the connection dropped, often a pooled keep-alive socket closed by the far end
  'ECONNREFUSED', // nothing listening right now, such as a proxy restarting
  'ECONNABORTED', // axios (inside twilio 4+) gave up on one request after its timeout
  'ETIMEDOUT', // connect or socket timeout
  'ESOCKETTIMEDOUT', // the same from the request library inside twilio 3
  'EPIPE', // wrote to a socket the far end had closed
  'EAI_AGAIN', // DNS lookup failed temporarily
  'ENETUNREACH', // the route to Twilio is down for a moment
  'EHOSTUNREACH',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
];

/** HTTP statuses that mean "not now" rather than "never". */
const RETRYABLE_HTTP_STATUSES: readonly number[] = [429, 500, 502, 503, 504];

/**
 * Twilio codes that come with a "retry" status but cannot heal within one login: 60203 is
 * answered with 429, yet Verify's limit lasts ten minutes.
 */
const NEVER_RETRIED_TWILIO_CODES: readonly number[] = [60203];

interface TwilioErrorAdvice {
  /** What to do about it, for the tenant admin reading Auth0's logs. */
  hint: string;
  /** Which short message the person logging in sees. */
  friendly: string;
}

const TOO_MANY_ATTEMPTS =
  'Too many codes were sent to this number. Wait a few minutes before asking for a new one.';

/** Twilio's documented error codes that tenants meet most, with what to change. */
const TWILIO_ERROR_ADVICE: Readonly<Record<number, TwilioErrorAdvice>> = {
  20003: {
    hint: 'Twilio did not accept the credentials: check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN against Twilio Console > Account Info (a rotated token or test credentials fail this way).',
    friendly: FRIENDLY_MESSAGES.configuration,
  },
  20404: {
    hint: 'Twilio has no such resource: check that TWILIO_VERIFY_SID or TWILIO_MESSAGING_SERVICE_SID belongs to this account.',
    friendly: FRIENDLY_MESSAGES.configuration,
  },
  21211: {
    hint: 'Twilio considers the recipient number invalid: the user must enroll a real, reachable number.',
    friendly: FRIENDLY_MESSAGES.recipient,
  },
  21212: {
    hint: 'The From number is invalid: set TWILIO_PHONE_NUMBER to a number of this Twilio account, in E.164.',
    friendly: FRIENDLY_MESSAGES.configuration,
  },
  21408: {
    hint: "The recipient's country is not enabled: turn it on in Twilio Console > Messaging (or Voice) > Settings > Geo permissions.",
    friendly: FRIENDLY_MESSAGES.recipient,
  },
  21606: {
    hint: 'The From number cannot send SMS: use an SMS-capable number in TWILIO_PHONE_NUMBER, or a Messaging Service in TWILIO_MESSAGING_SERVICE_SID.',
    friendly: FRIENDLY_MESSAGES.configuration,
  },
  21608: {
    hint: 'A Twilio trial account can only send to verified numbers: verify this number in Twilio Console > Phone Numbers > Verified Caller IDs, or upgrade the account.',
    friendly: FRIENDLY_MESSAGES.recipient,
  },
  21610: {
    hint: 'The recipient replied STOP to this sender and is unsubscribed; they must text START to it to receive codes again.',
    friendly: FRIENDLY_MESSAGES.recipient,
  },
  21614: {
    hint: 'The recipient number cannot receive SMS (a landline or not a mobile number); the user can choose a voice call or enroll a mobile number.',
    friendly: FRIENDLY_MESSAGES.recipient,
  },
  60200: {
    hint: "Verify rejected a parameter: check the recipient number and that the Verify service's code length matches Auth0's code.",
    friendly: FRIENDLY_MESSAGES.configuration,
  },
  60203: {
    hint: 'Verify reached its limit of send attempts to this number (5 in 10 minutes); the user has to wait.',
    friendly: TOO_MANY_ATTEMPTS,
  },
  60204: {
    hint: 'This Verify service does not accept custom codes: ask Twilio support to enable custom verification codes on it, or remove TWILIO_VERIFY_SID to send through Programmable Messaging.',
    friendly: FRIENDLY_MESSAGES.configuration,
  },
  60410: {
    hint: "Verify's Fraud Guard blocked this number's prefix for suspected SMS pumping: review Twilio Console > Verify > Fraud Guard.",
    friendly: FRIENDLY_MESSAGES.recipient,
  },
};

/** The parts of an error thrown by any twilio 3 to 6 that this module reads. */
interface ThrownByTwilio {
  status?: unknown;
  code?: unknown;
  message?: unknown;
  moreInfo?: unknown;
}

function asThrown(error: unknown): ThrownByTwilio {
  return typeof error === 'object' && error !== null ? (error as ThrownByTwilio) : {};
}

function isRetryableAnswer(status: number, code: unknown): boolean {
  return RETRYABLE_HTTP_STATUSES.includes(status) && !(typeof code === 'number' && NEVER_RETRIED_TWILIO_CODES.includes(code));
}

/** Whether a failure of one attempt is worth another attempt. */
export function isRetryable(error: unknown): boolean {
  const { status, code } = asThrown(error);
  if (typeof status === 'number') return isRetryableAnswer(status, code);
  return typeof code === 'string' && RETRYABLE_NETWORK_CODES.includes(code);
}

/**
 * Turns whatever the twilio library threw into a `TwilioDeliveryError` whose message says what
 * failed and how to fix it. Only whitelisted fields are read: the library's own error objects
 * carry the request configuration, Authorization header included, and must never be passed on.
 */
export function toDeliveryError(
  error: unknown,
  attempts: number,
  secrets: ReadonlyArray<string | undefined>,
): TwilioDeliveryError {
  const { status, code, message, moreInfo } = asThrown(error);
  // Twilio's messages end with a period; the sentence that follows brings its own.
  const twilioMessage = typeof message === 'string' ? scrub(message, secrets).replace(/[.\s]+$/, '') : '';
  const tries = attemptsText(attempts);

  if (typeof status === 'number') {
    const twilioCode = typeof code === 'number' ? code : undefined;
    const advice = twilioCode === undefined ? undefined : TWILIO_ERROR_ADVICE[twilioCode];
    const transient = isRetryableAnswer(status, code);
    const reference =
      typeof moreInfo === 'string' && /^https:\/\/www\.twilio\.com\//.test(moreInfo) ? ` More: ${moreInfo}` : '';
    const label = twilioCode === undefined ? `HTTP ${status}` : `error ${twilioCode} (HTTP ${status})`;
    const fallbackHint = transient
      ? 'Twilio is overloaded or unavailable; Auth0 will ask again at the next attempt.'
      : 'See the Twilio error reference for this code.';
    return new TwilioDeliveryError({
      message: `Twilio answered ${label} after ${tries}: ${twilioMessage || 'no message'}. ${advice?.hint ?? fallbackHint}${reference}`,
      friendlyMessage: advice?.friendly ?? (transient ? FRIENDLY_MESSAGES.tryAgain : FRIENDLY_MESSAGES.configuration),
      transient,
      twilioCode,
      httpStatus: status,
    });
  }

  if (typeof code === 'string' && RETRYABLE_NETWORK_CODES.includes(code)) {
    return new TwilioDeliveryError({
      message: `Could not reach Twilio (${code}) after ${tries}. Check the status of Twilio's API; the request can be tried again.`,
      friendlyMessage: FRIENDLY_MESSAGES.tryAgain,
      transient: true,
    });
  }

  if (code === 'ENOTFOUND') {
    // Not retried: a name that does not resolve now will not resolve in the next second either.
    return new TwilioDeliveryError({
      message: `Could not resolve Twilio's host name (ENOTFOUND) after ${tries}: the runtime has no DNS or no route to Twilio.`,
      friendlyMessage: FRIENDLY_MESSAGES.tryAgain,
      transient: true,
    });
  }

  if (error instanceof SyntaxError) {
    // A 2xx answer whose body is unreadable: Twilio probably accepted the message, so another
    // attempt could deliver a second one.
    return new TwilioDeliveryError({
      message: `Twilio answered with a body that is not JSON after ${tries}; the message may have been sent. Check the Twilio Console logs.`,
      friendlyMessage: FRIENDLY_MESSAGES.tryAgain,
      transient: false,
    });
  }

  const name = error instanceof Error ? error.name : typeof error;
  const detail = typeof code === 'string' ? ` (${scrub(code, secrets)})` : '';
  return new TwilioDeliveryError({
    message: `The twilio library failed with ${name}${detail} after ${tries}: ${twilioMessage || 'no message'}.`,
    friendlyMessage: FRIENDLY_MESSAGES.tryAgain,
    transient: false,
  });
}
