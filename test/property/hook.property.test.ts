import fc from 'fast-check';
import type { FakeTwilio } from '../../tools/fake-twilio/server';
import { SEND_DEADLINE_MS } from '../../src/core/send';
import type { CompiledHook } from '../../tools/runtime/auth0-hook-runtime';
import { hookOverHttp, startFakeTwilio } from '../helpers/fake-twilio';
import { samplePayload } from '../helpers/hook-bundle';
import {
  canSend,
  codeArb,
  definedSecrets,
  expectNothingSecret,
  expectWellFormedTwiml,
  finalAnswerArb,
  isDeliverableRecipient,
  propertyParameters,
  recipientArb,
  secretsArb,
  textArb,
} from './arbitraries';

const RUNS = 2_000;

/** Context fields as Auth0 sends them, sometimes missing or of the wrong type. */
const contextArb = fc.record({
  message_type: fc.oneof({ weight: 30, arbitrary: fc.constantFrom('sms', 'voice') }, fc.constantFrom('fax', '', undefined, 1)),
  action: fc.oneof({ weight: 30, arbitrary: fc.constantFrom('enrollment', 'second-factor-authentication') }, fc.constantFrom('authentication', undefined)),
  language: fc.oneof({ weight: 30, arbitrary: fc.constantFrom('en', 'fr-CA', 'pt_BR', 'zz', '') }, fc.constantFrom(undefined, 42)),
  client: fc.oneof(fc.constant(undefined), fc.record({ client_id: fc.string(), name: fc.string(), client_metadata: fc.dictionary(fc.string(), fc.string()) })),
});

describe('the compiled hook, for any payload, secrets and final Twilio answer', () => {
  let fake: FakeTwilio;
  let hook: CompiledHook;
  let logs: string[];
  beforeAll(async () => {
    fake = await startFakeTwilio();
    ({ hook, logs } = await hookOverHttp('twilio-v6', fake));
  });
  afterAll(() => fake.stop());

  it('answers once, in time, without secrets, and calls Twilio only for valid input', async () => {
    const base = samplePayload('sms-enrollment');
    const seen = { valid: 0, calls: 0, verify: 0 };
    await fc.assert(
      fc.asyncProperty(
        codeArb.chain((code) => fc.record({ code: fc.constant(code), text: textArb(code) })),
        recipientArb,
        contextArb,
        secretsArb,
        finalAnswerArb,
        async ({ code, text }, recipient, contextFields, secrets, answer) => {
          fake.reset();
          if (answer !== undefined) fake.failAlways(answer);
          logs.length = 0;
          const extraBefore = hook.extraAnswers;
          const context: Record<string, unknown> = { ...base.context, ...contextFields, code };
          if (contextFields.client === undefined) delete context.client;
          const payload = { recipient, text, context };

          const started = Date.now();
          const envelope = await hook.invoke(payload, definedSecrets(secrets));
          const elapsed = Date.now() - started;

          expect(elapsed).toBeLessThan(SEND_DEADLINE_MS);
          await new Promise((resolve) => setImmediate(resolve));
          expect(hook.extraAnswers).toBe(extraBefore);

          const compilerAccepts =
            typeof recipient === 'string' &&
            ['sms', 'voice'].includes(String(contextFields.message_type)) &&
            ['enrollment', 'second-factor-authentication'].includes(String(contextFields.action)) &&
            typeof contextFields.language === 'string';
          const valid =
            compilerAccepts &&
            canSend(secrets, { messageType: contextFields.message_type, code, verifiable: true, text }) &&
            isDeliverableRecipient(recipient);
          if (valid) seen.valid++;
          if (fake.requests.some((request) => request.path.endsWith('/Calls.json'))) seen.calls++;
          if (fake.requests.some((request) => request.path.includes('/Verifications'))) seen.verify++;
          if (!valid) {
            expect(envelope.status).toBe('error');
            expect(fake.requests).toHaveLength(0);
          } else {
            expect(fake.requests).toHaveLength(1);
            expect(envelope.status).toBe(answer === undefined ? 'success' : 'error');
          }
          for (const request of fake.requests) {
            if (request.path.endsWith('/Calls.json')) expectWellFormedTwiml(request.form.Twiml);
          }
          expectNothingSecret([envelope, ...logs], [secrets.TWILIO_AUTH_TOKEN, code]);
        },
      ),
      propertyParameters(RUNS),
    );
    // The generators must reach every path often enough for the property to mean something.
    expect(seen.valid).toBeGreaterThan(RUNS / 4);
    expect(seen.calls).toBeGreaterThan(RUNS / 20);
    expect(seen.verify).toBeGreaterThan(RUNS / 20);
  }, 120_000);
});
