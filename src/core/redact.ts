/** Values shorter than this are too common to scrub from text without mangling it. */
const MIN_SCRUBBED_LENGTH = 4;
/** Text that came from Twilio is cut to this length before it goes into an error message. */
const MAX_FOREIGN_TEXT_LENGTH = 300;

const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]+/g;

export const REDACTED = '[redacted]';

/**
 * Removes secrets (the auth token, the one-time code) from text this project did not write,
 * such as a message Twilio sent back, before it reaches an error, a log line or a response.
 */
export function scrub(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let result = text.replace(CONTROL_CHARACTERS, ' ');
  for (const secret of secrets) {
    if (secret !== undefined && secret.length >= MIN_SCRUBBED_LENGTH) {
      result = result.split(secret).join(REDACTED);
    }
  }
  return result.length > MAX_FOREIGN_TEXT_LENGTH ? `${result.slice(0, MAX_FOREIGN_TEXT_LENGTH)}…` : result;
}
