import type { FakeTwilio } from '../../tools/fake-twilio/server';
import { customPhoneProviderAction, sampleEvent, sendPhoneMessageAction } from '../helpers/bundles';
import { SHORTEST_WAITS, startFakeTwilio, twilioPackage } from '../helpers/fake-twilio';
import { ACTION_CODE, FRENCH_RECIPIENT, RECIPIENT, SECRETS, VERIFY_SID, VOICE_CODE } from '../fixtures/values';
import { expectNoSecrets, expectNumbersMasked } from '../helpers/no-secrets';

const ACCOUNT_PATH = `/2010-04-01/Accounts/${SECRETS.TWILIO_ACCOUNT_SID}`;

describe.each(['twilio', 'twilio-v6'])('the action bundles with the real %s over HTTPS', (major) => {
  let fake: FakeTwilio;
  beforeAll(async () => {
    fake = await startFakeTwilio();
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  describe('Send Phone Message', () => {
    it('sends the SMS', async () => {
      await sendPhoneMessageAction(twilioPackage(major), { globals: SHORTEST_WAITS }).run(sampleEvent('action-send-phone-message', { ...SECRETS }));
      expect(fake.requests).toEqual([expect.objectContaining({ path: `${ACCOUNT_PATH}/Messages.json`, outcome: 201, form: expect.objectContaining({ To: RECIPIENT }) })]);
    });

    it('throws what Twilio refused, once, with the hint and the number masked', async () => {
      fake.failAlways({ kind: 'twilio-error', code: 21408 });
      const action = sendPhoneMessageAction(twilioPackage(major), { globals: SHORTEST_WAITS });
      const error = await action.run(sampleEvent('action-send-phone-message', { ...SECRETS })).then(() => undefined, (caught: unknown) => caught as Error);
      expect(error?.message).toMatch(/error 21408 .*'To' number: \+1555\*\*\*5310\. .*Geo permissions/);
      expectNumbersMasked([error, action.logs], [RECIPIENT]);
      expect(fake.requests).toHaveLength(1);
    });
  });

  describe('Custom Phone Provider', () => {
    async function run(sample: string, secrets: Record<string, string> = { ...SECRETS }) {
      const action = customPhoneProviderAction(twilioPackage(major), { globals: SHORTEST_WAITS });
      const outcome = await action.run(sampleEvent(sample, secrets));
      expectNoSecrets([outcome.calls, action.logs], [SECRETS.TWILIO_AUTH_TOKEN, ACTION_CODE, VOICE_CODE]);
      expectNumbersMasked([outcome.calls, action.logs], [RECIPIENT, FRENCH_RECIPIENT]);
      return outcome;
    }

    it('calls for a voice one-time code through Verify', async () => {
      const outcome = await run('action-custom-phone-provider-voice', { ...SECRETS, TWILIO_VERIFY_SID: VERIFY_SID });
      expect(outcome.calls).toEqual([]);
      expect(fake.requests[0]).toMatchObject({ path: `/v2/Services/${VERIFY_SID}/Verifications`, form: { Channel: 'call', CustomCode: VOICE_CODE } });
    });

    it('retries a gateway page itself, then delivers', async () => {
      fake.script({ kind: 'gateway', status: 503, body: 'html' });
      const outcome = await run('action-custom-phone-provider');
      expect(outcome.calls).toEqual([]);
      expect(fake.requests.map((request) => request.outcome)).toEqual([503, 201]);
    });

    it('asks Auth0 to retry when Twilio stays unavailable', async () => {
      fake.failAlways({ kind: 'http-status', status: 503 });
      const outcome = await run('action-custom-phone-provider');
      expect(outcome.calls).toEqual([{ method: 'retry', reason: expect.stringContaining('HTTP 503') }]);
    });

    it.each([20003, 21211, 21610, 21614])('drops on Twilio error %i, its reason masked', async (code) => {
      fake.failAlways({ kind: 'twilio-error', code, echo: 'formatted' });
      const outcome = await run('action-custom-phone-provider');
      expect(outcome.calls).toEqual([{ method: 'drop', reason: expect.stringContaining(`error ${code}`) }]);
      expect(fake.requests).toHaveLength(1);
    });
  });
});
