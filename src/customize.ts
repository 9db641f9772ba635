import type { ClientInfo } from './core/message';

/**
 * The one place to change what the user receives. Edit `customizeMessage`, then run
 * `npm run build` and paste the new bundle (or deploy the new action).
 *
 * It runs before every SMS and voice call (Verify writes its own message from its template).
 * Return the text to send; for a voice call it is spoken, with the code read digit by digit.
 */
export interface MessageContext {
  /** What Auth0 rendered from the tenant's template; it already contains the code. */
  text: string;
  /** The one-time code; include it in what you return. */
  code: string | undefined;
  messageType: 'sms' | 'voice';
  /** `enrollment` or `second-factor-authentication` (hook, Send Phone Message action); `otp_verify`, `otp_enroll`, … (Custom Phone Provider). */
  action: string | undefined;
  /** The login page's language, such as `en` or `fr-CA`. */
  language: string | undefined;
  client: ClientInfo | undefined;
  user: unknown;
}

export function customizeMessage(message: MessageContext): string {
  return message.text;
}
