/**
 * An entry's answer as the runner shows it. Auth0's compiler puts every own property of the
 * hook's error into its error envelope, the error's `stack` included; run here, that stack's
 * frames are this machine's: the bundle as tools/runtime evaluates it, the compiler in
 * node_modules, Node's internals, none of them a place in Auth0's runtime or in src/. So an
 * expected error (a bad number, a payload field missing) is shown as Auth0 answers it, its stack
 * cut to the error's name and message; `npm start -- --stack` shows the envelope whole.
 */

/** A line of a V8 stack that is a frame (`    at fn (file:1:2)`), not the error's message. */
const FRAME = /^\s+at /;

export interface ShownAnswer {
  answer: unknown;
  /** How many stack frames were left out: 0 when the answer carries no stack. */
  framesLeftOut: number;
}

/** The answer without the frames of an error envelope's `data.stack`, every other field as it was. */
export function answerWithoutFrames(answer: unknown): ShownAnswer {
  if (!isRecord(answer) || !isRecord(answer.data) || typeof answer.data.stack !== 'string') return { answer, framesLeftOut: 0 };
  const lines = answer.data.stack.split('\n');
  const message = lines.filter((line) => !FRAME.test(line));
  return { answer: { ...answer, data: { ...answer.data, stack: message.join('\n') } }, framesLeftOut: lines.length - message.length };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
