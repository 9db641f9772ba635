import type { FakeTwilio } from '../../tools/fake-twilio/server';
import { failed, passed, skipped } from '../../tools/check/verdict';
import { SECRETS } from '../fixtures/values';
import { ALL_BUT_VERIFY, checkOn, CONTENT_SID, healthyAccount, THROUGH_VERIFY, useCheckFake } from './harness';

/** The lines of `npm run check` for WhatsApp's template and the voice permissions of the listed countries. */

describe('the WhatsApp template', () => {
  let fake: FakeTwilio;
  useCheckFake((started) => (fake = started));
  beforeEach(() => healthyAccount(fake));

  it('an authentication template WhatsApp approved passes, read from the Content API and its approval', async () => {
    const report = await checkOn(fake, ALL_BUT_VERIFY);
    expect(report.verdict('whatsapp')).toEqual(passed('whatsapp', 'auth0_code (HX…cdef) is an authentication template WhatsApp approved.'));
    expect(fake.requests.filter((request) => request.host === 'content.twilio.com').map((request) => request.path)).toEqual([`/v1/Content/${CONTENT_SID}`, `/v1/Content/${CONTENT_SID}/ApprovalRequests`]);
  });

  it.each([
    ['pending', undefined, /^WhatsApp has not approved auth0_code \(HX…cdef\): its status is pending; every WhatsApp code fails until it is\.$/, /^Wait for WhatsApp's review/],
    ['rejected', 'Promotional content', /its status is rejected \(Promotional content\)/, /create a template of the Authentication type/],
    ['unsubmitted', undefined, /its status is unsubmitted/, /submit it for WhatsApp approval, in the Authentication category/],
  ] as const)('a template %s by WhatsApp fails, with what to do next', async (approval, rejectionReason, detail, fix) => {
    fake.inventory.content(CONTENT_SID, { approval, ...(rejectionReason === undefined ? {} : { rejectionReason }) });
    const report = await checkOn(fake, ALL_BUT_VERIFY);
    expect(report.verdict('whatsapp')).toMatchObject({ outcome: 'failed', detail: expect.stringMatching(detail), fix: expect.stringMatching(fix) });
  });

  it('a template that is not of the authentication kind fails before its approval is read', async () => {
    fake.inventory.content(CONTENT_SID, { kind: 'twilio/text', friendlyName: 'hello' });
    const report = await checkOn(fake, ALL_BUT_VERIFY);
    expect(report.verdict('whatsapp')).toMatchObject({ outcome: 'failed', detail: 'hello (HX…cdef) is a twilio/text template, not an authentication one: WhatsApp carries one-time codes only in authentication templates.' });
    expect(fake.requests.some((request) => request.path.endsWith('/ApprovalRequests'))).toBe(false);
  });

  it('a template approved in another category fails', async () => {
    fake.inventory.content(CONTENT_SID, { category: 'UTILITY' });
    expect((await checkOn(fake, ALL_BUT_VERIFY)).verdict('whatsapp')).toMatchObject({ outcome: 'failed', detail: 'WhatsApp approved auth0_code (HX…cdef) in the UTILITY category, not AUTHENTICATION.' });
  });

  it('a template the account does not have fails with 20404', async () => {
    fake.reset();
    fake.inventory.number(SECRETS.TWILIO_PHONE_NUMBER);
    const report = await checkOn(fake, { ...SECRETS, WHATSAPP_COUNTRIES: '*', TWILIO_WHATSAPP_FROM: SECRETS.TWILIO_PHONE_NUMBER, TWILIO_WHATSAPP_CONTENT_SID: CONTENT_SID });
    expect(report.verdict('whatsapp')).toMatchObject({ outcome: 'failed', detail: 'HX…cdef is not a Content template of this account (20404).', fix: expect.stringContaining('Content Template Builder') });
  });

  it('is skipped without WHATSAPP_COUNTRIES, and left to the verify line when WhatsApp goes through Verify', async () => {
    expect((await checkOn(fake, SECRETS)).verdict('whatsapp')).toEqual(skipped('whatsapp', 'WHATSAPP_COUNTRIES is not set.'));
    expect((await checkOn(fake, THROUGH_VERIFY)).verdict('whatsapp')).toMatchObject({ outcome: 'skipped', detail: expect.stringContaining('go through Verify') });
  });
});

describe('the voice permissions of the listed countries', () => {
  let fake: FakeTwilio;
  useCheckFake((started) => (fake = started));
  beforeEach(() => healthyAccount(fake));

  it('each country of ALLOWED_COUNTRIES and WHATSAPP_COUNTRIES is read once, and passes when calls there are permitted', async () => {
    const report = await checkOn(fake, { ...ALL_BUT_VERIFY, WHATSAPP_COUNTRIES: 'BR,US' });
    expect(report.verdict('voice countries')).toEqual(passed('voice countries', 'calls are permitted to BR, CA, US.'));
    expect(fake.requests.filter((request) => request.host === 'voice.twilio.com').map((request) => request.path)).toEqual(['BR', 'CA', 'US'].map((country) => `/v1/DialingPermissions/Countries/${country}`));
  });

  it('a country without voice permission fails, named, with where to permit it', async () => {
    fake.inventory.denyVoice('BR').denyVoice('CA');
    const report = await checkOn(fake, ALL_BUT_VERIFY);
    expect(report.verdict('voice countries')).toEqual(failed('voice countries', 'calls to BR (Brazil), CA (Canada) are not permitted: a call there fails with 21408.', 'Twilio Console > Voice > Settings > Geo permissions: tick them (low-risk numbers) and save, or remove them from the list.'));
  });

  it('is skipped when no country is listed, and when no call comes from TWILIO_PHONE_NUMBER', async () => {
    expect((await checkOn(fake, SECRETS)).verdict('voice countries')).toMatchObject({ outcome: 'skipped', detail: expect.stringMatching(/^neither ALLOWED_COUNTRIES nor WHATSAPP_COUNTRIES lists countries/) });
    const { TWILIO_PHONE_NUMBER: _unset, ...throughVerifyOnly } = THROUGH_VERIFY;
    expect((await checkOn(fake, { ...throughVerifyOnly, ALLOWED_COUNTRIES: 'US' })).verdict('voice countries')).toMatchObject({ outcome: 'skipped', detail: expect.stringContaining('calls go through Verify') });
  });
});
