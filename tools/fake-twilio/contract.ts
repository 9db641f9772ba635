import type { ErrorObject, ValidateFunction } from 'ajv';
import { regionOfHost } from './account';
import { describedPaths, HTTP_METHODS, operationValidators, type DescribedOperation, type DescribedPath, type HttpMethod, type OperationValidators } from './description';
import { twilioErrorBody, type TwilioErrorAnswer } from './twilio-errors';

/**
 * Every request the fake receives, checked against Twilio's published API description (see
 * description.ts): the operation is found by method and path among the description's path
 * templates, the host by the description's server, and the path parameters, query and form body
 * are validated by Ajv against the operation's schemas, the form's strings coerced to the
 * schema's types as Twilio does (integers, booleans, arrays as repeated keys), with the
 * description's `x-twilio.conditional` groups (From or MessagingServiceSid…) required too.
 *
 * Stricter than Twilio on one point: a parameter the description does not list is a violation
 * (Twilio ignores it with warning 20001; a sender that sends one has a typo or a wrong idea).
 *
 * The description names one server per product (`lookups.twilio.com`); Twilio serves the same
 * API from the product's hosts in other regions and through edges
 * (`lookups.dublin.ie1.twilio.com`), but only in the regions that have the product
 * (`PRODUCT_REGIONS`): a request to a product's host in another region is a violation, answered
 * as Twilio answers a host that does not serve the operation (404, 20404).
 */

/** A request as the fake received it. */
export interface ContractRequest {
  method: string;
  /** Path and query, as in the request line. */
  url: string;
  /** The host the client addressed: its Host header. */
  host: string;
  contentType: string | undefined;
  body: string;
}

/** A request the description rejects. */
export interface ContractViolation {
  method: string;
  path: string;
  /** The host the client addressed (its Host header). */
  host: string;
  /** The operation the request was checked against (`POST /v2/Services/{ServiceSid}/Verifications`), if one was found. */
  operation: string | undefined;
  /** What the description rejected, one line each: `ValidityPeriod: must be integer (got "abc")`. */
  problems: string[];
  /** What Twilio answers: 404 for a resource or host the description does not have, 405 for a method, 400 for parameters. */
  answer: TwilioErrorAnswer;
}

interface Route {
  described: DescribedPath;
  pattern: RegExp;
  names: string[];
}

export class TwilioContract {
  private readonly routes: Route[];
  private readonly validators = new Map<DescribedOperation, OperationValidators>();

  constructor(paths: readonly DescribedPath[] = describedPaths()) {
    this.routes = paths.map((described) => {
      const names: string[] = [];
      const source = described.template
        .split(/(\{[^}]+\})/)
        .map((part) => {
          const name = /^\{([^}]+)\}$/.exec(part)?.[1];
          if (name === undefined) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
          names.push(name);
          return '([^/]+)';
        })
        .join('');
      return { described, pattern: new RegExp(`^${source}$`), names };
    });
    // A literal segment wins over a template parameter (`Calls/FeedbackSummary.json` over `Calls/{Sid}.json`).
    this.routes.sort((a, b) => a.names.length - b.names.length);
  }

  /** What the description rejects in this request, or undefined when it rejects nothing. */
  check(request: ContractRequest): ContractViolation | undefined {
    const queryAt = request.url.indexOf('?');
    const path = queryAt < 0 ? request.url : request.url.slice(0, queryAt);
    const query = queryAt < 0 ? '' : request.url.slice(queryAt + 1);
    const violation = (operation: string | undefined, problems: string[], answer: TwilioErrorAnswer): ContractViolation => ({
      method: request.method,
      path,
      host: request.host,
      operation,
      problems,
      answer,
    });
    const notFound = twilioErrorBody(20404, '', { message: `The requested resource ${path} was not found` });

    const { first, found, operation } = this.operationOf(request.method, path);
    if (first === undefined) return violation(undefined, [`${path}: no such path in the API description`], notFound);
    if (found === undefined || operation === undefined) {
      const allowed = Object.keys(first.route.described.operations).map((name) => name.toUpperCase());
      return violation(undefined, [`${request.method} ${first.route.described.template}: not an operation of the API description (${allowed.join(', ')} are)`], twilioErrorBody(20004));
    }
    if (!servesHost(operation.serverHost, request.host)) {
      return violation(operation.label, [`host ${request.host}: the description serves ${found.route.described.template} on ${operation.serverHost}`], notFound);
    }
    const regions = PRODUCT_REGIONS[productOf(operation.serverHost)];
    if (regions !== undefined && !regions.includes(regionOfHost(request.host))) {
      return violation(operation.label, [`host ${request.host}: Twilio serves ${operation.serverHost} from ${regions.join(' and ')} only, not ${regionOfHost(request.host)}`], notFound);
    }

    const validators = this.validatorsOf(operation);
    const values = found.route.names.map((name, index) => [name, decodedPathValue(found.values[index] ?? '')] as const);
    const undecodable = values.filter(([, value]) => value === undefined).map(([name]) => `${name}: not a URL-encoded value`);
    if (undecodable.length > 0) return violation(operation.label, undecodable, notFound);
    const pathProblems = problemsOf(validators.path, Object.fromEntries(values), 'path');
    if (pathProblems.length > 0) return violation(operation.label, pathProblems, notFound);

    const problems = [...problemsOf(validators.query, formFields(query), 'query'), ...bodyProblems(operation, validators.body, request)];
    return problems.length === 0 ? undefined : violation(operation.label, problems, parameterErrorAnswer(operation.serverHost, problems));
  }

  /** The host the description serves this request on (`verify.twilio.com`), or undefined when it describes no such operation. */
  hostOf(method: string, url: string): string | undefined {
    return this.operationOf(method, url.split('?')[0] ?? '').operation?.serverHost;
  }

  /** The described paths that match `path` (the first), the one that has `method` and its operation. */
  private operationOf(method: string, path: string) {
    const matches = this.routes.flatMap((route) => {
      const match = route.pattern.exec(path);
      return match === null ? [] : [{ route, values: match.slice(1) }];
    });
    const described = method.toLowerCase() as HttpMethod;
    const found = HTTP_METHODS.includes(described) ? matches.find(({ route }) => route.described.operations[described] !== undefined) : undefined;
    return { first: matches[0], found, operation: found?.route.described.operations[described] };
  }

  private validatorsOf(operation: DescribedOperation): OperationValidators {
    let validators = this.validators.get(operation);
    if (validators === undefined) {
      validators = operationValidators(operation);
      this.validators.set(operation, validators);
    }
    return validators;
  }
}

function bodyProblems(operation: DescribedOperation, validate: ValidateFunction | undefined, request: ContractRequest): string[] {
  if (validate === undefined) return request.body === '' ? [] : [`a body of ${Buffer.byteLength(request.body)} bytes: the operation takes none`];
  const mediaType = (request.contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (request.body !== '' && !operation.mediaTypes.includes(mediaType)) {
    return [`Content-Type ${mediaType || '(none)'}: the description accepts ${operation.mediaTypes.join(', ')}`];
  }
  const fields = formFields(request.body);
  const problems = problemsOf(validate, fields, 'body');
  for (const group of operation.conditional) {
    if (!group.some((name) => fields[name] !== undefined)) problems.push(`${group.join(' | ')}: one of them is required (x-twilio conditional)`);
  }
  return problems;
}

/**
 * The regions that serve a product, for the products Twilio does not serve from every region
 * (its "Regional product availability"): Verify from us1 only, Lookup v2 from us1 and ie1. A
 * product not listed is served from every region the sender accepts.
 */
export const PRODUCT_REGIONS: Readonly<Record<string, readonly string[]>> = { verify: ['us1'], lookups: ['us1', 'ie1'] };

/** `lookups` of `lookups.twilio.com`. */
function productOf(serverHost: string): string {
  return serverHost.split('.')[0] ?? '';
}

/** `api.twilio.com` serves `api.twilio.com` and its regions and edges (`api.dublin.ie1.twilio.com`). */
function servesHost(serverHost: string, addressed: string): boolean {
  const host = addressed.replace(/:\d+$/, '').toLowerCase();
  return host === serverHost || (host.startsWith(`${productOf(serverHost)}.`) && host.endsWith('.twilio.com'));
}

/** A path parameter as the server reads it (`%2B15550105310` is `+15550105310`), or undefined when its escapes are broken (`%ZZ`). */
function decodedPathValue(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/** A form (or a query) as the description's objects: one value a string, a repeated key an array. */
function formFields(text: string): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const present = fields[key];
    fields[key] = present === undefined ? value : [...(Array.isArray(present) ? present : [present]), value];
  }
  return fields;
}

/** Ajv's errors, one line each, named by parameter: `Channel: must be one of sms, call (got "fax")`. */
function problemsOf(validate: ValidateFunction, data: Record<string, unknown>, where: 'path' | 'query' | 'body'): string[] {
  if (validate(data)) return [];
  return (validate.errors ?? []).map((error: ErrorObject) => {
    const name = error.instancePath.slice(1).replace(/\//g, '.');
    const got = error.data === undefined ? '' : ` (got ${JSON.stringify(error.data)})`;
    switch (error.keyword) {
      case 'additionalProperties':
        return `${String(error.params.additionalProperty)}: not a ${where} parameter of this operation in the API description`;
      case 'required':
        return `${String(error.params.missingProperty)}: a required ${where} parameter, missing`;
      case 'enum':
        return `${name}: must be one of ${(error.params.allowedValues as unknown[]).map(String).join(', ')}${got}`;
      default:
        return `${name}: ${error.message ?? error.keyword}${got}`;
    }
  });
}

/**
 * How Twilio answers parameters it rejects: Verify with 60200 Invalid parameter; the v2010 API
 * with 20001 when it only does not know a parameter, else 80701 Parameter Validation Failed. The
 * message says what the description rejected.
 */
function parameterErrorAnswer(serverHost: string, problems: readonly string[]): TwilioErrorAnswer {
  const detail = problems.join('; ');
  if (serverHost.startsWith('verify.')) {
    const names = [...new Set(problems.map((problem) => problem.split(':')[0]))].join(', ');
    return twilioErrorBody(60200, '', { message: `Invalid parameter: ${names} (${detail})` });
  }
  if (problems.every((problem) => / parameter of this operation /.test(problem))) return twilioErrorBody(20001, '', { message: `Unknown parameters: ${detail}` });
  return twilioErrorBody(80701, '', { message: `Parameter Validation Failed: ${detail}` });
}

let shared: TwilioContract | undefined;

/** The contract of the description's files the fake serves, loaded once per module registry (a jest test file, a process). */
export function twilioContract(): TwilioContract {
  shared ??= new TwilioContract();
  return shared;
}
