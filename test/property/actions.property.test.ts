import fc from 'fast-check';
import { customPhoneProviderAction, sampleEvent, sendPhoneMessageAction } from '../helpers/bundles';
import { createdAnswer, scriptedTwilio, type ScriptedAnswer } from '../helpers/scripted-twilio';
import { definedSecrets, expectWellBehaved, isSendable, propertyParameters, sendArb } from './arbitraries';
import { refuseTwilioConnections } from '../helpers/fake-twilio';

refuseTwilioConnections();

const RUNS = 800;
const messageTypeArb = fc.oneof({ weight: 30, arbitrary: fc.constantFrom('sms', 'voice') }, fc.constantFrom('fax', undefined, 7));
const languageArb = fc.oneof({ weight: 10, arbitrary: fc.constantFrom('en', 'fr-CA', 'es', 'zz', 'en_US') }, fc.constantFrom(undefined, 42, ''));

describe('the action bundles, for any event, secrets and final Twilio answer', () => {
  it('Send Phone Message: settles, without secrets or an unmasked number, calling Twilio only for valid input', async () => {
    let answer: ScriptedAnswer | undefined;
    const twilio = scriptedTwilio('twilio-v6', (request) => answer ?? createdAnswer(request.uri));
    const action = sendPhoneMessageAction(twilio.module);
    const base = sampleEvent('action-send-phone-message', {});
    let validRuns = 0;
    await fc.assert(
      fc.asyncProperty(sendArb, messageTypeArb, languageArb, async (send, messageType, language) => {
        const { code, text, recipient, secrets } = send;
        answer = send.finalAnswer;
        twilio.requests.length = 0;
        action.logs.length = 0;
        const event = {
          ...base,
          secrets: definedSecrets(secrets),
          message_options: { action: 'enrollment', code, message_type: messageType, recipient, text },
          request: { ip: '203.0.113.7', language },
        };
        const result = await action.run(event).then(
          () => ({ succeeded: true, error: undefined }),
          (error: unknown) => ({ succeeded: false, error }),
        );
        const valid = isSendable(send, { channel: messageType, notice: false });
        if (valid) validRuns++;
        if (!result.succeeded) expect(result.error).toBeInstanceOf(Error);
        expect(result.succeeded).toBe(valid && send.finalAnswer === undefined);
        expect(action.logs).toHaveLength(1);
        expectWellBehaved(send, valid, twilio.requests, [result.error, action.logs]);
      }),
      propertyParameters(RUNS),
    );
    expect(validRuns).toBeGreaterThan(RUNS / 5);
  }, 120_000);

  it('Custom Phone Provider: returns, with at most one retry or drop, without secrets or an unmasked number', async () => {
    let answer: ScriptedAnswer | undefined;
    const twilio = scriptedTwilio('twilio', (request) => answer ?? createdAnswer(request.uri));
    const action = customPhoneProviderAction(twilio.module);
    const base = sampleEvent('action-custom-phone-provider', {});
    const deliveryArb = fc.oneof({ weight: 30, arbitrary: fc.constantFrom('text', 'voice') }, fc.constantFrom('email', undefined));
    const messageKindArb = fc.constantFrom('otp_verify', 'otp_enroll', 'blocked_account', 'change_password', 'password_breach', undefined);
    const fromArb = fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, fc.constantFrom('+15005550001', '+1 500 555 0001', 'Acme', ''));
    let validRuns = 0;
    await fc.assert(
      fc.asyncProperty(sendArb, deliveryArb, messageKindArb, fromArb, fc.boolean(), async (send, delivery, kind, from, withCode) => {
        const { code, text, recipient, secrets } = send;
        answer = send.finalAnswer;
        twilio.requests.length = 0;
        action.logs.length = 0;
        const notification = {
          recipient,
          as_text: text,
          as_voice: text,
          ...(withCode ? { code } : {}),
          delivery_method: delivery,
          message_type: kind,
          locale: 'en',
          ...(from === undefined ? {} : { from }),
        };
        const outcome = await action.run({ ...base, secrets: definedSecrets(secrets), notification });
        const notice = kind === 'blocked_account' || kind === 'change_password' || kind === 'password_breach';
        const channel = delivery === 'text' ? 'sms' : delivery;
        const valid = isSendable(send, { channel, notice, withCode, from });
        if (valid) validRuns++;
        expect(outcome.returned).toBeUndefined();
        expect(outcome.calls).toHaveLength(valid && send.finalAnswer === undefined ? 0 : 1);
        for (const call of outcome.calls) {
          expect(call.reason.length).toBeLessThanOrEqual(1024);
          // What cannot heal is dropped; these final answers and invalid input never heal.
          expect(call.method).toBe('drop');
        }
        expect(action.logs).toHaveLength(1);
        expectWellBehaved(send, valid, twilio.requests, [outcome.calls, action.logs]);
      }),
      propertyParameters(RUNS),
    );
    expect(validRuns).toBeGreaterThan(RUNS / 6);
  }, 120_000);
});
