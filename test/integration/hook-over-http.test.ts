import type { FakeTwilio } from '../../tools/fake-twilio/server';
import { samplePayload } from '../helpers/hook-bundle';
import { hookOverHttp, startFakeTwilio, TWILIO_PACKAGES } from '../helpers/fake-twilio';
import { expectNoSecrets, MESSAGING_SERVICE_SID, SECRETS, VERIFY_SID } from '../helpers/mock-twilio';

const ACCOUNT_PATH = `/2010-04-01/Accounts/${SECRETS.TWILIO_ACCOUNT_SID}`;
const SECRET_VALUES = [SECRETS.TWILIO_AUTH_TOKEN, '482913'];

describe.each(TWILIO_PACKAGES)('the hook bundle with the real %s over HTTP', (twilioPackage) => {
  let fake: FakeTwilio;
  beforeAll(async () => {
    fake = await startFakeTwilio();
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  async function invoke(payload = samplePayload('sms-enrollment'), secrets: Record<string, string> = { ...SECRETS }) {
    const { hook, logs } = await hookOverHttp(twilioPackage, fake);
    const envelope = await hook.invoke(payload, secrets);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(hook.extraAnswers).toBe(0);
    expectNoSecrets(envelope, SECRET_VALUES);
    expectNoSecrets(logs.join('\n'), [...SECRET_VALUES, '+15550105310']);
    return { envelope, logs };
  }

  describe('delivers', () => {
    it('an SMS from the phone number, authenticated with the account', async () => {
      const { envelope } = await invoke();
      expect(envelope).toMatchObject({ status: 'success', data: { api: 'messaging', sid: expect.stringMatching(/^SM[0-9a-f]{32}$/) } });
      expect(fake.requests).toEqual([
        {
          method: 'POST',
          path: `${ACCOUNT_PATH}/Messages.json`,
          authorization: `Basic ${SECRETS.TWILIO_ACCOUNT_SID}:***`,
          form: { To: '+15550105310', From: SECRETS.TWILIO_PHONE_NUMBER, Body: 'Your Acme enrollment code is 482913' },
          outcome: 201,
        },
      ]);
    });

    it('an SMS through a messaging service', async () => {
      await invoke(undefined, { ...SECRETS, TWILIO_MESSAGING_SERVICE_SID: MESSAGING_SERVICE_SID });
      expect(fake.requests[0]?.form).toEqual({
        To: '+15550105310',
        MessagingServiceSid: MESSAGING_SERVICE_SID,
        Body: 'Your Acme enrollment code is 482913',
      });
    });

    it('a call whose TwiML reads the digits one by one and escapes markup', async () => {
      const payload = samplePayload('voice-enrollment');
      payload.text = 'Code <b>552807</b> & "welcome"';
      const { envelope } = await invoke(payload);
      expect(envelope).toMatchObject({ status: 'success', data: { api: 'voice', sid: expect.stringMatching(/^CA/) } });
      const request = fake.requests[0];
      expect(request?.path).toBe(`${ACCOUNT_PATH}/Calls.json`);
      expect(request?.form.Twiml).toBe(
        '<?xml version="1.0" encoding="UTF-8"?><Response>' +
          '<Say language="en-GB">Code &lt;b&gt;5, 5, 2, 8, 0, 7&lt;/b&gt; &amp; "welcome"</Say><Pause length="1"/>' +
          '<Say language="en-GB">Code &lt;b&gt;5, 5, 2, 8, 0, 7&lt;/b&gt; &amp; "welcome"</Say></Response>',
      );
    });

    it.each([
      ['sms-second-factor', 'sms', '730164'],
      ['voice-second-factor', 'call', '918273'],
    ])('a Verify verification for %s with the custom code', async (sample, channel, code) => {
      const { envelope } = await invoke(samplePayload(sample), { ...SECRETS, TWILIO_VERIFY_SID: VERIFY_SID });
      expect(envelope).toMatchObject({ status: 'success', data: { api: 'verify', sid: expect.stringMatching(/^VE/) } });
      expect(fake.requests[0]?.path).toBe(`/v2/Services/${VERIFY_SID}/Verifications`);
      expect(fake.requests[0]?.form).toMatchObject({ Channel: channel, CustomCode: code });
    });
  });

  describe('answers once with the right envelope when Twilio fails', () => {
    it.each([
      [20003, 'check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN'],
      [21211, 'recipient number invalid'],
      [21408, 'Geo permissions'],
      [21608, 'trial account'],
      [21610, 'replied STOP'],
      [21614, 'cannot receive SMS'],
      [60200, 'Verify rejected a parameter'],
      [60203, 'limit of send attempts'],
      [60204, 'custom verification codes'],
      [60410, 'Fraud Guard'],
    ])('Twilio error %i', async (code, hint) => {
      fake.failAlways({ kind: 'twilio-error', code });
      const { envelope } = await invoke();
      expect(envelope.status).toBe('error');
      expect(envelope.data).toMatchObject({ name: 'SendPhoneMessageError', transient: false, twilioCode: code });
      expect(envelope.data.message).toContain(`error ${code}`);
      expect(envelope.data.message).toContain(hint);
      expect(fake.requests).toHaveLength(1);
    });

    it('wrong credentials, as the real Twilio answers them', async () => {
      const { envelope } = await invoke(undefined, { ...SECRETS, TWILIO_AUTH_TOKEN: 'beefbeefbeefbeefbeefbeefbeefbeef' });
      expect(envelope.data.message).toContain('error 20003 (HTTP 401)');
      expectNoSecrets(envelope, ['beefbeefbeefbeefbeefbeefbeefbeef']);
    });

    it('a 429, retried, then a success', async () => {
      fake.script({ kind: 'http-status', status: 429 });
      const { envelope, logs } = await invoke();
      expect(envelope.status).toBe('success');
      expect(fake.requests.map((request) => request.outcome)).toEqual([429, 201]);
      expect(logs[0]).toContain('2 attempts');
    });

    it('429 on every attempt: gives up within the deadline, transient', async () => {
      fake.failAlways({ kind: 'http-status', status: 429 });
      const { envelope } = await invoke();
      expect(envelope.data).toMatchObject({ transient: true, message: expect.stringContaining('HTTP 429) after 4 attempts') });
      expect(fake.requests).toHaveLength(4);
    });

    it('a 503 on every attempt', async () => {
      fake.failAlways({ kind: 'http-status', status: 503 });
      const { envelope } = await invoke();
      expect(envelope.data).toMatchObject({ transient: true, message: expect.stringContaining('HTTP 503') });
    });

    it('a reset connection, retried', async () => {
      fake.script({ kind: 'reset' });
      const { envelope } = await invoke();
      expect(envelope.status).toBe('success');
      expect(fake.requests.map((request) => request.outcome)).toEqual(['reset', 201]);
    });

    it('connections reset on every attempt', async () => {
      fake.failAlways({ kind: 'reset' });
      const { envelope } = await invoke();
      expect(envelope.data.message).toMatch(/Could not reach Twilio \(ECONNRESET\) after 4 attempts/);
    });

    it('a success whose body is not JSON: not retried, since the message may be out', async () => {
      fake.script({ kind: 'malformed-json' });
      const { envelope } = await invoke();
      expect(envelope.data.message).toContain('not JSON');
      expect(fake.requests).toHaveLength(1);
    });
  });

  it('answers 100 simultaneous invocations once each', async () => {
    const { hook } = await hookOverHttp(twilioPackage, fake);
    const envelopes = await Promise.all(
      Array.from({ length: 100 }, () => hook.invoke(samplePayload('sms-second-factor'), { ...SECRETS })),
    );
    expect(envelopes.filter((envelope) => envelope.status === 'success')).toHaveLength(100);
    expect(new Set(envelopes.map((envelope) => envelope.data.sid)).size).toBe(100);
    expect(fake.requests).toHaveLength(100);
    expect(hook.extraAnswers).toBe(0);
  });
});
