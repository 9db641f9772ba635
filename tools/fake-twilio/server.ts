import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { twilioErrorBody } from './twilio-errors';

/** What the next answer of the fake should be, instead of a success. */
export type FakeFault =
  | { kind: 'twilio-error'; code: number; status?: number }
  | { kind: 'http-status'; status: number }
  | { kind: 'hang' }
  | { kind: 'reset' }
  | { kind: 'malformed-json' }
  | { kind: 'delay'; ms: number };

export interface RecordedTwilioRequest {
  method: string;
  path: string;
  /** `Basic AC…:***`: who authenticated, with the token masked. */
  authorization: string;
  form: Record<string, string>;
  /** What the fake answered: an HTTP status, or `hang`/`reset`. */
  outcome: number | 'hang' | 'reset';
}

export interface FakeTwilioOptions {
  accountSid: string;
  authToken: string;
  /** Serve HTTPS with this key and certificate (the benchmark's TLS handshakes). */
  tls?: { key: string; cert: string };
  /** Keep each request in `requests` (default); a load run counts them in `answered` only. */
  recordRequests?: boolean;
}

const E164 = /^\+[1-9][0-9]{7,14}$/;
const LOOPBACK = '127.0.0.1';

const sid = (prefix: string): string => prefix + randomBytes(16).toString('hex');

/**
 * A fake of the three Twilio endpoints the sender calls, on loopback: real HTTP, form bodies,
 * Basic auth, Twilio's JSON shapes for success and error, and scriptable faults.
 */
export class FakeTwilio {
  readonly requests: RecordedTwilioRequest[] = [];
  /** How many requests got each outcome (an HTTP status, `hang` or `reset`), recorded or not. */
  readonly answered = new Map<RecordedTwilioRequest['outcome'], number>();
  /** TCP (or TLS) connections accepted so far: what keep-alive is meant to keep low. */
  connections = 0;
  /** The most connections open at the same time. */
  peakConnections = 0;
  private readonly faults: FakeFault[] = [];
  private persistentFault: FakeFault | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly hanging = new Set<Socket>();
  private readonly server: Server;

  constructor(private readonly options: FakeTwilioOptions) {
    const handler = (request: IncomingMessage, response: ServerResponse) => this.handle(request, response);
    this.server = options.tls ? createHttpsServer(options.tls, handler) : createHttpServer(handler);
    this.server.on(options.tls ? 'secureConnection' : 'connection', (socket: Socket) => {
      this.connections++;
      this.sockets.add(socket);
      this.peakConnections = Math.max(this.peakConnections, this.sockets.size);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  /** Starts listening on 127.0.0.1 at a free port. */
  async start(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, LOOPBACK, () => resolve());
    });
    return this;
  }

  get baseUrl(): string {
    const { port } = this.server.address() as AddressInfo;
    return `${this.options.tls ? 'https' : 'http'}://${LOOPBACK}:${port}`;
  }

  /** The next requests answer with these faults, in order, then with success again. */
  script(...faults: FakeFault[]): this {
    this.faults.push(...faults);
    return this;
  }

  /** Every request answers with this fault until `reset()`. */
  failAlways(fault: FakeFault): this {
    this.persistentFault = fault;
    return this;
  }

  reset(): void {
    this.faults.length = 0;
    this.persistentFault = undefined;
    this.requests.length = 0;
    this.answered.clear();
    this.connections = this.sockets.size;
    this.peakConnections = this.sockets.size;
  }

  /** Drops the connections of requests left hanging, as a proxy ending idle requests would. */
  releaseHangingRequests(): void {
    for (const socket of this.hanging) socket.destroy();
    this.hanging.clear();
  }

  /** Stops listening and drops every connection, hanging ones included. */
  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private count(outcome: RecordedTwilioRequest['outcome']): void {
    this.answered.set(outcome, (this.answered.get(outcome) ?? 0) + 1);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const form = Object.fromEntries(new URLSearchParams(body));
    const recorded: RecordedTwilioRequest = {
      method: request.method ?? '',
      path: request.url ?? '',
      authorization: this.maskedAuthorization(request.headers.authorization),
      form,
      outcome: 200,
    };
    if (this.options.recordRequests !== false) this.requests.push(recorded);

    const fault = this.faults.shift() ?? this.persistentFault;
    if (fault?.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms));
    if (fault?.kind === 'hang') {
      recorded.outcome = 'hang';
      this.count(recorded.outcome);
      this.hanging.add(request.socket);
      return;
    }
    if (fault?.kind === 'reset') {
      recorded.outcome = 'reset';
      this.count(recorded.outcome);
      request.socket.destroy();
      return;
    }
    const answer = this.answer(request, form, fault);
    recorded.outcome = answer.status;
    this.count(recorded.outcome);
    const payload = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    response.writeHead(answer.status, { 'Content-Type': 'application/json' });
    response.end(payload);
  }

  private answer(request: IncomingMessage, form: Record<string, string>, fault: FakeFault | undefined): { status: number; body: unknown } {
    if (fault?.kind === 'twilio-error') return twilioErrorBody(fault.code, fault.status);
    if (fault?.kind === 'http-status') return twilioErrorBody(fault.status === 429 ? 20429 : 20000 + fault.status, fault.status);
    if (!this.authorized(request.headers.authorization)) return twilioErrorBody(20003);
    if (request.method !== 'POST') return twilioErrorBody(20404, 404, 'The requested resource was not found');

    const url = request.url ?? '';
    const accountPath = `/2010-04-01/Accounts/${this.options.accountSid}/`;
    let success: { status: number; body: unknown } | undefined;
    if (url === `${accountPath}Messages.json`) success = this.message(form);
    else if (url === `${accountPath}Calls.json`) success = this.call(form);
    else {
      const verify = /^\/v2\/Services\/(VA[0-9a-fA-F]{32})\/Verifications$/.exec(url);
      if (verify?.[1] !== undefined) success = this.verification(verify[1], form);
    }
    if (success === undefined) return twilioErrorBody(20404, 404, `The requested resource ${url} was not found`);
    if (fault?.kind === 'malformed-json') return { status: success.status, body: '{"sid": "SM' };
    return success;
  }

  private message(form: Record<string, string>) {
    if (!E164.test(form.To ?? '')) return twilioErrorBody(21211);
    if (!form.From && !form.MessagingServiceSid) return twilioErrorBody(21603);
    if (!form.Body) return twilioErrorBody(21602);
    return {
      status: 201,
      body: {
        sid: sid('SM'),
        account_sid: this.options.accountSid,
        to: form.To,
        from: form.From ?? null,
        messaging_service_sid: form.MessagingServiceSid ?? null,
        body: form.Body,
        status: 'queued',
        num_segments: '1',
        direction: 'outbound-api',
        api_version: '2010-04-01',
        date_created: new Date().toUTCString(),
      },
    };
  }

  private call(form: Record<string, string>) {
    if (!E164.test(form.To ?? '')) return twilioErrorBody(21211);
    if (!form.From) return twilioErrorBody(21213);
    if (!form.Twiml && !form.Url) return twilioErrorBody(21205, 400, 'Url parameter is required.');
    return {
      status: 201,
      body: {
        sid: sid('CA'),
        account_sid: this.options.accountSid,
        to: form.To,
        from: form.From,
        status: 'queued',
        direction: 'outbound-api',
        api_version: '2010-04-01',
        date_created: new Date().toUTCString(),
      },
    };
  }

  private verification(serviceSid: string, form: Record<string, string>) {
    if (!E164.test(form.To ?? '')) return twilioErrorBody(60200, 400, 'Invalid parameter `To`');
    if (!['sms', 'call', 'email', 'whatsapp'].includes(form.Channel ?? '')) return twilioErrorBody(60200, 400, 'Invalid parameter: Channel');
    return {
      status: 201,
      body: {
        sid: sid('VE'),
        service_sid: serviceSid,
        account_sid: this.options.accountSid,
        to: form.To,
        channel: form.Channel,
        status: 'pending',
        valid: false,
        lookup: {},
        amount: null,
        payee: null,
        date_created: new Date().toISOString(),
      },
    };
  }

  private authorized(header: string | undefined): boolean {
    const expected = `Basic ${Buffer.from(`${this.options.accountSid}:${this.options.authToken}`).toString('base64')}`;
    return header === expected;
  }

  private maskedAuthorization(header: string | undefined): string {
    if (header === undefined || !header.startsWith('Basic ')) return '(none)';
    const [user] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
    return `Basic ${user ?? ''}:***`;
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
