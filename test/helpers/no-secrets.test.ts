import { RECIPIENT, SECRETS } from '../fixtures/values';
import { expectNoSecrets, expectNumbersMasked } from './no-secrets';

const SECRET = SECRETS.TWILIO_AUTH_TOKEN;

/** An Error whose message alone holds `text`: its stack, which repeats the message, is gone. */
function withoutStack(error: Error): Error {
  delete error.stack;
  return error;
}

const leakyError = (): Error => withoutStack(new Error(`Bad To with ${SECRET}`));

class InheritedMessageError extends Error {}
Object.defineProperty(InheritedMessageError.prototype, 'message', { value: `token ${SECRET}` });

const cyclic = (inner: unknown): Record<string, unknown> => {
  const object: Record<string, unknown> = { inner };
  object.self = object;
  return object;
};

describe('expectNoSecrets', () => {
  it.each<[string, () => unknown]>([
    ["in an Error's message alone, which JSON.stringify drops", leakyError],
    ['in a message the Error inherits, not an own property', () => withoutStack(new InheritedMessageError())],
    ["in an Error's stack alone", () => Object.assign(new Error('clean'), { stack: `Error: clean\n    at send (${SECRET}.js:1:1)` })],
    ['in an own non-enumerable property', () => Object.defineProperty(new Error('clean'), 'config', { value: { headers: { Authorization: `Basic ${SECRET}` } }, enumerable: false })],
    ["in an Error's cause", () => new Error('clean', { cause: leakyError() })],
    ['in an Error inside an array inside an object', () => ({ errors: ['clean', [leakyError()]] })],
    ['in a value of a Map', () => new Map([['reason', leakyError()]])],
    ['in a key of a Map', () => new Map([[SECRET, 'clean']])],
    ['in a Set', () => new Set(['clean', SECRET])],
    ['in a getter', () => Object.defineProperty({}, 'token', { get: () => SECRET, enumerable: false })],
    ['in what a getter throws', () => Object.defineProperty({}, 'token', { get: () => { throw leakyError(); } })],
    ['under a symbol', () => ({ [Symbol('request')]: SECRET })],
    ['in a Buffer', () => ({ body: Buffer.from(`token=${SECRET}`) })],
    ['behind a cycle', () => cyclic(cyclic([leakyError()]))],
  ])('fails on a secret %s, given as set or padded', (_where, planted) => {
    expect(() => expectNoSecrets(planted(), [SECRET])).toThrow();
    expect(() => expectNoSecrets(planted(), [` ${SECRET}\n`])).toThrow();
  });

  it('names where it found the secret', () => {
    expect(() => expectNoSecrets({ data: [new Error('clean', { cause: leakyError() })] }, [SECRET])).toThrow('value.data.0.cause.message');
  });

  it('passes values that hold no secret, cycles and every kind of container included, and ignores secrets not set', () => {
    const clean = [new Error('clean', { cause: new Error('also clean') }), new Map([['k', new Set(['v'])]]), cyclic({ reason: 'none' }), Buffer.from('x'), 'text', undefined, null, 42];
    expect(() => expectNoSecrets(clean, [SECRET, undefined, '', '  '])).not.toThrow();
  });

  // The shapes of value the tests check (and test/deploy's printed output), each with a leak that
  // JSON.stringify would not show.
  it.each<[string, unknown]>([
    ["the hook's envelope and log lines", [{ status: 'error', data: { name: 'SendPhoneMessageError', message: 'clean', cause: leakyError() } }, ['twilio-phone-message: failed']]],
    ['the Error the Send Phone Message action throws', Object.assign(new Error('clean'), { transient: false, cause: leakyError() })],
    ["the Custom Phone Provider's retry/drop calls and log lines", [[{ method: 'drop', reason: 'clean', error: leakyError() }], ['twilio-phone-message: failed']]],
    ["an entry's outcome as the fault property reads it", { delivered: false, message: 'clean', transient: true, logs: ['line'], raw: leakyError() }],
    ['the property outputs: an error beside log lines', [leakyError(), 'twilio-phone-message: failed sms']],
    ["a command's printed output", `deploy: failed\n${SECRET}\n`],
  ])('catches a leak in %s', (_shape, value) => {
    expect(() => expectNoSecrets(value, [SECRET])).toThrow();
  });
});

describe('expectNumbersMasked', () => {
  it.each<[string, unknown]>([
    ['in E.164', `to ${RECIPIENT}`],
    ['formatted', 'to +1 (555) 010-5310'],
    ['in the stack of an Error alone', Object.assign(new Error('clean'), { stack: 'Error: clean\n    at 555.010.5310' })],
    ['in the cause of an Error', new Error('clean', { cause: withoutStack(new Error('to 555-010-5310')) })],
  ])('fails on a number %s', (_where, value) => {
    expect(() => expectNumbersMasked(value, [RECIPIENT])).toThrow();
  });

  it('passes a masked number, whatever its format', () => {
    expect(() => expectNumbersMasked([new Error('to +1555***5310'), 'to 15***10'], [RECIPIENT, '1-555-010-5310'])).not.toThrow();
  });
});
