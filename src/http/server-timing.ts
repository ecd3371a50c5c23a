/**
 * Server-Timing (hono/timing): `total` for every response, and `db`, the time
 * this request waited on the database. The database is timed where every query
 * passes, drizzle's session (its prepared queries and Database.batch), and the
 * time is added to the request's own account through AsyncLocalStorage (Node;
 * the Worker with the `nodejs_als` compatibility flag), so concurrent requests
 * never see each other's time. Work outside a request (jobs) is not timed.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { MiddlewareHandler } from 'hono';
import { setMetric, timing } from 'hono/timing';
import type { Database } from '../db/client';

interface DbAccount {
  ms: number;
  /** a query inside a timed one (a batch's statements, a prepared query calling another) is not counted twice */
  depth: number;
}

const accounts = new AsyncLocalStorage<DbAccount>();

function timed<T>(work: () => T): T {
  const account = accounts.getStore();
  if (!account || account.depth > 0) return work();
  const started = performance.now();
  account.depth++;
  let result: T;
  try {
    result = work();
  } catch (error) {
    account.depth--;
    account.ms += performance.now() - started;
    throw error;
  }
  if (result && typeof (result as { then?: unknown }).then === 'function' && !('sync' in (result as object))) {
    const settle = () => {
      account.depth--;
      account.ms += performance.now() - started;
    };
    return (result as unknown as Promise<unknown>).then(
      (value) => {
        settle();
        return value;
      },
      (error) => {
        settle();
        throw error;
      },
    ) as T;
  }
  account.depth--;
  account.ms += performance.now() - started;
  return result;
}

const EXECUTIONS = ['run', 'all', 'get', 'values'] as const;
const instrumented = new WeakSet<object>();

type Session = { prepareQuery: (...args: unknown[]) => Record<string, unknown> };

/** Times the database's queries and batches into the current request's account. Idempotent; returns the same database. */
export function timeDatabase(database: Database): Database {
  const session = (database.db as unknown as { session?: Session }).session;
  if (!session || instrumented.has(database)) return database;
  instrumented.add(database);
  const prepare = session.prepareQuery.bind(session);
  session.prepareQuery = (...args: unknown[]) => {
    const query = prepare(...args);
    for (const name of EXECUTIONS) {
      const execute = query[name];
      if (typeof execute === 'function') query[name] = (...params: unknown[]) => timed(() => execute.apply(query, params));
    }
    return query;
  };
  const batch = database.batch.bind(database);
  (database as { batch: Database['batch'] }).batch = (statements) => timed(() => batch(statements));
  return database;
}

/** Server-Timing: total (hono/timing) and db, this request's database time. */
export function serverTiming(): MiddlewareHandler[] {
  return [
    timing({ crossOrigin: false }),
    async (c, next) => {
      const account: DbAccount = { ms: 0, depth: 0 };
      await accounts.run(account, next);
      // to the microsecond: a cached statement on the embedded database takes a few
      setMetric(c, 'db', account.ms, 'database', 3);
    },
  ];
}
