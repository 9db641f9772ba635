import { SECRET_NAMES, type SenderConfig } from '../../../src/core/config';
import type { Check, CheckContext } from '../context';
import { isNotFound, read, unreadable } from '../twilio-failure';
import { failed, passed, skipped, type Verdict } from '../verdict';

/**
 * The countries ALLOWED_COUNTRIES and WHATSAPP_COUNTRIES list, when calls come from
 * TWILIO_PHONE_NUMBER: the account's voice dialing permissions (Voice > Settings > Geo
 * permissions) let it call each of them (GET voice.twilio.com/v1/DialingPermissions/Countries/{IsoCode},
 * one per country, `low_risk_numbers_enabled`). A call to a country they leave off fails with 21408.
 */

const CHECK = 'voice countries';
const GEO_PERMISSIONS = 'Twilio Console > Voice > Settings > Geo permissions';

/** The countries the secrets list, in order, each once. */
function listedCountries(config: SenderConfig): string[] {
  const listed = [...(config.allowedCountries?.countries ?? []), ...(config.whatsapp?.countries.countries ?? [])];
  return [...new Set(listed)].sort();
}

async function checkVoiceCountries({ config, client }: CheckContext): Promise<Verdict> {
  if (config.phoneNumber === undefined) {
    return skipped(CHECK, config.verifyServiceSid === undefined ? `${SECRET_NAMES.phoneNumber} is not set: no calls.` : `${SECRET_NAMES.phoneNumber} is not set: calls go through Verify, whose geo permissions are its own.`);
  }
  const countries = listedCountries(config);
  if (countries.length === 0) {
    return skipped(CHECK, `neither ${SECRET_NAMES.allowedCountries} nor ${SECRET_NAMES.whatsappCountries} lists countries to check; calls may go to any country that ${GEO_PERMISSIONS} allows.`);
  }
  const denied: string[] = [];
  for (const isoCode of countries) {
    const country = await read(() => client.voice.v1.dialingPermissions.countries(isoCode).fetch());
    if (!country.ok) {
      if (isNotFound(country.failure)) denied.push(`${isoCode} (unknown to Twilio)`);
      else return unreadable(CHECK, `the dialing permissions of ${isoCode}`, country.failure, config);
    } else if (country.value.lowRiskNumbersEnabled !== true) denied.push(`${isoCode} (${country.value.name})`);
  }
  if (denied.length > 0) {
    return failed(CHECK, `calls to ${denied.join(', ')} are not permitted: a call there fails with 21408.`,
      `${GEO_PERMISSIONS}: tick ${denied.length === 1 ? 'it' : 'them'} (low-risk numbers) and save, or remove ${denied.length === 1 ? 'it' : 'them'} from the list.`);
  }
  return passed(CHECK, `calls are permitted to ${countries.join(', ')}.`);
}

export const voiceCountriesCheck: Check = { name: CHECK, run: checkVoiceCountries };
