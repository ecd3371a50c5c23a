/**
 * Month-end on the Worker, locally: seeds due contracts into the local D1 files
 * of `wrangler dev` (DB, and with --shards 2 the shard DB_SHARD_1 as well, one
 * owner each), starts `wrangler dev --test-scheduled` (workerd, local D1, local
 * queues), fires the hourly trigger once, and waits until every database's job
 * run has finished. Prints the time, the queue consumer's invocations and the
 * most D1 queries one of them ran, and checks every chain (exactly once,
 * assignments on current contracts).
 *
 *   npx tsx bench/edge-month-end.ts --due 20000 [--shards 2] [--dir /tmp/tenor-edge] [--port 8799]
 */
import { spawn, execFileSync } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { openLocalDatabase } from '../src/db/node';
import { checkChains, insertDueContracts } from '../test/helpers/due-contracts';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1]! : fallback;
}

const due = Number(arg('--due', '20000'));
const shards = Number(arg('--shards', '1'));
const dir = arg('--dir', '/tmp/tenor-edge');
const port = arg('--port', '8799');
const SHARD_OWNER_BASE = 900000;

function sqliteFiles(): string[] {
  const d1 = path.join(dir, 'v3/d1/miniflare-D1DatabaseObject');
  try {
    return readdirSync(d1).filter((f) => f.endsWith('.sqlite')).map((f) => path.join(d1, f));
  } catch {
    return [];
  }
}

function migrate(binding: string): string {
  const before = new Set(sqliteFiles());
  execFileSync('npx', ['wrangler', 'd1', 'migrations', 'apply', binding, '--local', '--persist-to', dir], { stdio: 'ignore', env: { ...process.env, CI: '1' } });
  const file = sqliteFiles().find((f) => !before.has(f));
  if (!file) throw new Error(`no local database file appeared for ${binding}`);
  return file;
}

function monthsAgo(back: number): string {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - back, 1)).toISOString().slice(0, 10);
}

rmSync(dir, { recursive: true, force: true });
const files: Record<string, string> = { DB: migrate('DB') };
if (shards > 1) files.DB_SHARD_1 = migrate('DB_SHARD_1');
const owners: Record<string, number> = {};
let seedMs = Date.now();
for (const [binding, file] of Object.entries(files)) {
  const database = openLocalDatabase(`file:${file}`);
  if (binding !== 'DB') {
    await database.db.run(sql`insert into sqlite_sequence (name, seq) values ('contract_owners', ${SHARD_OWNER_BASE})`);
  }
  owners[binding] = (await insertDueContracts(database, due, monthsAgo(1))).ownerId;
  await database.close();
}
seedMs = Date.now() - seedMs;
console.log(`seeded ${due.toLocaleString('en')} due contracts in each of ${Object.keys(files).join(', ')} (${(seedMs / 1000).toFixed(1)} s)`);

const shardMap = shards > 1 ? { DB_SHARD_1: [owners.DB_SHARD_1] } : {};
const logFile = path.join(dir, 'wrangler-dev.log');
const log = createWriteStream(logFile);
const dev = spawn(
  'npx',
  ['wrangler', 'dev', '--test-scheduled', '--persist-to', dir, '--port', port, '--var', `SHARDS:${JSON.stringify(shardMap)}`,
    '--var', 'JWT_SECRET:edge-bench-secret-at-least-32-bytes-long', '--var', 'LOG_REQUESTS:false'],
  { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, CI: '1' } },
);
dev.stdout.pipe(log);
dev.stderr.pipe(log);
const stop = () => {
  try {
    process.kill(-dev.pid!, 'SIGTERM');
  } catch {}
};
process.on('exit', stop);

const base = `http://127.0.0.1:${port}`;
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${base}/health`)).ok) break;
  } catch {}
  if (i > 240) throw new Error(`wrangler dev did not start (see ${logFile})`);
  await new Promise((r) => setTimeout(r, 500));
}

const started = Date.now();
const trigger = await fetch(`${base}/__scheduled?cron=${encodeURIComponent('0 * * * *')}`);
console.log(`trigger: ${trigger.status}`);

const readers = Object.fromEntries(Object.entries(files).map(([b, f]) => [b, openLocalDatabase(`file:${f}`)]));
const finished: Record<string, number> = {};
const runs: Record<string, Record<string, unknown>> = {};
while (Object.keys(finished).length < Object.keys(files).length) {
  await new Promise((r) => setTimeout(r, 1000));
  for (const [binding, database] of Object.entries(readers)) {
    if (finished[binding]) continue;
    const [run] = await database.db.all<Record<string, unknown>>(sql`select id, outcome, renewed, errors, started_at, finished_at from job_runs order by id desc limit 1`);
    if (run && run.outcome !== 'RUNNING') {
      finished[binding] = Date.now() - started;
      runs[binding] = run;
    }
  }
  if (Date.now() - started > 60 * 60_000) throw new Error('not finished within an hour');
}
// let the last deliveries' log lines arrive
await new Promise((r) => setTimeout(r, 2000));
stop();

const lines = readFileSync(logFile, 'utf8').split('\n');
const batches = lines.flatMap((l) => {
  const at = l.indexOf('{"level"');
  if (at < 0) return [];
  try {
    return [JSON.parse(l.slice(at)) as Record<string, any>];
  } catch {
    return [];
  }
});
const work = batches.filter((b) => b.msg === 'work batch');
const scheduledLines = batches.filter((b) => b.msg === 'scheduled invocation');
const maxQueries = Math.max(0, ...work.map((b) => b.queries as number));
const failed = batches.filter((b) => b.msg === 'work item failed').length;
console.log(`consumer invocations: ${work.length}, items run: ${work.reduce((n, b) => n + b.ran, 0)}, most queries in one: ${maxQueries}, failed attempts: ${failed}`);
console.log(`scheduled invocation queries: ${scheduledLines.map((b) => b.queries).join(', ')}`);
for (const [binding, database] of Object.entries(readers)) {
  const check = await checkChains(database, owners[binding]!);
  console.log(
    `${binding}: run ${JSON.stringify(runs[binding])} finished ${(finished[binding]! / 1000).toFixed(1)} s after the trigger; ` +
      `renewals ${check.renewals}, problems ${check.problems.length}, active assignments ${check.activeAssignments} (${check.assignmentsOnCurrent} on current contracts)`,
  );
  await database.close();
}
process.exit(0);
