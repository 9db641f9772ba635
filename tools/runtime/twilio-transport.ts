import type twilio = require('twilio');
import type RequestClient = require('twilio/lib/base/RequestClient');
import type Response from 'twilio/lib/http/response';

/** The `twilio` package as `require('twilio')` returns it (typed by the version this project builds with). */
export type TwilioLibrary = typeof twilio;
export type TwilioClientOptions = NonNullable<Parameters<TwilioLibrary>[2]>;
export type TwilioRequest = RequestClient.RequestOptions;

/** Anything with the `request` of twilio's `RequestClient`: the library's own, or the sender's transport. */
export interface HttpClient {
  request(options: TwilioRequest): Promise<unknown>;
}

/**
 * Returns `library` with the HTTP client of every client it builds wrapped by `wrap`: the
 * sender's own transport (or the library's `RequestClient`, for code that brings none) still
 * makes the requests, and the wrapper may look at them or answer them itself. The bundle tests
 * answer on a scripted wire this way (test/helpers/scripted-twilio.ts), without changing a line
 * of the hook: they hand the hook this module as its `twilio`. A fake Twilio is reached at the
 * network instead (tools/fake-twilio/route.ts), with the library as it is.
 */
export function withHttpClient(library: TwilioLibrary, wrap: (inner: HttpClient, options: TwilioClientOptions) => HttpClient): TwilioLibrary {
  class WrappedRequestClient extends library.RequestClient {
    constructor(private readonly target: HttpClient) {
      super();
    }
    override request<TData>(options: TwilioRequest): Promise<Response<TData>> {
      return this.target.request(options) as Promise<Response<TData>>;
    }
  }
  const wrapped = (accountSid?: string, authToken?: string, options: TwilioClientOptions = {}) => {
    const inner: HttpClient = options.httpClient ?? new library.RequestClient(options);
    return library(accountSid, authToken, { ...options, httpClient: new WrappedRequestClient(wrap(inner, options)) });
  };
  return Object.assign(wrapped, library);
}
