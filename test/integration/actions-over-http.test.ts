import type { FakeTwilio } from '../../tools/fake-twilio/server';
import { customPhoneProviderAction, sampleEvent, sendPhoneMessageAction } from '../helpers/action-bundles';
import { startFakeTwilio, twilioFor } from '../helpers/fake-twilio';
import { expectNoSecrets, SECRETS, VERIFY_SID } from '../helpers/mock-twilio';

const ACCOUNT_PATH = `/2010-04-01/Accounts/${SECRETS.TWILIO_ACCOUNT_SID}`;

describe.each(['twilio', 'twilio-v6'])('the action bundles with the real %s over HTTP', (twilioPackage) => {
  let fake: FakeTwilio;
  beforeAll(async () => {
    fake = await startFakeTwilio();
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  describe('Send Phone Message', () => {
    it('sends the SMS', async () => {
      await sendPhoneMessageAction(twilioFor(twilioPackage, fake)).run(sampleEvent('action-send-phone-message', { ...SECRETS }));
      expect(fake.requests).toEqual([
        expect.objectContaining({ path: `${ACCOUNT_PATH}/Messages.json`, outcome: 201, form: expect.objectContaining({ To: '+15550105310' }) }),
      ]);
    });

    it('throws what Twilio refused, once, with the hint', async () => {
      fake.failAlways({ kind: 'twilio-error', code: 21408 });
      const action = sendPhoneMessageAction(twilioFor(twilioPackage, fake));
      await expect(action.run(sampleEvent('action-send-phone-message', { ...SECRETS }))).rejects.toThrow(/error 21408 .*Geo permissions/);
      expect(fake.requests).toHaveLength(1);
    });
  });

  describe('Custom Phone Provider', () => {
    async function run(sample: string, secrets: Record<string, string> = { ...SECRETS }) {
      const action = customPhoneProviderAction(twilioFor(twilioPackage, fake));
      const outcome = await action.run(sampleEvent(sample, secrets));
      expectNoSecrets(outcome.calls, [SECRETS.TWILIO_AUTH_TOKEN, '730164', '918273']);
      expectNoSecrets(action.logs.join('\n'), [SECRETS.TWILIO_AUTH_TOKEN, '730164', '918273']);
      return outcome;
    }

    it('calls for a voice one-time code through Verify', async () => {
      const outcome = await run('action-custom-phone-provider-voice', { ...SECRETS, TWILIO_VERIFY_SID: VERIFY_SID });
      expect(outcome.calls).toEqual([]);
      expect(fake.requests[0]).toMatchObject({ path: `/v2/Services/${VERIFY_SID}/Verifications`, form: { Channel: 'call', CustomCode: '918273' } });
    });

    it('retries a 429 itself, then delivers', async () => {
      fake.script({ kind: 'http-status', status: 429 });
      const outcome = await run('action-custom-phone-provider');
      expect(outcome.calls).toEqual([]);
      expect(fake.requests.map((request) => request.outcome)).toEqual([429, 201]);
    });

    it('asks Auth0 to retry when Twilio stays unavailable', async () => {
      fake.failAlways({ kind: 'http-status', status: 503 });
      const outcome = await run('action-custom-phone-provider');
      expect(outcome.calls).toEqual([{ method: 'retry', reason: expect.stringContaining('HTTP 503') }]);
    });

    it('asks Auth0 to retry when connections keep resetting', async () => {
      fake.failAlways({ kind: 'reset' });
      const outcome = await run('action-custom-phone-provider');
      expect(outcome.calls).toEqual([{ method: 'retry', reason: expect.stringContaining('ECONNRESET') }]);
    });

    it.each([20003, 21211, 21610, 21614])('drops on Twilio error %i', async (code) => {
      fake.failAlways({ kind: 'twilio-error', code });
      const outcome = await run('action-custom-phone-provider');
      expect(outcome.calls).toEqual([{ method: 'drop', reason: expect.stringContaining(`error ${code}`) }]);
      expect(fake.requests).toHaveLength(1);
    });
  });
});

it('asks Auth0 to retry when Twilio never answers, at the deadline', async () => {
  const fake = await startFakeTwilio();
  try {
    fake.failAlways({ kind: 'hang' });
    const outcome = await customPhoneProviderAction(twilioFor('twilio-v6', fake)).run(sampleEvent('action-custom-phone-provider', { ...SECRETS }));
    expect(outcome.calls).toEqual([{ method: 'retry', reason: expect.stringContaining('did not answer within 10000 ms') }]);
  } finally {
    await fake.stop();
  }
}, 25_000);
