/**
 * simPRO's list query grammar (compat.md §simPRO; research/others.md part 2),
 * parsed into the plain list query every dialect produces (src/list-query.ts),
 * which db/query.ts compiles to SQL. Pure: no database (cursors are read as every
 * list reads them, http/query.ts parseCursor).
 *
 * - `columns`: comma list of the top-level columns to return;
 * - `pageSize` (1..250, default 30), `page` (from 1), `limit` (a cap on the
 *   records the whole list holds);
 * - `cursor` (a Tenor extension): keyset pages in the `orderby` order instead of
 *   `page`, empty for the first, then the value of the `next` link; not with
 *   `page` nor `limit` (a cursor walk is not capped: a client stops following
 *   `next` when it has what it wants);
 * - `orderby`: comma list of columns, `-` prefix for descending;
 * - `search`: `all` (every field filter must match; default) or `any`;
 * - field filters, one parameter per column (dot notation for nested ones,
 *   `PricingTier.ID`): `value` (exact; `%` a wildcard on text), `lt(v)`, `le(v)`,
 *   `gt(v)`, `ge(v)`, `ne(v)`, `between(a,b)`, `in(a,b,…)`, `!in(a,b,…)`, `null`,
 *   `ne(null)` (or `ne()`); dates `YYYY-MM-DD`.
 *
 * Strict like the rest of Tenor: an unknown or repeated parameter, or a value
 * that does not parse, is a 400 naming it (`query.PricingTier.ID`).
 */
import { isIsoDate } from '../../domain/dates';
import { invalidField } from '../../errors';
import { parseCursor } from '../../http/query';
import {
  type Condition,
  type FieldFilter,
  type FilterTree,
  type FilterType,
  type FilterValue,
  type ListQuery,
  MAX_MATCH_PATTERN_BYTES,
  matchPatternBytes,
  type SortKey,
} from '../../list-query';

/** A column a list filters and sorts on, and the service query field it stands for. */
export interface SimproFilter {
  /** the field of the service's query spec */
  field: string;
  type: Exclude<FilterType, 'instant'>;
  /** false: filter only (e.g. flags computed for the owner's today); default true */
  sortable?: boolean;
}

export interface SimproListSpec {
  /** every top-level column of the list's objects, for `columns` */
  columns: readonly string[];
  /** what a list returns without `columns` */
  defaultColumns: readonly string[];
  /** the columns a list filters (and sorts) on, by their simPRO names */
  filters: Readonly<Record<string, SimproFilter>>;
  /** the order without `orderby` (the id is always the final tie-breaker) */
  defaultSort?: readonly SortKey[];
}

export interface SimproListRequest {
  /** the filters (as given; the route adds its scope), sort, page, pageSize and limit; `fields` is null */
  query: ListQuery;
  /** the columns to return, in the order asked */
  columns: string[];
}

export const DEFAULT_PAGE_SIZE = 30;
export const MAX_PAGE_SIZE = 250;
export const MAX_PAGE = 1_000_000;
export const MAX_LIMIT = 1_000_000_000;
/** values an `in(…)` list may hold */
export const MAX_LIST_VALUES = 100;
export const MAX_TEXT_LENGTH = 1000;
/** a whole filter value (an `in(…)` list of 100 values) */
export const MAX_FILTER_LENGTH = 4000;
export const MAX_SORT_KEYS = 10;
export const LIST_PARAMETERS = ['columns', 'pageSize', 'page', 'limit', 'orderby', 'search', 'cursor'] as const;

const ID = /^\d{1,16}$/;
const NUMBER = /^-?\d{1,15}(\.\d{1,6})?$/;
const OPERATOR = /^(lt|le|gt|ge|ne|between|in|!in)\(([\s\S]*)\)$/;

function fail(param: string, message: string, value?: string): never {
  throw invalidField(`query.${param}`, message, value === undefined ? undefined : value.length > 100 ? `${value.slice(0, 100)}…` : value);
}

/** Every parameter's single value; a repeated one is a 400. */
export function singleParams(params: Iterable<[string, string]>): Map<string, string> {
  const values = new Map<string, string>();
  for (const [key, value] of params) {
    if (values.has(key)) fail(key, 'may be given only once', value);
    values.set(key, value);
  }
  return values;
}

/** One value of a column's type. */
function typedValue(param: string, type: SimproFilter['type'], text: string, raw: string): FilterValue {
  switch (type) {
    case 'id':
      if (!ID.test(text) || !Number.isSafeInteger(Number(text))) fail(param, 'must be an id (a whole number)', raw);
      return Number(text);
    case 'number':
      if (!NUMBER.test(text)) fail(param, 'must be a number (at most 6 decimal places)', raw);
      return Number(text);
    case 'date':
      if (!isIsoDate(text)) fail(param, 'must be a date (YYYY-MM-DD)', raw);
      return text;
    case 'boolean': {
      const lower = text.toLowerCase();
      if (lower !== 'true' && lower !== 'false') fail(param, 'must be true or false', raw);
      return lower === 'true';
    }
    case 'string':
      if (text.length > MAX_TEXT_LENGTH) fail(param, `must be at most ${MAX_TEXT_LENGTH} characters`, raw);
      return text;
  }
}

function argumentList(param: string, inside: string, raw: string): string[] {
  const items = inside.split(',').map((item) => item.trim());
  if (items.some((item) => item === '')) fail(param, 'has an empty value in its list', raw);
  if (items.length > MAX_LIST_VALUES) fail(param, `may list at most ${MAX_LIST_VALUES} values`, raw);
  return items;
}

const isNullWord = (text: string) => text.toLowerCase() === 'null';

/** A field filter's value in simPRO's grammar, for a column of `type`. */
export function parseFieldFilter(param: string, type: SimproFilter['type'], raw: string): FieldFilter {
  const condition = (c: Condition): FieldFilter => ({ type, conditions: [c] });
  if (raw === '') fail(param, 'needs a value (null matches an empty field)', raw);
  if (raw.length > MAX_FILTER_LENGTH) fail(param, `must be at most ${MAX_FILTER_LENGTH} characters`, raw);
  if (isNullWord(raw)) return condition({ op: 'isNull' });
  const operator = OPERATOR.exec(raw);
  if (!operator) {
    if (type === 'string' && raw.includes('%')) {
      if (matchPatternBytes(raw) > MAX_MATCH_PATTERN_BYTES) fail(param, `a pattern with % may be at most ${MAX_MATCH_PATTERN_BYTES} bytes`, raw);
      return condition({ op: 'matches', pattern: raw });
    }
    return condition({ op: 'eq', value: typedValue(param, type, raw, raw) });
  }
  const [, op, inside = ''] = operator;
  switch (op) {
    case 'ne':
      if (inside === '' || isNullWord(inside.trim())) return condition({ op: 'notNull' });
      return condition({ op: 'ne', value: typedValue(param, type, inside, raw) });
    case 'lt':
    case 'le':
    case 'gt':
    case 'ge':
      if (type === 'boolean') fail(param, `cannot be compared with ${op}() (a true or false column)`, raw);
      return condition({ op: op as 'lt', value: typedValue(param, type, inside, raw) });
    case 'between': {
      if (type === 'boolean') fail(param, 'cannot be compared with between() (a true or false column)', raw);
      const items = argumentList(param, inside, raw);
      if (items.length !== 2) fail(param, 'between() takes two values: between(from,to)', raw);
      return condition({ op: 'between', from: typedValue(param, type, items[0]!, raw), to: typedValue(param, type, items[1]!, raw) });
    }
    default: {
      const values = argumentList(param, inside, raw).map((item) => typedValue(param, type, item, raw));
      return condition(op === 'in' ? { op: 'in', values } : { op: 'notIn', values });
    }
  }
}

function whole(param: string, raw: string | undefined, min: number, max: number, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d{1,10}$/.test(raw)) fail(param, `must be a whole number between ${min} and ${max}`, raw);
  const n = Number(raw);
  if (n < min || n > max) fail(param, `must be between ${min} and ${max}`, raw);
  return n;
}

function commaList(param: string, raw: string): string[] {
  const items = raw.split(',').map((item) => item.trim());
  if (items.some((item) => item === '')) fail(param, 'has an empty item in its list', raw);
  return items;
}

/** `columns`: the columns asked for (each known, in the order asked, once), or the defaults. */
export function parseColumns(raw: string | undefined, all: readonly string[], defaults: readonly string[]): string[] {
  if (raw === undefined) return [...defaults];
  const known = new Set(all);
  const columns: string[] = [];
  for (const column of commaList('columns', raw)) {
    if (!known.has(column)) fail('columns', `names an unknown column "${column}"; columns: ${all.join(', ')}`, raw);
    if (!columns.includes(column)) columns.push(column);
  }
  return columns;
}

/** `orderby`: sort keys by the service's fields. */
export function parseOrderBy(raw: string | undefined, spec: SimproListSpec): SortKey[] {
  if (raw === undefined) return [...(spec.defaultSort ?? [])];
  const keys = commaList('orderby', raw);
  if (keys.length > MAX_SORT_KEYS) fail('orderby', `may name at most ${MAX_SORT_KEYS} columns`, raw);
  return keys.map((key) => {
    const descending = key.startsWith('-');
    const column = descending ? key.slice(1) : key;
    const filter = Object.hasOwn(spec.filters, column) ? spec.filters[column] : undefined;
    if (!filter || filter.sortable === false) {
      const sortable = Object.entries(spec.filters).filter(([, f]) => f.sortable !== false).map(([name]) => name);
      fail('orderby', `cannot order by "${column}"; orderable: ${sortable.join(', ')}`, raw);
    }
    return { field: filter.field, descending };
  });
}

/** A list request: paging, order, columns, and the field filters combined as `search` says. */
export function parseSimproList(params: Iterable<[string, string]>, spec: SimproListSpec): SimproListRequest {
  const values = singleParams(params);
  const reserved = new Set<string>(LIST_PARAMETERS);
  const filters: FilterTree[] = [];
  for (const [param, raw] of values) {
    if (reserved.has(param)) continue;
    const filter = Object.hasOwn(spec.filters, param) ? spec.filters[param] : undefined;
    if (!filter) fail(param, `is neither a column this list filters on (${Object.keys(spec.filters).join(', ')}) nor one of ${LIST_PARAMETERS.join(', ')}`, raw);
    filters.push({ field: filter.field, filter: parseFieldFilter(param, filter.type, raw) });
  }
  const search = values.get('search');
  if (search !== undefined && search !== 'all' && search !== 'any') fail('search', 'must be all or any', search);
  const limit = values.get('limit');
  const query: ListQuery = {
    page: whole('page', values.get('page'), 1, MAX_PAGE, 1),
    pageSize: whole('pageSize', values.get('pageSize'), 1, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE),
    sort: parseOrderBy(values.get('orderby'), spec),
    fields: null,
    where: search === 'any' ? { any: filters } : { all: filters },
    ...(limit === undefined ? {} : { limit: whole('limit', limit, 1, MAX_LIMIT, MAX_LIMIT) }),
  };
  const after = parseCursor(values);
  if (after !== undefined) {
    if (limit !== undefined) fail('limit', 'cannot be combined with cursor: a cursor walk is not capped (stop following the next link instead)', limit);
    query.after = after;
  }
  return { query, columns: parseColumns(values.get('columns'), spec.columns, spec.defaultColumns) };
}

/** An item GET's query: `columns` alone (default: every column). */
export function parseItemColumns(params: Iterable<[string, string]>, all: readonly string[]): string[] {
  const values = singleParams(params);
  for (const [param, raw] of values) if (param !== 'columns') fail(param, 'is not a known parameter (an item takes columns only)', raw);
  return parseColumns(values.get('columns'), all, all);
}

/** Keeps the asked-for columns of an object, in the order asked; links (`_href`) always stay, last. */
export function pickColumns<T extends Record<string, unknown>>(object: T, columns: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const column of columns) if (Object.hasOwn(object, column)) out[column] = object[column];
  for (const key of Object.keys(object)) if (key.startsWith('_')) out[key] = object[key];
  return out;
}

/** The paging headers of a list answer: records in all pages, pages, and records on this page. */
export function resultHeaders(total: number, pageSize: number, count: number): Record<string, string> {
  return {
    'result-total': String(total),
    'result-pages': String(Math.ceil(total / pageSize)),
    'result-count': String(count),
  };
}
