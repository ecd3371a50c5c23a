/**
 * Every statement the app runs on the local driver (the synchronous libsql
 * binding), recorded between startRecording() and stopRecording(), with the
 * connection it ran on, so a test (or bench/plans.ts) can explain its plan there.
 * Installed once, on first import; recording costs nothing while off.
 */
import Sqlite from 'libsql';

export interface Recorded {
  sql: string;
  params: unknown[];
  db: Sqlite.Database;
}

let recording: Recorded[] | null = null;
const SQL_OF = Symbol('sql');
const DB_OF = Symbol('db');

const probe = new Sqlite(':memory:');
const statementProto = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, (...args: unknown[]) => unknown>;
probe.close();
const prepare = Sqlite.prototype.prepare;
Sqlite.prototype.prepare = function (this: Sqlite.Database, text: string) {
  const statement = prepare.call(this, text) as unknown as Record<symbol, unknown>;
  statement[SQL_OF] = text;
  statement[DB_OF] = this;
  return statement as never;
} as typeof Sqlite.prototype.prepare;
for (const method of ['all', 'get', 'run', 'iterate']) {
  const original = statementProto[method]!;
  statementProto[method] = function (this: Record<symbol, unknown>, ...params: unknown[]) {
    if (recording && this[SQL_OF]) recording.push({ sql: this[SQL_OF] as string, params, db: this[DB_OF] as Sqlite.Database });
    return original.apply(this, params);
  };
}

export function startRecording(): void {
  recording = [];
}

/** The statements run since startRecording(), in order; recording stops. */
export function stopRecording(): Recorded[] {
  const statements = recording ?? [];
  recording = null;
  return statements;
}

/** EXPLAIN QUERY PLAN of a recorded statement, on the connection it ran on: the plan's lines. */
export function planOf(s: Recorded): string[] {
  return (s.db.prepare(`explain query plan ${s.sql}`).all(...s.params) as Array<{ detail: string }>).map((row) => row.detail);
}
