import FakeTimers from '@sinonjs/fake-timers';
import fc from 'fast-check';
import { MAX_ATTEMPTS, MIN_ATTEMPT_TIME_MS, retryDelayMs } from '../../src/core/retry';
import { SEND_DEADLINE_MS } from '../../src/core/send';
import { ATTEMPT_TIMEOUT_MS } from '../../src/core/transport';
import { ENTRIES, loadedEntry, type EntryName } from '../helpers/entries';
import { ACTION_CODE, RECIPIENT, SECRETS } from '../fixtures/values';
import { createdAnswer, scriptedTwilio, twilioErrorAnswer, type ScriptedAnswer } from '../helpers/scripted-twilio';
import { expectNoSecrets, expectNumbersMasked } from '../helpers/no-secrets';
import { propertyParameters } from './arbitraries';
import { refuseTwilioConnections } from '../helpers/fake-twilio';

refuseTwilioConnections();

/**
 * Every sequence of faults, on a fake clock: deterministic whatever the machine is doing. The
 * scripted wire stands in for the transport: a stall is what the transport makes of one (an
 * ETIMEDOUT after the per-attempt timeout), a hang never answers (the deadline must), and a
 * `Retry-After` is a header. The random jitter of the waits is fixed, so the expected outcome,
 * the number of attempts and the time of the answer follow from the README's policy alone.
 */
const RUNS = 600;
const JITTER = 0.5;

type Fault =
  | { kind: 'answer'; delayMs: number }
  | { kind: 'status'; status: 429 | 500 | 502 | 503 | 504; retryAfterS?: number }
  | { kind: 'gateway'; status: 502 | 503 }
  | { kind: 'network'; code: 'ECONNRESET' | 'ECONNREFUSED' | 'EAI_AGAIN' }
  | { kind: 'stall' }
  | { kind: 'refused'; code: 21211 | 21610 | 20003 | 60203 }
  | { kind: 'unreadable' }
  | { kind: 'hang' };

const faultArb: fc.Arbitrary<Fault> = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: 0, max: 1_500 }).map((delayMs): Fault => ({ kind: 'answer', delayMs })) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('status' as const), status: fc.constantFrom(429 as const, 500 as const, 503 as const), retryAfterS: fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('gateway' as const), status: fc.constantFrom(502 as const, 503 as const) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('network' as const), code: fc.constantFrom('ECONNRESET' as const, 'ECONNREFUSED' as const, 'EAI_AGAIN' as const) }) },
  { weight: 3, arbitrary: fc.constant<Fault>({ kind: 'stall' }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('refused' as const), code: fc.constantFrom(21211 as const, 21610 as const, 20003 as const, 60203 as const) }) },
  { weight: 1, arbitrary: fc.constant<Fault>({ kind: 'unreadable' }) },
  { weight: 1, arbitrary: fc.constant<Fault>({ kind: 'hang' }) },
);
const scriptArb = fc.array(faultArb, { minLength: 1, maxLength: MAX_ATTEMPTS });
const SUCCESS: Fault = { kind: 'answer', delayMs: 0 };

function wire(fault: Fault, uri: string): ScriptedAnswer {
  switch (fault.kind) {
    case 'answer':
      return { ...createdAnswer(uri), delayMs: fault.delayMs };
    case 'status':
      return twilioErrorAnswer(fault.status, fault.status === 429 ? 20429 : 20000 + fault.status, 'Unavailable', fault.retryAfterS === undefined ? undefined : { 'retry-after': String(fault.retryAfterS) });
    case 'gateway':
      return { status: fault.status, body: '<html><body>Bad Gateway</body></html>' };
    case 'network':
      return { network: fault.code, delayMs: 5 };
    case 'stall':
      return { network: 'ETIMEDOUT', delayMs: ATTEMPT_TIMEOUT_MS };
    case 'refused':
      return twilioErrorAnswer(fault.code === 60203 ? 429 : fault.code === 20003 ? 401 : 400, fault.code, `The 'To' number ${RECIPIENT} is refused.`);
    case 'unreadable':
      return { status: 201, body: '{"sid": "SM' };
    case 'hang':
      return { hang: true };
  }
}

interface Expected {
  outcome: 'delivered' | 'transient' | 'permanent';
  attempts: number;
  answeredAtMs: number;
}

/** The README's retry policy, played on a script with the clock it would take. */
function expectedOutcome(script: readonly Fault[]): Expected {
  let now = 0;
  for (let attempt = 1; ; attempt++) {
    const fault = script[attempt - 1] ?? SUCCESS;
    const took = fault.kind === 'answer' ? fault.delayMs : fault.kind === 'stall' ? ATTEMPT_TIMEOUT_MS : fault.kind === 'network' ? 5 : 0;
    if (fault.kind === 'hang' || now + took >= SEND_DEADLINE_MS) return { outcome: 'transient', attempts: attempt, answeredAtMs: SEND_DEADLINE_MS };
    now += took;
    if (fault.kind === 'answer') return { outcome: 'delivered', attempts: attempt, answeredAtMs: now };
    if (fault.kind === 'refused' || fault.kind === 'unreadable') return { outcome: 'permanent', attempts: attempt, answeredAtMs: now };
    const wait = Math.max(retryDelayMs(attempt, () => JITTER), fault.kind === 'status' ? (fault.retryAfterS ?? 0) * 1000 : 0);
    if (attempt === MAX_ATTEMPTS || SEND_DEADLINE_MS - now - wait < MIN_ATTEMPT_TIME_MS) return { outcome: 'transient', attempts: attempt, answeredAtMs: now };
    now += wait;
  }
}

describe.each(ENTRIES)('the %s, under any sequence of Twilio faults, on a fake clock', (entry: EntryName) => {
  it('answers once, as the retry policy says, at the time it says, never past the deadline', async () => {
    // One warm container for every run, as Auth0 keeps one; one fake clock it lives on.
    const clock = FakeTimers.withGlobal(globalThis).createClock(1_700_000_000_000);
    let script: readonly Fault[] = [];
    let firstRequest = 0;
    const twilio = scriptedTwilio('twilio-v6', (request, index) => wire(script[index - firstRequest] ?? SUCCESS, request.uri), (callback, ms) => clock.setTimeout(callback, ms));
    const globals = {
      setTimeout: clock.setTimeout,
      clearTimeout: clock.clearTimeout,
      Date: clock.Date,
      Math: Object.create(Math, { random: { value: () => JITTER } }) as Math,
    };
    const run = await loadedEntry(entry, twilio.module, { globals });
    const counts = { delivered: 0, transient: 0, permanent: 0 };
    await fc.assert(
      fc.asyncProperty(scriptArb, async (generated) => {
        script = generated;
        firstRequest = twilio.requests.length;
        const started = clock.now;
        let answeredAt: number | undefined;
        const running = run({ secrets: { ...SECRETS } }).then((outcome) => {
          answeredAt = clock.now;
          return outcome;
        });
        await clock.runAllAsync();
        const outcome = await running;
        const expected = expectedOutcome(generated);
        counts[expected.outcome]++;
        expect({
          outcome: outcome.delivered ? 'delivered' : outcome.transient ? 'transient' : 'permanent',
          attempts: twilio.requests.length - firstRequest,
          answeredAtMs: (answeredAt ?? Number.NaN) - started,
        }).toEqual(expected);
        expect(outcome.logs).toHaveLength(1);
        expectNoSecrets([outcome.raw, outcome.logs], [SECRETS.TWILIO_AUTH_TOKEN, ACTION_CODE]);
        expectNumbersMasked([outcome.raw, outcome.logs], [RECIPIENT]);
      }),
      propertyParameters(RUNS),
    );
    // Every outcome must come up often enough for the property to mean something.
    for (const count of Object.values(counts)) expect(count).toBeGreaterThan(RUNS / 20);
  }, 60_000);
});
