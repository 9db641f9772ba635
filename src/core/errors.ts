/**
 * The errors the sender reports. Each one says what failed and how to fix it, and carries a
 * short `friendlyMessage` that is safe to show to the person trying to log in.
 *
 * `transient` tells a caller whether trying again later can help: Auth0's Custom Phone Provider
 * action maps it to `api.notification.retry()` versus `api.notification.drop()`.
 */
export abstract class PhoneMessageError extends Error {
  // Each subclass names itself: a bundler may rename classes, and the name is what logs show.
  abstract override readonly name: string;
  abstract readonly transient: boolean;
  readonly friendlyMessage: string;

  constructor(message: string, friendlyMessage: string) {
    super(message);
    this.friendlyMessage = friendlyMessage;
  }
}

const FRIENDLY_CONFIGURATION = 'We could not send your verification code. Please contact support.';
const FRIENDLY_RECIPIENT = 'This phone number cannot receive verification codes. Check the number and try again.';
const FRIENDLY_TRY_AGAIN = 'We could not send your verification code right now. Please try again in a moment.';

/** A hook secret or action secret is missing or malformed. No request was sent. */
export class ConfigurationError extends PhoneMessageError {
  override readonly name = 'ConfigurationError';
  readonly transient = false;
  constructor(message: string) {
    super(message, FRIENDLY_CONFIGURATION);
  }
}

/** The recipient is not a phone number Twilio can deliver to. No request was sent. */
export class InvalidRecipientError extends PhoneMessageError {
  override readonly name = 'InvalidRecipientError';
  readonly transient = false;
  constructor(message: string) {
    super(message, FRIENDLY_RECIPIENT);
  }
}

/** The input Auth0 handed over is unusable (a missing code, an unknown message type). */
export class InvalidRequestError extends PhoneMessageError {
  override readonly name = 'InvalidRequestError';
  readonly transient = false;
  constructor(message: string) {
    super(message, FRIENDLY_CONFIGURATION);
  }
}

/** Twilio answered with an error, or the connection to Twilio failed. */
export class TwilioDeliveryError extends PhoneMessageError {
  override readonly name = 'TwilioDeliveryError';
  readonly transient: boolean;
  /** Twilio's error code (21211, 60203, …) when Twilio sent one. */
  readonly twilioCode: number | undefined;
  /** The HTTP status of Twilio's answer, when there was an answer. */
  readonly httpStatus: number | undefined;

  constructor(options: {
    message: string;
    friendlyMessage: string;
    transient: boolean;
    twilioCode?: number;
    httpStatus?: number;
  }) {
    super(options.message, options.friendlyMessage);
    this.transient = options.transient;
    this.twilioCode = options.twilioCode;
    this.httpStatus = options.httpStatus;
  }
}

/** Twilio did not answer (after any retries) before the sender's own deadline. */
export class DeadlineExceededError extends PhoneMessageError {
  override readonly name = 'DeadlineExceededError';
  readonly transient = true;
  constructor(message: string) {
    super(message, FRIENDLY_TRY_AGAIN);
  }
}

export const FRIENDLY_MESSAGES = {
  configuration: FRIENDLY_CONFIGURATION,
  recipient: FRIENDLY_RECIPIENT,
  tryAgain: FRIENDLY_TRY_AGAIN,
} as const;
