import { withHttpClient, type TwilioHttpClient, type TwilioLibrary } from '../runtime/twilio-transport';

/**
 * The real `twilio` library with every request sent to `baseUrl` (the fake) instead of
 * api.twilio.com or verify.twilio.com; path, body and auth stay as the library made them.
 * `ca` trusts the fake's self-signed certificate when it serves HTTPS.
 */
export function redirectedTwilio(library: TwilioLibrary, baseUrl: string, ca?: string): TwilioLibrary {
  const target = new URL(baseUrl);

  class RedirectingRequestClient extends library.RequestClient {
    override request<TData>(options: Parameters<TwilioHttpClient['request']>[0] & { data?: TData }) {
      const uri = new URL(options.uri ?? '/', target);
      uri.protocol = target.protocol;
      uri.host = target.host;
      return super.request<TData>({ ...options, uri: uri.toString() });
    }
  }

  return withHttpClient(library, (options) => new RedirectingRequestClient({ ...options, ...(ca === undefined ? {} : { ca }) }));
}
