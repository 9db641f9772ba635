import fc from 'fast-check';
import type { FakeTwilio } from '../../tools/fake-twilio/server';
import { SEND_DEADLINE_MS } from '../../src/core/send';
import { customPhoneProviderAction, sampleEvent, sendPhoneMessageAction } from '../helpers/action-bundles';
import { startFakeTwilio, twilioFor } from '../helpers/fake-twilio';
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

const RUNS = 1_500;
const messageTypeArb = fc.oneof({ weight: 30, arbitrary: fc.constantFrom('sms', 'voice') }, fc.constantFrom('fax', undefined, 7));
const languageArb = fc.oneof({ weight: 10, arbitrary: fc.constantFrom('en', 'fr-CA', 'es', 'zz') }, fc.constantFrom(undefined, 42, ''));
const codeAndTextArb = codeArb.chain((code) => fc.record({ code: fc.constant(code), text: textArb(code) }));

describe('the action bundles, for any event, secrets and final Twilio answer', () => {
  let fake: FakeTwilio;
  beforeAll(async () => {
    fake = await startFakeTwilio();
  });
  afterAll(() => fake.stop());

  function check(answered: () => void, outputs: readonly unknown[], secrets: Record<string, string | undefined>, code: string, valid: boolean, succeeded: boolean, answer: unknown, elapsed: number) {
    answered();
    expect(elapsed).toBeLessThan(SEND_DEADLINE_MS);
    if (!valid) {
      expect(succeeded).toBe(false);
      expect(fake.requests).toHaveLength(0);
    } else {
      expect(fake.requests).toHaveLength(1);
      expect(succeeded).toBe(answer === undefined);
    }
    for (const request of fake.requests) {
      if (request.path.endsWith('/Calls.json')) expectWellFormedTwiml(request.form.Twiml);
    }
    expectNothingSecret(outputs, [secrets.TWILIO_AUTH_TOKEN, code]);
  }

  it('Send Phone Message: settles once, in time, without secrets, calling Twilio only for valid input', async () => {
    const base = sampleEvent('action-send-phone-message', {});
    let validRuns = 0;
    await fc.assert(
      fc.asyncProperty(codeAndTextArb, recipientArb, messageTypeArb, languageArb, secretsArb, finalAnswerArb, async ({ code, text }, recipient, messageType, language, secrets, answer) => {
        fake.reset();
        if (answer !== undefined) fake.failAlways(answer);
        const action = sendPhoneMessageAction(twilioFor('twilio-v6', fake));
        const event = {
          ...base,
          secrets: definedSecrets(secrets),
          message_options: { action: 'enrollment', code, message_type: messageType, recipient, text },
          request: { ip: '203.0.113.7', language },
        };
        const started = Date.now();
        let settlements = 0;
        const result = await action.run(event).then(
          () => ({ succeeded: true, error: undefined }),
          (error: unknown) => ({ succeeded: false, error }),
        ).finally(() => settlements++);
        const valid = canSend(secrets, { messageType, code, verifiable: true, text }) && isDeliverableRecipient(recipient);
        if (valid) validRuns++;
        if (!result.succeeded) expect(result.error).toBeInstanceOf(Error);
        check(() => expect(settlements).toBe(1), [result.error === undefined ? '' : (result.error as Error).message, ...action.logs], secrets, code, valid, result.succeeded, answer, Date.now() - started);
      }),
      propertyParameters(RUNS),
    );
    expect(validRuns).toBeGreaterThan(RUNS / 4);
  }, 120_000);

  it('Custom Phone Provider: returns once, with at most one retry or drop, in time, without secrets', async () => {
    const base = sampleEvent('action-custom-phone-provider', {});
    const deliveryArb = fc.oneof({ weight: 30, arbitrary: fc.constantFrom('text', 'voice') }, fc.constantFrom('email', undefined));
    const messageKindArb = fc.constantFrom('otp_verify', 'otp_enroll', 'blocked_account', 'change_password', 'password_breach', undefined);
    const fromArb = fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, fc.constantFrom('+15005550001', '+1 500 555 0001', 'Acme', ''));
    let validRuns = 0;
    await fc.assert(
      fc.asyncProperty(codeAndTextArb, recipientArb, deliveryArb, messageKindArb, fromArb, secretsArb, finalAnswerArb, fc.boolean(), async ({ code, text }, recipient, delivery, kind, from, secrets, answer, withCode) => {
        fake.reset();
        if (answer !== undefined) fake.failAlways(answer);
        const action = customPhoneProviderAction(twilioFor('twilio', fake));
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
        const started = Date.now();
        let settlements = 0;
        const outcome = await action.run({ ...base, secrets: definedSecrets(secrets), notification }).finally(() => settlements++);
        const verifiable = kind === 'otp_verify' || kind === 'otp_enroll';
        const messageType = delivery === 'text' ? 'sms' : delivery;
        const valid =
          canSend(secrets, { messageType, code: withCode ? code : undefined, verifiable, text, from }) &&
          isDeliverableRecipient(recipient);
        if (valid) validRuns++;
        expect(outcome.returned).toBeUndefined();
        expect(outcome.calls.length).toBeLessThanOrEqual(1);
        for (const call of outcome.calls) expect(call.reason.length).toBeLessThanOrEqual(1024);
        check(() => expect(settlements).toBe(1), [outcome.calls, ...action.logs], secrets, code, valid, outcome.calls.length === 0, answer, Date.now() - started);
      }),
      propertyParameters(RUNS),
    );
    expect(validRuns).toBeGreaterThan(RUNS / 5);
  }, 120_000);
});
