import { readFileSync } from 'fs';
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'http';
import { Agent as HttpsAgent, request as httpsRequest, type AgentOptions } from 'https';
import type { TwilioHttpClient, TwilioRequestOptions, TwilioResponse } from './twilio-module';

/**
 * One attempt's time, connection and whole answer included. Twilio's slowest create (Verify, on a
 * cold connection from afar) takes under 2 s; past twice that the attempt is stalled, and a 10 s
 * deadline still has room for a fresh one.
 */
export const ATTEMPT_TIMEOUT_MS = 4_000;

/** Twilio's answers to a create are 1 to 3 KB; a bigger one is not Twilio's and is cut off. */
export const MAX_RESPONSE_BYTES = 64 * 1024;

/** How long a kept-alive connection may sit idle: closed before a load balancer on the way drops it silently (they wait 60 s or more). */
export const IDLE_CONNECTION_TIMEOUT_MS = 15_000;

/** Idle connections kept open per host for the next invocations of a warm container. */
export const MAX_IDLE_CONNECTIONS = 20;

/** The body of an answer that is not a success: Twilio's JSON, or what a gateway put there. */
export type AnswerBody = 'json' | 'html' | 'text' | 'empty';

/**
 * Twilio, or something in front of it, answered with an HTTP error. Shaped like the library's
 * own RestException (`status`, `code`, `message`), with what the library leaves out: what kind
 * of body came back and how long `Retry-After` asked to wait.
 */
export class TwilioHttpError extends Error {
  override readonly name = 'TwilioHttpError';
  constructor(
    readonly status: number,
    /** Twilio's error code, as it came (checked by the classifier before use). */
    readonly code: unknown,
    /** Twilio's message, as it came; empty when the body held none. */
    twilioMessage: string,
    readonly body: AnswerBody,
    readonly retryAfterMs: number | undefined,
  ) {
    super(twilioMessage);
  }
}

/** An attempt did not finish within its time: its connection has been closed. */
export class AttemptTimeoutError extends Error {
  override readonly name = 'AttemptTimeoutError';
  /** The code Node gives a timed-out socket, so that the error reads as the network failure it is. */
  readonly code = 'ETIMEDOUT';
  constructor(readonly timeoutMs: number) {
    super(`no complete answer within ${timeoutMs} ms`);
  }
}

/** The answer was larger than any Twilio answer: not Twilio's, or broken. */
export class OversizedAnswerError extends Error {
  override readonly name = 'OversizedAnswerError';
  constructor(readonly status: number) {
    super(`an answer of more than ${MAX_RESPONSE_BYTES} bytes`);
  }
}

/** The sender gave the attempt up (its deadline passed); the connection has been closed. */
export class AttemptAbandonedError extends Error {
  override readonly name = 'AttemptAbandonedError';
}

/** Where an attempt ends: on its own timeout, or earlier when the sender gives it up. */
export interface AttemptLimits {
  timeoutMs: number;
  signal: AbortSignal;
}

/**
 * The HTTP client every twilio (3 to 6) is handed: one keep-alive pool for the container, and per
 * attempt a time limit and an abort that close the connection. It answers like the library's
 * `RequestClient`, except that every HTTP error (Twilio's JSON, a gateway's page, no body)
 * rejects with a `TwilioHttpError`, the same on every major version.
 */
export class HttpTransport {
  private readonly agents = new Map<string, HttpAgent>();

  /** The `httpClient` of one attempt. */
  forAttempt(limits: AttemptLimits): TwilioHttpClient {
    return { request: (options) => this.request(options, limits) };
  }

  private agentFor(protocol: string): HttpAgent {
    let agent = this.agents.get(protocol);
    if (agent === undefined) {
      const options: AgentOptions = {
        keepAlive: true,
        maxFreeSockets: MAX_IDLE_CONNECTIONS,
        timeout: IDLE_CONNECTION_TIMEOUT_MS,
        // The same variable the twilio library reads: a CA bundle for TLS-inspecting proxies.
        ...(process.env.TWILIO_CA_BUNDLE ? { ca: readFileSync(process.env.TWILIO_CA_BUNDLE) } : {}),
      };
      agent = protocol === 'http:' ? new HttpAgent(options) : new HttpsAgent(options);
      this.agents.set(protocol, agent);
    }
    return agent;
  }

  request(options: TwilioRequestOptions, limits: AttemptLimits): Promise<TwilioResponse> {
    const url = new URL(options.uri);
    for (const [name, value] of Object.entries(options.params ?? {})) appendField(url.searchParams, name, value);
    const headers: Record<string, string> = { ...(options.headers as Record<string, string> | undefined) };
    if (options.username !== undefined && options.password !== undefined) {
      headers.Authorization = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;
    }
    // Node sets Content-Length from the one chunk `end` writes, and upper-cases the method.
    const body = requestBody(options.data, headers);
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest;

    return new Promise<TwilioResponse>((resolve, reject) => {
      let settled = false;
      const request = send(url, { method: options.method, headers, agent: this.agentFor(url.protocol) });
      // Closing the request closes its socket: the pool opens a fresh one for the next attempt.
      const giveUp = (error: Error): void => {
        request.destroy(error);
      };
      const timer = setTimeout(() => giveUp(new AttemptTimeoutError(limits.timeoutMs)), limits.timeoutMs);
      const onAbort = (): void => giveUp(new AttemptAbandonedError('the sender gave this attempt up'));
      const settle = (outcome: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        limits.signal.removeEventListener('abort', onAbort);
        outcome();
      };
      if (limits.signal.aborted) onAbort();
      else limits.signal.addEventListener('abort', onAbort, { once: true });

      request.on('error', (error) => settle(() => reject(error)));
      request.on('response', (response) => {
        const status = response.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) giveUp(new OversizedAnswerError(status));
          else chunks.push(chunk);
        });
        response.on('error', (error) => settle(() => reject(error)));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          settle(() => {
            if (status >= 200 && status < 300) resolve({ statusCode: status, body: text, headers: response.headers });
            else reject(httpError(status, text, response.headers));
          });
        });
      });
      request.end(body);
    });
  }
}

function appendField(form: URLSearchParams, name: string, value: unknown): void {
  for (const item of Array.isArray(value) ? value : [value]) {
    if (item !== undefined && item !== null) form.append(name, String(item));
  }
}

/** The form (or JSON) body, as the library's own client would encode it. */
function requestBody(data: Record<string, unknown> | undefined, headers: Record<string, string>): string | undefined {
  if (data === undefined) return undefined;
  if (headers['Content-Type'] === 'application/json') return JSON.stringify(data);
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(data)) appendField(form, name, value);
  headers['Content-Type'] ??= 'application/x-www-form-urlencoded';
  return form.toString();
}

function httpError(status: number, text: string, headers: IncomingHttpHeaders): TwilioHttpError {
  const retryAfterMs = retryAfter(headers['retry-after']);
  if (text.trim() === '') return new TwilioHttpError(status, undefined, '', 'empty', retryAfterMs);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const html = /^\s*</.test(text) || /html/i.test(headers['content-type'] ?? '');
    return new TwilioHttpError(status, undefined, '', html ? 'html' : 'text', retryAfterMs);
  }
  const { code, message } = typeof parsed === 'object' && parsed !== null ? (parsed as { code?: unknown; message?: unknown }) : {};
  return new TwilioHttpError(status, code, typeof message === 'string' ? message : '', 'json', retryAfterMs);
}

/** `Retry-After: 3` or an HTTP date, in milliseconds from now; undefined when absent or unreadable. */
function retryAfter(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = /^\s*(\d+)\s*$/.exec(value)?.[1];
  if (seconds !== undefined) return Number(seconds) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

let containerTransport: HttpTransport | undefined;

/** One transport, and so one connection pool, for the life of the container. */
export function sharedTransport(): HttpTransport {
  containerTransport ??= new HttpTransport();
  return containerTransport;
}
