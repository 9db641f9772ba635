import { readConfig, twilioHost, TWILIO_EDGES, TWILIO_REGIONS, type TwilioEdge, type TwilioRegion } from '../../src/core/config';
import { ConfigurationError } from '../../src/core/errors';
import { API_KEY, MESSAGING_SERVICE_SID, SECRETS, VERIFY_SID } from '../fixtures/values';
import { PHONE_NUMBER_METADATA } from '../../src/core/number-metadata';
import { DEFAULT_ENROLLMENTS_PER_BLOCK, DEFAULT_LOOKUP_MAX_RISK } from '../../src/core/screen/settings';

const phoneNumbers = (): unknown => require(PHONE_NUMBER_METADATA);
const read = (secrets: unknown) => readConfig(secrets, phoneNumbers);

describe('readConfig', () => {
  it('reads and normalizes every secret', () => {
    const config = read({
      ...SECRETS,
      TWILIO_PHONE_NUMBER: '+1 (500) 555-0006',
      TWILIO_MESSAGING_SERVICE_SID: MESSAGING_SERVICE_SID,
      TWILIO_VERIFY_SID: VERIFY_SID,
      TWILIO_VOICE: 'Polly.Joanna-Neural',
      TWILIO_REGION: 'us1',
      TWILIO_EDGE: 'Ashburn',
      ALLOWED_COUNTRIES: ' us,CA ',
      ALLOWED_NUMBER_TYPES: ' Shared-Cost, +882 ,uan',
      ENROLLMENT_VELOCITY: '25',
      TWILIO_LOOKUP: 'Enrollment',
      TWILIO_LOOKUP_MAX_RISK: '70',
      TWILIO_LOOKUP_FAIL: 'Closed',
    });
    expect(config).toEqual({
      credentials: { kind: 'auth-token', username: SECRETS.TWILIO_ACCOUNT_SID, password: SECRETS.TWILIO_AUTH_TOKEN, accountSid: SECRETS.TWILIO_ACCOUNT_SID },
      phoneNumber: SECRETS.TWILIO_PHONE_NUMBER,
      messagingServiceSid: MESSAGING_SERVICE_SID,
      verifyServiceSid: VERIFY_SID,
      voice: 'Polly.Joanna-Neural',
      region: 'us1',
      edge: 'ashburn',
      allowedCountries: expect.objectContaining({ countries: new Set(['US', 'CA']) }),
      shield: {
        allowedTypes: new Set(['SHARED_COST', 'UAN']),
        allowedNetworks: new Set(['882']),
        enrollmentsPerBlock: 25,
        lookup: { scope: 'enrollment', maxRiskScore: 70, failClosed: true },
      },
    });
  });

  it('turns the free layers of the pumping shield on, and Lookup off, when no secret names them', () => {
    expect(read(SECRETS).shield).toEqual({
      allowedTypes: new Set(),
      allowedNetworks: new Set(),
      enrollmentsPerBlock: DEFAULT_ENROLLMENTS_PER_BLOCK,
      lookup: undefined,
    });
    expect(read({ ...SECRETS, TWILIO_LOOKUP: 'all' }).shield.lookup).toEqual({ scope: 'all', maxRiskScore: DEFAULT_LOOKUP_MAX_RISK, failClosed: false });
    expect(read({ ...SECRETS, ENROLLMENT_VELOCITY: 'OFF' }).shield.enrollmentsPerBlock).toBeUndefined();
  });

  it.each([
    ['TWILIO_LOOKUP', 'sometimes', 'TWILIO_LOOKUP is not a Lookup scope this sender knows: use one of enrollment, all, or remove the secret.'],
    ['TWILIO_LOOKUP_MAX_RISK', '101', 'TWILIO_LOOKUP_MAX_RISK must be a whole number from 0 to 100; remove it for the default.'],
    ['TWILIO_LOOKUP_MAX_RISK', '-1', 'TWILIO_LOOKUP_MAX_RISK must be a whole number from 0 to 100'],
    ['TWILIO_LOOKUP_MAX_RISK', '7.5', 'TWILIO_LOOKUP_MAX_RISK must be a whole number from 0 to 100'],
    ['TWILIO_LOOKUP_FAIL', 'shut', 'TWILIO_LOOKUP_FAIL is not a Lookup failure mode this sender knows: use one of open, closed'],
    ['ENROLLMENT_VELOCITY', '0', 'ENROLLMENT_VELOCITY must be a whole number from 1 to 1000, or off; remove it for the default.'],
    ['ENROLLMENT_VELOCITY', '1001', 'ENROLLMENT_VELOCITY must be a whole number from 1 to 1000'],
    ['ENROLLMENT_VELOCITY', 'ten', 'ENROLLMENT_VELOCITY must be a whole number from 1 to 1000'],
    ['ALLOWED_NUMBER_TYPES', 'uan,premium', 'ALLOWED_NUMBER_TYPES lists "premium": list only premium_rate, shared_cost, uan, voicemail, pager, +800, +808, +870, +878, +881, +882, +883, +888, +979'],
    ['ALLOWED_NUMBER_TYPES', '+44', 'ALLOWED_NUMBER_TYPES lists "+44"'],
  ])('refuses %s=%s, naming the secret and what to put there', (name, value, message) => {
    const lookup = name.startsWith('TWILIO_LOOKUP_') ? { TWILIO_LOOKUP: 'enrollment' } : {};
    expect(() => read({ ...SECRETS, ...lookup, [name]: value })).toThrow(message);
  });

  it('refuses a Lookup setting without TWILIO_LOOKUP, and Lookup in a region that has none', () => {
    expect(() => read({ ...SECRETS, TWILIO_LOOKUP_MAX_RISK: '50' })).toThrow('TWILIO_LOOKUP_MAX_RISK is set but TWILIO_LOOKUP is not');
    expect(() => read({ ...SECRETS, TWILIO_LOOKUP_FAIL: 'closed' })).toThrow('TWILIO_LOOKUP_FAIL is set but TWILIO_LOOKUP is not');
    expect(() => read({ ...SECRETS, TWILIO_LOOKUP: 'all', TWILIO_REGION: 'au1' })).toThrow('Twilio Lookup v2 is served from us1 and ie1 only');
    expect(read({ ...SECRETS, TWILIO_LOOKUP: 'all', TWILIO_REGION: 'ie1' }).shield.lookup?.scope).toBe('all');
  });

  it('trims the whitespace a copy from the console adds', () => {
    expect(read({ ...SECRETS, TWILIO_AUTH_TOKEN: ` ${SECRETS.TWILIO_AUTH_TOKEN}\n` }).credentials.password).toBe(SECRETS.TWILIO_AUTH_TOKEN);
  });

  it('treats empty optional secrets as unset', () => {
    const config = read({ ...SECRETS, TWILIO_VERIFY_SID: '', TWILIO_MESSAGING_SERVICE_SID: '  ', ALLOWED_COUNTRIES: '', TWILIO_REGION: ' ' });
    expect(config).toMatchObject({ verifyServiceSid: undefined, messagingServiceSid: undefined, allowedCountries: undefined, region: undefined });
  });

  it('uses an API key for the account of TWILIO_ACCOUNT_SID, and never needs the auth token then', () => {
    const { TWILIO_AUTH_TOKEN: _unused, ...withoutToken } = SECRETS;
    expect(read({ ...withoutToken, ...API_KEY }).credentials).toEqual({
      kind: 'api-key',
      username: API_KEY.TWILIO_API_KEY,
      password: API_KEY.TWILIO_API_SECRET,
      accountSid: SECRETS.TWILIO_ACCOUNT_SID,
    });
  });

  it('prefers the API key when the auth token is set too, without failing', () => {
    expect(read({ ...SECRETS, ...API_KEY }).credentials.username).toBe(API_KEY.TWILIO_API_KEY);
  });

  it('loads libphonenumber-js only when ALLOWED_COUNTRIES is set', () => {
    const load = jest.fn(phoneNumbers);
    readConfig(SECRETS, load);
    expect(load).not.toHaveBeenCalled();
    readConfig({ ...SECRETS, ALLOWED_COUNTRIES: 'GB' }, load);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it.each([
    [{ TWILIO_AUTH_TOKEN: SECRETS.TWILIO_AUTH_TOKEN }, 'TWILIO_ACCOUNT_SID is not set'],
    [{ TWILIO_ACCOUNT_SID: SECRETS.TWILIO_ACCOUNT_SID }, 'TWILIO_AUTH_TOKEN is not set. Add it (or TWILIO_API_KEY and TWILIO_API_SECRET)'],
    [{ ...SECRETS, TWILIO_AUTH_TOKEN: '   ' }, 'TWILIO_AUTH_TOKEN is not set'],
    [{ ...SECRETS, TWILIO_ACCOUNT_SID: 'SK0123456789abcdef0123456789abcdef' }, 'TWILIO_ACCOUNT_SID is malformed'],
    [{ ...SECRETS, TWILIO_AUTH_TOKEN: 'f00d face' }, 'TWILIO_AUTH_TOKEN is malformed'],
    [{ ...SECRETS, TWILIO_API_KEY: API_KEY.TWILIO_API_KEY }, 'TWILIO_API_KEY is set but TWILIO_API_SECRET is not'],
    [{ ...SECRETS, TWILIO_API_SECRET: API_KEY.TWILIO_API_SECRET }, 'TWILIO_API_SECRET is set but TWILIO_API_KEY is not'],
    [{ ...SECRETS, ...API_KEY, TWILIO_API_KEY: SECRETS.TWILIO_ACCOUNT_SID }, 'TWILIO_API_KEY is malformed: it must be "SK" followed by 32 hex digits (Twilio Console > Account > API keys & tokens).'],
    [{ ...SECRETS, ...API_KEY, TWILIO_API_SECRET: 'k3y s3cr3t' }, 'TWILIO_API_SECRET is malformed'],
    [{ ...SECRETS, TWILIO_PHONE_NUMBER: '555-0106' }, 'TWILIO_PHONE_NUMBER'],
    [{ ...SECRETS, TWILIO_MESSAGING_SERVICE_SID: 'MG123' }, 'TWILIO_MESSAGING_SERVICE_SID is malformed'],
    [{ ...SECRETS, TWILIO_VERIFY_SID: VERIFY_SID.replace('VA', 'VB') }, 'TWILIO_VERIFY_SID is malformed'],
    [{ ...SECRETS, TWILIO_VOICE: '<Polly>' }, 'TWILIO_VOICE is malformed'],
    [{ ...SECRETS, TWILIO_AUTH_TOKEN: 42 }, 'TWILIO_AUTH_TOKEN must be a string'],
    [{ ...SECRETS, TWILIO_REGION: 'eu1' }, 'TWILIO_REGION is not a Twilio region this sender knows: use one of us1, ie1, au1, or remove the secret.'],
    [{ ...SECRETS, TWILIO_EDGE: 'paris' }, 'TWILIO_EDGE is not a Twilio edge this sender knows: use one of ashburn, dublin, frankfurt, sao-paulo, singapore, sydney, tokyo, umatilla, or remove the secret.'],
    [{ ...SECRETS, TWILIO_REGION: 'au1', TWILIO_VERIFY_SID: VERIFY_SID }, 'TWILIO_VERIFY_SID cannot be used with TWILIO_REGION=au1: Twilio Verify is served from us1 only.'],
    [{ ...SECRETS, ALLOWED_COUNTRIES: 'US,UK' }, 'ALLOWED_COUNTRIES lists what is not the code of a country with phone numbers (UK)'],
    [{ ...SECRETS, ALLOWED_COUNTRIES: 'USA,Canada' }, 'ALLOWED_COUNTRIES lists what is not the code of a country with phone numbers (USA, CANADA)'],
    [{ ...SECRETS, ALLOWED_COUNTRIES: ' , ' }, 'ALLOWED_COUNTRIES lists no country'],
  ])('names the secret to fix: %j', (secrets, message) => {
    expect(() => read(secrets)).toThrow(ConfigurationError);
    expect(() => read(secrets)).toThrow(message);
  });

  it('reports a missing secrets object as the first missing secret', () => {
    expect(() => read(undefined)).toThrow('TWILIO_ACCOUNT_SID is not set');
  });

  it.each([
    ['TWILIO_AUTH_TOKEN', 'f00dface f00dface'],
    ['TWILIO_API_SECRET', 'k3ys3cr3t k3ys3cr3t'],
  ])('never puts the value of %s in its message', (name, value) => {
    const secrets = { ...SECRETS, ...(name === 'TWILIO_API_SECRET' ? API_KEY : {}), [name]: value };
    expect(() => read(secrets)).toThrow(`${name} is malformed`);
    expect(() => read(secrets)).not.toThrow(value.slice(0, 8));
  });

  it('goes through the edge of the region when TWILIO_EDGE is not set', () => {
    expect(read({ ...SECRETS, TWILIO_REGION: 'ie1' })).toMatchObject({ region: 'ie1', edge: 'dublin' });
    expect(read({ ...SECRETS, TWILIO_REGION: 'au1' })).toMatchObject({ region: 'au1', edge: 'sydney' });
    expect(read({ ...SECRETS, TWILIO_REGION: 'us1' })).toMatchObject({ region: 'us1', edge: undefined });
    expect(read({ ...SECRETS, TWILIO_REGION: 'ie1', TWILIO_EDGE: 'frankfurt' })).toMatchObject({ region: 'ie1', edge: 'frankfurt' });
    expect(read({ ...SECRETS })).toMatchObject({ region: undefined, edge: undefined });
  });

  it('treats a secret set to null as unset, and a secrets object that is not one as empty', () => {
    expect(read({ ...SECRETS, TWILIO_VERIFY_SID: null }).verifyServiceSid).toBeUndefined();
    expect(() => read(null)).toThrow('TWILIO_ACCOUNT_SID is not set');
    expect(() => read('secrets')).toThrow('TWILIO_ACCOUNT_SID is not set');
  });

  it('says where in the Twilio Console a malformed SID is found', () => {
    expect(() => read({ ...SECRETS, TWILIO_MESSAGING_SERVICE_SID: 'MG1' })).toThrow(
      'TWILIO_MESSAGING_SERVICE_SID is malformed: it must be "MG" followed by 32 hex digits (Twilio Console > Messaging > Services), or be removed.',
    );
    expect(() => read({ ...SECRETS, TWILIO_VERIFY_SID: 'VA1' })).toThrow('(Twilio Console > Verify > Services), or be removed.');
  });

  it('says all that Verify outside us1 needs', () => {
    expect(() => read({ ...SECRETS, TWILIO_REGION: 'au1', TWILIO_VERIFY_SID: VERIFY_SID })).toThrow(
      new ConfigurationError(
        'TWILIO_VERIFY_SID cannot be used with TWILIO_REGION=au1: Twilio Verify is served from us1 only. Remove one of them.',
      ),
    );
  });

  it('reports a malformed TWILIO_PHONE_NUMBER as a configuration error naming it', () => {
    expect(() => read({ ...SECRETS, TWILIO_PHONE_NUMBER: '0612345678' })).toThrow(ConfigurationError);
    expect(() => read({ ...SECRETS, TWILIO_PHONE_NUMBER: '0612345678' })).toThrow('TWILIO_PHONE_NUMBER (06***78) starts with 0');
  });

  it.each([['alice'], ['Polly.Joanna2'], ['Google.en-US-Standard-C'], ['Polly.Léa']])('takes the voice name %s', (voice) => {
    expect(read({ ...SECRETS, TWILIO_VOICE: voice }).voice).toBe(voice);
  });

  it.each([['1alice'], ['alice<'], ['<b>alice'], ['a'.repeat(65)]])('refuses the voice name %s', (voice) => {
    expect(() => read({ ...SECRETS, TWILIO_VOICE: voice })).toThrow('TWILIO_VOICE is malformed');
  });

  it('lists at most five entries of ALLOWED_COUNTRIES that are not country codes', () => {
    expect(() => read({ ...SECRETS, ALLOWED_COUNTRIES: 'A1,B2,C3,D4,E5,F6' })).toThrow('(A1, B2, C3, D4, E5):');
  });

  it('checks an allowed country by the number, refusing a number of no country with what to do', () => {
    const { allowedCountries } = read({ ...SECRETS, ALLOWED_COUNTRIES: 'US' });
    expect(allowedCountries?.refusal('+12125550123' as never)).toBeUndefined();
    expect(allowedCountries?.refusal('+99912345678' as never)).toEqual({ why: 'belongs to no country that libphonenumber-js knows, so ALLOWED_COUNTRIES (US) cannot allow it', fix: '' });
    expect(allowedCountries?.refusal('+18765550123' as never)).toEqual({ why: 'belongs to JM, Jamaica, which ALLOWED_COUNTRIES (US) does not list', fix: 'Add JM to ALLOWED_COUNTRIES if codes should go there.' });
  });

  it('names libphonenumber-js when what loads is not the library', () => {
    expect(() => readConfig({ ...SECRETS, ALLOWED_COUNTRIES: 'US' }, () => ({ parsePhoneNumberFromString: () => undefined }))).toThrow(
      'ALLOWED_COUNTRIES needs the npm module "libphonenumber-js"',
    );
  });
});

describe("twilioHost: the host Twilio's library addresses", () => {
  const twilio = require('twilio') as (sid: string, token: string) => { getHostname(host: string, edge?: string, region?: string): string };
  const client = twilio(SECRETS.TWILIO_ACCOUNT_SID, SECRETS.TWILIO_AUTH_TOKEN);

  const regions: (TwilioRegion | undefined)[] = [undefined, ...TWILIO_REGIONS];
  const edges: (TwilioEdge | undefined)[] = [undefined, ...TWILIO_EDGES];
  it.each(regions.flatMap((region) => edges.map((edge): [TwilioRegion | undefined, TwilioEdge | undefined] => [region, edge])))(
    'in region %s through edge %s, for Messaging and Verify alike',
    (region, edge) => {
      for (const product of ['api', 'verify'] as const) {
        expect(twilioHost(product, region, edge)).toBe(client.getHostname(`${product}.twilio.com`, edge, region));
      }
    },
  );
});

describe('readConfig at the edges of what a secret may say', () => {
  it('takes the first and last whole number of each range', () => {
    const lookup = { ...SECRETS, TWILIO_LOOKUP: 'all' };
    expect(read({ ...lookup, TWILIO_LOOKUP_MAX_RISK: '0' }).shield.lookup?.maxRiskScore).toBe(0);
    expect(read({ ...lookup, TWILIO_LOOKUP_MAX_RISK: '100' }).shield.lookup?.maxRiskScore).toBe(100);
    expect(read({ ...SECRETS, ENROLLMENT_VELOCITY: '1' }).shield.enrollmentsPerBlock).toBe(1);
    expect(read({ ...SECRETS, ENROLLMENT_VELOCITY: '1000' }).shield.enrollmentsPerBlock).toBe(1000);
  });

  it('takes whatsapp: only in front of a WhatsApp From number', () => {
    expect(() => read({ ...SECRETS, TWILIO_WHATSAPP_FROM: '+15005550007whatsapp:' })).toThrow(ConfigurationError);
  });

  it('says where to find a template SID, and how to do without one', () => {
    expect(() => read({ ...SECRETS, TWILIO_WHATSAPP_CONTENT_SID: 'HX1' })).toThrow(
      'TWILIO_WHATSAPP_CONTENT_SID is malformed: it must be "HX" followed by 32 hex digits (Twilio Console > Messaging > Content Template Builder), or be removed.',
    );
    expect(() => read({ ...SECRETS, WHATSAPP_COUNTRIES: 'BR', TWILIO_WHATSAPP_FROM: '+15005550007' })).toThrow(
      'WHATSAPP_COUNTRIES is set but TWILIO_WHATSAPP_CONTENT_SID is not: set it to your approved authentication template (Messaging > Content Template Builder, "HX…", the code as variable 1), send through Verify (TWILIO_VERIFY_SID), or remove WHATSAPP_COUNTRIES.',
    );
  });

  it('says what removing a country list means: every country allowed, or no WhatsApp', () => {
    expect(() => read({ ...SECRETS, ALLOWED_COUNTRIES: 'XX' })).toThrow(/, or remove the secret to allow every country\.$/);
    expect(() => read({ ...SECRETS, WHATSAPP_COUNTRIES: 'XX', TWILIO_VERIFY_SID: VERIFY_SID })).toThrow(/, or remove the secret \(or write \* for every country\)\.$/);
  });
});
