import type { FakeTwilio } from '../../tools/fake-twilio/server';
import { failed, flagged, notConfigured, passed } from '../../tools/check/verdict';
import type { TenantCalls } from '../../tools/check/tenant-calls';
import { SECRETS } from '../fixtures/values';
import { ALL_BUT_VERIFY, CALLS_OFF, CALLS_ON, CALLS_UNKNOWN, checkOn, healthyAccount, outcomes, useCheckFake } from './harness';

/**
 * The check asks for voice (the number's voice capability, the countries' voice permissions) as
 * far as the tenant offers calls: failed when it does, not asked when it does not, flagged when
 * the check cannot tell, with how to let it; and says which it is on a line of its own.
 */

/** The AUTH0_ lines are set, but the tenant could not be read. */
const CALLS_UNREADABLE: TenantCalls = {
  known: false,
  configured: true,
  why: 'the tenant\'s MFA phone message types could not be read: Auth0 refused the client credentials (access_denied: Unauthorized)',
  fix: 'Check AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET.',
};

describe('whether the tenant offers calls', () => {
  let fake: FakeTwilio;
  useCheckFake((started) => (fake = started));
  beforeEach(() => {
    healthyAccount(fake);
    // A number without voice, and no voice to Brazil: a voice problem in each voice line.
    fake.inventory.number(SECRETS.TWILIO_PHONE_NUMBER, { voice: false }).denyVoice('BR');
  });

  it('calls on: the voice problems fail, and the tenant calls line says where that comes from', async () => {
    const report = await checkOn(fake, ALL_BUT_VERIFY, { calls: CALLS_ON });
    expect(report.verdict('tenant calls')).toEqual(passed('tenant calls', "acme.eu.auth0.com's MFA phone message types are sms, voice: calls are on, so voice is checked."));
    expect(report.verdict('phone number')).toEqual(failed('phone number', '+1500***0006 has no voice capability, and calls are placed from it.', 'Choose a number with voice in Twilio Console > Phone Numbers > Manage > Active numbers (its Capabilities column), or buy one.'));
    expect(report.verdict('voice countries').outcome).toBe('failed');
    expect(report.ok).toBe(false);
  });

  it('calls off: no voice is asked for, none read, and the check passes', async () => {
    const report = await checkOn(fake, ALL_BUT_VERIFY, { calls: CALLS_OFF });
    expect(report.verdict('tenant calls')).toEqual(passed('tenant calls', "acme.eu.auth0.com's MFA phone message types are sms: calls are off, so voice is not checked."));
    expect(report.verdict('phone number')).toEqual(passed('phone number', '+1500***0006 is a number of this account; its voice is not checked: the tenant offers no calls.'));
    expect(report.verdict('voice countries')).toEqual(notConfigured('voice countries', 'the tenant offers no calls: see the tenant calls line.'));
    expect(fake.requests.some((request) => request.host === 'voice.twilio.com')).toBe(false);
    expect(report.ok).toBe(true);
  });

  it('calls off still asks for SMS where SMS come from the number', async () => {
    fake.inventory.number(SECRETS.TWILIO_PHONE_NUMBER, { voice: false, sms: false });
    const report = await checkOn(fake, SECRETS, { calls: CALLS_OFF });
    expect(report.verdict('phone number')).toMatchObject({ outcome: 'failed', detail: '+1500***0006 has no SMS capability, and SMS are sent from it.' });
  });

  it('calls unknown without the AUTH0_ lines: each voice problem is flagged, saying how to let the check tell, and the check passes', async () => {
    const report = await checkOn(fake, ALL_BUT_VERIFY, { calls: CALLS_UNKNOWN });
    expect(report.verdict('tenant calls')).toEqual(
      notConfigured('tenant calls', 'AUTH0_DOMAIN, AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET are not set: the check cannot tell whether the tenant offers calls, so a voice problem is flagged, not failed. Set them.'),
    );
    const howToTell = 'set AUTH0_DOMAIN, AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET in the secrets file to let the check read whether the tenant offers calls.';
    expect(report.verdict('phone number')).toEqual(
      flagged(
        'phone number',
        '+1500***0006 has no voice capability, and calls are placed from it if the tenant offers them, which the check cannot tell.',
        `Choose a number with voice in Twilio Console > Phone Numbers > Manage > Active numbers (its Capabilities column), or buy one; or, if the tenant offers no calls, ${howToTell}`,
      ),
    );
    expect(report.verdict('voice countries')).toEqual(
      flagged(
        'voice countries',
        'calls to BR (Brazil) are not permitted: a call there fails with 21408, if the tenant offers calls, which the check cannot tell.',
        `Twilio Console > Voice > Settings > Geo permissions: tick it (low-risk numbers) and save, or remove it from ALLOWED_COUNTRIES; or, if the tenant offers no calls, ${howToTell}`,
      ),
    );
    expect(report.ok).toBe(true);
  });

  it('calls unknown because the tenant could not be read: the line is flagged with why and the fix, and the voice flags point at it', async () => {
    const report = await checkOn(fake, ALL_BUT_VERIFY, { calls: CALLS_UNREADABLE });
    expect(report.verdict('tenant calls')).toEqual(
      flagged(
        'tenant calls',
        "the tenant's MFA phone message types could not be read: Auth0 refused the client credentials (access_denied: Unauthorized): the check cannot tell whether the tenant offers calls, so a voice problem is flagged, not failed.",
        'Check AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET.',
      ),
    );
    expect(report.verdict('phone number').fix).toMatch(/; or, if the tenant offers no calls, see the tenant calls line for why the tenant could not be read\.$/);
    expect(outcomes(report)).toMatchObject({ 'tenant calls': 'flagged', 'phone number': 'flagged', 'voice countries': 'flagged' });
    expect(report.ok).toBe(true);
  });
});
