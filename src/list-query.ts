/**
 * A list query as plain data: a filter tree over a resource's public field names,
 * a sort, a page and the fields to return. Each dialect's HTTP edge parses its own
 * grammar into it (http/query.ts for /v1 and /v2, routes/simpro for simPRO's), and
 * the database layer compiles it to SQL (db/query.ts) with the resource's query
 * spec. Nothing here knows HTTP or SQL.
 */

export type FilterType = 'id' | 'string' | 'date' | 'instant' | 'number' | 'boolean';

/** ids and numbers are numbers, booleans booleans, the rest strings (dates `YYYY-MM-DD`, instants as stored) */
export type FilterValue = string | number | boolean;

export type Comparison = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';

export type Condition =
  | { op: Comparison; value: FilterValue }
  /** greater than, or null (open-ended ranges match) */
  | { op: 'gtn'; value: FilterValue }
  | { op: 'in' | 'notIn'; values: FilterValue[] }
  /** from ≤ value ≤ to */
  | { op: 'between'; from: FilterValue; to: FilterValue }
  /** the text contains `value`, ignoring case; `%` and `_` are literal */
  | { op: 'contains'; value: string }
  /** the text matches `pattern`, ignoring case, where `%` stands for any run of characters (at most MAX_MATCH_PATTERN_BYTES) */
  | { op: 'matches'; pattern: string }
  | { op: 'isNull' | 'notNull' };

export type ConditionOp = Condition['op'];

/**
 * The longest `matches` pattern, in UTF-8 bytes as the database sees it (`_` and
 * `\` escaped, one byte each): D1 refuses LIKE patterns over 50 bytes.
 */
export const MAX_MATCH_PATTERN_BYTES = 50;

/** A `matches` pattern's length as the database sees it (see MAX_MATCH_PATTERN_BYTES). */
export function matchPatternBytes(pattern: string): number {
  let escapes = 0;
  for (const ch of pattern) if (ch === '_' || ch === '\\') escapes++;
  return new TextEncoder().encode(pattern).length + escapes;
}

/** Conditions on one field, all of which must hold. */
export interface FieldFilter {
  type: FilterType;
  conditions: Condition[];
}

export type FilterTree = { field: string; filter: FieldFilter } | { all: FilterTree[] } | { any: FilterTree[] };

export const NO_FILTER: FilterTree = { all: [] };

export interface SortKey {
  field: string;
  descending: boolean;
}

export interface Paging {
  /** from 1 */
  page: number;
  pageSize: number;
}

/** The values of a row's sort keys (the sort's fields, then the id): where a keyset page continues. */
export type SortValues = ReadonlyArray<string | number | null>;

export interface ListQuery extends Paging {
  where: FilterTree;
  /** the id is always the final tie-breaker, whether or not it is named here */
  sort: SortKey[];
  /** the fields to return (always with `id`); null: all */
  fields: string[] | null;
  /** at most this many records in the whole list (simPRO's `limit`): pages are cut from the first `limit`; absent: no cap */
  limit?: number;
  /**
   * Keyset paging instead of `page`: up to `pageSize` rows after the row whose sort
   * keys had these values (null: from the first row), not counted (nor capped by
   * `limit`: simPRO's grammar refuses the two together). Absent: offset paging by
   * `page`, with the total.
   */
  after?: SortValues | null;
  /** false: the client asked for no total (`count=false`): the page is not counted */
  count?: boolean;
}

/**
 * The rows one page reads: from `offset`, at most `size` of them — the page size,
 * or fewer where the list's `limit` ends within (or before) the page.
 */
export function pageWindow(paging: Paging & { limit?: number }): { offset: number; size: number } {
  const offset = (paging.page - 1) * paging.pageSize;
  const size = paging.limit === undefined ? paging.pageSize : Math.max(0, Math.min(paging.pageSize, paging.limit - offset));
  return { offset, size };
}

/** The records a list holds: those matching, at most its `limit`. */
export function cappedTotal(matching: number, limit: number | undefined): number {
  return limit === undefined ? matching : Math.min(matching, limit);
}

/** The filter on `field` among the top-level conditions every row must meet (an `all` of the root). */
export function topLevelFilter(tree: FilterTree, field: string): FieldFilter | undefined {
  if ('field' in tree) return tree.field === field ? tree.filter : undefined;
  if ('all' in tree) {
    for (const child of tree.all) if ('field' in child && child.field === field) return child.filter;
  }
  return undefined;
}

/** A boolean filter's value (`field=true`), or undefined when the filter is not a plain boolean. */
export function booleanValue(filter: FieldFilter | undefined): boolean | undefined {
  const [first] = filter?.conditions ?? [];
  if (filter?.conditions.length !== 1 || first?.op !== 'eq' || typeof first.value !== 'boolean') return undefined;
  return first.value;
}

/** The values a filter asks a field to equal (`eq` and `in`); other conditions contribute none. */
export function equalValues(filter: FieldFilter | undefined): FilterValue[] {
  const values: FilterValue[] = [];
  for (const c of filter?.conditions ?? []) {
    if (c.op === 'eq') values.push(c.value);
    else if (c.op === 'in') values.push(...c.values);
  }
  return values;
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
