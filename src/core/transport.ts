import { readFileSync } from 'fs';
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'http';
import { Agent as HttpsAgent, type AgentOptions, type RequestOptions } from 'https';
import { isIP } from 'net';
import type { Duplex } from 'stream';
import type { TLSSocket } from 'tls';
import type { TwilioHttpClient, TwilioRequestOptions, TwilioResponse } from './twilio-module';

/**
 * One attempt, connection and whole answer included. Twilio's slowest create (Verify, cold, from
 * afar) takes under 2 s: past twice that it is stalled, and a 10 s deadline has room for another.
 */
export const ATTEMPT_TIMEOUT_MS = 4_000;

/** Twilio's answers to a create are 1 to 3 KB; a bigger one is not Twilio's and is cut off. */
export const MAX_RESPONSE_BYTES = 64 * 1024;

/** Idle connections close before a load balancer on the way drops them silently (after 60 s or more). */
export const IDLE_CONNECTION_TIMEOUT_MS = 15_000;

/**
 * How long a cold send waits for the TCP handshake of its preconnection before loading twilio,
 * which blocks the event loop (about 150 ms): a handshake not started by then cannot overlap the
 * load. The request would wait that round trip anyway; a slower path is not waited for.
 */
export const PRECONNECT_WAIT_MS = 250;

/** The handshake, or a failure (an error comes before the close), ends the wait for a preconnection. */
const WAIT_ENDS = ['connect', 'error', 'close'] as const;

/** Idle connections kept open per host for the next invocations of a warm container. */
export const MAX_IDLE_CONNECTIONS = 20;

/** The body of an answer that is not a success: Twilio's JSON, or what a gateway put there. */
export type AnswerBody = 'json' | 'html' | 'text' | 'empty';

/**
 * An HTTP error from Twilio or something in front of it. Shaped like the library's RestException
 * (`status`, `code`, `message`), plus the kind of body and the `Retry-After` wait.
 */
export class TwilioHttpError extends Error {
  override readonly name = 'TwilioHttpError';
  constructor(
    readonly status: number,
    /** As it came; the classifier checks it. */
    readonly code: unknown,
    /** Empty when the body held none. */
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
  /** Node's code for a timed-out socket: the error reads as the network failure it is. */
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

/**
 * Twilio accepted a create (the headers of its success came) but the library never read the whole
 * answer. The message exists: another attempt, or another route, would deliver a second code.
 */
export class UnreadAcceptanceError extends Error {
  override readonly name = 'UnreadAcceptanceError';
  constructor(
    readonly status: number,
    /** What ended the attempt after the headers. */
    readonly reason: unknown,
  ) {
    super(`Twilio accepted the request (HTTP ${status}) but its answer could not be read whole`);
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
 * An HTTPS agent that can open a connection before its first request, so that the TCP and TLS
 * handshakes overlap what a cold send does first (loading twilio). A preconnect that fails costs
 * the request nothing: it opens its own connection, as without.
 */
class PreconnectingAgent extends HttpsAgent {
  /** Connections opened ahead, by origin, with what detaches them from their own watch. */
  private readonly warming = new Map<string, { socket: TLSSocket; secure: boolean; release(): void }>();

  /** Opens a connection for the next request, unless one is open or opening; returns its socket. */
  preconnect(host: string, port: number): TLSSocket | undefined {
    const origin = `${host}:${port}`;
    // Node's agent deletes an origin's list of free sockets when it takes or loses the last one.
    const free = Object.keys(this.freeSockets).some((name) => name.startsWith(`${origin}:`));
    if (free || this.warming.has(origin)) return undefined;
    // As the agent names a request's connection: no server name for an IP address (RFC 6066).
    const options: RequestOptions = { ...this.options, host, port, servername: isIP(host) === 0 ? host : '' };
    // The agent's own key, so that the TLS session is cached for the connections after this one.
    const socket = super.createConnection({ ...options, _agentKey: this.getName(options) } as RequestOptions) as TLSSocket;
    const forget = (): void => {
      clearTimeout(unused);
      if (this.warming.get(origin)?.socket === socket) this.warming.delete(origin);
      socket.destroy();
    };
    // A connection nobody took is closed like an idle one; it never keeps a process alive.
    const unused = setTimeout(forget, IDLE_CONNECTION_TIMEOUT_MS);
    unused.unref();
    socket.unref();
    socket.on('error', forget);
    socket.on('close', forget);
    const warm = {
      socket,
      secure: false,
      release: (): void => {
        clearTimeout(unused);
        socket.removeListener('error', forget);
        socket.removeListener('close', forget);
        socket.ref();
      },
    };
    socket.once('secureConnect', () => {
      warm.secure = true;
    });
    this.warming.set(origin, warm);
    return socket;
  }

  /** Closes the connections opened ahead too. */
  override destroy(): void {
    for (const { socket } of this.warming.values()) socket.destroy();
    this.warming.clear();
    super.destroy();
  }

  override createConnection(options: RequestOptions, callback?: (error: Error | null, socket: Duplex) => void): Duplex | null | undefined {
    const origin = `${options.host}:${options.port}`;
    const warm = this.warming.get(origin);
    if (warm === undefined || warm.socket.destroyed || callback === undefined) return super.createConnection(options, callback);
    this.warming.delete(origin);
    warm.release();
    const { socket } = warm;
    if (warm.secure) return socket;
    // Still in its handshake: the request takes it when it is done, or opens its own if it fails.
    const settle = (secure: boolean): void => {
      socket.removeListener('secureConnect', onSecure);
      socket.removeListener('error', onFailure);
      socket.removeListener('close', onFailure);
      if (secure) callback(null, socket);
      else {
        socket.destroy();
        callback(null, super.createConnection(options) as Duplex);
      }
    };
    const onSecure = (): void => settle(true);
    const onFailure = (): void => settle(false);
    socket.once('secureConnect', onSecure);
    socket.once('error', onFailure);
    socket.once('close', onFailure);
    return undefined;
  }
}

/**
 * The HTTP client handed to every twilio (3 to 6): one keep-alive pool per container, and per
 * attempt a time limit and an abort that close the connection. Every HTTP error (Twilio's JSON, a
 * gateway's page, no body) rejects as a `TwilioHttpError`, the same on every major version.
 */
export class HttpTransport {
  private readonly agents = new Map<string, HttpAgent>();

  /** One attempt's `httpClient`; `acceptedStatus` tells whether Twilio accepted a create in it. */
  forAttempt(limits: AttemptLimits): TwilioHttpClient {
    let acceptedStatus: number | undefined;
    return {
      request: (options) => this.request(options, limits, (status) => (acceptedStatus = status)),
      get acceptedStatus() {
        return acceptedStatus;
      },
    };
  }

  /**
   * Opens the connection to `origin` for the first request; resolves once its TCP handshake is
   * done or failed, or after `PRECONNECT_WAIT_MS`. Undefined when nothing was opened (the pool
   * holds a connection, or none can start). Never rejects, never fails a send.
   */
  preconnect(origin: string): Promise<void> | undefined {
    let socket: TLSSocket | undefined;
    try {
      const url = new URL(origin);
      if (url.protocol === 'https:') socket = (this.agentFor('https:') as PreconnectingAgent).preconnect(url.hostname, Number(url.port || 443));
    } catch {
      // A connection that cannot even start is the request's to open, as without a preconnect.
    }
    if (socket === undefined) return undefined;
    const opening = socket;
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        for (const event of WAIT_ENDS) opening.removeListener(event, done);
        resolve();
      };
      const timer = setTimeout(done, PRECONNECT_WAIT_MS);
      for (const event of WAIT_ENDS) opening.once(event, done);
    });
  }

  /** Closes every connection, for a tool or a test that ends; a container keeps its pool. */
  close(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }

  private agentFor(protocol: string): HttpAgent {
    let agent = this.agents.get(protocol);
    if (agent === undefined) {
      const options: AgentOptions = {
        keepAlive: true,
        maxFreeSockets: MAX_IDLE_CONNECTIONS,
        timeout: IDLE_CONNECTION_TIMEOUT_MS,
        // The same variable the twilio library reads: a CA bundle for TLS-inspecting proxies (docs/deploy.md, "Behind a TLS-inspecting proxy").
        ...(process.env.TWILIO_CA_BUNDLE ? { ca: readFileSync(process.env.TWILIO_CA_BUNDLE) } : {}),
      };
      agent = protocol === 'http:' ? new HttpAgent(options) : new PreconnectingAgent(options);
      this.agents.set(protocol, agent);
    }
    return agent;
  }

  /**
   * One request, ended by `limits`. A create's success status goes to `onAccepted` as it comes:
   * what a failure after it means is the sender's to say (send.ts).
   */
  request(options: TwilioRequestOptions, limits: AttemptLimits, onAccepted?: (status: number) => void): Promise<TwilioResponse> {
    const url = new URL(options.uri);
    for (const [name, value] of Object.entries(options.params ?? {})) appendField(url.searchParams, name, value);
    const headers: Record<string, string> = { ...(options.headers as Record<string, string> | undefined) };
    if (options.username !== undefined && options.password !== undefined) {
      headers.Authorization = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;
    }
    // Node sets Content-Length from the one chunk `end` writes, and upper-cases the method.
    const body = requestBody(options.data, headers);

    return new Promise<TwilioResponse>((resolve, reject) => {
      // The agent speaks the protocol: https.request differs from http.request only by its default agent.
      const request = httpRequest(url, { method: options.method, headers, agent: this.agentFor(url.protocol) });
      // Closing the request closes its socket: the pool opens a fresh one for the next attempt.
      const giveUp = (error: Error): void => {
        request.destroy(error);
      };
      const timer = setTimeout(() => giveUp(new AttemptTimeoutError(limits.timeoutMs)), limits.timeoutMs);
      const onAbort = (): void => giveUp(new AttemptAbandonedError('the sender gave this attempt up'));
      // A promise settles once: a second outcome (an error after the end) changes nothing.
      const settle = (outcome: () => void): void => {
        clearTimeout(timer);
        limits.signal.removeEventListener('abort', onAbort);
        outcome();
      };
      if (limits.signal.aborted) onAbort();
      else limits.signal.addEventListener('abort', onAbort);

      const fail = (error: Error): void => settle(() => reject(error));
      request.on('error', fail);
      request.on('response', (response) => {
        const status = response.statusCode ?? 0;
        if (status >= 200 && status < 300 && request.method === 'POST') onAccepted?.(status);
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) giveUp(new OversizedAnswerError(status));
          else chunks.push(chunk);
        });
        response.on('error', fail);
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

/**
 * `Retry-After: 3` or an HTTP date, in milliseconds from `now`; undefined when absent or
 * unreadable. The one reading of the header: `npm run deploy` reads Auth0's with it too.
 */
export function retryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = /^\s*(\d+)\s*$/.exec(value)?.[1];
  if (seconds !== undefined) return Number(seconds) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

let containerTransport: HttpTransport | undefined;

/** One transport, and so one connection pool, for the life of the container. */
export function sharedTransport(): HttpTransport {
  containerTransport ??= new HttpTransport();
  return containerTransport;
}
