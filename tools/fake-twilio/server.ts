import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { FakeAccount } from './account';
import { twilioContract, type ContractViolation, type TwilioContract } from './contract';
import { FakeFraudGuard } from './fraud-guard';
import { FakeInventory } from './inventory';
import { FakeLookup } from './lookup';
import { FakeMessages, resourceSid, rfc2822, type FakeWhatsApp } from './messages';
import type { FakePumpingProtection } from './pumping-protection';
import { twilioCertificate } from './tls';
import { formattedNumber, twilioErrorBody, type TwilioErrorAnswer } from './twilio-errors';

/**
 * What the next answer of the fake should be, instead of a success. Each is something the real
 * Twilio, or what stands in front of it, does.
 */
export type FakeFault =
  /** A Twilio error; its message repeats the `To` number as Twilio's do (formatted on request). */
  | { kind: 'twilio-error'; code: number; status?: number; message?: string; moreInfo?: string; echo?: 'e164' | 'formatted'; headers?: Record<string, string> }
  /** Twilio's own JSON for a bare status: 20429 Too Many Requests for 429, 20500 … for 5xx. */
  | { kind: 'http-status'; status: number; headers?: Record<string, string> }
  /** What a load balancer or gateway in front of Twilio answers: an HTML page, plain text, or nothing. */
  | { kind: 'gateway'; status: number; body: 'html' | 'text' | 'empty' }
  /** Reads the request and never answers. */
  | { kind: 'hang' }
  /** Sends the status line and headers of a success, then nothing. */
  | { kind: 'stall-after-headers' }
  /** A success whose body arrives one byte every `byteIntervalMs`. */
  | { kind: 'trickle'; byteIntervalMs: number }
  /** Drops the connection after reading the request (what reusing a connection the far end closed looks like). */
  | { kind: 'reset' }
  /** A success whose body is cut: not JSON. */
  | { kind: 'malformed-json' }
  /** A success after `ms`. */
  | { kind: 'delay'; ms: number }
  /** A success whose `sid` is this value: malformed, hostile, not a string. */
  | { kind: 'sid'; sid: unknown };

/**
 * What Twilio's answer said, as far as it matters to a reader: the `status` of the message, call
 * or verification and its `error_code` (63003 when a WhatsApp message failed), or Twilio's error
 * `code` when it refused the request; of a Lookup, whether the number is valid, its line type,
 * its SMS pumping risk score, and the error code of each package that failed (60606).
 */
export interface AnswerSummary {
  status?: string;
  errorCode?: number;
  code?: number;
  valid?: boolean;
  lineType?: string;
  smsPumpingRiskScore?: number;
  /** A Lookup's packages that answered an error instead of their data: `{ sms_pumping_risk: 60606 }`. */
  packageErrors?: Record<string, number>;
}

export interface RecordedTwilioRequest {
  method: string;
  path: string;
  /** The host the client addressed (api.twilio.com, api.dublin.ie1.twilio.com), from the Host header. */
  host: string;
  /** `Basic AC…:***`: who authenticated, with the secret masked. */
  authorization: string;
  form: Record<string, string>;
  /** What the fake answered: an HTTP status, or what it did instead. */
  outcome: number | 'hang' | 'reset' | 'stall' | 'trickle';
  /** What its JSON said (`status`, `error_code`, `code`), when it answered JSON that holds any of them. */
  answer?: AnswerSummary;
}

export interface FakeTwilioOptions {
  accountSid: string;
  authToken: string;
  /** API keys of the account (`SK…` → secret), accepted like the auth token. */
  apiKeys?: Readonly<Record<string, string>>;
  /**
   * Serve HTTPS with this key and certificate; by default with the certificate of every Twilio
   * host (tls.ts), as the route reaches it; `false`: plain HTTP.
   */
  tls?: { key: string; cert: string } | false;
  /** Keep each request in `requests` (default); a load run counts them in `answered` only. */
  recordRequests?: boolean;
  /**
   * Close a kept-alive connection after it has been idle this long, without announcing it in a
   * `Keep-Alive` header, as a load balancer does. Default: never.
   */
  idleCloseMs?: number;
}

const E164 = /^\+[1-9][0-9]{7,14}$/;
const LOOPBACK = '127.0.0.1';
const GATEWAY_PAGES = {
  html: { type: 'text/html', text: (status: number) => `<html><head><title>${status} Bad Gateway</title></head><body><center><h1>${status}</h1></center><hr><center>nginx</center></body></html>\n` },
  text: { type: 'text/plain', text: (status: number) => `upstream connect error or disconnect/reset before headers. reset reason: overflow (${status})` },
  empty: { type: 'text/plain', text: () => '' },
} as const;

/**
 * A fake of the Twilio endpoints the sender calls, on loopback: real HTTP, form bodies, Basic
 * auth (auth token or API key), Twilio's JSON shapes for success and error, and scriptable faults
 * as unkind as the real service: errors that repeat the number, gateway pages, stalls, trickles,
 * dropped and idle-closed connections, hostile text. Every request is checked against Twilio's
 * published API description (contract.ts): what it rejects is answered as Twilio answers a bad
 * request and kept in `contractViolations`. Messages keep a status that later reads move on, and
 * WhatsApp is modelled as Twilio reports it (messages.ts). The account (account.ts: its status,
 * type and API keys) and what it holds (inventory.ts: numbers, services, templates, dialing
 * permissions) answer the reads of a preflight check. Lookup v2 answers line types and SMS
 * pumping risk (lookup.ts); Twilio's own fraud blocks, SMS Pumping Protection
 * (pumping-protection.ts) and Verify Fraud Guard (fraud-guard.ts), block as Twilio reports it.
 */
export class FakeTwilio {
  readonly requests: RecordedTwilioRequest[] = [];
  /**
   * Requests that Twilio's API description rejects, whatever the fake answered them (a scripted
   * fault included): a test asserts there were none, `expect(fake.contractViolations).toEqual([])`.
   */
  readonly contractViolations: ContractViolation[] = [];
  /**
   * The account's messages: `fake.messages.statuses(to, script)` sets what later fetches of the
   * messages to `to` show; `fake.messages.list()` shows them.
   */
  readonly messages: FakeMessages;
  /** The account: `fake.account.set({ type: 'Trial' })`, `fake.account.apiKey(sid, secret, { type: 'main' })`. */
  readonly account: FakeAccount;
  /** What the account holds: `fake.inventory.number('+15005550006', { voice: false })`, `.verifyService(sid, { customCodeEnabled: true })`. */
  readonly inventory: FakeInventory;
  /**
   * Lookup v2: `fake.lookup.number('+15550105310', { lineType: 'landline', riskScore: 85 })`,
   * `.rule((e164) => …)`, `.packages({ sms_pumping_risk: 'not-enabled' })`, `.billed()`.
   */
  readonly lookup = new FakeLookup();
  /** Verify Fraud Guard: `fake.fraudGuard.blockPrefix('+882')` refuses SMS verifications there with 60410. */
  readonly fraudGuard = new FakeFraudGuard();
  /** How many requests got each outcome, recorded or not. */
  readonly answered = new Map<RecordedTwilioRequest['outcome'], number>();
  /** TCP (or TLS) connections accepted so far: what keep-alive is meant to keep low. */
  connections = 0;
  /** The most connections open at the same time. */
  peakConnections = 0;
  /** The TLS server name (SNI) each connection asked for, in order (undefined: none), while requests are recorded. */
  readonly servernames: Array<string | undefined> = [];
  private readonly faults: FakeFault[] = [];
  private persistentFault: FakeFault | undefined;
  private readonly sockets = new Set<Socket>();
  /** Connections whose request the fake holds (hang, stall, trickle) and that are still open. */
  private readonly held = new Set<Socket>();
  private server: Server | undefined;
  private listeningPort: number | undefined;
  private contract: TwilioContract | undefined;

  constructor(private readonly options: FakeTwilioOptions) {
    this.messages = new FakeMessages(options.accountSid);
    this.account = new FakeAccount(options.accountSid, options.authToken, options.apiKeys);
    this.inventory = new FakeInventory(options.accountSid, this.messages.whatsapp);
  }

  /**
   * The account's WhatsApp: `fake.whatsapp.sender('whatsapp:+15005550006')`,
   * `fake.whatsapp.recipient('+15550105310', { statuses: ['sent', 'read'] })`,
   * `fake.whatsapp.verify(VERIFY_SID, 'enabled')`. None of it by default.
   */
  get whatsapp(): FakeWhatsApp {
    return this.messages.whatsapp;
  }

  /**
   * SMS Pumping Protection: `fake.pumpingProtection.block('+88234567890', 30450)`: messages there
   * are accepted, then read back `failed` with that code (unless created with `RiskCheck=disable`).
   */
  get pumpingProtection(): FakePumpingProtection {
    return this.messages.pumpingProtection;
  }

  /**
   * Loads Twilio's API description (before the first request, which would pay for it) and the
   * certificate, then listens on 127.0.0.1 at a free port.
   */
  async start(): Promise<this> {
    this.contract ??= twilioContract();
    const tls = this.options.tls ?? (await twilioCertificate());
    // A client that gives up while its body is still coming (an aborted request) is dropped, as a
    // server would; the error must not become an unhandled rejection in the test that runs.
    const handler = (request: IncomingMessage, response: ServerResponse) => void this.handle(request, response).catch(() => response.destroy());
    const server = tls === false ? createHttpServer(handler) : createHttpsServer({ key: tls.key, cert: tls.cert }, handler);
    // No Keep-Alive hint and no timeout of Node's own: idle connections close only as `idleCloseMs` says.
    server.keepAliveTimeout = 0;
    server.on(tls === false ? 'connection' : 'secureConnection', (socket: Socket) => this.accept(server, socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, LOOPBACK, () => resolve());
    });
    this.listeningPort = (server.address() as AddressInfo).port;
    return this;
  }

  /** The port it listens on (or listened on, once stopped), on 127.0.0.1: where the route (route.ts) sends Twilio's hosts. */
  get port(): number {
    if (this.listeningPort === undefined) throw new Error('the fake Twilio is not started');
    return this.listeningPort;
  }

  /** `https://127.0.0.1:PORT` (`http:` when started without TLS). */
  get baseUrl(): string {
    return `${this.options.tls === false ? 'http' : 'https'}://${LOOPBACK}:${this.port}`;
  }

  private accept(server: Server, socket: Socket): void {
    this.connections++;
    this.sockets.add(socket);
    this.peakConnections = Math.max(this.peakConnections, this.sockets.size);
    if (this.options.recordRequests !== false && 'servername' in socket) this.servernames.push((socket as TLSSocket).servername || undefined);
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.held.delete(socket);
    });
    if (this.options.idleCloseMs !== undefined) this.closeWhenIdle(server, socket, this.options.idleCloseMs);
  }

  /** Connections open right now. */
  openConnections(): number {
    return this.sockets.size;
  }

  /** Connections of held requests (hang, stall, trickle) still open: a client that gives up closes them. */
  heldConnections(): number {
    return this.held.size;
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

  /**
   * Forgets scripted faults, recorded requests and violations, messages, the WhatsApp setup and
   * the pumping blocks, the account's settings and inventory, Lookup's numbers, rules, packages
   * and bill, and Fraud Guard's prefixes.
   */
  reset(): void {
    this.faults.length = 0;
    this.persistentFault = undefined;
    this.requests.length = 0;
    this.contractViolations.length = 0;
    this.messages.clear();
    this.account.clear();
    this.inventory.clear();
    this.lookup.clear();
    this.fraudGuard.clear();
    this.answered.clear();
    this.servernames.length = 0;
    this.connections = this.sockets.size;
    this.peakConnections = this.sockets.size;
  }

  /** Drops the connections of held requests, as a proxy ending idle requests would. */
  releaseHeldRequests(): void {
    for (const socket of this.held) socket.destroy();
    this.held.clear();
  }

  /** Stops listening and drops every connection, held ones included. */
  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private closeWhenIdle(server: Server, socket: Socket, idleMs: number): void {
    // A new connection is busy until its first answer is sent: its request may already wait
    // unread while a loaded machine delays the read past `idleMs`, and closing it then would be
    // a reset no server sends (Twilio closes kept-alive connections between requests).
    let busy = true;
    socket.setTimeout(idleMs, () => {
      if (!busy) socket.destroy();
    });
    socket.on('data', () => {
      busy = true;
    });
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      if (request.socket !== socket) return;
      busy = true;
      response.on('finish', () => {
        busy = false;
      });
    });
  }

  private count(outcome: RecordedTwilioRequest['outcome']): void {
    this.answered.set(outcome, (this.answered.get(outcome) ?? 0) + 1);
  }

  private hold(request: IncomingMessage, recorded: RecordedTwilioRequest, outcome: 'hang' | 'stall' | 'trickle'): void {
    recorded.outcome = outcome;
    this.count(outcome);
    if (!request.socket.destroyed) this.held.add(request.socket);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const form = Object.fromEntries(new URLSearchParams(body));
    const recorded: RecordedTwilioRequest = {
      method: request.method ?? '',
      path: request.url ?? '',
      host: request.headers.host ?? '',
      authorization: maskedAuthorization(request.headers.authorization),
      form,
      outcome: 200,
    };
    if (this.options.recordRequests !== false) this.requests.push(recorded);
    this.contract ??= twilioContract();
    const violation = this.contract.check({ method: recorded.method, url: recorded.path, host: recorded.host, contentType: request.headers['content-type'], body });
    if (violation !== undefined) this.contractViolations.push(violation);

    const fault = this.faults.shift() ?? this.persistentFault;
    switch (fault?.kind) {
      case 'delay':
        await new Promise((resolve) => setTimeout(resolve, fault.ms));
        break;
      case 'hang':
        return this.hold(request, recorded, 'hang');
      case 'reset':
        recorded.outcome = 'reset';
        this.count('reset');
        request.socket.destroy();
        return;
      case 'gateway': {
        const page = GATEWAY_PAGES[fault.body];
        recorded.outcome = fault.status;
        this.count(fault.status);
        response.writeHead(fault.status, { 'Content-Type': page.type });
        response.end(page.text(fault.status));
        return;
      }
      default:
        break;
    }

    const answer = this.answer(request, form, fault, violation, recorded.host);
    const payload = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    const headers = { 'Content-Type': 'application/json', ...answer.headers };
    if (fault?.kind === 'stall-after-headers' && answer.status < 300) {
      response.writeHead(answer.status, { ...headers, 'Content-Length': String(Buffer.byteLength(payload)) });
      response.flushHeaders();
      return this.hold(request, recorded, 'stall');
    }
    if (fault?.kind === 'trickle' && answer.status < 300) {
      response.writeHead(answer.status, { ...headers, 'Content-Length': String(Buffer.byteLength(payload)) });
      this.hold(request, recorded, 'trickle');
      const bytes = Buffer.from(payload);
      let sent = 0;
      const timer = setInterval(() => {
        if (response.destroyed || sent >= bytes.length) {
          clearInterval(timer);
          if (!response.destroyed) response.end();
          return;
        }
        response.write(bytes.subarray(sent, sent + 1));
        sent++;
      }, fault.byteIntervalMs);
      response.on('close', () => clearInterval(timer));
      return;
    }
    recorded.outcome = answer.status;
    const summary = answerSummary(answer.body);
    if (summary !== undefined) recorded.answer = summary;
    this.count(answer.status);
    response.writeHead(answer.status, headers);
    response.end(payload);
  }

  private answer(
    request: IncomingMessage,
    form: Record<string, string>,
    fault: FakeFault | undefined,
    violation: ContractViolation | undefined,
    host: string,
  ): { status: number; body: unknown; headers?: Record<string, string> } {
    const to = form.To ?? '';
    if (fault?.kind === 'twilio-error') {
      const echoed = fault.echo === 'formatted' ? formattedNumber(to) : to;
      return { ...twilioErrorBody(fault.code, echoed, fault), ...(fault.headers ? { headers: fault.headers } : {}) };
    }
    if (fault?.kind === 'http-status') {
      return { ...twilioErrorBody(fault.status === 429 ? 20429 : 20000 + fault.status, to, { status: fault.status }), ...(fault.headers ? { headers: fault.headers } : {}) };
    }
    const principal = this.account.principal(request.headers.authorization);
    if (principal === undefined) return twilioErrorBody(20003);
    if (violation !== undefined) return violation.answer;

    const url = request.url ?? '';
    const refusal = this.account.refusal(principal, url.split('?')[0] ?? '', host);
    if (refusal !== undefined) return refusal;
    const success = this.resource(request.method ?? '', url, form);
    if (success === undefined) return twilioErrorBody(20404, to, { message: `The requested resource ${url} was not found` });
    if (success.status >= 300) return success;
    if (fault?.kind === 'malformed-json') return { status: success.status, body: '{"sid": "SM' };
    if (fault?.kind === 'sid') return { status: success.status, body: { ...success.body, sid: fault.sid } };
    return success;
  }

  /** What the resource at `url` answers, or undefined when the fake has none there. */
  private resource(method: string, url: string, form: Record<string, string>): { status: number; body: object } | TwilioErrorAnswer | undefined {
    const accountPath = `/2010-04-01/Accounts/${this.options.accountSid}/`;
    if (method === 'GET') {
      const [path = '', query] = url.split('?');
      const fetched = new RegExp(`^${accountPath}Messages/(SM[0-9a-fA-F]{32})\\.json$`).exec(path);
      if (fetched?.[1] !== undefined) return this.messages.fetch(fetched[1], url);
      if (path === `${accountPath.slice(0, -1)}.json`) return { status: 200, body: this.account.resource() };
      return this.lookup.answer(path, new URLSearchParams(query)) ?? this.inventory.read(path, new URLSearchParams(query));
    }
    if (method !== 'POST') return undefined;
    if (url === `${accountPath}Messages.json`) return this.messages.create(form);
    if (url === `${accountPath}Calls.json`) return this.call(form);
    const verify = /^\/v2\/Services\/(VA[0-9a-fA-F]{32})\/Verifications$/.exec(url);
    return verify?.[1] === undefined ? undefined : this.verification(verify[1], form);
  }

  private call(form: Record<string, string>) {
    if (!E164.test(form.To ?? '')) return twilioErrorBody(21211, form.To);
    if (!form.From) return twilioErrorBody(21213);
    if (!form.Twiml && !form.Url) return twilioErrorBody(21205, form.To, { message: 'Url parameter is required.' });
    return {
      status: 201,
      body: {
        sid: resourceSid('CA'),
        account_sid: this.options.accountSid,
        to: form.To,
        from: form.From,
        status: 'queued',
        direction: 'outbound-api',
        api_version: '2010-04-01',
        date_created: rfc2822(new Date()),
      } as Record<string, unknown>,
    };
  }

  private verification(serviceSid: string, form: Record<string, string>) {
    if (!E164.test(form.To ?? '')) return twilioErrorBody(60200, form.To);
    if (!['sms', 'call', 'email', 'whatsapp'].includes(form.Channel ?? '')) {
      return twilioErrorBody(60200, form.To, { message: 'Invalid parameter: Channel' });
    }
    const refusal = form.Channel === 'whatsapp' ? this.whatsapp.verifyRefusal(serviceSid, form.To ?? '') : this.fraudGuard.refusal(form);
    if (refusal !== undefined) return refusal;
    return {
      status: 201,
      body: {
        sid: resourceSid('VE'),
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
      } as Record<string, unknown>,
    };
  }
}

/**
 * What the reader of a run wants of an answer: the resource's `status` and `error_code`, or the
 * error's `code`; of a Lookup, `valid`, the line type, the risk score and the packages' errors.
 */
function answerSummary(body: unknown): AnswerSummary | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { status, error_code: errorCode, code } = body as { status?: unknown; error_code?: unknown; code?: unknown };
  const summary: AnswerSummary = {
    ...(typeof status === 'string' ? { status } : {}),
    ...(typeof errorCode === 'number' ? { errorCode } : {}),
    ...(typeof code === 'number' ? { code } : {}),
    ...lookupSummary(body),
  };
  return Object.keys(summary).length > 0 ? summary : undefined;
}

/** A Lookup's `valid`, line type, risk score and packages' errors; nothing of another answer (a verification has a `valid` too). */
function lookupSummary(body: object): AnswerSummary {
  if (!('validation_errors' in body && 'line_type_intelligence' in body)) return {};
  const { valid, line_type_intelligence: lineType, sms_pumping_risk: risk } = body as { valid?: unknown; line_type_intelligence?: { type?: unknown } | null; sms_pumping_risk?: { sms_pumping_risk_score?: unknown } | null };
  const packageErrors = Object.fromEntries(
    Object.entries(body).flatMap(([name, value]: [string, unknown]) => {
      const inner = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as { error_code?: unknown }).error_code : undefined;
      return typeof inner === 'number' ? [[name, inner] as const] : [];
    }),
  );
  return {
    ...(typeof valid === 'boolean' ? { valid } : {}),
    ...(typeof lineType?.type === 'string' ? { lineType: lineType.type } : {}),
    ...(typeof risk?.sms_pumping_risk_score === 'number' ? { smsPumpingRiskScore: risk.sms_pumping_risk_score } : {}),
    ...(Object.keys(packageErrors).length > 0 ? { packageErrors } : {}),
  };
}

function maskedAuthorization(header: string | undefined): string {
  if (header === undefined || !header.startsWith('Basic ')) return '(none)';
  const [user] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
  return `Basic ${user ?? ''}:***`;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
