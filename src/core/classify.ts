import { DeadlineExceededError, FRIENDLY_MESSAGES, kindOf, PhoneMessageError, TwilioDeliveryError } from './errors';
import { truncate, type Scrubber } from './scrub';
import { AttemptTimeoutError, OversizedAnswerError, UnreadAcceptanceError, type AnswerBody } from './transport';

/**
 * Connection-level failures worth another attempt: none of them means Twilio refused the
 * message, and each can heal within the seconds the sender has.
 */
const RETRYABLE_NETWORK_CODES: readonly string[] = [
  'ECONNRESET', // often a keep-alive socket the far end closed
  'ECONNREFUSED', // nothing listening now (a proxy restarting)
  'ECONNABORTED', // axios (twilio's own client, in tests) gave up
  'ETIMEDOUT', // connect timeout, or AttemptTimeoutError
  'ESOCKETTIMEDOUT', // the same from older twilio's request library
  'EPIPE', // wrote to a socket the far end had closed
  'EAI_AGAIN', // DNS lookup failed temporarily
  'ENETUNREACH', // the route to Twilio is down for a moment
  'EHOSTUNREACH',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
];

/** HTTP statuses that mean "not now" rather than "never", whatever the body says. */
const RETRYABLE_HTTP_STATUSES: readonly number[] = [429, 500, 502, 503, 504];

/**
 * Twilio codes never retried, whatever HTTP status comes with them: they cannot heal within one
 * login, and the fraud blocks are Twilio refusing to pay a pumping campaign, which a retry (or
 * Auth0's retry of a Custom Phone Provider notification) would only ask again.
 */
const NEVER_RETRIED_TWILIO_CODES: readonly number[] = [
  60203, // answered with 429, yet Verify's limit lasts ten minutes
  30450, // SMS Pumping Protection blocked the destination (15 to 30 minutes)
  30453, // SMS Pumping Protection blocked the destination (hours)
  60410, // Verify Fraud Guard blocked the number's prefix
];

/** Twilio's text is cut to this length before it goes into a message: enough for any real one. */
export const MAX_TWILIO_TEXT_LENGTH = 200;

const TOO_MANY_ATTEMPTS = 'Too many codes were sent to this number. Wait a few minutes before asking for a new one.';

interface TwilioErrorAdvice {
  /** What to do about it, for the tenant admin reading Auth0's logs. */
  hint: string;
  /** What the person logging in sees. */
  friendly: string;
}

/** Advice on a failure of the tenant's setup: the user can only ask the tenant's support. */
const setupAdvice = (hint: string): TwilioErrorAdvice => ({ hint, friendly: FRIENDLY_MESSAGES.configuration });
/** Advice on a failure of the number's own: the user can check it, or use another. */
const numberAdvice = (hint: string): TwilioErrorAdvice => ({ hint, friendly: FRIENDLY_MESSAGES.recipient });

/** Both of SMS Pumping Protection's blocks: they lift by themselves (in minutes, or hours). */
const PUMPING_PROTECTION = numberAdvice("Twilio's SMS Pumping Protection blocked this destination for a while: review Console > Messaging > Settings > SMS Pumping Protection.");

/** The Twilio codes tenants meet most, with what to change (the README's troubleshooting table is checked against it). */
export const TWILIO_ERROR_ADVICE: ReadonlyMap<number, TwilioErrorAdvice> = new Map([
  [20003, setupAdvice('Twilio refused the credentials (a rotated token, a revoked key, a key of another region?): check TWILIO_ACCOUNT_SID with TWILIO_AUTH_TOKEN, or TWILIO_API_KEY and TWILIO_API_SECRET (Console > Account > API keys & tokens).')],
  [20404, setupAdvice('Twilio has no such resource: check that TWILIO_VERIFY_SID or TWILIO_MESSAGING_SERVICE_SID belongs to this account (and region).')],
  [21211, numberAdvice('Twilio considers the recipient number invalid: the user must enroll a real, reachable number.')],
  [21212, setupAdvice('The From number is invalid: set TWILIO_PHONE_NUMBER to a number of this Twilio account, in E.164.')],
  [21408, numberAdvice("The recipient's country is not enabled: if codes should go there, turn it on in Console > Messaging (or Voice) > Settings > Geo permissions.")],
  [21606, setupAdvice('The From number cannot send SMS: use an SMS-capable number in TWILIO_PHONE_NUMBER, or a Messaging Service in TWILIO_MESSAGING_SERVICE_SID.')],
  [21608, numberAdvice('A trial account sends only to verified numbers: verify this one (Console > Phone Numbers > Verified Caller IDs), or upgrade.')],
  [21610, numberAdvice('The recipient replied STOP to this sender; they must text START to it to receive codes again.')],
  [21614, numberAdvice('The number cannot receive SMS (a landline): the user can choose a call, or enroll a mobile.')],
  [60200, setupAdvice("Verify rejected a parameter: check the number, and that the Verify service's code length is Auth0's.")],
  [60203, { hint: 'Verify reached its limit of send attempts to this number (5 in 10 minutes); the user has to wait.', friendly: TOO_MANY_ATTEMPTS }],
  [60204, setupAdvice('This Verify service takes no custom codes: turn on Enable Custom Verification Code (Console > Verify > Services > your service > General), or remove TWILIO_VERIFY_SID.')],
  [60410, numberAdvice("Verify's Fraud Guard blocked this number's prefix for suspected SMS pumping: review Console > Verify > Fraud Guard.")],
  [30450, PUMPING_PROTECTION],
  [30453, PUMPING_PROTECTION],
]);

/** A success Twilio sent but the sender could not read: reporting a failure must not hide that a code may be on its way. */
const MAY_HAVE_SENT = '; the message may have been sent. Check the Twilio Console logs.';

const TRANSIENT_HINT = "This can heal: a new code, or Auth0's retry of a notification, may go through.";

/** What one failed attempt means: whether to try again now, and how to report it if not. */
export interface Verdict {
  /** Another attempt, now, can succeed. */
  retryable: boolean;
  /** Asking again later can succeed (Auth0's `retry` of a Custom Phone Provider notification). */
  transient: boolean;
  /** How long Twilio asked to wait before another attempt (`Retry-After`). */
  retryAfterMs: number | undefined;
  /** Twilio's error code, when Twilio sent one. */
  twilioCode: number | undefined;
  /** Twilio may have accepted the message (a success it could not read): no other route may follow, or the user gets two codes. */
  mayHaveSent: boolean;
  /** Builds the error to report, once the number of attempts is known. */
  toError(attempts: number): PhoneMessageError;
}

/** An attempt, or the send, that Twilio left unanswered past its time: the sender closed the connection. */
export function notAnswered(withinMs: number, attempts: string): string {
  return `Twilio did not answer within ${withinMs} ms (${attempts}); the connection was closed.`;
}

/** `1 attempt`, `3 attempts`. */
export function attemptsText(attempts: number): string {
  return attempts === 1 ? '1 attempt' : `${attempts} attempts`;
}

/** The parts of an error thrown by the transport, the twilio library (3 to 6) or the network that are read. */
interface Thrown {
  status?: unknown;
  code?: unknown;
  message?: unknown;
  body?: unknown;
  retryAfterMs?: unknown;
}

const isTwilioCode = (code: unknown): code is number => typeof code === 'number' && Number.isInteger(code) && code >= 10_000 && code <= 99_999;
const isHttpStatus = (status: unknown): status is number => typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599;

const NO_TWILIO_CODE_HINT =
  'No Twilio error code came with it: a proxy or gateway answered (407: one that wants credentials), or the host of TWILIO_REGION and TWILIO_EDGE does not serve this API.';

const NOT_TWILIO = 'instead of JSON (a gateway or load balancer in front of Twilio)';

/** What answered instead of Twilio's JSON, by the kind of body the transport saw. */
const GATEWAY_BODIES: ReadonlyMap<unknown, string> = new Map<AnswerBody, string>([
  ['html', `an HTML page ${NOT_TWILIO}`],
  ['text', `plain text ${NOT_TWILIO}`],
  ['empty', 'an empty body'],
]);

/**
 * Turns whatever an attempt threw into a verdict. Only whitelisted fields are read: the library's
 * errors carry the request, Authorization header included. Twilio's text is scrubbed before it is
 * cut, so a cut never leaves half a secret or number.
 */
export function classify(error: unknown, scrubber: Scrubber): Verdict {
  if (error instanceof PhoneMessageError) {
    // The sender's own verdict, already written (the deadline passed): reported as it is.
    const twilioCode = error instanceof TwilioDeliveryError ? error.twilioCode : undefined;
    return { retryable: false, transient: error.transient, retryAfterMs: undefined, twilioCode, mayHaveSent: false, toError: () => error };
  }
  const thrown: Thrown = typeof error === 'object' && error !== null ? (error as Thrown) : {};
  const { status, code } = thrown;

  if (error instanceof UnreadAcceptanceError) {
    const late = error.reason instanceof AttemptTimeoutError || error.reason instanceof DeadlineExceededError;
    const reason = error.reason instanceof SyntaxError ? 'its body is not JSON' : late ? 'its body did not come in time' : 'its body could not be read';
    return fixedVerdict(
      false,
      (attempts) => `Twilio accepted the request (HTTP ${error.status}) but ${reason} after ${attempts}${MAY_HAVE_SENT}`,
      FRIENDLY_MESSAGES.tryAgain,
      true,
    );
  }

  if (error instanceof OversizedAnswerError) {
    const accepted = error.status >= 200 && error.status < 300;
    return fixedVerdict(
      !accepted && RETRYABLE_HTTP_STATUSES.includes(error.status),
      (attempts) =>
        `Twilio answered HTTP ${error.status} with a body larger than any of Twilio's after ${attempts}` +
        (accepted ? MAY_HAVE_SENT : '.'),
      FRIENDLY_MESSAGES.tryAgain,
      accepted,
    );
  }

  if (isHttpStatus(status)) {
    const twilioCode = isTwilioCode(code) ? code : undefined;
    const retryable = RETRYABLE_HTTP_STATUSES.includes(status) && !(twilioCode !== undefined && NEVER_RETRIED_TWILIO_CODES.includes(twilioCode));
    const advice = twilioCode === undefined ? undefined : TWILIO_ERROR_ADVICE.get(twilioCode);
    const twilioText = typeof thrown.message === 'string' ? truncate(scrubber.clean(thrown.message).trim(), MAX_TWILIO_TEXT_LENGTH).replace(/[.\s]+$/, '') : '';
    const body = GATEWAY_BODIES.get(thrown.body);
    const label = twilioCode === undefined ? `HTTP ${status}` : `error ${twilioCode} (HTTP ${status})`;
    const what = body !== undefined ? ` with ${body}` : '';
    const busy = status === 429 ? 'Too many requests at once: Twilio, or a gateway in front of it, is limiting their rate.' : 'Twilio is overloaded or unavailable.';
    const hint = advice?.hint ?? (retryable ? `${busy} ${TRANSIENT_HINT}` : twilioCode === undefined ? NO_TWILIO_CODE_HINT : 'See the Twilio error reference for this code.');
    const reference = twilioCode === undefined ? '' : ` More: https://www.twilio.com/docs/errors/${twilioCode}`;
    const retryAfterMs = typeof thrown.retryAfterMs === 'number' && thrown.retryAfterMs >= 0 ? thrown.retryAfterMs : undefined;
    return {
      retryable,
      transient: retryable,
      retryAfterMs,
      twilioCode,
      mayHaveSent: false,
      toError: (attempts) =>
        new TwilioDeliveryError({
          message: `Twilio answered ${label}${what} after ${attemptsText(attempts)}${twilioText === '' ? '' : `: ${twilioText}`}. ${hint}${reference}`,
          friendlyMessage: advice?.friendly ?? (retryable ? FRIENDLY_MESSAGES.tryAgain : FRIENDLY_MESSAGES.configuration),
          transient: retryable,
          twilioCode,
          httpStatus: status,
        }),
    };
  }

  if (error instanceof AttemptTimeoutError) {
    return fixedVerdict(true, (attempts) => `${notAnswered(error.timeoutMs, attempts)} ${TRANSIENT_HINT}`);
  }

  if (typeof code === 'string' && RETRYABLE_NETWORK_CODES.includes(code)) {
    return fixedVerdict(true, (attempts) => `Could not reach Twilio (${code}) after ${attempts}. Check the status of Twilio's API. ${TRANSIENT_HINT}`);
  }

  if (code === 'ENOTFOUND') {
    // Not retried: a name that does not resolve will not within a second. Transient: DNS comes back.
    return {
      retryable: false,
      transient: true,
      retryAfterMs: undefined,
      twilioCode: undefined,
      mayHaveSent: false,
      toError: (attempts) =>
        new TwilioDeliveryError({
          message: `Could not resolve Twilio's host (ENOTFOUND) after ${attemptsText(attempts)}: no DNS, or TWILIO_REGION and TWILIO_EDGE make a host that does not exist.`,
          friendlyMessage: FRIENDLY_MESSAGES.tryAgain,
          transient: true,
        }),
    };
  }

  if (error instanceof SyntaxError) {
    // A success the library could not read, where the client reports no acceptance (an httpClient
    // other than the sender's transport, such as the tests' scripted wire): the message may be out.
    return fixedVerdict(
      false,
      (attempts) => `Twilio answered with a body that is not JSON after ${attempts}${MAY_HAVE_SENT}`,
      FRIENDLY_MESSAGES.tryAgain,
      true,
    );
  }

  const name = kindOf(error);
  const detail = typeof code === 'string' ? ` (${code})` : '';
  const text = typeof thrown.message === 'string' ? truncate(scrubber.clean(thrown.message).trim(), MAX_TWILIO_TEXT_LENGTH) : '';
  return fixedVerdict(false, (attempts) => `The twilio library failed with ${name}${detail} after ${attempts}${text === '' ? '' : `: ${text}`}.`);
}

/** A verdict whose error is transient exactly when it is retryable. */
function fixedVerdict(
  retryable: boolean,
  describe: (attempts: string) => string,
  friendlyMessage: string = retryable ? FRIENDLY_MESSAGES.tryAgain : FRIENDLY_MESSAGES.configuration,
  mayHaveSent = false,
): Verdict {
  return {
    retryable,
    transient: retryable,
    retryAfterMs: undefined,
    twilioCode: undefined,
    mayHaveSent,
    toError: (attempts) => new TwilioDeliveryError({ message: describe(attemptsText(attempts)), friendlyMessage, transient: retryable }),
  };
}
