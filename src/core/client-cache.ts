import type { TwilioConfig } from './config';
import type { ClientOpts, TwilioClient, TwilioModule } from './twilio-module';

/** Rotated credentials leave an old client behind; a handful covers any real rotation. */
const MAX_CACHED_CLIENTS = 8;

/**
 * Client options for every send. `keepAlive` keeps the TLS connection to Twilio open between
 * invocations of a warm container; the library's own 429 retry stays off because twilio 3 has
 * none and the sender's retry must respect one overall deadline.
 */
export function clientOptions(requestTimeoutMs: number): ClientOpts {
  return { keepAlive: true, timeout: requestTimeoutMs, autoRetry: false };
}

const clientsByModule = new WeakMap<TwilioModule, Map<string, TwilioClient>>();

/**
 * One client per set of credentials and per twilio module, kept for the life of the container:
 * building a client per call would also build a new connection pool per call.
 */
export function cachedClient(twilio: TwilioModule, config: TwilioConfig, requestTimeoutMs: number): TwilioClient {
  let clients = clientsByModule.get(twilio);
  if (clients === undefined) {
    clients = new Map();
    clientsByModule.set(twilio, clients);
  }
  // A rotated token must get a new client, so the token is part of the key.
  const key = `${config.accountSid}\u0000${config.authToken}`;
  const cached = clients.get(key);
  if (cached !== undefined) return cached;

  const client = twilio(config.accountSid, config.authToken, clientOptions(requestTimeoutMs));
  if (clients.size >= MAX_CACHED_CLIENTS) {
    const oldest = clients.keys().next().value;
    if (oldest !== undefined) clients.delete(oldest);
  }
  clients.set(key, client);
  return client;
}
