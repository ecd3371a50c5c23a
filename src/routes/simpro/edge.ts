/**
 * The simPRO dialect's HTTP edge (compat.md §simPRO), shared by every simPRO
 * resource module: the company and customer in the path, 422 for an invalid
 * body with simPRO's field names, the list grammar (query.ts) with its
 * `Result-*` headers, and `registerSimproResource`, which gives a resource
 * simPRO's list, POST (201, full object), GET (`columns`), PATCH (a partial JSON
 * object → 204) and DELETE (204) with one OpenAPI description. Collection paths
 * end with `/`, item paths never do; the other form is a 404, as simPRO answers.
 */
import { listJson } from '../../http/hygiene';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { ZodObject, ZodType } from 'zod';
import type { Area } from '../../domain/scopes';
import { describeErrors, type FieldError, invalid, notFound, preconditionFailed, TenorError } from '../../errors';
import type { ListQuery } from '../../list-query';
import { JSON_MEDIA_TYPE, requireMediaType } from '../../http/media-type';
import { type AppContext, type AppEnv, type Ctx, ctxOf, scope as requireScope } from '../../http/middleware';
import { cursorDocs, methodNotAllowed, possiblyPartial } from '../../http/resource';
import { keysetHeaders, type PageResult } from '../../http/query';
import { errorResponses, ID_PARAMETER, NoQuery } from '../../http/schemas';
import { fieldErrors, type ZodIssueLike } from '../../http/validation';
import { customerOfOwner, type CustomerRow, ownerInScope } from '../../services/owner-scope';
import { DEFAULT_PAGE_SIZE, MAX_LIMIT, MAX_PAGE, MAX_PAGE_SIZE, parseItemColumns, parseSimproList, pickColumns, resultHeaders, type SimproListSpec } from './query';

export const API = '/api/v1.0/companies/{companyID}';
export const TAGS = { contracts: 'simPRO: customer contracts', setup: 'simPRO: setup' } as const;
/** Tells a client (and Tenor's own reliability suite) that an invalid body is a 422 here, not a 400. */
export const INVALID_BODY = { 'x-invalid-body-status': 422 } as const;

// ─── path parameters ─────────────────────────────────────────────────────────

export const companyIdParam = z
  .string()
  .regex(/^\d{1,16}$/, 'must be a contract owner id, or 0 for the caller’s only owner')
  .openapi({
    param: { name: 'companyID', in: 'path' },
    description: 'A contract owner id; 0 names the caller’s only contract owner (400 when the token acts for several or all)',
    ...ID_PARAMETER,
    minimum: 0,
    example: 0,
  });

export const idParam = (name: string, description: string) =>
  z
    .string()
    .regex(/^[1-9]\d{0,15}$/, 'must be a positive integer')
    .openapi({ param: { name, in: 'path' }, description, ...ID_PARAMETER });

export const CompanyParams = z.object({ companyID: companyIdParam });
export const CustomerParams = CompanyParams.extend({ customerID: idParam('customerID', 'A customer of the company') });

/** A path id as a number (the route's schema has checked its form). */
export function pathId(c: AppContext, name: string): number {
  const n = Number(c.req.param(name));
  return Number.isSafeInteger(n) ? n : Number.MAX_SAFE_INTEGER;
}

export interface CompanyScope {
  /** the contract owner the path names */
  owner: { id: number };
  /** the companyID as the request gave it (0 stays 0 in the hrefs it is answered with) */
  companyParam: string;
}

/** The company (contract owner) of the path: 0 is the caller's only owner; another owner's is a 404. */
export async function companyOf(c: AppContext, ctx: Ctx): Promise<CompanyScope> {
  const raw = c.req.param('companyID')!;
  const id = Number(raw);
  const owner = await ownerInScope(ctx, id === 0 ? null : Number.isSafeInteger(id) ? id : Number.MAX_SAFE_INTEGER, {
    param: 'path.companyID',
    label: 'Company',
  });
  return { owner, companyParam: raw };
}

export interface CustomerScope extends CompanyScope {
  customer: CustomerRow;
}

/** The company and the customer of the path (404 unless a visible customer of that company). */
export async function customerOf(c: AppContext, ctx: Ctx): Promise<CustomerScope> {
  const company = await companyOf(c, ctx);
  return { ...company, customer: await customerOfOwner(ctx, company.owner.id, pathId(c, 'customerID')) };
}

/** 404 unless a row belongs to the company. */
export function ownedBy<T extends { contractOwnerId: number }>(row: T | null, ownerId: number, what: string): T {
  if (!row || row.contractOwnerId !== ownerId) throw notFound(`${what} was not found`);
  return row;
}

// ─── errors in simPRO's terms ────────────────────────────────────────────────

/** Service field → simPRO field, as a JSON Pointer below the body (`serviceFeeId` → `Rates/ServiceFee`). */
export type FieldNames = Readonly<Record<string, string>>;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Renames service fields in an error's text: as a path (`/serviceFeeId` →
 * `/Rates/ServiceFee`) always, and in prose (`serviceFeeId` → `Rates.ServiceFee`)
 * when the name is an identifier (camelCase) rather than a plain word.
 */
function renamer(names: FieldNames): (text: string) => string {
  const entries = Object.entries(names);
  if (entries.length === 0) return (text) => text;
  const pattern = new RegExp(`(/?)\\b(${entries.map(([k]) => escape(k)).join('|')})\\b`, 'g');
  return (text) =>
    text.replace(pattern, (match: string, slash: string, field: string) => {
      if (slash) return `/${names[field]}`;
      return /[A-Z]/.test(field) ? names[field]!.replaceAll('/', '.') : match;
    });
}

/**
 * A service's error as simPRO answers it: field names in simPRO's terms, and a
 * body that names a field wrongly — invalid, breaking a rule, or naming an
 * object that is not there — a 422 ("body contains invalid data").
 */
export function inSimproTerms(error: unknown, names: FieldNames): unknown {
  if (!(error instanceof TenorError)) return error;
  const rename = renamer(names);
  const errors = error.errors?.map((e): FieldError => ({ ...e, path: rename(e.path), message: rename(e.message) }));
  const aboutBody = errors?.some((e) => e.path.startsWith('/')) ?? false;
  const unprocessable = error.kind === 'business-rule' || ((error.kind === 'validation' || error.kind === 'not-found') && aboutBody);
  return new TenorError(unprocessable ? 'business-rule' : error.kind, rename(error.detail), errors, error.extensions);
}

/**
 * The route-level validation hook: a body that fails its schema (unknown fields
 * included) is a 422 naming the fields; a bad path or query part stays a 400.
 */
export function simproHook(result: { success: boolean; target?: string; error?: { issues: ZodIssueLike[] } }): void {
  if (result.success) return;
  if (result.target === 'json') {
    const errors = fieldErrors(result.error?.issues ?? []);
    throw new TenorError('business-rule', `The body contains invalid data: ${describeErrors(errors)}`, errors);
  }
  const prefix = { query: 'query.', param: 'path.', header: 'header.' }[result.target ?? ''] ?? '';
  const errors = fieldErrors(result.error?.issues ?? [], prefix);
  throw invalid(describeErrors(errors), errors);
}

/** Route middleware: a body must be JSON in UTF-8 (415 otherwise, or when there is none). */
const jsonBody = requireMediaType(JSON_MEDIA_TYPE);

// ─── lists ───────────────────────────────────────────────────────────────────

/** The query within the path's scope: its own filters (combined as `search` said) and the scope's ids, ANDed. */
export function within(query: ListQuery, scope: Record<string, number>): ListQuery {
  const conditions = Object.entries(scope).map(([field, id]) => ({ field, filter: { type: 'id' as const, conditions: [{ op: 'eq' as const, value: id }] } }));
  return { ...query, where: { all: [...conditions, query.where] } };
}

const FILTER_GRAMMAR: Record<string, string> = {
  id: 'an id; `5`, `in(1,2)`, `!in(1,2)`, `ne(5)`, `lt()`/`le()`/`gt()`/`ge()`, `between(1,9)`, `null`, `ne(null)`',
  number: 'a number; `5.5`, `in(1,2)`, `!in(1,2)`, `ne(5)`, `lt()`/`le()`/`gt()`/`ge()`, `between(1,9)`, `null`, `ne(null)`',
  date: 'a date; `2025-01-31`, `lt()`/`le()`/`gt()`/`ge()`, `ne()`, `between(2025-01-01,2025-12-31)`, `in()`, `!in()`, `null`, `ne(null)`',
  boolean: 'true or false; `true`, `ne(true)`, `null`, `ne(null)`',
  string: 'text; `exact`, `%part%` (% is a wildcard, sent as %25; at most 50 bytes), `in(a,b)`, `!in(a,b)`, `ne(x)`, `lt()`/`gt()`…, `null`, `ne(null)`',
};
const filterKind = (type: string) => (type === 'string' ? 'text' : type);

const queryText = (name: string, description: string, extra: Record<string, unknown> = {}) =>
  z
    .string()
    .optional()
    .openapi({ param: { name, in: 'query' }, description, ...extra });

/** The documented query of a list: simPRO's parameters and one filter per column. */
export function listQueryDocs(spec: SimproListSpec): ZodObject {
  const shape: Record<string, ZodType> = {
    search: z
      .enum(['all', 'any'])
      .optional()
      .openapi({ param: { name: 'search', in: 'query' }, description: 'all: every field filter must match (default); any: one must' }),
    columns: queryText('columns', `Comma list of the columns to return (default ${spec.defaultColumns.join(', ')}); any of ${spec.columns.join(', ')}`, {
      example: spec.defaultColumns.join(','),
    }),
    pageSize: queryText('pageSize', `Records per page, 1..${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE})`, {
      type: 'integer',
      minimum: 1,
      maximum: MAX_PAGE_SIZE,
      example: DEFAULT_PAGE_SIZE,
    }),
    page: queryText('page', 'Page of results, from 1', { type: 'integer', minimum: 1, maximum: MAX_PAGE, example: 1 }),
    limit: queryText('limit', 'At most this many records in all pages (the first in the order); not with `cursor` (400)', { type: 'integer', minimum: 1, maximum: MAX_LIMIT }),
    cursor: cursorDocs(
      'Result-Total nor Result-Pages (Result-Count stays)',
      'A Tenor extension beside simPRO’s paging: the page after the cursor in the `orderby` order (the ID the last tie-breaker). Not with `page` nor `limit` (400): a cursor walk is not capped, stop following `next` instead',
    ),
    orderby: queryText('orderby', 'Comma list of columns to order by; a `-` prefix orders descending (the ID is always the last tie-breaker)', {
      example: '-StartDate,ID',
    }),
  };
  for (const [column, f] of Object.entries(spec.filters)) {
    shape[column] = queryText(column, `simPRO filter on a ${filterKind(f.type)} column: ${FILTER_GRAMMAR[f.type]}`);
  }
  return z.object(shape);
}

/** The documented query of an item GET. */
/** A list answer whose items `columns` may cut down to some fields (documented as `<name>Partial`). */
function withColumns(schema: ZodType, name: string): ZodType {
  return schema instanceof z.ZodArray && schema.element instanceof z.ZodObject ? z.array(possiblyPartial(schema.element as ZodObject, name)) : schema;
}

export function itemQueryDocs(columns: readonly string[]): ZodObject {
  return z.object({ columns: queryText('columns', `Comma list of the columns to return (default: all of ${columns.join(', ')})`) });
}

const RESULT_HEADERS = {
  'Result-Total': { schema: { type: 'integer' as const }, description: 'Records in all pages (not on a `cursor` page)' },
  'Result-Pages': { schema: { type: 'integer' as const }, description: 'Pages (not on a `cursor` page)' },
  'Result-Count': { schema: { type: 'integer' as const }, description: 'Records on this page' },
  Link: {
    schema: { type: 'string' as const },
    description: 'On a `cursor` page (a Tenor extension): RFC 8288 `rel="next"`, the next page (its `cursor`), when more may follow; absent after the last page',
  },
};

const ETAG = { ETag: { schema: { type: 'string' as const }, description: 'The object version, for If-Match' } };
const IfMatchHeader = z.object({
  'if-match': z.string().optional().openapi({ description: 'The ETag you read; 412 if it is no longer current', example: '"1"' }),
});

function checkIfMatch(c: AppContext, version: number | undefined): void {
  const header = c.req.header('if-match');
  if (header === undefined || version === undefined) return;
  const tags = header.split(',').map((t) => t.trim());
  if (!tags.includes('*') && !tags.includes(`"${version}"`)) throw preconditionFailed(`If-Match ${header} does not match the current ETag "${version}"`);
}

// ─── a resource ──────────────────────────────────────────────────────────────

export interface SimproResource<Scope, Row> {
  tag: string;
  area: Area;
  /** e.g. 'customer contract' / 'customer contracts', for summaries */
  singular: string;
  plural: string;
  /** operation id stems: `CustomerContract`, `CustomerContracts` */
  name: string;
  pluralName: string;
  /** collection path, ending in `/` (list, POST) */
  collection?: string;
  collectionParams?: ZodObject;
  /** item path (GET, PATCH, DELETE) */
  item?: string;
  itemParams?: ZodObject;
  /** the path's parents (404s); every operation starts here */
  scope(c: AppContext, ctx: Ctx): Promise<Scope>;
  /** service field → simPRO field, for errors */
  fieldNames: FieldNames;
  /** the full object: every column an item GET (and POST's 201) returns */
  detail: { schema: ZodObject; columns: readonly string[] };
  /** renders rows with the columns asked for (others may be left out) */
  render(ctx: Ctx, scope: Scope, rows: Row[], columns: ReadonlySet<string>): Promise<Array<Record<string, unknown>>>;
  list?: {
    spec: SimproListSpec;
    /** the documented list item (the default columns; `columns` may ask for others) */
    schema: ZodType;
    description?: string;
    /** a page by `page`, or a keyset page after `query.after` (total -1; `next`: where the next one starts) */
    page(ctx: Ctx, scope: Scope, query: ListQuery): Promise<PageResult<Row>>;
  };
  /** the item of the path, or null (404) */
  find?(c: AppContext, ctx: Ctx, scope: Scope): Promise<Row | null>;
  notFound?(c: AppContext): string;
  /** rows with a version get an ETag and honour If-Match */
  version?(row: Row): number;
  create?: {
    body: ZodObject;
    example: Record<string, unknown>;
    description?: string;
    run(ctx: Ctx, scope: Scope, body: Record<string, unknown>): Promise<Row>;
    location(scope: Scope, row: Row): string;
  };
  update?: {
    body: ZodObject;
    example: Record<string, unknown>;
    description?: string;
    run(ctx: Ctx, scope: Scope, row: Row, body: Record<string, unknown>): Promise<void>;
  };
  remove?: { description?: string; run(ctx: Ctx, scope: Scope, row: Row): Promise<void> };
}

type Handler = (c: AppContext) => Promise<Response>;

export function registerSimproResource<Scope, Row>(app: OpenAPIHono<AppEnv>, def: SimproResource<Scope, Row>): void {
  const collectionAllows: string[] = [];
  const itemAllows: string[] = [];
  const detailColumns = new Set(def.detail.columns);
  const security = [{ bearerAuth: [] }];
  /** runs a handler with errors in simPRO's terms */
  const translated =
    (handler: Handler): Handler =>
    async (c) => {
      try {
        return await handler(c);
      } catch (error) {
        throw inSimproTerms(error, def.fieldNames);
      }
    };
  const openapi = (route: Parameters<typeof createRoute>[0], handler: Handler) =>
    app.openapi(createRoute({ ...route, ...INVALID_BODY } as never), translated(handler) as never, simproHook as never);

  const findItem = async (c: AppContext, ctx: Ctx, scope: Scope): Promise<Row> => {
    const row = await def.find!(c, ctx, scope);
    if (row === null) throw notFound(def.notFound?.(c) ?? `The ${def.singular} was not found`);
    return row;
  };
  const etag = (row: Row): Record<string, string> => (def.version ? { etag: `"${def.version(row)}"` } : {});

  if (def.collection && def.list) {
    const list = def.list;
    collectionAllows.push('GET', 'HEAD');
    openapi(
      {
        method: 'get',
        path: def.collection,
        tags: [def.tag],
        operationId: `simproList${def.pluralName}`,
        summary: `List ${def.plural}`,
        description: [
          list.description,
          `A page of ${def.plural} (default columns ${list.spec.defaultColumns.join(', ')}). Filters take simPRO’s grammar, combined as \`search\` says; \`Result-Total\`, \`Result-Pages\` and \`Result-Count\` tell the paging.`,
          'With `cursor` (a Tenor extension), keyset pages instead: each costs the same however deep, carries `Result-Count` but no `Result-Total` or `Result-Pages`, and links the next in `Link: rel="next"`.',
        ]
          .filter(Boolean)
          .join(' '),
        security,
        middleware: [requireScope(def.area, 'read')],
        request: { params: def.collectionParams, query: listQueryDocs(list.spec) },
        responses: {
          200: { description: `The ${def.plural}`, headers: RESULT_HEADERS, content: { 'application/json': { schema: withColumns(list.schema, `Simpro${def.name}ListItem`) } } },
          ...errorResponses(404),
        },
      },
      async (c) => {
        const ctx = ctxOf(c);
        const url = new URL(c.req.url);
        const request = parseSimproList(url.searchParams, list.spec);
        const scope = await def.scope(c, ctx);
        const page = await list.page(ctx, scope, request.query);
        const columns = new Set(request.columns);
        const items = (await def.render(ctx, scope, page.rows, columns)).map((o) => pickColumns(o, request.columns));
        if (request.query.after === undefined) return listJson(c, items, resultHeaders(page.total, request.query.pageSize, items.length));
        // a keyset page: not counted; `next` continues after its last row
        return listJson(c, items, { 'result-count': String(items.length), ...keysetHeaders(url, request.query.pageSize, page.next) });
      },
    );
  }

  if (def.collection && def.create) {
    const create = def.create;
    collectionAllows.push('POST');
    openapi(
      {
        method: 'post',
        path: def.collection,
        tags: [def.tag],
        operationId: `simproCreate${def.name}`,
        summary: `Create a ${def.singular}`,
        description: [create.description, 'Answers 201 with the full object and its Location. An invalid body (unknown fields included) is a 422 naming the fields.']
          .filter(Boolean)
          .join(' '),
        security,
        middleware: [requireScope(def.area, 'write'), jsonBody],
        request: {
          params: def.collectionParams,
          query: NoQuery,
          body: { required: true, content: { 'application/json': { schema: create.body.openapi({ example: create.example }) } } },
        },
        responses: {
          201: {
            description: `The created ${def.singular}`,
            headers: { ...ETAG, Location: { schema: { type: 'string' }, description: 'Path of the new object' } },
            content: { 'application/json': { schema: def.detail.schema } },
          },
          ...errorResponses(404, 409, 413, 415, 422),
        },
      },
      async (c) => {
        const ctx = ctxOf(c);
        const body = (c.req as unknown as { valid(t: 'json'): Record<string, unknown> }).valid('json');
        const scope = await def.scope(c, ctx);
        const row = await create.run(ctx, scope, body);
        const [out] = await def.render(ctx, scope, [row], detailColumns);
        return c.json(pickColumns(out!, def.detail.columns), 201, { location: create.location(scope, row), ...etag(row) });
      },
    );
  }

  if (def.item && def.find) {
    itemAllows.push('GET', 'HEAD');
    openapi(
      {
        method: 'get',
        path: def.item,
        tags: [def.tag],
        operationId: `simproGet${def.name}`,
        summary: `Get a ${def.singular}`,
        security,
        middleware: [requireScope(def.area, 'read')],
        request: { params: def.itemParams, query: itemQueryDocs(def.detail.columns) },
        responses: {
          200: {
            description: `The ${def.singular}`,
            headers: def.version ? ETAG : {},
            // with `columns`, only those
            content: { 'application/json': { schema: possiblyPartial(def.detail.schema, `Simpro${def.name}`) } },
          },
          ...errorResponses(404),
        },
      },
      async (c) => {
        const ctx = ctxOf(c);
        const columns = parseItemColumns(new URL(c.req.url).searchParams, def.detail.columns);
        const scope = await def.scope(c, ctx);
        const row = await findItem(c, ctx, scope);
        const [out] = await def.render(ctx, scope, [row], new Set(columns));
        return c.json(pickColumns(out!, columns), 200, etag(row));
      },
    );
  }

  if (def.item && def.find && def.update) {
    const update = def.update;
    itemAllows.push('PATCH');
    openapi(
      {
        method: 'patch',
        path: def.item,
        tags: [def.tag],
        operationId: `simproUpdate${def.name}`,
        summary: `Update a ${def.singular}`,
        description: [
          update.description,
          'A partial JSON object (not JSON Patch): only the fields given change. Answers 204. An invalid body (unknown fields included) is a 422 naming the fields.',
          def.version ? 'If-Match with the ETag you read updates only that version (412 otherwise).' : '',
        ]
          .filter(Boolean)
          .join(' '),
        security,
        middleware: [requireScope(def.area, 'write'), jsonBody],
        request: {
          params: def.itemParams,
          query: NoQuery,
          headers: IfMatchHeader,
          body: { required: true, content: { 'application/json': { schema: update.body.openapi({ example: update.example }) } } },
        },
        responses: { 204: { description: 'Updated' }, ...errorResponses(404, 409, 412, 413, 415, 422) },
      },
      async (c) => {
        const ctx = ctxOf(c);
        const body = (c.req as unknown as { valid(t: 'json'): Record<string, unknown> }).valid('json');
        const scope = await def.scope(c, ctx);
        const row = await findItem(c, ctx, scope);
        checkIfMatch(c, def.version?.(row));
        await update.run(ctx, scope, row, body);
        return c.body(null, 204);
      },
    );
  }

  if (def.item && def.find && def.remove) {
    const remove = def.remove;
    itemAllows.push('DELETE');
    openapi(
      {
        method: 'delete',
        path: def.item,
        tags: [def.tag],
        operationId: `simproDelete${def.name}`,
        summary: `Delete a ${def.singular}`,
        description: [remove.description, def.version ? 'If-Match with the ETag you read deletes only that version (412 otherwise).' : ''].filter(Boolean).join(' '),
        security,
        middleware: [requireScope(def.area, 'write')],
        request: { params: def.itemParams, query: NoQuery, headers: IfMatchHeader },
        responses: { 204: { description: 'Deleted' }, ...errorResponses(404, 409, 412) },
      },
      async (c) => {
        const ctx = ctxOf(c);
        const scope = await def.scope(c, ctx);
        const row = await findItem(c, ctx, scope);
        checkIfMatch(c, def.version?.(row));
        await remove.run(ctx, scope, row);
        return c.body(null, 204);
      },
    );
  }

  if (def.collection && collectionAllows.length) methodNotAllowed(app, def.collection, collectionAllows);
  if (def.item && itemAllows.length) methodNotAllowed(app, def.item, itemAllows);
}
