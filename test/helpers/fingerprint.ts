/**
 * A fingerprint of the database, to show a request wrote nothing: per table of
 * the schema, its row count and every row's every column — one query, on both
 * runtimes (the test databases are small). With an owner, only that owner's rows (by
 * `contract_owner_id`, or an `owners` list); tables with neither are left out.
 */
import { getTableColumns, getTableName, is, sql } from 'drizzle-orm';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Database } from '../../src/db/client';
import * as schema from '../../src/db/schema';

const tables: SQLiteTable[] = (Object.values(schema) as unknown[]).filter((value): value is SQLiteTable => is(value, SQLiteTable));

function quoted(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** One row, one column per table (D1 allows few compound SELECT terms, and 100 columns). */
function query(ownerId?: number): string {
  const columns = tables.map((table) => {
    const name = getTableName(table);
    const names = Object.values(getTableColumns(table)).map((c) => c.name);
    let where = '';
    if (ownerId !== undefined) {
      const id = Number(ownerId);
      if (names.includes('contract_owner_id')) where = ` where contract_owner_id = ${id}`;
      else if (name === 'contract_owners') where = ` where id = ${id}`;
      else if (names.includes('owners')) where = ` where exists (select 1 from json_each(owners) where value = ${id})`;
      else return `'-' as ${quoted(name)}`;
    }
    const rows = `json_group_array(json_array(${['row_number', ...names].map(quoted).join(', ')}))`;
    return `(select count(*) || ' ' || ${rows} from (select rowid as row_number, * from ${quoted(name)}${where} order by rowid)) as ${quoted(name)}`;
  });
  return `select ${columns.join(', ')}`;
}

/** Per table: its row count and every column of every row (compared whole; shown by `changedTables`). */
export type Fingerprint = Record<string, string>;

export async function fingerprint(database: Database, ownerId?: number): Promise<Fingerprint> {
  const [row] = await database.db.all<Fingerprint>(sql.raw(query(ownerId)));
  return row!;
}

/** The tables whose rows differ, with their row counts before and after: empty when nothing was written. */
export function changedTables(before: Fingerprint, after: Fingerprint): string[] {
  const count = (value: string | undefined) => value?.slice(0, value.indexOf(' ')) ?? '-';
  return Object.keys({ ...before, ...after })
    .filter((table) => before[table] !== after[table])
    .map((table) => `${table} (${count(before[table])} → ${count(after[table])} rows)`);
}
