import { ConfigurationError, InvalidRecipientError, InvalidRequestError } from './errors';
import { parsePhoneNumber, type E164 } from './phone';

/** What Auth0 asks for: a text message or a call. */
export type Channel = 'sms' | 'voice';

/** What carried the message: Auth0's channel, or WhatsApp in place of an SMS. */
export type DeliveryChannel = Channel | 'whatsapp';

/** What a message is for, in one vocabulary whichever Auth0 trigger sent it. */
export type MessagePurpose = 'enrollment' | 'verification' | 'blocked-account' | 'password-change' | 'password-breach';

/** Purposes whose message carries a one-time code (and so may go through Verify). */
export const CODE_PURPOSES: ReadonlySet<MessagePurpose> = new Set(['enrollment', 'verification']);

/** The Auth0 application the user is logging in to. */
export interface ClientInfo {
  id: string | undefined;
  name: string | undefined;
  metadata: Readonly<Record<string, unknown>>;
}

/** The Auth0 trigger that handed the message over, and its own name for the kind of message. */
export interface Auth0Origin {
  trigger: 'send-phone-message-hook' | 'send-phone-message' | 'custom-phone-provider';
  messageType: string | undefined;
}

/**
 * The entry's own names for the fields of its Auth0 event that the parse may refuse, so that a
 * refusal names what that trigger sent. Each entry hands its own (src/auth0/vocabulary.ts); the
 * parse knows no trigger.
 */
export interface Auth0Fields {
  /** The channel's field, with the trigger's words for an SMS and for a call: `notification.delivery_method`, `text`, `voice`. */
  channel: readonly [field: string, sms: string, voice: string];
  /** The sender's field, for the trigger whose event names one, and where the tenant sets it; a `from` without it is not read. */
  from?: readonly [field: string, fix: string];
}

/** A message as an entry hands it over: Auth0's values, not yet checked. */
export interface PhoneMessageInput {
  /** The phone number as Auth0 passed it. */
  recipient: unknown;
  /** The message Auth0 rendered from the tenant's template. */
  text: unknown;
  /** The one-time code, when the message carries one. Never logged. */
  code: unknown;
  /** The channel in the trigger's words (`fields.channel`). */
  channel: unknown;
  fields: Auth0Fields;
  purpose: MessagePurpose | undefined;
  auth0: Auth0Origin;
  /** The language of the login page (`en`, `fr-CA`). */
  language: unknown;
  /** A sender chosen by Auth0 for this message, used instead of TWILIO_PHONE_NUMBER (read when `fields.from` names its field). */
  from: unknown;
  client: ClientInfo | undefined;
  user: unknown;
  /** Auth0's `transaction.correlation_id`, which joins Auth0's logs to Twilio's. */
  correlationId?: unknown;
}

/** A message the sender can deliver: every field checked, the numbers in E.164. */
export interface PhoneMessage {
  to: E164;
  channel: Channel;
  /** Auth0's text; empty only when Verify, which writes its own, may deliver the message. */
  text: string;
  code: string | undefined;
  /**
   * The code when the message exists to deliver it (enrollment, verification, or a purpose Auth0
   * did not name): only such a message may go through Verify or WhatsApp. A notice has none.
   */
  oneTimeCode: string | undefined;
  purpose: MessagePurpose | undefined;
  auth0: Auth0Origin;
  language: string | undefined;
  from: E164 | undefined;
  client: ClientInfo | undefined;
  user: unknown;
  correlationId: string | undefined;
}

/** How a message was delivered, for the entry's response and the log line. */
export interface Delivery {
  api: 'messaging' | 'voice' | 'verify';
  channel: DeliveryChannel;
  /** Twilio's SID of the message, call or verification; undefined when Twilio's answer held no well-formed one. */
  sid: string | undefined;
  attempts: number;
  elapsedMs: number;
  /** Why WhatsApp did not carry the code, when SMS did in its place: "not on WhatsApp (63003)". */
  fallbackReason?: string;
}

const optionalText = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** Auth0's `from`: a bad one is a mistake of the tenant's setup, not the user's number, and reported as one, with where to set it. */
function senderNumber(from: string, [field, fix]: readonly [string, string]): E164 {
  try {
    return parsePhoneNumber(from, `The sender phone number Auth0 passed as ${field}`);
  } catch (error) {
    if (!(error instanceof InvalidRecipientError)) throw error;
    throw new ConfigurationError(`${error.message} ${fix}`);
  }
}

/** Auth0's correlation IDs are short tokens; anything else is not one, and is not logged. */
const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Auth0's `transaction.correlation_id`, when the value is one. */
export function correlationIdOf(value: unknown): string | undefined {
  return typeof value === 'string' && CORRELATION_ID.test(value) ? value : undefined;
}

/** The channel the input names, in its trigger's words; undefined when it names none. */
export function channelOf({ channel, fields }: PhoneMessageInput): Channel | undefined {
  return channel === fields.channel[1] ? 'sms' : channel === fields.channel[2] ? 'voice' : undefined;
}

/**
 * The one boundary between Auth0's input and the sender: everything after it relies on the
 * types. Throws naming the wrong value, before anything is sent.
 */
export function parseMessage(input: PhoneMessageInput): PhoneMessage {
  const { text, fields } = input;
  const channel = channelOf(input);
  if (channel === undefined) {
    const [field, sms, voice] = fields.channel;
    throw new InvalidRequestError(`${field} must be "${sms}" or "${voice}" (a text message or a call).`);
  }
  if (typeof text !== 'string') throw new InvalidRequestError('The message text from Auth0 is not a string.');
  const to = parsePhoneNumber(input.recipient);
  const from = optionalText(input.from);
  const code = optionalText(input.code);
  return {
    to,
    channel,
    text,
    code,
    oneTimeCode: input.purpose === undefined || CODE_PURPOSES.has(input.purpose) ? code : undefined,
    purpose: input.purpose,
    auth0: input.auth0,
    language: optionalText(input.language),
    from: from === undefined || fields.from === undefined ? undefined : senderNumber(from, fields.from),
    client: input.client,
    user: input.user,
    correlationId: correlationIdOf(input.correlationId),
  };
}
