import { withHttpClient, type TwilioHttpClient, type TwilioLibrary } from '../runtime/twilio-transport';

export type RedirectedTwilio = TwilioLibrary & {
  /** Requests sent and not yet settled, over every client of this library: 0 when all is quiet. */
  pendingRequests(): number;
};

/**
 * The real `twilio` library with every request sent to `baseUrl` (the fake) instead of
 * api.twilio.com or verify.twilio.com; path, body and auth stay as the library made them.
 * `ca` trusts the fake's self-signed certificate when it serves HTTPS.
 */
export function redirectedTwilio(library: TwilioLibrary, baseUrl: string, ca?: string): RedirectedTwilio {
  const target = new URL(baseUrl);
  let pending = 0;

  class RedirectingRequestClient extends library.RequestClient {
    override async request<TData>(options: Parameters<TwilioHttpClient['request']>[0] & { data?: TData }) {
      const uri = new URL(options.uri ?? '/', target);
      uri.protocol = target.protocol;
      uri.host = target.host;
      pending++;
      try {
        return await super.request<TData>({ ...options, uri: uri.toString() });
      } finally {
        pending--;
      }
    }
  }

  const redirected = withHttpClient(library, (options) => new RedirectingRequestClient({ ...options, ...(ca === undefined ? {} : { ca }) }));
  return Object.assign(redirected, { pendingRequests: () => pending });
}
