import fc from 'fast-check';
import type { FakeFault, FakeTwilio } from '../../tools/fake-twilio/server';
import { MAX_ATTEMPTS } from '../../src/core/retry';
import { SEND_DEADLINE_MS } from '../../src/core/send';
import { customPhoneProviderAction, sampleEvent, sendPhoneMessageAction } from '../helpers/action-bundles';
import { settled, startFakeTwilio, twilioFor } from '../helpers/fake-twilio';
import type { RedirectedTwilio } from '../../tools/fake-twilio/redirect';
import { compiledHook, samplePayload } from '../helpers/hook-bundle';
import { SECRETS } from '../helpers/mock-twilio';
import { warpedClock } from '../helpers/warped-clock';
import { expectNothingSecret, propertyParameters } from './arbitraries';

/**
 * 100 times faster: the 10 s deadline passes in 0.1 s of real time, a retry wait in at most
 * 20 ms. A real roundtrip of 2 ms then counts as 200 ms, so four attempts with their waits stay
 * far from the deadline unless the script hangs.
 */
const CLOCK_FACTOR = 100;
const AUTH0_LIMIT_MS = 20_000;
/** Past this much clock time a run may meet the deadline rules before its script is played out. */
const TIME_PRESSED_MS = 5_000;
const RUNS = 1_000;

const ANSWER: FakeFault = { kind: 'delay', ms: 0 };
/** One answer per attempt: mostly successes and faults that heal, some that do not, rare hangs. */
const attemptArb: fc.Arbitrary<FakeFault> = fc.oneof(
  { weight: 16, arbitrary: fc.constant(ANSWER) },
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 4 }).map((ms): FakeFault => ({ kind: 'delay', ms })) },
  { weight: 8, arbitrary: fc.constant<FakeFault>({ kind: 'http-status', status: 429 }) },
  { weight: 4, arbitrary: fc.constantFrom<FakeFault>({ kind: 'http-status', status: 500 }, { kind: 'http-status', status: 503 }) },
  { weight: 4, arbitrary: fc.constant<FakeFault>({ kind: 'reset' }) },
  { weight: 4, arbitrary: fc.constantFrom(21211, 21610, 60203, 20003).map((code): FakeFault => ({ kind: 'twilio-error', code })) },
  { weight: 2, arbitrary: fc.constant<FakeFault>({ kind: 'malformed-json' }) },
  { weight: 1, arbitrary: fc.constant<FakeFault>({ kind: 'hang' }) },
);
const scriptArb = fc.array(attemptArb, { minLength: 1, maxLength: MAX_ATTEMPTS });

type Expected = { attempts: number; outcome: 'delivered' | 'transient' | 'permanent' };

/** The retry policy of the README, applied to a script of answers. */
function expectedOutcome(script: readonly FakeFault[]): Expected {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const fault = script[attempt - 1] ?? ANSWER;
    if (fault.kind === 'delay') return { attempts: attempt, outcome: 'delivered' };
    if (fault.kind === 'hang') return { attempts: attempt, outcome: 'transient' };
    const heals = fault.kind === 'reset' || fault.kind === 'http-status';
    if (!heals) return { attempts: attempt, outcome: 'permanent' };
    if (attempt === MAX_ATTEMPTS) return { attempts: attempt, outcome: 'transient' };
  }
  throw new Error('unreachable');
}

describe('under any sequence of Twilio faults, with a clock 100 times faster', () => {
  let fake: FakeTwilio;
  const clock = warpedClock(CLOCK_FACTOR);
  beforeAll(async () => {
    fake = await startFakeTwilio();
  });
  afterAll(() => fake.stop());

  type Outcome = Expected['outcome'];
  let timePressedRuns = 0;

  /**
   * Runs one script and checks the outcome against the retry policy. Real roundtrips count 100
   * times over on this clock, so on a loaded machine a run can meet the deadline, or the rule
   * that no attempt starts with less than a second left, before the script is played out. Such
   * a run may end transient with fewer attempts, and only then; the test counts them and fails
   * when they stop being rare.
   */
  async function runScript<T>(twilio: RedirectedTwilio, script: readonly FakeFault[], invoke: () => Promise<T>, outcomeOf: (result: T) => Outcome) {
    // A request the previous case gave up on must not land in this one.
    await settled(twilio);
    fake.reset();
    fake.script(...script);
    const started = clock.now();
    const result = await invoke();
    const elapsed = clock.now() - started;
    fake.releaseHangingRequests();
    await settled(twilio);
    const expected = expectedOutcome(script);
    const outcome = outcomeOf(result);
    expect(elapsed).toBeLessThan(AUTH0_LIMIT_MS);
    if (outcome === expected.outcome && fake.requests.length === expected.attempts) {
      if (script.slice(0, expected.attempts).some((fault) => fault.kind === 'hang')) expect(elapsed).toBeGreaterThanOrEqual(SEND_DEADLINE_MS);
    } else {
      expect({ outcome, requests: fake.requests.length, timePressed: elapsed >= TIME_PRESSED_MS }).toEqual({
        outcome: 'transient',
        requests: expect.any(Number),
        timePressed: true,
      });
      expect(fake.requests.length).toBeLessThanOrEqual(expected.attempts);
      timePressedRuns++;
    }
    return result;
  }

  afterEach(() => {
    expect(timePressedRuns).toBeLessThan(RUNS / 10);
    timePressedRuns = 0;
  });

  it('the hook answers once, as the retry policy says, within the deadline', async () => {
    const twilio = twilioFor('twilio-v6', fake);
    const { hook, logs } = await compiledHook(twilio, clock.globals);
    const payload = samplePayload('sms-second-factor');
    // A warm container: the first invocation loads twilio, which takes long on a 100x clock.
    await hook.invoke(payload, { ...SECRETS });
    await fc.assert(
      fc.asyncProperty(scriptArb, async (script) => {
        logs.length = 0;
        const extraBefore = hook.extraAnswers;
        const envelope = await runScript(
          twilio,
          script,
          () => hook.invoke(payload, { ...SECRETS }),
          (answer) => (answer.status === 'success' ? 'delivered' : answer.data.transient === true ? 'transient' : 'permanent'),
        );
        expect(hook.extraAnswers).toBe(extraBefore);
        expect(logs).toHaveLength(1);
        expectNothingSecret([envelope, ...logs], [SECRETS.TWILIO_AUTH_TOKEN, '730164']);
      }),
      propertyParameters(RUNS),
    );
  }, 120_000);

  it('the Send Phone Message action settles once, as the retry policy says', async () => {
    const twilio = twilioFor('twilio', fake);
    const action = sendPhoneMessageAction(twilio, clock.globals);
    const event = sampleEvent('action-send-phone-message', { ...SECRETS });
    // Warm: the first run loads twilio, and may well miss the deadline on this clock.
    await action.run(event).catch(() => undefined);
    await fc.assert(
      fc.asyncProperty(scriptArb, async (script) => {
        action.logs.length = 0;
        const result = await runScript(
          twilio,
          script,
          () =>
            action.run(event).then(
              () => ({ error: undefined }),
              (error: unknown) => ({ error: error as Error & { transient?: boolean } }),
            ),
          ({ error }) => (error === undefined ? 'delivered' : error.transient === true ? 'transient' : 'permanent'),
        );
        if (result.error !== undefined) expect(result.error).toBeInstanceOf(Error);
        expectNothingSecret([result.error?.message ?? '', ...action.logs], [SECRETS.TWILIO_AUTH_TOKEN, '730164']);
      }),
      propertyParameters(RUNS),
    );
  }, 120_000);

  it('the Custom Phone Provider action makes at most one retry or drop, the right one', async () => {
    const twilio = twilioFor('twilio-v6', fake);
    const action = customPhoneProviderAction(twilio, clock.globals);
    const event = sampleEvent('action-custom-phone-provider', { ...SECRETS });
    await action.run(event);
    await fc.assert(
      fc.asyncProperty(scriptArb, async (script) => {
        action.logs.length = 0;
        const result = await runScript(twilio, script, () => action.run(event), ({ calls }) => {
          expect(calls.length).toBeLessThanOrEqual(1);
          return calls[0] === undefined ? 'delivered' : calls[0].method === 'retry' ? 'transient' : 'permanent';
        });
        expect(result.returned).toBeUndefined();
        expectNothingSecret([result.calls, ...action.logs], [SECRETS.TWILIO_AUTH_TOKEN, '730164']);
      }),
      propertyParameters(RUNS),
    );
  }, 120_000);
});
