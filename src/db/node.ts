/**
 * Node drivers. A local file (or `:memory:`) is opened with the `libsql`
 * package's synchronous API — the same engine, 2–3× faster than
 * `@libsql/client` on a local file — behind drizzle's better-sqlite3 session,
 * which accepts its Database. Remote `libsql://`/`https://` URLs use
 * `@libsql/client`.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
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

/** SQLite's page cache per connection (KiB); it counts in the server's RSS */
const PAGE_CACHE_KIB = 8 * 1024;

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
    // first: switching to WAL takes a lock, and another process (the server, a seed) may hold it
    client.pragma('busy_timeout = 10000');
    client.pragma('journal_mode = WAL');
    client.pragma('synchronous = NORMAL');
    // a batch of usage records inserts at random places in several indexes: with SQLite's default
    // 2 MiB page cache most of its CPU went on reading index pages back (measured on 100,000
    // contracts: 26 → 19 ms per 1,000 records inserted; 16 MiB did no better in the benchmark).
    // Checkpoints stay at SQLite's default (1,000 pages): a longer WAL sped up the rollover but
    // cost the server memory.
    client.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  }
  return client;
}

/** Prepared statements kept per connection, by SQL text (the least recently used go first). */
const STATEMENT_CACHE_SIZE = 500;

/** A prepared statement in the cache, with the raw mode it was last set to. */
interface CachedStatement {
  readonly statement: Sqlite.Statement;
  raw: boolean;
}

/**
 * A cached statement as drizzle's session uses it. Preparing costs as much as
 * running a small write (measured: about a third of a contract insert's database
 * time), and the query builders produce the same SQL text for every request of
 * a kind. Raw (array) mode is the caller's, set on every call: the native
 * statement is shared by everyone who prepares the same text. Setting it is a
 * native call of about 3 µs (a fifth of reading a contract by id), so it is made
 * only when the mode changes.
 */
class SharedStatement {
  private rawMode = false;
  constructor(private readonly cached: CachedStatement) {}

  raw(raw?: boolean): this {
    this.rawMode = raw ?? true;
    return this;
  }

  private inMode(): Sqlite.Statement {
    const { cached } = this;
    if (cached.raw !== this.rawMode) {
      cached.statement.raw(this.rawMode);
      cached.raw = this.rawMode;
    }
    return cached.statement;
  }

  run(...params: unknown[]) {
    return this.cached.statement.run(...params);
  }

  /**
   * The first row, read by running the statement to its end: libsql's own get() leaves the
   * statement active, and a cached statement left active keeps its read snapshot open for
   * good, so this connection would stop seeing other connections' writes.
   */
  get(...params: unknown[]) {
    return this.inMode().all(...params)[0];
  }

  all(...params: unknown[]) {
    return this.inMode().all(...params);
  }
}

/** What drizzle's better-sqlite3 session needs of a connection: prepare, from the cache. */
function cachingPreparer(client: LocalClient) {
  const cache = new Map<string, CachedStatement>();
  return {
    prepare(text: string): SharedStatement {
      let cached = cache.get(text);
      if (cached) {
        cache.delete(text);
      } else {
        // a new statement is not raw
        cached = { statement: client.prepare(text), raw: false };
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      cache.set(text, cached);
      return new SharedStatement(cached);
    },
  };
}

/** WAL pages after which a commit checkpoints itself when the background checkpointer falls behind */
const FALLBACK_AUTOCHECKPOINT_PAGES = 20_000;
const CHECKPOINT_INTERVAL_MS = 500;

/**
 * Checkpoints off the request path: SQLite's default copies the WAL back into the file
 * (1,000 pages and an fsync, 30–130 ms on the benchmark's machine) inside the commit that
 * crosses the threshold — about one contract insert in 55. A worker thread with its own
 * connection runs a PASSIVE checkpoint (never blocks a writer) twice a second instead;
 * commits checkpoint themselves only if the WAL grows past FALLBACK_AUTOCHECKPOINT_PAGES.
 * Returns a stop function.
 */
function checkpointInBackground(client: LocalClient, path: string): () => Promise<void> {
  client.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
  const code = `
    const { workerData, parentPort } = require('node:worker_threads');
    const Sqlite = require(workerData.libsql);
    const db = new Sqlite(workerData.path);
    db.pragma('busy_timeout = 1000');
    const timer = setInterval(() => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} }, workerData.interval);
    parentPort.on('message', () => { clearInterval(timer); try { db.close(); } catch {} parentPort.close(); });
  `;
  const worker = new Worker(code, {
    eval: true,
    workerData: { path, interval: CHECKPOINT_INTERVAL_MS, libsql: createRequire(import.meta.url).resolve('libsql') },
  });
  worker.unref();
  return async () => {
    // referenced while it stops: a close awaited at the end of a script must keep the process alive until it is done
    worker.ref();
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage('stop');
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, 1000)))]);
    clearTimeout(timer);
    await worker.terminate();
  };
}

/**
 * Opens `file:path`, `path` or `:memory:` with the synchronous libSQL driver. A file
 * is checkpointed by a background thread unless `backgroundCheckpoints` is false.
 */
export function openLocalDatabase(url: string, options: { backgroundCheckpoints?: boolean } = {}): Database {
  const client = openLocalClient(url);
  const path = localPath(url);
  const stopCheckpoints = path !== ':memory:' && options.backgroundCheckpoints !== false ? checkpointInBackground(client, path) : null;
  const dialect = new SQLiteSyncDialect();
  const session = new BetterSQLiteSession(cachingPreparer(client) as never, dialect, undefined, {});
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
      await stopCheckpoints?.();
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

/** How often the Node server refreshes the planner's statistics while it runs. */
export const OPTIMIZE_INTERVAL_MS = 6 * 3600_000;

/**
 * Keeps the planner's statistics fresh without a full ANALYZE: `PRAGMA optimize`
 * re-analyses only the tables whose size changed a lot since they were last analysed
 * (with the same row limit as analyzeDatabase). The Node server runs it on a timer
 * and at shutdown, never on a request's path. The list indexes do not depend on it
 * (test/node/list-plans.test.ts checks their plans with and without statistics).
 */
export async function optimizeDatabase(database: Database): Promise<void> {
  if (database.kind === 'libsql-remote') return;
  await database.batch([sql.raw(`pragma analysis_limit = ${ANALYSIS_LIMIT}`), sql.raw('pragma optimize')]);
}

/** Applies every pending migration of `migrations/` (drizzle-kit output). */
export async function migrateDatabase(database: Database, migrationsFolder = MIGRATIONS_FOLDER): Promise<void> {
  if (database.kind === 'libsql-remote') {
    await migrateRemote(database.db as never, { migrationsFolder });
  } else {
    migrateSync(database.db as never, { migrationsFolder });
  }
}
