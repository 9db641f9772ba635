import type { FakeTwilio } from '../../tools/fake-twilio/server';
import { failed, notConfigured, passed } from '../../tools/check/verdict';
import { SECRETS } from '../fixtures/values';
import { ALL_BUT_VERIFY, checkOn, CONTENT_SID, healthyAccount, THROUGH_VERIFY, useCheckFake, WHATSAPP_SENDER } from './harness';

/** The lines of `npm run check` for WhatsApp's sender and template, and the voice permissions of the listed countries. */

/** WhatsApp from TWILIO_WHATSAPP_FROM (the number WHATSAPP_SENDER registers), not from a Messaging Service. */
const FROM_OWN_SENDER: Readonly<Record<string, string>> = { ...SECRETS, WHATSAPP_COUNTRIES: '*', TWILIO_WHATSAPP_FROM: SECRETS.TWILIO_PHONE_NUMBER, TWILIO_WHATSAPP_CONTENT_SID: CONTENT_SID };

describe('the WhatsApp sender of TWILIO_WHATSAPP_FROM', () => {
  let fake: FakeTwilio;
  useCheckFake((started) => (fake = started));
  beforeEach(() => healthyAccount(fake));

  it('a sender of the account that is online passes, read from the Senders API', async () => {
    fake.whatsapp.sender('+15005550009');
    const report = await checkOn(fake, FROM_OWN_SENDER);
    expect(report.verdict('whatsapp sender')).toEqual(passed('whatsapp sender', '+1500***0006 is a WhatsApp sender of this account, online.'));
    expect(fake.requests.filter((request) => request.host === 'messaging.twilio.com').map((request) => `${request.method} ${request.path}`)).toEqual([expect.stringMatching(/^GET \/v2\/Channels\/Senders\?(?=.*Channel=whatsapp)/)]);
    expect(report.ok).toBe(true);
  });

  it('a number that is no WhatsApp sender of the account fails, with the 63007 every code would meet', async () => {
    const report = await checkOn(fake, { ...FROM_OWN_SENDER, TWILIO_WHATSAPP_FROM: '+15005550009' });
    expect(report.verdict('whatsapp sender')).toEqual(
      failed(
        'whatsapp sender',
        '+1500***0009 is not a WhatsApp sender of this account: Twilio refuses every WhatsApp code from it (63007), and each goes by SMS.',
        'Set TWILIO_WHATSAPP_FROM to a number listed in Twilio Console > Messaging > Senders > WhatsApp senders, or register this one there.',
      ),
    );
    expect(report.ok).toBe(false);
  });

  it('a sender taken offline fails, with why Twilio says it is', async () => {
    fake.whatsapp.sender(WHATSAPP_SENDER, { status: 'OFFLINE', offlineReason: { code: '63112', message: 'The WhatsApp Business Account was disabled by Meta.' } });
    const report = await checkOn(fake, FROM_OWN_SENDER);
    expect(report.verdict('whatsapp sender')).toMatchObject({
      outcome: 'failed',
      detail: '+1500***0006 is a WhatsApp sender of this account, but OFFLINE (The WhatsApp Business Account was disabled by Meta): Twilio refuses every WhatsApp code from it (63007) until it is online.',
      fix: expect.stringMatching(/^Open it in Twilio Console > Messaging > Senders > WhatsApp senders to see why it is offline/),
    });
  });

  it.each(['CREATING', 'PENDING_VERIFICATION', 'VERIFYING', 'STUBBED'] as const)('a sender still %s fails, with its registration to finish', async (status) => {
    fake.whatsapp.sender(WHATSAPP_SENDER, { status });
    const report = await checkOn(fake, FROM_OWN_SENDER);
    expect(report.verdict('whatsapp sender')).toMatchObject({
      outcome: 'failed',
      detail: `+1500***0006 is a WhatsApp sender of this account, but ${status}: Twilio refuses every WhatsApp code from it (63007) until it is online.`,
      fix: 'Finish its registration in Twilio Console > Messaging > Senders > WhatsApp senders; until it is online, codes go by SMS.',
    });
  });

  it('a sender online while its profile is updated passes', async () => {
    fake.whatsapp.sender(WHATSAPP_SENDER, { status: 'ONLINE:UPDATING' });
    expect((await checkOn(fake, FROM_OWN_SENDER)).verdict('whatsapp sender').outcome).toBe('passed');
  });

  it('the failure the check foretells is the one the sender meets: the fake refuses a code from an offline sender with 63007', async () => {
    fake.whatsapp.sender(WHATSAPP_SENDER, { status: 'OFFLINE' });
    const answer = fake.messages.create({ To: 'whatsapp:+5511987654321', From: WHATSAPP_SENDER, ContentSid: CONTENT_SID, ContentVariables: '{"1":"123456"}' });
    expect(answer).toMatchObject({ status: 400, body: { code: 63007 } });
  });

  it('is not configured without WHATSAPP_COUNTRIES, and left to their lines when the sender is a Messaging Service\'s or Verify\'s', async () => {
    expect((await checkOn(fake, SECRETS)).verdict('whatsapp sender')).toEqual(notConfigured('whatsapp sender', 'WHATSAPP_COUNTRIES is not set.'));
    expect((await checkOn(fake, ALL_BUT_VERIFY)).verdict('whatsapp sender')).toMatchObject({ outcome: 'not configured', detail: expect.stringContaining('see the messaging service line') });
    expect((await checkOn(fake, THROUGH_VERIFY)).verdict('whatsapp sender')).toMatchObject({ outcome: 'not configured', detail: expect.stringContaining('see the verify line') });
    expect(fake.requests.some((request) => request.path.startsWith('/v2/Channels/Senders'))).toBe(false);
  });
});

describe('the WhatsApp template', () => {
  let fake: FakeTwilio;
  useCheckFake((started) => (fake = started));
  beforeEach(() => healthyAccount(fake));

  it('an authentication template WhatsApp approved passes, read from the Content API and its approval', async () => {
    const report = await checkOn(fake, ALL_BUT_VERIFY);
    expect(report.verdict('whatsapp template')).toEqual(passed('whatsapp template', 'auth0_code (HX…cdef) is an authentication template WhatsApp approved.'));
    expect(fake.requests.filter((request) => request.host === 'content.twilio.com').map((request) => request.path)).toEqual([`/v1/Content/${CONTENT_SID}`, `/v1/Content/${CONTENT_SID}/ApprovalRequests`]);
  });

  it.each([
    ['pending', undefined, /^WhatsApp has not approved auth0_code \(HX…cdef\): its status is pending; every WhatsApp code fails until it is\.$/, /^Wait for WhatsApp's review/],
    ['rejected', 'Promotional content', /its status is rejected \(Promotional content\)/, /create a template of the Authentication type/],
    ['unsubmitted', undefined, /its status is unsubmitted/, /submit it for WhatsApp approval, in the Authentication category/],
  ] as const)('a template %s by WhatsApp fails, with what to do next', async (approval, rejectionReason, detail, fix) => {
    fake.inventory.content(CONTENT_SID, { approval, ...(rejectionReason === undefined ? {} : { rejectionReason }) });
    const report = await checkOn(fake, ALL_BUT_VERIFY);
    expect(report.verdict('whatsapp template')).toMatchObject({ outcome: 'failed', detail: expect.stringMatching(detail), fix: expect.stringMatching(fix) });
  });

  it('a template that is not of the authentication kind fails before its approval is read', async () => {
    fake.inventory.content(CONTENT_SID, { kind: 'twilio/text', friendlyName: 'hello' });
    const report = await checkOn(fake, ALL_BUT_VERIFY);
    expect(report.verdict('whatsapp template')).toMatchObject({ outcome: 'failed', detail: 'hello (HX…cdef) is a twilio/text template, not an authentication one: WhatsApp carries one-time codes only in authentication templates.' });
    expect(fake.requests.some((request) => request.path.endsWith('/ApprovalRequests'))).toBe(false);
  });

  it('a template approved in another category fails', async () => {
    fake.inventory.content(CONTENT_SID, { category: 'UTILITY' });
    expect((await checkOn(fake, ALL_BUT_VERIFY)).verdict('whatsapp template')).toMatchObject({ outcome: 'failed', detail: 'WhatsApp approved auth0_code (HX…cdef) in the UTILITY category, not AUTHENTICATION.' });
  });

  it('a template the account does not have fails with 20404', async () => {
    fake.reset();
    fake.inventory.number(SECRETS.TWILIO_PHONE_NUMBER);
    const report = await checkOn(fake, { ...SECRETS, WHATSAPP_COUNTRIES: '*', TWILIO_WHATSAPP_FROM: SECRETS.TWILIO_PHONE_NUMBER, TWILIO_WHATSAPP_CONTENT_SID: CONTENT_SID });
    expect(report.verdict('whatsapp template')).toMatchObject({ outcome: 'failed', detail: 'HX…cdef is not a Content template of this account (20404).', fix: expect.stringContaining('Content Template Builder') });
  });

  it('is not configured without WHATSAPP_COUNTRIES, and left to the verify line when WhatsApp goes through Verify', async () => {
    expect((await checkOn(fake, SECRETS)).verdict('whatsapp template')).toEqual(notConfigured('whatsapp template', 'WHATSAPP_COUNTRIES is not set.'));
    expect((await checkOn(fake, THROUGH_VERIFY)).verdict('whatsapp template')).toMatchObject({ outcome: 'not configured', detail: expect.stringContaining('go through Verify') });
  });
});

describe('the voice permissions of the countries calls can go to', () => {
  let fake: FakeTwilio;
  useCheckFake((started) => (fake = started));
  beforeEach(() => healthyAccount(fake));

  it('each country of ALLOWED_COUNTRIES is read once, and passes when calls there are permitted', async () => {
    const report = await checkOn(fake, { ...ALL_BUT_VERIFY, WHATSAPP_COUNTRIES: 'BR,US' });
    expect(report.verdict('voice countries')).toEqual(passed('voice countries', 'calls are permitted to BR, CA, US.'));
    expect(fake.requests.filter((request) => request.host === 'voice.twilio.com').map((request) => request.path)).toEqual(['BR', 'CA', 'US'].map((country) => `/v1/DialingPermissions/Countries/${country}`));
  });

  it('a country without voice permission fails, named, with where to permit it', async () => {
    fake.inventory.denyVoice('BR').denyVoice('CA');
    const report = await checkOn(fake, ALL_BUT_VERIFY);
    expect(report.verdict('voice countries')).toEqual(failed('voice countries', 'calls to BR (Brazil), CA (Canada) are not permitted: a call there fails with 21408.', 'Twilio Console > Voice > Settings > Geo permissions: tick them (low-risk numbers) and save, or remove them from ALLOWED_COUNTRIES.'));
  });

  it('WHATSAPP_COUNTRIES alone asks for no voice permission: a WhatsApp country gets calls as any other does, and without ALLOWED_COUNTRIES calls may go anywhere', async () => {
    fake.inventory.denyVoice('BR');
    const { ALLOWED_COUNTRIES: _unset, ...whatsappOnly } = ALL_BUT_VERIFY;
    const report = await checkOn(fake, whatsappOnly);
    expect(report.verdict('voice countries')).toEqual(notConfigured('voice countries', 'ALLOWED_COUNTRIES lists no countries: calls may go to any country that Twilio Console > Voice > Settings > Geo permissions allows.'));
    expect(fake.requests.some((request) => request.host === 'voice.twilio.com')).toBe(false);
    expect(report.ok).toBe(true);
  });

  it('is not configured when no call comes from TWILIO_PHONE_NUMBER', async () => {
    const { TWILIO_PHONE_NUMBER: _unset, ...throughVerifyOnly } = THROUGH_VERIFY;
    expect((await checkOn(fake, { ...throughVerifyOnly, ALLOWED_COUNTRIES: 'US' })).verdict('voice countries')).toMatchObject({ outcome: 'not configured', detail: expect.stringContaining('calls go through Verify') });
  });
});
