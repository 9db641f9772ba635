import { withHttpClient, type TwilioLibrary, type TwilioRequest } from '../../tools/runtime/twilio-transport';

/** A request as the library made it, before it would reach the network. */
export interface ScriptedRequest {
  method: string;
  uri: string;
  username: string | undefined;
  password: string | undefined;
  form: Record<string, string>;
}

/** What the scripted wire answers to one request. */
export type ScriptedAnswer =
  /** An HTTP answer: a JSON body (an object) or a raw one (a string), after `delayMs`. */
  | { status: number; body?: unknown; headers?: Record<string, string>; delayMs?: number }
  /** A connection failure with this code (`ECONNRESET`…), after `delayMs`. */
  | { network: string; delayMs?: number }
  /** No answer, ever. */
  | { hang: true };

/** Schedules on the clock the code under test sees (a fake one in the fault properties). */
export type Schedule = (callback: () => void, ms: number) => void;

/**
 * The real twilio package of one major version whose every request is answered from `respond`
 * instead of the network: the library's own parameter handling and parsing run, and the answer
 * takes the shape the sender's transport gives it (an HTTP error of any kind rejects with the
 * transport's `TwilioHttpError` fields: status, code, message, body kind, Retry-After).
 */
export function scriptedTwilio(packageName: string, respond: (request: ScriptedRequest, index: number) => ScriptedAnswer, schedule: Schedule = (callback, ms) => setTimeout(callback, ms)) {
  const library = require(packageName) as TwilioLibrary;
  const requests: ScriptedRequest[] = [];
  const module = withHttpClient(library, () => ({
    request(options: TwilioRequest) {
      const request: ScriptedRequest = {
        method: options.method.toUpperCase(),
        uri: options.uri,
        username: options.username,
        password: options.password,
        form: Object.fromEntries(Object.entries((options.data ?? {}) as Record<string, unknown>).map(([key, value]) => [key, String(value)])),
      };
      requests.push(request);
      const answer = respond(request, requests.length - 1);
      return new Promise((resolve, reject) => {
        if ('hang' in answer) return;
        const settle = (): void => {
          if ('network' in answer) reject(Object.assign(new Error(`socket hang up`), { code: answer.network }));
          else if (answer.status < 300) resolve({ statusCode: answer.status, body: rawBody(answer.body), headers: answer.headers ?? {} });
          else reject(transportError(answer.status, answer.body, answer.headers ?? {}));
        };
        if (answer.delayMs) schedule(settle, answer.delayMs);
        else settle();
      });
    },
  }));
  return { module, requests };
}

function rawBody(body: unknown): string {
  if (body === undefined) return '';
  return typeof body === 'string' ? body : JSON.stringify(body);
}

function transportError(status: number, body: unknown, headers: Record<string, string>): Error {
  const json = typeof body === 'object' && body !== null ? (body as { code?: unknown; message?: unknown }) : undefined;
  const retryAfter = headers['retry-after'];
  return Object.assign(new Error(typeof json?.message === 'string' ? json.message : ''), {
    name: 'TwilioHttpError',
    status,
    code: json?.code,
    body: json !== undefined ? 'json' : rawBody(body).trim() === '' ? 'empty' : rawBody(body).trimStart().startsWith('<') ? 'html' : 'text',
    retryAfterMs: retryAfter === undefined ? undefined : Number(retryAfter) * 1000,
  });
}

/** Success bodies in Twilio's shape, as far as the library reads them. */
export function createdAnswer(uri: string): ScriptedAnswer {
  if (uri.includes('/Verifications')) return { status: 201, body: { sid: 'VE11111111111111111111111111111111', status: 'pending' } };
  if (uri.includes('/Calls.json')) return { status: 201, body: { sid: 'CA11111111111111111111111111111111', status: 'queued' } };
  return { status: 201, body: { sid: 'SM11111111111111111111111111111111', status: 'queued' } };
}

/** Twilio's JSON error body. */
export function twilioErrorAnswer(status: number, code: number, message: string, headers?: Record<string, string>): ScriptedAnswer {
  return { status, body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }, ...(headers ? { headers } : {}) };
}
