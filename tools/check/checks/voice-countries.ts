import { SECRET_NAMES } from '../../../src/core/config';
import type { Check, CheckContext } from '../context';
import { isNotFound, read, unreadable } from '../twilio-failure';
import { TENANT_CALLS_CHECK, toTellWhetherCallsAreOn } from './tenant-calls';
import { failed, flagged, notConfigured, passed, type Verdict } from '../verdict';

/**
 * The countries calls can go to, when calls come from TWILIO_PHONE_NUMBER and the tenant may offer
 * them: those ALLOWED_COUNTRIES lists (a WhatsApp country gets calls only as any other country
 * does, and without ALLOWED_COUNTRIES calls may go anywhere). The account's voice dialing
 * permissions (Voice > Settings > Geo permissions) must let it call each (GET
 * voice.twilio.com/v1/DialingPermissions/Countries/{IsoCode}, one per country,
 * `low_risk_numbers_enabled`): a call to a country they leave off fails with 21408. Failed when the
 * tenant offers calls, flagged when the check cannot tell, not configured when it offers none.
 */

const CHECK = 'voice countries';
const GEO_PERMISSIONS = 'Twilio Console > Voice > Settings > Geo permissions';

async function checkVoiceCountries({ config, client, calls }: CheckContext): Promise<Verdict> {
  if (config.phoneNumber === undefined) {
    return notConfigured(CHECK, config.verifyServiceSid === undefined ? `${SECRET_NAMES.phoneNumber} is not set: no calls.` : `${SECRET_NAMES.phoneNumber} is not set: calls go through Verify, whose geo permissions are its own.`);
  }
  if (calls.known && !calls.on) return notConfigured(CHECK, `the tenant offers no calls: see the ${TENANT_CALLS_CHECK} line.`);
  const countries = [...(config.allowedCountries?.countries ?? [])].sort();
  if (countries.length === 0) {
    return notConfigured(CHECK, `${SECRET_NAMES.allowedCountries} lists no countries: calls may go to any country that ${GEO_PERMISSIONS} allows.`);
  }
  const denied: string[] = [];
  for (const isoCode of countries) {
    const country = await read(() => client.voice.v1.dialingPermissions.countries(isoCode).fetch());
    if (!country.ok) {
      if (isNotFound(country.failure)) denied.push(`${isoCode} (unknown to Twilio)`);
      else return unreadable(CHECK, `the dialing permissions of ${isoCode}`, country.failure, config);
    } else if (country.value.lowRiskNumbersEnabled !== true) denied.push(`${isoCode} (${country.value.name})`);
  }
  if (denied.length === 0) return passed(CHECK, `calls are permitted to ${countries.join(', ')}.`);
  const them = denied.length === 1 ? 'it' : 'them';
  const permit = `${GEO_PERMISSIONS}: tick ${them} (low-risk numbers) and save, or remove ${them} from ${SECRET_NAMES.allowedCountries}`;
  if (calls.known) return failed(CHECK, `calls to ${denied.join(', ')} are not permitted: a call there fails with 21408.`, `${permit}.`);
  return flagged(CHECK, `calls to ${denied.join(', ')} are not permitted: a call there fails with 21408, if the tenant offers calls, which the check cannot tell.`,
    `${permit}; or, if the tenant offers no calls, ${toTellWhetherCallsAreOn(calls)}.`);
}

export const voiceCountriesCheck: Check = { name: CHECK, run: checkVoiceCountries };
