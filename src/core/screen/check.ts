import type { SenderConfig, TwilioProduct } from '../config';
import type { Deadline } from '../deadline';
import { RecipientRefusedError } from '../errors';
import type { PhoneMessage } from '../message';
import type { PhoneNumberLibrary } from '../number-metadata';
import { maskPhoneNumber, type E164 } from '../phone';
import type { LookupMemory } from './lookup-memory';
import type { VelocityCounts } from './velocity-counts';

/** What a pre-send check may look at and use: the parsed message and secrets, and what the container remembers. */
export interface ScreenContext {
  readonly config: SenderConfig;
  readonly message: PhoneMessage;
  /** libphonenumber-js, loaded at first use; undefined where the runtime does not have it. */
  numberMetadata(): PhoneNumberLibrary | undefined;
  readonly velocity: VelocityCounts;
  readonly lookups: LookupMemory;
  /**
   * One Twilio Lookup v2 request (GET /v2/PhoneNumbers/{number}?Fields=…) through twilio on the
   * sender's transport, retried like any request within `within`: its JSON answer. Rejects with
   * a `LookupUnavailableError` saying why in a few words.
   */
  lookUp(number: E164, fields: string, within: Deadline): Promise<unknown>;
  /** The send's whole deadline. */
  readonly deadline: Deadline;
  /** Adds a few words to the send's log line: what a layer could not look at, and why. */
  note(text: string): void;
}

/**
 * One check before a code leaves. It returns to let the message on, or refuses with `refuse`;
 * a refusal is answered as every refusal is (the hook's error, the action's throw, the Custom
 * Phone Provider's drop), never retried.
 */
export interface PreSendCheck {
  /** Its name in the log line of a refusal: `countries`, `number-type`, `velocity`, `lookup`. */
  readonly layer: string;
  screen(context: ScreenContext): void | Promise<void>;
  /** The Twilio product it will call for this message, if any: its connection is opened ahead with the send's. */
  connectsTo?(context: ScreenContext): TwilioProduct | undefined;
}

/** Lookup could not be consulted (a timeout, an outage, a refusal, a package the account lacks). */
export class LookupUnavailableError extends Error {
  override readonly name = 'LookupUnavailableError';
}

/** Refuses the message: `The recipient phone number (+1900***0100) <why>; nothing was sent. <fix>` */
export function refuse(check: Pick<PreSendCheck, 'layer'>, to: E164, why: string, fix: string): never {
  throw new RecipientRefusedError(check.layer, `The recipient phone number (${maskPhoneNumber(to)}) ${why}; nothing was sent. ${fix}`.trimEnd());
}
