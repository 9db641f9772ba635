import fc from 'fast-check';
import type { FakeFault, FakeTwilio } from '../../src/fake-twilio/server';
import { MAX_ATTEMPTS } from '../../src/core/retry';
import { SEND_DEADLINE_MS } from '../../src/core/send';
import type { CompiledHook } from '../../src/runtime/auth0-hook-runtime';
import { customPhoneProviderAction, sampleEvent, sendPhoneMessageAction } from '../helpers/action-bundles';
import { startFakeTwilio, twilioFor } from '../helpers/fake-twilio';
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

  async function runScript<T>(script: readonly FakeFault[], invoke: () => Promise<T>) {
    fake.reset();
    fake.script(...script);
    const started = clock.now();
    const result = await invoke();
    const elapsed = clock.now() - started;
    fake.releaseHangingRequests();
    await new Promise((resolve) => setImmediate(resolve));
    const expected = expectedOutcome(script);
    expect(fake.requests).toHaveLength(expected.attempts);
    expect(elapsed).toBeLessThan(AUTH0_LIMIT_MS);
    if (script.slice(0, expected.attempts).some((fault) => fault.kind === 'hang')) expect(elapsed).toBeGreaterThanOrEqual(SEND_DEADLINE_MS);
    return { result, expected };
  }

  it('the hook answers once, as the retry policy says, within the deadline', async () => {
    let hook: CompiledHook | undefined;
    let logs: string[] = [];
    ({ hook, logs } = await compiledHook(twilioFor('twilio-v6', fake), clock.globals));
    const warmHook = hook;
    const payload = samplePayload('sms-second-factor');
    await fc.assert(
      fc.asyncProperty(scriptArb, async (script) => {
        logs.length = 0;
        const extraBefore = warmHook.extraAnswers;
        const { result: envelope, expected } = await runScript(script, () => warmHook.invoke(payload, { ...SECRETS }));
        expect(warmHook.extraAnswers).toBe(extraBefore);
        expect(envelope.status).toBe(expected.outcome === 'delivered' ? 'success' : 'error');
        if (expected.outcome !== 'delivered') expect(envelope.data.transient).toBe(expected.outcome === 'transient');
        expect(logs).toHaveLength(1);
        expectNothingSecret([envelope, ...logs], [SECRETS.TWILIO_AUTH_TOKEN, '730164']);
      }),
      propertyParameters(RUNS),
    );
  }, 120_000);

  it('the Send Phone Message action settles once, as the retry policy says', async () => {
    const action = sendPhoneMessageAction(twilioFor('twilio', fake), clock.globals);
    const event = sampleEvent('action-send-phone-message', { ...SECRETS });
    await fc.assert(
      fc.asyncProperty(scriptArb, async (script) => {
        action.logs.length = 0;
        const { result, expected } = await runScript(script, () =>
          action.run(event).then(
            () => ({ error: undefined }),
            (error: unknown) => ({ error: error as Error & { transient?: boolean } }),
          ),
        );
        expect(result.error === undefined).toBe(expected.outcome === 'delivered');
        if (result.error !== undefined) expect(result.error.transient).toBe(expected.outcome === 'transient');
        expectNothingSecret([result.error?.message ?? '', ...action.logs], [SECRETS.TWILIO_AUTH_TOKEN, '730164']);
      }),
      propertyParameters(RUNS),
    );
  }, 120_000);

  it('the Custom Phone Provider action makes at most one retry or drop, the right one', async () => {
    const action = customPhoneProviderAction(twilioFor('twilio-v6', fake), clock.globals);
    const event = sampleEvent('action-custom-phone-provider', { ...SECRETS });
    await fc.assert(
      fc.asyncProperty(scriptArb, async (script) => {
        action.logs.length = 0;
        const { result, expected } = await runScript(script, () => action.run(event));
        const expectedCalls = { delivered: [], transient: ['retry'], permanent: ['drop'] }[expected.outcome];
        expect(result.calls.map((call) => call.method)).toEqual(expectedCalls);
        expectNothingSecret([result.calls, ...action.logs], [SECRETS.TWILIO_AUTH_TOKEN, '730164']);
      }),
      propertyParameters(RUNS),
    );
  }, 120_000);
});
