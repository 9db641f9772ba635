import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { responseSchema, type DescriptionSpec, type JsonSchema } from '../../tools/fake-twilio/description';
import type { FakeTwilio } from '../../tools/fake-twilio/server';
import { twilioPackage } from '../helpers/fake-twilio';
import { API_KEY, MESSAGING_SERVICE_SID, SECRETS, VERIFY_SID } from '../fixtures/values';
import { ACCOUNT_PATH, rawRequest } from '../fake-twilio/harness';
import { CONTENT_SID, healthyAccount, useCheckFake } from './harness';

/**
 * The reads of a preflight check, as the fake answers them: in the shapes of Twilio's API
 * description, with Twilio's 404 for what the account does not hold and 401 for credentials
 * that may not read it, through the real twilio library.
 */

const OTHER_KEY = { sid: 'SKfeedfacefeedfacefeedfacefeedface', secret: 'an0th3r-acc0unt-k3y-s3cr3t' };
const MAIN_KEY = { sid: 'SK00000000000000000000000000000a1a', secret: 'm41n-k3y-s3cr3t-0f-th3-acc0unt' };
const DUBLIN_KEY = { sid: 'SK0000000000000000000000000000d0b1', secret: 'dubl1n-k3y-s3cr3t-0f-th3-acc0unt' };

/** A Twilio error as the sender's transport (and the library) reports it. */
const refusal = (status: number, code: number) => expect.objectContaining({ status, code });

describe('the fake answers the reads of a preflight check as Twilio does', () => {
  let fake: FakeTwilio;
  useCheckFake((started) => (fake = started));
  const client = (username: string = SECRETS.TWILIO_ACCOUNT_SID, password: string = SECRETS.TWILIO_AUTH_TOKEN, options: { region?: string; edge?: string } = {}) =>
    twilioPackage('twilio')(username, password, { accountSid: SECRETS.TWILIO_ACCOUNT_SID, ...options });

  describe('in the shapes of the API description', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    // Twilio's own formats are names the description does not define; its "uri" fields hold paths (`/2010-04-01/…`), as Twilio's answers do.
    for (const format of ['date-time-rfc-2822', 'phone-number', 'uri-map', 'phone-number-capabilities', 'http-method', 'iso-country-code']) ajv.addFormat(format, true);
    ajv.addFormat('uri', /^(https:\/\/|\/)/);
    /**
     * The description's schema, with no property it does not name, so that a misspelt field
     * fails; OpenAPI's `nullable` alone (Verify's `push`, `totp`, `whatsapp`: any value) dropped,
     * as Ajv takes it only beside a `type`.
     */
    const closed = (schema: JsonSchema): JsonSchema => {
      const copy = Object.fromEntries(
        Object.entries(schema)
          .filter(([key]) => key !== 'nullable' || schema.type !== undefined)
          .map(([key, value]) => [key, value !== null && typeof value === 'object' && !Array.isArray(value) ? closed(value as JsonSchema) : value]),
      );
      return copy.properties !== undefined && copy.additionalProperties === undefined ? { ...copy, additionalProperties: false } : copy;
    };
    const expectDescribed = (spec: DescriptionSpec, template: string, body: unknown) => {
      const validate = ajv.compile(closed(responseSchema(spec, template, 'get', 200)));
      expect(validate(body) ? [] : validate.errors).toEqual([]);
    };

    it.each([
      ['the account', 'twilio_api_v2010', '/2010-04-01/Accounts/{Sid}.json', `${ACCOUNT_PATH}.json`],
      ['its numbers', 'twilio_api_v2010', '/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json', `${ACCOUNT_PATH}/IncomingPhoneNumbers.json?PageSize=1`],
      ['a Messaging Service', 'twilio_messaging_v1', '/v1/Services/{Sid}', `/v1/Services/${MESSAGING_SERVICE_SID}`],
      ['its phone numbers', 'twilio_messaging_v1', '/v1/Services/{ServiceSid}/PhoneNumbers', `/v1/Services/${MESSAGING_SERVICE_SID}/PhoneNumbers`],
      ['its short codes', 'twilio_messaging_v1', '/v1/Services/{ServiceSid}/ShortCodes', `/v1/Services/${MESSAGING_SERVICE_SID}/ShortCodes`],
      ['its alphanumeric senders', 'twilio_messaging_v1', '/v1/Services/{ServiceSid}/AlphaSenders', `/v1/Services/${MESSAGING_SERVICE_SID}/AlphaSenders`],
      ['its channel senders', 'twilio_messaging_v1', '/v1/Services/{MessagingServiceSid}/ChannelSenders', `/v1/Services/${MESSAGING_SERVICE_SID}/ChannelSenders`],
      ["the account's WhatsApp senders", 'twilio_messaging_v2', '/v2/Channels/Senders', '/v2/Channels/Senders?Channel=whatsapp'],
      ['a Verify service', 'twilio_verify_v2', '/v2/Services/{Sid}', `/v2/Services/${VERIFY_SID}`],
      ['a Content template', 'twilio_content_v1', '/v1/Content/{Sid}', `/v1/Content/${CONTENT_SID}`],
      ['its WhatsApp approval', 'twilio_content_v1', '/v1/Content/{Sid}/ApprovalRequests', `/v1/Content/${CONTENT_SID}/ApprovalRequests`],
      ['the dialing permissions of a country', 'twilio_voice_v1', '/v1/DialingPermissions/Countries/{IsoCode}', '/v1/DialingPermissions/Countries/GB'],
    ] as const)('%s', async (_what, spec, template, path) => {
      healthyAccount(fake);
      fake.inventory.messagingService(MESSAGING_SERVICE_SID, { phoneNumbers: ['+15005550007'], shortCodes: ['89757'], alphaSenders: ['Acme'] });
      fake.whatsapp.sender('+15005550009', { status: 'OFFLINE', offlineReason: { code: '63112', message: 'Disabled by Meta.' } });
      const answer = await rawRequest(fake, 'GET', path);
      expect(answer.status).toBe(200);
      expectDescribed(spec, template, answer.body);
    });
  });

  it('the account, with its status, its type and its auth token, as Twilio shows them to the token', async () => {
    fake.account.set({ type: 'Trial', friendlyName: 'Acme' });
    expect(await client().api.v2010.accounts(SECRETS.TWILIO_ACCOUNT_SID).fetch()).toMatchObject({ sid: SECRETS.TWILIO_ACCOUNT_SID, status: 'active', type: 'Trial', friendlyName: 'Acme', authToken: SECRETS.TWILIO_AUTH_TOKEN });
  });

  it("a number of the account by its PhoneNumber, with its capabilities; another number finds nothing", async () => {
    fake.inventory.number(SECRETS.TWILIO_PHONE_NUMBER, { voice: false });
    expect(await client().incomingPhoneNumbers.list({ phoneNumber: SECRETS.TWILIO_PHONE_NUMBER, limit: 1 })).toEqual([
      expect.objectContaining({ phoneNumber: SECRETS.TWILIO_PHONE_NUMBER, capabilities: { sms: true, voice: false, mms: true, fax: false } }),
    ]);
    expect(await client().incomingPhoneNumbers.list({ phoneNumber: '+15005550009', limit: 1 })).toEqual([]);
  });

  it('lists page by page, and the library follows the next page (v2010 by path, messaging v1 by URL)', async () => {
    const numbers = Array.from({ length: 5 }, (_, index) => `+1500555001${index}`);
    for (const number of numbers) fake.inventory.number(number);
    fake.inventory.messagingService(MESSAGING_SERVICE_SID, { phoneNumbers: numbers });
    const listed = await client().incomingPhoneNumbers.list({ pageSize: 2 });
    const pooled = await client().messaging.v1.services(MESSAGING_SERVICE_SID).phoneNumbers.list({ pageSize: 2 });
    expect(listed.map((number) => number.phoneNumber)).toEqual(numbers);
    expect(pooled.map((number) => number.phoneNumber)).toEqual(numbers);
    expect(fake.requests.map((request) => request.path.replace(/^.*\//, ''))).toEqual([
      'IncomingPhoneNumbers.json?PageSize=2',
      'IncomingPhoneNumbers.json?PageSize=2&Page=1&PageToken=PT1',
      'IncomingPhoneNumbers.json?PageSize=2&Page=2&PageToken=PT2',
      'PhoneNumbers?PageSize=2',
      'PhoneNumbers?PageSize=2&Page=1&PageToken=PT1',
      'PhoneNumbers?PageSize=2&Page=2&PageToken=PT2',
    ]);
  });

  it('a Messaging Service’s WhatsApp sender is the one its pool was given; a Verify service’s, the one of its WhatsApp channel', async () => {
    healthyAccount(fake);
    expect(await client().messaging.v1.services(MESSAGING_SERVICE_SID).channelSenders.list()).toEqual([expect.objectContaining({ sender: 'whatsapp:+15005550006', senderType: 'WhatsApp' })]);
    expect(await client().verify.v2.services(VERIFY_SID).fetch()).toMatchObject({ customCodeEnabled: true, whatsapp: { msg_service_sid: null, from: 'whatsapp:+15005550006' } });
    fake.whatsapp.verify(VERIFY_SID, 'not-configured');
    expect(await client().verify.v2.services(VERIFY_SID).fetch()).toMatchObject({ whatsapp: { msg_service_sid: null, from: null } });
  });

  it('the account’s WhatsApp senders through the Senders API, each with its status and why it is offline, on every page; another channel lists none', async () => {
    fake.whatsapp.sender('+15005550006').sender('whatsapp:+15005550009', { status: 'OFFLINE', offlineReason: { code: '63112', message: 'Disabled by Meta.' } }).sender('+15005550010', { status: 'VERIFYING' });
    const senders = await client().messaging.v2.channelsSenders.list({ channel: 'whatsapp', pageSize: 2 });
    expect(senders.map(({ senderId, status, offlineReasons }) => ({ senderId, status, offlineReasons }))).toEqual([
      { senderId: 'whatsapp:+15005550006', status: 'ONLINE', offlineReasons: null },
      { senderId: 'whatsapp:+15005550009', status: 'OFFLINE', offlineReasons: [expect.objectContaining({ code: '63112', message: 'Disabled by Meta.', moreInfo: 'https://www.twilio.com/docs/errors/63112' })] },
      { senderId: 'whatsapp:+15005550010', status: 'VERIFYING', offlineReasons: null },
    ]);
    expect(new Set(senders.map((sender) => sender.sid)).size).toBe(3);
    expect(await client().messaging.v2.channelsSenders.list({ channel: 'rcs' })).toEqual([]);
  });

  it('a template’s types and its WhatsApp approval: approved, or rejected with the reason', async () => {
    fake.inventory.content(CONTENT_SID, { kind: 'twilio/text', approval: 'rejected', category: 'MARKETING', rejectionReason: 'Promotional content' });
    const template = client().content.v1.contents(CONTENT_SID);
    expect(Object.keys((await template.fetch()).types as object)).toEqual(['twilio/text']);
    expect((await template.approvalFetch().fetch()).whatsapp).toMatchObject({ status: 'rejected', category: 'MARKETING', rejection_reason: 'Promotional content' });
  });

  it('allows calls to every country until a test denies one; a code that is no country is not found', async () => {
    fake.inventory.denyVoice('in');
    const country = (isoCode: string) => client().voice.v1.dialingPermissions.countries(isoCode).fetch();
    expect(await country('GB')).toMatchObject({ isoCode: 'GB', name: 'United Kingdom', countryCodes: ['+44'], lowRiskNumbersEnabled: true });
    expect(await country('IN')).toMatchObject({ name: 'India', lowRiskNumbersEnabled: false });
    await expect(country('ZZ')).rejects.toEqual(refusal(404, 20404));
  });

  it('answers 404 (20404) for a service, a template or a number path the account does not hold', async () => {
    await expect(client().messaging.v1.services(MESSAGING_SERVICE_SID).fetch()).rejects.toEqual(refusal(404, 20404));
    await expect(client().messaging.v1.services(MESSAGING_SERVICE_SID).phoneNumbers.list()).rejects.toEqual(refusal(404, 20404));
    await expect(client().verify.v2.services(VERIFY_SID).fetch()).rejects.toEqual(refusal(404, 20404));
    await expect(client().content.v1.contents(CONTENT_SID).fetch()).rejects.toEqual(refusal(404, 20404));
  });

  describe('who may read what', () => {
    it('wrong credentials: 401 (20003) for every read', async () => {
      await expect(client(SECRETS.TWILIO_ACCOUNT_SID, 'not-the-token').api.v2010.accounts(SECRETS.TWILIO_ACCOUNT_SID).fetch()).rejects.toEqual(refusal(401, 20003));
      await expect(client(API_KEY.TWILIO_API_KEY, 'not-the-secret').incomingPhoneNumbers.list()).rejects.toEqual(refusal(401, 20003));
    });

    it('a Standard key reads everything but the Account resource, which refuses it as Twilio does; a Main key reads it too', async () => {
      const standard = client(API_KEY.TWILIO_API_KEY, API_KEY.TWILIO_API_SECRET);
      await expect(standard.api.v2010.accounts(SECRETS.TWILIO_ACCOUNT_SID).fetch()).rejects.toEqual(expect.objectContaining({ status: 401, code: 20003, message: 'Authentication Error - invalid username' }));
      await expect(standard.incomingPhoneNumbers.list()).resolves.toEqual([]);
      fake.account.apiKey(MAIN_KEY.sid, MAIN_KEY.secret, { type: 'main' });
      await expect(client(MAIN_KEY.sid, MAIN_KEY.secret).api.v2010.accounts(SECRETS.TWILIO_ACCOUNT_SID).fetch()).resolves.toMatchObject({ status: 'active' });
    });

    it("a key of another account: refused (20003) where the path names this account, not found (20404) where the product looks in the key's own account", async () => {
      fake.account.apiKey(OTHER_KEY.sid, OTHER_KEY.secret, { type: 'main', ofAnotherAccount: true });
      healthyAccount(fake);
      const other = client(OTHER_KEY.sid, OTHER_KEY.secret);
      await expect(other.api.v2010.accounts(SECRETS.TWILIO_ACCOUNT_SID).fetch()).rejects.toEqual(refusal(401, 20003));
      await expect(other.incomingPhoneNumbers.list()).rejects.toEqual(refusal(401, 20003));
      await expect(other.verify.v2.services(VERIFY_SID).fetch()).rejects.toEqual(refusal(404, 20404));
    });

    it("a key created in a region works through that region's hosts only", async () => {
      fake.account.apiKey(DUBLIN_KEY.sid, DUBLIN_KEY.secret, { region: 'ie1' });
      await expect(client(DUBLIN_KEY.sid, DUBLIN_KEY.secret, { region: 'ie1', edge: 'dublin' }).incomingPhoneNumbers.list()).resolves.toEqual([]);
      await expect(client(DUBLIN_KEY.sid, DUBLIN_KEY.secret).incomingPhoneNumbers.list()).rejects.toEqual(refusal(401, 20003));
      expect(fake.requests.map((request) => [request.host, request.outcome])).toEqual([
        ['api.dublin.ie1.twilio.com', 200],
        ['api.twilio.com', 401],
      ]);
    });

    it('a suspended account shows its status on the Account resource and is refused everything else (20003)', async () => {
      fake.account.set({ status: 'suspended' });
      fake.inventory.number(SECRETS.TWILIO_PHONE_NUMBER);
      await expect(client().api.v2010.accounts(SECRETS.TWILIO_ACCOUNT_SID).fetch()).resolves.toMatchObject({ status: 'suspended' });
      await expect(client().incomingPhoneNumbers.list()).rejects.toEqual(refusal(401, 20003));
      await expect(client().messages.create({ to: '+15550105310', from: SECRETS.TWILIO_PHONE_NUMBER, body: 'hi' })).rejects.toEqual(refusal(401, 20003));
    });
  });

  it('forgets the account’s settings and inventory on reset', async () => {
    fake.account.set({ status: 'closed', type: 'Trial' }).apiKey(MAIN_KEY.sid, MAIN_KEY.secret, { type: 'main' });
    healthyAccount(fake);
    fake.reset();
    expect(await client().api.v2010.accounts(SECRETS.TWILIO_ACCOUNT_SID).fetch()).toMatchObject({ status: 'active', type: 'Full' });
    await expect(client(MAIN_KEY.sid, MAIN_KEY.secret).incomingPhoneNumbers.list()).rejects.toEqual(refusal(401, 20003));
    expect(await client().incomingPhoneNumbers.list()).toEqual([]);
  });
});
