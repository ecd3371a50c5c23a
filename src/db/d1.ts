import type { D1Database, D1DatabaseSession, D1PreparedStatement, D1Result } from '@cloudflare/workers-types/latest';
import { is, SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';
import type { Database, Db, Statement } from './client';

interface PreparedForBatch {
  getQuery(): { sql: string; params: unknown[] };
  mapResult(result: unknown, isFromBatch: boolean): unknown;
}

/** Counts the queries run (D1 allows 1,000 per invocation): each statement, batched or not. */
export interface QueryCounter {
  queries: number;
}

/**
 * A database over a D1 binding, or over a session of one (`withSession`: reads may be served by a
 * replica; drizzle needs only prepare and batch, which a session has).
 */
export function d1Database(binding: D1Database | D1DatabaseSession, counter?: QueryCounter): Database {
  const db = drizzle(binding as D1Database, counter ? { logger: { logQuery: () => void (counter.queries += 1) } } : {});
  const dialect = new SQLiteAsyncDialect();
  return {
    db: db as unknown as Db,
    kind: 'd1',
    /**
     * One D1 batch (a transaction). Built here rather than by drizzle's batch,
     * which cannot bind raw SQL statements that carry parameters.
     */
    async batch(statements: readonly Statement[]) {
      if (statements.length === 0) return [];
      const items = statements.map((s) => {
        if (is(s, SQL)) {
          const q = dialect.sqlToQuery(s);
          return { stmt: binding.prepare(q.sql).bind(...q.params), map: (r: D1Result) => r };
        }
        const prepared = (s as unknown as { _prepare(): PreparedForBatch })._prepare();
        const q = prepared.getQuery();
        return { stmt: binding.prepare(q.sql).bind(...q.params), map: (r: D1Result) => prepared.mapResult(r, true) };
      });
      if (counter) counter.queries += items.length;
      const results = await binding.batch(items.map((i) => i.stmt as D1PreparedStatement));
      return results.map((r, i) => items[i]!.map(r));
    },
    async close() {},
  };
}
