import { classify } from '../../src/core/classify';
import { FRIENDLY_MESSAGES, TwilioDeliveryError } from '../../src/core/errors';
import { Scrubber } from '../../src/core/scrub';
import { AttemptTimeoutError, OversizedAnswerError, UnreadAcceptanceError } from '../../src/core/transport';
import { DeadlineExceededError } from '../../src/core/errors';
import { CODE, SECRETS } from '../fixtures/values';
import { twilioRestError } from '../helpers/mock-twilio';

const TOKEN = SECRETS.TWILIO_AUTH_TOKEN;
const scrubber = new Scrubber([TOKEN, CODE]);
const NO_CODE_HINT =
  'No Twilio error code came with it: a proxy or gateway answered (407: one that wants credentials), or the host of TWILIO_REGION and TWILIO_EDGE does not serve this API.';
const TRANSIENT_HINT = "This can heal: a new code, or Auth0's retry of a notification, may go through.";

function verdictOf(error: unknown) {
  const verdict = classify(error, scrubber);
  const reported = verdict.toError(2);
  if (!(reported instanceof TwilioDeliveryError)) throw new Error(`expected a TwilioDeliveryError, got ${reported.name}`);
  return { retryable: verdict.retryable, transient: verdict.transient, retryAfterMs: verdict.retryAfterMs, reported };
}

describe('classify, for an HTTP answer', () => {
  it.each([
    [20404, 404, 'Twilio has no such resource: check that TWILIO_VERIFY_SID or TWILIO_MESSAGING_SERVICE_SID belongs to this account (and region).', FRIENDLY_MESSAGES.configuration],
    [21212, 400, 'The From number is invalid: set TWILIO_PHONE_NUMBER to a number of this Twilio account, in E.164.', FRIENDLY_MESSAGES.configuration],
    [21606, 400, 'The From number cannot send SMS: use an SMS-capable number in TWILIO_PHONE_NUMBER, or a Messaging Service in TWILIO_MESSAGING_SERVICE_SID.', FRIENDLY_MESSAGES.configuration],
    [21610, 400, 'The recipient replied STOP to this sender; they must text START to it to receive codes again.', FRIENDLY_MESSAGES.recipient],
    [60203, 429, 'Verify reached its limit of send attempts to this number (5 in 10 minutes); the user has to wait.', 'Too many codes were sent to this number. Wait a few minutes before asking for a new one.'],
  ])('reports Twilio error %i whole: label, attempts, Twilio text, hint and reference, not retried', (code, status, hint, friendly) => {
    const { retryable, transient, reported } = verdictOf(twilioRestError(status, code, 'Said by Twilio.  '));
    expect({ retryable, transient }).toEqual({ retryable: false, transient: false });
    expect(reported.message).toBe(`Twilio answered error ${code} (HTTP ${status}) after 2 attempts: Said by Twilio. ${hint} More: https://www.twilio.com/docs/errors/${code}`);
    expect(reported).toMatchObject({ friendlyMessage: friendly, twilioCode: code, httpStatus: status, transient: false, name: 'TwilioDeliveryError' });
  });

  it.each([
    [429, 'Too many requests at once: Twilio, or a gateway in front of it, is limiting their rate.'],
    [500, 'Twilio is overloaded or unavailable.'],
    [502, 'Twilio is overloaded or unavailable.'],
    [503, 'Twilio is overloaded or unavailable.'],
    [504, 'Twilio is overloaded or unavailable.'],
  ])('retries HTTP %i, transient, saying why it may heal', (status, busy) => {
    const { retryable, transient, reported } = verdictOf(twilioRestError(status, 20_000 + status, 'Busy'));
    expect({ retryable, transient }).toEqual({ retryable: true, transient: true });
    expect(reported.message).toBe(`Twilio answered error ${20_000 + status} (HTTP ${status}) after 2 attempts: Busy. ${busy} ${TRANSIENT_HINT} More: https://www.twilio.com/docs/errors/${20_000 + status}`);
    expect(reported.friendlyMessage).toBe(FRIENDLY_MESSAGES.tryAgain);
  });

  it.each([400, 401, 403, 404, 407, 501, 505])('does not retry HTTP %i without a Twilio code, and says what else may have answered', (status) => {
    const { retryable, reported } = verdictOf(twilioRestError(status, undefined, ''));
    expect(retryable).toBe(false);
    expect(reported.message).toBe(`Twilio answered HTTP ${status} after 2 attempts. ${NO_CODE_HINT}`);
    expect(reported).toMatchObject({ twilioCode: undefined, httpStatus: status, friendlyMessage: FRIENDLY_MESSAGES.configuration });
  });

  it.each([
    ['below five digits', 9_999],
    ['above five digits', 100_000],
    ['a fraction', 21_211.5],
    ['a string', '21211'],
  ])('ignores a Twilio code that is %s: no hint, no reference', (_case, code) => {
    const { reported } = verdictOf(twilioRestError(400, code as number, 'Bad'));
    expect(reported.message).toBe(`Twilio answered HTTP 400 after 2 attempts: Bad. ${NO_CODE_HINT}`);
    expect(reported.twilioCode).toBeUndefined();
  });

  it.each([10_000, 99_999])('takes %i as a Twilio code', (code) => {
    expect(verdictOf(twilioRestError(400, code, 'Bad')).reported.message).toBe(
      `Twilio answered error ${code} (HTTP 400) after 2 attempts: Bad. See the Twilio error reference for this code. More: https://www.twilio.com/docs/errors/${code}`,
    );
  });

  it.each([100, 599])('takes %i as an HTTP status', (status) => {
    expect(verdictOf(twilioRestError(status, undefined, '')).reported.httpStatus).toBe(status);
  });

  it.each([
    ['below 100', 99],
    ['above 599', 600],
    ['a fraction', 500.5],
    ['a string', '500'],
  ])('does not take a status that is %s for an HTTP answer', (_case, status) => {
    const { retryable, reported } = verdictOf(Object.assign(new Error('odd'), { status }));
    expect(retryable).toBe(false);
    expect(reported.message).toBe('The twilio library failed with Error after 2 attempts: odd.');
    expect(reported.httpStatus).toBeUndefined();
  });

  it.each([
    ['html', 'with an HTML page instead of JSON (a gateway or load balancer in front of Twilio)'],
    ['text', 'with plain text instead of JSON (a gateway or load balancer in front of Twilio)'],
    ['empty', 'with an empty body'],
  ])('says what answered instead of Twilio (%s)', (body, what) => {
    expect(verdictOf(twilioRestError(502, undefined, '', { body })).reported.message).toBe(`Twilio answered HTTP 502 ${what} after 2 attempts. Twilio is overloaded or unavailable. ${TRANSIENT_HINT}`);
  });

  it.each([['json'], ['xml'], [42]])('says nothing of a body of kind %j', (body) => {
    expect(verdictOf(twilioRestError(502, undefined, '', { body })).reported.message).toBe(`Twilio answered HTTP 502 after 2 attempts. Twilio is overloaded or unavailable. ${TRANSIENT_HINT}`);
  });

  it.each([
    [3_000, 3_000],
    [0, 0],
    [-1, undefined],
    ['3000', undefined],
  ])('reads Retry-After %j as %j', (retryAfterMs, expected) => {
    expect(verdictOf(twilioRestError(429, 20429, 'Too Many Requests', { retryAfterMs })).retryAfterMs).toBe(expected);
  });

  it("scrubs Twilio's text before cutting it, and drops only the trailing periods and spaces", () => {
    const { reported } = verdictOf(twilioRestError(400, 21211, `x.y ${TOKEN} at +15558675310 . `));
    expect(reported.message).toContain(': x.y [redacted] at +1555***5310. ');
  });

  it('never reads more_info: the reference comes from the code', () => {
    const { reported } = verdictOf(twilioRestError(400, 21211, 'Bad', { moreInfo: 'https://evil.example' }));
    expect(reported.message).not.toContain('evil');
  });
});

describe('classify, for other failures', () => {
  it('retries an attempt that ran out of its time', () => {
    const { retryable, transient, reported } = verdictOf(new AttemptTimeoutError(4_000));
    expect({ retryable, transient }).toEqual({ retryable: true, transient: true });
    expect(reported.message).toBe(`Twilio did not answer within 4000 ms (2 attempts); the connection was closed. ${TRANSIENT_HINT}`);
    expect(reported.friendlyMessage).toBe(FRIENDLY_MESSAGES.tryAgain);
  });

  it.each(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ERR_SOCKET_CONNECTION_TIMEOUT'])(
    'retries the connection failure %s',
    (code) => {
      const { retryable, transient, reported } = verdictOf(Object.assign(new Error('socket'), { code }));
      expect({ retryable, transient }).toEqual({ retryable: true, transient: true });
      expect(reported.message).toBe(`Could not reach Twilio (${code}) after 2 attempts. Check the status of Twilio's API. ${TRANSIENT_HINT}`);
    },
  );

  it('does not retry ENOTFOUND now, but calls it transient', () => {
    const { retryable, transient, reported } = verdictOf(Object.assign(new Error('getaddrinfo'), { code: 'ENOTFOUND' }));
    expect({ retryable, transient }).toEqual({ retryable: false, transient: true });
    expect(reported).toMatchObject({ transient: true, friendlyMessage: FRIENDLY_MESSAGES.tryAgain });
    expect(reported.message).toBe(
      "Could not resolve Twilio's host (ENOTFOUND) after 2 attempts: no DNS, or TWILIO_REGION and TWILIO_EDGE make a host that does not exist.",
    );
  });

  it.each([
    ['its body did not come in time', new AttemptTimeoutError(4_000)],
    ['its body did not come in time', new DeadlineExceededError('the deadline passed')],
    ['its body could not be read', Object.assign(new Error('aborted'), { code: 'ECONNRESET' })],
    ['its body could not be read', new TypeError("Cannot read properties of null (reading 'sid')")],
    ['its body is not JSON', new SyntaxError('Unexpected end of JSON input')],
  ])('never retries a create Twilio accepted whose answer was not read whole (%s), and says the message may be out', (reason, cause) => {
    const verdict = classify(new UnreadAcceptanceError(201, cause), scrubber);
    expect(verdict).toMatchObject({ retryable: false, transient: false, mayHaveSent: true, twilioCode: undefined });
    expect(verdict.toError(1)).toMatchObject({
      name: 'TwilioDeliveryError',
      message: `Twilio accepted the request (HTTP 201) but ${reason} after 1 attempt; the message may have been sent. Check the Twilio Console logs.`,
      friendlyMessage: FRIENDLY_MESSAGES.tryAgain,
      transient: false,
    });
  });

  it('does not retry a success whose body is not JSON, and says the message may be out', () => {
    const { retryable, transient, reported } = verdictOf(new SyntaxError('Unexpected token'));
    expect({ retryable, transient }).toEqual({ retryable: false, transient: false });
    expect(reported).toMatchObject({ friendlyMessage: FRIENDLY_MESSAGES.tryAgain, transient: false });
  });

  it.each([
    [200, false, '; the message may have been sent. Check the Twilio Console logs.'],
    [299, false, '; the message may have been sent. Check the Twilio Console logs.'],
    [503, true, '.'],
    [400, false, '.'],
  ])('cuts off an oversized answer with HTTP %i: retried %s', (status, retried, end) => {
    const { retryable, transient, reported } = verdictOf(new OversizedAnswerError(status));
    expect({ retryable, transient }).toEqual({ retryable: retried, transient: retried });
    expect(reported.message).toBe(`Twilio answered HTTP ${status} with a body larger than any of Twilio's after 2 attempts${end}`);
    expect(reported.friendlyMessage).toBe(FRIENDLY_MESSAGES.tryAgain);
  });

  it('names what the library threw, its code and its scrubbed text, and does not retry it', () => {
    const { retryable, reported } = verdictOf(Object.assign(new TypeError(`bad ${TOKEN} for +15558675310`), { code: 'EWEIRD' }));
    expect(retryable).toBe(false);
    expect(reported.message).toBe('The twilio library failed with TypeError (EWEIRD) after 2 attempts: bad [redacted] for +1555***5310.');
    expect(reported.friendlyMessage).toBe(FRIENDLY_MESSAGES.configuration);
  });

  it.each([
    ['a string', 'boom', 'The twilio library failed with string after 2 attempts.'],
    ['undefined', undefined, 'The twilio library failed with undefined after 2 attempts.'],
    ['an error without text', new Error(''), 'The twilio library failed with Error after 2 attempts.'],
    ['an object whose message is not text', { message: 42 }, 'The twilio library failed with object after 2 attempts.'],
  ])('copes with %s thrown', (_case, thrown, message) => {
    expect(verdictOf(thrown).reported.message).toBe(message);
  });

  it.each([
    [null, 'The twilio library failed with object after 2 attempts.'],
    [{ status: 400, code: 21211, message: 42 }, 'Twilio answered error 21211 (HTTP 400) after 2 attempts.'],
    [Object.assign(new Error('  spaced  '), { code: 'EODD' }), 'The twilio library failed with Error (EODD) after 2 attempts: spaced.'],
  ])('reads only what it can of %j', (thrown, start) => {
    expect(verdictOf(thrown).reported.message.startsWith(start)).toBe(true);
  });

  it("trims Twilio's text at both ends", () => {
    expect(verdictOf(twilioRestError(400, undefined, '  Bad  ')).reported.message).toBe(`Twilio answered HTTP 400 after 2 attempts: Bad. ${NO_CODE_HINT}`);
  });

  it.each([
    [199, '.'],
    [300, '.'],
  ])('does not take an oversized answer with HTTP %i for an accepted one', (status, end) => {
    expect(verdictOf(new OversizedAnswerError(status)).reported.message).toBe(`Twilio answered HTTP ${status} with a body larger than any of Twilio's after 2 attempts${end}`);
  });

  it('does not take an inherited property for a kind of body', () => {
    expect(verdictOf(twilioRestError(502, undefined, '', { body: 'toString' })).reported.message).toBe(`Twilio answered HTTP 502 after 2 attempts. Twilio is overloaded or unavailable. ${TRANSIENT_HINT}`);
  });
});

describe('classify, on whether the message may be out', () => {
  // Only a success Twilio answered may have sent it; after anything else, SMS may follow WhatsApp.
  it.each([
    ['a deadline the sender reported', new DeadlineExceededError('the deadline passed')],
    ['a host that does not resolve', Object.assign(new Error('getaddrinfo'), { code: 'ENOTFOUND' })],
    ['an attempt that timed out with no answer', new AttemptTimeoutError(4_000)],
    ['a reset connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['a Twilio error', twilioRestError(400, 63007, 'no such sender')],
    ['a bug of the library', new TypeError('x is not a function')],
  ])('says no after %s', (_case, error) => {
    expect(classify(error, scrubber).mayHaveSent).toBe(false);
  });

  it.each([
    ['a success whose body is not JSON', new SyntaxError('Unexpected end of JSON input')],
    ['a create accepted, its answer unread', new UnreadAcceptanceError(201, new AttemptTimeoutError(4_000))],
    ['an oversized success', new OversizedAnswerError(201)],
  ])('says yes after %s', (_case, error) => {
    expect(classify(error, scrubber).mayHaveSent).toBe(true);
  });
});

describe('classify, in the words of its rarer verdicts', () => {
  it("names SMS Pumping Protection's block and where to review it", () => {
    expect(verdictOf(twilioRestError(400, 30450, 'Blocked')).reported.message).toContain(
      "Twilio's SMS Pumping Protection blocked this destination for a while: review Console > Messaging > Settings > SMS Pumping Protection.",
    );
  });

  it('reports a success whose body is not JSON, where no acceptance is known, as possibly sent', () => {
    const verdict = classify(new SyntaxError('Unexpected token'), scrubber);
    expect(verdict.mayHaveSent).toBe(true);
    expect(verdict.toError(1).message).toBe('Twilio answered with a body that is not JSON after 1 attempt; the message may have been sent. Check the Twilio Console logs.');
  });

  it("takes the sender's own deadline for one that sent nothing", () => {
    expect(classify(new DeadlineExceededError('Twilio did not answer within 10000 ms'), scrubber)).toMatchObject({ retryable: false, transient: true, mayHaveSent: false });
  });
});
