import { verifyLocaleFor } from '../language';
import type { CreatedResource, TwilioClient, VerificationListInstanceCreateOptions } from '../twilio-module';
import type { Channel } from '../message';
import type { E164 } from '../phone';

/**
 * Verify parameters with Auth0's code as the custom code, so the code Auth0 checks is the one
 * delivered. Verify writes the message from its own template, in `locale` when Twilio knows it.
 */
export function verificationParams(
  to: E164,
  channel: Channel,
  code: string,
  language: unknown,
): VerificationListInstanceCreateOptions {
  const locale = verifyLocaleFor(language);
  return {
    to,
    channel: channel === 'voice' ? 'call' : 'sms',
    customCode: code,
    ...(locale === undefined ? {} : { locale }),
  };
}

/** Through `verify.v2`: `client.verify.services` is deprecated and warns on every call in twilio 4+. */
export function startVerification(
  client: TwilioClient,
  serviceSid: string,
  params: VerificationListInstanceCreateOptions,
): Promise<CreatedResource> {
  return client.verify.v2.services(serviceSid).verifications.create(params);
}
