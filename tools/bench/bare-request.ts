import type { Agent } from 'node:https';

/** Where the hooks send: the host twilio builds its URLs with for Messages and Calls (routed to the fake, tools/fake-twilio/route.ts). */
const TWILIO_API_URL = 'https://api.twilio.com';

/**
 * The physical limit of a send: one plain `https.request` POST of the same form body, to the same
 * endpoint, with the same Basic auth as the hook, on the given (keep-alive) agent; resolves when
 * the whole answer is in. No library, no retry, no timeout: nothing but the request.
 * `https` is loaded on the first call, so that a cold start pays for it.
 */
export function bareRequest(agent: Agent, path: string, form: Record<string, string>, secrets: { TWILIO_ACCOUNT_SID: string; TWILIO_AUTH_TOKEN: string }): Promise<void> {
  const { request } = require('node:https') as typeof import('node:https');
  const body = new URLSearchParams(form).toString();
  return new Promise((resolve, reject) => {
    const sent = request(
      `${TWILIO_API_URL}${path}`,
      {
        method: 'POST',
        agent,
        auth: `${secrets.TWILIO_ACCOUNT_SID}:${secrets.TWILIO_AUTH_TOKEN}`,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body), Accept: 'application/json' },
      },
      (response) => {
        const status = response.statusCode ?? 0;
        response.resume();
        response.on('error', reject);
        response.on('end', () => (status >= 200 && status < 300 ? resolve() : reject(new Error(`the bare request got HTTP ${status}`))));
      },
    );
    sent.on('error', reject);
    sent.end(body);
  });
}
