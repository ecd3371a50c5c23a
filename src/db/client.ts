/**
 * The one place that knows which SQLite driver is underneath. Everything above
 * uses `Database`: a drizzle handle typed as async (awaiting a query works on
 * every driver) and `batch`, the only way to write atomically — D1 has no
 * interactive transactions, so every multi-statement write is one batch, which
 * is a transaction on all three drivers.
 */
import type { BatchItem } from 'drizzle-orm/batch';
import { is, SQL, sql } from 'drizzle-orm';
import type { BaseSQLiteDatabase, SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type * as schema from './schema';

export type Db = BaseSQLiteDatabase<'async', unknown, typeof schema>;
/** A drizzle query builder, or raw SQL (which `db.run` would execute at once on the sync driver). */
export type Statement = BatchItem<'sqlite'> | SQL;
export type DriverKind = 'd1' | 'libsql-local' | 'libsql-remote';

export interface Database {
  readonly db: Db;
  readonly kind: DriverKind;
  /** Runs the statements in order as one transaction; all or nothing. Results follow drizzle's batch shapes. */
  batch(statements: readonly Statement[]): Promise<unknown[]>;
  close(): Promise<void>;
}

/** For async drivers: raw SQL becomes a `db.run` item so drizzle's batch accepts it. */
export function toBatchItems(db: Db, statements: readonly Statement[]): [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]] {
  return statements.map((s) => (is(s, SQL) ? db.run(s) : s)) as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]];
}

/**
 * Aborts (and so rolls back) the batch when the previous statement changed no
 * row: statements that depend on a guarded write never run without it. SQLite
 * evaluates the CASE lazily, so json() fails only when nothing changed.
 */
export function abortUnlessChanged(): SQL;
/** …or unless it changed exactly `rows` rows (a set-based write that must touch every row it names). */
export function abortUnlessChanged(rows: number): SQL;
export function abortUnlessChanged(rows?: number): SQL {
  if (rows === undefined) return sql`select case when changes() = 0 then json('tenor: guarded write changed nothing') end`;
  return sql`select case when changes() <> ${rows} then json('tenor: guarded write changed too few rows') end`;
}

/**
 * Reserves `count` ids of an AUTOINCREMENT table by advancing its counter in one
 * atomic statement, so a batch can insert rows (and rows that refer to them) with
 * known ids. Concurrent callers get disjoint ranges; ordinary inserts continue
 * after the range. Returns the first id. `table` is a table name of the schema.
 */
export async function reserveIds(db: Db, table: string, count: number): Promise<number> {
  const name = sql.identifier(table);
  for (let attempt = 0; attempt < 2; attempt++) {
    const [row] = await db.all<{ seq: number }>(
      sql`update sqlite_sequence set seq = max(seq, coalesce((select max(id) from ${name}), 0)) + ${count}
        where name = ${table} returning seq`,
    );
    if (row) return row.seq - count + 1;
    // the counter row appears with the table's first insert; create it if there never was one
    await db.run(
      sql`insert into sqlite_sequence (name, seq) select ${table}, coalesce(max(id), 0) from ${name}
        where not exists (select 1 from sqlite_sequence where name = ${table})`,
    );
  }
  throw new Error(`could not reserve ids of ${table}`);
}

export function isGuardAbort(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const message = (current as { message?: unknown }).message;
    if (typeof message === 'string' && /malformed JSON/i.test(message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Rows changed by a write statement's batch result, whichever driver produced it. On D1 this includes the rows its triggers wrote (list
 * generations, migration 0007): count a table without triggers, or the rows a query builder's `returning` gives back, where it matters.
 */
export function changesOf(result: unknown): number {
  const r = result as { changes?: number; rowsAffected?: number; meta?: { changes?: number } };
  return r.changes ?? r.rowsAffected ?? r.meta?.changes ?? 0;
}

/**
 * `column in (values)` binding the whole list as ONE JSON parameter, so no list —
 * filter values, a token's owners — can push a statement past D1's limit, however
 * many lists a query combines.
 */
export function inList(column: SQLiteColumn | SQL, values: readonly (number | string)[]): SQL {
  const distinct = [...new Set(values)];
  // a short list binds its values (the cheapest plan); a longer one travels as one JSON value
  if (distinct.length <= 10) return sql`${column} in ${distinct}`;
  return inJsonList(column, distinct);
}

/** `column in (values)` with the list always bound as one JSON parameter: for expressions a statement repeats. */
export function inJsonList(column: SQLiteColumn | SQL, values: readonly (number | string)[]): SQL {
  return sql`${column} in (select value from json_each(${JSON.stringify([...new Set(values)])}))`;
}

/** Unwraps drizzle's query error to the driver's error (its `code`/`message` name the constraint). */
export function driverError(error: unknown): { code: string; message: string } | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const e = current as { code?: unknown; message?: unknown; cause?: unknown };
    const message = typeof e.message === 'string' ? e.message : '';
    const code = typeof e.code === 'string' ? e.code : '';
    if (/constraint failed/i.test(message) || code.startsWith('SQLITE_CONSTRAINT')) {
      return { code: code || constraintCode(message), message };
    }
    current = e.cause;
  }
  return null;
}

function constraintCode(message: string): string {
  if (/UNIQUE constraint failed/i.test(message)) return 'SQLITE_CONSTRAINT_UNIQUE';
  if (/FOREIGN KEY constraint failed/i.test(message)) return 'SQLITE_CONSTRAINT_FOREIGNKEY';
  if (/NOT NULL constraint failed/i.test(message)) return 'SQLITE_CONSTRAINT_NOTNULL';
  if (/CHECK constraint failed/i.test(message)) return 'SQLITE_CONSTRAINT_CHECK';
  return 'SQLITE_CONSTRAINT';
}

export function isUniqueViolation(error: unknown, indexOrColumn?: string): boolean {
  const e = driverError(error);
  if (!e || !/UNIQUE|PRIMARYKEY/.test(e.code) && !/UNIQUE constraint/i.test(e.message)) return false;
  return indexOrColumn === undefined || e.message.includes(indexOrColumn);
}
