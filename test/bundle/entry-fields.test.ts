import { CODE, RECIPIENT, SECRETS } from '../fixtures/values';
import { mockTwilio } from '../helpers/mock-twilio';
import { customPhoneProviderAction, runtimeRequire, samplePayload, sampleEvent, sendPhoneMessageAction, testBundle } from '../helpers/bundles';
import { evaluateModule } from '../../tools/runtime/auth0-hook-runtime';
import { refuseTwilioConnections } from '../helpers/fake-twilio';

refuseTwilioConnections();

/**
 * Each entry's refusals of its event name that trigger's own fields and words, through the built
 * bundles: the Custom Phone Provider's `notification.delivery_method` (`text`, `voice`) and
 * `notification.from`, the Send Phone Message action's `message_options.message_type`, the
 * hook's `context.message_type` (`sms`, `voice`). The core parses all three and names none.
 */

type HookFunction = (recipient: string, text: string, context: unknown, cb: (error: unknown, response?: unknown) => void) => void;

/**
 * The hook bundle loaded as a module and called directly: Auth0's compiler refuses a
 * `message_type` other than sms or voice before the hook runs, so this is where the hook's own
 * refusal is heard (a runtime that lets one through, or a field Auth0 renames).
 */
async function hookAnswer(context: Record<string, unknown>): Promise<unknown> {
  const exported: { exports: unknown } = { exports: {} };
  const twilio = mockTwilio();
  evaluateModule(testBundle('hook/send-phone-message'), { module: exported, require: runtimeRequire(twilio.module), console: { log: () => undefined } }, {});
  const hook = exported.exports as HookFunction;
  const error = await new Promise<unknown>((resolve) => hook(RECIPIENT, `Your code is ${CODE}`, { ...context, webtask: { secrets: { ...SECRETS } } }, resolve));
  expect(twilio.requestCount()).toBe(0);
  return error;
}

describe("each entry's refusal of its event names its trigger's own fields", () => {
  it('the Custom Phone Provider: an event without notification.delivery_method is dropped naming that field and its words', async () => {
    const twilio = mockTwilio();
    const event = sampleEvent('action-custom-phone-provider', { ...SECRETS });
    const { delivery_method: _unset, ...notification } = event.notification as Record<string, unknown>;
    const outcome = await customPhoneProviderAction(twilio.module).run({ ...event, notification });
    expect(outcome.calls).toEqual([{ method: 'drop', reason: 'notification.delivery_method must be "text" or "voice" (a text message or a call).' }]);
    expect(twilio.requestCount()).toBe(0);
  });

  it('the Custom Phone Provider: the other triggers\' word "sms" is not one of its delivery methods', async () => {
    const twilio = mockTwilio();
    const event = sampleEvent('action-custom-phone-provider', { ...SECRETS });
    const outcome = await customPhoneProviderAction(twilio.module).run({ ...event, notification: { ...(event.notification as object), delivery_method: 'sms' } });
    expect(outcome.calls).toEqual([{ method: 'drop', reason: expect.stringMatching(/^notification\.delivery_method must be "text" or "voice"/) as unknown as string }]);
  });

  it('the Custom Phone Provider: a malformed notification.from is named, with where the tenant sets it', async () => {
    const twilio = mockTwilio();
    const event = sampleEvent('action-custom-phone-provider', { ...SECRETS });
    const outcome = await customPhoneProviderAction(twilio.module).run({ ...event, notification: { ...(event.notification as object), from: 'Acme' } });
    expect(outcome.calls).toEqual([
      { method: 'drop', reason: expect.stringMatching(/^The sender phone number Auth0 passed as notification\.from \(\*\*\*\) contains .* \(Branding > Phone Provider\)/) as unknown as string },
    ]);
  });

  it('the Send Phone Message action: an event without message_options.message_type throws naming that field', async () => {
    const twilio = mockTwilio();
    const event = sampleEvent('action-send-phone-message', { ...SECRETS });
    const { message_type: _unset, ...options } = event.message_options as Record<string, unknown>;
    await expect(sendPhoneMessageAction(twilio.module).run({ ...event, message_options: options })).rejects.toThrow(
      /^message_options\.message_type must be "sms" or "voice" \(a text message or a call\)\.$/,
    );
    expect(twilio.requestCount()).toBe(0);
  });

  it('the Send Phone Message action: the Custom Phone Provider\'s word "text" is not one of its message types', async () => {
    const twilio = mockTwilio();
    const event = sampleEvent('action-send-phone-message', { ...SECRETS });
    await expect(sendPhoneMessageAction(twilio.module).run({ ...event, message_options: { ...(event.message_options as object), message_type: 'text' } })).rejects.toThrow(
      /^message_options\.message_type must be "sms" or "voice"/,
    );
  });

  it('the hook: a context without message_type is answered naming context.message_type', async () => {
    const { message_type: _unset, ...context } = samplePayload('sms-enrollment').context as Record<string, unknown>;
    expect(await hookAnswer(context)).toMatchObject({ name: 'InvalidRequestError', message: 'context.message_type must be "sms" or "voice" (a text message or a call).' });
  });
});
