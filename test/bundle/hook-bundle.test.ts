import { builtinModules } from 'node:module';
import { mockTwilio, SECRETS, twilioRestError, VERIFY_SID, expectNoSecrets } from '../helpers/mock-twilio';
import { createdAnswer, recordingTwilio, type CannedAnswer, type RecordedRequest } from '../helpers/recording-twilio';
import { compiledHook, hookBundle, runtimeRequire, samplePayload } from '../helpers/hook-bundle';

const ACCOUNT = SECRETS.TWILIO_ACCOUNT_SID;

describe('the bundle a tenant pastes', () => {
  it('is one CommonJS file that requires only twilio and Node built-ins', () => {
    const required = [...hookBundle().matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((match) => match[1]);
    expect(required).toContain('twilio');
    for (const id of required) {
      expect(id === 'twilio' || builtinModules.includes(String(id).replace(/^node:/, ''))).toBe(true);
    }
  });

  it('exports a function of (recipient, text, context, cb) without needing `exports`', () => {
    const module = { exports: {} as unknown };
    new Function('module', 'require', hookBundle())(module, runtimeRequire(mockTwilio().module));
    expect(typeof module.exports).toBe('function');
    expect((module.exports as (...args: unknown[]) => unknown).length).toBe(4);
  });

  it('declares neither of the classes Auth0 puts in front of it', () => {
    expect(hookBundle()).not.toMatch(/\b(?:class|var|let|const|function)\s+(?:ExtensibilityUserError|SendPhoneMessageError)\b/);
  });
});

describe.each(['twilio-v3', 'twilio-v4', 'twilio-v6'])('the compiled hook with %s', (twilioPackage) => {
  function setup(respond: (request: RecordedRequest) => CannedAnswer = (request) => createdAnswer(request.uri)) {
    return recordingTwilio(twilioPackage, respond);
  }

  it('sends an SMS enrollment code and answers with the message SID', async () => {
    const twilio = setup();
    const { hook, logs } = await compiledHook(twilio.module);
    const envelope = await hook.invoke(samplePayload('sms-enrollment'), { ...SECRETS });
    expect(envelope).toEqual({
      status: 'success',
      data: { api: 'messaging', channel: 'sms', sid: 'SM11111111111111111111111111111111' },
    });
    expect(twilio.requests).toEqual([
      {
        method: 'post',
        uri: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT}/Messages.json`,
        username: ACCOUNT,
        password: SECRETS.TWILIO_AUTH_TOKEN,
        data: expect.objectContaining({ To: '+15550105310', From: SECRETS.TWILIO_PHONE_NUMBER, Body: 'Your Acme enrollment code is 482913' }),
      },
    ]);
    expect(logs).toEqual([expect.stringContaining('sms to +1555***5310 sent via messaging')]);
    expect(hook.extraAnswers).toBe(0);
  });

  it('calls and speaks the code one digit at a time in the login language', async () => {
    const twilio = setup();
    const { hook } = await compiledHook(twilio.module);
    const envelope = await hook.invoke(samplePayload('voice-second-factor'), { ...SECRETS });
    expect(envelope).toMatchObject({ status: 'success', data: { api: 'voice', channel: 'voice' } });
    const twiml = String(twilio.requests[0]?.data.Twiml);
    expect(twilio.requests[0]?.uri).toBe(`https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT}/Calls.json`);
    expect(twiml).toContain('<Say language="fr-FR">Votre code de vérification Acme est 9, 1, 8, 2, 7, 3</Say>');
    expect(twiml.match(/<Say /g)).toHaveLength(2);
  });

  it('starts a Verify verification with the custom code through verify.v2', async () => {
    const twilio = setup();
    const { hook } = await compiledHook(twilio.module);
    const envelope = await hook.invoke(samplePayload('sms-second-factor'), { ...SECRETS, TWILIO_VERIFY_SID: VERIFY_SID });
    expect(envelope).toMatchObject({ status: 'success', data: { api: 'verify', sid: 'VE11111111111111111111111111111111' } });
    expect(twilio.requests[0]?.uri).toBe(`https://verify.twilio.com/v2/Services/${VERIFY_SID}/Verifications`);
    expect(twilio.requests[0]?.data).toMatchObject({ To: '+15550105310', Channel: 'sms', CustomCode: '730164', Locale: 'en' });
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
        friendlyMessage: expect.stringContaining('could not send your verification code'),
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

  it('passes a Twilio error code on with a hint, and nothing secret', async () => {
    const twilio = setup(() => ({
      status: 400,
      body: { code: 21211, message: "The 'To' number is not a valid phone number.", more_info: 'https://www.twilio.com/docs/errors/21211', status: 400 },
    }));
    const { hook, logs } = await compiledHook(twilio.module);
    const envelope = await hook.invoke(samplePayload('sms-enrollment'), { ...SECRETS });
    expect(envelope.status).toBe('error');
    expect(envelope.data.message).toContain('error 21211 (HTTP 400)');
    expect(envelope.data.twilioCode).toBe(21211);
    expect(envelope.data.message).toContain('recipient number invalid');
    expect(envelope.data.friendlyMessage).toBe('This phone number cannot receive verification codes. Check the number and try again.');
    expectNoSecrets(envelope, [SECRETS.TWILIO_AUTH_TOKEN, '482913']);
    expectNoSecrets(logs.join('\n'), [SECRETS.TWILIO_AUTH_TOKEN, '482913', '+15550105310']);
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

  it('answers once with a retry count when Twilio keeps answering 429', async () => {
    const twilio = mockTwilio();
    twilio.messagesCreate
      .mockRejectedValueOnce(twilioRestError(429, 20429, 'Too Many Requests'))
      .mockResolvedValueOnce({ sid: 'SM22222222222222222222222222222222' });
    const { hook } = await compiledHook(twilio.module);
    const envelope = await hook.invoke(samplePayload('sms-enrollment'), { ...SECRETS });
    expect(envelope).toEqual({ status: 'success', data: { api: 'messaging', channel: 'sms', sid: 'SM22222222222222222222222222222222' } });
    expect(twilio.messagesCreate).toHaveBeenCalledTimes(2);
  });

  it('reuses one client across invocations in the same container', async () => {
    const twilio = mockTwilio();
    const { hook } = await compiledHook(twilio.module);
    for (let i = 0; i < 3; i++) await hook.invoke(samplePayload('sms-enrollment'), { ...SECRETS });
    expect(twilio.factory).toHaveBeenCalledTimes(1);
  });

  it('tells the admin to declare the twilio module when the runtime lacks it', async () => {
    const missing = () => {
      throw new Error("Cannot find module 'twilio'");
    };
    const { compileHook } = await import('../../tools/runtime/auth0-hook-runtime');
    const hook = await compileHook(hookBundle(), { require: (id) => (id === 'twilio' ? missing() : require(id)), console: { log() {}, info() {}, warn() {}, error() {} } });
    const envelope = await hook.invoke(samplePayload('sms-enrollment'), { ...SECRETS });
    expect(envelope).toMatchObject({ status: 'error', data: { message: expect.stringContaining('NPM Modules') } });
  });
});
