/**
 * Your customization: the one file of this project to edit. Change `customizeMessage`, then run
 * `npm test` (it runs test/customize.test.ts, your own test of this file) and `npm run build`,
 * and paste or deploy the new bundle.
 *
 * It runs before every SMS and voice call, in the hook and in both actions (Verify writes its own
 * message from its template, so it does not run for Verify). Return the text to send; a voice
 * call speaks it, with the code read digit by digit. A code message must keep its code: the
 * sender refuses to send one without it.
 */
import type { MessageContext } from './core/customization';

export type { MessageContext };

export function customizeMessage(message: MessageContext): string {
  return message.text;
}
