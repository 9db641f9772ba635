import { InvalidRequestError } from './errors';
import type { PhoneMessage } from './message';
import type { MessageContext } from '../customize';

export type Customizer = (message: MessageContext) => string;

/**
 * Runs the adopter's `customizeMessage` and checks what it returns: a message that dropped the
 * code would lock the user out as surely as no message at all.
 */
export function customizedText(message: PhoneMessage, customize: Customizer): string {
  let text: unknown;
  try {
    text = customize({
      text: message.text,
      code: message.code,
      messageType: message.messageType,
      action: message.action,
      language: message.language,
      client: message.client,
      user: message.user,
    });
  } catch (error) {
    const name = error instanceof Error ? error.name : typeof error;
    throw new InvalidRequestError(`customizeMessage() in src/customize.ts threw a ${name}; fix it and rebuild.`);
  }
  if (typeof text !== 'string' || text.trim() === '') {
    throw new InvalidRequestError('customizeMessage() in src/customize.ts must return a non-empty string.');
  }
  const code = message.code;
  if (code !== undefined && code !== '' && message.text.includes(code) && !text.includes(code)) {
    throw new InvalidRequestError(
      'customizeMessage() in src/customize.ts returned a message without the one-time code; include message.code in it.',
    );
  }
  return text;
}
