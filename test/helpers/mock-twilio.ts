import twilio = require('twilio');
import type {
  CallListInstanceCreateOptions,
  CreatedResource,
  MessageListInstanceCreateOptions,
  MessageStatusResource,
  TwilioClient,
  TwilioClientOptions,
  TwilioModule,
  VerificationListInstanceCreateOptions,
} from '../../src/core/twilio-module';

/** An error shaped like the one the sender's transport (or twilio's RestException) gives an HTTP error answer. */
export function twilioRestError(status: number, code: number | undefined, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { status, code, ...extra });
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
  const client: TwilioClient = {
    messages: Object.assign((sid: string) => ({ fetch: () => messageFetch(sid) }), { create: messagesCreate }),
    calls: { create: callsCreate },
    verify: { v2: { services } },
  };
  const factory = jest.fn((_username: string, _password: string, _options: TwilioClientOptions) => client);
  const module: TwilioModule = Object.assign(factory, { twiml: twilio.twiml });
  const requestCount = (): number =>
    messagesCreate.mock.calls.length + callsCreate.mock.calls.length + verificationsCreate.mock.calls.length + messageFetch.mock.calls.length;
  return { module, factory, messagesCreate, callsCreate, verificationsCreate, messageFetch, services, requestCount };
}

export const SECRETS = {
  TWILIO_ACCOUNT_SID: 'AC0123456789abcdef0123456789abcdef',
  TWILIO_AUTH_TOKEN: 'f00dfacef00dfacef00dfacef00dface',
  TWILIO_PHONE_NUMBER: '+15005550006',
} as const;

/** An API key of the test account, in place of the auth token. */
export const API_KEY = {
  TWILIO_API_KEY: 'SK0123456789abcdef0123456789abcdef',
  TWILIO_API_SECRET: 'k3ys3cr3tk3ys3cr3tk3ys3cr3tk3ys3',
} as const;

export const MESSAGING_SERVICE_SID = 'MG0123456789abcdef0123456789abcdef';
export const VERIFY_SID = 'VA0123456789abcdef0123456789abcdef';

/** Every text a test can read of an outcome: messages, reasons, logs, responses, own properties included. */
export function outputText(output: unknown): string {
  if (typeof output === 'string') return output;
  return JSON.stringify(output, (_key, value: unknown) =>
    value instanceof Error ? Object.fromEntries(Object.getOwnPropertyNames(value).map((name) => [name, (value as unknown as Record<string, unknown>)[name]])) : value,
  );
}

/** Fails the test if a secret shows up anywhere in what was logged, thrown or answered. */
export function expectNoSecrets(output: unknown, secrets: readonly string[]): void {
  const text = outputText(output);
  for (const secret of secrets) expect(text).not.toContain(secret);
}

/**
 * Fails the test if one of `numbers` shows up unmasked in any format: a mask keeps at most the
 * last 4 digits, so the last 7, once separators are gone, must never appear.
 */
export function expectNumbersMasked(output: unknown, numbers: readonly string[]): void {
  const compact = outputText(output).replace(/[\s()\-./]/g, '');
  for (const number of numbers) expect(compact).not.toContain(number.replace(/\D/g, '').slice(-7));
}
