import { checkSecrets } from '../../tools/check/checks/secrets';
import { failed, flagged, passed } from '../../tools/check/verdict';
import { API_KEY, MESSAGING_SERVICE_SID, SECRETS, VERIFY_SID } from '../fixtures/values';
import { ALL_BUT_VERIFY, THROUGH_VERIFY } from './harness';
import { PHONE_NUMBER_METADATA } from '../../src/core/number-metadata';

/** The first line of `npm run check`: the secrets as the sender reads them, and what they make it do. No request. */

const read = (secrets: Record<string, string>) => checkSecrets(secrets, '.env', () => require(PHONE_NUMBER_METADATA));

describe('the secrets line', () => {
  it.each([
    ['a number alone', SECRETS, 'SMS from +1500***0006; calls from +1500***0006; recipients in any country.'],
    ['a Messaging Service with WhatsApp through it', ALL_BUT_VERIFY, 'SMS through Messaging Service MG…cdef; calls from +1500***0006; codes to BR on WhatsApp first, with template HX…cdef through Messaging Service MG…cdef; recipients in US, CA, BR only.'],
    ['Verify, WhatsApp to every country through it', THROUGH_VERIFY, 'codes by SMS and call through Verify VA…cdef; notices: SMS from +1500***0006, calls from +1500***0006; codes to every country (*) on WhatsApp first, through Verify; recipients in any country.'],
    ['Verify and a Messaging Service, no number', { ...API_KEY, TWILIO_ACCOUNT_SID: SECRETS.TWILIO_ACCOUNT_SID, TWILIO_VERIFY_SID: VERIFY_SID, TWILIO_MESSAGING_SERVICE_SID: MESSAGING_SERVICE_SID }, 'codes by SMS and call through Verify VA…cdef; notices: SMS through Messaging Service MG…cdef; recipients in any country.'],
  ])('says what the sender does with %s', (_what, secrets, detail) => {
    expect(read(secrets)).toEqual({ verdict: passed('secrets', detail), config: expect.objectContaining({ credentials: expect.objectContaining({ accountSid: SECRETS.TWILIO_ACCOUNT_SID }) }) });
  });

  it('flags a WhatsApp country that ALLOWED_COUNTRIES leaves out: no code goes there', () => {
    const { verdict } = read({ ...ALL_BUT_VERIFY, WHATSAPP_COUNTRIES: 'BR,IN,MX' });
    expect(verdict).toEqual(flagged('secrets', expect.stringMatching(/; but ALLOWED_COUNTRIES leaves out IN, MX, which WHATSAPP_COUNTRIES lists: no code goes there at all\.$/) as unknown as string, 'Add IN, MX to ALLOWED_COUNTRIES in .env, or remove them from WHATSAPP_COUNTRIES.'));
  });

  it("fails a half-set pair with the sender's own words, and hands no configuration on", () => {
    expect(read({ ...SECRETS, TWILIO_API_KEY: API_KEY.TWILIO_API_KEY })).toEqual({
      verdict: failed('secrets', expect.stringMatching(/^TWILIO_API_KEY is set but TWILIO_API_SECRET is not/) as unknown as string, 'Correct it in .env, then run the check again; the sender reads it the same way and would refuse every message.'),
      config: undefined,
    });
  });
});
