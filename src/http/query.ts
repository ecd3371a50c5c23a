/**
 * The /v1 and /v2 query grammar (conventions.md §Lists), parsed into a plain list
 * query (src/list-query.ts) that the database layer compiles: typed filters,
 * `sort`, `fields`, `page`/`pageSize`. Parsing is strict — an unknown parameter, a
 * repeated one or a value that does not parse is a 400 naming the parameter —
 * because a typo must never silently widen a query.
 */
import { foldReplacements, MAX_FOLD_REPLACEMENTS } from '../db/fold';
import type { QuerySpec } from '../db/query';
import { decodeCursor, encodeCursor } from './cursor';
import { API_DATE_RANGE, isApiDate, isIsoDate, parseApiInstant, parseInstant, toInstant } from '../domain/dates';
import { invalidField } from '../errors';
import type { Comparison, Condition, FieldFilter, FilterTree, FilterType, ListQuery, Paging, SortKey, SortValues } from '../list-query';

const ID = /^[1-9]\d{0,15}$/;
const NUMBER = /^-?\d{1,15}(\.\d{1,6})?$/;
const MAX_LIST = 100;
/** ANDed comparisons on one parameter: a range needs two; each binds a parameter, and D1 binds at most 100 per statement */
const MAX_CONDITIONS = 10;

function fail(param: string, message: string, value: string): never {
  throw invalidField(`query.${param}`, message, value);
}

function parseId(param: string, text: string, raw: string): number {
  if (!ID.test(text) || !Number.isSafeInteger(Number(text))) fail(param, 'must be a positive integer id', raw);
  return Number(text);
}

function splitList(param: string, text: string, raw: string, max = MAX_LIST): string[] {
  const items = text.split(',');
  if (items.length > max) fail(param, max === MAX_LIST ? `may list at most ${max} values` : `may combine at most ${max} conditions`, raw);
  if (items.some((i) => i === '')) fail(param, 'has an empty value in its list', raw);
  return items;
}

type RangeOp = Exclude<Comparison, 'eq' | 'ne'> | 'gtn';

/** `a,lt:b,…`: comparisons ANDed on one parameter, each optionally prefixed with one of `ops`. */
function comparisons(param: string, raw: string, ops: readonly RangeOp[], parse: (value: string) => string | number): Condition[] {
  const prefix = new RegExp(`^(?:(${ops.join('|')}):)?(.*)$`);
  return splitList(param, raw, raw, MAX_CONDITIONS).map((part) => {
    const m = prefix.exec(part)!;
    const value = parse(m[2]!);
    return m[1] ? ({ op: m[1] as RangeOp, value } as Condition) : { op: 'eq', value };
  });
}

/** One parameter's value in the grammar of its type. */
export function parseFilter(param: string, type: FilterType, raw: string): FieldFilter {
  switch (type) {
    case 'id': {
      if (raw.startsWith('in:')) return { type, conditions: [{ op: 'in', values: splitList(param, raw.slice(3), raw).map((v) => parseId(param, v, raw)) }] };
      return { type, conditions: [{ op: 'eq', value: parseId(param, raw, raw) }] };
    }
    case 'string': {
      if (raw.startsWith('in:')) return { type, conditions: [{ op: 'in', values: splitList(param, raw.slice(3), raw) }] };
      if (raw.startsWith('like:')) {
        const needle = raw.slice(5);
        if (needle === '') fail(param, 'like: needs a value', raw);
        if (needle.length > 1000 || foldReplacements(needle).length > MAX_FOLD_REPLACEMENTS) fail(param, 'like: holds too long or too varied a text', raw.slice(0, 50));
        return { type, conditions: [{ op: 'contains', value: needle }] };
      }
      if (raw.length > 1000) fail(param, 'is too long', raw.slice(0, 50));
      return { type, conditions: [{ op: 'eq', value: raw }] };
    }
    case 'boolean': {
      if (raw !== 'true' && raw !== 'false') fail(param, 'must be true or false', raw);
      return { type, conditions: [{ op: 'eq', value: raw === 'true' }] };
    }
    case 'date':
      return {
        type,
        conditions: comparisons(param, raw, ['lt', 'le', 'gt', 'ge', 'gtn'], (value) => {
          if (!isIsoDate(value)) fail(param, 'must be a date (YYYY-MM-DD), optionally prefixed lt:, le:, gt:, ge: or gtn:', raw);
          if (!isApiDate(value)) fail(param, `must lie in ${API_DATE_RANGE}`, raw);
          return value;
        }),
      };
    case 'instant':
      return {
        type,
        conditions: comparisons(param, raw, ['lt', 'le', 'gt', 'ge'], (value) => {
          if (parseInstant(value) === null) {
            fail(param, 'must be an ISO-8601 instant with Z or an offset (2026-11-21T09:30:00Z; write + as %2B), optionally prefixed lt:, le:, gt: or ge:', raw);
          }
          const epochMs = parseApiInstant(value);
          if (epochMs === null) fail(param, `must lie in ${API_DATE_RANGE} (UTC)`, raw);
          return toInstant(epochMs);
        }),
      };
    case 'number': {
      if (raw.startsWith('in:')) {
        const values = splitList(param, raw.slice(3), raw).map((v) => {
          if (!NUMBER.test(v)) fail(param, 'must list numbers', raw);
          return Number(v);
        });
        return { type, conditions: [{ op: 'in', values }] };
      }
      return {
        type,
        conditions: comparisons(param, raw, ['lt', 'le', 'gt', 'ge'], (value) => {
          if (!NUMBER.test(value)) fail(param, 'must be a number, optionally prefixed lt:, le:, gt: or ge:', raw);
          return Number(value);
        }),
      };
    }
  }
}

const PAGINATION_PARAMS = ['page', 'pageSize', 'sort', 'fields'] as const;
const KEYSET_PARAMS = ['cursor', 'count'] as const;

/** What the grammar needs of a list: its query spec (filters, sorts) and every public field, for `fields`. */
export interface ListSpec {
  query: Pick<QuerySpec, 'filters' | 'sorts'>;
  /** every field of the public representation, for `fields` */
  fieldNames: readonly string[];
  /** parameters a route reads itself (e.g. required `customerId` of rental ETCs) */
  extraParams?: readonly string[];
  /**
   * The list pages by `cursor` too (keyset: the query's `after`) and takes `count=false`:
   * its route renders the `next` link of a keyset page and leaves X-Total-Count out when
   * the page was not counted. `'cursor'`: the cursor only, no `count` (a computed list,
   * whose numbered pages always count).
   */
  keyset?: boolean | 'cursor';
}

function positiveInt(param: string, raw: string, min: number, max: number): number {
  if (!/^\d{1,7}$/.test(raw)) fail(param, `must be an integer between ${min} and ${max}`, raw);
  const n = Number(raw);
  if (n < min || n > max) fail(param, `must be between ${min} and ${max}`, raw);
  return n;
}

/** `page` (≥ 1, default 1) and `pageSize` (1..1000, default 100) from a request's single values. */
export function parsePaging(values: ReadonlyMap<string, string>): Paging {
  return {
    page: values.has('page') ? positiveInt('page', values.get('page')!, 1, 1_000_000) : 1,
    pageSize: values.has('pageSize') ? positiveInt('pageSize', values.get('pageSize')!, 1, 1000) : 100,
  };
}

/** Rejects unknown and repeated parameters; returns each parameter's single value. */
export function singleValues(url: URL, allowed: ReadonlySet<string>): Map<string, string> {
  const values = new Map<string, string>();
  for (const [key, value] of url.searchParams) {
    if (!allowed.has(key)) fail(key, 'is not a known parameter', value);
    if (values.has(key)) fail(key, 'may be given only once', value);
    values.set(key, value);
  }
  return values;
}

export function parseFields(raw: string | undefined, fieldNames: readonly string[]): string[] | null {
  if (raw === undefined) return null;
  const known = new Set(fieldNames);
  const fields = raw.split(',').map((f) => f.trim());
  for (const f of fields) if (!known.has(f)) fail('fields', `names an unknown field "${f}"`, raw);
  return fields.includes('id') ? fields : ['id', ...fields];
}

/**
 * The `cursor` of a request's single values, as ListQuery.after: absent, undefined
 * (offset paging); empty, null (a walk from the first row); else the sort values it
 * holds (a 400 naming it when it is not a cursor). With `page` it is a 400 naming
 * `page`: a cursor page continues after a row, not at a page number.
 */
export function parseCursor(values: ReadonlyMap<string, string>): SortValues | null | undefined {
  const cursor = values.get('cursor');
  if (cursor === undefined) return undefined;
  if (values.has('page')) fail('page', 'cannot be combined with cursor: a cursor page continues after a row, not at a page number', values.get('page')!);
  // an empty cursor starts a walk at the first row
  return cursor === '' ? null : decodeCursor(cursor);
}

const allowedParams = new WeakMap<ListSpec, ReadonlySet<string>>();

/** The list query of a request: paging, sort, fields and the filters, ANDed. */
export function parseListQuery(url: URL, spec: ListSpec): ListQuery {
  let allowed = allowedParams.get(spec);
  if (!allowed) {
    allowed = new Set<string>([
      ...PAGINATION_PARAMS,
      ...(spec.keyset === 'cursor' ? ['cursor'] : spec.keyset ? KEYSET_PARAMS : []),
      ...Object.keys(spec.query.filters),
      ...(spec.extraParams ?? []),
    ]);
    allowedParams.set(spec, allowed);
  }
  const values = singleValues(url, allowed);
  const { page, pageSize } = parsePaging(values);

  const sort: SortKey[] = [];
  const sortRaw = values.get('sort');
  if (sortRaw !== undefined) {
    for (const part of sortRaw.split(',')) {
      const m = /^([A-Za-z][A-Za-z0-9]*)(?::(asc|desc))?$/.exec(part.trim());
      if (!m || !Object.hasOwn(spec.query.sorts, m[1]!)) {
        fail('sort', `cannot sort by "${part}"; sortable: ${Object.keys(spec.query.sorts).join(', ')}`, sortRaw);
      }
      sort.push({ field: m[1]!, descending: m[2] === 'desc' });
    }
  }

  const fields = parseFields(values.get('fields'), spec.fieldNames);

  const all: FilterTree[] = [];
  for (const [param, filterSpec] of Object.entries(spec.query.filters)) {
    const raw = values.get(param);
    if (raw === undefined) {
      if (filterSpec.required) throw invalidField(`query.${param}`, 'is required');
      continue;
    }
    all.push({ field: param, filter: parseFilter(param, filterSpec.type, raw) });
  }
  const query: ListQuery = { page, pageSize, sort, fields, where: { all } };
  if (spec.keyset) {
    const after = parseCursor(values);
    if (after !== undefined) query.after = after;
    if (spec.keyset === 'cursor') return query;
    const count = values.get('count');
    if (count !== undefined) {
      if (count !== 'true' && count !== 'false') fail('count', 'must be true or false', count);
      query.count = count === 'true';
    }
  }
  return query;
}

/** Keeps only the requested fields (always with `id`). */
export function project<T extends Record<string, unknown>>(object: T, fields: string[] | null): Partial<T> {
  if (!fields) return object;
  const out: Record<string, unknown> = {};
  for (const f of fields) out[f] = object[f];
  return out as Partial<T>;
}

/**
 * One RFC 8288 link to a numbered page of this list: one copy of the query for every
 * link (set() replaces in place, so each lists the parameters in the same order).
 */
function pageLink(url: URL, pageSize: number): (page: number, rel: string) => string {
  const search = new URLSearchParams(url.searchParams);
  return (page, rel) => {
    search.set('page', String(page));
    search.set('pageSize', String(pageSize));
    return `<${url.pathname}?${search}>; rel="${rel}"`;
  };
}

/**
 * RFC 8288 Link header of a page that was not counted (`count=false`): first, prev,
 * and next when the page was full (there may be more).
 */
export function uncountedLinkHeader(url: URL, page: number, pageSize: number, full: boolean): string {
  const link = pageLink(url, pageSize);
  const links = [link(1, 'first')];
  if (page > 1) links.push(link(page - 1, 'prev'));
  if (full) links.push(link(page + 1, 'next'));
  return links.join(', ');
}

/** RFC 8288 Link header of a keyset page: `next` carries the cursor after its last row (none after the last page). */
export function keysetLinkHeader(url: URL, pageSize: number, next: string | null): string | null {
  if (next === null) return null;
  const search = new URLSearchParams(url.searchParams);
  search.delete('page');
  search.set('pageSize', String(pageSize));
  search.set('cursor', next);
  return `<${url.pathname}?${search}>; rel="next"`;
}

/** The headers of a keyset page (every dialect's): the `next` link, carrying the cursor after its last row, when more rows follow. */
export function keysetHeaders(url: URL, pageSize: number, next: SortValues | null | undefined): Record<string, string> {
  const link = keysetLinkHeader(url, pageSize, next ? encodeCursor(next) : null);
  return link ? { link } : {};
}

/** RFC 8288 Link header with first, prev, next and last pages. */
export function linkHeader(url: URL, page: number, pageSize: number, total: number): string {
  const last = Math.max(1, Math.ceil(total / pageSize));
  const link = pageLink(url, pageSize);
  const links = [link(1, 'first')];
  if (page > 1) links.push(link(Math.min(page - 1, last), 'prev'));
  if (page < last) links.push(link(page + 1, 'next'));
  links.push(link(last, 'last'));
  return links.join(', ');
}

/** What a list page tells its headers: its rows, the total (-1: not counted) and, on a keyset page, where the next starts. */
export interface PageResult<Row = unknown> {
  rows: Row[];
  total: number;
  next?: SortValues | null;
}

/**
 * The headers of a page of a list in Tenor's grammar: on a keyset page (`cursor`) only
 * the `next` link, after its last row, when more rows follow; on a page not counted
 * (`count=false`) first, prev and next; else X-Total-Count and first, prev, next, last.
 */
export function pageHeaders(url: URL, query: ListQuery, page: PageResult): Record<string, string> {
  if (query.after !== undefined) return keysetHeaders(url, query.pageSize, page.next);
  if (page.total < 0) return { link: uncountedLinkHeader(url, query.page, query.pageSize, page.rows.length === query.pageSize) };
  return { 'x-total-count': String(page.total), link: linkHeader(url, query.page, query.pageSize, page.total) };
}
