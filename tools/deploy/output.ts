/**
 * Where the command writes. Nothing it prints is built from a secret value, and as a second
 * guard every line passes a scrubber that replaces any secret value of the file (and the client
 * secret) with [secret], should one ever reach a message, e.g. echoed back by a server.
 */
export interface Output {
  line(text?: string): void;
  error(text: string): void;
}

/** Values shorter than this are not scrubbed: they would blank out ordinary words. */
export const MIN_SCRUBBED_LENGTH = 3;
export const SCRUBBED = '[secret]';

export function scrubbingOutput(write: (text: string) => void, writeError: (text: string) => void, secretValues: Iterable<string>): Output {
  const values = [...new Set(secretValues)].filter((value) => value.length >= MIN_SCRUBBED_LENGTH).sort((a, b) => b.length - a.length);
  const scrub = (text: string): string => values.reduce((scrubbed, value) => scrubbed.split(value).join(SCRUBBED), text);
  return {
    line: (text = '') => write(`${scrub(text)}\n`),
    error: (text) => writeError(`${scrub(text)}\n`),
  };
}
