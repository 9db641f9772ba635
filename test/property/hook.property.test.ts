import fc from 'fast-check';
import { compiledHook, samplePayload } from '../helpers/bundles';
import { createdAnswer, scriptedTwilio, type ScriptedAnswer } from '../helpers/scripted-twilio';
import { definedSecrets, expectWellBehaved, isSendable, propertyParameters, sendArb } from './arbitraries';
import { refuseTwilioConnections } from '../helpers/fake-twilio';

refuseTwilioConnections();

const RUNS = 1_000;

/** Context fields as Auth0 sends them, sometimes missing or of the wrong type. */
const contextArb = fc.record({
  message_type: fc.oneof({ weight: 30, arbitrary: fc.constantFrom('sms', 'voice') }, fc.constantFrom('fax', '', undefined, 1)),
  action: fc.oneof({ weight: 30, arbitrary: fc.constantFrom('enrollment', 'second-factor-authentication') }, fc.constantFrom('authentication', undefined)),
  language: fc.oneof({ weight: 30, arbitrary: fc.constantFrom('en', 'fr-CA', 'pt_BR', 'zz', '') }, fc.constantFrom(undefined, 42)),
  client: fc.oneof(fc.constant(undefined), fc.record({ client_id: fc.string(), name: fc.string(), client_metadata: fc.dictionary(fc.string(), fc.string()) })),
});

describe('the compiled hook, for any payload, secrets and final Twilio answer', () => {
  it('answers once, without secrets or an unmasked number, and calls Twilio only for valid input', async () => {
    let answer: ScriptedAnswer | undefined;
    const twilio = scriptedTwilio('twilio-v6', (request) => answer ?? createdAnswer(request.uri));
    const { hook, logs } = await compiledHook(twilio.module);
    const base = samplePayload('sms-enrollment');
    const seen = { valid: 0, calls: 0, verify: 0 };
    await fc.assert(
      fc.asyncProperty(sendArb, contextArb, async (send, contextFields) => {
        const { code, text, recipient, secrets } = send;
        answer = send.finalAnswer;
        twilio.requests.length = 0;
        logs.length = 0;
        const extraBefore = hook.extraAnswers;
        const context: Record<string, unknown> = { ...base.context, ...contextFields, code };
        if (contextFields.client === undefined) delete context.client;

        const envelope = await hook.invoke({ recipient, text, context }, definedSecrets(secrets));
        await new Promise((resolve) => setImmediate(resolve));
        expect(hook.extraAnswers).toBe(extraBefore);

        // Auth0's compiler checks these before the hook runs.
        const compilerAccepts =
          typeof recipient === 'string' &&
          ['sms', 'voice'].includes(String(contextFields.message_type)) &&
          ['enrollment', 'second-factor-authentication'].includes(String(contextFields.action)) &&
          typeof contextFields.language === 'string';
        // One line per outcome; a payload Auth0's compiler refuses never reaches the hook.
        expect(logs).toHaveLength(compilerAccepts ? 1 : 0);
        const valid = compilerAccepts && isSendable(send, { channel: contextFields.message_type, notice: false });
        if (valid) seen.valid++;
        if (twilio.requests.some((request) => request.uri.endsWith('/Calls.json'))) seen.calls++;
        if (twilio.requests.some((request) => request.uri.includes('/Verifications'))) seen.verify++;
        expect(envelope.status).toBe(valid && send.finalAnswer === undefined ? 'success' : 'error');
        expectWellBehaved(send, valid, twilio.requests, [envelope, logs]);
      }),
      propertyParameters(RUNS),
    );
    // The generators must reach every path often enough for the property to mean something.
    expect(seen.valid).toBeGreaterThan(RUNS / 5);
    expect(seen.calls).toBeGreaterThan(RUNS / 30);
    expect(seen.verify).toBeGreaterThan(RUNS / 30);
  }, 120_000);
});
