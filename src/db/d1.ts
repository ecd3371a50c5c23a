import type { D1Database } from '@cloudflare/workers-types/latest';
import { drizzle } from 'drizzle-orm/d1';
import { type Database, type Db, type Statement, toBatchItems } from './client';

export function d1Database(binding: D1Database): Database {
  const db = drizzle(binding);
  return {
    db: db as unknown as Db,
    kind: 'd1',
    async batch(statements: readonly Statement[]) {
      if (statements.length === 0) return [];
      return db.batch(toBatchItems(db as unknown as Db, statements));
    },
    async close() {},
  };
}
