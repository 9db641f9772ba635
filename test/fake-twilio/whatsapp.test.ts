import type { FakeTwilio } from '../../tools/fake-twilio/server';
import { senderClient, TWILIO_MAJORS } from '../helpers/fake-twilio';
import { CODE, MESSAGING_SERVICE_SID, RECIPIENT, SECRETS, VERIFY_SID } from '../fixtures/values';
import { ACCOUNT_PATH, form, rawRequest, useFake } from './harness';

const NUMBER = RECIPIENT;
const TO = `whatsapp:${NUMBER}`;
const SENDER = `whatsapp:${SECRETS.TWILIO_PHONE_NUMBER}`;
const CONTENT_SID = 'HX0123456789abcdef0123456789abcdef';
const VARIABLES = JSON.stringify({ 1: CODE });
/** What the sender sends for a code on WhatsApp. */
const TEMPLATE = { to: TO, from: SENDER, contentSid: CONTENT_SID, contentVariables: VARIABLES, validityPeriod: 300 };

/** A Twilio error as the library throws it, with its message or one that matches. */
const refusal = (status: number, code: number, message: string | RegExp = /./) =>
  expect.objectContaining({ status, code, message: typeof message === 'string' ? message : expect.stringMatching(message) });

describe('WhatsApp as Twilio reports it', () => {
  let fake: FakeTwilio;
  useFake((started) => (fake = started));
  afterEach(() => expect(fake.contractViolations).toEqual([]));

  const client = (twilioPackage = 'twilio') => senderClient(twilioPackage, SECRETS.TWILIO_ACCOUNT_SID, SECRETS.TWILIO_AUTH_TOKEN);
  const fetchStatuses = async (sid: string, fetches: number, twilioPackage = 'twilio') => {
    const seen: [string, number | null][] = [];
    for (let fetch = 0; fetch < fetches; fetch++) {
      const message = await client(twilioPackage).messages(sid).fetch();
      seen.push([message.status, message.errorCode]);
    }
    return seen;
  };

  describe.each(TWILIO_MAJORS)('through the real %s', (twilioPackage) => {
    it('a template to a number on WhatsApp is queued, then each read moves it on: sent, delivered, and delivered it stays', async () => {
      fake.whatsapp.sender(SENDER).recipient(NUMBER);
      const created = await client(twilioPackage).messages.create(TEMPLATE);
      expect(created).toMatchObject({ status: 'queued', to: TO, from: SENDER, errorCode: null, body: `${CODE} is your verification code. For your security, do not share this code.` });
      expect(await fetchStatuses(created.sid, 3, twilioPackage)).toEqual([
        ['sent', null],
        ['delivered', null],
        ['delivered', null],
      ]);
      expect(fake.requests.map((request) => [request.method, request.outcome])).toEqual([['POST', 201], ...Array.from({ length: 3 }, () => ['GET', 200])]);
    });

    it('a message to a number not on WhatsApp is accepted, then read back failed with 63003', async () => {
      fake.whatsapp.sender(SENDER);
      const created = await client(twilioPackage).messages.create(TEMPLATE);
      expect(created.status).toBe('queued');
      const fetched = await client(twilioPackage).messages(created.sid).fetch();
      expect(fetched).toMatchObject({ status: 'failed', errorCode: 63003, errorMessage: 'Channel could not find To address' });
    });

    it('Verify with Channel=whatsapp: 68008 on a service without WhatsApp, 60223 where the channel is off, a verification where it is on', async () => {
      const verify = () => client(twilioPackage).verify.v2.services(VERIFY_SID).verifications.create({ to: NUMBER, channel: 'whatsapp', customCode: CODE });
      await expect(verify()).rejects.toEqual(refusal(400, 68008, 'Verify WhatsApp channel not configured'));
      fake.whatsapp.verify(VERIFY_SID, 'disabled');
      await expect(verify()).rejects.toEqual(refusal(400, 60223, 'Delivery channel disabled: WHATSAPP'));
      fake.whatsapp.verify(VERIFY_SID, 'enabled');
      await expect(verify()).resolves.toMatchObject({ channel: 'whatsapp', status: 'pending', to: NUMBER });
    });
  });

  it('through a Messaging Service: accepted, then sent from the WhatsApp sender of its pool', async () => {
    fake.whatsapp.sender(SENDER, { messagingServiceSid: MESSAGING_SERVICE_SID }).recipient(NUMBER);
    const created = await client().messages.create({ to: TO, messagingServiceSid: MESSAGING_SERVICE_SID, contentSid: CONTENT_SID, contentVariables: VARIABLES, validityPeriod: 300 });
    expect(created).toMatchObject({ status: 'accepted', from: null, messagingServiceSid: MESSAGING_SERVICE_SID });
    expect(await client().messages(created.sid).fetch()).toMatchObject({ status: 'sent', from: SENDER });
  });

  it('a recipient’s script: read, or undelivered with 63024, one step a read', async () => {
    fake.whatsapp.sender(SENDER).recipient(NUMBER, { statuses: ['sent', 'delivered', 'read'] });
    fake.whatsapp.recipient('+15550105311', { statuses: [{ status: 'undelivered', errorCode: 63024 }] });
    const read = await client().messages.create(TEMPLATE);
    const invalid = await client().messages.create({ ...TEMPLATE, to: 'whatsapp:+15550105311' });
    expect(await fetchStatuses(read.sid, 4)).toEqual([
      ['sent', null],
      ['delivered', null],
      ['read', null],
      ['read', null],
    ]);
    expect(await client().messages(invalid.sid).fetch()).toMatchObject({ status: 'undelivered', errorCode: 63024, errorMessage: 'Invalid message recipient' });
  });

  it('a step with afterMs is not reached before that time since the create, however often it is read', async () => {
    // The fake's clock is Date.now; the test moves it on instead of waiting (a loaded machine may take any time between two reads).
    const realNow = Date.now.bind(Date);
    let aheadMs = 0;
    const clock = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + aheadMs);
    try {
      fake.whatsapp.sender(SENDER).recipient(NUMBER, { statuses: [{ status: 'sent', afterMs: 60_000 }, { status: 'delivered', afterMs: 3_600_000 }] });
      const created = await client().messages.create(TEMPLATE);
      const early = await fetchStatuses(created.sid, 2);
      aheadMs = 60_000;
      expect([...early, ...(await fetchStatuses(created.sid, 3))].map(([status]) => status)).toEqual(['queued', 'queued', 'sent', 'sent', 'sent']);
    } finally {
      clock.mockRestore();
    }
  });

  it('a free-form Body outside the 24-hour session fails with 63016 after the create; inside it, it is delivered', async () => {
    fake.whatsapp.sender(SENDER).recipient(NUMBER).recipient('+15550105311', { session: true });
    const outside = await client().messages.create({ to: TO, from: SENDER, body: `Your code is ${CODE}` });
    const inside = await client().messages.create({ to: 'whatsapp:+15550105311', from: SENDER, body: `Your code is ${CODE}` });
    expect([outside.status, inside.status]).toEqual(['queued', 'queued']);
    expect(await client().messages(outside.sid).fetch()).toMatchObject({ status: 'failed', errorCode: 63016, errorMessage: expect.stringMatching(/outside the allowed window/) });
    expect(await fetchStatuses(inside.sid, 2)).toEqual([
      ['sent', null],
      ['delivered', null],
    ]);
  });

  it('renders a template it was given with its variables', async () => {
    fake.whatsapp.sender(SENDER).recipient(NUMBER).template(CONTENT_SID, 'Your {{2}} code is {{1}}.');
    const created = await client().messages.create({ ...TEMPLATE, contentVariables: JSON.stringify({ 1: CODE, 2: 'Acme' }) });
    expect(created.body).toBe(`Your Acme code is ${CODE}.`);
  });

  describe('refuses at the create, as Twilio answers', () => {
    it('63007 for a From that is no WhatsApp sender of the account, or a Messaging Service without one', async () => {
      fake.whatsapp.recipient(NUMBER);
      await expect(client().messages.create(TEMPLATE)).rejects.toEqual(refusal(400, 63007, "Twilio could not find a Channel with the specified 'From' address"));
      fake.whatsapp.sender('whatsapp:+15005550009');
      await expect(client().messages.create(TEMPLATE)).rejects.toEqual(refusal(400, 63007));
      await expect(client().messages.create({ to: TO, messagingServiceSid: MESSAGING_SERVICE_SID, contentSid: CONTENT_SID })).rejects.toEqual(refusal(400, 63007));
    });

    it.each([['not json'], ['["482913"]'], ['{"1":""}'], ['{"1":null}'], ['{"1":"48\\n2913"}'], ['{"1":"482913     x"}']])('21656 for ContentVariables %s', async (contentVariables) => {
      fake.whatsapp.sender(SENDER).recipient(NUMBER);
      await expect(client().messages.create({ ...TEMPLATE, contentVariables })).rejects.toEqual(refusal(400, 21656, 'The ContentVariables Parameter is invalid.'));
    });

    it('21211 for a malformed To, repeating it as sent; 21910 for an SMS number writing to WhatsApp', async () => {
      fake.whatsapp.sender(SENDER);
      await expect(client().messages.create({ ...TEMPLATE, to: 'whatsapp:5550105310' })).rejects.toEqual(refusal(400, 21211, "The 'To' number whatsapp:5550105310 is not a valid phone number."));
      await expect(client().messages.create({ ...TEMPLATE, from: SECRETS.TWILIO_PHONE_NUMBER })).rejects.toEqual(refusal(400, 21910, /same channel/));
    });

    it('20003 for bad credentials, and 63016 when a test scripts it', async () => {
      fake.whatsapp.sender(SENDER).recipient(NUMBER);
      const stranger = senderClient('twilio', SECRETS.TWILIO_ACCOUNT_SID, 'not-the-token');
      await expect(stranger.messages.create(TEMPLATE)).rejects.toEqual(refusal(401, 20003, 'Authenticate'));
      fake.script({ kind: 'twilio-error', code: 63016 });
      await expect(client().messages.create(TEMPLATE)).rejects.toEqual(refusal(400, 63016, /please use a Message Template/));
    });
  });

  it("shapes a message's JSON as Twilio's, at the create and at a fetch, and answers 404 20404 for a SID it does not have", async () => {
    fake.whatsapp.sender(SENDER).recipient(NUMBER);
    const created = await rawRequest(fake, 'POST', `${ACCOUNT_PATH}/Messages.json`, {
      form: form(['To', TO], ['From', SENDER], ['ContentSid', CONTENT_SID], ['ContentVariables', VARIABLES], ['ValidityPeriod', '300']),
      host: 'api.twilio.com',
    });
    const sid = String(created.body.sid);
    const uri = `${ACCOUNT_PATH}/Messages/${sid}.json`;
    const shape = {
      sid: expect.stringMatching(/^SM[0-9a-f]{32}$/),
      account_sid: SECRETS.TWILIO_ACCOUNT_SID,
      api_version: '2010-04-01',
      to: TO,
      from: SENDER,
      messaging_service_sid: null,
      body: expect.stringContaining(CODE),
      num_segments: '1',
      num_media: '0',
      direction: 'outbound-api',
      price: null,
      price_unit: 'USD',
      date_created: expect.stringMatching(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/),
      date_updated: expect.stringMatching(/\+0000$/),
      uri,
      subresource_uris: { media: `${ACCOUNT_PATH}/Messages/${sid}/Media.json`, feedback: `${ACCOUNT_PATH}/Messages/${sid}/Feedback.json` },
    };
    expect(created).toEqual({ status: 201, body: { ...shape, status: 'queued', error_code: null, error_message: null, date_sent: null } });
    const fetched = await rawRequest(fake, 'GET', uri, { host: 'api.twilio.com' });
    expect(fetched).toEqual({ status: 200, body: { ...shape, status: 'sent', error_code: null, error_message: null, date_sent: expect.stringMatching(/\+0000$/) } });
    expect(fake.requests.at(-1)).toMatchObject({ method: 'GET', path: uri, host: 'api.twilio.com', form: {}, outcome: 200 });

    const unknown = `${ACCOUNT_PATH}/Messages/SM0123456789abcdef0123456789abcdef.json`;
    expect(await rawRequest(fake, 'GET', unknown)).toEqual({ status: 404, body: expect.objectContaining({ code: 20404, message: `The requested resource ${unknown} was not found` }) });
    await expect(client().messages('SM0123456789abcdef0123456789abcdef').fetch()).rejects.toEqual(refusal(404, 20404));
  });

  it('the library reads the dates and the fields of a fetched message', async () => {
    fake.whatsapp.sender(SENDER).recipient(NUMBER);
    const created = await client().messages.create(TEMPLATE);
    const fetched = await client().messages(created.sid).fetch();
    expect(fetched.dateCreated.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(fetched.dateSent?.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(fetched).toMatchObject({ sid: created.sid, numSegments: '1', direction: 'outbound-api', price: null, uri: `${ACCOUNT_PATH}/Messages/${created.sid}.json` });
  });

  it('an SMS can be read back too: queued, sent, delivered, or as a test scripts it', async () => {
    const delivered = await client().messages.create({ to: NUMBER, from: SECRETS.TWILIO_PHONE_NUMBER, body: `Your code is ${CODE}`, validityPeriod: 300 });
    fake.messages.statuses('+15550105311', [{ status: 'undelivered', errorCode: 30003 }]);
    const unreachable = await client().messages.create({ to: '+15550105311', from: SECRETS.TWILIO_PHONE_NUMBER, body: `Your code is ${CODE}` });
    expect(delivered.status).toBe('queued');
    expect(await fetchStatuses(delivered.sid, 3)).toEqual([
      ['sent', null],
      ['delivered', null],
      ['delivered', null],
    ]);
    expect(await fetchStatuses(unreachable.sid, 1)).toEqual([['undelivered', 30003]]);
    expect(fake.messages.list().map((message) => message.status)).toEqual(['delivered', 'undelivered']);
  });

  it('reset() forgets the messages and the WhatsApp setup', async () => {
    fake.whatsapp.sender(SENDER).recipient(NUMBER).verify(VERIFY_SID, 'enabled');
    const created = await client().messages.create(TEMPLATE);
    fake.reset();
    await expect(client().messages(created.sid).fetch()).rejects.toEqual(refusal(404, 20404));
    await expect(client().messages.create(TEMPLATE)).rejects.toEqual(refusal(400, 63007));
    await expect(client().verify.v2.services(VERIFY_SID).verifications.create({ to: NUMBER, channel: 'whatsapp' })).rejects.toEqual(refusal(400, 68008));
    expect(fake.messages.list()).toEqual([]);
  });
});
