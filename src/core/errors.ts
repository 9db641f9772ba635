/**
 * The errors the sender reports: each says what failed and how to fix it, with a `friendlyMessage`
 * safe to show the user. `transient` (trying later can help) picks the Custom Phone Provider's
 * `api.notification.retry()` over `drop()`.
 */
export abstract class PhoneMessageError extends Error {
  // Each subclass names itself: a bundler may rename classes, and the name is what logs show.
  abstract override readonly name: string;
  /** What the person logging in is shown. */
  abstract readonly friendlyMessage: string;
  /** Most failures cannot heal by themselves. */
  readonly transient: boolean = false;
}

export const FRIENDLY_MESSAGES = {
  configuration: 'We could not send your verification code. Please contact support.',
  recipient: 'This phone number cannot receive verification codes. Check the number and try again.',
  tryAgain: 'We could not send your verification code right now. Please try again in a moment.',
} as const;

/** A hook secret or action secret is missing or malformed. No request was sent. */
export class ConfigurationError extends PhoneMessageError {
  override readonly name = 'ConfigurationError';
  readonly friendlyMessage = FRIENDLY_MESSAGES.configuration;
}

/** Twilio answered with an error, or the connection to Twilio failed. */
export class TwilioDeliveryError extends PhoneMessageError {
  override readonly name = 'TwilioDeliveryError';
  readonly friendlyMessage: string;
  override readonly transient: boolean;
  /** Twilio's error code (21211, 60203, …) when Twilio sent one. */
  readonly twilioCode: number | undefined;
  /** The HTTP status of Twilio's answer, when there was an answer. */
  readonly httpStatus: number | undefined;

  constructor(options: { message: string; friendlyMessage: string; transient: boolean; twilioCode?: number; httpStatus?: number }) {
    super(options.message);
    this.friendlyMessage = options.friendlyMessage;
    this.transient = options.transient;
    this.twilioCode = options.twilioCode;
    this.httpStatus = options.httpStatus;
  }
}

/** The recipient is not a phone number Twilio can deliver to. No request was sent. */
export class InvalidRecipientError extends PhoneMessageError {
  override readonly name = 'InvalidRecipientError';
  readonly friendlyMessage = FRIENDLY_MESSAGES.recipient;
}

/**
 * A pre-send check refused the recipient (the pumping shield, the country allowlist): nothing was
 * sent, and asking again will not change it, so no entry retries it.
 */
export class RecipientRefusedError extends PhoneMessageError {
  override readonly name = 'RecipientRefusedError';
  readonly friendlyMessage = FRIENDLY_MESSAGES.recipient;
  constructor(
    /** The check that refused (`countries`, `number-type`, `velocity`, `lookup`): what the log line names. */
    readonly layer: string,
    message: string,
  ) {
    super(message);
  }
}

/** Twilio did not answer (after any retries) before the sender's own deadline. */
export class DeadlineExceededError extends PhoneMessageError {
  override readonly name = 'DeadlineExceededError';
  readonly friendlyMessage = FRIENDLY_MESSAGES.tryAgain;
  override readonly transient = true;
}

/** The input Auth0 handed over is unusable (a missing code, an unknown message type). */
export class InvalidRequestError extends PhoneMessageError {
  override readonly name = 'InvalidRequestError';
  readonly friendlyMessage = FRIENDLY_MESSAGES.configuration;
}

/** An error class's name as code writes one: what a log line may show of a thrown value. */
const ERROR_NAME = /^[A-Za-z_$][\w$]{0,63}$/;

/**
 * What was thrown, for a log line or a message: an error's class name, or the value's type. Never
 * throws (a throwing name getter, a Proxy whose traps throw), never quotes more than a name.
 */
export function kindOf(thrown: unknown): string {
  try {
    if (!(thrown instanceof Error)) return typeof thrown;
    const name: unknown = thrown.name;
    return typeof name === 'string' && ERROR_NAME.test(name) ? name : 'Error';
  } catch {
    return 'an unreadable value';
  }
}

/**
 * Whatever was thrown, as an error the entries can report: the sender's own, or a bug named by
 * its kind only, since its message could quote anything.
 */
export function asPhoneMessageError(thrown: unknown): PhoneMessageError {
  let own = false;
  try {
    own = thrown instanceof PhoneMessageError;
  } catch {
    // A Proxy whose prototype cannot be read is no error of the sender's.
  }
  return own ? (thrown as PhoneMessageError) : new InvalidRequestError(`The sender failed unexpectedly (${kindOf(thrown)}).`);
}
