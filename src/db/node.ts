/**
 * Node drivers. A local file (or `:memory:`) is opened with the `libsql`
 * package's synchronous API — the same engine, 2–3× faster than
 * `@libsql/client` on a local file — behind drizzle's better-sqlite3 session,
 * which accepts its Database. Remote `libsql://`/`https://` URLs use
 * `@libsql/client`.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@libsql/client';
import { BetterSQLiteSession } from 'drizzle-orm/better-sqlite3/session';
import { migrate as migrateSync } from 'drizzle-orm/better-sqlite3/migrator';
import { drizzle as drizzleRemote } from 'drizzle-orm/libsql';
import { migrate as migrateRemote } from 'drizzle-orm/libsql/migrator';
import { BaseSQLiteDatabase, SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import Sqlite from 'libsql';
import { type Database, type Db, type Statement, toBatchItems } from './client';
import { is, SQL, sql } from 'drizzle-orm';

/**
 * The checkout's `migrations/` folder: the nearest one above this module, so it is
 * found from src/db/ (tsx, tests) and from the bundle `npm start` runs in dist/.
 */
function findMigrationsFolder(moduleFolder: string): string {
  for (let folder = moduleFolder; ; folder = dirname(folder)) {
    const candidate = join(folder, 'migrations');
    if (existsSync(join(candidate, 'meta', '_journal.json'))) return candidate;
    if (dirname(folder) === folder) throw new Error(`no migrations/ folder above ${moduleFolder}`);
  }
}

export const MIGRATIONS_FOLDER = findMigrationsFolder(dirname(fileURLToPath(import.meta.url)));

interface PreparableStatement {
  _prepare(): { execute(): { sync(): unknown } };
}

export type LocalClient = Sqlite.Database;

/**
 * The raw synchronous libSQL connection with Tenor's settings, for tools that
 * write or read in bulk with plain SQL (the benchmark's seed and floors).
 */
export function openLocalClient(url: string): LocalClient {
  const path = localPath(url);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const client = new Sqlite(path);
  client.pragma('foreign_keys = ON');
  if (path !== ':memory:') {
    client.pragma('journal_mode = WAL');
    client.pragma('synchronous = NORMAL');
    client.pragma('busy_timeout = 10000');
  }
  return client;
}

/** Compiled statements kept per connection; the app's queries come in far fewer shapes than this. */
const STATEMENT_CACHE_LIMIT = 500;

type StatementCall = 'all' | 'get' | 'run';

/**
 * A compiled statement used again by later queries of the same SQL. Each kind of
 * call keeps its own compiled statement: after `all`, libSQL leaves the statement
 * unreset, and a following `get` on it runs with the previous parameters. Drizzle
 * switches a statement to array rows (`raw()`) for selects it maps itself and
 * expects object rows otherwise, so each call also sets the row mode it needs.
 */
class ReusableStatement {
  private readonly compiled = new Map<StatementCall, { statement: Sqlite.Statement; rawRows: boolean }>();
  private readonly rawCalls = {
    all: (...params: unknown[]) => this.statement('all', true).all(...params),
    get: (...params: unknown[]) => this.statement('get', true).get(...params),
  };

  constructor(
    private readonly client: Sqlite.Database,
    private readonly sqlText: string,
  ) {}

  private statement(call: StatementCall, rawRows: boolean): Sqlite.Statement {
    let entry = this.compiled.get(call);
    if (!entry) {
      entry = { statement: this.client.prepare(this.sqlText), rawRows: false };
      this.compiled.set(call, entry);
    }
    if (entry.rawRows !== rawRows) {
      entry.statement.raw(rawRows);
      entry.rawRows = rawRows;
    }
    return entry.statement;
  }

  raw(): typeof this.rawCalls {
    return this.rawCalls;
  }

  all(...params: unknown[]): unknown[] {
    return this.statement('all', false).all(...params);
  }

  get(...params: unknown[]): unknown {
    return this.statement('get', false).get(...params);
  }

  run(...params: unknown[]): unknown {
    return this.statement('run', false).run(...params);
  }
}

/**
 * The connection as drizzle's session sees it, with statements cached by their
 * SQL: compiling one cost more than running it (measured: a tenth of the CPU of
 * listing a customer's contracts). Least recently used statements go first.
 */
function cachingConnection(client: Sqlite.Database) {
  const statements = new Map<string, ReusableStatement>();
  return {
    prepare(sqlText: string): ReusableStatement {
      let statement = statements.get(sqlText);
      if (statement) {
        statements.delete(sqlText);
      } else {
        statement = new ReusableStatement(client, sqlText);
        if (statements.size >= STATEMENT_CACHE_LIMIT) statements.delete(statements.keys().next().value!);
      }
      statements.set(sqlText, statement);
      return statement;
    },
  };
}

/** Opens `file:path`, `path` or `:memory:` with the synchronous libSQL driver. */
export function openLocalDatabase(url: string): Database {
  const client = openLocalClient(url);
  const dialect = new SQLiteSyncDialect();
  const session = new BetterSQLiteSession(cachingConnection(client) as never, dialect, undefined, {});
  const db = new BaseSQLiteDatabase('sync', dialect, session as never, undefined) as unknown as Db;
  return {
    db,
    kind: 'libsql-local',
    async batch(statements: readonly Statement[]) {
      // Runs synchronously from BEGIN to COMMIT: no await in between, so no other
      // request's statement can slip into this transaction on the shared connection.
      client.exec('BEGIN IMMEDIATE');
      try {
        const results = statements.map((s) =>
          is(s, SQL) ? session.run(s) : (s as unknown as PreparableStatement)._prepare().execute().sync(),
        );
        client.exec('COMMIT');
        return results;
      } catch (error) {
        if (client.inTransaction) client.exec('ROLLBACK');
        throw error;
      }
    },
    async close() {
      client.close();
    },
  };
}

function openRemoteDatabase(url: string, authToken?: string): Database {
  const client = createClient({ url, ...(authToken ? { authToken } : {}) });
  const db = drizzleRemote(client);
  return {
    db: db as unknown as Db,
    kind: 'libsql-remote',
    async batch(statements: readonly Statement[]) {
      if (statements.length === 0) return [];
      return db.batch(toBatchItems(db as unknown as Db, statements));
    },
    async close() {
      client.close();
    },
  };
}

/** The file of a local database URL: `file:path`, `path` or `:memory:`. */
export function localPath(url: string): string {
  return url.startsWith('file:') ? url.slice('file:'.length) : url;
}

export function isRemoteUrl(url: string): boolean {
  return /^(libsql|https?|wss?):\/\//.test(url);
}

export function openDatabase(url: string, authToken?: string): Database {
  return isRemoteUrl(url) ? openRemoteDatabase(url, authToken) : openLocalDatabase(url);
}

/** Rows ANALYZE reads per index: approximate statistics in milliseconds, however large the file. */
const ANALYSIS_LIMIT = 1000;

/**
 * Refreshes the query planner's statistics (sqlite_stat1). Without them SQLite
 * cannot tell an owner's 10,000 contracts from a customer's 10 and may walk the
 * owner's index instead of the customer's (measured on 100,000 contracts: 6 ms
 * instead of 0.05 ms per list of a customer's contracts). The Node server runs
 * it on start.
 */
export async function analyzeDatabase(database: Database): Promise<void> {
  await database.batch([sql.raw(`pragma analysis_limit = ${ANALYSIS_LIMIT}`), sql.raw('analyze')]);
}

/** Applies every pending migration of `migrations/` (drizzle-kit output). */
export async function migrateDatabase(database: Database, migrationsFolder = MIGRATIONS_FOLDER): Promise<void> {
  if (database.kind === 'libsql-remote') {
    await migrateRemote(database.db as never, { migrationsFolder });
  } else {
    migrateSync(database.db as never, { migrationsFolder });
  }
}
