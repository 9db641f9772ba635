/**
 * How the benchmark reaches the fake Twilio: at the network, not through the library. Every
 * hook gets the plain `twilio` package and addresses https://api.twilio.com as it would in
 * Auth0; the TLS connection to any *.twilio.com:443 is opened to 127.0.0.1 at a port of the
 * benchmark's choosing instead (the fake, or the latency relay in front of it). The name the
 * client asked for still travels as SNI and is checked against the fake's certificate, made at
 * run time for api.twilio.com and trusted through TWILIO_CA_BUNDLE (which the sender's transport
 * and twilio's RequestClient both read). No client, request or connection is added or wrapped:
 * the ours/baseline/bare comparison costs each of them exactly what it costs in Auth0, plus
 * nothing but a changed address. The certificate and the fake are made by harness.ts.
 *
 * The library-level redirect of the tests (tools/fake-twilio/redirect.ts) builds one more
 * twilio RequestClient per client (a CA file read, an https.Agent and an axios instance) and
 * wraps every request; that is fine for tests and distorts a benchmark, the cold start most.
 */
// Loads nothing but node:module, so that a cold start that uses it still pays for tls and https.
import Module = require('node:module');
import type { ConnectionOptions, TLSSocket } from 'node:tls';

/** Where the hooks send: the host twilio builds its URLs with for Messages and Calls. */
export const TWILIO_API_URL = 'https://api.twilio.com';

const TWILIO_HOST = /(^|\.)twilio\.com$/i;

type Connect = (...args: unknown[]) => TLSSocket;
type ModuleLoad = (request: string, parent: unknown, isMain: boolean) => unknown;

let routedPort: number | undefined;
let installed = false;

function patchTls(tls: { connect: Connect }): void {
  if ((tls.connect as Connect & { routed?: true }).routed) return;
  const connect = tls.connect;
  const routed: Connect & { routed?: true } = function (this: unknown, ...args: unknown[]) {
    const [options] = args;
    if (routedPort !== undefined && typeof options === 'object' && options !== null) {
      const { host, port } = options as ConnectionOptions;
      if (typeof host === 'string' && TWILIO_HOST.test(host) && (port === undefined || Number(port) === 443)) {
        args[0] = { ...(options as ConnectionOptions), host: '127.0.0.1', port: routedPort, servername: (options as ConnectionOptions).servername ?? host };
      }
    }
    return connect.apply(this, args);
  };
  routed.routed = true;
  tls.connect = routed;
}

/**
 * Opens every TLS connection to *.twilio.com:443 to 127.0.0.1:`port` instead (call again to
 * move it, `undefined` to stop). `tls` is patched when it is first loaded by the code under
 * measurement (directly, or through `https`), not before: a cold start still pays for loading it.
 */
export function routeTwilioTo(port: number | undefined): void {
  routedPort = port;
  if (installed) return;
  installed = true;
  const loader = Module as unknown as { _load: ModuleLoad };
  const load = loader._load;
  loader._load = function (this: unknown, request: string, parent: unknown, isMain: boolean): unknown {
    const loaded = load.call(this, request, parent, isMain);
    if (/^(node:)?(tls|https)$/.test(request)) patchTls(load.call(this, 'node:tls', parent, false) as { connect: Connect });
    return loaded;
  };
  // Already loaded (the benchmark's own process): patch now.
  const builtins = (process as { moduleLoadList?: readonly string[] }).moduleLoadList;
  if (builtins === undefined || builtins.includes('NativeModule tls')) patchTls(require('node:tls') as { connect: Connect });
}
