import { ConfigurationError } from './errors';
import type RequestClient = require('twilio/lib/base/RequestClient');
import type { MessageListInstanceCreateOptions } from 'twilio/lib/rest/api/v2010/account/message';
import type { CallListInstanceCreateOptions } from 'twilio/lib/rest/api/v2010/account/call';
import type { VerificationListInstanceCreateOptions } from 'twilio/lib/rest/verify/v2/service/verification';
import type VoiceResponse = require('twilio/lib/twiml/VoiceResponse');

export type { MessageListInstanceCreateOptions, CallListInstanceCreateOptions, VerificationListInstanceCreateOptions };

/** What a twilio client (3 to 6) hands its `httpClient` for one request: the library's own type. */
export type TwilioRequestOptions = RequestClient.RequestOptions<Record<string, unknown>, Record<string, unknown>>;

/** What the client expects back: the status, the raw body (it parses JSON itself) and the headers. */
export interface TwilioResponse {
  statusCode: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** The one method of `RequestClient` a twilio client calls; the sender brings its own (transport.ts). */
export interface TwilioHttpClient {
  request(options: TwilioRequestOptions): Promise<TwilioResponse>;
  /**
   * The HTTP status of a success Twilio answered to a create (a POST) of this client's attempt,
   * from the moment its headers came (Node reports nothing earlier): the resource exists, whatever
   * happens to its body.
   */
  readonly acceptedStatus?: number | undefined;
}

/** The options the sender builds a client with; every twilio from 3 to 6 reads these. */
export interface TwilioClientOptions {
  httpClient: TwilioHttpClient;
  /** The account whose resources are used, when the credentials are an API key. */
  accountSid: string;
  region?: string;
  edge?: string;
}

/** What a created Twilio resource answers with that the sender uses. */
export interface CreatedResource {
  sid: unknown;
}

/** What a message's status, read back, holds that the sender uses (twilio 3 to 6 name them alike). */
export interface MessageStatusResource {
  status: unknown;
  errorCode: unknown;
}

/**
 * The part of a twilio client the sender calls. The real client from twilio 3 to 6 fits it, and
 * so does a small mock in the unit tests; the parameter types are the library's own.
 */
export interface TwilioClient {
  messages: ((sid: string) => { fetch(): Promise<MessageStatusResource> }) & {
    create(params: MessageListInstanceCreateOptions): Promise<CreatedResource>;
  };
  calls: { create(params: CallListInstanceCreateOptions): Promise<CreatedResource> };
  verify: {
    v2: {
      services(serviceSid: string): {
        verifications: { create(params: VerificationListInstanceCreateOptions): Promise<CreatedResource> };
      };
    };
  };
  /**
   * A request the client makes as any other (its credentials, headers, and the host of its region
   * and edge) and answers raw, as its `httpClient` did: how Lookup is asked, since twilio 3's
   * Lookup resource drops the `sms_pumping_risk` package.
   */
  request(options: { method: 'get'; uri: string; params: Record<string, string> }): Promise<TwilioResponse>;
}

/** `require('twilio')`, as far as the sender uses it. */
export interface TwilioModule {
  (username: string, password: string, options: TwilioClientOptions): TwilioClient;
  twiml: { VoiceResponse: typeof VoiceResponse };
}

/** Where a tenant declares the npm modules the sender needs, in an action and in the Hooks editor. */
export const DEPENDENCIES_PLACE = '(Action > Dependencies, or Hooks editor > Settings > NPM Modules)';

/** Loaded at the first send, not at compile time, so a missing dependency is reported as what to fix. */
export function loadTwilio(load: () => unknown): TwilioModule {
  let twilio: unknown;
  try {
    twilio = load();
  } catch {
    throw new ConfigurationError(
      `The npm module "twilio" is not available: declare it as a dependency ${DEPENDENCIES_PLACE}.`,
    );
  }
  if (typeof twilio !== 'function') {
    throw new ConfigurationError('The module "twilio" is not the Twilio helper library; declare the npm package "twilio", version 3 or later.');
  }
  return twilio as TwilioModule;
}
