/**
 * The one query grammar (conventions.md §Lists): typed filters, `sort`, `fields`,
 * `page`/`pageSize`. Parsing is strict — an unknown parameter, a repeated one or
 * a value that does not parse is a 400 naming the parameter — because a typo must
 * never silently widen a query.
 */
import { and, asc, desc, type SQL, sql } from 'drizzle-orm';
import { type SQLiteColumn, SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';
import type { Ctx } from '../context';
import { inList } from '../db/client';
import { isIsoDate, parseInstant, toInstant } from '../domain/dates';
import { invalidField } from './problem';

export type FilterType = 'id' | 'string' | 'date' | 'instant' | 'number' | 'boolean';

export type Comparison = 'eq' | 'lt' | 'le' | 'gt' | 'ge' | 'gtn';

export type ParsedFilter =
  | { type: 'id'; values: number[] }
  | { type: 'string'; op: 'eq' | 'in' | 'like'; values: string[] }
  | { type: 'date'; conditions: Array<{ op: Comparison; value: string }> }
  /** values as stored: ISO-8601 UTC with milliseconds, which sorts as text */
  | { type: 'instant'; conditions: Array<{ op: Exclude<Comparison, 'gtn'>; value: string }> }
  | { type: 'number'; in?: number[]; conditions: Array<{ op: Exclude<Comparison, 'gtn'>; value: number }> }
  | { type: 'boolean'; value: boolean };

type Column = SQLiteColumn | SQL;

export interface FilterSpec {
  type: FilterType;
  /** the column compared; omit when `build` computes the condition */
  column?: Column;
  /** custom SQL for filters that are not a plain column comparison (e.g. relative to the owner's today) */
  build?: (filter: ParsedFilter, ctx: Ctx) => SQL | undefined | Promise<SQL | undefined>;
  description?: string;
  /** every request must give it (400 without): documented as a required parameter */
  required?: boolean;
}

/**
 * Values the filters of one list may bind. D1 binds at most 100 per statement, and
 * the rest is left for the tenancy condition (≤ 10), paging and a service's own
 * conditions; filters built on the owner's today repeat its expression.
 */
export const MAX_FILTER_PARAMETERS = 80;
const dialect = new SQLiteAsyncDialect();

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

function parseFilter(param: string, type: FilterType, raw: string): ParsedFilter {
  switch (type) {
    case 'id': {
      if (raw.startsWith('in:')) return { type, values: splitList(param, raw.slice(3), raw).map((v) => parseId(param, v, raw)) };
      return { type, values: [parseId(param, raw, raw)] };
    }
    case 'string': {
      if (raw.startsWith('in:')) return { type, op: 'in', values: splitList(param, raw.slice(3), raw) };
      if (raw.startsWith('like:')) {
        const needle = raw.slice(5);
        if (needle === '') fail(param, 'like: needs a value', raw);
        return { type, op: 'like', values: [needle] };
      }
      if (raw.length > 1000) fail(param, 'is too long', raw.slice(0, 50));
      return { type, op: 'eq', values: [raw] };
    }
    case 'boolean': {
      if (raw !== 'true' && raw !== 'false') fail(param, 'must be true or false', raw);
      return { type, value: raw === 'true' };
    }
    case 'date': {
      const conditions = splitList(param, raw, raw, MAX_CONDITIONS).map((part) => {
        const m = /^(?:(lt|le|gt|ge|gtn):)?(.*)$/.exec(part)!;
        const op = (m[1] ?? 'eq') as Comparison;
        const value = m[2]!;
        if (!isIsoDate(value)) fail(param, 'must be a date (YYYY-MM-DD), optionally prefixed lt:, le:, gt:, ge: or gtn:', raw);
        return { op, value };
      });
      return { type, conditions };
    }
    case 'instant': {
      const conditions = splitList(param, raw, raw, MAX_CONDITIONS).map((part) => {
        const m = /^(?:(lt|le|gt|ge):)?(.*)$/.exec(part)!;
        const epochMs = parseInstant(m[2]!);
        if (epochMs === null) {
          fail(param, 'must be an ISO-8601 instant with Z or an offset (2026-11-21T09:30:00Z; write + as %2B), optionally prefixed lt:, le:, gt: or ge:', raw);
        }
        return { op: (m[1] ?? 'eq') as Exclude<Comparison, 'gtn'>, value: toInstant(epochMs) };
      });
      return { type, conditions };
    }
    case 'number': {
      if (raw.startsWith('in:')) {
        const values = splitList(param, raw.slice(3), raw).map((v) => {
          if (!NUMBER.test(v)) fail(param, 'must list numbers', raw);
          return Number(v);
        });
        return { type, in: values, conditions: [] };
      }
      const conditions = splitList(param, raw, raw, MAX_CONDITIONS).map((part) => {
        const m = /^(?:(lt|le|gt|ge):)?(.*)$/.exec(part)!;
        const value = m[2]!;
        if (!NUMBER.test(value)) fail(param, 'must be a number, optionally prefixed lt:, le:, gt: or ge:', raw);
        return { op: (m[1] ?? 'eq') as Exclude<Comparison, 'gtn'>, value: Number(value) };
      });
      return { type, conditions };
    }
  }
}

function compare(column: Column, op: Comparison, value: unknown): SQL {
  switch (op) {
    case 'eq':
      return sql`${column} = ${value}`;
    case 'lt':
      return sql`${column} < ${value}`;
    case 'le':
      return sql`${column} <= ${value}`;
    case 'gt':
      return sql`${column} > ${value}`;
    case 'ge':
      return sql`${column} >= ${value}`;
    case 'gtn':
      return sql`(${column} > ${value} or ${column} is null)`;
  }
}

/** SQL for a parsed filter on a plain column. */
export function filterSql(column: Column, f: ParsedFilter): SQL {
  switch (f.type) {
    case 'id':
      return f.values.length === 1 ? sql`${column} = ${f.values[0]}` : inList(column, f.values);
    case 'string':
      if (f.op === 'eq') return sql`${column} = ${f.values[0]}`;
      if (f.op === 'in') return inList(column, f.values);
      // "contains", case-insensitive; instr keeps % and _ literal and has no pattern-length limit (D1: 50 bytes for LIKE)
      return sql`instr(lower(${column}), lower(${f.values[0]})) > 0`;
    case 'boolean':
      return sql`${column} = ${f.value ? 1 : 0}`;
    case 'date':
    case 'instant':
      return and(...f.conditions.map((c) => compare(column, c.op, c.value)))!;
    case 'number':
      if (f.in) return inList(column, f.in);
      return and(...f.conditions.map((c) => compare(column, c.op, c.value)))!;
  }
}

/** A number filter on a column stored in other units (e.g. major units on the wire, micros in the column). */
export function scaledNumberFilter(column: Column, toStored: (value: number) => number): NonNullable<FilterSpec['build']> {
  return (f) => {
    if (f.type !== 'number') return undefined;
    return filterSql(column, {
      type: 'number',
      ...(f.in ? { in: f.in.map(toStored) } : {}),
      conditions: f.conditions.map((c) => ({ op: c.op, value: toStored(c.value) })),
    });
  };
}

export interface SortSpec {
  [field: string]: Column;
}

export interface ListParams {
  page: number;
  pageSize: number;
  /** SQL conditions from the filters */
  where: SQL[];
  orderBy: SQL[];
  fields: string[] | null;
  /** the parsed filters by parameter, for handlers with extra logic */
  filters: Map<string, ParsedFilter>;
}

const PAGINATION_PARAMS = ['page', 'pageSize', 'sort', 'fields'] as const;

export interface ListSpec {
  filters: Record<string, FilterSpec>;
  sorts: SortSpec;
  /** the id column: the final tie-breaker of every sort */
  idColumn: Column;
  /** every field of the public representation, for `fields` */
  fieldNames: readonly string[];
  /** parameters a route reads itself (e.g. required `customerId` of rental ETCs) */
  extraParams?: readonly string[];
}

function positiveInt(param: string, raw: string, min: number, max: number): number {
  if (!/^\d{1,7}$/.test(raw)) fail(param, `must be an integer between ${min} and ${max}`, raw);
  const n = Number(raw);
  if (n < min || n > max) fail(param, `must be between ${min} and ${max}`, raw);
  return n;
}

export interface Paging {
  page: number;
  pageSize: number;
}

/** `page` (≥ 1, default 1) and `pageSize` (1..1000, default 100) from a request's single values. */
export function parsePaging(values: ReadonlyMap<string, string>): Paging {
  return {
    page: values.has('page') ? positiveInt('page', values.get('page')!, 1, 1_000_000) : 1,
    pageSize: values.has('pageSize') ? positiveInt('pageSize', values.get('pageSize')!, 1, 1000) : 100,
  };
}

/**
 * Pages a list computed in memory (rental charges): every item is offered in
 * order and counted, and only the requested page's items are kept.
 */
export class PageWindow<T> {
  readonly items: T[] = [];
  total = 0;
  private readonly offset: number;

  constructor(private readonly paging: Paging) {
    this.offset = (paging.page - 1) * paging.pageSize;
  }

  offer(item: T): void {
    if (this.total >= this.offset && this.items.length < this.paging.pageSize) this.items.push(item);
    this.total += 1;
  }
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
 * The most values a parsed filter binds on a plain column (filterSql): one per
 * value or condition, fewer when a list travels as one JSON value.
 */
function maxBoundValues(f: ParsedFilter): number {
  switch (f.type) {
    case 'id':
      return f.values.length;
    case 'string':
      return f.values.length;
    case 'boolean':
      return 1;
    case 'date':
    case 'instant':
      return f.conditions.length;
    case 'number':
      return f.in ? f.in.length : f.conditions.length;
  }
}

const allowedParams = new WeakMap<ListSpec, ReadonlySet<string>>();

/** Parses and validates list parameters into SQL pieces. */
export async function parseListParams(url: URL, spec: ListSpec, ctx: Ctx): Promise<ListParams> {
  let allowed = allowedParams.get(spec);
  if (!allowed) {
    allowed = new Set<string>([...PAGINATION_PARAMS, ...Object.keys(spec.filters), ...(spec.extraParams ?? [])]);
    allowedParams.set(spec, allowed);
  }
  const values = singleValues(url, allowed);
  const { page, pageSize } = parsePaging(values);

  const orderBy: SQL[] = [];
  let hasId = false;
  const sortRaw = values.get('sort');
  if (sortRaw !== undefined) {
    for (const part of sortRaw.split(',')) {
      const m = /^([A-Za-z][A-Za-z0-9]*)(?::(asc|desc))?$/.exec(part.trim());
      const column = m ? spec.sorts[m[1]!] : undefined;
      if (!m || !column) fail('sort', `cannot sort by "${part}"; sortable: ${Object.keys(spec.sorts).join(', ')}`, sortRaw);
      if (m[1] === 'id') hasId = true;
      orderBy.push(m[2] === 'desc' ? desc(column) : asc(column));
    }
  }
  if (!hasId) orderBy.push(asc(spec.idColumn));

  const fields = parseFields(values.get('fields'), spec.fieldNames);

  const where: SQL[] = [];
  const filters = new Map<string, ParsedFilter>();
  // what plain column filters bind is known from their values; custom SQL is counted by building it
  let mayBind = 0;
  for (const [param, filterSpec] of Object.entries(spec.filters)) {
    const raw = values.get(param);
    if (raw === undefined) {
      if (filterSpec.required) throw invalidField(`query.${param}`, 'is required');
      continue;
    }
    const parsed = parseFilter(param, filterSpec.type, raw);
    filters.set(param, parsed);
    mayBind += filterSpec.build ? Number.POSITIVE_INFINITY : maxBoundValues(parsed);
    const condition = filterSpec.build ? await filterSpec.build(parsed, ctx) : filterSpec.column ? filterSql(filterSpec.column, parsed) : undefined;
    if (condition) where.push(condition);
  }
  const bound = where.length && mayBind > MAX_FILTER_PARAMETERS ? dialect.sqlToQuery(and(...where)!).params.length : 0;
  if (bound > MAX_FILTER_PARAMETERS) {
    throw invalidField('query', `combines too many filter values and conditions (${bound}; at most ${MAX_FILTER_PARAMETERS})`);
  }
  return { page, pageSize, where, orderBy, fields, filters };
}

/** Keeps only the requested fields (always with `id`). */
export function project<T extends Record<string, unknown>>(object: T, fields: string[] | null): Partial<T> {
  if (!fields) return object;
  const out: Record<string, unknown> = {};
  for (const f of fields) out[f] = object[f];
  return out as Partial<T>;
}

/** RFC 8288 Link header with first, prev, next and last pages. */
export function linkHeader(url: URL, page: number, pageSize: number, total: number): string {
  const last = Math.max(1, Math.ceil(total / pageSize));
  // one copy of the query for every link: set() replaces in place, so each link lists the parameters in the same order
  const search = new URLSearchParams(url.searchParams);
  const link = (p: number, rel: string) => {
    search.set('page', String(p));
    search.set('pageSize', String(pageSize));
    return `<${url.pathname}?${search}>; rel="${rel}"`;
  };
  const links = [link(1, 'first')];
  if (page > 1) links.push(link(Math.min(page - 1, last), 'prev'));
  if (page < last) links.push(link(page + 1, 'next'));
  links.push(link(last, 'last'));
  return links.join(', ');
}
