/**
 * Registers a resource's standard operations — list, HEAD, GET, POST, PATCH
 * (JSON Patch), DELETE — with one behaviour and one OpenAPI description for all
 * of them. Resources supply schemas and a service (with its filters); nothing here knows a
 * business rule.
 */
import { listJson } from './hygiene';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { ZodObject, ZodType } from 'zod';
import type { Ctx } from '../db/context';
import { capitalize, findOr404, type RenderOptions, type ResourceService } from '../db/crud';
import type { Area } from '../domain/scopes';
import { type AppContext, type AppEnv, ctxOf, scope } from './middleware';
import { applyJsonPatch, changedFields, JSON_PATCH_MEDIA_TYPE, PatchDocumentSchema } from './patch';
import { businessRule, describeErrors, invalid, invalidField, preconditionFailed } from '../errors';
import { HttpError } from './problem';
import { fieldErrors } from './validation';
import { type FilterSpec, MAX_FILTER_PARAMETERS } from '../db/query';
import type { SortValues } from '../list-query';
import { keysetHeaders, linkHeader, type ListSpec, pageHeaders, parseFields, parseListQuery, project, singleValues } from './query';
import { requireMediaType } from './media-type';
import { auditFields, entityId, errorResponses, headErrorResponses, ID_PARAMETER, IdParams, NoQuery, requiredQueryText } from './schemas';
import { EXPORT_NOTE, exportComputedList, exportContent, exportList, listFormat } from './export';

export type Operation = 'list' | 'get' | 'create' | 'update' | 'delete';

export interface ResourceDefinition<Row, Out extends Record<string, unknown>, In extends object> {
  /** collection path, e.g. /v1/customers */
  path: string;
  tag: string;
  singular: string;
  plural: string;
  area: Area;
  /** the writable fields: POST body, and what a patched object is validated against */
  input: ZodObject;
  /** the public representation (an OpenAPI component) */
  output: ZodObject;
  /** writable on create but fixed afterwards: changing one is a 422 */
  immutable?: readonly string[];
  /** the rules and the store; its query spec gives the list's filters and sorts */
  service: ResourceService<Row, Out, In>;
  operations?: readonly Operation[];
  createExample: Record<string, unknown>;
  /** extra text for an operation's description */
  notes?: Partial<Record<Operation, string>>;
  /**
   * Nested arrays left out when the request sends the header `summary: true`
   * (lists, GET, POST and PATCH responses), as Elevate's rate cards and plans.
   */
  summary?: readonly string[];
  /** methods of the collection and item paths registered outside this definition (for 405's Allow) */
  otherMethods?: { collection?: readonly string[]; item?: readonly string[] };
  /**
   * Boolean fields a JSON Patch may set with the strings "true" and "false", as the
   * dialect's own documentation sends them (seed 001: `"value": "false"` on /active).
   */
  patchStringBooleans?: readonly string[];
  /** when PATCH may make a new object instead (201 with its Location): what that 201 is */
  updateCreates?: string;
  /** fields only the 201 of POST carries and no later read shows (a secret shown once) */
  revealOnCreate?: { fields: Record<string, ZodType>; values(row: Row): Record<string, unknown> };
}

/**
 * The public shape from the writable one: defaults become required, optional fields
 * nullable. Items of a nested list (`audit: false`) have no audit fields of their own.
 */
export function outputSchema(input: ZodObject, extra: Record<string, ZodType>, componentName: string, options: { audit?: boolean } = {}): ZodObject {
  const shape: Record<string, ZodType> = { id: entityId('read-only') };
  for (const [key, field] of Object.entries(input.shape as Record<string, ZodType>)) {
    if (key === 'id') continue;
    shape[key] = required(field);
  }
  return z.object({ ...shape, ...extra, ...(options.audit === false ? {} : auditFields) }).openapi(componentName);
}

function required(field: ZodType): ZodType {
  if (field instanceof z.ZodDefault) return field.unwrap() as ZodType;
  if (field instanceof z.ZodOptional) {
    const inner = field.unwrap() as ZodType;
    return inner instanceof z.ZodNullable ? inner : inner.nullable();
  }
  return field;
}

export function parseId(raw: string): number {
  const n = Number(raw);
  // a positive integer beyond the safe range cannot name any row
  return Number.isSafeInteger(n) ? n : Number.MAX_SAFE_INTEGER;
}

/** the query parameters of a single GET */
const GET_PARAMS: ReadonlySet<string> = new Set(['fields']);

const IfMatchHeader = z.object({
  'if-match': z.string().optional().openapi({ description: 'The ETag of the version you read; 412 if it is no longer current', example: '"1"' }),
});

const SummaryHeader = z.object({
  summary: z
    .enum(['true', 'false'])
    .optional()
    .openapi({ param: { name: 'summary', in: 'header' }, type: 'boolean', description: 'true: leave nested arrays out of the response', example: true }),
});

/**
 * The response item of an operation that may leave fields out (`fields=`, header
 * `summary: true`): the whole object, or the partial one (`<Name>Partial`: only
 * `id` is sure to be there).
 */
export function possiblyPartial(output: ZodObject, name: string): ZodType {
  const partial = 'id' in output.shape ? output.partial().required({ id: true } as never) : output.partial();
  return z.union([
    output,
    partial.openapi(`${name}Partial`, {
      description: `Part of a ${name}: the fields named in \`fields\` (and its id), or the object without the lists that \`summary: true\` leaves out`,
    }),
  ]);
}

/** The `summary` request header: `true`, `false` or absent; anything else is a 400. */
function summaryRequested(c: AppContext): boolean {
  const value = c.req.header('summary');
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw invalidField('header.summary', 'must be true or false', value);
}

function etagOf(version: number): string {
  return `"${version}"`;
}

/** If-Match must name the current ETag (or be `*`); otherwise 412. */
function checkIfMatch(c: AppContext, version: number): void {
  const header = c.req.header('if-match');
  if (header === undefined) return;
  const tags = header.split(',').map((t) => t.trim());
  if (tags.includes('*') || tags.includes(etagOf(version))) return;
  throw preconditionFailed(`If-Match ${header} does not match the current ETag ${etagOf(version)}`);
}

/** Validates a whole patched object; field errors name JSON Pointer paths. */
function validatePatched<T>(schema: ZodObject, document: Record<string, unknown>): T {
  const result = schema.safeParse(document);
  if (result.success) return result.data as T;
  const errors = fieldErrors(result.error.issues);
  throw invalid(describeErrors(errors), errors);
}

/**
 * A query parameter the route parses itself (http/query.ts: strict, a 400 naming
 * it), documented as the JSON Schema of the value it holds: integers and booleans
 * as such, so a generated client sends and types them as numbers and booleans.
 */
export const describeParam = (name: string, description: string, schema: Record<string, unknown> = { type: 'string' }) =>
  z
    .string()
    .optional()
    .openapi({ param: { name, in: 'query' }, description, ...schema });

/**
 * The documented `cursor` parameter of a list that pages by keyset as well as by
 * `page`: `uncounted` names the paging headers a cursor page leaves out; `note`
 * adds what a dialect's lists do besides.
 */
export function cursorDocs(uncounted: string, note = '') {
  return describeParam(
    'cursor',
    `Keyset paging instead of \`page\`: empty for the first page, then the value the \`next\` link of the Link header carries (opaque). Every page costs the same however deep; cursor pages carry no ${uncounted}${note ? `. ${note}` : ''}`,
    { type: 'string', example: '' },
  );
}

/** The paging headers a list in Tenor's grammar answers with (pageHeaders): by number, or by cursor. */
export const LIST_HEADERS = {
  'X-Total-Count': { schema: { type: 'integer' as const }, description: 'Matching records in all pages (not on cursor pages nor with count=false)' },
  Link: { schema: { type: 'string' as const }, description: 'RFC 8288 links: first, prev, next, last; on a cursor page only `next` (its cursor), absent after the last page' },
};

/** The JSON Schema of a filter's values, by its grammar (the description spells the grammar out). */
const FILTER_SCHEMAS: Record<FilterSpec['type'], Record<string, unknown>> = {
  // an id, or `in:` and a list of them (minimum and maximum apply to the number, pattern to the text)
  id: { ...ID_PARAMETER, type: ['integer', 'string'], pattern: '^in:[1-9][0-9]{0,15}(,[1-9][0-9]{0,15}){0,99}$' },
  boolean: { type: 'boolean' },
  string: { type: 'string' },
  date: { type: 'string' },
  instant: { type: 'string' },
  number: { type: 'string' },
};

/** The documented `page` and `pageSize` query parameters (for lists that take no sort or fields). */
export function pagingDocs() {
  return {
    page: describeParam('page', 'Page of results, from 1 (default 1)', { type: 'integer', minimum: 1, maximum: 1_000_000, default: 1, example: 1 }),
    pageSize: describeParam('pageSize', 'Results per page, 1..1000 (default 100)', { type: 'integer', minimum: 1, maximum: 1000, default: 100, example: 100 }),
  };
}

/**
 * The documented query parameters of a list: paging, sort, fields and the filters with their grammar;
 * `keyset`: with `cursor` and `count` (`'cursor'`: with `cursor` only).
 */
export function queryDocs(filters: Record<string, FilterSpec>, withPaging: boolean, keyset: boolean | 'cursor' = false) {
  const shape: Record<string, ZodType> = {};
  if (withPaging) {
    Object.assign(shape, pagingDocs());
    if (keyset) shape.cursor = cursorDocs('X-Total-Count');
    if (keyset === true) {
      shape.count = describeParam('count', '`false`: leave X-Total-Count (and the `last` link) out of a numbered page, which then costs no count', { type: 'boolean', default: true, example: false });
    }
    shape.sort = describeParam('sort', 'Comma-separated fields, each optionally :asc or :desc; id is always the last tie-breaker', { type: 'string', example: 'id' });
    shape.fields = describeParam('fields', 'Comma-separated subset of fields to return (id is always included)', { type: 'string', example: 'id,name' });
  }
  const grammar: Record<string, string> = {
    id: '`5` or `in:1,2,3` (up to 100)',
    string: '`xyz` (equal), `in:x,y`, or `like:xyz` (contains, case-insensitive)',
    date: '`2025-01-31`, or `lt:`/`le:`/`gt:`/`ge:`/`gtn:` (greater than or null) prefixed; up to 10 comma-separated conditions are ANDed',
    instant: '`2026-11-21T09:30:00Z` (Z or an offset, + written %2B), or `lt:`/`le:`/`gt:`/`ge:` prefixed; up to 10 comma-separated conditions are ANDed',
    number: '`5`, `in:1,2`, or `lt:`/`le:`/`gt:`/`ge:` prefixed; up to 10 comma-separated conditions are ANDed',
    boolean: '`true` or `false`',
  };
  for (const [name, f] of Object.entries(filters)) {
    const description = `${f.description ? `${f.description}. ` : ''}${f.required ? 'Required. ' : ''}Filter: ${grammar[f.type]}`;
    shape[name] = f.required ? requiredQueryText(name, description).openapi(FILTER_SCHEMAS[f.type]) : describeParam(name, description, FILTER_SCHEMAS[f.type]);
  }
  return z.object(shape);
}

export function registerResource<Row extends { version: number }, Out extends Record<string, unknown>, In extends object>(
  app: OpenAPIHono<AppEnv>,
  def: ResourceDefinition<Row, Out, In>,
): void {
  const ops = new Set(def.operations ?? ['list', 'get', 'create', 'update', 'delete']);
  const Name = capitalize(def.singular).replace(/ (\w)/g, (_, ch: string) => ch.toUpperCase());
  const Plural = capitalize(def.plural).replace(/ (\w)/g, (_, ch: string) => ch.toUpperCase());
  const itemPath = `${def.path}/{id}`;
  const fieldNames = Object.keys(def.output.shape);
  const outputFields: ReadonlySet<string> = new Set(fieldNames);
  const filters = def.service.query.filters;
  const listSpec: ListSpec = { query: def.service.query, fieldNames, keyset: true };
  const summaryFields = def.summary ?? [];
  const summaryHeaders = summaryFields.length ? { headers: SummaryHeader } : {};
  const summaryNote = summaryFields.length ? ` Header \`summary: true\` leaves out ${summaryFields.join(', ')}.` : '';
  /** render options for this request (`summary: true` leaves the nested arrays out) */
  const viewOf = (c: AppContext): RenderOptions => (summaryFields.length && summaryRequested(c) ? { summary: true } : {});
  const shape = (out: Record<string, unknown>, view: RenderOptions) => {
    if (!view.summary) return out;
    const copy = { ...out };
    for (const field of summaryFields) delete copy[field];
    return copy;
  };
  const writable = new Set(Object.keys(def.input.shape));
  const readOnly = new Set(fieldNames.filter((f) => !writable.has(f)));
  const immutable = new Set(def.immutable ?? []);
  const service = def.service;
  const collectionAllows: string[] = [...(def.otherMethods?.collection ?? [])];
  const itemAllows: string[] = [...(def.otherMethods?.item ?? [])];

  // a replace of the first changeable field of the create example, for the docs
  const exampleField = Object.keys(def.createExample).find((f) => !immutable.has(f) && !summaryFields.includes(f));
  const patchExample = exampleField
    ? [{ op: 'replace', path: `/${exampleField}`, value: def.createExample[exampleField] }]
    : [{ op: 'test', path: '/version', value: 1 }];

  const itemHeaders = { ETag: { schema: { type: 'string' as const }, description: 'The object version, for If-Match' } };
  /** what GET answers: with `fields=` (or `summary: true`) only part of the object */
  const readSchema = possiblyPartial(def.output, Name);
  /** what POST and PATCH answer: part of the object with `summary: true` */
  const writeSchema = summaryFields.length ? readSchema : def.output;

  async function respondWithItem(c: AppContext, ctx: Ctx, row: Row, status: 200 | 201, fields: string[] | null = null, revealed: Record<string, unknown> = {}) {
    const view = viewOf(c);
    const [out] = await service.render(ctx, [row], view);
    const headers: Record<string, string> = { etag: etagOf(row.version) };
    if (status === 201) headers.location = `${def.path}/${String(out!.id)}`;
    return c.json({ ...project(shape(out!, view), fields), ...revealed }, status, headers);
  }

  if (ops.has('list')) {
    collectionAllows.push('GET', 'HEAD');
    app.openAPIRegistry.registerPath({
      method: 'head',
      path: def.path,
      tags: [def.tag],
      operationId: `check${Plural}`,
      summary: `Check whether any ${def.singular} matches`,
      description: `200 when at least one visible ${def.singular} matches the filters, 404 when none does. No body.`,
      security: [{ bearerAuth: [] }],
      request: { query: queryDocs(filters, false) },
      responses: { 200: { description: 'At least one matches' }, ...headErrorResponses(), 404: { description: 'None matches' } },
    });
    app.openapi(
      createRoute({
        method: 'get',
        path: def.path,
        tags: [def.tag],
        operationId: `list${Plural}`,
        summary: `List ${def.plural}`,
        description: [
          `A page of visible ${def.plural} as a bare array; the filters together take at most ${MAX_FILTER_PARAMETERS} values and conditions.${summaryNote}`,
          def.notes?.list,
          EXPORT_NOTE,
        ]
          .filter(Boolean)
          .join(' '),
        security: [{ bearerAuth: [] }],
        middleware: [scope(def.area, 'read')],
        request: { query: queryDocs(filters, true, true), ...summaryHeaders },
        responses: {
          200: {
            description: `The ${def.plural}`,
            headers: LIST_HEADERS,
            content: { 'application/json': { schema: z.array(readSchema) }, ...exportContent() },
          },
          ...errorResponses(404, 406),
        },
      }),
      (async (c: AppContext) => {
        const ctx = ctxOf(c);
        const url = new URL(c.req.url);
        const format = listFormat(c.req.header('accept'));
        const query = parseListQuery(url, listSpec);
        if (c.req.method === 'HEAD') return c.body(null, (await service.exists(ctx, query)) ? 200 : 404);
        const view = viewOf(c);
        if (format !== 'json') {
          // every matching row, in keyset chunks: the list's query continued after the last row read
          const columns = (query.fields ?? fieldNames).filter((f) => !(view.summary && summaryFields.includes(f)));
          const chunk = (after: SortValues | null, size: number) => service.list(ctx, { ...query, page: 1, pageSize: size, after });
          const render = async (rows: Row[]) => (await service.render(ctx, rows, view)).map((o) => project(shape(o, view), query.fields));
          return exportList(ctx, format, url, columns, chunk, render);
        }
        const page = await service.list(ctx, query);
        const out = (await service.render(ctx, page.rows, view)).map((o) => project(shape(o, view), query.fields));
        return listJson(c, out, pageHeaders(url, query, page));
      }) as never,
    );
  }

  if (ops.has('get')) {
    itemAllows.push('GET', 'HEAD');
    app.openAPIRegistry.registerPath({
      method: 'head',
      path: itemPath,
      tags: [def.tag],
      operationId: `check${Name}`,
      summary: `Check whether a ${def.singular} exists`,
      security: [{ bearerAuth: [] }],
      request: { params: IdParams },
      responses: { 200: { description: 'Exists', headers: itemHeaders }, ...headErrorResponses(), 404: { description: 'Not found or not visible' } },
    });
    app.openapi(
      createRoute({
        method: 'get',
        path: itemPath,
        tags: [def.tag],
        operationId: `get${Name}`,
        summary: `Get a ${def.singular}`,
        ...(summaryNote ? { description: summaryNote.trim() } : {}),
        security: [{ bearerAuth: [] }],
        middleware: [scope(def.area, 'read')],
        request: {
          ...summaryHeaders,
          params: IdParams,
          query: z.object({
            fields: z
              .string()
              .optional()
              .openapi({ param: { name: 'fields', in: 'query' }, description: 'Comma-separated subset of fields to return (id is always included)', example: 'id,name' }),
          }),
        },
        responses: {
          200: { description: `The ${def.singular}`, headers: itemHeaders, content: { 'application/json': { schema: readSchema } } },
          ...errorResponses(404),
        },
      }),
      (async (c: AppContext) => {
        const ctx = ctxOf(c);
        const values = singleValues(new URL(c.req.url), GET_PARAMS);
        const fields = parseFields(values.get('fields'), fieldNames);
        const row = await findOr404(service as never, ctx, parseId(c.req.param('id')!));
        if (c.req.method === 'HEAD') return c.body(null, 200, { etag: etagOf((row as Row).version) });
        return respondWithItem(c, ctx, row as Row, 200, fields);
      }) as never,
    );
  }

  if (ops.has('create')) {
    collectionAllows.push('POST');
    app.openapi(
      createRoute({
        method: 'post',
        path: def.path,
        tags: [def.tag],
        operationId: `create${Name}`,
        summary: `Create a ${def.singular}`,
        description: [
          def.notes?.create,
          'Accepts `Idempotency-Key`: a retry with the same key and body within 24 h returns the first response.',
          summaryNote.trim(),
        ]
          .filter(Boolean)
          .join(' '),
        security: [{ bearerAuth: [] }],
        middleware: [scope(def.area, 'write')],
        request: {
          ...summaryHeaders,
          query: NoQuery,
          body: { required: true, content: { 'application/json': { schema: def.input.openapi({ example: def.createExample }) } } },
        },
        responses: {
          201: {
            description: `The created ${def.singular}`,
            headers: { ...itemHeaders, Location: { schema: { type: 'string' }, description: 'Path of the new object' } },
            content: {
              'application/json': {
                schema: def.revealOnCreate ? def.output.extend(def.revealOnCreate.fields).openapi(`${Name}Created`) : writeSchema,
              },
            },
          },
          ...errorResponses(404, 409, 413, 415, 422),
        },
      }),
      (async (c: AppContext) => {
        const ctx = ctxOf(c);
        const input = (c.req as unknown as { valid(t: 'json'): In }).valid('json');
        const row = await service.create(ctx, input);
        return respondWithItem(c, ctx, row, 201, null, def.revealOnCreate?.values(row));
      }) as never,
    );
  }

  if (ops.has('update')) {
    itemAllows.push('PATCH');
    app.openapi(
      createRoute({
        method: 'patch',
        path: itemPath,
        tags: [def.tag],
        operationId: `update${Name}`,
        summary: `Update a ${def.singular} with JSON Patch`,
        description: [
          `RFC 6902 operations (add, remove, replace, move, copy, test) applied to the ${def.singular}'s JSON; the whole result is validated again and nothing is written unless every operation succeeds.`,
          `Read-only fields: ${[...readOnly].join(', ')}.`,
          immutable.size ? `Fixed after creation: ${[...immutable].join(', ')}.` : '',
          'Send If-Match with the ETag to update only the version you read; without it the write is still refused (409) if another change landed first.',
          def.notes?.update,
          summaryNote.trim(),
        ]
          .filter(Boolean)
          .join(' '),
        security: [{ bearerAuth: [] }],
        middleware: [scope(def.area, 'write'), requireMediaType(JSON_PATCH_MEDIA_TYPE)],
        request: {
          params: IdParams,
          query: NoQuery,
          headers: summaryFields.length ? IfMatchHeader.extend(SummaryHeader.shape) : IfMatchHeader,
          body: { required: true, content: { [JSON_PATCH_MEDIA_TYPE]: { schema: PatchDocumentSchema, example: patchExample } } },
        },
        responses: {
          200: { description: `The updated ${def.singular}`, headers: itemHeaders, content: { 'application/json': { schema: writeSchema } } },
          ...(def.updateCreates
            ? {
                201: {
                  description: def.updateCreates,
                  headers: { ...itemHeaders, Location: { schema: { type: 'string' }, description: 'Path of the new object' } },
                  content: { 'application/json': { schema: writeSchema } },
                },
              }
            : {}),
          ...errorResponses(404, 409, 412, 413, 415, 422),
        },
      }),
      (async (c: AppContext) => {
        const ctx = ctxOf(c);
        const operations = (c.req as unknown as { valid(t: 'json'): z.infer<typeof PatchDocumentSchema> }).valid('json');
        const row = (await findOr404(service as never, ctx, parseId(c.req.param('id')!))) as Row;
        checkIfMatch(c, row.version);
        const [current] = await service.render(ctx, [row]);
        const patched = applyJsonPatch(current!, operations, outputFields, `a ${def.singular}`);
        for (const field of def.patchStringBooleans ?? []) {
          if (patched[field] === 'true' || patched[field] === 'false') patched[field] = patched[field] === 'true';
        }
        const changed = changedFields(current!, patched, readOnly, `a ${def.singular}`);
        for (const field of changed) {
          if (immutable.has(field)) throw businessRule(`${field} cannot be changed once the ${def.singular} exists`, `/${field}`);
        }
        const writableDoc: Record<string, unknown> = {};
        for (const key of writable) if (patched[key] !== undefined) writableDoc[key] = patched[key];
        const input = validatePatched<In>(def.input, writableDoc);
        if (changed.size === 0) return respondWithItem(c, ctx, row, 200);
        const result = await service.update(ctx, row, input, changed);
        return respondWithItem(c, ctx, result.row, result.created ? 201 : 200);
      }) as never,
    );
  }

  if (ops.has('delete')) {
    itemAllows.push('DELETE');
    app.openapi(
      createRoute({
        method: 'delete',
        path: itemPath,
        tags: [def.tag],
        operationId: `delete${Name}`,
        summary: `Delete a ${def.singular}`,
        description: def.notes?.delete,
        security: [{ bearerAuth: [] }],
        middleware: [scope(def.area, 'write')],
        request: {
          params: IdParams,
          query: NoQuery,
          headers: IfMatchHeader,
        },
        responses: { 204: { description: 'Deleted' }, ...errorResponses(404, 409, 412) },
      }),
      (async (c: AppContext) => {
        const ctx = ctxOf(c);
        const row = (await findOr404(service as never, ctx, parseId(c.req.param('id')!))) as Row;
        checkIfMatch(c, row.version);
        await service.remove(ctx, row);
        return c.body(null, 204);
      }) as never,
    );
  }

  methodNotAllowed(app, def.path, collectionAllows);
  methodNotAllowed(app, `${def.path}/:id`, itemAllows);
}

/** Answers 405 with Allow for methods a known path does not have. */
export function methodNotAllowed(app: OpenAPIHono<AppEnv>, path: string, allowed: readonly string[]): void {
  const allow = [...new Set(allowed)].join(', ');
  app.all(path.replaceAll(/\/{(.+?)}/g, '/:$1'), () => {
    throw new HttpError('method-not-allowed', `Allowed methods: ${allow}`, { allow });
  });
}

/** A computed, read-only list (not a table): GET and HEAD on one path, paged, with X-Total-Count and Link. */
export interface ComputedListSpec {
  path: string;
  tag: string;
  area: Area;
  /** operation ids and summaries of GET and HEAD */
  get: { operationId: string; summary: string; description: string };
  head: { operationId: string; summary: string; description: string };
  /** the documented query (the route validates it) */
  query: ZodObject;
  /**
   * The 200 answer: what one page is, and what X-Total-Count counts. With a `fields`
   * parameter its items may be partial, documented as `<name>Partial` (name: the
   * item's component name; by default the operation id's).
   */
  items: { description: string; schema: ZodType; counted: string; name?: string };
  errors: readonly number[];
  /**
   * The list pages by `cursor` too (its query documents it, cursorDocs): a request with
   * one gets a keyset page, and its export reads keyset chunks.
   */
  keyset?: boolean;
  /** the page (`items` rendered) and the total for this request's URL, or its keyset page; HEAD asks only whether there is any */
  page(ctx: Ctx, url: URL, head: boolean): Promise<ComputedPage>;
}

/**
 * A page of a computed list: numbered (`page`, with the total), or a keyset page
 * (`cursor`): not counted, `next` the sort-key values of its last item when more
 * may follow (encoded into the `next` link's cursor), else null.
 */
export type ComputedPage = { items: unknown[]; total: number; page: number; pageSize: number } | { items: unknown[]; pageSize: number; next: SortValues | null };

/** Registers a computed list's GET and HEAD (200 when any item would be listed, else 404) and its 405s. */
export function registerComputedList(app: OpenAPIHono<AppEnv>, spec: ComputedListSpec): void {
  const { path, tag } = spec;
  const items = spec.items.schema;
  const partialItems = 'fields' in spec.query.shape && items instanceof z.ZodArray && items.element instanceof z.ZodObject;
  const schema = partialItems ? z.array(possiblyPartial(items.element as ZodObject, spec.items.name ?? capitalize(spec.get.operationId))) : items;
  app.openAPIRegistry.registerPath({
    method: 'head',
    path,
    tags: [tag],
    ...spec.head,
    security: [{ bearerAuth: [] }],
    request: { query: spec.query },
    responses: { 200: { description: 'At least one would be listed' }, ...headErrorResponses(...spec.errors), 404: { description: 'None would be listed' } },
  });
  app.openapi(
    createRoute({
      method: 'get',
      path,
      tags: [tag],
      ...spec.get,
      description: `${spec.get.description} ${EXPORT_NOTE}`,
      security: [{ bearerAuth: [] }],
      middleware: [scope(spec.area, 'read')],
      request: { query: spec.query },
      responses: {
        200: {
          description: spec.items.description,
          headers: spec.keyset
            ? { 'X-Total-Count': { schema: { type: 'integer' }, description: `${spec.items.counted} (not on cursor pages)` }, Link: LIST_HEADERS.Link }
            : {
                'X-Total-Count': { schema: { type: 'integer' }, description: spec.items.counted },
                Link: { schema: { type: 'string' }, description: 'RFC 8288 links: first, prev, next, last' },
              },
          content: { 'application/json': { schema }, ...exportContent() },
        },
        ...errorResponses(...spec.errors, 406),
      },
    }),
    (async (c: AppContext) => {
      const url = new URL(c.req.url);
      const head = c.req.method === 'HEAD';
      const format = listFormat(c.req.header('accept'));
      if (format !== 'json' && !head) {
        const ctx = ctxOf(c);
        return exportComputedList(ctx, format, url, spec.items.schema, (pageUrl) => spec.page(ctx, pageUrl, false), spec.keyset ?? false);
      }
      const result = await spec.page(ctxOf(c), url, head);
      if ('next' in result) {
        // a keyset page: not counted; `next` continues after its last item
        if (head) return c.body(null, result.items.length > 0 || result.next !== null ? 200 : 404);
        return listJson(c, result.items, keysetHeaders(url, result.pageSize, result.next));
      }
      if (head) return c.body(null, result.total > 0 ? 200 : 404);
      return listJson(c, result.items, {
        'x-total-count': String(result.total),
        link: linkHeader(url, result.page, result.pageSize, result.total),
      });
    }) as never,
  );
  methodNotAllowed(app, path, ['GET', 'HEAD']);
}
