import { SECRET_NAMES } from '../../../src/core/config';
import type { Check, CheckContext } from '../context';
import { isNotFound, read, unreadable } from '../twilio-failure';
import { failed, named, notConfigured, passed, shortSid, type Verdict } from '../verdict';

/**
 * TWILIO_WHATSAPP_CONTENT_SID, when WhatsApp goes through Programmable Messaging: the template
 * exists (GET content.twilio.com/v1/Content/{Sid}), is an authentication template (its types hold
 * `whatsapp/authentication`: WhatsApp carries one-time codes only in those), and WhatsApp approved
 * it in the AUTHENTICATION category (GET …/Content/{Sid}/ApprovalRequests). Until it is approved
 * every WhatsApp code fails and goes by SMS after a wasted attempt.
 */

const CHECK = 'whatsapp template';
const AUTHENTICATION_TYPE = 'whatsapp/authentication';
const TEMPLATE_BUILDER = 'Twilio Console > Messaging > Content Template Builder';

async function checkWhatsAppTemplate({ config, client }: CheckContext): Promise<Verdict> {
  const route = config.whatsapp?.route;
  if (route === undefined) return notConfigured(CHECK, `${SECRET_NAMES.whatsappCountries} is not set.`);
  if (route.kind === 'verify') return notConfigured(CHECK, `codes on WhatsApp go through Verify (${SECRET_NAMES.verifyServiceSid}), with Verify's own template: see the verify line.`);
  const sid = route.contentSid;
  const template = client.content.v1.contents(sid);
  const fetched = await read(() => template.fetch());
  if (!fetched.ok) {
    return isNotFound(fetched.failure)
      ? failed(CHECK, `${shortSid(sid)} is not a Content template of this account (20404).`, `Copy the template's SID (HX…) from ${TEMPLATE_BUILDER} into ${SECRET_NAMES.whatsappContentSid}.`)
      : unreadable(CHECK, `template ${shortSid(sid)}`, fetched.failure, config);
  }
  const name = named(fetched.value.friendlyName, sid);
  const types = Object.keys((fetched.value.types ?? {}) as Record<string, unknown>);
  const create = `In ${TEMPLATE_BUILDER}, create a template of the Authentication type (the code is its variable 1), submit it for WhatsApp approval, and set ${SECRET_NAMES.whatsappContentSid} to it.`;
  if (!types.includes(AUTHENTICATION_TYPE)) {
    return failed(CHECK, `${name} is a ${types.join(', ') || 'typeless'} template, not an authentication one: WhatsApp carries one-time codes only in authentication templates.`, create);
  }
  const approval = await read(() => template.approvalFetch().fetch());
  if (!approval.ok) return unreadable(CHECK, `the WhatsApp approval of ${name}`, approval.failure, config);
  const whatsapp = (approval.value.whatsapp ?? {}) as { status?: unknown; category?: unknown; rejection_reason?: unknown };
  const status = typeof whatsapp.status === 'string' && whatsapp.status !== '' ? whatsapp.status : 'unsubmitted';
  if (status !== 'approved') {
    const reason = typeof whatsapp.rejection_reason === 'string' && whatsapp.rejection_reason !== '' ? ` (${whatsapp.rejection_reason.replace(/\.$/, '')})` : '';
    const fix = status === 'unsubmitted'
      ? `In ${TEMPLATE_BUILDER}, open ${fetched.value.friendlyName || shortSid(sid)} and submit it for WhatsApp approval, in the Authentication category.`
      : status === 'rejected' || status === 'paused' || status === 'disabled'
        ? create
        : `Wait for WhatsApp's review (${TEMPLATE_BUILDER} shows its status); until then codes go by SMS.`;
    return failed(CHECK, `WhatsApp has not approved ${name}: its status is ${status}${reason}; every WhatsApp code fails until it is.`, fix);
  }
  if (whatsapp.category !== 'AUTHENTICATION') {
    return failed(CHECK, `WhatsApp approved ${name} in the ${String(whatsapp.category)} category, not AUTHENTICATION.`, create);
  }
  return passed(CHECK, `${name} is an authentication template WhatsApp approved.`);
}

export const whatsappTemplateCheck: Check = { name: CHECK, run: checkWhatsAppTemplate };
