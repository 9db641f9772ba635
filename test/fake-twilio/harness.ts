import { request } from 'node:https';
import { twilioContract } from '../../tools/fake-twilio/contract';
import { twilioRouteOf } from '../../tools/fake-twilio/route';
import type { FakeTwilio } from '../../tools/fake-twilio/server';
import { twilioCertificate } from '../../tools/fake-twilio/tls';
import { SECRETS } from '../fixtures/values';
import { startFakeTwilio } from '../helpers/fake-twilio';

// What the tests of the fake share: one fake per test file, and requests sent raw.

/** Starts a fake before the file's tests and hands it to `use`, resets it before each test, stops it after them all. */
export function useFake(use: (fake: FakeTwilio) => void): void {
  let started: FakeTwilio | undefined;
  beforeAll(async () => {
    started = await startFakeTwilio();
    use(started);
  });
  afterAll(() => started?.stop());
  beforeEach(() => started?.reset());
}

export interface RawAnswer {
  status: number;
  /** Twilio's JSON: `{ code, message, more_info, status }` for an error, the resource for a success. */
  body: Record<string, unknown>;
}

export const ACCOUNT_PATH = `/2010-04-01/Accounts/${SECRETS.TWILIO_ACCOUNT_SID}`;

/**
 * A request to the fake straight over node:https, with the test account's Basic auth: what the
 * twilio library never sends (it drops the parameters it does not know), a form sent as is. It
 * goes to `host` (by default the one Twilio's API description serves it on: verify.twilio.com,
 * messaging.twilio.com…; api.twilio.com for what it does not describe) through the route, which
 * must take it to `fake`; a `host` that is not
 * Twilio's is only said in the Host header, on a connection to api.twilio.com, as a client
 * with a wrong idea of the host would send it.
 */
export async function rawRequest(
  fake: FakeTwilio,
  method: string,
  path: string,
  options: { form?: string; host?: string; contentType?: string; authorization?: string } = {},
): Promise<RawAnswer> {
  const host = options.host ?? twilioContract().hostOf(method, path) ?? 'api.twilio.com';
  const connectTo = twilioRouteOf(host) === undefined ? 'api.twilio.com' : host;
  if (twilioRouteOf(connectTo) !== fake.port) throw new Error(`rawRequest: ${connectTo} is not routed to this fake`);
  const body = options.form ?? '';
  const headers: Record<string, string> = {
    Host: host,
    Authorization: options.authorization ?? `Basic ${Buffer.from(`${SECRETS.TWILIO_ACCOUNT_SID}:${SECRETS.TWILIO_AUTH_TOKEN}`).toString('base64')}`,
    Accept: 'application/json',
    ...(body === '' ? {} : { 'Content-Type': options.contentType ?? 'application/x-www-form-urlencoded', 'Content-Length': String(Buffer.byteLength(body)) }),
  };
  const { cert } = await twilioCertificate();
  return new Promise((resolve, reject) => {
    const sent = request({ host: connectTo, servername: connectTo, path, method, headers, agent: false, ca: cert }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> }));
      response.on('error', reject);
    });
    sent.on('error', reject);
    sent.end(body);
  });
}

/** A form body from its fields, in order; a repeated key is repeated. */
export function form(...fields: [string, string][]): string {
  return new URLSearchParams(fields).toString();
}
