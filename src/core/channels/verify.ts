import { verifyLocaleFor } from '../language';
import type { Channel } from '../message';
import type { E164 } from '../phone';
import type { Plan } from '../plan';
import type { VerificationListInstanceCreateOptions } from '../twilio-module';

/**
 * A verification through Twilio Verify with Auth0's code as the custom code, so the code Auth0
 * checks is the one delivered. Verify writes the message from its own template, in the login
 * language when Twilio knows it. Sent through `verify.v2`: `client.verify.services` is deprecated
 * and warns on every call in twilio 4+.
 */
export function verificationPlan(serviceSid: string, to: E164, channel: Channel, code: string, language: unknown): Plan {
  const locale = verifyLocaleFor(language);
  const params: VerificationListInstanceCreateOptions = {
    to,
    channel: channel === 'voice' ? 'call' : 'sms',
    customCode: code,
    ...(locale === undefined ? {} : { locale }),
  };
  return { api: 'verify', send: (client) => client.verify.v2.services(serviceSid).verifications.create(params) };
}
