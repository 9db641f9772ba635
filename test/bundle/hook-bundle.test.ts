import { ACTION_CODE, CODE, hostileThrownValues, RECIPIENT, SECRETS, VERIFY_SID } from '../fixtures/values';
import { mockTwilio, twilioRestError } from '../helpers/mock-twilio';
import { expectNoSecrets, expectNumbersMasked } from '../helpers/no-secrets';
import { createdAnswer, scriptedTwilio, twilioErrorAnswer, type ScriptedAnswer, type ScriptedRequest } from '../helpers/scripted-twilio';
import { compiledHook, samplePayload, testBundle } from '../helpers/bundles';
import { evaluateModule } from '../../tools/runtime/auth0-hook-runtime';
import { refuseTwilioConnections } from '../helpers/fake-twilio';

refuseTwilioConnections();

const ACCOUNT = SECRETS.TWILIO_ACCOUNT_SID;

describe.each(['twilio-v3', 'twilio-v4', 'twilio-v6'])('the compiled hook with %s', (twilioPackage) => {
  function setup(respond: (request: ScriptedRequest) => ScriptedAnswer = (request) => createdAnswer(request.uri)) {
    return scriptedTwilio(twilioPackage, respond);
  }

  it('sends an SMS enrollment code and answers with the message SID', async () => {
    const twilio = setup();
    const { hook, logs } = await compiledHook(twilio.module);
    const envelope = await hook.invoke(samplePayload('sms-enrollment'), { ...SECRETS });
    expect(envelope).toEqual({ status: 'success', data: { api: 'messaging', channel: 'sms', sid: 'SM11111111111111111111111111111111' } });
    expect(twilio.requests).toEqual([
      {
        method: 'POST',
        uri: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT}/Messages.json`,
        username: ACCOUNT,
        password: SECRETS.TWILIO_AUTH_TOKEN,
        form: { To: RECIPIENT, From: SECRETS.TWILIO_PHONE_NUMBER, Body: `Your Acme enrollment code is ${CODE}`, ValidityPeriod: '300' },
      },
    ]);
    expect(logs).toEqual([expect.stringMatching(/^twilio-phone-message: sent sms to \+1555\*\*\*5310 via messaging sid=SM1{32} attempts=1 ms=\d+$/)]);
    expect(hook.extraAnswers).toBe(0);
  });

  it('calls and speaks the code one digit at a time in the login language', async () => {
    const twilio = setup();
    const { hook } = await compiledHook(twilio.module);
    const envelope = await hook.invoke(samplePayload('voice-second-factor'), { ...SECRETS });
    expect(envelope).toMatchObject({ status: 'success', data: { api: 'voice', channel: 'voice' } });
    expect(twilio.requests[0]?.uri).toBe(`https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT}/Calls.json`);
    const twiml = String(twilio.requests[0]?.form.Twiml);
    expect(twiml).toContain('<Say language="fr-FR">Votre code de vérification Acme est 9, 1, 8, 2, 7, 3</Say>');
    expect(twiml.match(/<Say /g)).toHaveLength(2);
  });

  it('starts a Verify verification with the custom code through verify.v2', async () => {
    const twilio = setup();
    const { hook } = await compiledHook(twilio.module);
    const envelope = await hook.invoke(samplePayload('sms-second-factor'), { ...SECRETS, TWILIO_VERIFY_SID: VERIFY_SID });
    expect(envelope).toMatchObject({ status: 'success', data: { api: 'verify', sid: 'VE11111111111111111111111111111111' } });
    expect(twilio.requests[0]?.uri).toBe(`https://verify.twilio.com/v2/Services/${VERIFY_SID}/Verifications`);
    expect(twilio.requests[0]?.form).toMatchObject({ To: RECIPIENT, Channel: 'sms', CustomCode: ACTION_CODE, Locale: 'en' });
  });

  it('accepts the client fields flat on the context, as older Auth0 documents show them', async () => {
    const twilio = setup();
    const { hook } = await compiledHook(twilio.module);
    const { context, ...payload } = samplePayload('sms-enrollment');
    const { client: _client, ...flatContext } = context;
    const envelope = await hook.invoke({ ...payload, context: { ...flatContext, client_id: 'abc', name: 'Flat App' } }, { ...SECRETS });
    expect(envelope.status).toBe('success');
  });

  it('answers with a SendPhoneMessageError that names a missing secret, and sends nothing', async () => {
    const twilio = setup();
    const { hook, logs } = await compiledHook(twilio.module);
    const { TWILIO_AUTH_TOKEN: _unused, ...secrets } = SECRETS;
    const envelope = await hook.invoke(samplePayload('sms-enrollment'), secrets);
    expect(envelope).toMatchObject({
      status: 'error',
      data: {
        name: 'SendPhoneMessageError',
        message: expect.stringContaining('TWILIO_AUTH_TOKEN is not set'),
        transient: false,
        friendlyMessage: 'We could not send your verification code. Please contact support.',
      },
    });
    expect(twilio.requests).toHaveLength(0);
    expect(logs).toEqual([expect.stringContaining('TWILIO_AUTH_TOKEN is not set')]);
  });

  it('refuses a malformed recipient before calling Twilio', async () => {
    const twilio = setup();
    const { hook } = await compiledHook(twilio.module);
    const envelope = await hook.invoke({ ...samplePayload('sms-enrollment'), recipient: '555 CALL NOW' }, { ...SECRETS });
    expect(envelope).toMatchObject({ status: 'error', data: { message: expect.stringContaining('characters other than digits') } });
    expect(twilio.requests).toHaveLength(0);
  });

  it('passes a Twilio error code on with a hint, the number it repeats masked, and nothing secret', async () => {
    const twilio = setup(() => twilioErrorAnswer(400, 21211, `The 'To' number ${RECIPIENT} is not a valid phone number.`));
    const { hook, logs } = await compiledHook(twilio.module);
    const envelope = await hook.invoke(samplePayload('sms-enrollment'), { ...SECRETS });
    expect(envelope).toMatchObject({
      status: 'error',
      data: {
        twilioCode: 21211,
        transient: false,
        friendlyMessage: 'This phone number cannot receive verification codes. Check the number and try again.',
        message: expect.stringMatching(/^Twilio answered error 21211 \(HTTP 400\) after 1 attempt: The 'To' number \+1555\*\*\*5310 is not a valid phone number\. Twilio considers the recipient number invalid/),
      },
    });
    expectNoSecrets([envelope, logs], [SECRETS.TWILIO_AUTH_TOKEN, CODE]);
    expectNumbersMasked([envelope, logs], [RECIPIENT]);
  });

  it('retries a gateway page as any 502, on this major as on the others', async () => {
    const twilio = setup((request) => (twilio.requests.length === 1 ? { status: 502, body: '<html><body>502 Bad Gateway</body></html>' } : createdAnswer(request.uri)));
    const { hook } = await compiledHook(twilio.module);
    const envelope = await hook.invoke(samplePayload('sms-enrollment'), { ...SECRETS });
    expect(envelope.status).toBe('success');
    expect(twilio.requests).toHaveLength(2);
  });
});

describe('the compiled hook with a mocked client', () => {
  it('answers once with an error when the library throws synchronously', async () => {
    const twilio = mockTwilio();
    twilio.messagesCreate.mockImplementation(() => {
      throw new Error('Required parameter "params.to" missing.');
    });
    const { hook } = await compiledHook(twilio.module);
    const envelope = await hook.invoke(samplePayload('sms-enrollment'), { ...SECRETS });
    expect(envelope).toMatchObject({ status: 'error', data: { message: expect.stringContaining('Required parameter') } });
    await new Promise((resolve) => setImmediate(resolve));
    expect(hook.extraAnswers).toBe(0);
  });

  it('answers once, with the later success, when Twilio first answers 429', async () => {
    const twilio = mockTwilio();
    twilio.messagesCreate
      .mockRejectedValueOnce(twilioRestError(429, 20429, 'Too Many Requests'))
      .mockResolvedValueOnce({ sid: 'SM22222222222222222222222222222222' });
    const { hook } = await compiledHook(twilio.module);
    const envelope = await hook.invoke(samplePayload('sms-enrollment'), { ...SECRETS });
    expect(envelope).toEqual({ status: 'success', data: { api: 'messaging', channel: 'sms', sid: 'SM22222222222222222222222222222222' } });
    expect(twilio.messagesCreate).toHaveBeenCalledTimes(2);
    expect(hook.extraAnswers).toBe(0);
  });

  it('tells the admin to declare the twilio module when the runtime lacks it', async () => {
    const { hook } = await compiledHook(undefined, { modules: { twilio: undefined } });
    const envelope = await hook.invoke(samplePayload('sms-enrollment'), { ...SECRETS });
    expect(envelope).toMatchObject({ status: 'error', data: { message: expect.stringContaining('The npm module "twilio" is not available') } });
  });

  it.each(hostileThrownValues())('answers once and logs one line when reading its context throws (%s), sending nothing', async (kind, thrown) => {
    const twilio = mockTwilio();
    const { hook, logs } = await compiledHook(twilio.module);
    const payload = samplePayload('sms-enrollment');
    // Auth0's compiler reads the fields it knows first; the flat client fields of older contexts it does not.
    delete payload.context.client;
    Object.defineProperty(payload.context, 'client_metadata', {
      enumerable: true,
      get() {
        throw thrown();
      },
    });
    const envelope = await hook.invoke(payload, { ...SECRETS });
    expect(envelope).toMatchObject({ status: 'error', data: { message: `The sender failed unexpectedly (${kind}).` } });
    expect(logs).toEqual([`twilio-phone-message: failed message to an unknown recipient attempts=0 ms=${/ ms=(\d+) /.exec(logs[0] ?? '')?.[1]} transient=false InvalidRequestError: The sender failed unexpectedly (${kind}).`]);
    expectNoSecrets([envelope, logs], [SECRETS.TWILIO_AUTH_TOKEN]);
    expect(twilio.requestCount()).toBe(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(hook.extraAnswers).toBe(0);
  });

  it('survives a runtime whose res.end throws: the throw is caught and logged once, and the next invocation works', async () => {
    const twilio = mockTwilio();
    const { hook, logs } = await compiledHook(twilio.module);
    const envelope = await hook.invoke(samplePayload('sms-enrollment'), { ...SECRETS }, { endThrows: new TypeError('socket closed') });
    expect(envelope.status).toBe('success');
    await new Promise((resolve) => setImmediate(resolve));
    expect(logs.filter((line) => line.includes("the hook's callback threw an exception (TypeError)"))).toHaveLength(1);
    await expect(hook.invoke(samplePayload('sms-enrollment'), { ...SECRETS })).resolves.toMatchObject({ status: 'success' });
    expect(hook.extraAnswers).toBe(0);
  });
});

describe('the hook bundle in a runtime whose SendPhoneMessageError cannot be built', () => {
  it("still answers once, with the sender's own error, which says what to fix", async () => {
    const exported: { exports: unknown } = { exports: {} };
    const logs: string[] = [];
    evaluateModule(
      testBundle('hook/send-phone-message'),
      { module: exported, require: (id: string) => (id === 'twilio' ? mockTwilio().module : require(id)), console: { log: (line: string) => logs.push(line) } },
      {
        SendPhoneMessageError: function SendPhoneMessageError(): never {
          throw new TypeError('the runtime cannot build its error class');
        },
      },
    );
    const hook = exported.exports as (recipient: string, text: string, context: unknown, cb: (error: unknown, response?: unknown) => void) => void;
    const answers: unknown[][] = [];
    const { TWILIO_AUTH_TOKEN: _unset, ...secrets } = SECRETS;
    await new Promise<void>((resolve) => {
      hook(RECIPIENT, `Your code is ${CODE}`, { ...samplePayload('sms-enrollment').context, webtask: { secrets } }, (...answer) => {
        answers.push(answer);
        resolve();
      });
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(answers).toHaveLength(1);
    expect(answers[0]?.[0]).toMatchObject({ name: 'ConfigurationError', message: expect.stringContaining('TWILIO_AUTH_TOKEN is not set') });
  });
});
