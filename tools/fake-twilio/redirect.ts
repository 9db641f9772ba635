import { withHttpClient, type TwilioLibrary } from '../runtime/twilio-transport';

export type RedirectedTwilio = TwilioLibrary & {
  /** Requests sent and not yet settled, over every client of this library: 0 when all is quiet. */
  pendingRequests(): number;
};

/**
 * The real `twilio` library with every request sent to `baseUrl` (the fake) instead of
 * api.twilio.com or verify.twilio.com: the sender's own transport still makes it, with its
 * pool, timeouts and aborts; only the scheme and address change. A fake serving HTTPS is trusted
 * through TWILIO_CA_BUNDLE, as a corporate proxy's certificate would be.
 */
export function redirectedTwilio(library: TwilioLibrary, baseUrl: string): RedirectedTwilio {
  const target = new URL(baseUrl);
  let pending = 0;
  const redirected = withHttpClient(library, (inner) => ({
    async request(options) {
      const uri = new URL(options.uri);
      // The host the library addressed (api.twilio.com, api.dublin.ie1.twilio.com) travels in
      // X-Forwarded-Host, as through a proxy, so the fake can record it.
      const headers = { ...options.headers, 'X-Forwarded-Host': uri.host };
      uri.protocol = target.protocol;
      uri.host = target.host;
      pending++;
      try {
        return await inner.request({ ...options, uri: uri.toString(), headers });
      } finally {
        pending--;
      }
    },
  }));
  return Object.assign(redirected, { pendingRequests: () => pending });
}
