import type { FakeTwilio } from '../../tools/fake-twilio/server';
import { failed, notConfigured, passed } from '../../tools/check/verdict';
import { MESSAGING_SERVICE_SID, SECRETS, VERIFY_SID } from '../fixtures/values';
import { ALL_BUT_VERIFY, checkOn, healthyAccount, THROUGH_VERIFY, useCheckFake, WHATSAPP_SENDER } from './harness';

/** The lines of `npm run check` for who sends: TWILIO_PHONE_NUMBER, the Messaging Service, the Verify service. */

describe('the senders', () => {
  let fake: FakeTwilio;
  useCheckFake((started) => (fake = started));
  beforeEach(() => healthyAccount(fake));

  describe('TWILIO_PHONE_NUMBER', () => {
    it('a number of the account with SMS and voice passes, found by one filtered read', async () => {
      const report = await checkOn(fake, SECRETS);
      expect(report.verdict('phone number')).toEqual(passed('phone number', '+1500***0006 is a number of this account, with SMS and voice (SMS and calls come from it).'));
      expect(fake.requests.map((request) => request.path)).toContain(`/2010-04-01/Accounts/${SECRETS.TWILIO_ACCOUNT_SID}/IncomingPhoneNumbers.json?PhoneNumber=%2B15005550006&PageSize=1`);
    });

    it('a number the account does not have fails, with where to find its numbers', async () => {
      const report = await checkOn(fake, { ...SECRETS, TWILIO_PHONE_NUMBER: '+15005550009' });
      expect(report.verdict('phone number')).toMatchObject({ outcome: 'failed', detail: '+1500***0009 is not a number of this account.', fix: expect.stringContaining('Phone Numbers > Manage > Active numbers') });
    });

    it('a number without voice fails: calls come from it', async () => {
      fake.inventory.number(SECRETS.TWILIO_PHONE_NUMBER, { voice: false });
      const report = await checkOn(fake, SECRETS);
      expect(report.verdict('phone number')).toMatchObject({ outcome: 'failed', detail: '+1500***0006 has no voice capability, and SMS are sent and calls are placed from it.', fix: expect.stringContaining('Choose a number with voice') });
    });

    it('a number without SMS fails while it sends the SMS, and passes once a Messaging Service sends them', async () => {
      fake.inventory.number(SECRETS.TWILIO_PHONE_NUMBER, { sms: false });
      expect((await checkOn(fake, SECRETS)).verdict('phone number')).toMatchObject({ outcome: 'failed', fix: expect.stringContaining('or send SMS through a Messaging Service (TWILIO_MESSAGING_SERVICE_SID)') });
      expect((await checkOn(fake, { ...SECRETS, TWILIO_MESSAGING_SERVICE_SID: MESSAGING_SERVICE_SID })).verdict('phone number')).toMatchObject({ outcome: 'passed', detail: expect.stringContaining('with voice (calls come from it)') });
    });

    it('is not configured when not set', async () => {
      const { TWILIO_PHONE_NUMBER: _unset, ...withoutNumber } = SECRETS;
      const report = await checkOn(fake, { ...withoutNumber, TWILIO_VERIFY_SID: VERIFY_SID });
      expect(report.verdict('phone number')).toEqual(notConfigured('phone number', 'TWILIO_PHONE_NUMBER is not set.'));
    });
  });

  describe('TWILIO_MESSAGING_SERVICE_SID', () => {
    it('a service with a number in its pool, and the WhatsApp sender WhatsApp codes go through, passes', async () => {
      const report = await checkOn(fake, ALL_BUT_VERIFY);
      expect(report.verdict('messaging service')).toEqual(passed('messaging service', 'Auth0 codes (MG…cdef) has a phone number in its Sender Pool, and a WhatsApp sender.'));
    });

    it('a service the account does not have fails with 20404 and where to copy the SID from', async () => {
      fake.reset();
      fake.inventory.number(SECRETS.TWILIO_PHONE_NUMBER);
      const report = await checkOn(fake, { ...SECRETS, TWILIO_MESSAGING_SERVICE_SID: MESSAGING_SERVICE_SID });
      expect(report.verdict('messaging service')).toMatchObject({ outcome: 'failed', detail: 'MG…cdef is not a Messaging Service of this account (20404).', fix: expect.stringContaining('Twilio Console > Messaging > Services') });
    });

    it('a short code or an alphanumeric sender is a sender too; each pool is read until one has one', async () => {
      fake.inventory.messagingService(MESSAGING_SERVICE_SID, { alphaSenders: ['Acme'] });
      const report = await checkOn(fake, { ...SECRETS, TWILIO_MESSAGING_SERVICE_SID: MESSAGING_SERVICE_SID });
      expect(report.verdict('messaging service')).toMatchObject({ outcome: 'passed', detail: expect.stringContaining('has an alphanumeric sender in its Sender Pool') });
      expect(fake.requests.map((request) => request.path.split('/').pop())).toEqual(expect.arrayContaining(['PhoneNumbers?PageSize=1', 'ShortCodes?PageSize=1', 'AlphaSenders?PageSize=1']));
    });

    it('an empty Sender Pool, and no WhatsApp sender where WhatsApp goes through it: one failure naming both, and where to add them', async () => {
      fake.inventory.messagingService(MESSAGING_SERVICE_SID, { friendlyName: 'Login codes' });
      fake.whatsapp.clear();
      const report = await checkOn(fake, ALL_BUT_VERIFY);
      expect(report.verdict('messaging service')).toEqual(failed('messaging service', 'Login codes (MG…cdef) has no sender in its Sender Pool, so it cannot send SMS; it has no WhatsApp sender in its Sender Pool, and WhatsApp codes go through it (TWILIO_WHATSAPP_FROM is not set).', 'Twilio Console > Messaging > Services > Login codes > Sender Pool > Add Senders: add a phone number (or a short code, or an alphanumeric sender) and a WhatsApp sender.'));
    });

    it('a read that gets no answer fails; outside us1 the fix points at the products Twilio serves in the region', async () => {
      const passThrough = { kind: 'delay', ms: 0 } as const;
      // The account and the number are read; the connection of the service's read drops.
      fake.script(passThrough, passThrough, { kind: 'reset' });
      const inDublin = await checkOn(fake, { ...SECRETS, TWILIO_MESSAGING_SERVICE_SID: MESSAGING_SERVICE_SID, TWILIO_REGION: 'ie1' });
      expect(inDublin.verdict('messaging service')).toEqual(failed('messaging service', 'MG…cdef could not be read: no answer (ECONNRESET).', 'Check that Twilio serves this product in region ie1 (Twilio\'s "Regional product availability"): regions are isolated, and the sender reaches it there too; else run the check again.'));
      expect(fake.requests.map((request) => request.host)).toEqual(['api.dublin.ie1.twilio.com', 'api.dublin.ie1.twilio.com', 'messaging.dublin.ie1.twilio.com']);

      fake.reset();
      healthyAccount(fake);
      fake.script(passThrough, passThrough, { kind: 'http-status', status: 503 });
      const inUs1 = await checkOn(fake, { ...SECRETS, TWILIO_MESSAGING_SERVICE_SID: MESSAGING_SERVICE_SID });
      expect(inUs1.verdict('messaging service')).toEqual(failed('messaging service', 'MG…cdef could not be read: HTTP 503, error 20503: Service Unavailable.', 'Run the check again; if it fails the same way, see status.twilio.com.'));
    });

    it('with TWILIO_WHATSAPP_FROM the pool needs no WhatsApp sender, and its channel senders are not read', async () => {
      fake.whatsapp.clear();
      const report = await checkOn(fake, { ...ALL_BUT_VERIFY, TWILIO_WHATSAPP_FROM: WHATSAPP_SENDER });
      expect(report.verdict('messaging service')).toMatchObject({ outcome: 'passed', detail: 'Auth0 codes (MG…cdef) has a phone number in its Sender Pool.' });
      expect(fake.requests.some((request) => request.path.includes('ChannelSenders'))).toBe(false);
    });
  });

  describe('TWILIO_VERIFY_SID', () => {
    it('a service that takes custom codes, with a WhatsApp sender where WhatsApp goes through it, passes', async () => {
      const report = await checkOn(fake, THROUGH_VERIFY);
      expect(report.verdict('verify')).toEqual(passed('verify', "Auth0 MFA (VA…cdef) accepts Auth0's codes as custom codes, and has a WhatsApp sender."));
      expect(fake.requests.find((request) => request.path === `/v2/Services/${VERIFY_SID}`)?.host).toBe('verify.twilio.com');
    });

    it('a service without custom codes fails with where to enable them', async () => {
      fake.inventory.verifyService(VERIFY_SID, { friendlyName: 'Acme login', customCodeEnabled: false });
      const report = await checkOn(fake, { ...SECRETS, TWILIO_VERIFY_SID: VERIFY_SID });
      expect(report.verdict('verify')).toEqual(failed('verify', 'Acme login (VA…cdef) does not accept custom codes, so it refuses every code Auth0 hands it (60204).', 'Twilio Console > Verify > Services > Acme login > General > Enable Custom Verification Code (if the setting is missing, ask Twilio Support to enable custom codes on the account).'));
    });

    it('a service without a WhatsApp sender fails when WhatsApp goes through Verify', async () => {
      fake.whatsapp.verify(VERIFY_SID, 'not-configured');
      const report = await checkOn(fake, THROUGH_VERIFY);
      expect(report.verdict('verify')).toMatchObject({ outcome: 'failed', detail: expect.stringContaining('has no WhatsApp sender, and WHATSAPP_COUNTRIES sends codes on WhatsApp through it (68008)'), fix: expect.stringContaining('> WhatsApp: choose a WhatsApp sender') });
    });

    it('a service the account does not have fails with 20404', async () => {
      const report = await checkOn(fake, { ...SECRETS, TWILIO_VERIFY_SID: 'VAfeedfacefeedfacefeedfacefeedface' });
      expect(report.verdict('verify')).toMatchObject({ outcome: 'failed', detail: 'VA…face is not a Verify service of this account (20404).', fix: expect.stringContaining('Twilio Console > Verify > Services') });
    });
  });
});
