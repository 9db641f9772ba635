import { SECRET_NAMES } from '../../../src/core/config';
import type { Check, CheckContext } from '../context';
import { isNotFound, read, unreadable } from '../twilio-failure';
import { failed, named, notConfigured, passed, shortSid, type Verdict } from '../verdict';

/**
 * TWILIO_VERIFY_SID: the service exists (GET verify.twilio.com/v2/Services/{Sid}), takes custom
 * codes (without them Verify refuses every code Auth0 hands over, 60204), and, when WhatsApp goes
 * through Verify, has a WhatsApp sender (its `whatsapp.from` or `whatsapp.msg_service_sid`).
 */

const CHECK = 'verify';

async function checkVerifyService({ config, client }: CheckContext): Promise<Verdict> {
  const sid = config.verifyServiceSid;
  if (sid === undefined) return notConfigured(CHECK, `${SECRET_NAMES.verifyServiceSid} is not set.`);
  const fetched = await read(() => client.verify.v2.services(sid).fetch());
  if (!fetched.ok) {
    return isNotFound(fetched.failure)
      ? failed(CHECK, `${shortSid(sid)} is not a Verify service of this account (20404).`, `Copy the Service SID (VA…) from Twilio Console > Verify > Services, or remove ${SECRET_NAMES.verifyServiceSid}.`)
      : unreadable(CHECK, shortSid(sid), fetched.failure, config);
  }
  const service = fetched.value;
  const settings = `Twilio Console > Verify > Services > ${service.friendlyName || shortSid(sid)}`;
  const name = named(service.friendlyName, sid);
  const problems: [string, string][] = [];
  if (service.customCodeEnabled !== true) {
    problems.push([
      'does not accept custom codes, so it refuses every code Auth0 hands it (60204)',
      `${settings} > General > Enable Custom Verification Code (if the setting is missing, ask Twilio Support to enable custom codes on the account)`,
    ]);
  }
  const whatsapp = config.whatsapp?.route.kind === 'verify';
  // The library hands nested objects over as Twilio wrote them, in snake_case.
  const channel = (service.whatsapp ?? {}) as { from?: unknown; msg_service_sid?: unknown };
  const hasWhatsAppSender = [channel.from, channel.msg_service_sid].some((value) => typeof value === 'string' && value !== '');
  if (whatsapp && !hasWhatsAppSender) {
    problems.push([`has no WhatsApp sender, and ${SECRET_NAMES.whatsappCountries} sends codes on WhatsApp through it (68008)`, `${settings} > WhatsApp: choose a WhatsApp sender`]);
  }
  if (problems.length > 0) return failed(CHECK, `${name} ${problems.map(([problem]) => problem).join('; it ')}.`, `${problems.map(([, fix]) => fix).join('; ')}.`);
  return passed(CHECK, `${name} accepts Auth0's codes as custom codes${whatsapp ? ', and has a WhatsApp sender' : ''}.`);
}

export const verifyServiceCheck: Check = { name: CHECK, run: checkVerifyService };
