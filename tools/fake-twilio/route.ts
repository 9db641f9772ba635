/**
 * How the tests, `npm start` and the benchmark reach the fake Twilio: at the network, as a DNS
 * entry and a port forward would, never inside the library. Every client in the process (the
 * sender's transport, twilio's RequestClient, a raw https.request, a bare tls.connect such as a
 * preconnect) addresses https://api.twilio.com (or verify., messaging., api.dublin.ie1. …) as
 * it does at Auth0; when its TCP connection to a Twilio name at port 443 is opened, it is opened
 * to 127.0.0.1 at the port of the fake (or of a relay in front of it) instead. Nothing above TCP
 * changes: the name stays the TLS server name (SNI) the client sends, the name its certificate
 * is checked against, and the Host header. No client, request or connection is added or wrapped,
 * so what is measured costs what it costs at Auth0, plus a changed address.
 *
 * How: `net.Socket.prototype.connect`, which `net.connect`, `tls.connect` and so every agent's
 * `createConnection` end in, is replaced once per process (before anything connects; only `net`
 * is loaded, which any Auth0 runtime has loaded to serve the invocation). It changes the host and
 * port it is given for a Twilio name, and nothing else.
 *
 * As unkind as the network: a route to a port where nothing listens is refused by the system
 * (ECONNREFUSED), as a host that is down is. A Twilio name with no route, or at a port other
 * than 443, never reaches out: the connection is refused at once, without a DNS lookup, and
 * recorded (`takeRefusedConnections`), so that a test that would have reached a real Twilio host
 * fails loudly (test/helpers/network.ts).
 *
 * One name goes to one place at a time in a process; the most specific route wins:
 * `routeTwilio(port)` takes every Twilio name, `routeTwilio(port, 'dublin.ie1.twilio.com')` the
 * hosts of one edge and region (so that runs side by side in one process can each have a fake
 * of their own, addressed through their own TWILIO_EDGE and TWILIO_REGION).
 */
import net = require('node:net');
import { constants } from 'node:os';

/** Twilio's domain: routes are for it and the names under it. */
export const TWILIO_DOMAIN = 'twilio.com';
const TWILIO_NAME = /(^|\.)twilio\.com$/;
const HTTPS_PORT = 443;
const LOOPBACK = '127.0.0.1';

/** A connection to a Twilio name that was refused because nothing routes it. */
export interface RefusedConnection {
  host: string;
  port: number;
}

/** The routed connections to one port, as `untilSettled` reads them. */
export interface RoutedSockets {
  /** Open, whatever their state. */
  open: number;
  /** Connected (TLS included) and open. */
  established: number;
  /** Still connecting, or carrying an HTTP request whose answer has not all come. */
  busy: number;
}

type Connect = (this: net.Socket, ...args: unknown[]) => net.Socket;

/** What a routed socket carries, as node:http marks it: the request that owns it, while it does. */
interface TrackedSocket extends net.Socket {
  _httpMessage?: { res?: { complete?: boolean } | null } | null;
  encrypted?: boolean;
}

/**
 * The process's routing, kept on the replaced `connect` itself: jest loads this module once per
 * test file, in a module registry of its own, while `net` is the process's. Each copy of the
 * module that loads takes it over (`route` is that copy's), so code of a finished test file is
 * never run again.
 */
interface RouteState {
  original: Connect;
  route: (socket: net.Socket, args: unknown[]) => net.Socket;
  /** Domain (lower case) → the port its hosts go to, or null: refused. */
  routes: Map<string, { port: number | null }>;
  refused: RefusedConnection[];
  /** By port: the routed sockets still open, and whether each has connected. */
  sockets: Map<number, Map<TrackedSocket, { established: boolean }>>;
}

const STATE = Symbol.for('auth0-twilio-phone-sender: the Twilio route');

let state: RouteState | undefined;

/** Replaces `connect` once per process; makes this copy of the module the one that routes. */
function installed(): RouteState {
  if (state !== undefined) return state;
  const prototype = net.Socket.prototype as unknown as { connect: Connect & { [STATE]?: RouteState } };
  let shared = prototype.connect[STATE];
  if (shared === undefined) {
    const created: RouteState = { original: prototype.connect, route: (socket) => socket, routes: new Map(), refused: [], sockets: new Map() };
    const routed: Connect & { [STATE]?: RouteState } = function (this: net.Socket, ...args: unknown[]) {
      return created.route(this, args);
    };
    routed[STATE] = created;
    prototype.connect = routed;
    shared = created;
  }
  shared.route = route;
  state = shared;
  return shared;
}

/** The Twilio name a host is, lower case and without a final dot; undefined for any other host. */
function twilioName(host: unknown): string | undefined {
  if (typeof host !== 'string') return undefined;
  const name = host.toLowerCase().replace(/\.$/, '');
  return TWILIO_NAME.test(name) ? name : undefined;
}

/** Where `name:443` goes now: the port of the most specific route, null when refused, undefined when nothing routes it. */
function lookup(routes: RouteState['routes'], name: string): number | null | undefined {
  let best: { length: number; port: number | null } | undefined;
  for (const [domain, { port }] of routes) {
    if ((name === domain || name.endsWith(`.${domain}`)) && domain.length > (best?.length ?? -1)) best = { length: domain.length, port };
  }
  return best?.port;
}

/**
 * The arguments of `Socket#connect` as the options object they amount to, and how to put other
 * options back in their place: `connect([options, cb])` (normalized, from net.connect),
 * `connect(options, cb)`, `connect(port, host, cb)`.
 */
function connectOptions(args: unknown[]): { options: net.TcpNetConnectOpts; replace: (options: net.TcpNetConnectOpts) => unknown[] } | undefined {
  const [first] = args;
  if (Array.isArray(first)) {
    const normalized = first as unknown[];
    return {
      options: normalized[0] as net.TcpNetConnectOpts,
      replace: (options) => {
        normalized[0] = options;
        return args;
      },
    };
  }
  if (typeof first === 'object' && first !== null) return { options: first as net.TcpNetConnectOpts, replace: (options) => [options, ...args.slice(1)] };
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    const host = typeof args[1] === 'string' ? args[1] : undefined;
    const callback = args.find((arg) => typeof arg === 'function');
    return { options: { port: Number(first), ...(host === undefined ? {} : { host }) }, replace: (options) => [options, ...(callback === undefined ? [] : [callback])] };
  }
  return undefined;
}

function route(socket: net.Socket, args: unknown[]): net.Socket {
  const routing = installed();
  const connection = connectOptions(args);
  const name = twilioName(connection?.options.host);
  if (connection === undefined || name === undefined || connection.options.port === undefined) return routing.original.apply(socket, args);
  const port = Number(connection.options.port);
  const target = port === HTTPS_PORT ? lookup(routing.routes, name) : undefined;
  if (target === undefined || target === null) {
    if (target === undefined) routing.refused.push({ host: name, port });
    return refuse(socket, name, port, target === undefined ? (port === HTTPS_PORT ? 'no fake Twilio is routed for it in this process' : `only port ${HTTPS_PORT} is routed`) : 'refused by its route');
  }
  track(routing, socket as TrackedSocket, target);
  return routing.original.apply(socket, connection.replace({ ...connection.options, host: LOOPBACK, port: target }));
}

/** What a connect to a host that refuses does: an ECONNREFUSED error on the socket, a moment later. */
function refuse(socket: net.Socket, host: string, port: number, why: string): net.Socket {
  const error = Object.assign(new Error(`connect ECONNREFUSED ${host}:${port} (${why})`), { errno: -constants.errno.ECONNREFUSED, code: 'ECONNREFUSED', syscall: 'connect', address: host, port });
  // Connecting: what is written meanwhile waits, and fails with the connection.
  (socket as { connecting: boolean }).connecting = true;
  process.nextTick(() => {
    (socket as { connecting: boolean }).connecting = false;
    socket.destroy(error);
  });
  return socket;
}

function track(routing: RouteState, socket: TrackedSocket, port: number): void {
  let sockets = routing.sockets.get(port);
  if (sockets === undefined) {
    sockets = new Map();
    routing.sockets.set(port, sockets);
  }
  const entry = { established: false };
  sockets.set(socket, entry);
  socket.once(socket.encrypted === true ? 'secureConnect' : 'connect', () => {
    entry.established = true;
  });
  socket.once('close', () => {
    sockets.delete(socket);
    if (sockets.size === 0 && routing.sockets.get(port) === sockets) routing.sockets.delete(port);
  });
}

/**
 * Routes Twilio's hosts at port 443 to 127.0.0.1:`port` (a fake, or a relay in front of one):
 * every Twilio name by default, or the names under `domain` (`dublin.ie1.twilio.com`,
 * `api.twilio.com`); `null` refuses them instead. Returns what undoes it: the route the domain
 * had before comes back, unless another has replaced this one since.
 */
export function routeTwilio(port: number | null, domain: string = TWILIO_DOMAIN): () => void {
  const routing = installed();
  const key = twilioName(domain);
  if (key === undefined) throw new Error(`routeTwilio: ${domain} is not a Twilio name`);
  const before = routing.routes.get(key);
  const entry = { port };
  routing.routes.set(key, entry);
  return () => {
    if (routing.routes.get(key) !== entry) return;
    if (before === undefined) routing.routes.delete(key);
    else routing.routes.set(key, before);
  };
}

/** The domain of one edge and region: `dublin.ie1.twilio.com`, under which are `api.dublin.ie1.twilio.com`, `verify.dublin.ie1.twilio.com`… */
export function edgeDomain(edge: string, region: string): string {
  return `${edge}.${region}.${TWILIO_DOMAIN}`;
}

/** Where a connection to `host`:443 goes now: a port on 127.0.0.1, null when it is refused, undefined when nothing routes it (refused too, and recorded). */
export function twilioRouteOf(host: string): number | null | undefined {
  const name = twilioName(host);
  return name === undefined ? undefined : lookup(installed().routes, name);
}

/**
 * Installs the route with nothing routed, forgetting the routes and refusals of whatever ran
 * before in this process (jest's previous test file): until a route is set, every Twilio name is
 * refused, and recorded.
 */
export function installTwilioRoute(): void {
  const routing = installed();
  routing.routes.clear();
  routing.refused.length = 0;
}

/** The connections refused so far for want of a route, and forgets them. */
export function takeRefusedConnections(): RefusedConnection[] {
  return installed().refused.splice(0);
}

/** The routed connections to `port` that are open now, connected, and still busy (connecting, or awaiting an answer). */
export function routedSockets(port: number): RoutedSockets {
  const sockets = installed().sockets.get(port) ?? new Map<TrackedSocket, { established: boolean }>();
  let established = 0;
  let busy = 0;
  for (const [socket, entry] of sockets) {
    if (entry.established) established++;
    const request = socket._httpMessage;
    if (!entry.established || (request !== null && request !== undefined && request.res?.complete !== true)) busy++;
  }
  return { open: sockets.size, established, busy };
}
