/**
 * What the cold-start child (tools/bench/cold-start.ts) sees of its first send at the network,
 * watched from outside the subject so that what runs is what runs at Auth0:
 *
 * - connect: from the call to `net.Socket#connect` (which `tls.connect`, and so every HTTPS
 *   agent, ends in) to the TLS `secureConnect` of the connection the first HTTP request took:
 *   the TCP and TLS handshakes, and whatever kept the process from answering them meanwhile.
 *   On the way, when the TCP connect went out (`net` makes it on a later tick: after the DNS
 *   lookup, or on the next tick for an address, such as the route's 127.0.0.1) and when the
 *   process saw it connected;
 * - request: from the moment the first request's bytes could leave (written to that connection,
 *   and the connection secure) to the end of its answer.
 *
 * How: `net.Socket.prototype.connect` is wrapped (around the route of tools/fake-twilio/route.ts,
 * which changes the address only), and so is the `connect` of each new socket's handle, which
 * `net` calls when it makes the TCP connect; and Node's own diagnostics channels of `http`
 * (`http.client.request.start`, published when a request has been handed to its connection, and
 * `http.client.response.finish`, when its answer's head is in) are subscribed. Neither loads `tls`,
 * `https` or `http`: `net` and `diagnostics_channel` are loaded already, as in any Auth0 runtime,
 * so a cold start still pays for the rest. Install it before the subject is loaded.
 */
import diagnostics = require('node:diagnostics_channel');
import net = require('node:net');
import { performance } from 'node:perf_hooks';

/** A phase as [start, end], in milliseconds from the start of the measurement. */
export type Span = readonly [startMs: number, endMs: number];

type Connect = (this: net.Socket, ...args: unknown[]) => net.Socket;

/** When a connection was asked for, when its TCP connect went out, when the process saw it connected, and when its TLS handshake was done. */
interface Opened {
  calledAt: number;
  sentAt?: number;
  tcpAt?: number;
  secureAt?: number;
}

/** The first request's connection, in milliseconds from the start of the measurement. */
export interface ConnectTimes {
  /** The connect call. */
  askedMs: number;
  /** The TCP connect going out (the system call). */
  sentMs: number | null;
  /** The TCP 'connect' event: the kernel's handshake is over, and the process has got to it. */
  tcpMs: number | null;
  /** The TLS 'secureConnect' event. */
  secureMs: number;
}

/** The first request, as the channels show it: the connection it took, when it was written, when its answer ended. */
interface FirstRequest {
  request: unknown;
  socket: net.Socket | null;
  writtenAt: number;
  answeredAt?: number;
}

export class FirstSendWatch {
  private readonly opened = new WeakMap<net.Socket, Opened>();
  private first: FirstRequest | undefined;

  /** Wraps `Socket#connect` and subscribes to the channels: once per process, before the subject loads. */
  install(): this {
    const opened = this.opened;
    const prototype = net.Socket.prototype as unknown as { connect: Connect };
    const connect = prototype.connect;
    prototype.connect = function (this: net.Socket, ...args: unknown[]) {
      if (!opened.has(this)) {
        const entry: Opened = { calledAt: performance.now() };
        opened.set(this, entry);
        this.once('connect', () => {
          entry.tcpAt = performance.now();
        });
        this.once('secureConnect', () => {
          entry.secureAt = performance.now();
        });
      }
      const socket = connect.apply(this, args);
      watchHandle(this, opened.get(this));
      return socket;
    };
    diagnostics.subscribe('http.client.request.start', (message) => {
      if (this.first !== undefined) return;
      const { request } = message as { request: { socket: net.Socket | null } };
      this.first = { request, socket: request.socket, writtenAt: performance.now() };
    });
    diagnostics.subscribe('http.client.response.finish', (message) => {
      const { request, response } = message as { request: unknown; response: NodeJS.EventEmitter };
      const first = this.first;
      if (first === undefined || request !== first.request) return;
      // 'end' does not make the answer flow: whoever reads it reads it as before.
      response.once('end', () => {
        first.answeredAt = performance.now();
      });
    });
    return this;
  }

  /** The connect of the first request's connection, from `origin`; null when none was seen whole. */
  connect(origin: number): ConnectTimes | null {
    const opened = this.first?.socket ? this.opened.get(this.first.socket) : undefined;
    if (opened?.secureAt === undefined) return null;
    const from = (at: number | undefined): number | null => (at === undefined ? null : at - origin);
    return { askedMs: opened.calledAt - origin, sentMs: from(opened.sentAt), tcpMs: from(opened.tcpAt), secureMs: opened.secureAt - origin };
  }

  /** The first request, from when it could leave to the end of its answer, from `origin`; null when none was seen whole. */
  request(origin: number): Span | null {
    const first = this.first;
    if (first?.answeredAt === undefined) return null;
    const secureAt = first.socket ? this.opened.get(first.socket)?.secureAt : undefined;
    return [Math.max(first.writtenAt, secureAt ?? first.writtenAt) - origin, first.answeredAt - origin];
  }
}

/**
 * Stamps when `net` makes the socket's TCP connect: its handle's `connect` (or `connect6`), which
 * `net` calls on the tick it connects (a TLS socket's handle passes it to the TCP handle beneath).
 */
function watchHandle(socket: net.Socket, entry: Opened | undefined): void {
  const handle = (socket as unknown as { _handle?: Record<string, unknown> | null })._handle;
  if (handle === null || handle === undefined || entry === undefined) return;
  for (const name of ['connect', 'connect6']) {
    const original = handle[name];
    if (typeof original !== 'function') continue;
    handle[name] = function (this: unknown, ...args: unknown[]): unknown {
      entry.sentAt ??= performance.now();
      return (original as (...rest: unknown[]) => unknown).apply(this, args);
    };
  }
}
