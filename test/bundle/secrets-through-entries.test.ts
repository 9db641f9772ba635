import { ENTRIES, runEntry } from '../helpers/entries';
import { API_KEY, SECRETS, VERIFY_SID } from '../fixtures/values';
import { expectNoSecrets } from '../helpers/no-secrets';
import { createdAnswer, scriptedTwilio } from '../helpers/scripted-twilio';
import { PHONE_NUMBER_METADATA } from '../../src/core/number-metadata';
import { refuseTwilioConnections } from '../helpers/fake-twilio';

refuseTwilioConnections();

const ACCOUNT_PATH = `/2010-04-01/Accounts/${SECRETS.TWILIO_ACCOUNT_SID}/Messages.json`;
const libphonenumber = require(PHONE_NUMBER_METADATA) as unknown;

// Each secret of the README, through the compiled hook and both actions, with the real twilio 4
// and 6 building the requests: what reaches the wire, or the error that names the secret.
describe.each(['twilio-v4', 'twilio-v6'])('with %s', (twilioPackage) => {
  describe.each(ENTRIES)('the %s', (entry) => {
    function send(secrets: Record<string, string>, recipient?: string, modules: Record<string, unknown> = { [PHONE_NUMBER_METADATA]: libphonenumber }) {
      const twilio = scriptedTwilio(twilioPackage, (request) => createdAnswer(request.uri));
      return runEntry(entry, twilio.module, { secrets, ...(recipient === undefined ? {} : { recipient }) }, { modules }).then((outcome) => ({ ...outcome, requests: twilio.requests }));
    }

    it.each([
      [{}, `https://api.twilio.com${ACCOUNT_PATH}`],
      [{ TWILIO_REGION: 'ie1' }, `https://api.dublin.ie1.twilio.com${ACCOUNT_PATH}`],
      [{ TWILIO_REGION: 'AU1' }, `https://api.sydney.au1.twilio.com${ACCOUNT_PATH}`],
      [{ TWILIO_REGION: 'ie1', TWILIO_EDGE: 'frankfurt' }, `https://api.frankfurt.ie1.twilio.com${ACCOUNT_PATH}`],
      [{ TWILIO_REGION: 'us1' }, `https://api.us1.twilio.com${ACCOUNT_PATH}`],
      [{ TWILIO_EDGE: 'tokyo' }, `https://api.tokyo.us1.twilio.com${ACCOUNT_PATH}`],
    ])('addresses the host of %j', async (location, uri) => {
      const outcome = await send({ ...SECRETS, ...location });
      expect(outcome.delivered).toBe(true);
      expect(outcome.requests.map((request) => request.uri)).toEqual([uri]);
    });

    it('authenticates with the API key, for the account of TWILIO_ACCOUNT_SID, whether the auth token is set or not', async () => {
      const { TWILIO_AUTH_TOKEN: _unused, ...withoutToken } = SECRETS;
      for (const secrets of [{ ...withoutToken, ...API_KEY }, { ...SECRETS, ...API_KEY }]) {
        const outcome = await send(secrets);
        expect(outcome.requests).toEqual([expect.objectContaining({ uri: `https://api.twilio.com${ACCOUNT_PATH}`, username: API_KEY.TWILIO_API_KEY, password: API_KEY.TWILIO_API_SECRET })]);
        expectNoSecrets([outcome.raw, outcome.logs], [API_KEY.TWILIO_API_SECRET, SECRETS.TWILIO_AUTH_TOKEN]);
      }
    });

    it.each([
      ['+14165550123', 'CA', true],
      ['+12125550123', 'US', true],
      ['+18765550123', 'JM, Jamaica', false],
      ['+12642920000', 'AI, Anguilla', false],
      ['+18092345678', 'DO, Dominican Republic', false],
      ['+447911123456', 'GG, Guernsey', false],
    ])('with ALLOWED_COUNTRIES=US,CA, sends to %s (%s) only if allowed, even within a calling code countries share', async (recipient, country, allowed) => {
      const outcome = await send({ ...SECRETS, ALLOWED_COUNTRIES: 'US,CA' }, recipient);
      expect(outcome.delivered).toBe(allowed);
      expect(outcome.requests).toHaveLength(allowed ? 1 : 0);
      if (!allowed) {
        expect(outcome.transient).toBe(false);
        expect(outcome.message).toMatch(new RegExp(`belongs to ${country}, which ALLOWED_COUNTRIES \\(US,CA\\) does not list; nothing was sent\\. Add ${country.slice(0, 2)} to ALLOWED_COUNTRIES`));
        expect(outcome.message).not.toContain(recipient);
      }
    });

    it('names the module to declare when ALLOWED_COUNTRIES is set without libphonenumber-js', async () => {
      const outcome = await send({ ...SECRETS, ALLOWED_COUNTRIES: 'US' }, undefined, { [PHONE_NUMBER_METADATA]: undefined });
      expect(outcome).toMatchObject({ delivered: false, transient: false, message: expect.stringContaining('ALLOWED_COUNTRIES needs the npm module "libphonenumber-js"') });
      expect(outcome.requests).toHaveLength(0);
    });

    it('does not load libphonenumber-js when ALLOWED_COUNTRIES is not set', async () => {
      const outcome = await send({ ...SECRETS }, undefined, { [PHONE_NUMBER_METADATA]: undefined });
      expect(outcome.delivered).toBe(true);
    });

    it.each([
      ['an API key without its secret', { ...SECRETS, TWILIO_API_KEY: API_KEY.TWILIO_API_KEY }, 'TWILIO_API_KEY is set but TWILIO_API_SECRET is not'],
      ['an API secret without its key', { ...SECRETS, TWILIO_API_SECRET: API_KEY.TWILIO_API_SECRET }, 'TWILIO_API_SECRET is set but TWILIO_API_KEY is not'],
      ['a key that is not SK…', { ...SECRETS, ...API_KEY, TWILIO_API_KEY: 'AK0123456789abcdef0123456789abcdef' }, 'TWILIO_API_KEY is malformed'],
      ['an unknown region', { ...SECRETS, TWILIO_REGION: 'de1' }, 'TWILIO_REGION is not a Twilio region this sender knows: use one of us1, ie1, au1'],
      ['an unknown edge', { ...SECRETS, TWILIO_EDGE: 'london' }, 'TWILIO_EDGE is not a Twilio edge this sender knows: use one of ashburn, dublin'],
      ['Verify outside us1', { ...SECRETS, TWILIO_REGION: 'ie1', TWILIO_VERIFY_SID: VERIFY_SID }, 'TWILIO_VERIFY_SID cannot be used with TWILIO_REGION=ie1: Twilio Verify is served from us1 only'],
      ['a country name for a code', { ...SECRETS, ALLOWED_COUNTRIES: 'USA' }, 'ALLOWED_COUNTRIES lists what is not the code of a country with phone numbers (USA)'],
    ])('refuses %s before any request, naming the secret', async (_case, secrets, message) => {
      const outcome = await send(secrets);
      expect(outcome).toMatchObject({ delivered: false, transient: false, message: expect.stringContaining(message) });
      expect(outcome.requests).toHaveLength(0);
      expectNoSecrets([outcome.raw, outcome.logs], [API_KEY.TWILIO_API_SECRET, SECRETS.TWILIO_AUTH_TOKEN]);
    });
  });
});
