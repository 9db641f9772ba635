import type { ClientOpts } from 'twilio/lib/base/BaseTwilio';
import type { MessageListInstanceCreateOptions } from 'twilio/lib/rest/api/v2010/account/message';
import type { CallListInstanceCreateOptions } from 'twilio/lib/rest/api/v2010/account/call';
import type { VerificationListInstanceCreateOptions } from 'twilio/lib/rest/verify/v2/service/verification';
import type VoiceResponse = require('twilio/lib/twiml/VoiceResponse');

export type { ClientOpts, MessageListInstanceCreateOptions, CallListInstanceCreateOptions, VerificationListInstanceCreateOptions };

/** What a created Twilio resource answers with that the sender uses. */
export interface CreatedResource {
  sid: string;
}

/**
 * The part of a twilio client the sender calls. The real client from twilio 3 to 6 fits it, and
 * so does a small mock in the unit tests; the parameter types are the library's own.
 */
export interface TwilioClient {
  messages: { create(params: MessageListInstanceCreateOptions): Promise<CreatedResource> };
  calls: { create(params: CallListInstanceCreateOptions): Promise<CreatedResource> };
  verify: {
    v2: {
      services(serviceSid: string): {
        verifications: { create(params: VerificationListInstanceCreateOptions): Promise<CreatedResource> };
      };
    };
  };
}

/** `require('twilio')`, as far as the sender uses it. */
export interface TwilioModule {
  (accountSid: string, authToken: string, options?: ClientOpts): TwilioClient;
  twiml: { VoiceResponse: typeof VoiceResponse };
}
