import type { FakeTwilio } from '../../tools/fake-twilio/server';
import { attemptsLogged, samplePayload } from './bundles';
import { hookOverHttp, SHORTEST_WAITS, startFakeTwilio, untilSettled, type TWILIO_MAJORS } from './fake-twilio';
import { API_KEY, CODE, MESSAGING_SERVICE_SID, RECIPIENT, SECRETS, VERIFY_SID, VOICE_CODE } from '../fixtures/values';
import { expectNoSecrets, expectNumbersMasked } from './no-secrets';

const ACCOUNT_PATH = `/2010-04-01/Accounts/${SECRETS.TWILIO_ACCOUNT_SID}`;
const SECRET_VALUES = [SECRETS.TWILIO_AUTH_TOKEN, API_KEY.TWILIO_API_SECRET, CODE];

/**
 * The hook bundle with the real twilio of each given major version, over HTTPS to the fake through the route. Two
 * test files share it (3 and 4, 5 and 6) so that jest runs them side by side.
 */
export function describeHookOverHttp(majors: readonly (typeof TWILIO_MAJORS)[number][]): void {
  describe.each(majors)('the hook bundle with the real %s over HTTPS', (twilioPackage) => {
    let fake: FakeTwilio;
    beforeAll(async () => {
      fake = await startFakeTwilio();
    });
    afterAll(() => fake.stop());
    beforeEach(() => fake.reset());

    async function invoke(payload = samplePayload('sms-enrollment'), secrets: Record<string, string> = { ...SECRETS }) {
      const { hook, logs } = await hookOverHttp(twilioPackage, { globals: SHORTEST_WAITS });
      const envelope = await hook.invoke(payload, secrets);
      await untilSettled(fake);
      expect(hook.extraAnswers).toBe(0);
      expect(logs).toHaveLength(1);
      expectNoSecrets([envelope, logs], SECRET_VALUES);
      expectNumbersMasked([envelope, logs], [RECIPIENT]);
      return { envelope, logs };
    }

    describe('delivers', () => {
      it('an SMS from the phone number, authenticated with the account, to api.twilio.com', async () => {
        const { envelope } = await invoke();
        expect(envelope).toMatchObject({ status: 'success', data: { api: 'messaging', sid: expect.stringMatching(/^SM[0-9a-f]{32}$/) } });
        expect(fake.requests).toEqual([
          {
            method: 'POST',
            path: `${ACCOUNT_PATH}/Messages.json`,
            host: 'api.twilio.com',
            authorization: `Basic ${SECRETS.TWILIO_ACCOUNT_SID}:***`,
            form: { To: RECIPIENT, From: SECRETS.TWILIO_PHONE_NUMBER, Body: `Your Acme enrollment code is ${CODE}`, ValidityPeriod: '300' },
            outcome: 201,
            answer: { status: 'queued' },
          },
        ]);
        expect(fake.servernames.at(-1)).toBe('api.twilio.com');
      });

      it('an SMS through a messaging service, authenticated with an API key', async () => {
        await invoke(undefined, { ...SECRETS, ...API_KEY, TWILIO_MESSAGING_SERVICE_SID: MESSAGING_SERVICE_SID });
        expect(fake.requests[0]).toMatchObject({
          authorization: `Basic ${API_KEY.TWILIO_API_KEY}:***`,
          path: `${ACCOUNT_PATH}/Messages.json`,
          form: { To: RECIPIENT, MessagingServiceSid: MESSAGING_SERVICE_SID, Body: `Your Acme enrollment code is ${CODE}`, ValidityPeriod: '300' },
          outcome: 201,
        });
      });

      it('to the host of TWILIO_REGION and TWILIO_EDGE', async () => {
        await invoke(undefined, { ...SECRETS, TWILIO_REGION: 'ie1', TWILIO_EDGE: 'dublin' });
        expect(fake.requests[0]?.host).toBe('api.dublin.ie1.twilio.com');
      });

      it('a call whose TwiML reads the digits one by one and escapes markup', async () => {
        const payload = samplePayload('voice-enrollment');
        payload.text = 'Code <b>552807</b> & "welcome"';
        const { envelope } = await invoke(payload);
        expect(envelope).toMatchObject({ status: 'success', data: { api: 'voice', sid: expect.stringMatching(/^CA/) } });
        expect(fake.requests[0]?.path).toBe(`${ACCOUNT_PATH}/Calls.json`);
        expect(fake.requests[0]?.form.Twiml).toBe(
          '<?xml version="1.0" encoding="UTF-8"?><Response>' +
            '<Say language="en-GB">Code &lt;b&gt;5, 5, 2, 8, 0, 7&lt;/b&gt; &amp; "welcome"</Say><Pause length="1"/>' +
            '<Say language="en-GB">Code &lt;b&gt;5, 5, 2, 8, 0, 7&lt;/b&gt; &amp; "welcome"</Say></Response>',
        );
      });

      it('a Verify call with the custom code, on verify.twilio.com', async () => {
        const { envelope } = await invoke(samplePayload('voice-second-factor'), { ...SECRETS, TWILIO_VERIFY_SID: VERIFY_SID });
        expect(envelope).toMatchObject({ status: 'success', data: { api: 'verify', sid: expect.stringMatching(/^VE/) } });
        expect(fake.requests[0]).toMatchObject({ path: `/v2/Services/${VERIFY_SID}/Verifications`, host: 'verify.twilio.com', form: { Channel: 'call', CustomCode: VOICE_CODE } });
      });
    });

    describe('answers once, numbers masked, when Twilio refuses', () => {
      it.each([
        [21211, 'e164', 'recipient number invalid'],
        [21408, 'formatted', 'Geo permissions'],
        [21608, 'e164', 'trial account'],
        [21614, 'formatted', 'cannot receive SMS'],
        [60203, 'e164', 'limit of send attempts'],
      ] as const)('error %i (the number echoed %s)', async (code, echo, hint) => {
        fake.failAlways({ kind: 'twilio-error', code, echo });
        const { envelope } = await invoke();
        expect(envelope.data).toMatchObject({ name: 'SendPhoneMessageError', transient: false, twilioCode: code, message: expect.stringContaining(hint) });
        expect(fake.requests).toHaveLength(1);
      });

      it('a revoked API key, then the next send with a new key gets a new client and goes out', async () => {
        const revoked = { ...SECRETS, TWILIO_API_KEY: 'SKdead0000000000000000000000000000', TWILIO_API_SECRET: 'revokedrevokedrevokedrevoked0000' };
        const { envelope } = await invoke(undefined, revoked);
        expect(envelope.data).toMatchObject({ twilioCode: 20003, transient: false, message: expect.stringContaining('a revoked key') });
        expectNoSecrets(envelope, [revoked.TWILIO_API_SECRET]);
        fake.reset();
        const renewed = await invoke(undefined, { ...SECRETS, ...API_KEY });
        expect(renewed.envelope.status).toBe('success');
        expect(fake.requests[0]?.authorization).toBe(`Basic ${API_KEY.TWILIO_API_KEY}:***`);
      });

      it('wrong credentials, as the real Twilio answers them', async () => {
        const { envelope } = await invoke(undefined, { ...SECRETS, TWILIO_AUTH_TOKEN: 'beefbeefbeefbeefbeefbeefbeefbeef' });
        expect(envelope.data.message).toContain('error 20003 (HTTP 401)');
        expectNoSecrets(envelope, ['beefbeefbeefbeefbeefbeefbeefbeef']);
      });

      it('hostile text: terminal escapes, a forged log line, the secrets, a phishing link', async () => {
        fake.failAlways({
          kind: 'twilio-error',
          code: 21211,
          message: `Bad\u001b[2J\ntwilio-phone-message: sent sms to ${RECIPIENT} token=${SECRETS.TWILIO_AUTH_TOKEN} code=${CODE}`,
          moreInfo: 'https://evil.example/login',
        });
        const { envelope, logs } = await invoke();
        const text = `${String(envelope.data.message)}${logs.join('')}`;
        expect(text).not.toMatch(/[\u0000-\u001f]/);
        expect(text).not.toContain('evil.example');
        expect(envelope.data.message).toContain('token=[redacted] code=[redacted]');
      });
    });

    describe('heals what can heal', () => {
      it('a 429, retried, then a success', async () => {
        fake.script({ kind: 'http-status', status: 429 });
        const { envelope, logs } = await invoke();
        expect(envelope.status).toBe('success');
        expect(fake.requests.map((request) => request.outcome)).toEqual([429, 201]);
        expect(logs[0]).toContain('attempts=2');
      });

      it('gateway answers of every kind (an HTML 502, a plain-text 503, an empty 504), each retried, then a success', async () => {
        fake.script({ kind: 'gateway', status: 502, body: 'html' }, { kind: 'gateway', status: 503, body: 'text' }, { kind: 'gateway', status: 504, body: 'empty' });
        const { envelope, logs } = await invoke();
        expect(envelope.status).toBe('success');
        expect(fake.requests.map((request) => request.outcome)).toEqual([502, 503, 504, 201]);
        expect(logs[0]).toContain('attempts=4');
      });

      it('a gateway page on every attempt, even on 429: transient, after 4 attempts, saying what answered', async () => {
        fake.failAlways({ kind: 'gateway', status: 429, body: 'html' });
        const { envelope } = await invoke();
        expect(envelope.data).toMatchObject({ transient: true, message: expect.stringMatching(/^Twilio answered HTTP 429 with an HTML page instead of JSON .* after 4 attempts/) });
        expect(fake.requests).toHaveLength(4);
      });

      it('a reset connection, retried', async () => {
        fake.script({ kind: 'reset' });
        const { envelope } = await invoke();
        expect(envelope.status).toBe('success');
        expect(fake.requests.map((request) => request.outcome)).toEqual(['reset', 201]);
      });

      it('a success whose body is not JSON: not retried, since the message may be out', async () => {
        fake.script({ kind: 'malformed-json' });
        const { envelope } = await invoke();
        expect(envelope.data.message).toContain('not JSON');
        expect(fake.requests).toHaveLength(1);
      });

      it('a success whose SID is hostile: delivered, the SID not echoed', async () => {
        fake.script({ kind: 'sid', sid: `SM\n${SECRETS.TWILIO_AUTH_TOKEN}` });
        const { envelope, logs } = await invoke();
        expect(envelope).toEqual({ status: 'success', data: { api: 'messaging', channel: 'sms' } });
        expect(logs[0]).toContain('sid=unknown');
      });
    });

    it('answers 100 simultaneous invocations once each', async () => {
      const { hook, logs } = await hookOverHttp(twilioPackage);
      const envelopes = await Promise.all(Array.from({ length: 100 }, () => hook.invoke(samplePayload('sms-second-factor'), { ...SECRETS })));
      await untilSettled(fake);
      expect(envelopes.filter((envelope) => envelope.status === 'success')).toHaveLength(100);
      expect(new Set(envelopes.map((envelope) => envelope.data.sid)).size).toBe(100);
      // One log line per invocation; every request an attempt it counts (a loaded machine may
      // make one outlast its timeout, and the send retry).
      expect(logs).toHaveLength(100);
      expect(fake.requests).toHaveLength(attemptsLogged(logs));
      expect(hook.extraAnswers).toBe(0);
    });
  });
}
