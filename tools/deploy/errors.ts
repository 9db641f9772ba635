import { ManagementError, ManagementTimeoutError } from 'auth0';

/**
 * Every failure the command reports: what went wrong and how to fix it, in words written here.
 * SDK errors are never printed as they come, since their message embeds the response body and
 * may carry request details; only the status, Auth0's error fields and network codes are read.
 */
export class DeployError extends Error {
  override readonly name = 'DeployError';

  constructor(
    message: string,
    /** What to do about it, printed after the message. */
    readonly fix?: string,
  ) {
    super(message);
  }
}

/** Where the failure happened, for the words of the message. */
export interface FailureContext {
  /** AUTH0_DOMAIN as used. */
  domain: string;
  /** `token`: signing in at /oauth/token; `api`: a Management API call. */
  stage: 'token' | 'api';
  /** What the command was doing, as a phrase: "creating the action". */
  doing: string;
  /** Creating an action is where the tenant's action limit shows. */
  creatingAction?: boolean;
  /** Every scope this run needs, named in the fix of a missing scope. */
  requiredScopes: readonly string[];
}

const SCOPE_GRANT_PATH =
  'Auth0 Dashboard > Applications > APIs > Auth0 Management API > Machine To Machine Applications > your application > expand it, tick the scope, Update';

/** How many characters of a message from Auth0 are quoted; enough for any message it writes. */
const MAX_QUOTED_LENGTH = 300;

/** Turns anything thrown into a DeployError with a fix. */
export function explainFailure(error: unknown, context: FailureContext): DeployError {
  if (error instanceof DeployError) return error;
  const network = networkCode(error);
  if (network) return explainNetwork(network, context);
  if (error instanceof ManagementTimeoutError || (error instanceof ManagementError && error.statusCode === 408)) {
    return new DeployError(`${context.domain} did not answer in time while ${context.doing}.`, 'Check the network and AUTH0_DOMAIN, then run the command again.');
  }
  if (error instanceof SyntaxError && context.stage === 'token') return notATenant(context, 'an answer that is not JSON');
  if (!(error instanceof ManagementError) || error.statusCode === undefined) {
    const kind = error instanceof Error ? error.name : typeof error;
    return new DeployError(`Unexpected failure while ${context.doing} (${kind}).`, 'Run the command again; if it fails the same way, report it with this output.');
  }
  return context.stage === 'token' ? explainTokenFailure(error.statusCode, fields(error.body), context) : explainApiFailure(error.statusCode, fields(error.body), context);
}

function explainNetwork(code: string, context: FailureContext): DeployError {
  if (code === 'ENOTFOUND' || code === 'EAI_NONAME') {
    return new DeployError(
      `AUTH0_DOMAIN ${context.domain} does not resolve from this machine (DNS: ${code}).`,
      "Set AUTH0_DOMAIN to your tenant's domain as shown in Applications > your application > Settings > Domain; if it is that already, this machine cannot resolve it: check its network, DNS or proxy.",
    );
  }
  // The resolver did not answer: the name may well be right, so the network comes first.
  if (code === 'EAI_AGAIN') {
    return new DeployError(
      `The DNS lookup of AUTH0_DOMAIN ${context.domain} failed for now (DNS: ${code}): this machine's resolver did not answer.`,
      "Check this machine's network and DNS, then run the command again; if it keeps failing, check AUTH0_DOMAIN, e.g. acme.eu.auth0.com.",
    );
  }
  if (code === 'ECONNREFUSED') {
    return new DeployError(`Nothing answers HTTPS at ${context.domain} (${code}).`, "Check AUTH0_DOMAIN: it must be your tenant's domain, e.g. acme.eu.auth0.com.");
  }
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/.test(code)) {
    return new DeployError(
      `The TLS certificate of ${context.domain} is not trusted (${code}).`,
      "Check AUTH0_DOMAIN; behind a TLS-inspecting proxy, name the proxy's CA in NODE_EXTRA_CA_CERTS.",
    );
  }
  return new DeployError(`The connection to ${context.domain} failed while ${context.doing} (${code}).`, 'Check the network, then run the command again.');
}

function explainTokenFailure(status: number, body: ErrorFields, context: FailureContext): DeployError {
  const description = body.errorDescription ?? body.message ?? '';
  if (body.error === 'access_denied' && status === 401) {
    return new DeployError(
      `Auth0 refused the client credentials (access_denied: ${quote(description || 'Unauthorized')}).`,
      'Check AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET against Applications > your machine-to-machine application > Settings; the secret may have been rotated.',
    );
  }
  if (body.error === 'access_denied' && /service not enabled/i.test(description)) {
    return new DeployError(
      `${context.domain} does not serve the Management API audience (${quote(description)}).`,
      "Use the tenant's own domain (….auth0.com, Settings > Domain) in AUTH0_DOMAIN, not a custom domain.",
    );
  }
  if (body.error === 'access_denied') {
    return new DeployError(
      `The application may not call the Management API (access_denied: ${quote(description)}).`,
      `Authorize it: Applications > APIs > Auth0 Management API > Machine To Machine Applications, switch your application on and grant ${context.requiredScopes.join(', ')}.`,
    );
  }
  if (body.error === 'unauthorized_client') {
    return new DeployError(`The application may not use client credentials (${quote(description)}).`, 'Applications > your application > Settings > Advanced > Grant Types: tick Client Credentials.');
  }
  if (status === 429) return new DeployError(`Auth0 rate-limited the sign-in at ${context.domain} (HTTP 429).`, 'Wait a minute and run the command again.');
  if (status >= 500 && body.error !== undefined) {
    return new DeployError(`Auth0 failed to sign in the application (HTTP ${status}: ${quote(description || body.error)}).`, 'Run the command again in a few minutes.');
  }
  return notATenant(context, `HTTP ${status}${body.error ? '' : ' without an OAuth error'}`);
}

function notATenant(context: FailureContext, answer: string): DeployError {
  return new DeployError(
    `${context.domain} answered the sign-in (POST /oauth/token) with ${answer}, not as an Auth0 tenant does.`,
    "Set AUTH0_DOMAIN to your tenant's domain as shown in Applications > your application > Settings > Domain, e.g. acme.eu.auth0.com.",
  );
}

function explainApiFailure(status: number, body: ErrorFields, context: FailureContext): DeployError {
  const said = body.message ?? body.error ?? `HTTP ${status}`;
  const scope = /insufficient scope, expected any of: (.+)$/i.exec(body.message ?? '')?.[1];
  if (status === 403 && scope !== undefined) {
    return new DeployError(
      `The application lacks the scope ${scope}, needed for ${context.doing} (Auth0: ${quote(said)}).`,
      `Grant it: ${SCOPE_GRANT_PATH}. This run needs ${context.requiredScopes.join(', ')}. What was done before this step stays; run the command again to finish.`,
    );
  }
  if (context.creatingAction && status >= 400 && status < 500 && /limit|maximum/i.test(said)) {
    return new DeployError(
      `The tenant holds as many actions as Auth0 allows, so it refused ${context.doing} (Auth0: ${quote(said)}).`,
      'Delete an action you no longer use (Actions > Library > the action > Delete; unbind it from its flow first), or ask Auth0 support to raise the limit, then run the command again.',
    );
  }
  if (status === 401) {
    return new DeployError(`Auth0 rejected the access token while ${context.doing} (${quote(said)}).`, "Use the tenant's own domain (….auth0.com) in AUTH0_DOMAIN and run the command again.");
  }
  if (status === 429) {
    return new DeployError(`Auth0 kept rate-limiting ${context.doing} (HTTP 429: ${quote(said)}).`, 'Wait a minute and run the command again; it continues where this run stopped.');
  }
  if (status >= 500) {
    return new DeployError(`Auth0 failed while ${context.doing} (HTTP ${status}: ${quote(said)}).`, 'Run the command again in a few minutes; it continues where this run stopped.');
  }
  return new DeployError(`Auth0 refused ${context.doing} (HTTP ${status}: ${quote(said)}).`);
}

interface ErrorFields {
  error?: string;
  errorDescription?: string;
  message?: string;
  errorCode?: string;
}

/** Auth0's error fields, the strings only: `{statusCode, error, message, errorCode}` or OAuth's `{error, error_description}`. */
function fields(body: unknown): ErrorFields {
  if (typeof body !== 'object' || body === null) return {};
  const read = (key: string): string | undefined => {
    const value: unknown = (body as Record<string, unknown>)[key];
    return typeof value === 'string' ? value : undefined;
  };
  return { error: read('error'), errorDescription: read('error_description'), message: read('message'), errorCode: read('errorCode') };
}

function quote(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_QUOTED_LENGTH ? `${line.slice(0, MAX_QUOTED_LENGTH)}…` : line;
}

/** The system error code (ENOTFOUND, ECONNREFUSED, CERT_…) under fetch's "fetch failed", if any. */
export function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth += 1) {
    const code: unknown = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z_0-9]+$/.test(code) && code !== 'ERR_INVALID_ARG_TYPE') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
