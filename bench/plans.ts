/**
 * The query plans of Tenor's list routes on a data set, under the planner
 * statistics the server makes and under full ones:
 *   npx tsx bench/plans.ts [--db file:bench/.data/run/tenor.db] [--owner N] [--stats server|full|both]
 *                          [--route customer-contracts] [--repeat 3] [--json out.json]
 *
 * Runs the app in process on the file (as the benchmark's pricing seed does)
 * and sends, for every list route its OpenAPI description names (GET of a
 * collection with pageSize): the plain first page; the page with each filter,
 * its value taken from the first row where the row has the field (booleans
 * true); for customer contracts also sort=endDate, renewalAlert with it (S3)
 * and the last page of the plain list (the deepest offset). Every statement
 * the app prepares and runs while answering is recorded with its values; each
 * distinct one is then explained (EXPLAIN QUERY PLAN) and timed (best of
 * --repeat) on the raw connection, first with the statistics the server
 * computes on start (`analyzeDatabase`: `analysis_limit = 1000`), then with
 * `analysis_limit = 0` (every row read). A statement that scans a table with
 * more than 1,000 rows without an index, or reads a count through an index
 * that does not cover it (its bytecode reads table rows), is marked.
 *
 * ANALYZE rewrites sqlite_stat1 of the file: point it at a working copy (the
 * default is the benchmark's). The server analyses again when it starts.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createNodeApp } from '../src/node-app';
import { parseConfig } from '../src/config';
import { createDeps } from '../src/runtime';
import { analyzeDatabase, openLocalClient, openLocalDatabase } from '../src/db/node';
import { signToken } from '../src/http/auth';
import { type Recorded, startRecording, stopRecording } from '../test/helpers/statements';
import { DATA_DIR } from './lib/seeded';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: `file:${join(DATA_DIR, 'run', 'tenor.db')}` },
    owner: { type: 'string', default: '1' },
    stats: { type: 'string', default: 'both' },
    route: { type: 'string' },
    repeat: { type: 'string', default: '3' },
    json: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  process.stdout.write(
    'Usage: npx tsx bench/plans.ts [--db file:bench/.data/run/tenor.db] [--owner N] [--stats server|full|both] [--route text] [--repeat 3] [--json out.json]\n',
  );
  process.exit(0);
}
const url = values.db!;
if (!existsSync(url.replace(/^file:/, ''))) throw new Error(`no database at ${url}: run the benchmark (or npm run seed) first`);
const ownerId = Number(values.owner);
const repeat = Math.max(1, Number(values.repeat));
const statsModes = values.stats === 'both' ? (['server', 'full'] as const) : [values.stats as 'server' | 'full'];

// ---------------------------------------------------------------- the app in process (its statements recorded)

const database = openLocalDatabase(url);
const config = parseConfig({ TENOR_ENV: 'production', JWT_SECRET: randomBytes(32).toString('base64url'), LOG_REQUESTS: 'false', JOBS_ENABLED: 'false' });
const deps = createDeps({ config, database, log: () => {} });
const app = createNodeApp(deps, config);
const token = (await signToken(config, { sub: 'plans', scope: '*', owners: [ownerId], ttlSeconds: 3600 }))!;
const headers = { authorization: `Bearer ${token}` };

interface Probe {
  route: string;
  request: string;
  status: number;
  total: string | null;
  ms: number;
  statements: Recorded[];
}

async function send(route: string, path: string): Promise<{ probe: Probe; body: unknown }> {
  startRecording();
  const started = performance.now();
  const res = await app.request(path, { headers });
  const text = await res.text();
  const ms = performance.now() - started;
  const statements = stopRecording();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { probe: { route, request: path, status: res.status, total: res.headers.get('x-total-count'), ms, statements }, body };
}

interface OpenApiParameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
}
const spec = (await (await app.request('/openapi.json')).json()) as { paths: Record<string, Record<string, { parameters?: OpenApiParameter[] }>> };
const listRoutes = Object.entries(spec.paths)
  .filter(([path, ops]) => !path.includes('{') && ops.get?.parameters?.some((p) => p.name === 'pageSize'))
  .filter(([path]) => !values.route || path.includes(values.route))
  .map(([path, ops]) => ({ path, params: (ops.get!.parameters ?? []).filter((p) => p.in === 'query') }));

const PAGING = new Set(['page', 'pageSize', 'sort', 'fields']);

async function probeRoutes(): Promise<{ probes: Probe[]; skipped: string[] }> {
  const probes: Probe[] = [];
  const skipped: string[] = [];
  for (const route of listRoutes) {
    const required = route.params.filter((p) => p.required && !PAGING.has(p.name));
    if (required.length) {
      skipped.push(`${route.path} (requires ${required.map((p) => p.name).join(', ')})`);
      continue;
    }
    const plain = await send(route.path, `${route.path}?pageSize=100`);
    probes.push(plain.probe);
    const first = Array.isArray(plain.body) ? (plain.body[0] as Record<string, unknown> | undefined) : undefined;
    for (const p of route.params) {
      if (PAGING.has(p.name)) continue;
      let value: string | undefined;
      if (p.description?.includes('`true` or `false`')) value = 'true';
      else if (first && first[p.name] !== null && first[p.name] !== undefined && typeof first[p.name] !== 'object') value = String(first[p.name]);
      if (value === undefined) {
        skipped.push(`${route.path}?${p.name} (no value to try)`);
        continue;
      }
      probes.push((await send(route.path, `${route.path}?${p.name}=${encodeURIComponent(value)}&pageSize=100`)).probe);
    }
    if (route.path === '/v1/customer-contracts') {
      probes.push((await send(route.path, `${route.path}?sort=endDate&pageSize=100`)).probe);
      probes.push((await send(route.path, `${route.path}?renewalAlert=true&sort=endDate&pageSize=100`)).probe);
      probes.push((await send(route.path, `${route.path}?noticePeriod=true&sort=endDate&pageSize=100`)).probe);
    }
    const total = Number(plain.probe.total ?? 0);
    if (total > 100) probes.push((await send(route.path, `${route.path}?pageSize=100&page=${Math.ceil(total / 100)}`)).probe);
  }
  return { probes, skipped };
}

// ---------------------------------------------------------------- explaining

const raw = openLocalClient(url);
const rowsOf = new Map<string, number>();
function tableRows(table: string): number {
  let n = rowsOf.get(table);
  if (n === undefined) {
    n = (raw.prepare(`select count(*) from "${table}"`).raw().get() as [number])[0];
    rowsOf.set(table, n);
  }
  return n;
}

interface Explained {
  plan: string[];
  ms: number;
  rows: number;
  problems: string[];
}

const SLOW_MS = 1;

const tableRoots = new Set((raw.prepare(`select rootpage from sqlite_master where type = 'table'`).raw().all() as number[][]).map((r) => r[0]!));

/**
 * Whether the statement reads columns of table rows (not only index entries): its bytecode
 * opens a table's b-tree and reads a column through that cursor. EXPLAIN QUERY PLAN does not
 * tell: a count through a partial index whose condition implies the query's says USING INDEX
 * (not COVERING) yet never reads the table.
 */
function readsTableRows(s: Recorded): boolean {
  const program = raw.prepare(`explain ${s.sql}`).all(...s.params) as Array<{ opcode: string; p1: number; p2: number }>;
  const tableCursors = new Set(program.filter((op) => op.opcode === 'OpenRead' && tableRoots.has(op.p2)).map((op) => op.p1));
  return program.some((op) => op.opcode === 'Column' && tableCursors.has(op.p1));
}

function explain(s: Recorded): Explained {
  const plan = (raw.prepare(`explain query plan ${s.sql}`).all(...s.params) as Array<{ detail: string }>).map((r) => r.detail);
  let best = Number.POSITIVE_INFINITY;
  let rows = 0;
  for (let i = 0; i < repeat; i++) {
    const statement = raw.prepare(s.sql);
    const started = performance.now();
    rows = (statement.reader ? statement.all(...s.params) : []).length;
    best = Math.min(best, performance.now() - started);
  }
  const problems: string[] = [];
  const isCount = /^select count\(\*\)/i.test(s.sql.trim());
  if (isCount && readsTableRows(s)) problems.push('count reads table rows');
  for (const line of plan) {
    const scan = /^SCAN (\S+)(?: AS \S+)?$/.exec(line);
    if (scan && tableRows(scan[1]!) > 1000) problems.push(`full scan of ${scan[1]} (${tableRows(scan[1]!).toLocaleString('en')} rows)`);
    if (/USE TEMP B-TREE FOR ORDER BY/.test(line) && best >= SLOW_MS) problems.push('sorts in a temp b-tree');
  }
  return { plan, ms: Math.round(best * 1000) / 1000, rows, problems };
}

function analyze(mode: 'server' | 'full') {
  if (mode === 'server') {
    // what the server runs on start
    return analyzeDatabase(database);
  }
  raw.exec('pragma analysis_limit = 0');
  raw.exec('analyze');
  return Promise.resolve();
}

// ---------------------------------------------------------------- run

interface StatementReport {
  sql: string;
  params: unknown[];
  /** the first request that ran it */
  request: string;
  byStats: Record<string, Explained>;
}
const statements = new Map<string, StatementReport>();
const requests: Array<{ stats: string; probes: Probe[] }> = [];
let skippedRoutes: string[] = [];
let statTables: string[] = [];
const analysisMs: Record<string, number> = {};

for (const mode of statsModes) {
  const analysisStarted = performance.now();
  await analyze(mode);
  analysisMs[mode] = performance.now() - analysisStarted;
  statTables = (raw.prepare(`select name from sqlite_master where name like 'sqlite_stat%'`).raw().all() as string[][]).map((r) => r[0]!);
  const { probes, skipped } = await probeRoutes();
  skippedRoutes = skipped;
  requests.push({ stats: mode, probes });
  process.stderr.write(`stats ${mode}: ANALYZE ${Math.round(analysisMs[mode]!)} ms; ${probes.length} requests\n`);
  for (const p of probes) {
    for (const s of p.statements) {
      if (!/^\s*select/i.test(s.sql) || /sqlite_|pragma/i.test(s.sql)) continue;
      const key = `${s.sql}\u0000${JSON.stringify(s.params)}`;
      let report = statements.get(key);
      if (!report) statements.set(key, (report = { sql: s.sql, params: s.params, request: p.request, byStats: {} }));
      if (!report.byStats[mode]) report.byStats[mode] = explain(s);
    }
  }
}

// ---------------------------------------------------------------- report

const short = (sql: string) =>
  sql
    .replace(/select ("[a-z_]+"(?:\."[a-z_]+")?, ){4,}"[a-z_]+"(?:\."[a-z_]+")? from/i, 'select … from')
    .replace(/\s+/g, ' ');
const kindOf = (sql: string) => (/^\s*select count\(\*\)/i.test(sql) ? 'count' : / limit \?/i.test(sql) ? 'page' : 'other');
const planText = (plan: readonly string[]) => plan.join(' ⟶ ').replace(/customer_contracts_/g, 'cc_');
const flagged = (s: StatementReport) => Object.values(s.byStats).some((e) => e.problems.length > 0 || e.ms >= SLOW_MS);
const worst = (s: StatementReport) => Math.max(...Object.values(s.byStats).map((e) => e.ms));
const contractRows = tableRows('customer_contracts');
const out: string[] = [];
out.push(`# Query plans of the list routes — ${contractRows.toLocaleString('en')} contract rows, owner ${ownerId}`);
out.push('');
out.push(
  `Statistics tables after ANALYZE: ${statTables.join(', ') || 'none'} (sqlite_stat4 exists only when SQLite is built with SQLITE_ENABLE_STAT4). ` +
    `ANALYZE took ${statsModes.map((m) => `${Math.round(analysisMs[m] ?? 0).toLocaleString('en')} ms (${m})`).join(', ')}. ` +
    `Statements timed on the raw connection, best of ${repeat}.`,
);
out.push('');
const list = [...statements.values()].sort((a, b) => worst(b) - worst(a));
out.push(`## Statements taking ${SLOW_MS} ms or more, or marked (${list.filter(flagged).length} of ${list.length})`);
out.push('');
out.push(`| first request | kind | ${statsModes.map((m) => `${m}: ms | ${m}: plan`).join(' | ')} | marks |`);
out.push(`|---|---|${statsModes.map(() => '--:|---').join('|')}|---|`);
for (const s of list.filter(flagged)) {
  const cells = statsModes.map((m) => {
    const e = s.byStats[m];
    return e ? `${e.ms} | \`${planText(e.plan)}\`` : '— | —';
  });
  const marks = [...new Set(statsModes.flatMap((m) => s.byStats[m]?.problems.map((p) => `${m}: ${p}`) ?? []))];
  out.push(`| \`${s.request}\` | ${kindOf(s.sql)} | ${cells.join(' | ')} | ${marks.join('; ') || '—'} |`);
}
out.push('');
for (const r of requests) {
  out.push(`## Requests, statistics: ${r.stats}`);
  out.push('');
  out.push('| request | status | X-Total-Count | ms in process | statements |');
  out.push('|---|--:|--:|--:|--:|');
  for (const p of r.probes) out.push(`| \`${p.request}\` | ${p.status} | ${p.total ?? '—'} | ${p.ms.toFixed(1)} | ${p.statements.length} |`);
  out.push('');
}
out.push('## The statements above, in full');
out.push('');
for (const s of list.filter(flagged)) {
  out.push(`### ${kindOf(s.sql)}: ${s.request}`);
  out.push('');
  out.push('```sql');
  out.push(short(s.sql));
  out.push('```');
  out.push(`values: \`${JSON.stringify(s.params).slice(0, 300)}\``);
  out.push('');
  for (const mode of statsModes) {
    const e = s.byStats[mode];
    if (!e) continue;
    out.push(`- **${mode}** statistics: ${e.ms} ms, ${e.rows} rows${e.problems.length ? ` — **${[...new Set(e.problems)].join('; ')}**` : ''}`);
    for (const line of e.plan) out.push(`  - \`${line}\``);
  }
  out.push('');
}
if (skippedRoutes.length) out.push(`Not tried: ${skippedRoutes.join('; ')}.`, '');
process.stdout.write(`${out.join('\n')}\n`);
if (values.json) writeFileSync(values.json, JSON.stringify({ contractRows, ownerId, statTables, requests, statements: [...statements.values()] }, null, 2));
raw.close();
await database.close();
