import { createServer, type AddressInfo } from 'node:net';
import { edgeDomain, routeTwilio } from '../../tools/fake-twilio/route';
import type { FakeTwilio } from '../../tools/fake-twilio/server';
import { notChecked, passed } from '../../tools/check/verdict';
import { RESOURCE_CHECKS } from '../../tools/check/run';
import { API_KEY, SECRETS } from '../fixtures/values';
import { ALL_BUT_VERIFY, checkOn, healthyAccount, outcomes, useCheckFake } from './harness';

/**
 * The first lines of `npm run check`: the host the sender addresses, and the credentials, read
 * from the Account resource (or, for a Standard API key, which may not read it, from a list every
 * key of the account may read).
 */

const MAIN_KEY = { TWILIO_API_KEY: 'SK00000000000000000000000000000a1a', TWILIO_API_SECRET: 'm41n-k3y-s3cr3t-0f-th3-acc0unt' };
const KEY_SECRETS = { TWILIO_ACCOUNT_SID: SECRETS.TWILIO_ACCOUNT_SID, TWILIO_PHONE_NUMBER: SECRETS.TWILIO_PHONE_NUMBER };

describe('the host and the credentials', () => {
  let fake: FakeTwilio;
  useCheckFake((started) => (fake = started));
  beforeEach(() => healthyAccount(fake));

  it('an active Full account with its auth token passes, through api.twilio.com, with one read of the account', async () => {
    const report = await checkOn(fake, SECRETS);
    expect(report.verdict('host')).toEqual(passed('host', 'api.twilio.com answered: the host the sender addresses, for the default region, us1.'));
    expect(report.verdict('credentials')).toEqual(passed('credentials', 'account AC…cdef (Full, active), with the auth token.'));
    expect(fake.requests[0]).toMatchObject({ method: 'GET', host: 'api.twilio.com', path: `/2010-04-01/Accounts/${SECRETS.TWILIO_ACCOUNT_SID}.json` });
    expect(report.ok).toBe(true);
  });

  it('a trial account is flagged, not failed: codes reach verified numbers only, and the fix says how to upgrade', async () => {
    fake.account.set({ type: 'Trial' });
    const report = await checkOn(fake, SECRETS);
    expect(report.verdict('credentials')).toMatchObject({ outcome: 'flagged', detail: expect.stringContaining('(Trial, active)'), fix: expect.stringContaining('Upgrade account') });
    expect(report.verdict('credentials').detail).toContain('only to verified numbers');
    expect(report.ok).toBe(true);
  });

  it.each([
    ['suspended', /Reactivate it/],
    ['closed', /cannot be reopened/],
  ] as const)('a %s account fails, and nothing else is checked', async (status, fix) => {
    fake.account.set({ status });
    const report = await checkOn(fake, ALL_BUT_VERIFY);
    expect(report.verdict('credentials')).toMatchObject({ outcome: 'failed', detail: expect.stringContaining(`a ${status} account sends nothing`), fix: expect.stringMatching(fix) });
    expect(report.verdict('messaging service')).toEqual(notChecked('messaging service', 'not checked: the credentials failed.'));
    expect(fake.requests).toHaveLength(1);
    expect(report.ok).toBe(false);
  });

  it('a wrong auth token fails with 20003 and what to copy again; the resources are then not checked', async () => {
    const report = await checkOn(fake, { ...ALL_BUT_VERIFY, TWILIO_AUTH_TOKEN: 'not-the-token-of-this-account' });
    expect(report.verdict('credentials')).toMatchObject({ outcome: 'failed', detail: expect.stringContaining('Twilio refused TWILIO_ACCOUNT_SID AC…cdef with TWILIO_AUTH_TOKEN (20003)'), fix: expect.stringContaining('Account Info') });
    for (const check of RESOURCE_CHECKS) expect(report.verdict(check.name)).toEqual(notChecked(check.name, 'not checked: the credentials failed.'));
    expect(fake.requests).toHaveLength(1);
  });

  it("a Standard API key passes on a list every key reads, and says it cannot see the account's status or type", async () => {
    const report = await checkOn(fake, { ...KEY_SECRETS, ...API_KEY });
    expect(report.verdict('credentials')).toMatchObject({ outcome: 'passed', detail: expect.stringMatching(/^API key SK…cdef authenticates for account AC…cdef; as a Standard key it may not read the account's status and type/) });
    expect(fake.requests.slice(0, 2).map((request) => [request.path.replace(/^.*\//, ''), request.outcome])).toEqual([
      [`${SECRETS.TWILIO_ACCOUNT_SID}.json`, 401],
      ['IncomingPhoneNumbers.json?PageSize=1', 200],
    ]);
  });

  it('a Main API key reads the account, and so flags a trial account', async () => {
    fake.account.set({ type: 'Trial' }).apiKey(MAIN_KEY.TWILIO_API_KEY, MAIN_KEY.TWILIO_API_SECRET, { type: 'main' });
    const report = await checkOn(fake, { ...KEY_SECRETS, ...MAIN_KEY });
    expect(report.verdict('credentials')).toMatchObject({ outcome: 'flagged', detail: expect.stringContaining('(Trial, active), with API key SK…0a1a') });
  });

  it('an API key of another account fails: Twilio refuses it for this one, and the fix is a key of this account', async () => {
    fake.account.apiKey(MAIN_KEY.TWILIO_API_KEY, MAIN_KEY.TWILIO_API_SECRET, { type: 'main', ofAnotherAccount: true });
    const report = await checkOn(fake, { ...KEY_SECRETS, ...MAIN_KEY });
    expect(report.verdict('credentials')).toMatchObject({
      outcome: 'failed',
      detail: expect.stringContaining('Twilio refused TWILIO_API_KEY SK…0a1a for account AC…cdef (20003): a key of another account or region'),
      fix: expect.stringContaining('Create a Standard key in this account'),
    });
    expect(report.ok).toBe(false);
  });

  it('with TWILIO_REGION=ie1 every read goes through the host the sender addresses, api.dublin.ie1.twilio.com, and a key of us1 is refused there', async () => {
    fake.account.apiKey(MAIN_KEY.TWILIO_API_KEY, MAIN_KEY.TWILIO_API_SECRET, { region: 'us1' });
    const inDublin = { ...KEY_SECRETS, ...MAIN_KEY, TWILIO_REGION: 'ie1' };
    const refused = await checkOn(fake, inDublin);
    expect(refused.verdict('host')).toMatchObject({ outcome: 'passed', detail: 'api.dublin.ie1.twilio.com answered: the host the sender addresses, for region ie1 and edge dublin.' });
    expect(refused.verdict('credentials')).toMatchObject({ outcome: 'failed', fix: expect.stringContaining('in this account in region ie1') });

    fake.reset();
    healthyAccount(fake);
    fake.account.apiKey(MAIN_KEY.TWILIO_API_KEY, MAIN_KEY.TWILIO_API_SECRET, { region: 'ie1' });
    const passing = await checkOn(fake, { ...inDublin, TWILIO_EDGE: 'frankfurt' });
    expect(outcomes(passing)).toMatchObject({ host: 'passed', credentials: 'passed', 'phone number': 'passed' });
    expect(passing.host).toBe('api.frankfurt.ie1.twilio.com');
    expect(new Set(fake.requests.map((request) => request.host))).toEqual(new Set(['api.frankfurt.ie1.twilio.com']));
  });

  it('a host that does not answer fails the host line with the region and edge to check; the rest is not checked', async () => {
    // Sydney's hosts go to a port nothing listens on any more: a host that is down.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const undo = routeTwilio(port, edgeDomain('sydney', 'au1'));
    const report = await checkOn(fake, { ...SECRETS, TWILIO_REGION: 'au1' }).finally(undo);
    expect(report.verdict('host')).toMatchObject({ outcome: 'failed', detail: 'api.sydney.au1.twilio.com did not answer (ECONNREFUSED).', fix: expect.stringMatching(/^Check TWILIO_REGION and TWILIO_EDGE, which make this host \(region au1 and edge sydney\)/) });
    expect(report.verdict('credentials')).toEqual(notChecked('credentials', 'not checked: Twilio did not answer.'));
    expect(report.verdict('phone number')).toMatchObject({ outcome: 'not checked', detail: 'not checked: Twilio did not answer.' });
    expect(report.ok).toBe(false);
  });
});
