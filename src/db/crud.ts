/**
 * Tenant-filtered create, read, update and delete over one table. Resources give
 * the rules (how input becomes a row, what blocks a delete, which events fire);
 * this module gives the mechanics every resource shares: owner filtering,
 * audit columns, the version check that keeps concurrent writes from losing one
 * another, and events written in the same batch as the change.
 */
import { and, count, eq, getTableColumns, getTableName, is, SQL, sql } from 'drizzle-orm';
import { type SQLiteColumn, SQLiteSyncDialect, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { conflict, fieldProblem, invalidField, notFound } from '../errors';
import { cappedTotal, type ListQuery, type Paging, pageWindow, type SortValues } from '../list-query';
import { abortUnlessChanged, type Db, inList, isGuardAbort, type Statement } from './client';
import { insertReturning, preparedWrite, rawPlaceholder, type RowReader, rowReader, updateReturning } from './rows';
import { type Ctx, eventsWritten } from './context';
import type { OwnerInfo } from './owners';
import { assertBindable, compileAfter, compileOrder, compileWhere, type QuerySpec, sortKeys } from './query';
import { listGenerations, outboxEvents } from './schema';
import { assertMayActFor, canSee, ownerCondition, type Tenant } from './tenancy';

// biome-ignore lint: drizzle tables are generic over their columns
type AnyTable = SQLiteTable & { id: SQLiteColumn; version: SQLiteColumn; [column: string]: any };

export interface BaseRow {
  id: number;
  version: number;
  createdDate: string;
  updatedDate: string;
  createdBy: string | null;
  updatedBy: string | null;
}

export interface EventSpec {
  type: string;
  objectType: string;
}

export interface RenderOptions {
  /** leave nested arrays out (the `summary: true` request header) */
  summary?: boolean;
}

/** One page of a list. */
export interface ListPage<Row> {
  rows: Row[];
  /** matching rows in all pages; -1 for a keyset page (`after`), which is not counted */
  total: number;
  /** a keyset page: the sort-key values of its last row when more rows follow, else null */
  next?: SortValues | null;
}

export interface ResourceService<Row, Out, In> {
  readonly singular: string;
  /** the filterable and sortable fields */
  readonly query: QuerySpec;
  list(ctx: Ctx, query: ListQuery): Promise<ListPage<Row>>;
  exists(ctx: Ctx, query: ListQuery): Promise<boolean>;
  find(ctx: Ctx, id: number): Promise<Row | null>;
  render(ctx: Ctx, rows: Row[], options?: RenderOptions): Promise<Out[]>;
  create(ctx: Ctx, input: In): Promise<Row>;
  /** returns the stored row; `created` when the change made a new object (a new version) */
  update(ctx: Ctx, row: Row, input: In, changed: ReadonlySet<string>): Promise<{ row: Row; created?: boolean }>;
  remove(ctx: Ctx, row: Row): Promise<void>;
}

export interface TableServiceOptions<Row extends BaseRow, Out, In> {
  singular: string;
  table: AnyTable;
  /** the tenancy column; contract owners themselves use their id */
  ownerColumn: SQLiteColumn;
  ownerOf(row: Row): number;
  /** the filterable and sortable fields of lists */
  query: QuerySpec;
  /** conditions every list adds (e.g. leave out superseded versions unless asked) */
  baseWhere?(ctx: Ctx, query: ListQuery): SQL[];
  /** input → column values for a new row, after checking the rules; must include the owner */
  toInsert(ctx: Ctx, input: In): Promise<Record<string, unknown>>;
  /** a [start, end] pair of date fields that must be in order, checked on create and on every update */
  dateOrder?: readonly [keyof In & string, keyof In & string];
  /** input → column values to change; default: the changed input fields as they are */
  toUpdate?(ctx: Ctx, row: Row, input: In, changed: ReadonlySet<string>): Promise<Record<string, unknown>>;
  /** throws a 409 naming what still references the row */
  beforeDelete?(ctx: Ctx, row: Row): Promise<void>;
  toOutput(ctx: Ctx, row: Row): Out;
  /**
   * Columns that render (toOutput, prepareOutput) never reads: lists leave them out, so
   * their rows lack these keys. Reading a wide table's every column costs more than its query.
   */
  notRendered?: readonly (keyof Row & string)[];
  /** loads what toOutput needs for these rows (owner time zones, names) */
  prepareOutput?(ctx: Ctx, rows: Row[]): Promise<void>;
  /**
   * `fields=` down to the SQL: a list asking for some fields reads only their columns
   * (and id, version, the owner), the others are null in its rows. Given for output
   * fields that are not a column of the same name: the columns toOutput reads for them.
   * Absent: lists read every rendered column whatever fields ask for, unless toOutput is
   * pickFields (every field is its column): then as if given, empty.
   */
  fieldColumns?: Partial<Record<string, readonly (keyof Row & string)[]>>;
  events?: { created?: EventSpec; updated?: EventSpec };
}

/** An outbox insert; the id and data may be SQL for an object inserted earlier in the same batch. */
export function eventStatement(ctx: Ctx, ownerId: number, spec: EventSpec, objectId: number | SQL, data: unknown): Statement {
  const builder = () =>
    ctx.db.insert(outboxEvents).values({
      contractOwnerId: ownerId,
      type: spec.type,
      objectType: spec.objectType,
      objectId,
      data: data as Record<string, unknown> | SQL,
      actor: ctx.actor,
      createdAt: ctx.nowIso,
    });
  if (typeof objectId !== 'number' || is(data, SQL)) return builder();
  // data is a JSON column: stored as its text, as the builder stores it
  return preparedWrite(ctx, 'outbox event', () => eventInsert(ctx, sql`${rawPlaceholder('object')}`), eventParams(ctx, ownerId, spec, objectId, data), builder);
}

const eventInsert = (ctx: Ctx, objectId: SQL, data: SQL = sql`${rawPlaceholder('data')}`) =>
  ctx.db.insert(outboxEvents).values({
    contractOwnerId: rawPlaceholder('owner'),
    type: rawPlaceholder('type'),
    objectType: rawPlaceholder('objectType'),
    objectId,
    data,
    actor: rawPlaceholder('actor'),
    createdAt: rawPlaceholder('at'),
  });

function eventParams(ctx: Ctx, ownerId: number, spec: EventSpec, objectId: number | null, data: unknown): Record<string, unknown> {
  return { owner: ownerId, type: spec.type, objectType: spec.objectType, object: objectId, data: JSON.stringify(data), actor: ctx.actor, at: ctx.nowIso };
}

/** An outbox insert for the row the previous statement of the batch inserted (its id is not known yet). */
function eventForLastInsert(ctx: Ctx, ownerId: number, spec: EventSpec, data: unknown): Statement {
  const id = sql`last_insert_rowid()`;
  return preparedWrite(
    ctx,
    'outbox event of the last insert',
    () => eventInsert(ctx, id, sql`json_set(${rawPlaceholder('data')}, '$.id', ${id})`),
    eventParams(ctx, ownerId, spec, null, data),
    () => eventStatement(ctx, ownerId, spec, id, sql`json_set(${JSON.stringify(data)}, '$.id', ${id})`),
  );
}

/** The changed input fields as column values (absent = null). */
export function changedValues(input: object, changed: ReadonlySet<string>): Record<string, unknown> {
  return Object.fromEntries([...changed].map((k) => [k, (input as Record<string, unknown>)[k] ?? null]));
}

/** The property name under which `table` holds `column` (drizzle columns know only their SQL name). */
export function columnKey(table: SQLiteTable, column: SQLiteColumn): string {
  for (const [key, value] of Object.entries(table)) if (value === column) return key;
  throw new Error(`column ${column.name} is not in its table`);
}

/** The property names of a table's columns, in the schema's order, except `leaveOut`. */
export function columnKeys(table: SQLiteTable, leaveOut: readonly string[] = []): string[] {
  return Object.keys(getTableColumns(table)).filter((key) => !leaveOut.includes(key));
}

/** Marks a toOutput whose every field is the row's column of the same name (pickFields): its lists read only the columns `fields` asks for. */
const FIELDS_ARE_COLUMNS = Symbol('fields are columns');

/** toOutput for rows whose public fields are their columns by the same names (a missing one is null). */
export function pickFields<Row extends object>(keys: readonly string[]): (ctx: Ctx, row: Row) => Record<string, unknown> {
  const pick = (_ctx: Ctx, row: Row) => {
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = (row as Record<string, unknown>)[k] ?? null;
    return out;
  };
  return Object.assign(pick, { [FIELDS_ARE_COLUMNS]: true });
}

export function auditOnInsert(ctx: Ctx) {
  return { createdDate: ctx.nowIso, updatedDate: ctx.nowIso, createdBy: ctx.actor, updatedBy: ctx.actor, version: 1 };
}

export function readWhere(tenant: Tenant, ownerColumn: SQLiteColumn, extra: readonly (SQL | undefined)[]): SQL | undefined {
  return and(ownerCondition(tenant, ownerColumn), ...extra);
}

/** Paging, and the list's cap on records (ListQuery's `limit`) where it has one; `count: false` skips the total (-1). */
export type Window = Paging & { limit?: number; count?: boolean };

/**
 * Counts matching rows (at most the list's `limit`), skipping the count query when
 * the page itself tells the total: it read fewer rows than it asked for.
 */
export async function pagedTotal(
  rows: readonly unknown[],
  params: Window,
  countAll: () => Promise<number>,
): Promise<number> {
  const { offset, size } = pageWindow(params);
  if (rows.length > 0 && rows.length < size) return offset + rows.length;
  if (rows.length === 0 && params.page === 1 && size > 0) return 0;
  return cappedTotal(await countAll(), params.limit);
}

interface RowById {
  query: { values(placeholders: { id: number }): Promise<unknown[][]> };
  reader: RowReader<unknown>;
}
const rowByIdQueries = new WeakMap<Db, Map<SQLiteTable, RowById>>();

/**
 * A table's row by id, as a query prepared once per database handle and read as an
 * array (its columns in the table's order, as rowReader expects): building a select of
 * every column costs more than running it, and most writes check two or three references.
 */
async function rowById<Row>(db: Db, table: AnyTable, id: number): Promise<Row | undefined> {
  let queries = rowByIdQueries.get(db);
  if (!queries) rowByIdQueries.set(db, (queries = new Map()));
  let entry = queries.get(table);
  if (!entry) {
    const query = db
      .select()
      .from(table)
      .where(eq(table.id, sql.placeholder('id')))
      .prepare() as unknown as RowById['query'];
    entry = { query, reader: rowReader(table) };
    queries.set(table, entry);
  }
  const [values] = await entry.query.values({ id });
  return values && (entry.reader.read(values) as Row);
}

const tableReaders = new WeakMap<SQLiteTable, RowReader<unknown>>();

function readerOf<Row>(table: SQLiteTable, reader?: RowReader<Row>): RowReader<Row> {
  let read = reader ?? (tableReaders.get(table) as RowReader<Row> | undefined);
  if (!read) tableReaders.set(table, (read = rowReader<Row>(table)));
  return read;
}

/**
 * One page of a table's rows matching `where`, in `orderBy`, and the total
 * (counted only when the page does not tell it): the one list query of every
 * table-backed list. Rows are read with `reader` (every column unless given).
 */
export async function listPage<Row>(
  ctx: Ctx,
  table: SQLiteTable,
  where: SQL | undefined,
  orderBy: readonly SQL[],
  params: Window,
  reader?: RowReader<Row>,
): Promise<ListPage<Row>> {
  const read = readerOf(table, reader);
  const filter = where ? sql` where ${where}` : sql``;
  const { offset, size } = pageWindow(params);
  const values =
    size === 0
      ? []
      : await ctx.db.values(sql`${read.select}${filter} order by ${sql.join([...orderBy], sql`, `)} limit ${size}${offset ? sql` offset ${offset}` : sql``}`);
  const rows = values.map((v) => read.read(v));
  const total = params.count === false ? -1 : await pagedTotal(rows, params, () => countRows(ctx, table, filter));
  return { rows, total };
}

/**
 * Tables whose counts are kept between requests: every table a count of theirs reads
 * raises the owner's list generation on every write (triggers of migration 0007), so a
 * count taken at the same generations is still right. Other tables count every time.
 */
const COUNTS_KEPT = new Set(['customer_contracts']);
/** Counts kept per database (tests open many): by the count's SQL and values, with the generation they were taken at. */
const countCaches = new WeakMap<object, Map<string, { generation: number; total: number }>>();
const COUNT_CACHE_SIZE = 2000;
const countDialect = new SQLiteSyncDialect();

/**
 * `select count(*)` of a list, computed once per filter while the tenant's owners write
 * nothing: the first page of a list counts; the next pages, and the same list asked again,
 * reuse the count until an insert, update or delete of one of the owners' rows raises
 * their generation (one primary-key read per request). A date-relative filter binds the
 * owner's today, so a new day is a new count.
 */
async function countRows(ctx: Ctx, table: SQLiteTable, filter: SQL): Promise<number> {
  const countQuery = sql`select count(*) from ${table}${filter}`;
  const count = async () => (await ctx.db.values<[number]>(countQuery))[0]?.[0] ?? 0;
  const owners = ctx.tenant.owners;
  if (!COUNTS_KEPT.has(getTableName(table)) || (owners !== '*' && owners.length === 0)) return count();
  const g = listGenerations;
  const scope = owners === '*' ? sql`` : sql` where ${owners.length === 1 ? sql`${g.contractOwnerId} = ${owners[0]}` : inList(g.contractOwnerId, owners)}`;
  const [[generation = 0] = []] = await ctx.db.values<[number]>(sql`select coalesce(sum(${g.generation}), 0) from ${g}${scope}`);
  const { sql: text, params } = countDialect.sqlToQuery(countQuery);
  const key = `${text}\u0000${JSON.stringify(params)}`;
  let cache = countCaches.get(ctx.deps.database);
  if (!cache) countCaches.set(ctx.deps.database, (cache = new Map()));
  const kept = cache.get(key);
  if (kept && kept.generation === generation) {
    // most recently used last, so the oldest go first
    cache.delete(key);
    cache.set(key, kept);
    return kept.total;
  }
  const total = await count();
  cache.delete(key);
  if (cache.size >= COUNT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(key, { generation, total });
  return total;
}

/**
 * A keyset page of a table's rows matching `where`: up to `pageSize` rows after the
 * row whose sort keys had the values `after` (null: from the first), in the sort, not
 * counted. The sort keys are read with the rows, so the page tells where the next
 * one starts (`next`, when more rows follow). Reading a large list this way costs
 * the same for every page, where an offset costs more the further it goes.
 */
export async function keysetPage<Row>(
  ctx: Ctx,
  table: SQLiteTable,
  spec: QuerySpec,
  where: SQL | undefined,
  query: Pick<ListQuery, 'sort' | 'pageSize'> & { after: SortValues | null },
  reader?: RowReader<Row>,
): Promise<ListPage<Row>> {
  const read = readerOf(table, reader);
  const keys = sortKeys(spec, query.sort).map((k) => sql`${k.column}`);
  const condition = and(where, query.after ? compileAfter(spec, query.sort, query.after) : undefined);
  // the filters bind at most MAX_FILTER_PARAMETERS, tenancy at most 10, the limit 1, the keyset 2 per key
  if (query.after && keys.length > 4) assertBindable(condition!, 1);
  const values = await ctx.db.values(
    sql`${read.selectWith(keys)}${condition ? sql` where ${condition}` : sql``} order by ${sql.join(compileOrder(spec, query.sort), sql`, `)} limit ${query.pageSize + 1}`,
  );
  const more = values.length > query.pageSize;
  if (more) values.length = query.pageSize;
  const rows = values.map((v) => read.read(v));
  const last = values[values.length - 1];
  return { rows, total: -1, next: more && last ? (last.slice(read.width) as SortValues) : null };
}

/**
 * A list over one table: the rows matching `base` (tenancy, a service's own
 * conditions) and the query's filters, in its sort, one page and the total —
 * or a keyset page when the query continues `after` a row.
 */
export async function queryPage<Row>(
  ctx: Ctx,
  table: SQLiteTable,
  spec: QuerySpec,
  base: readonly (SQL | undefined)[],
  query: ListQuery,
  reader?: RowReader<Row>,
): Promise<ListPage<Row>> {
  const where = and(...base, await compileWhere(ctx, spec, query.where));
  if (query.after !== undefined) return keysetPage(ctx, table, spec, where, { sort: query.sort, pageSize: query.pageSize, after: query.after }, reader);
  return listPage(ctx, table, where, compileOrder(spec, query.sort), query, reader);
}

/** How many rows match `base` and the query's filters. */
export async function queryCount(ctx: Ctx, table: SQLiteTable, spec: QuerySpec, base: readonly (SQL | undefined)[], query: ListQuery): Promise<number> {
  const where = and(...base, await compileWhere(ctx, spec, query.where));
  const [r] = await ctx.db.values<[number]>(sql`select count(*) from ${table}${where ? sql` where ${where}` : sql``}`);
  return r?.[0] ?? 0;
}

/** Whether any row matches `base` and the query's filters (HEAD on a collection). */
export async function queryExists(ctx: Ctx, table: AnyTable, spec: QuerySpec, base: readonly (SQL | undefined)[], query: ListQuery): Promise<boolean> {
  const where = and(...base, await compileWhere(ctx, spec, query.where));
  const rows = await ctx.db.select({ id: table.id }).from(table).where(where).limit(1);
  return rows.length > 0;
}

export function tableService<Row extends BaseRow, Out, In extends object>(
  options: TableServiceOptions<Row, Out, In>,
): ResourceService<Row, Out, In> {
  const { table, ownerColumn } = options;
  const ownerKey = columnKey(table, ownerColumn);
  const listReader = rowReader<Row>(table, options.notRendered);
  const projections = new Map<string, RowReader<Row>>();
  const allColumns = columnKeys(table);
  /** the reader of a list's rows: only the columns its `fields` need, where the service says how */
  const readerFor = (fields: readonly string[] | null): RowReader<Row> => {
    const fieldColumns = options.fieldColumns ?? (FIELDS_ARE_COLUMNS in options.toOutput ? {} : undefined);
    if (!fields || !fieldColumns) return listReader;
    const key = fields.join(',');
    let reader = projections.get(key);
    if (!reader) {
      const needed = new Set<string>(['id', 'version', ownerKey]);
      for (const field of fields) for (const column of fieldColumns[field] ?? [field]) needed.add(column);
      reader = rowReader<Row>(table, allColumns.filter((k) => !needed.has(k)), true);
      // field sets are the clients' choice: keep the first few hundred
      if (projections.size < 500) projections.set(key, reader);
    }
    return reader;
  };

  const base = (ctx: Ctx, query: ListQuery) => [ownerCondition(ctx.tenant, ownerColumn), ...(options.baseWhere?.(ctx, query) ?? [])];

  const service: ResourceService<Row, Out, In> = {
    singular: options.singular,
    query: options.query,
    list: (ctx, query) => queryPage(ctx, table, service.query, base(ctx, query), query, readerFor(query.fields)),
    exists: (ctx, query) => queryExists(ctx, table, service.query, base(ctx, query), query),

    async find(ctx, id) {
      const row = await rowById<Row>(ctx.db, table, id);
      return row && canSee(ctx.tenant, options.ownerOf(row)) ? row : null;
    },

    async render(ctx, rows) {
      await options.prepareOutput?.(ctx, rows);
      return rows.map((row) => options.toOutput(ctx, row));
    },

    async create(ctx, input) {
      // input-only checks first, as update does, so toInsert may rely on them
      checkDateOrder(options.dateOrder, input);
      const columns = await options.toInsert(ctx, input);
      const values = { ...columns, ...auditOnInsert(ctx) };
      const ownerId = (values as Record<string, unknown>)[ownerKey] as number;
      assertMayActFor(ctx.tenant, ownerId);
      const insert = insertReturning<Row>(ctx, table, values);
      const spec = options.events?.created;
      if (!spec) {
        const [row] = (await insert) as Row[];
        return row!;
      }
      const provisional = { ...values, id: 0 } as unknown as Row;
      await options.prepareOutput?.(ctx, [provisional]);
      const data = options.toOutput(ctx, provisional);
      const [rows] = (await ctx.deps.database.batch([insert, eventForLastInsert(ctx, ownerId, spec, data)])) as [Row[]];
      eventsWritten(ctx, [ownerId]);
      return rows[0]!;
    },

    async update(ctx, row, input, changed) {
      checkDateOrder(options.dateOrder, input);
      const changes = options.toUpdate ? await options.toUpdate(ctx, row, input, changed) : changedValues(input, changed);
      return { row: await updateRow(ctx, options, row, changes) };
    },

    async remove(ctx, row) {
      await options.beforeDelete?.(ctx, row);
      const deleted = await ctx.db
        .delete(table)
        .where(and(eq(table.id, row.id), eq(table.version, row.version)))
        .returning({ id: table.id });
      if (deleted.length === 0) throw concurrentChange(options.singular);
    },
  };
  return service;
}

function checkDateOrder(fields: readonly [string, string] | undefined, input: object): void {
  if (!fields) return;
  const values = input as Record<string, string | null | undefined>;
  assertDateOrder(values[fields[0]], values[fields[1]], `/${fields[0]}`, `/${fields[1]}`);
}

export const concurrentChange = (singular: string) =>
  conflict(`The ${singular} was changed by another request; read it again and retry`);

type UpdateOptions<Row extends BaseRow> = Pick<TableServiceOptions<Row, unknown, never>, 'table' | 'singular' | 'events' | 'toOutput' | 'prepareOutput' | 'ownerOf'>;

/**
 * The statements of a guarded update, for a caller that runs several in one batch:
 * the update of `changes` if the row is still at the version that was read, a
 * guard that aborts the batch otherwise (isGuardAbort), then the `updated` event
 * and any `extra` statements. `returning` is the update's index in its batch result.
 */
export async function updateStatements<Row extends BaseRow>(
  ctx: Ctx,
  options: UpdateOptions<Row>,
  row: Row,
  changes: Record<string, unknown>,
  extra: readonly Statement[] = [],
): Promise<{ update: Statement; dependents: Statement[] }> {
  const { table } = options;
  const audit = { version: row.version + 1, updatedDate: ctx.nowIso, updatedBy: ctx.actor };
  const update = updateReturning<Row>(ctx, table, row.id, row.version, { ...changes, ...audit });
  const dependents: Statement[] = [];
  const spec = options.events?.updated;
  if (spec) {
    const next = { ...row, ...changes, ...audit } as Row;
    await options.prepareOutput?.(ctx, [next]);
    dependents.push(eventStatement(ctx, options.ownerOf(row), spec, row.id, options.toOutput(ctx, next)));
  }
  dependents.push(...extra);
  return { update, dependents };
}

/**
 * Writes `changes` if the row is still at the version that was read (else 409).
 * The `updated` event and any `extra` statements run in the same batch, behind a
 * guard, so they never happen without the change.
 */
export async function updateRow<Row extends BaseRow>(
  ctx: Ctx,
  options: UpdateOptions<Row>,
  row: Row,
  changes: Record<string, unknown>,
  extra: readonly Statement[] = [],
): Promise<Row> {
  const { update, dependents } = await updateStatements(ctx, options, row, changes, extra);
  if (dependents.length === 0) {
    const [updated] = (await (update as unknown as Promise<Row[]>)) as Row[];
    if (!updated) throw concurrentChange(options.singular);
    return updated;
  }
  try {
    const [rows] = (await ctx.deps.database.batch([update, abortUnlessChanged(), ...dependents])) as [Row[]];
    // `extra` may hold events too; a delivery run with nothing to send costs one query
    eventsWritten(ctx, [options.ownerOf(row)]);
    return rows[0]!;
  } catch (error) {
    if (isGuardAbort(error)) throw concurrentChange(options.singular);
    throw error;
  }
}

/** 404 unless the tenant may see the row. */
export async function findOr404<Row>(service: ResourceService<Row, unknown, never>, ctx: Ctx, id: number): Promise<Row> {
  const row = await service.find(ctx, id);
  if (!row) throw notFound(`${capitalize(service.singular)} ${id} was not found`);
  return row;
}

export function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export interface Reference {
  table: SQLiteTable;
  column: SQLiteColumn;
  /** plural label for the message, e.g. "sites" */
  label: string;
  /** extra condition, e.g. only active assignments */
  where?: SQL;
}

/** 409 naming how many rows of each kind still reference `id`. */
export async function assertUnreferenced(ctx: Ctx, singular: string, id: number, references: readonly Reference[]): Promise<void> {
  const counts = await Promise.all(
    references.map(async (r) => {
      const [row] = await ctx.db.select({ n: count() }).from(r.table).where(and(eq(r.column, id), r.where));
      return { label: r.label, n: row?.n ?? 0 };
    }),
  );
  const blocking = counts.filter((c) => c.n > 0);
  if (blocking.length) {
    throw conflict(`The ${singular} ${id} is still referenced by ${blocking.map((b) => `${b.n} ${b.label}`).join(', ')}`, {
      references: Object.fromEntries(blocking.map((b) => [b.label, b.n])),
    });
  }
}

/**
 * Loads a referenced object the caller must be able to see. Not found and not
 * visible are the same 404, so another owner's ids reveal nothing.
 */
export async function requireVisible<Row extends { contractOwnerId: number }>(
  ctx: Ctx,
  table: AnyTable,
  id: number,
  field: string,
  label: string,
): Promise<Row> {
  const row = await rowById<Row>(ctx.db, table, id);
  if (!row || !canSee(ctx.tenant, row.contractOwnerId)) throw fieldProblem('not-found', field, `${label} ${id} was not found`);
  return row;
}

/** 422 when a referenced object belongs to another contract owner than the one being written. */
export function assertSameOwner(ownerId: number, referenced: { contractOwnerId: number }, field: string, label: string): void {
  if (referenced.contractOwnerId !== ownerId) throw fieldProblem('business-rule', field, `the ${label} belongs to another contract owner`);
}

/** 400 when an end date is before its start date. */
export function assertDateOrder(start: string | null | undefined, end: string | null | undefined, startField: string, endField: string): void {
  if (start && end && end < start) throw invalidField(endField, `must not be before ${startField.replace(/^\//, '')}`, end);
}

/** The owner a new object is created for: the caller must act for it (403) and it must exist (404). */
export async function requireOwner(ctx: Ctx, ownerId: number, field = '/contractOwnerId'): Promise<OwnerInfo> {
  assertMayActFor(ctx.tenant, ownerId);
  const owner = await ctx.deps.owners.get(ownerId);
  if (!owner) throw fieldProblem('not-found', field, `contract owner ${ownerId} was not found`);
  return owner;
}
