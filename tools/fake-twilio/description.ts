import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ValidateFunction } from 'ajv';

/**
 * Twilio's published API description (twilio-oai, shipped in `@twilio-alpha/mcp` under
 * `twilio-oai/spec/json/`), reduced to what a check of requests needs: each operation's path
 * template, server and request schemas with their `$ref`s inlined, compiled by Ajv.
 *
 * Parsing the description (2.5 MB of JSON) and compiling with Ajv costs about 400 ms, and jest
 * pays it again in every test file (each has its own module registry). So both results are
 * cached in build/twilio-contract/, keyed by the package's version, Ajv's and this file's
 * content: the reduced description as JSON, and each operation's validators as Ajv's standalone
 * code, compiled by the first process that needs them (written whole, then renamed, so that
 * parallel workers never read half a file).
 */

/**
 * The files the fake is checked against: Programmable Messaging and Voice (API v2010), Verify v2,
 * Lookup v2 (line type and SMS pumping risk before a send), and what a preflight check reads
 * besides: Messaging Services (messaging v1), WhatsApp senders (messaging v2), Content templates
 * (content v1) and voice dialing permissions (voice v1).
 */
export const DESCRIPTION_SPECS = ['twilio_api_v2010', 'twilio_verify_v2', 'twilio_lookups_v2', 'twilio_messaging_v1', 'twilio_messaging_v2', 'twilio_content_v1', 'twilio_voice_v1'] as const;
export type DescriptionSpec = (typeof DESCRIPTION_SPECS)[number];

export const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export type JsonSchema = { [keyword: string]: unknown };

/** One operation, as the check needs it. */
export interface DescribedOperation {
  /** `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` */
  label: string;
  /** The description's server for it: `api.twilio.com`, `verify.twilio.com`. */
  serverHost: string;
  /** Objects of the path parameters, the query and the form body; no unknown property allowed. */
  schemas: { path: JsonSchema; query: JsonSchema; body: JsonSchema | undefined };
  /** The body's media types (`application/x-www-form-urlencoded`); none when it takes no body. */
  mediaTypes: string[];
  /** `x-twilio.conditional`: groups of body parameters of which one is required (`From`, `MessagingServiceSid`). */
  conditional: string[][];
}

export interface DescribedPath {
  template: string;
  operations: Partial<Record<HttpMethod, DescribedOperation>>;
}

export type OperationValidators = { [part in keyof DescribedOperation['schemas']]: part extends 'body' ? ValidateFunction | undefined : ValidateFunction };

/** Ajv's options: every problem, the value in each error, and a form's strings coerced as Twilio does (a single value to an array too). */
const AJV_OPTIONS = { allErrors: true, verbose: true, coerceTypes: 'array', strictTypes: false } as const;

// The subset of OpenAPI 3.0 that is read.
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonSchema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
  'x-twilio'?: { conditional?: string[][] };
}
type PathItem = { servers?: { url: string }[]; parameters?: Parameter[] } & { [method in HttpMethod]?: Operation };
interface OpenApi {
  servers?: { url: string }[];
  paths: Record<string, PathItem>;
  components?: { schemas?: Record<string, JsonSchema> };
}

const MCP_PACKAGE = '@twilio-alpha/mcp/package.json';

/** Where the description's files are. */
export function descriptionDirectory(): string {
  return join(dirname(require.resolve(MCP_PACKAGE)), 'twilio-oai', 'spec', 'json');
}

/** Every path of these description files, from the cache when it has them. */
export function describedPaths(specs: readonly DescriptionSpec[] = DESCRIPTION_SPECS): DescribedPath[] {
  const file = join(cacheDirectory(), `paths-${specs.join('+')}.json`);
  const cached = readCached(file);
  if (cached !== undefined) return JSON.parse(cached) as DescribedPath[];
  const paths = specs.flatMap((name) => reduce(JSON.parse(readFileSync(join(descriptionDirectory(), `${name}.json`), 'utf8')) as OpenApi));
  writeCached(file, JSON.stringify(paths));
  return paths;
}

/**
 * The JSON schema of an operation's answer with `status`, its `$ref`s inlined: what a test holds
 * the fake's answers to. Read from the description's file each time (the fake never needs it).
 */
export function responseSchema(spec: DescriptionSpec, template: string, method: HttpMethod, status: number): JsonSchema {
  const description = JSON.parse(readFileSync(join(descriptionDirectory(), `${spec}.json`), 'utf8')) as OpenApi;
  const schema = description.paths[template]?.[method]?.responses?.[String(status)]?.content?.['application/json']?.schema;
  if (schema === undefined) throw new Error(`${spec} describes no ${status} answer of ${method.toUpperCase()} ${template}`);
  return inline(schema, description);
}

/** The operation's validators: Ajv's standalone code from the cache, compiled into it on a miss. */
export function operationValidators(operation: DescribedOperation): OperationValidators {
  const digest = createHash('sha256').update(JSON.stringify(operation.schemas)).digest('hex').slice(0, 24);
  const file = join(cacheDirectory(), `validators-${digest}.js`);
  if (!existsSync(file)) writeCached(file, standaloneValidators(operation.schemas));
  return require(file) as OperationValidators;
}

function standaloneValidators(schemas: DescribedOperation['schemas']): string {
  // Loaded only on a miss: Ajv itself takes 100 ms to load.
  const { default: Ajv } = require('ajv') as typeof import('ajv');
  const { default: addFormats } = require('ajv-formats') as typeof import('ajv-formats');
  const { default: standaloneCode } = require('ajv/dist/standalone') as typeof import('ajv/dist/standalone');
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true } });
  addFormats(ajv);
  // OpenAPI's annotations beside JSON Schema's.
  ajv.addVocabulary(['x-twilio', 'example']);
  const references: Record<string, string> = {};
  for (const [part, schema] of Object.entries(schemas) as [string, JsonSchema | undefined][]) {
    if (schema === undefined) continue;
    // Twilio's own formats (`phone-number`, `endpoint`, `twiml`, `http-method`…) are names the
    // description does not define: any string passes them, as JSON Schema says of an unknown format.
    walk(schema, (node) => {
      if (typeof node.format === 'string' && ajv.formats[node.format] === undefined) ajv.addFormat(node.format, true);
    });
    ajv.addSchema(schema, part);
    references[part] = part;
  }
  return standaloneCode(ajv, references);
}

/** A description file's operations, with the schemas of their requests inlined. */
function reduce(spec: OpenApi): DescribedPath[] {
  return Object.entries(spec.paths).map(([template, item]) => {
    const server = item.servers?.[0]?.url ?? spec.servers?.[0]?.url ?? 'https://api.twilio.com';
    const operations: DescribedPath['operations'] = {};
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (operation === undefined) continue;
      const parameters = [...(item.parameters ?? []), ...(operation.parameters ?? [])];
      const inlined = (schema: JsonSchema | undefined): JsonSchema => inline(schema ?? {}, spec);
      const objectOf = (where: Parameter['in']): JsonSchema => {
        const listed = parameters.filter((parameter) => parameter.in === where);
        return {
          type: 'object',
          properties: Object.fromEntries(listed.map((parameter) => [parameter.name, inlined(parameter.schema)])),
          required: listed.filter((parameter) => parameter.required === true || where === 'path').map((parameter) => parameter.name),
          additionalProperties: false,
        };
      };
      const content = Object.entries(operation.requestBody?.content ?? {});
      // Every media type of Twilio's bodies is the form; its schema is the first one's.
      const bodySchema = content[0]?.[1].schema;
      const body: JsonSchema | undefined = bodySchema === undefined ? undefined : { additionalProperties: false, ...inlined(bodySchema) };
      // The description names conditional parameters as the wire's in snake_case (`messaging_service_sid`).
      const wireNames = new Map(Object.keys((body?.properties as JsonSchema | undefined) ?? {}).map((name) => [name.toLowerCase(), name]));
      operations[method] = {
        label: `${method.toUpperCase()} ${template}`,
        serverHost: new URL(server).host,
        schemas: { path: objectOf('path'), query: objectOf('query'), body },
        mediaTypes: content.map(([mediaType]) => mediaType.toLowerCase()),
        conditional: (operation['x-twilio']?.conditional ?? []).map((group) => group.map((name) => wireNames.get(name.replace(/_/g, '')) ?? name)),
      };
    }
    return { template, operations };
  });
}

/**
 * A copy of `schema` with every `$ref` into the description's components replaced by what it
 * points to, without descriptions, and without the format of a value marked `x-twilio.ignoreFormat`.
 */
function inline(schema: JsonSchema, spec: OpenApi, seen: readonly string[] = []): JsonSchema {
  const copy = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(copy);
    if (value === null || typeof value !== 'object') return value;
    const node = value as JsonSchema;
    if (typeof node.$ref === 'string') {
      const name = /^#\/components\/schemas\/(.+)$/.exec(node.$ref)?.[1];
      const target = name === undefined ? undefined : spec.components?.schemas?.[name];
      if (name === undefined || target === undefined) throw new Error(`The API description has no ${node.$ref}`);
      if (seen.includes(name)) throw new Error(`The API description's ${node.$ref} refers to itself`);
      return inline(target, spec, [...seen, name]);
    }
    const ignoreFormat = (node['x-twilio'] as { ignoreFormat?: boolean } | undefined)?.ignoreFormat === true;
    return Object.fromEntries(
      Object.entries(node)
        .filter(([keyword]) => keyword !== 'description' && keyword !== 'examples' && !(ignoreFormat && keyword === 'format'))
        .map(([keyword, inner]) => [keyword, keyword === 'properties' ? copyProperties(inner) : copy(inner)]),
    );
  };
  // The keys of `properties` are names, not keywords: a property may be called `description` (a WhatsApp sender's profile has one).
  const copyProperties = (properties: unknown): unknown =>
    properties !== null && typeof properties === 'object' && !Array.isArray(properties)
      ? Object.fromEntries(Object.entries(properties).map(([name, inner]) => [name, copy(inner)]))
      : copy(properties);
  return copy(schema) as JsonSchema;
}

function walk(schema: unknown, visit: (node: JsonSchema) => void): void {
  if (Array.isArray(schema)) for (const item of schema) walk(item, visit);
  else if (schema !== null && typeof schema === 'object') {
    visit(schema as JsonSchema);
    for (const inner of Object.values(schema)) walk(inner, visit);
  }
}

let cacheDirectoryPath: string | undefined;

/** build/twilio-contract/VERSION-KEY/ of the project whose node_modules holds the description. */
function cacheDirectory(): string {
  cacheDirectoryPath ??= cacheDirectoryFor(require.resolve(MCP_PACKAGE));
  return cacheDirectoryPath;
}

function cacheDirectoryFor(packageFile: string): string {
  const { version } = JSON.parse(readFileSync(packageFile, 'utf8')) as { version: string };
  const ajvVersion = (JSON.parse(readFileSync(require.resolve('ajv/package.json'), 'utf8')) as { version: string }).version;
  // This file's content: a change to how the description is reduced or compiled is a new cache.
  const key = createHash('sha256').update(readFileSync(__filename)).update(ajvVersion).digest('hex').slice(0, 12);
  // node_modules/@twilio-alpha/mcp/package.json → the project.
  return join(resolve(dirname(packageFile), '..', '..', '..'), 'build', 'twilio-contract', `${version}-${key}`);
}

function readCached(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function writeCached(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.${Date.now()}.partial`;
  writeFileSync(partial, text);
  renameSync(partial, file);
}
