import twilio = require('twilio');
import type {
  CallListInstanceCreateOptions,
  CreatedResource,
  MessageListInstanceCreateOptions,
  MessageStatusResource,
  TwilioClient,
  TwilioClientOptions,
  TwilioModule,
  TwilioResponse,
  VerificationListInstanceCreateOptions,
} from '../../src/core/twilio-module';

/** An error shaped like the one the sender's transport (or twilio's RestException) gives an HTTP error answer. */
export function twilioRestError(status: number, code: number | undefined, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { status, code, ...extra });
}

/** What Lookup v2 answers for `number` with both packages: a mobile line without pumping risk unless `signals` say otherwise. */
export function lookupAnswer(number: string, signals: { lineType?: string; riskScore?: number; blocked?: boolean }): Record<string, unknown> {
  return {
    calling_country_code: '1',
    country_code: 'US',
    phone_number: number,
    national_format: null,
    valid: true,
    validation_errors: null,
    line_type_intelligence: { type: signals.lineType ?? 'mobile', carrier_name: 'Carrier', mobile_country_code: '310', mobile_network_code: '260', error_code: null },
    sms_pumping_risk: {
      carrier_risk_category: 'low',
      number_blocked: signals.blocked ?? false,
      number_blocked_date: null,
      number_blocked_last_3_months: null,
      sms_pumping_risk_score: signals.riskScore ?? 0,
      error_code: null,
    },
    url: `https://lookups.twilio.com/v2/PhoneNumbers/${number}`,
  };
}

/** An error shaped like a connection failure from Node's sockets. */
export function networkError(code: string): Error {
  return Object.assign(new Error(`socket hang up (${code})`), {
    code,
    // A library's error may carry the request, Authorization header included; it must never leak.
    config: { headers: { Authorization: 'Basic c2VjcmV0' } },
  });
}

/**
 * A twilio module whose client records every call and answers from jest mocks. Its TwiML
 * builder is the real library's, so the unit tests see the markup Twilio would receive.
 */
export function mockTwilio() {
  const messagesCreate = jest.fn(async (_params: MessageListInstanceCreateOptions): Promise<CreatedResource> => ({
    sid: 'SM00000000000000000000000000000001',
  }));
  const callsCreate = jest.fn(async (_params: CallListInstanceCreateOptions): Promise<CreatedResource> => ({
    sid: 'CA00000000000000000000000000000001',
  }));
  const verificationsCreate = jest.fn(
    async (_params: VerificationListInstanceCreateOptions): Promise<CreatedResource> => ({
      sid: 'VE00000000000000000000000000000001',
    }),
  );
  const services = jest.fn((_serviceSid: string) => ({ verifications: { create: verificationsCreate } }));
  /** `client.messages(sid).fetch()`: a WhatsApp message's status read back. */
  const messageFetch = jest.fn(async (_sid: string): Promise<MessageStatusResource> => ({ status: 'delivered', errorCode: null }));
  /** `client.request(…)`: a Lookup v2 of the number, answered as Twilio answers it (a mobile line, no pumping risk) unless a test says otherwise. */
  const lookupRequest = jest.fn(async (options: { method: 'get'; uri: string; params: Record<string, string> }): Promise<TwilioResponse> => ({
    statusCode: 200,
    headers: {},
    body: JSON.stringify(lookupAnswer(decodeURIComponent(options.uri.split('/').pop() ?? ''), {})),
  }));
  const client: TwilioClient = {
    messages: Object.assign((sid: string) => ({ fetch: () => messageFetch(sid) }), { create: messagesCreate }),
    calls: { create: callsCreate },
    verify: { v2: { services } },
    request: lookupRequest,
  };
  const factory = jest.fn((_username: string, _password: string, _options: TwilioClientOptions) => client);
  const module: TwilioModule = Object.assign(factory, { twiml: twilio.twiml });
  const requestCount = (): number =>
    messagesCreate.mock.calls.length + callsCreate.mock.calls.length + verificationsCreate.mock.calls.length + messageFetch.mock.calls.length + lookupRequest.mock.calls.length;
  return { module, factory, messagesCreate, callsCreate, verificationsCreate, messageFetch, lookupRequest, services, requestCount };
}
