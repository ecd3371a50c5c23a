/**
 * A resource's query spec (which public fields filter and sort, over which
 * columns or SQL) and the compiler of a plain list query (src/list-query.ts) into
 * SQL with it. Every dialect's list ends here: the /v1 grammar and simPRO's both
 * produce the same tree, so a filter means the same on every surface.
 */
import { and, asc, desc, not, or, type SQL, sql } from 'drizzle-orm';
import { type SQLiteColumn, SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';
import { invalidField } from '../errors';
import type { Condition, FieldFilter, FilterTree, FilterType, SortKey, SortValues } from '../list-query';
import { inList } from './client';
import { containsFolded } from './fold';
import type { Ctx } from './context';

export type Column = SQLiteColumn | SQL;

export interface FilterSpec {
  type: FilterType;
  /** the column compared; omit when `build` computes the condition */
  column?: Column;
  /** custom SQL for filters that are not a plain column comparison (e.g. relative to the owner's today) */
  build?: (filter: FieldFilter, ctx: Ctx) => SQL | undefined | Promise<SQL | undefined>;
  description?: string;
  /** every request must give it (400 without): documented as a required parameter */
  required?: boolean;
}

export interface QuerySpec {
  /** the filterable fields by public name */
  filters: Record<string, FilterSpec>;
  /** the sortable fields by public name; must include `id`, the final tie-breaker of every sort */
  sorts: Record<string, Column>;
}

/**
 * Values the filters of one list may bind. D1 binds at most 100 per statement, and
 * the rest is left for the tenancy condition (≤ 10), paging and a service's own
 * conditions; filters built on the owner's today repeat its expression.
 */
export const MAX_FILTER_PARAMETERS = 80;
const dialect = new SQLiteAsyncDialect();

/** `%` is the only wildcard of a `matches` pattern: `_` and the escape character are literal. */
function likePattern(pattern: string): string {
  return pattern.replace(/[\\_]/g, (ch) => `\\${ch}`);
}

function conditionSql(column: Column, c: Condition): SQL {
  switch (c.op) {
    case 'eq':
      return sql`${column} = ${c.value}`;
    case 'ne':
      // simPRO's ne(v) keeps rows whose field is empty
      return sql`(${column} <> ${c.value} or ${column} is null)`;
    case 'lt':
      return sql`${column} < ${c.value}`;
    case 'le':
      return sql`${column} <= ${c.value}`;
    case 'gt':
      return sql`${column} > ${c.value}`;
    case 'ge':
      return sql`${column} >= ${c.value}`;
    case 'gtn':
      return sql`(${column} > ${c.value} or ${column} is null)`;
    case 'between':
      return sql`${column} between ${c.from} and ${c.to}`;
    case 'in':
      return c.values.length === 1 ? sql`${column} = ${c.values[0]}` : inList(column, c.values as Array<string | number>);
    case 'notIn':
      return sql`(${column} is null or not (${inList(column, c.values as Array<string | number>)}))`;
    case 'contains':
      // case-insensitive in every script; instr keeps % and _ literal and has no pattern-length limit (D1: 50 bytes for LIKE)
      return containsFolded(column, String(c.value));
    case 'matches':
      return sql`${column} like ${likePattern(c.pattern)} escape '\\'`;
    case 'isNull':
      return sql`${column} is null`;
    case 'notNull':
      return sql`${column} is not null`;
  }
}

/** Booleans are stored as 0 and 1. */
function stored(filter: FieldFilter): FieldFilter {
  if (filter.type !== 'boolean') return filter;
  const toInt = (v: unknown) => (v === true ? 1 : v === false ? 0 : v);
  return {
    type: 'boolean',
    conditions: filter.conditions.map((c) => ('value' in c && typeof c.value === 'boolean' ? { ...c, value: toInt(c.value) } : c) as Condition),
  };
}

/** SQL for a field filter on a plain column: every condition must hold. */
export function filterSql(column: Column, filter: FieldFilter): SQL {
  const conditions = stored(filter).conditions.map((c) => conditionSql(column, c));
  return conditions.length === 1 ? conditions[0]! : and(...conditions)!;
}

/** A number filter on a column stored in other units (e.g. major units on the wire, micros in the column). */
export function scaledNumberFilter(column: Column, toStored: (value: number) => number): NonNullable<FilterSpec['build']> {
  const scale = (v: unknown) => (typeof v === 'number' ? toStored(v) : v);
  return (f) =>
    filterSql(column, {
      type: 'number',
      conditions: f.conditions.map((c) => {
        if ('values' in c) return { ...c, values: c.values.map(scale) } as Condition;
        if (c.op === 'between') return { ...c, from: scale(c.from), to: scale(c.to) } as Condition;
        if ('value' in c) return { ...c, value: scale(c.value) } as Condition;
        return c;
      }),
    });
}

async function treeSql(ctx: Ctx, spec: QuerySpec, tree: FilterTree): Promise<SQL | undefined> {
  if ('field' in tree) {
    const filter = spec.filters[tree.field];
    if (!filter) throw invalidField(`query.${tree.field}`, 'is not a filterable field');
    if (filter.build) return filter.build(tree.filter, ctx);
    return filter.column ? filterSql(filter.column, tree.filter) : undefined;
  }
  const children = 'all' in tree ? tree.all : tree.any;
  const parts = (await Promise.all(children.map((child) => treeSql(ctx, spec, child)))).filter((p): p is SQL => p !== undefined);
  if (parts.length === 0) return undefined;
  if (parts.length === 1) return parts[0];
  return 'all' in tree ? and(...parts) : or(...parts);
}

/**
 * The WHERE condition of a filter tree (undefined when it filters nothing). A tree
 * that would bind more values than a statement may is a 400 naming the query.
 */
export async function compileWhere(ctx: Ctx, spec: QuerySpec, tree: FilterTree): Promise<SQL | undefined> {
  const where = await treeSql(ctx, spec, tree);
  if (where && boundCountMayExceed(spec, tree)) {
    const bound = dialect.sqlToQuery(where).params.length;
    if (bound > MAX_FILTER_PARAMETERS) {
      throw invalidField('query', `combines too many filter values and conditions (${bound}; at most ${MAX_FILTER_PARAMETERS})`);
    }
  }
  return where;
}

/**
 * Whether the tree may bind more values than allowed: plain column filters bind one
 * per value, custom SQL is counted by rendering it (it may repeat the owner's today).
 */
function boundCountMayExceed(spec: QuerySpec, tree: FilterTree): boolean {
  let count = 0;
  const visit = (t: FilterTree) => {
    if ('field' in t) {
      if (spec.filters[t.field]?.build) count = Number.POSITIVE_INFINITY;
      for (const c of t.filter.conditions) count += 'values' in c ? c.values.length : c.op === 'between' ? 2 : 1;
      return;
    }
    for (const child of 'all' in t ? t.all : t.any) visit(child);
  };
  visit(tree);
  return count > MAX_FILTER_PARAMETERS;
}

/** ORDER BY of a sort: the named fields, then the id as the final tie-breaker. */
export function compileOrder(spec: QuerySpec, sort: readonly SortKey[]): SQL[] {
  const orderBy: SQL[] = [];
  let hasId = false;
  for (const key of sort) {
    const column = spec.sorts[key.field];
    if (!column) throw invalidField('query.sort', `cannot sort by "${key.field}"`);
    if (key.field === 'id') hasId = true;
    orderBy.push(key.descending ? desc(column) : asc(column));
  }
  if (!hasId) orderBy.push(asc(spec.sorts.id!));
  return orderBy;
}

/** Values one statement may bind (D1's limit). */
const MAX_BOUND_PARAMETERS = 100;

/** A 400 naming the query when a condition (and `more` values bound beside it) would pass the limit of a statement. */
export function assertBindable(condition: SQL, more = 0): void {
  const bound = dialect.sqlToQuery(condition).params.length + more;
  if (bound > MAX_BOUND_PARAMETERS) {
    throw invalidField('query', `combines too many filter values, conditions and sort fields (${bound} values; at most ${MAX_BOUND_PARAMETERS})`);
  }
}

/** The keys a sort orders by, without repeats: the named fields, then the id (the final tie-breaker). */
export function sortKeys(spec: QuerySpec, sort: readonly SortKey[]): Array<{ column: Column; descending: boolean }> {
  const keys: Array<{ column: Column; descending: boolean }> = [];
  const seen = new Set<string>();
  for (const key of [...sort, { field: 'id', descending: false }]) {
    if (seen.has(key.field)) continue;
    const column = spec.sorts[key.field];
    if (!column) throw invalidField('query.sort', `cannot sort by "${key.field}"`);
    seen.add(key.field);
    keys.push({ column, descending: key.descending });
  }
  return keys;
}

/**
 * The keyset condition of a page that continues after a row: the rows that come
 * after one whose sort keys (sortKeys) had `after`'s values, in SQLite's order
 * (NULL before every value ascending, after every value descending). Each value is
 * bound at most twice. Values that do not fit the sort (another list's cursor) are
 * a 400 naming the cursor.
 */
export function compileAfter(spec: QuerySpec, sort: readonly SortKey[], after: SortValues): SQL {
  const keys = sortKeys(spec, sort);
  const fits = after.length === keys.length && after.every((v) => v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)));
  if (!fits) throw invalidField('query.cursor', 'does not belong to this list and sort');
  let condition: SQL | undefined;
  for (let i = keys.length - 1; i >= 0; i--) {
    const { column, descending } = keys[i]!;
    const value = after[i]!;
    let beyond: SQL;
    if (value === null) beyond = descending ? sql`0` : sql`${column} is not null`;
    else beyond = descending ? sql`(${column} < ${value} or ${column} is null)` : sql`${column} > ${value}`;
    if (!condition) {
      condition = beyond;
      continue;
    }
    const equal = value === null ? sql`${column} is null` : sql`${column} = ${value}`;
    condition = sql`(${beyond} or (${equal} and ${condition}))`;
  }
  return condition!;
}

/** `not (condition)` for a boolean filter asking for false (`renewalAlert=false`). */
export function negateUnlessTrue(filter: FieldFilter, condition: SQL): SQL {
  const [first] = filter.conditions;
  const wantsFalse = first && 'value' in first && (first.op === 'eq' ? first.value === false : first.op === 'ne' && first.value === true);
  return wantsFalse ? not(condition) : condition;
}
