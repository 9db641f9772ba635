import { verifyLocaleFor } from '../language';
import type { DeliveryChannel } from '../message';
import type { E164 } from '../phone';
import type { Route } from '../route';
import type { VerificationListInstanceCreateOptions } from '../twilio-module';

/** Verify's names for the channels. */
const VERIFY_CHANNELS: Readonly<Record<DeliveryChannel, string>> = { sms: 'sms', voice: 'call', whatsapp: 'whatsapp' };

/**
 * Auth0's code as Verify's custom code, so Auth0 checks the code delivered; Verify words the
 * message, in the login language when it knows it. Through `verify.v2`: `client.verify.services`
 * warns on every call in twilio 4+. Verify reports no delivery status: only a refusal shows.
 */
export function verificationRoute(serviceSid: string, to: E164, channel: DeliveryChannel, code: string, language: unknown): Route {
  const locale = verifyLocaleFor(language);
  const params: VerificationListInstanceCreateOptions = {
    to,
    channel: VERIFY_CHANNELS[channel],
    customCode: code,
    ...(locale === undefined ? {} : { locale }),
  };
  return { api: 'verify', channel, confirm: false, send: (client) => client.verify.v2.services(serviceSid).verifications.create(params) };
}
