import type twilio = require('twilio');

/** The `twilio` package as `require('twilio')` returns it (typed by the version this project builds with). */
export type TwilioLibrary = typeof twilio;
export type TwilioClientOptions = NonNullable<Parameters<TwilioLibrary>[2]>;
export type TwilioHttpClient = InstanceType<TwilioLibrary['RequestClient']>;

/**
 * Returns `library` with every client it builds using the HTTP client `createHttpClient` makes
 * from the options the caller gave, so keep-alive and timeouts still apply. This is how the
 * runner and the tests point the real library somewhere else (a fake Twilio, a recorder)
 * without changing a line of the hook: they hand the hook this module as its `twilio`.
 */
export function withHttpClient(
  library: TwilioLibrary,
  createHttpClient: (options: TwilioClientOptions) => TwilioHttpClient,
): TwilioLibrary {
  const redirected = (accountSid?: string, authToken?: string, options: TwilioClientOptions = {}) =>
    library(accountSid, authToken, { ...options, httpClient: createHttpClient(options) });
  return Object.assign(redirected, library);
}
