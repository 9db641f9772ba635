import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { descriptionDirectory, responseSchema, type JsonSchema } from '../../tools/fake-twilio/description';
import type { LookupResource } from '../../tools/fake-twilio/lookup';
import type { FakeTwilio } from '../../tools/fake-twilio/server';
import { formatRequests, painter } from '../../tools/runner/print';
import { senderClient, TWILIO_MAJORS, untilFakeHolds, untilSettled } from '../helpers/fake-twilio';
import { RECIPIENT, SECRETS } from '../fixtures/values';
import { rawRequest, useFake } from './harness';

/**
 * Lookup v2 as the fake's account answers it (tools/fake-twilio/lookup.ts): through the real
 * twilio of every major the project tests, both as its resource (`lookups.v2.phoneNumbers`) and
 * as the sender calls it (`client.request`, since twilio 3 does not map `sms_pumping_risk`); held
 * to the examples and schemas of Twilio's API description.
 */

const BOTH = 'line_type_intelligence,sms_pumping_risk';
const LOOKUP_URI = `https://lookups.twilio.com/v2/PhoneNumbers/${encodeURIComponent(RECIPIENT)}`;
/** The number of the description's examples. */
const EXAMPLE_NUMBER = '+14159929960';

type Client = ReturnType<typeof senderClient>;

/** The JSON of a lookup as the sender reads it: `client.request` through the sender's transport. */
async function lookup(client: Client, uri: string, params: Record<string, string> = { Fields: BOTH }): Promise<LookupResource> {
  const response = (await client.request({ method: 'get', uri, params })) as { statusCode: number; body: string };
  expect(response.statusCode).toBe(200);
  return JSON.parse(response.body) as LookupResource;
}

/** A raw GET of a lookup path, answered 200 (the fake's default host for it is lookups.twilio.com). */
async function rawLookup(fake: FakeTwilio, path: string): Promise<LookupResource> {
  const answer = await rawRequest(fake, 'GET', path);
  expect(answer.status).toBe(200);
  return answer.body as unknown as LookupResource;
}

/** A package's field as the library shows it: twilio 3 and 4 keep Twilio's JSON (`error_code`), 5 and 6 name it in camelCase (`errorCode`). */
function field(record: unknown, snake: string): unknown {
  const camel = snake.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
  const fields = record as Record<string, unknown>;
  return snake in fields ? fields[snake] : fields[camel];
}

describe('Lookup v2 as Twilio answers it', () => {
  let fake: FakeTwilio;
  useFake((started) => (fake = started));

  describe.each(TWILIO_MAJORS)('through the real %s', (twilioPackage) => {
    const client = (options: { region?: string; edge?: string } = {}) => senderClient(twilioPackage, SECRETS.TWILIO_ACCOUNT_SID, SECRETS.TWILIO_AUTH_TOKEN, options);

    it('its resource and a raw request with the number URL-encoded: line type and risk as set for the number, no violation', async () => {
      fake.lookup.number(RECIPIENT, { lineType: 'mobile', riskScore: 12 });
      const fetched = await client().lookups.v2.phoneNumbers(RECIPIENT).fetch({ fields: BOTH });
      expect(fetched).toMatchObject({ phoneNumber: RECIPIENT, valid: true, countryCode: 'US', callingCountryCode: '1' });
      expect([field(fetched.lineTypeIntelligence, 'type'), field(fetched.lineTypeIntelligence, 'error_code')]).toEqual(['mobile', null]);

      const raw = await lookup(client(), LOOKUP_URI);
      expect(raw.line_type_intelligence).toEqual({ type: 'mobile', carrier_name: null, mobile_country_code: null, mobile_network_code: null, error_code: null });
      expect(raw.sms_pumping_risk).toEqual({ carrier_risk_category: 'low', number_blocked: false, number_blocked_date: null, number_blocked_last_3_months: null, sms_pumping_risk_score: 12, error_code: null });

      // The library sends the number as it is (`+`), the sender URL-encoded (`%2B`): Twilio reads both.
      expect(fake.requests.map((request) => [request.host, request.path, request.outcome])).toEqual([
        ['lookups.twilio.com', `/v2/PhoneNumbers/${RECIPIENT}?Fields=line_type_intelligence%2Csms_pumping_risk`, 200],
        ['lookups.twilio.com', `/v2/PhoneNumbers/%2B15550105310?Fields=line_type_intelligence%2Csms_pumping_risk`, 200],
      ]);
      expect(fake.contractViolations).toEqual([]);
    });

    it('through IE1, which serves Lookup; not through AU1, which does not: 404 20404, as a host that does not serve it', async () => {
      fake.lookup.number(RECIPIENT, { lineType: 'mobile' });
      const dublin = await lookup(client({ region: 'ie1', edge: 'dublin' }), LOOKUP_URI);
      expect([dublin.valid, dublin.line_type_intelligence?.type]).toEqual([true, 'mobile']);
      await expect(lookup(client({ region: 'au1', edge: 'sydney' }), LOOKUP_URI)).rejects.toMatchObject({ status: 404, code: 20404 });
      await expect(client({ region: 'au1', edge: 'sydney' }).lookups.v2.phoneNumbers(RECIPIENT).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
      expect(fake.requests.map((request) => [request.host, request.outcome])).toEqual([
        ['lookups.dublin.ie1.twilio.com', 200],
        ['lookups.sydney.au1.twilio.com', 404],
        ['lookups.sydney.au1.twilio.com', 404],
      ]);
      expect(fake.contractViolations.map((violation) => violation.problems)).toEqual(
        Array.from({ length: 2 }, () => ['host lookups.sydney.au1.twilio.com: Twilio serves lookups.twilio.com from us1 and ie1 only, not au1']),
      );
    });

    it('scripted faults apply to a lookup as to any request: a 503 gateway page, 20003, a hang', async () => {
      fake.script({ kind: 'gateway', status: 503, body: 'html' }, { kind: 'twilio-error', code: 20003 }, { kind: 'hang' });
      await expect(lookup(client(), LOOKUP_URI)).rejects.toMatchObject({ status: 503, body: 'html' });
      await expect(client().lookups.v2.phoneNumbers(RECIPIENT).fetch({ fields: BOTH })).rejects.toMatchObject({ status: 401, code: 20003 });
      const held = lookup(client(), LOOKUP_URI);
      // Nothing races the clock: the fake holds the request until the test lets it go.
      await untilFakeHolds(fake, 1);
      fake.releaseHeldRequests();
      await expect(held).rejects.toThrow();
      await untilSettled(fake);
      expect(fake.requests.map((request) => request.outcome)).toEqual([503, 401, 'hang']);
      // None was answered: none was billed.
      expect(fake.lookup.billed()).toEqual({ line_type_intelligence: 0, sms_pumping_risk: 0, basic: 0 });
      expect((await lookup(client(), LOOKUP_URI)).phone_number).toBe(RECIPIENT);
      expect(fake.contractViolations).toEqual([]);
    });
  });

  describe('what it knows of a number', () => {
    const client = () => senderClient('twilio', SECRETS.TWILIO_ACCOUNT_SID, SECRETS.TWILIO_AUTH_TOKEN);
    const uriOf = (number: string) => `https://lookups.twilio.com/v2/PhoneNumbers/${encodeURIComponent(number)}`;
    afterEach(() => expect(fake.contractViolations).toEqual([]));

    it('derives the line type from the number when no test set it: premium rate, mobile, landline, toll-free, unknown', async () => {
      const types: [string, string | null][] = [];
      for (const number of ['+19005551234', '+447772000001', '+441615555555', '+18002000000', '+14159929960']) {
        types.push([number, (await lookup(client(), uriOf(number))).line_type_intelligence?.type ?? null]);
      }
      // +1 415 may be either a fixed line or a mobile: the fake takes it for a mobile.
      expect(types).toEqual([
        ['+19005551234', 'premium'],
        ['+447772000001', 'mobile'],
        ['+441615555555', 'landline'],
        ['+18002000000', 'tollFree'],
        ['+14159929960', 'mobile'],
      ]);
      fake.lookup.number('+88234567890', { riskScore: 0 });
      expect((await lookup(client(), uriOf('+88234567890'))).line_type_intelligence?.type).toBe('unknown');
    });

    it('a risk of 0, not blocked, by default; the category of each score by the fake’s bands', async () => {
      expect((await lookup(client(), uriOf('+447772000001'))).sms_pumping_risk).toMatchObject({ sms_pumping_risk_score: 0, carrier_risk_category: 'low', number_blocked: false });
      const categories: [number, string | null | undefined][] = [];
      for (const score of [0, 39, 40, 59, 60, 79, 80, 100]) {
        fake.lookup.number(RECIPIENT, { riskScore: score });
        categories.push([score, (await lookup(client(), LOOKUP_URI)).sms_pumping_risk?.carrier_risk_category]);
      }
      expect(categories).toEqual([
        [0, 'low'],
        [39, 'low'],
        [40, 'mild'],
        [59, 'mild'],
        [60, 'moderate'],
        [79, 'moderate'],
        [80, 'high'],
        [100, 'high'],
      ]);
      expect(() => fake.lookup.number(RECIPIENT, { riskScore: 101 })).toThrow(/riskScore 101/);
      expect(() => fake.lookup.number('5550105310', { riskScore: 1 })).toThrow(/not E\.164/);
    });

    it('a rule answers for a population by prefix; a number of its own wins over it; the rule added last is asked first', async () => {
      fake.lookup.rule((e164) => (e164.startsWith('+4477') ? { lineType: 'nonFixedVoip', riskScore: 85, blocked: true } : undefined));
      fake.lookup.rule((e164) => (e164.startsWith('+44777') ? { lineType: 'landline' } : undefined));
      fake.lookup.number('+447772000009', { lineType: 'mobile', riskScore: 5 });
      const [ruled, later, own, untouched] = await Promise.all(['+447712345678', '+447772000001', '+447772000009', '+441615555555'].map((number) => lookup(client(), uriOf(number))));
      expect(ruled?.line_type_intelligence?.type).toBe('nonFixedVoip');
      expect(ruled?.sms_pumping_risk).toEqual({
        carrier_risk_category: 'high',
        number_blocked: true,
        number_blocked_date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
        number_blocked_last_3_months: true,
        sms_pumping_risk_score: 85,
        error_code: null,
      });
      expect(later?.line_type_intelligence?.type).toBe('landline');
      expect(later?.sms_pumping_risk?.sms_pumping_risk_score).toBe(0);
      expect([own?.line_type_intelligence?.type, own?.sms_pumping_risk?.sms_pumping_risk_score]).toEqual(['mobile', 5]);
      expect([untouched?.line_type_intelligence?.type, untouched?.sms_pumping_risk?.number_blocked]).toEqual(['landline', false]);
    });

    it('a number a test sets up is valid, though libphonenumber knows no country of it; one it did not is INVALID_BUT_POSSIBLE, without packages', async () => {
      const unknown = await lookup(client(), LOOKUP_URI);
      expect(unknown).toMatchObject({ valid: false, validation_errors: ['INVALID_BUT_POSSIBLE'], country_code: null, line_type_intelligence: null, sms_pumping_risk: null });
      fake.lookup.number(RECIPIENT, { lineType: 'mobile' });
      expect(await lookup(client(), LOOKUP_URI)).toMatchObject({ valid: true, validation_errors: null, country_code: 'US', calling_country_code: '1', national_format: '(555) 010-5310' });
    });

    it('says why a number is invalid: too long, too short, not a number; a national number is read in CountryCode’s country', async () => {
      const answers = await Promise.all(['/v2/PhoneNumbers/%2B141599299600', '/v2/PhoneNumbers/%2B1415', '/v2/PhoneNumbers/abc'].map((path) => rawLookup(fake, `${path}?Fields=line_type_intelligence`)));
      expect(answers.map((answer) => [answer.phone_number, answer.valid, answer.validation_errors, answer.line_type_intelligence])).toEqual([
        ['+141599299600', false, ['TOO_LONG'], null],
        ['+1415', false, ['TOO_SHORT'], null],
        ['abc', false, ['NOT_A_NUMBER'], null],
      ]);
      expect(await rawLookup(fake, '/v2/PhoneNumbers/07772000001?CountryCode=GB')).toMatchObject({ phone_number: '+447772000001', valid: true, country_code: 'GB', national_format: '07772 000001' });
      expect(await rawLookup(fake, '/v2/PhoneNumbers/4159929960')).toMatchObject({ phone_number: EXAMPLE_NUMBER, country_code: 'US' });
    });

    it('without Fields it is the free basic lookup: no package, billed as basic', async () => {
      fake.lookup.number(RECIPIENT, { lineType: 'mobile', riskScore: 90 });
      const basic = await lookup(client(), LOOKUP_URI, {});
      const validation = await lookup(client(), LOOKUP_URI, { Fields: 'validation' });
      for (const answer of [basic, validation]) expect([answer.valid, answer.line_type_intelligence, answer.sms_pumping_risk]).toEqual([true, null, null]);
      expect(fake.lookup.billed()).toEqual({ line_type_intelligence: 0, sms_pumping_risk: 0, basic: 2 });
    });

    it('a package the account does not have comes back inside the answer with 60606, its fields null, HTTP 200, unbilled', async () => {
      fake.lookup.number(RECIPIENT, { lineType: 'mobile', riskScore: 90 }).packages({ sms_pumping_risk: 'not-enabled' });
      const answer = await lookup(client(), LOOKUP_URI);
      expect(answer.line_type_intelligence).toMatchObject({ type: 'mobile', error_code: null });
      expect(answer.sms_pumping_risk).toEqual({ carrier_risk_category: null, number_blocked: null, number_blocked_date: null, number_blocked_last_3_months: null, sms_pumping_risk_score: null, error_code: 60606 });
      fake.lookup.packages({ line_type_intelligence: 'not-enabled' });
      expect((await lookup(client(), LOOKUP_URI)).line_type_intelligence).toEqual({ type: null, carrier_name: null, mobile_country_code: null, mobile_network_code: null, error_code: 60606 });
      fake.lookup.packages({ sms_pumping_risk: 'enabled' });
      expect((await lookup(client(), LOOKUP_URI)).sms_pumping_risk?.error_code).toBeNull();
      // A package Twilio has that the fake does not model is not enabled either.
      expect((await lookup(client(), LOOKUP_URI, { Fields: 'caller_name' })).caller_name).toEqual({ error_code: 60606 });
      expect(fake.lookup.billed()).toEqual({ line_type_intelligence: 1, sms_pumping_risk: 1, basic: 2 });
    });

    it('bills each package per lookup that answered it, and counts the free ones', async () => {
      fake.lookup.number(RECIPIENT, { lineType: 'mobile' });
      await lookup(client(), LOOKUP_URI);
      await lookup(client(), LOOKUP_URI, { Fields: 'line_type_intelligence' });
      await lookup(client(), LOOKUP_URI, { Fields: 'sms_pumping_risk,sms_pumping_risk' });
      await lookup(client(), LOOKUP_URI, {});
      // An invalid number is answered without its packages, and they are not billed.
      await lookup(client(), uriOf('+1415'));
      expect(fake.lookup.billed()).toEqual({ line_type_intelligence: 2, sms_pumping_risk: 2, basic: 2 });
    });

    it('refuses a Fields name Twilio does not list with 400 (no violation: the description lists them in its text only)', async () => {
      const answer = await rawRequest(fake, 'GET', `/v2/PhoneNumbers/%2B15550105310?Fields=line_type_inteligence`);
      expect(answer).toEqual({ status: 400, body: expect.objectContaining({ code: 80701, message: 'Parameter Validation Failed: Fields: line_type_inteligence is not a field of Lookup v2' }) });
      expect(fake.lookup.billed()).toEqual({ line_type_intelligence: 0, sms_pumping_risk: 0, basic: 0 });
    });

    it('records what it answered: valid, the line type, the score, and a package’s error, as npm start shows them', async () => {
      fake.lookup.number(RECIPIENT, { lineType: 'mobile', riskScore: 12 });
      await lookup(client(), LOOKUP_URI);
      fake.lookup.packages({ sms_pumping_risk: 'not-enabled' });
      await lookup(client(), LOOKUP_URI);
      expect(fake.requests.map((request) => request.answer)).toEqual([
        { valid: true, lineType: 'mobile', smsPumpingRiskScore: 12 },
        { valid: true, lineType: 'mobile', packageErrors: { sms_pumping_risk: 60606 } },
      ]);
      const lines = formatRequests(fake.requests, painter(false)).filter((line) => line.startsWith('GET'));
      expect(lines).toEqual([
        'GET /v2/PhoneNumbers/%2B15550105310?Fields=line_type_intelligence%2Csms_pumping_risk -> 200 valid=true type=mobile sms_pumping_risk_score=12',
        'GET /v2/PhoneNumbers/%2B15550105310?Fields=line_type_intelligence%2Csms_pumping_risk -> 200 valid=true type=mobile sms_pumping_risk.error_code=60606',
      ]);
    });

    it('reset() forgets the numbers, rules, packages and the bill', async () => {
      fake.lookup
        .number(RECIPIENT, { lineType: 'landline' })
        .rule(() => ({ riskScore: 99 }))
        .packages({ line_type_intelligence: 'not-enabled' });
      await lookup(client(), LOOKUP_URI);
      fake.reset();
      expect(fake.lookup.billed()).toEqual({ line_type_intelligence: 0, sms_pumping_risk: 0, basic: 0 });
      expect(await lookup(client(), LOOKUP_URI)).toMatchObject({ valid: false, line_type_intelligence: null, sms_pumping_risk: null });
      expect((await lookup(client(), uriOf('+447772000001'))).line_type_intelligence?.error_code).toBeNull();
    });
  });

  describe("held to Twilio's API description", () => {
    interface Described {
      paths: Record<string, { get: { responses: Record<string, { content: Record<string, { examples: Record<string, { value: LookupResource }> }> }> } }>;
      components: { schemas: Record<string, { properties: Record<string, JsonSchema> }> };
    }
    const description = JSON.parse(readFileSync(join(descriptionDirectory(), 'twilio_lookups_v2.json'), 'utf8')) as Described;
    const example = (name: string): LookupResource => {
      const value = description.paths['/v2/PhoneNumbers/{PhoneNumber}']?.get.responses['200']?.content['application/json']?.examples[name]?.value;
      if (value === undefined) throw new Error(`the description has no example ${name}`);
      return value;
    };
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    ajv.addFormat('phone-number', true);
    /** The answer's schema, closed: every key it names present, none it does not (Ajv reads OpenAPI's `nullable` beside a `type`). */
    const closed = (schema: JsonSchema): JsonSchema => ({ ...schema, required: Object.keys((schema.properties as JsonSchema | undefined) ?? {}), additionalProperties: false });
    const validateAnswer = ajv.compile(closed(responseSchema('twilio_lookups_v2', '/v2/PhoneNumbers/{PhoneNumber}', 'get', 200)));
    const expectDescribed = (answer: LookupResource) => expect(validateAnswer(answer) ? [] : validateAnswer.errors).toEqual([]);
    afterEach(() => expect(fake.contractViolations).toEqual([]));

    it("answers the description's examples as Twilio's: the basic lookup, an invalid number, a line type, an SMS pumping risk", async () => {
      const basic = await rawLookup(fake, `/v2/PhoneNumbers/${encodeURIComponent(EXAMPLE_NUMBER)}`);
      const invalid = await rawLookup(fake, '/v2/PhoneNumbers/%2B141599299600');
      fake.lookup.number(EXAMPLE_NUMBER, { lineType: 'nonFixedVoip', carrierName: 'Twilio - SMS/MMS-SVR', mobileCountryCode: '240', mobileNetworkCode: '38', riskScore: 61 });
      const lineType = await rawLookup(fake, `/v2/PhoneNumbers/${encodeURIComponent(EXAMPLE_NUMBER)}?Fields=line_type_intelligence`);
      const risk = await rawLookup(fake, `/v2/PhoneNumbers/${encodeURIComponent(EXAMPLE_NUMBER)}?Fields=sms_pumping_risk`);
      expect(basic).toEqual(example('fetch'));
      expect(invalid).toEqual(example('fetchInvalid'));
      expect(lineType).toEqual(example('fetchLineTypeIntelligence'));
      // This example alone shows a valid number's validation_errors as [] (the others, null): the fake answers null.
      expect(risk).toEqual({ ...example('fetchSmsPumpingRisk'), validation_errors: null });
      for (const answer of [basic, invalid, lineType, risk]) expectDescribed(answer);
    });

    it("shapes each answer, packages included, as the response schema says (a key it does not name fails)", async () => {
      fake.lookup.rule(() => ({ lineType: 'mobile', riskScore: 95, blocked: true }));
      const answers = [await lookup(senderClient('twilio', SECRETS.TWILIO_ACCOUNT_SID, SECRETS.TWILIO_AUTH_TOKEN), LOOKUP_URI)];
      fake.lookup.packages({ line_type_intelligence: 'not-enabled', sms_pumping_risk: 'not-enabled' });
      answers.push(await rawLookup(fake, `/v2/PhoneNumbers/%2B15550105310?Fields=${BOTH}`), await rawLookup(fake, '/v2/PhoneNumbers/abc'));
      for (const answer of answers) expectDescribed(answer);
      expect(validateAnswer({ ...answers[0], carrier: 'x' })).toBe(false);
    });

    /*
     * The package schemas (LineTypeIntelligence, SmsPumpingRisk) declare `error_code: integer`,
     * and `number_blocked_last_3_months: boolean`, without `nullable`, while Twilio's own examples
     * answer `"error_code": null` (and null for a number never blocked): the real service returns
     * null, so the fake does too. Each package is checked field by field instead: the keys are the
     * schema's, each value has the schema's type, or is null where Twilio's example is null.
     */
    it.each([
      ['line_type_intelligence', 'LineTypeIntelligence', 'fetchLineTypeIntelligence'],
      ['sms_pumping_risk', 'SmsPumpingRisk', 'fetchSmsPumpingRisk'],
    ] as const)('%s: field by field against the schema %s and the example %s', async (name, schemaName, exampleName) => {
      const properties = description.components.schemas[schemaName]?.properties ?? {};
      const twilios = example(exampleName)[name] as Record<string, unknown> | null;
      fake.lookup.number(RECIPIENT, { lineType: 'mobile', riskScore: 61, carrierName: 'Fake Mobile', mobileCountryCode: '310', mobileNetworkCode: '260' });
      fake.lookup.number('+447772000001', { lineType: 'landline', riskScore: 90, blocked: true, carrierName: 'Fake Fixed', mobileCountryCode: '234', mobileNetworkCode: '15' });
      for (const number of [RECIPIENT, '+447772000001']) {
        const answered = (await rawLookup(fake, `/v2/PhoneNumbers/${encodeURIComponent(number)}?Fields=${name}`))[name] as Record<string, unknown> | null;
        expect(Object.keys(answered ?? {}).sort()).toEqual(Object.keys(properties).sort());
        expect(Object.keys(twilios ?? {}).sort()).toEqual(Object.keys(properties).sort());
        for (const [key, schema] of Object.entries(properties)) {
          const value = answered?.[key];
          if (value === null) expect([key, twilios?.[key]]).toEqual([key, null]);
          else expect([key, ajv.validate(schema, value)]).toEqual([key, true]);
        }
      }
    });
  });
});
