import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, DEFAULT_BUILD, FakeTenant, isRecord, TRIGGERS, type BuildBehaviour } from './tenant';

/**
 * A fake Auth0 Management API over HTTPS on 127.0.0.1, as unkind as the real one: the OAuth
 * client-credentials token endpoint checks the client and grants only the configured scopes,
 * every endpoint checks its scope, 429s carry Auth0's rate-limit headers, builds take several
 * reads to finish (or fail, or never finish), the tenant has an action limit, a version exists
 * only after a deploy (or a roll-back to an earlier one, which copies it into a new version),
 * lists come a page at a time, and bindings may not see a fresh deploy at once. Reach it with
 * `AUTH0_DOMAIN=<domain>` and trust its certificate through `NODE_EXTRA_CA_CERTS`. It counts
 * writes, so a test can prove a run wrote nothing.
 */

export interface FakeManagementApiOptions {
  clientId: string;
  clientSecret: string;
  /** The scopes of the client grant; a token carries exactly these. */
  scopes: readonly string[];
  build?: Partial<BuildBehaviour>;
  /** Actions the tenant may hold. Default 100 (Auth0's documented limit). */
  actionLimit?: number;
  /** Binding attempts refused right after each deploy, as if the deploy were not visible yet. Default 0. */
  bindingLag?: number;
  /** Answer 429 to the first `times` requests that `matches` selects. */
  rateLimit?: RateLimitFault;
  /** Answer every request that `matches` selects with this error, as Auth0 answers a failure of its own. */
  failure?: FailureFault;
  /** A certificate to reuse across servers of one test file; made fresh when absent. */
  certificate?: { key: string; cert: string };
}

export interface RateLimitFault {
  matches: (method: string, path: string) => boolean;
  times: number;
  /** The wait Auth0 asks for, in whole seconds, in `retry-after` and `x-ratelimit-reset`. */
  retryAfterSeconds: number;
}

export interface FailureFault {
  matches: (method: string, path: string) => boolean;
  /** An HTTP error status: 500, 503. */
  status: number;
  message: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  status: number;
}

export interface FakeManagementApi {
  /** `127.0.0.1:PORT`, the value of AUTH0_DOMAIN. */
  domain: string;
  /** The PEM certificate to trust (write it to the file NODE_EXTRA_CA_CERTS names). */
  certificate: string;
  tenant: FakeTenant;
  /** Every request after the token endpoint, in order, with the status it got. */
  requests: RecordedRequest[];
  /** The requests that changed the tenant (non-GET answered 2xx). */
  writes(): RecordedRequest[];
  /** Bodies the API received, by `METHOD path`, for assertions on what was sent. */
  bodies: Array<{ method: string; path: string; body: unknown }>;
  tokensIssued(): number;
  close(): Promise<void>;
}

/** Scopes per endpoint, as Auth0's Management API documents them. */
const ROUTES: readonly Route[] = [
  { method: 'GET', path: /^\/api\/v2\/actions\/triggers$/, scope: 'read:actions', handle: () => ({ triggers: structuredClone(TRIGGERS) }) },
  {
    method: 'GET',
    path: /^\/api\/v2\/actions\/actions$/,
    scope: 'read:actions',
    handle: ({ tenant, query }) => paginated('actions', tenant.listActions(query.get('actionName') ?? undefined), query),
  },
  { method: 'POST', path: /^\/api\/v2\/actions\/actions$/, scope: 'create:actions', status: 201, handle: ({ tenant, body }) => tenant.createAction(body) },
  { method: 'GET', path: /^\/api\/v2\/actions\/actions\/([^/]+)$/, scope: 'read:actions', handle: ({ tenant, params }) => tenant.getAction(params[0]) },
  { method: 'PATCH', path: /^\/api\/v2\/actions\/actions\/([^/]+)$/, scope: 'update:actions', handle: ({ tenant, params, body }) => tenant.updateAction(params[0], body) },
  { method: 'POST', path: /^\/api\/v2\/actions\/actions\/([^/]+)\/deploy$/, scope: 'create:actions', status: 202, handle: ({ tenant, params }) => tenant.deployAction(params[0]) },
  {
    method: 'GET',
    path: /^\/api\/v2\/actions\/actions\/([^/]+)\/versions$/,
    scope: 'read:actions',
    handle: ({ tenant, params, query }) => paginated('versions', tenant.listVersions(params[0]), query),
  },
  { method: 'GET', path: /^\/api\/v2\/actions\/actions\/([^/]+)\/versions\/([^/]+)$/, scope: 'read:actions', handle: ({ tenant, params }) => tenant.getVersion(params[0], params[1]) },
  {
    method: 'POST',
    path: /^\/api\/v2\/actions\/actions\/([^/]+)\/versions\/([^/]+)\/deploy$/,
    scope: 'create:actions',
    status: 202,
    handle: ({ tenant, params, body }) => tenant.deployVersion(params[0], params[1], body),
  },
  { method: 'POST', path: /^\/api\/v2\/actions\/actions\/([^/]+)\/test$/, scope: 'create:actions', handle: ({ tenant, params, body }) => tenant.testAction(params[0], body.payload) },
  {
    method: 'GET',
    path: /^\/api\/v2\/actions\/triggers\/([^/]+)\/bindings$/,
    scope: 'read:actions',
    handle: ({ tenant, params, query }) => paginated('bindings', tenant.listBindings(params[0]), query),
  },
  {
    method: 'PATCH',
    path: /^\/api\/v2\/actions\/triggers\/([^/]+)\/bindings$/,
    scope: 'update:actions',
    handle: ({ tenant, params, body }) => ({ bindings: tenant.updateBindings(params[0], body) }),
  },
  {
    method: 'GET',
    path: /^\/api\/v2\/branding\/phone\/providers$/,
    scope: 'read:phone_providers',
    handle: ({ tenant }) => ({ providers: tenant.phoneProvider ? [structuredClone(tenant.phoneProvider)] : [] }),
  },
  { method: 'POST', path: /^\/api\/v2\/branding\/phone\/providers$/, scope: 'create:phone_providers', status: 201, handle: ({ tenant, body }) => tenant.createPhoneProvider(body) },
  {
    method: 'PATCH',
    path: /^\/api\/v2\/branding\/phone\/providers\/([^/]+)$/,
    scope: 'update:phone_providers',
    handle: ({ tenant, params, body }) => tenant.updatePhoneProvider(params[0], body),
  },
  {
    method: 'GET',
    path: /^\/api\/v2\/guardian\/factors$/,
    scope: 'read:guardian_factors',
    handle: ({ tenant }) => [...tenant.guardian.factors].map(([name, enabled]) => ({ name, enabled, trial_expired: false })),
  },
  {
    method: 'PUT',
    path: /^\/api\/v2\/guardian\/factors\/(sms|otp|email|push-notification|duo|webauthn-roaming|webauthn-platform|recovery-code)$/,
    scope: 'update:guardian_factors',
    handle: ({ tenant, params, body }) => {
      if (typeof body.enabled !== 'boolean') throw new ApiError(400, "Payload validation error: 'enabled' must be a boolean.");
      tenant.guardian.factors.set(params[0], body.enabled);
      return { enabled: body.enabled };
    },
  },
  {
    method: 'GET',
    path: /^\/api\/v2\/guardian\/factors\/phone\/selected-provider$/,
    scope: 'read:guardian_factors',
    handle: ({ tenant }) => ({ provider: tenant.guardian.selectedPhoneProvider }),
  },
  {
    method: 'PUT',
    path: /^\/api\/v2\/guardian\/factors\/phone\/selected-provider$/,
    scope: 'update:guardian_factors',
    handle: ({ tenant, body }) => {
      const provider = body.provider;
      if (provider !== 'auth0' && provider !== 'twilio' && provider !== 'phone-message-hook') {
        throw new ApiError(400, "Payload validation error: 'provider' must be one of auth0, twilio, phone-message-hook.");
      }
      tenant.guardian.selectedPhoneProvider = provider;
      return { provider };
    },
  },
  {
    method: 'GET',
    path: /^\/api\/v2\/guardian\/factors\/phone\/message-types$/,
    scope: 'read:guardian_factors',
    handle: ({ tenant }) => ({ message_types: [...tenant.guardian.messageTypes] }),
  },
  {
    method: 'PUT',
    path: /^\/api\/v2\/guardian\/factors\/phone\/message-types$/,
    scope: 'update:guardian_factors',
    handle: ({ tenant, body }) => {
      const types = body.message_types;
      if (!Array.isArray(types) || !types.every((type) => type === 'sms' || type === 'voice')) {
        throw new ApiError(400, "Payload validation error: 'message_types' must list sms and/or voice.");
      }
      tenant.guardian.messageTypes = types;
      return { message_types: types };
    },
  },
];

/** The page size of Auth0's lists when the request names none. */
const DEFAULT_PER_PAGE = 20;

/**
 * One page of a list as Auth0's Management API answers it: `{ total, page, per_page, <key>: [...] }`,
 * pages counted from 0, DEFAULT_PER_PAGE items unless `per_page` asks for another number.
 */
function paginated<T>(key: string, items: readonly T[], query: URLSearchParams): Record<string, unknown> {
  const perPage = Number(query.get('per_page') ?? DEFAULT_PER_PAGE);
  const page = Number(query.get('page') ?? 0);
  if (!Number.isInteger(perPage) || perPage < 1 || !Number.isInteger(page) || page < 0) {
    throw new ApiError(400, "Query validation error: 'page' must be an integer from 0 and 'per_page' one from 1.");
  }
  return { total: items.length, page, per_page: perPage, [key]: items.slice(page * perPage, (page + 1) * perPage) };
}

interface Route {
  method: string;
  path: RegExp;
  scope: string;
  status?: number;
  handle: (request: { tenant: FakeTenant; params: string[]; query: URLSearchParams; body: Record<string, unknown> }) => unknown;
}

/** Management API tokens are valid for a day; Auth0's default for machine-to-machine grants. */
const TOKEN_LIFETIME_SECONDS = 86_400;

export async function startFakeManagementApi(options: FakeManagementApiOptions): Promise<FakeManagementApi> {
  // Loaded only when needed: making a certificate loads a sizeable library.
  const certificate = options.certificate ?? (await (await import('../fake-twilio/tls')).loopbackCertificate());
  const tenant = new FakeTenant({ ...DEFAULT_BUILD, ...options.build }, options.actionLimit, options.bindingLag);
  const tokens = new Map<string, readonly string[]>();
  const requests: RecordedRequest[] = [];
  const bodies: FakeManagementApi['bodies'] = [];
  let rateLimitedSoFar = 0;
  let domain = '';

  const server: Server = createServer(certificate, (request, response) => {
    void handle(request, response).catch((error: unknown) => {
      send(response, 500, { statusCode: 500, error: 'Internal Server Error', message: error instanceof Error ? error.message : String(error) });
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', `https://${domain}`);
    const method = request.method ?? 'GET';
    const raw = await readBody(request);

    if (url.pathname === '/oauth/token' && method === 'POST') {
      issueToken(parseForm(raw, request.headers['content-type']), response);
      return;
    }

    const record = (status: number): void => {
      requests.push({ method, path: url.pathname, status });
    };

    const fault = options.rateLimit;
    if (fault && rateLimitedSoFar < fault.times && fault.matches(method, url.pathname)) {
      rateLimitedSoFar += 1;
      const resetAt = Math.ceil(Date.now() / 1000) + fault.retryAfterSeconds;
      response.setHeader('x-ratelimit-limit', '10');
      response.setHeader('x-ratelimit-remaining', '0');
      response.setHeader('x-ratelimit-reset', String(resetAt));
      response.setHeader('retry-after', String(fault.retryAfterSeconds));
      record(429);
      send(response, 429, new ApiError(429, 'Global limit has been reached', 'too_many_requests').body());
      return;
    }

    const failure = options.failure;
    if (failure?.matches(method, url.pathname)) {
      record(failure.status);
      send(response, failure.status, new ApiError(failure.status, failure.message).body());
      return;
    }

    const scopes = tokens.get((request.headers.authorization ?? '').replace(/^Bearer /, ''));
    if (!scopes) {
      record(401);
      send(response, 401, new ApiError(401, request.headers.authorization ? 'Invalid token' : 'Missing authentication').body());
      return;
    }

    const route = ROUTES.find((candidate) => candidate.method === method && candidate.path.test(url.pathname));
    if (!route) {
      record(404);
      send(response, 404, new ApiError(404, 'Not Found').body());
      return;
    }
    if (!scopes.includes(route.scope)) {
      record(403);
      send(response, 403, new ApiError(403, `Insufficient scope, expected any of: ${route.scope}`, 'insufficient_scope').body());
      return;
    }
    try {
      const body = raw === '' ? {} : JSON.parse(raw);
      if (method !== 'GET') bodies.push({ method, path: url.pathname, body });
      const params = (route.path.exec(url.pathname) ?? []).slice(1).map(decodeURIComponent);
      const result = route.handle({ tenant, params, query: url.searchParams, body: isRecord(body) ? body : {} });
      const status = route.status ?? 200;
      record(status);
      send(response, status, result);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      record(error.statusCode);
      send(response, error.statusCode, error.body());
    }
  }

  /** POST /oauth/token, client_credentials: Auth0's answers for a wrong client or audience. */
  function issueToken(form: Record<string, string>, response: ServerResponse): void {
    if (form.grant_type !== 'client_credentials') {
      send(response, 403, { error: 'unauthorized_client', error_description: 'Grant type not allowed for the client.' });
      return;
    }
    if (form.client_id !== options.clientId || form.client_secret !== options.clientSecret) {
      send(response, 401, { error: 'access_denied', error_description: 'Unauthorized' });
      return;
    }
    const audience = `https://${domain}/api/v2/`;
    if (form.audience !== audience) {
      send(response, 403, { error: 'access_denied', error_description: `Service not enabled within domain: ${form.audience ?? ''}` });
      return;
    }
    const token = randomBytes(24).toString('base64url');
    tokens.set(token, options.scopes);
    send(response, 200, { access_token: token, scope: options.scopes.join(' '), expires_in: TOKEN_LIFETIME_SECONDS, token_type: 'Bearer' });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  domain = `127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    domain,
    certificate: certificate.cert,
    tenant,
    requests,
    bodies,
    writes: () => requests.filter((request) => request.method !== 'GET' && request.status < 300),
    tokensIssued: () => tokens.size,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.statusCode = status;
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.end(JSON.stringify(body));
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

function parseForm(raw: string, contentType: string | undefined): Record<string, string> {
  if ((contentType ?? '').includes('application/json')) {
    const parsed: unknown = JSON.parse(raw);
    return isRecord(parsed) ? Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key, String(value)])) : {};
  }
  return Object.fromEntries(new URLSearchParams(raw));
}
