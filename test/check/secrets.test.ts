import { checkSecrets } from '../../tools/check/checks/secrets';
import { secretProblems } from '../../tools/check/secret-problems';
import { failed, flagged, passed } from '../../tools/check/verdict';
import { readConfig } from '../../src/core/config';
import { ConfigurationError } from '../../src/core/errors';
import { API_KEY, MESSAGING_SERVICE_SID, SECRETS, VERIFY_SID } from '../fixtures/values';
import { ALL_BUT_VERIFY, THROUGH_VERIFY } from './harness';
import { PHONE_NUMBER_METADATA } from '../../src/core/number-metadata';

/** The first lines of `npm run check`: the secrets as the sender reads them, and what they make it do. No request. */

const library = (): unknown => require(PHONE_NUMBER_METADATA);
const read = (secrets: Record<string, string>) => checkSecrets(secrets, '.env', library);
const CORRECT_IT = 'Correct it in .env, then run the check again; the sender reads it the same way and would refuse every message.';

/** The sender's own message for these secrets: what readConfig throws first. */
function senderSays(secrets: Record<string, string>): string {
  try {
    readConfig(secrets, library);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.message;
    throw error;
  }
  throw new Error('readConfig read these secrets');
}

describe('the secrets line', () => {
  it.each([
    ['a number alone', SECRETS, 'SMS from +1500***0006; calls from +1500***0006; recipients in any country.'],
    ['a Messaging Service with WhatsApp through it', ALL_BUT_VERIFY, 'SMS through Messaging Service MG…cdef; calls from +1500***0006; codes to BR on WhatsApp first, with template HX…cdef through Messaging Service MG…cdef; recipients in US, CA, BR only.'],
    ['Verify, WhatsApp to every country through it', THROUGH_VERIFY, 'codes by SMS and call through Verify VA…cdef; notices: SMS from +1500***0006, calls from +1500***0006; codes to every country (*) on WhatsApp first, through Verify; recipients in any country.'],
    ['Verify and a Messaging Service, no number', { ...API_KEY, TWILIO_ACCOUNT_SID: SECRETS.TWILIO_ACCOUNT_SID, TWILIO_VERIFY_SID: VERIFY_SID, TWILIO_MESSAGING_SERVICE_SID: MESSAGING_SERVICE_SID }, 'codes by SMS and call through Verify VA…cdef; notices: SMS through Messaging Service MG…cdef; recipients in any country.'],
  ])('says what the sender does with %s, in one line', (_what, secrets, detail) => {
    expect(read(secrets)).toEqual({ verdicts: [passed('secrets', detail)], config: expect.objectContaining({ credentials: expect.objectContaining({ accountSid: SECRETS.TWILIO_ACCOUNT_SID }) }) });
  });

  it('flags a WhatsApp country that ALLOWED_COUNTRIES leaves out, on a line of its own: no code goes there', () => {
    const { verdicts } = read({ ...ALL_BUT_VERIFY, WHATSAPP_COUNTRIES: 'BR,IN,MX' });
    expect(verdicts).toEqual([
      expect.objectContaining({ outcome: 'passed' }),
      flagged('secrets', 'ALLOWED_COUNTRIES leaves out IN, MX, which WHATSAPP_COUNTRIES lists: no code goes there at all.', 'Add IN, MX to ALLOWED_COUNTRIES in .env, or remove them from WHATSAPP_COUNTRIES.'),
    ]);
  });

  it("fails a half-set pair with the sender's own words, and hands no configuration on", () => {
    expect(read({ ...SECRETS, TWILIO_API_KEY: API_KEY.TWILIO_API_KEY })).toEqual({
      verdicts: [failed('secrets', expect.stringMatching(/^TWILIO_API_KEY is set but TWILIO_API_SECRET is not/) as unknown as string, CORRECT_IT)],
      config: undefined,
    });
  });
});

describe('every bad secret in one run', () => {
  const BAD: Record<string, string> = { TWILIO_ACCOUNT_SID: 'AC1', TWILIO_PHONE_NUMBER: '+1555', TWILIO_REGION: 'eu1' };
  /** The order the sender reads them in. */
  const READ_ORDER = ['TWILIO_REGION', 'TWILIO_ACCOUNT_SID', 'TWILIO_PHONE_NUMBER'];

  it('a bad SID, a malformed number and an unknown region: three lines, each the sender\'s own message, the fix once, on the last', () => {
    const { verdicts, config } = read({ ...SECRETS, ...BAD });
    expect(config).toBeUndefined();
    expect(verdicts).toEqual([
      failed('secrets', senderSays({ ...SECRETS, TWILIO_REGION: BAD.TWILIO_REGION })),
      failed('secrets', senderSays({ ...SECRETS, TWILIO_ACCOUNT_SID: BAD.TWILIO_ACCOUNT_SID })),
      failed('secrets', senderSays({ ...SECRETS, TWILIO_PHONE_NUMBER: BAD.TWILIO_PHONE_NUMBER }), 'Correct these 3 in .env, then run the check again; the sender reads them the same way and would refuse every message.'),
    ]);
    expect(verdicts.map((verdict) => verdict.detail.split(' ')[0])).toEqual(READ_ORDER);
  });

  it('each secret fixed in turn leaves exactly the others: what one run says is what three runs would', () => {
    for (const name of READ_ORDER) {
      const { [name]: _fixed, ...stillBad } = BAD;
      expect(secretProblems({ ...SECRETS, ...stillBad }, library).problems.map((problem) => problem.split(' ')[0])).toEqual(READ_ORDER.filter((other) => other !== name));
    }
  });

  it.each([
    ['a malformed API key: its half-set secret and the missing token follow from it', { ...SECRETS, TWILIO_AUTH_TOKEN: '', ...API_KEY, TWILIO_API_KEY: 'SK1' }, ['TWILIO_API_KEY is malformed']],
    ['Lookup in a region that has none: its orphaned risk follows from it', { ...SECRETS, TWILIO_REGION: 'au1', TWILIO_LOOKUP: 'all', TWILIO_LOOKUP_MAX_RISK: '50' }, ['TWILIO_LOOKUP cannot be used with TWILIO_REGION=au1']],
    ['a malformed WhatsApp sender: WhatsApp left without a sender follows from it', { ...SECRETS, WHATSAPP_COUNTRIES: '*', TWILIO_WHATSAPP_CONTENT_SID: `HX${'0'.repeat(32)}`, TWILIO_WHATSAPP_FROM: 'Acme' }, ['TWILIO_WHATSAPP_FROM (***)']],
  ])('reports no consequence of a problem already reported: %s', (_what, secrets, starts) => {
    const { problems } = secretProblems(secrets, library);
    expect(problems).toHaveLength(starts.length);
    starts.forEach((start, index) => expect(problems[index]).toMatch(new RegExp(`^${start.replace(/[()*+?.[\]]/g, '\\$&')}`)));
  });

  it("names each malformed secret of the pumping shield, in the sender's words", () => {
    const shield = { TWILIO_LOOKUP: 'sometimes', ENROLLMENT_VELOCITY: 'ten', ALLOWED_NUMBER_TYPES: 'premium' };
    const { problems } = secretProblems({ ...SECRETS, ...shield }, library);
    expect([...problems].sort()).toEqual(Object.keys(shield).map((name) => senderSays({ ...SECRETS, [name]: shield[name as keyof typeof shield] })).sort());
    expect(problems.map((problem) => problem.split(' ')[0]).sort()).toEqual(Object.keys(shield).sort());
  });

  it('reads past a missing account SID and token, with stand-ins that nothing is sent with', () => {
    const { problems } = secretProblems({ TWILIO_PHONE_NUMBER: '+1555', TWILIO_EDGE: 'mars' }, library);
    expect(problems.map((problem) => problem.split(' ')[0])).toEqual(['TWILIO_EDGE', 'TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_PHONE_NUMBER']);
    expect(problems[1]).toBe(senderSays({}));
  });

  it('a file with nothing wrong has no problem and hands the configuration on', () => {
    expect(secretProblems(SECRETS, library)).toEqual({ config: expect.objectContaining({ phoneNumber: SECRETS.TWILIO_PHONE_NUMBER }), problems: [] });
  });
});

describe('the flags of the secrets line', () => {
  it('a name the sender does not read, with the one it most likely meant, beside the failures too', () => {
    const { TWILIO_PHONE_NUMBER: number, ...withoutNumber } = SECRETS;
    const misspelled = read({ ...withoutNumber, TWILIO_PHONE_NUMBR: number, TWILIO_MESSAGING_SERVICE_SID: MESSAGING_SERVICE_SID });
    expect(misspelled.verdicts).toEqual([
      expect.objectContaining({ outcome: 'passed' }),
      flagged('secrets', 'the sender does not read TWILIO_PHONE_NUMBR (TWILIO_PHONE_NUMBER?); npm run deploy deploys such a name anyway, as a secret the action never reads.', 'In .env, rename each to the name the sender reads, or remove it.'),
    ]);
    const alsoBroken = read({ ...SECRETS, TWILIO_REGION: 'eu1', twilio_voice: 'alice' });
    expect(alsoBroken.verdicts.map((verdict) => [verdict.outcome, verdict.detail])).toEqual([
      ['failed', expect.stringMatching(/^TWILIO_REGION is not a Twilio region/)],
      ['flagged', expect.stringMatching(/^the sender does not read twilio_voice \(TWILIO_VOICE\?\);/)],
    ]);
  });

  it('an empty line of an unknown name is not flagged: the deploy drops it too', () => {
    expect(read({ ...SECRETS, TWILIO_PHONE_NUMBR: ' ' }).verdicts).toHaveLength(1);
  });

  it('Verify the only sender: the Custom Phone Provider would drop its notices', () => {
    const { TWILIO_PHONE_NUMBER: _number, ...withoutNumber } = SECRETS;
    const { verdicts } = read({ ...withoutNumber, TWILIO_VERIFY_SID: VERIFY_SID });
    expect(verdicts).toEqual([
      passed('secrets', 'codes by SMS and call through Verify VA…cdef; recipients in any country.'),
      flagged(
        'secrets',
        "TWILIO_VERIFY_SID is the only sender, and Verify carries one-time codes only: the Custom Phone Provider drops its notices (blocked account, password change or breach), unless Auth0's phone provider passes a From number.",
        'If the tenant uses the Custom Phone Provider, set TWILIO_PHONE_NUMBER (notices by SMS and call) or TWILIO_MESSAGING_SERVICE_SID (by SMS) in .env.',
      ),
    ]);
  });

  it.each([
    ['a number', { TWILIO_PHONE_NUMBER: SECRETS.TWILIO_PHONE_NUMBER }],
    ['a Messaging Service', { TWILIO_MESSAGING_SERVICE_SID: MESSAGING_SERVICE_SID }],
  ])('Verify beside %s: no flag, the notices have a sender', (_what, sender) => {
    const { TWILIO_PHONE_NUMBER: _number, ...withoutNumber } = SECRETS;
    expect(read({ ...withoutNumber, ...sender, TWILIO_VERIFY_SID: VERIFY_SID }).verdicts.map((verdict) => verdict.outcome)).toEqual(['passed']);
  });
});
