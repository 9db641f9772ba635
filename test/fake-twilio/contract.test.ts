import { TwilioContract } from '../../tools/fake-twilio/contract';
import { describedPaths } from '../../tools/fake-twilio/description';
import type { FakeTwilio } from '../../tools/fake-twilio/server';
import { senderClient, TWILIO_MAJORS } from '../helpers/fake-twilio';
import { CODE, MESSAGING_SERVICE_SID, RECIPIENT, SECRETS, VERIFY_SID } from '../fixtures/values';
import { ACCOUNT_PATH, form, rawRequest, useFake } from './harness';

const TO = RECIPIENT;
const FROM = SECRETS.TWILIO_PHONE_NUMBER;
const MESSAGES = `${ACCOUNT_PATH}/Messages.json`;
const CALLS = `${ACCOUNT_PATH}/Calls.json`;
const VERIFICATIONS = `/v2/Services/${VERIFY_SID}/Verifications`;
const LOOKUP = `/v2/PhoneNumbers/${encodeURIComponent(TO)}`;

describe("the fake checks every request against Twilio's API description", () => {
  let fake: FakeTwilio;
  useFake((started) => (fake = started));

  describe.each(TWILIO_MAJORS)('every request the sender makes passes, through the real %s', (twilioPackage) => {
    const client = () => senderClient(twilioPackage, SECRETS.TWILIO_ACCOUNT_SID, SECRETS.TWILIO_AUTH_TOKEN);

    it('an SMS from a number, and one through a Messaging Service with a validity period', async () => {
      await client().messages.create({ to: TO, from: FROM, body: `Your code is ${CODE}` });
      await client().messages.create({ to: TO, messagingServiceSid: MESSAGING_SERVICE_SID, body: `Your code is ${CODE}`, validityPeriod: 300 });
      expect(fake.requests.map((request) => request.outcome)).toEqual([201, 201]);
      expect(fake.contractViolations).toEqual([]);
    });

    it('a call with its TwiML and timeout', async () => {
      await client().calls.create({ to: TO, from: FROM, twiml: '<Response><Say>4 8 2 9 1 3</Say></Response>', timeout: 30 });
      expect(fake.requests.map((request) => request.outcome)).toEqual([201]);
      expect(fake.contractViolations).toEqual([]);
    });

    it('a verification with a custom code and a locale', async () => {
      await client().verify.v2.services(VERIFY_SID).verifications.create({ to: TO, channel: 'sms', customCode: CODE, locale: 'fr' });
      expect(fake.requests.map((request) => request.outcome)).toEqual([201]);
      expect(fake.requests[0]?.host).toBe('verify.twilio.com');
      expect(fake.contractViolations).toEqual([]);
    });

    it('a lookup of the line type and SMS pumping risk, the number URL-encoded, as the sender sends it', async () => {
      await client().request({ method: 'get', uri: `https://lookups.twilio.com${LOOKUP}`, params: { Fields: 'line_type_intelligence,sms_pumping_risk' } });
      expect(fake.requests.map((request) => [request.host, request.outcome])).toEqual([['lookups.twilio.com', 200]]);
      expect(fake.contractViolations).toEqual([]);
    });
  });

  it('a correct request sent raw is not a violation either', async () => {
    const answer = await rawRequest(fake, 'POST', MESSAGES, { form: form(['To', TO], ['From', FROM], ['Body', `Your code is ${CODE}`], ['ValidityPeriod', '300']), host: 'api.twilio.com' });
    expect(answer.status).toBe(201);
    expect(fake.contractViolations).toEqual([]);
  });

  it('refuses a parameter the description does not list with 400, and records it', async () => {
    const answer = await rawRequest(fake, 'POST', MESSAGES, { form: form(['To', TO], ['From', FROM], ['Body', 'hi'], ['Bogus', 'x']), host: 'api.twilio.com' });
    expect(answer).toEqual({ status: 400, body: expect.objectContaining({ code: 20001, status: 400, message: expect.stringContaining('Bogus') }) });
    expect(fake.contractViolations).toEqual([
      {
        method: 'POST',
        path: MESSAGES,
        host: 'api.twilio.com',
        operation: 'POST /2010-04-01/Accounts/{AccountSid}/Messages.json',
        problems: ['Bogus: not a body parameter of this operation in the API description'],
        answer: { status: 400, body: answer.body },
      },
    ]);
  });

  it('refuses a value of the wrong type: ValidityPeriod=abc is not an integer', async () => {
    const answer = await rawRequest(fake, 'POST', MESSAGES, { form: form(['To', TO], ['From', FROM], ['Body', 'hi'], ['ValidityPeriod', 'abc']) });
    expect(answer).toEqual({ status: 400, body: expect.objectContaining({ code: 80701, message: expect.stringMatching(/ValidityPeriod: must be integer \(got "abc"\)/) }) });
    expect(fake.contractViolations.map((violation) => violation.problems)).toEqual([['ValidityPeriod: must be integer (got "abc")']]);
  });

  it('coerces the form as Twilio does: integers, booleans, and repeated keys as an array', async () => {
    const answer = await rawRequest(fake, 'POST', CALLS, {
      form: form(['To', TO], ['From', FROM], ['Twiml', '<Response/>'], ['Timeout', '30'], ['Record', 'true'], ['StatusCallbackEvent', 'initiated'], ['StatusCallbackEvent', 'answered']),
    });
    expect(answer.status).toBe(201);
    await rawRequest(fake, 'POST', CALLS, { form: form(['To', TO], ['From', FROM], ['Twiml', '<Response/>'], ['Record', 'maybe'], ['Timeout', '2.5']) });
    expect(fake.contractViolations.map((violation) => violation.problems)).toEqual([['Timeout: must be integer (got "2.5")', 'Record: must be boolean (got "maybe")']]);
  });

  it('refuses a parameter repeated where the description wants one value', async () => {
    await rawRequest(fake, 'POST', MESSAGES, { form: form(['To', TO], ['To', '+15550105311'], ['From', FROM], ['Body', 'hi']) });
    expect(fake.contractViolations.map((violation) => violation.problems)).toEqual([['To: must be string (got ["+15550105310","+15550105311"])']]);
  });

  it('refuses a Verify create without the required To, with Verify’s 60200', async () => {
    const answer = await rawRequest(fake, 'POST', VERIFICATIONS, { form: form(['Channel', 'sms']), host: 'verify.twilio.com' });
    expect(answer).toEqual({ status: 400, body: expect.objectContaining({ code: 60200, message: expect.stringMatching(/^Invalid parameter: To \(To: a required body parameter, missing\)$/) }) });
    expect(fake.contractViolations.map((violation) => violation.problems)).toEqual([['To: a required body parameter, missing']]);
  });

  it('refuses a value outside an enum (RiskCheck on Verify, StatusCallbackMethod on a call)', async () => {
    const verify = await rawRequest(fake, 'POST', VERIFICATIONS, { form: form(['To', TO], ['Channel', 'sms'], ['RiskCheck', 'maybe']) });
    const call = await rawRequest(fake, 'POST', CALLS, { form: form(['To', TO], ['From', FROM], ['Twiml', '<Response/>'], ['StatusCallbackMethod', 'PUT']) });
    expect([verify.status, call.status]).toEqual([400, 400]);
    expect(fake.contractViolations.map((violation) => violation.problems)).toEqual([['RiskCheck: must be one of enable, disable (got "maybe")'], ['StatusCallbackMethod: must be one of GET, POST (got "PUT")']]);
  });

  it('Channel=fax: the description gives Verify’s Channel no enum, so only the fake’s own rule refuses it (60200), and it is no violation', async () => {
    const answer = await rawRequest(fake, 'POST', VERIFICATIONS, { form: form(['To', TO], ['Channel', 'fax']) });
    expect(answer).toEqual({ status: 400, body: expect.objectContaining({ code: 60200, message: 'Invalid parameter: Channel' }) });
    expect(fake.contractViolations).toEqual([]);
  });

  it("requires one of each of the description's conditional groups (From or MessagingServiceSid; Body, MediaUrl or ContentSid)", async () => {
    await rawRequest(fake, 'POST', MESSAGES, { form: form(['To', TO]) });
    expect(fake.contractViolations.map((violation) => violation.problems)).toEqual([
      ['From | MessagingServiceSid: one of them is required (x-twilio conditional)', 'Body | MediaUrl | ContentSid: one of them is required (x-twilio conditional)'],
    ]);
  });

  it('refuses a form that is not a form, a query parameter it does not know, and a SID of the wrong kind in the path', async () => {
    const json = await rawRequest(fake, 'POST', MESSAGES, { form: JSON.stringify({ To: TO, From: FROM, Body: 'hi' }), contentType: 'application/json' });
    const query = await rawRequest(fake, 'GET', `${MESSAGES}?PageSize=20&Color=red`);
    const path = await rawRequest(fake, 'GET', `${ACCOUNT_PATH}/Messages/CA0123456789abcdef0123456789abcdef.json`);
    expect([json.status, query.status, path.status]).toEqual([400, 400, 404]);
    expect(fake.contractViolations.map((violation) => violation.problems)).toEqual([
      ['Content-Type application/json: the description accepts application/x-www-form-urlencoded'],
      ['Color: not a query parameter of this operation in the API description'],
      ['Sid: must match pattern "^(SM|MM)[0-9a-fA-F]{32}$" (got "CA0123456789abcdef0123456789abcdef")'],
    ]);
  });

  it('refuses a Lookup query parameter the description does not list with 400 (20001), and a path whose escapes are broken with 404', async () => {
    const unknown = await rawRequest(fake, 'GET', `${LOOKUP}?Fields=line_type_intelligence&Colour=red`);
    const broken = await rawRequest(fake, 'GET', '/v2/PhoneNumbers/%ZZ15550105310');
    expect([unknown.status, unknown.body.code, broken.status, broken.body.code]).toEqual([400, 20001, 404, 20404]);
    expect(fake.contractViolations).toEqual([
      expect.objectContaining({ host: 'lookups.twilio.com', operation: 'GET /v2/PhoneNumbers/{PhoneNumber}', problems: ['Colour: not a query parameter of this operation in the API description'] }),
      expect.objectContaining({ operation: 'GET /v2/PhoneNumbers/{PhoneNumber}', problems: ['PhoneNumber: not a URL-encoded value'] }),
    ]);
  });

  it('answers a path the description does not have with 404, and a method it does not list with 405', async () => {
    const path = await rawRequest(fake, 'POST', `${ACCOUNT_PATH}/Faxes.json`, { form: form(['To', TO]) });
    const method = await rawRequest(fake, 'PUT', MESSAGES, { form: form(['To', TO]) });
    expect([path.status, path.body.code, method.status, method.body.code]).toEqual([404, 20404, 405, 20004]);
    expect(fake.contractViolations.map((violation) => violation.problems)).toEqual([
      [`${ACCOUNT_PATH}/Faxes.json: no such path in the API description`],
      ['PUT /2010-04-01/Accounts/{AccountSid}/Messages.json: not an operation of the API description (GET, POST are)'],
    ]);
  });

  it("holds the addressed host to the description's server: Verify on verify.*, messages on api.* in any region", async () => {
    const good = form(['To', TO], ['Channel', 'sms']);
    expect((await rawRequest(fake, 'POST', VERIFICATIONS, { form: good, host: 'verify.twilio.com' })).status).toBe(201);
    expect((await rawRequest(fake, 'POST', MESSAGES, { form: form(['To', TO], ['From', FROM], ['Body', 'hi']), host: 'api.dublin.ie1.twilio.com' })).status).toBe(201);
    expect((await rawRequest(fake, 'POST', VERIFICATIONS, { form: good, host: 'verify.ashburn.us1.twilio.com' })).status).toBe(201);
    expect(fake.contractViolations).toEqual([]);

    const wrong = await rawRequest(fake, 'POST', VERIFICATIONS, { form: good, host: 'api.twilio.com' });
    const lookalike = await rawRequest(fake, 'POST', MESSAGES, { form: form(['To', TO], ['From', FROM], ['Body', 'hi']), host: 'api.twilio.com.example' });
    // The fake's own address is not Twilio's: a client that addresses it has not gone through the route.
    const loopback = await rawRequest(fake, 'POST', MESSAGES, { form: form(['To', TO], ['From', FROM], ['Body', 'hi']), host: `127.0.0.1:${fake.port}` });
    expect([wrong.status, lookalike.status, loopback.status]).toEqual([404, 404, 404]);
    expect(fake.contractViolations.map((violation) => violation.problems)).toEqual([
      ['host api.twilio.com: the description serves /v2/Services/{ServiceSid}/Verifications on verify.twilio.com'],
      ['host api.twilio.com.example: the description serves /2010-04-01/Accounts/{AccountSid}/Messages.json on api.twilio.com'],
      [`host 127.0.0.1:${fake.port}: the description serves /2010-04-01/Accounts/{AccountSid}/Messages.json on api.twilio.com`],
    ]);
  });

  it('holds a product to the regions that serve it: Lookup in us1 and ie1, Verify in us1; elsewhere 404 20404, as a host that does not serve it', async () => {
    for (const host of ['lookups.twilio.com', 'lookups.ashburn.us1.twilio.com', 'lookups.ie1.twilio.com', 'lookups.dublin.ie1.twilio.com']) {
      expect([host, (await rawRequest(fake, 'GET', LOOKUP, { host })).status]).toEqual([host, 200]);
    }
    expect(fake.contractViolations).toEqual([]);
    const au1 = await rawRequest(fake, 'GET', LOOKUP, { host: 'lookups.sydney.au1.twilio.com' });
    const verify = await rawRequest(fake, 'POST', VERIFICATIONS, { form: form(['To', TO], ['Channel', 'sms']), host: 'verify.dublin.ie1.twilio.com' });
    expect([au1.status, au1.body.code, verify.status, verify.body.code]).toEqual([404, 20404, 404, 20404]);
    expect(fake.contractViolations.map((violation) => violation.problems)).toEqual([
      ['host lookups.sydney.au1.twilio.com: Twilio serves lookups.twilio.com from us1 and ie1 only, not au1'],
      ['host verify.dublin.ie1.twilio.com: Twilio serves verify.twilio.com from us1 only, not ie1'],
    ]);
  });

  it('records a violation whatever answers it: an unauthenticated request gets 401, a scripted reset drops it', async () => {
    const bad = form(['To', TO], ['From', FROM], ['Body', 'hi'], ['Bogus', 'x']);
    expect((await rawRequest(fake, 'POST', MESSAGES, { form: bad, authorization: 'Basic bm9ib2R5Om5vdGhpbmc=' })).status).toBe(401);
    fake.script({ kind: 'reset' });
    await expect(rawRequest(fake, 'POST', MESSAGES, { form: bad })).rejects.toThrow();
    expect(fake.contractViolations).toHaveLength(2);
    fake.reset();
    expect(fake.contractViolations).toEqual([]);
  });
});

describe("the API description's files", () => {
  const operations = describedPaths().flatMap((path) => Object.values(path.operations));
  const labelled = (label: string) => operations.find((operation) => operation?.label === label);

  it('say which host serves which operation: api.twilio.com the v2010 API, verify.twilio.com Verify, lookups.twilio.com Lookup', () => {
    expect(labelled('POST /2010-04-01/Accounts/{AccountSid}/Messages.json')).toMatchObject({ serverHost: 'api.twilio.com', mediaTypes: ['application/x-www-form-urlencoded'] });
    expect(labelled('GET /2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json')).toMatchObject({ serverHost: 'api.twilio.com', mediaTypes: [] });
    expect(labelled('POST /v2/Services/{ServiceSid}/Verifications')).toMatchObject({ serverHost: 'verify.twilio.com' });
    expect(labelled('GET /v2/PhoneNumbers/{PhoneNumber}')).toMatchObject({ serverHost: 'lookups.twilio.com', mediaTypes: [] });
  });

  it('are read the same from the cache as from the package', () => {
    // A second contract reads the cache the first one wrote: its verdicts are the same.
    const request = { method: 'POST', url: MESSAGES, host: 'api.twilio.com', contentType: 'application/x-www-form-urlencoded', body: form(['To', TO], ['Bogus', 'x']) };
    expect(new TwilioContract(describedPaths()).check(request)).toEqual(new TwilioContract().check(request));
  });
});
