/**
 * Validates HTTP exchanges with polaris-local against test/polaris-local/openapi-extract.json (the
 * Polaris OpenAPI 3.0 document's facts for the routes served) with Ajv. OpenAPI 3.0 schema dialect is
 * turned into JSON Schema: `nullable` becomes a null alternative, a `discriminator` with a mapping
 * selects the mapped subschema by the property's value, `readOnly` properties are not required in
 * requests, and `x-*`/`readOnly` annotations are ignored (strict off).
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import type { Exchange as LocalExchange } from '../../src/polaris-local/validation.js';

type Schema = Record<string, unknown>;
interface Operation {
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { $ref?: string; content?: Record<string, { schema: Schema }> }>;
}
interface Extract {
  paths: Record<string, Record<string, Operation | unknown>>;
  components: { schemas: Record<string, Schema>; responses: Record<string, { content?: Record<string, { schema: Schema }> }> };
}

const extract = JSON.parse(readFileSync(new URL('../polaris-local/openapi-extract.json', import.meta.url), 'utf8')) as Extract;
const PREFIX = '#/components/schemas/';
const POLY = '__polymorphic';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isObject(v: unknown): v is Schema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** OpenAPI 3.0 schema -> JSON Schema (see the file comment); `selfBase` is the schema whose allOf may name its own base. */
function convert(node: unknown, forRequest: boolean, inAllOfOf?: string): unknown {
  if (Array.isArray(node)) return node.map((n) => convert(n, forRequest, inAllOfOf));
  if (!isObject(node)) return node;
  const out: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'nullable' || key === 'discriminator' || key.startsWith('x-')) continue;
    if (key === '$ref' && typeof value === 'string') {
      const name = value.slice(PREFIX.length);
      const target = extract.components.schemas[name];
      const polymorphic = isObject(target?.discriminator) && inAllOfOf === undefined;
      out.$ref = `${value}${polymorphic ? POLY : ''}${forRequest ? '__request' : ''}`;
      continue;
    }
    if (key === 'properties' && isObject(value)) {
      out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(v, forRequest)]));
      continue;
    }
    if (key === 'allOf') {
      out.allOf = (value as unknown[]).map((v) => convert(v, forRequest, 'base'));
      continue;
    }
    out[key] = convert(value, forRequest);
  }
  if (forRequest && Array.isArray(out.required) && isObject(node.properties)) {
    const props = node.properties;
    out.required = (out.required as string[]).filter((name) => !(isObject(props[name]) && (props[name] as Schema).readOnly === true));
  }
  if (node.nullable === true) return { anyOf: [out, { type: 'null' }] };
  return out;
}

function buildComponents(forRequest: boolean): Record<string, unknown> {
  const suffix = forRequest ? '__request' : '';
  const defs: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(extract.components.schemas)) {
    defs[`${name}${suffix}`] = convert(schema, forRequest);
    const d = schema.discriminator;
    if (isObject(d) && isObject(d.mapping) && typeof d.propertyName === 'string') {
      const prop = d.propertyName;
      const branches = Object.entries(d.mapping).map(([value, ref]) => ({
        if: { properties: { [prop]: { const: value } }, required: [prop] },
        then: { $ref: `${String(ref)}${suffix}` },
      }));
      defs[`${name}${POLY}${suffix}`] = { allOf: [{ $ref: `${PREFIX}${name}${suffix}` }, ...branches] };
    }
  }
  return defs;
}

const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addFormat('uuid', UUID);
ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d\d-\d\dT/.test(s));
for (const f of ['int64', 'int32', 'byte', 'binary', 'uri', 'double', 'float', 'password']) ajv.addFormat(f, true);
ajv.addSchema({ $id: 'extract', components: { schemas: { ...buildComponents(false), ...buildComponents(true) } } });

const compiled = new Map<string, ValidateFunction>();
function validator(schema: Schema, forRequest: boolean): ValidateFunction {
  const converted = convert(schema, forRequest) as Schema;
  const key = JSON.stringify(converted);
  let v = compiled.get(key);
  if (v === undefined) {
    v = ajv.compile(rebase(converted));
    compiled.set(key, v);
  }
  return v;
}

/** Points local refs at the registered components document. */
function rebase(node: unknown): Schema {
  return JSON.parse(JSON.stringify(node).replaceAll('"#/components/schemas/', '"extract#/components/schemas/')) as Schema;
}

/** The path template and operation for a concrete path, e.g. /v1/projects/P/tables/t. */
function findOperation(method: string, path: string): { template: string; operation: Operation } | undefined {
  for (const [template, item] of Object.entries(extract.paths)) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    const operation = item[method.toLowerCase()];
    if (pattern.test(path) && isObject(operation)) return { template, operation: operation as unknown as Operation };
  }
  return undefined;
}

/** Statuses any Polaris route may answer with a platform error (authentication, project, limits, maintenance). */
const PLATFORM_STATUSES = new Set([401, 403, 404, 429, 503]);
const FLAT_ERROR: Schema = { $ref: '#/components/schemas/ErrorResponse14' };
const PLATFORM_ERROR: Schema = {
  anyOf: [FLAT_ERROR, { type: 'object', required: ['error'], properties: { error: FLAT_ERROR } }, { type: 'object', required: ['message'], properties: { message: { type: 'string' } } }],
};

export interface Exchange {
  method: string;
  /** Path without the query string. */
  path: string;
  /** The requested result format (query string or request body), for the routes that have one. */
  resultFormat?: string | null;
  status: number;
  contentType: string | null;
  body: string;
}

/** The ways `exchange` departs from the document (empty when it conforms). */
export function responseProblems(exchange: Exchange): string[] {
  const found = findOperation(exchange.method, exchange.path);
  if (found === undefined) return PLATFORM_STATUSES.has(exchange.status) ? jsonProblems(PLATFORM_ERROR, exchange.body, false) : [`${exchange.method} ${exchange.path} is not in the document`];
  const declared = found.operation.responses[String(exchange.status)];
  if (declared === undefined) {
    if (PLATFORM_STATUSES.has(exchange.status)) return jsonProblems(PLATFORM_ERROR, exchange.body, false);
    return [`${exchange.method} ${found.template}: status ${exchange.status} is not in the document`];
  }
  const content = declared.$ref === undefined ? declared.content : extract.components.responses[declared.$ref.split('/').pop() ?? '']?.content;
  const json = content?.['application/json'];
  if (content === undefined || Object.keys(content).length === 0) {
    // An error the document lists without a body (e.g. the events route's 400, 404, 429) may carry a platform error.
    if (exchange.body === '') return [];
    return exchange.status >= 400 ? jsonProblems(PLATFORM_ERROR, exchange.body, false) : [`${found.template} ${exchange.status}: the document declares no body`];
  }
  if (json === undefined || !(exchange.contentType ?? '').includes('application/json')) return [];
  // The document's SqlResponse is the default object format; other result formats are not schema'd.
  const format = exchange.resultFormat;
  if (format !== null && format !== undefined && format !== 'object') return [];
  return jsonProblems(json.schema, exchange.body, false);
}

/** The ways an answer's status departs from the document, for an answer whose body was not kept. */
export function statusProblems(method: string, path: string, status: number): string[] {
  const found = findOperation(method, path);
  if (PLATFORM_STATUSES.has(status) || found?.operation.responses[String(status)] !== undefined) return [];
  return found === undefined ? [`${method} ${path} is not in the document`] : [`${method} ${found.template}: status ${status} is not in the document`];
}

/**
 * polaris-local's validation-mode check (src/polaris-local/validation.ts): the request against the
 * document's request schema, the answer against its response schema. The result format is the
 * `resultFormat` query parameter, else the request body's.
 */
export function checkExchange(exchange: LocalExchange): string[] {
  const request = requestProblems(exchange.method, exchange.path, exchange.requestContentType, exchange.requestBody).map((p) => `request: ${p}`);
  const { responseBody: body } = exchange;
  const answer = body === undefined ? statusProblems(exchange.method, exchange.path, exchange.status) : responseProblems({ method: exchange.method, path: exchange.path, resultFormat: exchange.query.get('resultFormat') ?? requestedFormat(exchange.requestBody), status: exchange.status, contentType: exchange.responseContentType, body });
  return [...request, ...answer.map((p) => `response: ${p}`)];
}

function requestedFormat(body: string): string | null {
  try {
    const value = JSON.parse(body) as unknown;
    return isObject(value) && typeof value.resultFormat === 'string' ? value.resultFormat : null;
  } catch {
    return null;
  }
}

/** The ways a request body departs from the document's request schema for its route. */
export function requestProblems(method: string, path: string, contentType: string | null, body: string): string[] {
  const found = findOperation(method, path);
  if (found === undefined) return [`${method} ${path} is not in the document`];
  const content = found.operation.requestBody?.content;
  if (content === undefined) return body === '' ? [] : [`${found.template}: the document declares no request body`];
  const media = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const declared = content[media];
  if (declared === undefined) return [`${method} ${found.template}: content type ${contentType ?? '(none)'} is not one the document lists (${Object.keys(content).join(', ')})`];
  // A body the document declares as a string (the events route's EventRequest) is the raw bytes, not JSON.
  if (media !== 'application/json' || resolve(declared.schema).type === 'string') return [];
  return jsonProblems(declared.schema, body, true);
}

function resolve(schema: Schema): Schema {
  const ref = schema.$ref;
  return typeof ref === 'string' && ref.startsWith(PREFIX) ? resolve(extract.components.schemas[ref.slice(PREFIX.length)] ?? {}) : schema;
}

function jsonProblems(schema: Schema, body: string, forRequest: boolean): string[] {
  let value: unknown;
  try {
    value = JSON.parse(body) as unknown;
  } catch {
    return [`not JSON: ${body.slice(0, 200)}`];
  }
  const validate = validator(schema, forRequest);
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
