export type MessageType = 'sms' | 'voice';

/** The Auth0 application the user is logging in to. */
export interface ClientInfo {
  id: string | undefined;
  name: string | undefined;
  metadata: Readonly<Record<string, unknown>>;
}

/** Who is being sent a code, and why: everything an entry (hook or action) knows about it. */
export interface PhoneMessage {
  /** The phone number as Auth0 passed it; it is normalized to E.164 before use. */
  recipient: unknown;
  /** The message Auth0 rendered from the tenant's template. */
  text: string;
  /** The one-time code, when the message carries one. Never logged. */
  code: string | undefined;
  messageType: MessageType;
  /** `enrollment`, `second-factor-authentication`, or the Custom Phone Provider's message type. */
  action: string | undefined;
  /** The language of the login page (`en`, `fr-CA`). */
  language: string | undefined;
  /** A sender chosen by Auth0 for this message, used instead of TWILIO_PHONE_NUMBER. */
  from: string | undefined;
  /** Whether TWILIO_VERIFY_SID may deliver this message: only a one-time code can go through Verify. */
  verifiable: boolean;
  client: ClientInfo | undefined;
  user: unknown;
}

/** A message as an entry hands it over, before the sender has checked the fields Auth0 filled. */
export type PhoneMessageInput = Omit<PhoneMessage, 'messageType' | 'text'> & { messageType: unknown; text: unknown };

/** How a message was delivered, for the entry's response and the log line. */
export interface Delivery {
  api: 'messaging' | 'voice' | 'verify';
  channel: MessageType;
  /** Twilio's SID of the message, call or verification. */
  sid: string;
  attempts: number;
  elapsedMs: number;
}
