/**
 * Every operation of Tenor, read from its own `GET /openapi.json`, for suites that
 * must cover routes added later without being edited: method, path template,
 * parameters, request body schema, and whether a token is needed.
 */
import type { Harness } from './harness';

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  example?: unknown;
  description?: string;
  $ref?: string;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  description?: string;
  schema: JsonSchema;
}

export interface Operation {
  method: string;
  /** the path template, e.g. /v1/customers/{id} */
  path: string;
  /** `GET /v1/customers/{id}` */
  name: string;
  parameters: Parameter[];
  body?: { mediaType: string; schema: JsonSchema; required: boolean };
  /** needs a bearer token */
  secured: boolean;
  /** the status of a body its schema refuses: 400, or what the operation documents (`x-invalid-body-status`, simPRO's 422) */
  invalidBodyStatus: number;
}

export interface ApiDocument {
  operations: Operation[];
  /** the object schema a path's GET answers with (200), if any */
  responseSchema(method: string, path: string): JsonSchema | undefined;
  /** the JSON schema an operation documents for a status, if any */
  response(method: string, path: string, status: number): JsonSchema | undefined;
  /** the JSON body schema POST takes on a collection path, if any */
  createSchema(collectionPath: string): JsonSchema | undefined;
  /**
   * The schema a collection's items are validated against when patched: its POST
   * body, or for items added through a parent (`/v2/usage-rates`, added as
   * `usageRates` of a card) the item schema of the parent's list of that name.
   */
  writableSchema(collectionPath: string): JsonSchema | undefined;
}

const METHODS = ['get', 'head', 'post', 'put', 'patch', 'delete'];

// biome-ignore lint: the document is untyped JSON
type Json = any;

/** Replaces every `$ref` by what it points to (the documents have no cycles). */
function dereference(document: Json, node: Json, depth = 0): Json {
  if (depth > 50 || node === null || typeof node !== 'object') return node;
  if (Array.isArray(node)) return node.map((n) => dereference(document, n, depth + 1));
  if (typeof node.$ref === 'string') {
    const target = node.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce((at: Json, key: string) => at?.[key.replaceAll('~1', '/').replaceAll('~0', '~')], document);
    const { $ref: _ref, ...rest } = node;
    return dereference(document, { ...target, ...rest }, depth + 1);
  }
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) out[k] = dereference(document, v, depth + 1);
  return out;
}

export function parseDocument(raw: Json): ApiDocument {
  const document = dereference(raw, raw);
  const globalSecurity: unknown[] = document.security ?? [];
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries<Json>(document.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const parameters: Parameter[] = [...(item.parameters ?? []), ...(op.parameters ?? [])];
      let body: Operation['body'];
      const content = op.requestBody?.content;
      if (content) {
        const mediaType = Object.keys(content)[0]!;
        body = { mediaType, schema: content[mediaType].schema ?? {}, required: op.requestBody.required === true };
      }
      const security: unknown[] = op.security ?? globalSecurity;
      operations.push({
        method: method.toUpperCase(),
        path,
        name: `${method.toUpperCase()} ${path}`,
        parameters,
        body,
        secured: security.some((requirement) => Object.keys(requirement as object).length > 0),
        invalidBodyStatus: typeof op['x-invalid-body-status'] === 'number' ? op['x-invalid-body-status'] : 400,
      });
    }
  }
  const createSchema = (collectionPath: string): JsonSchema | undefined =>
    document.paths?.[collectionPath]?.post?.requestBody?.content?.['application/json']?.schema;
  return {
    operations,
    responseSchema(method, path) {
      const responses = document.paths?.[path]?.[method.toLowerCase()]?.responses ?? {};
      return responses['200']?.content?.['application/json']?.schema;
    },
    response(method, path, status) {
      const responses = document.paths?.[path]?.[method.toLowerCase()]?.responses ?? {};
      return responses[String(status)]?.content?.['application/json']?.schema;
    },
    createSchema,
    writableSchema(collectionPath) {
      const own = createSchema(collectionPath);
      if (own) return own;
      const words = collectionPath.split('/').pop()!.split('-');
      const listName = words.map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1))).join('');
      for (const path of Object.keys(document.paths ?? {})) {
        const items = createSchema(path)?.properties?.[listName]?.items;
        if (items?.properties) return items;
      }
      return undefined;
    },
  };
}

export async function loadDocument(h: Harness): Promise<ApiDocument> {
  const res = await h.request('GET', '/openapi.json');
  if (res.status !== 200) throw new Error(`GET /openapi.json → ${res.status}`);
  return parseDocument(res.body);
}

/** The path parameters of a template in order, each with the collection it names an item of. */
export function pathParameters(path: string): Array<{ name: string; collection: string }> {
  const out: Array<{ name: string; collection: string }> = [];
  for (const match of path.matchAll(/\{([^}]+)\}/g)) {
    out.push({ name: match[1]!, collection: path.slice(0, match.index! - 1) });
  }
  return out;
}

/** The collection an item path belongs to: `/v1/customers/{id}` → `/v1/customers`. */
export function collectionOf(path: string): string | undefined {
  const m = /^(.*)\/\{[^}]+\}$/.exec(path);
  return m?.[1];
}

/** Fills a template's parameters: `fill('/v1/x/{id}', { id: 5 })`. */
export function fillPath(path: string, values: Record<string, string | number>): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(String(values[name] ?? '')).replaceAll('.', '%2E'));
}

/** The id field naming an item of a collection: `/v1/rental-product-categories` → `rentalProductCategoryId`. */
export function idFieldOf(collection: string): string {
  const last = collection.split('/').pop()!;
  const words = last.split('-');
  const tail = words.pop()!;
  const singular = tail.endsWith('ies') ? `${tail.slice(0, -3)}y` : tail.endsWith('s') ? tail.slice(0, -1) : tail;
  return [...words, singular].map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1))).join('') + 'Id';
}

/** Types a schema admits (`["string", "null"]` → both); empty when it says nothing. */
export function typesOf(schema: JsonSchema): string[] {
  if (schema.anyOf || schema.oneOf) return [...new Set((schema.anyOf ?? schema.oneOf)!.flatMap(typesOf))];
  if (schema.enum) return [...new Set(schema.enum.map(jsonType))];
  if (schema.const !== undefined) return [jsonType(schema.const)];
  const t = schema.type;
  if (t === undefined) return [];
  return Array.isArray(t) ? t : [t];
}

export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Whether `value` is of a type the schema admits (integers count as numbers). */
export function admitsType(schema: JsonSchema, value: unknown): boolean {
  const types = typesOf(schema);
  if (types.length === 0) return true;
  const t = jsonType(value);
  return types.includes(t) || (t === 'integer' && types.includes('number'));
}

/** A plausible valid value for a schema: its example, default, first enum value, or one made from its type. */
export function sampleValue(schema: JsonSchema): unknown {
  if (schema.example !== undefined) return structuredClone(schema.example);
  if (schema.default !== undefined) return structuredClone(schema.default);
  if (schema.enum) return schema.enum.find((v) => v !== null) ?? null;
  if (schema.const !== undefined) return schema.const;
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants?.[0]) return sampleValue(variants[0]);
  const types = typesOf(schema).filter((t) => t !== 'null');
  switch (types[0]) {
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'array':
      return schema.items ? [sampleValue(schema.items)] : [];
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of schema.required ?? []) out[key] = sampleValue(schema.properties?.[key] ?? {});
      return out;
    }
    case 'string':
      if (schema.format === 'date') return '2025-01-01';
      if (schema.format === 'date-time') return '2025-01-01T00:00:00.000Z';
      if (schema.format === 'email') return 'someone@example.com';
      if (schema.format === 'uri') return 'https://example.com/';
      return 'x';
    default:
      return null;
  }
}

/** The query parameters an operation cannot be called without. */
export function requiredQueryParameters(op: Operation): Parameter[] {
  return op.parameters.filter((p) => p.in === 'query' && p.required === true);
}

/** Whether a query parameter names an object by id (`customerId`, a filter of the id grammar). */
export function isIdQueryParameter(p: Parameter): boolean {
  return /Id$/.test(p.name);
}

/**
 * Values for an operation's required query parameters: `idOf` answers for those
 * naming an object by id; any other gets its documented example (a date range, a
 * calculation date), else a sample of its schema.
 */
export function requiredQuery(op: Operation, idOf: (p: Parameter) => number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of requiredQueryParameters(op)) {
    const example = (p as { example?: unknown }).example ?? p.schema.example;
    out[p.name] = isIdQueryParameter(p) ? String(idOf(p)) : String(example ?? sampleValue(p.schema));
  }
  return out;
}

/** `path?query`, or the path alone when the query is empty. */
export function withQuery(path: string, query: Record<string, string> | URLSearchParams): string {
  const text = new URLSearchParams(query).toString();
  return text ? `${path}?${text}` : path;
}

export const isJsonObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The member of a JSON value at a JSON Pointer (`/records/0/quantity`); undefined when absent. */
export function valueAt(value: unknown, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .reduce<unknown>((at, key) => (at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined), value);
}

/** A copy of a JSON value with the member at a JSON Pointer set (its parent must exist). */
export function withValueAt<T>(value: T, pointer: string, replacement: unknown): T {
  const copy = structuredClone(value) as Record<string, unknown>;
  const keys = pointer.split('/').slice(1);
  let at = copy;
  for (const key of keys.slice(0, -1)) at = at[key] as Record<string, unknown>;
  at[keys.at(-1)!] = replacement;
  return copy as T;
}
