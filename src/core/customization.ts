import { InvalidRequestError, kindOf } from './errors';
import type { Auth0Origin, Channel, ClientInfo, MessagePurpose } from './message';

/** Everything a customization may look at to decide what the user receives. */
export interface MessageContext {
  /**
   * What the message is for: `enrollment` and `verification` carry a one-time code;
   * `blocked-account`, `password-change` and `password-breach` are notices (Custom Phone Provider
   * only). Undefined when Auth0 sent a kind of message this sender does not know yet.
   */
  purpose: MessagePurpose | undefined;
  /** What Auth0 rendered from the tenant's template; for a code message it contains the code. */
  text: string;
  /** The one-time code, when the message carries one; include it in what you return. */
  code: string | undefined;
  /** `sms` for a text message, `voice` for a call that speaks the text. */
  channel: Channel;
  /** The login page's language, such as `en` or `fr-CA`. */
  language: string | undefined;
  client: ClientInfo | undefined;
  user: unknown;
  /**
   * The raw values Auth0 sent, for what `purpose` does not tell: the trigger, and its own name for
   * the kind of message (`enrollment`, `second-factor-authentication` from the hook and the Send
   * Phone Message action; `otp_enroll`, `otp_verify`, `blocked_account`, … from the Custom Phone
   * Provider action).
   */
  auth0: Auth0Origin;
}

/** Returns the text to send; for a call, the text to speak (the code is then read digit by digit). */
export type Customizer = (message: MessageContext) => string;

/**
 * Runs the adopter's customization and checks what it returns: a message that dropped the code
 * would lock the user out as surely as no message at all.
 */
export function customizedText(context: MessageContext, customize: Customizer): string {
  let text: unknown;
  try {
    text = customize(context);
  } catch (error) {
    const name = kindOf(error);
    throw new InvalidRequestError(`customizeMessage() in src/customize.ts threw a ${name}; fix it and rebuild.`);
  }
  if (typeof text !== 'string' || text.trim() === '') {
    throw new InvalidRequestError('customizeMessage() in src/customize.ts must return a non-empty string.');
  }
  const code = context.code;
  if (code !== undefined && context.text.includes(code) && !text.includes(code)) {
    throw new InvalidRequestError(
      'customizeMessage() in src/customize.ts returned a message without the one-time code; include message.code in it.',
    );
  }
  return text;
}
