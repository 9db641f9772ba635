import type { FakeTwilio } from '../../tools/fake-twilio/server';
import { senderClient, TWILIO_MAJORS } from '../helpers/fake-twilio';
import { CODE, MESSAGING_SERVICE_SID, RECIPIENT, SECRETS, VERIFY_SID } from '../fixtures/values';
import { ACCOUNT_PATH, form, rawRequest, useFake } from './harness';

/**
 * Twilio's own fraud blocks as the real service reports them: SMS Pumping Protection accepts
 * the message and fails it afterwards (tools/fake-twilio/pumping-protection.ts), Verify Fraud
 * Guard refuses the verification at the create (tools/fake-twilio/fraud-guard.ts).
 */

/** A number of an international premium range, where SMS pumping goes. */
const PUMPED = '+88234567890';
const FROM = SECRETS.TWILIO_PHONE_NUMBER;

describe("Twilio's fraud blocks", () => {
  let fake: FakeTwilio;
  useFake((started) => (fake = started));
  afterEach(() => expect(fake.contractViolations).toEqual([]));

  const client = (twilioPackage = 'twilio') => senderClient(twilioPackage, SECRETS.TWILIO_ACCOUNT_SID, SECRETS.TWILIO_AUTH_TOKEN);

  describe.each(TWILIO_MAJORS)('through the real %s', (twilioPackage) => {
    it('SMS Pumping Protection accepts the message (201, queued), and its next read shows it failed with 30450, or 30453', async () => {
      fake.pumpingProtection.block('+882', 30450).block('+4477', 30453);
      const blocked = await client(twilioPackage).messages.create({ to: PUMPED, from: FROM, body: `Your code is ${CODE}` });
      const other = await client(twilioPackage).messages.create({ to: '+447712345678', from: FROM, body: `Your code is ${CODE}` });
      const free = await client(twilioPackage).messages.create({ to: RECIPIENT, from: FROM, body: `Your code is ${CODE}` });
      expect([blocked.status, other.status, free.status]).toEqual(['queued', 'queued', 'queued']);
      expect(fake.requests.map((request) => request.outcome)).toEqual([201, 201, 201]);
      expect(await client(twilioPackage).messages(blocked.sid).fetch()).toMatchObject({ status: 'failed', errorCode: 30450, errorMessage: 'Message delivery blocked' });
      expect(await client(twilioPackage).messages(other.sid).fetch()).toMatchObject({ status: 'failed', errorCode: 30453, errorMessage: "Message couldn't be delivered" });
      expect(await client(twilioPackage).messages(free.sid).fetch()).toMatchObject({ status: 'sent', errorCode: null });
    });

    it('Verify Fraud Guard refuses an SMS verification under a blocked prefix with 60410 (403), naming neither number nor code; another prefix is accepted', async () => {
      fake.fraudGuard.blockPrefix('+882');
      const verify = (to: string) => client(twilioPackage).verify.v2.services(VERIFY_SID).verifications.create({ to, channel: 'sms', customCode: CODE });
      // The whole message: it repeats neither the number nor the code.
      await expect(verify(PUMPED)).rejects.toMatchObject({ status: 403, code: 60410, message: 'Verification delivery attempt blocked' });
      expect(fake.requests.map((request) => [request.host, request.outcome, request.answer])).toEqual([['verify.twilio.com', 403, { code: 60410 }]]);
      await expect(verify(RECIPIENT)).resolves.toMatchObject({ status: 'pending', to: RECIPIENT, channel: 'sms' });
    });
  });

  describe('SMS Pumping Protection', () => {
    it('RiskCheck=disable on the create (a parameter of the Messages create in the description) skips it', async () => {
      fake.pumpingProtection.block(PUMPED);
      const skipped = await client().messages.create({ to: PUMPED, from: FROM, body: `Your code is ${CODE}`, riskCheck: 'disable' });
      const raw = await rawRequest(fake, 'POST', `${ACCOUNT_PATH}/Messages.json`, { form: form(['To', PUMPED], ['From', FROM], ['Body', 'hi'], ['RiskCheck', 'disable']) });
      const checked = await client().messages.create({ to: PUMPED, from: FROM, body: `Your code is ${CODE}`, riskCheck: 'enable' });
      expect(fake.requests.map((request) => request.form.RiskCheck)).toEqual(['disable', 'disable', 'enable']);
      expect((await client().messages(skipped.sid).fetch()).status).toBe('sent');
      expect((await client().messages(String(raw.body.sid)).fetch()).status).toBe('sent');
      expect(await client().messages(checked.sid).fetch()).toMatchObject({ status: 'failed', errorCode: 30450 });
    });

    it('through a Messaging Service: accepted, then failed; a number blocked with its own code within a blocked range keeps its code', async () => {
      fake.pumpingProtection.block('+882').block(PUMPED, 30453);
      const created = await client().messages.create({ to: PUMPED, messagingServiceSid: MESSAGING_SERVICE_SID, body: `Your code is ${CODE}` });
      const neighbour = await client().messages.create({ to: '+88234567891', messagingServiceSid: MESSAGING_SERVICE_SID, body: `Your code is ${CODE}` });
      expect([created.status, neighbour.status]).toEqual(['accepted', 'accepted']);
      expect(await client().messages(created.sid).fetch()).toMatchObject({ status: 'failed', errorCode: 30453 });
      expect(await client().messages(neighbour.sid).fetch()).toMatchObject({ status: 'failed', errorCode: 30450 });
    });

    it('wins over a status script; leaves WhatsApp alone; is forgotten by reset()', async () => {
      fake.messages.statuses(PUMPED, ['sent', 'delivered']);
      fake.pumpingProtection.block(PUMPED);
      fake.whatsapp.sender(`whatsapp:${FROM}`).recipient(PUMPED);
      const sms = await client().messages.create({ to: PUMPED, from: FROM, body: `Your code is ${CODE}` });
      const whatsapp = await client().messages.create({ to: `whatsapp:${PUMPED}`, from: `whatsapp:${FROM}`, contentSid: 'HX0123456789abcdef0123456789abcdef', contentVariables: JSON.stringify({ 1: CODE }) });
      expect((await client().messages(sms.sid).fetch()).errorCode).toBe(30450);
      expect((await client().messages(whatsapp.sid).fetch()).status).toBe('sent');
      fake.reset();
      const after = await client().messages.create({ to: PUMPED, from: FROM, body: `Your code is ${CODE}` });
      expect((await client().messages(after.sid).fetch()).status).toBe('sent');
    });

    it('takes a + and digits only', () => {
      expect(() => fake.pumpingProtection.block('882')).toThrow(/not a \+ and digits/);
    });
  });

  describe('Verify Fraud Guard', () => {
    const verify = (to: string, extra: { channel?: string; riskCheck?: 'enable' | 'disable' } = {}) =>
      client().verify.v2.services(VERIFY_SID).verifications.create({ to, channel: extra.channel ?? 'sms', customCode: CODE, ...(extra.riskCheck === undefined ? {} : { riskCheck: extra.riskCheck }) });

    it('guards the SMS channel only: a call to the same number is accepted', async () => {
      fake.fraudGuard.blockPrefix('+882');
      await expect(verify(PUMPED)).rejects.toMatchObject({ status: 403, code: 60410 });
      await expect(verify(PUMPED, { channel: 'call' })).resolves.toMatchObject({ status: 'pending', channel: 'call' });
    });

    it('RiskCheck=disable skips it, RiskCheck=enable does not', async () => {
      fake.fraudGuard.blockPrefix(PUMPED);
      await expect(verify(PUMPED, { riskCheck: 'enable' })).rejects.toMatchObject({ code: 60410 });
      await expect(verify(PUMPED, { riskCheck: 'disable' })).resolves.toMatchObject({ status: 'pending' });
    });

    it('is forgotten by reset(), and takes a + and digits only', async () => {
      fake.fraudGuard.blockPrefix('+882');
      fake.reset();
      await expect(verify(PUMPED)).resolves.toMatchObject({ status: 'pending' });
      expect(() => fake.fraudGuard.blockPrefix('882')).toThrow(/not a \+ and digits/);
    });
  });
});
