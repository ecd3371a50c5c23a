/**
 * Rows as arrays read into objects (rowReader), and the one-row writes every resource makes — insert a row, update a row at the
 * version that was read — each returning the stored row.
 *
 * On the embedded driver (Node) they run as queries prepared once per table and
 * set of columns: drizzle's builder otherwise rebuilds the same SQL text for every
 * request and maps the returned row through its generic field mapping (measured
 * on POST and PATCH /v1/customer-contracts: a fifth of their CPU). Values are
 * encoded here exactly as the builder encodes them (null stays null, others by
 * the column's mapToDriverValue), and the row is read back with the table's
 * rowReader, as a read by id is. Elsewhere (D1, remote libSQL), and for values
 * that are SQL expressions, the builder's statement is used: on D1 a batch item
 * must be drizzle's own.
 */
import { and, Column, eq, getTableColumns, getTableName, is, SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db, Statement } from './client';
import type { Ctx } from './context';

// biome-ignore lint: drizzle tables are generic over their columns
type AnyTable = SQLiteTable & { id: SQLiteColumn; version: SQLiteColumn; [column: string]: any };

interface PreparedWrite {
  query: { values(placeholders: Record<string, unknown>): unknown };
  reader: RowReader<unknown>;
  encoders: Array<[key: string, encode: ((value: unknown) => unknown) | null]>;
}

/**
 * Whole rows of one table read as arrays and turned into objects here: drizzle's
 * select builder renders every column and maps every value of every row through
 * generic checks, which cost more than the query itself (measured: a third of the
 * CPU of listing a customer's contracts). Values are decoded as drizzle decodes
 * them (JSON, booleans); the rest pass as they are.
 */
export interface RowReader<Row> {
  /** select <every column> from <table> */
  readonly select: SQL;
  /** select <every column>, <extra…> from <table>: the extra values follow the row's (from index `width`) */
  selectWith(extra: readonly SQL[]): SQL;
  /** the number of columns of a row */
  readonly width: number;
  read(values: readonly unknown[]): Row;
}

/** `leaveOut`: columns not read (the row then lacks those keys, or has them as null with `absentAsNull`). */
export function rowReader<Row>(table: SQLiteTable, leaveOut: readonly string[] = [], absentAsNull = false): RowReader<Row> {
  const absent = absentAsNull ? leaveOut.filter((key) => key in getTableColumns(table)) : [];
  const columns = Object.entries(getTableColumns(table)).filter(([key]) => !leaveOut.includes(key));
  const keys = columns.map(([key]) => key);
  const decoders = columns.map(([, column]) =>
    column.mapFromDriverValue === Column.prototype.mapFromDriverValue ? null : (value: unknown) => column.mapFromDriverValue(value),
  );
  const list = columns.map(([, column]) => `"${column.name}"`).join(', ');
  const from = `from "${getTableName(table)}"`;
  return {
    select: sql.raw(`select ${list} ${from}`),
    selectWith: (extra) => sql`${sql.raw(`select ${list}, `)}${sql.join([...extra], sql`, `)} ${sql.raw(from)}`,
    width: keys.length,
    read(values) {
      const row: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i++) {
        const value = values[i] ?? null;
        const decode = decoders[i];
        row[keys[i]!] = value === null || !decode ? value : decode(value);
      }
      for (const key of absent) row[key] = null;
      return row as Row;
    },
  };
}

const prepared = new WeakMap<Db, Map<string, PreparedWrite>>();

/**
 * A write that runs when it is awaited or when the local driver's batch runs it
 * (database.batch calls `_prepare().execute().sync()` on anything that is not raw SQL).
 */
class LocalWrite<Row> implements PromiseLike<Row[]> {
  constructor(private readonly execute: () => Row[]) {}

  _prepare() {
    return { execute: () => ({ sync: () => this.execute() }) };
  }

  // biome-ignore lint/suspicious/noThenProperty: awaited like the builder's statement it stands in for
  then<A = Row[], B = never>(onfulfilled?: ((rows: Row[]) => A | PromiseLike<A>) | null, onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
    return new Promise<Row[]>((resolve) => resolve(this.execute())).then(onfulfilled, onrejected);
  }
}

const placeholder = (name: string) => sql`${sql.placeholder(name)}`;

function encoderOf(column: Column): ((value: unknown) => unknown) | null {
  return column.mapToDriverValue === Column.prototype.mapToDriverValue ? null : (value) => column.mapToDriverValue(value);
}

/**
 * The columns whose values are set, as the builder takes them: undefined leaves a
 * column to its default and a key that is no column is ignored; null (use the
 * builder) if a value is SQL or a column.
 */
function plainKeys(table: AnyTable, values: Record<string, unknown>): string[] | null {
  const columns = getTableColumns(table);
  const keys: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined || !Object.hasOwn(columns, key)) continue;
    if (is(value, SQL) || is(value, Column)) return null;
    keys.push(key);
  }
  return keys.sort();
}

function cached(db: Db, key: string, make: () => PreparedWrite): PreparedWrite {
  let queries = prepared.get(db);
  if (!queries) prepared.set(db, (queries = new Map()));
  let entry = queries.get(key);
  if (!entry) queries.set(key, (entry = make()));
  return entry;
}

function run<Row>(entry: PreparedWrite, values: Record<string, unknown>, extra: Record<string, unknown> = {}): Row[] {
  const params: Record<string, unknown> = { ...extra };
  for (const [key, encode] of entry.encoders) {
    const value = values[key];
    params[`v_${key}`] = value === null || !encode ? value : encode(value);
  }
  return (entry.query.values(params) as unknown[][]).map((row) => entry.reader.read(row) as Row);
}

function encoders(table: AnyTable, keys: readonly string[]): PreparedWrite['encoders'] {
  const columns = getTableColumns(table);
  return keys.map((key) => {
    return [key, encoderOf(columns[key]!)];
  });
}

/** `insert … returning` every column of the new row. */
export function insertReturning<Row>(ctx: Ctx, table: AnyTable, values: Record<string, unknown>): Statement & PromiseLike<Row[]> {
  const keys = ctx.deps.database.kind === 'libsql-local' ? plainKeys(table, values) : null;
  if (!keys) return ctx.db.insert(table).values(values).returning() as unknown as Statement & PromiseLike<Row[]>;
  const entry = cached(ctx.db, `insert ${getTableName(table)} ${keys.join(',')}`, () => ({
    query: ctx.db
      .insert(table)
      .values(Object.fromEntries(keys.map((key) => [key, placeholder(`v_${key}`)])))
      .returning()
      .prepare() as unknown as PreparedWrite['query'],
    reader: rowReader(table),
    encoders: encoders(table, keys),
  }));
  return new LocalWrite(() => run<Row>(entry, values)) as unknown as Statement & PromiseLike<Row[]>;
}

/** `update … set changes where id = ? and version = ? returning` every column (no row: the version moved on). */
export function updateReturning<Row>(
  ctx: Ctx,
  table: AnyTable,
  id: number,
  version: number,
  changes: Record<string, unknown>,
): Statement & PromiseLike<Row[]> {
  const keys = ctx.deps.database.kind === 'libsql-local' ? plainKeys(table, changes) : null;
  if (!keys) {
    return ctx.db
      .update(table)
      .set(changes)
      .where(and(eq(table.id, id), eq(table.version, version)))
      .returning() as unknown as Statement & PromiseLike<Row[]>;
  }
  const entry = cached(ctx.db, `update ${getTableName(table)} ${keys.join(',')}`, () => ({
    query: ctx.db
      .update(table)
      .set(Object.fromEntries(keys.map((key) => [key, placeholder(`v_${key}`)])))
      .where(and(eq(table.id, placeholder('id')), eq(table.version, placeholder('version'))))
      .returning()
      .prepare() as unknown as PreparedWrite['query'],
    reader: rowReader(table),
    encoders: encoders(table, keys),
  }));
  return new LocalWrite(() => run<Row>(entry, changes, { id, version })) as unknown as Statement & PromiseLike<Row[]>;
}

type RunnableQuery = { run(placeholders: Record<string, unknown>): unknown };
const preparedRuns = new WeakMap<Db, Map<string, RunnableQuery>>();

/**
 * A write without a result, prepared once per database handle under `key` by
 * `build` (its SQL holding placeholders), run with `params`, on the embedded
 * driver; elsewhere the builder's statement `fallback()`. Params go to the
 * driver as they are: raw placeholders (sql.placeholder inside sql``) are not
 * encoded by a column.
 */
export function preparedWrite(
  ctx: Ctx,
  key: string,
  build: () => { prepare(): unknown },
  params: Record<string, unknown>,
  fallback: () => Statement,
): Statement {
  if (ctx.deps.database.kind !== 'libsql-local') return fallback();
  let queries = preparedRuns.get(ctx.db);
  if (!queries) preparedRuns.set(ctx.db, (queries = new Map()));
  let query = queries.get(key);
  if (!query) queries.set(key, (query = build().prepare() as RunnableQuery));
  const runnable = query;
  return new LocalWrite(() => {
    runnable.run(params);
    return [];
  }) as unknown as Statement;
}

/** A raw placeholder: its value goes to the driver unencoded. */
export const rawPlaceholder = placeholder;
