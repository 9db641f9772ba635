import { request } from 'node:http';
import type { FakeTwilio } from '../../tools/fake-twilio/server';
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
 * A request to the fake straight over node:http, with the test account's Basic auth: what the
 * twilio library never sends (it drops the parameters it does not know), a form sent as is.
 */
export function rawRequest(
  fake: FakeTwilio,
  method: string,
  path: string,
  options: { form?: string; host?: string; contentType?: string; authorization?: string } = {},
): Promise<RawAnswer> {
  const body = options.form ?? '';
  const headers: Record<string, string> = {
    Authorization: options.authorization ?? `Basic ${Buffer.from(`${SECRETS.TWILIO_ACCOUNT_SID}:${SECRETS.TWILIO_AUTH_TOKEN}`).toString('base64')}`,
    Accept: 'application/json',
    ...(body === '' ? {} : { 'Content-Type': options.contentType ?? 'application/x-www-form-urlencoded', 'Content-Length': String(Buffer.byteLength(body)) }),
    ...(options.host === undefined ? {} : { 'X-Forwarded-Host': options.host }),
  };
  return new Promise((resolve, reject) => {
    const sent = request(`${fake.baseUrl}${path}`, { method, headers, agent: false }, (response) => {
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
