/**
 * The benchmark (spec/quality.md):
 *   npm run bench [-- --quick] [--only S1,S3] [--profile] [--contracts N] [--due N] [--warmup s] [--duration s] [--server start|tsx]
 *
 * Seeds (or reuses) the data set, copies it to a working file, then:
 *   1. starts the Tenor Node server (as `npm start` does: esbuild bundle, plain
 *      node) and runs the read-only load scenarios;
 *   2. runs their floors on the same data: F1 (the scenario's SQL on a bare
 *      server) per scenario, and F0 (a fixed body of an S1 response's size);
 *   3. starts the server again and runs the writing load scenarios;
 *   4. runs the measure scenarios (R1 on fresh copies with its floor F2, W1).
 * Writes bench/results/<time>.json; a full run (not --quick, not --only) also
 * writes latest.json, latest.md and latest.svg. --profile writes V8 CPU
 * profiles of the server to bench/.data/profiles (see bench/profile-summary.ts).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, copyFileSync, fsyncSync, mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { todayIn } from '../src/domain/dates';
import type { LoadConfig, LoadStats } from './load';
import { DEFAULT_CONTRACTS, DEFAULT_DUE_FOR_RENEWAL } from './lib/dataset';
import { readFixtures } from './lib/fixtures';
import { buildServer, RssSampler, runLoad, type Server, startApp, startFloor } from './lib/processes';
import { Random } from './lib/random';
import { type FloorResult, markdown, type ParityResult, type RunResults, type ScenarioResult, svg } from './lib/report';
import type { BenchContext, Check, LoadScenario, MeasureScenario } from './lib/scenario';
import { DATA_DIR, ensureDataset, ROOT } from './lib/seeded';
import { loadScenario, SCENARIOS } from './scenarios';

const CONNECTIONS = 16;
const RSS_LIMIT_MIB = 200;
const LOAD_SEED = 4242;
const F0_REQUESTS = 'S1';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    profile: { type: 'boolean', default: false },
    contracts: { type: 'string' },
    due: { type: 'string' },
    warmup: { type: 'string' },
    duration: { type: 'string' },
    server: { type: 'string', default: 'start' },
  },
});
if (values.server !== 'start' && values.server !== 'tsx') throw new Error('--server takes start (the bundle npm start builds and runs, the default) or tsx (src/server.ts through tsx)');

const mode = values.quick ? 'quick' : 'full';
const contracts = Number(values.contracts ?? (values.quick ? 10_000 : DEFAULT_CONTRACTS));
// the due-for-renewal set (R1): 100,000 in a full run
const dueForRenewal = Number(values.due ?? (values.quick ? 10_000 : DEFAULT_DUE_FOR_RENEWAL));
const warmupSeconds = Number(values.warmup ?? (values.quick ? 1 : 5));
const durationSeconds = Number(values.duration ?? (values.quick ? 4 : 20));
const only = values.only ? values.only.split(',').map((s) => s.trim().toUpperCase()) : null;
for (const [name, n] of Object.entries({ contracts, due: dueForRenewal, warmupSeconds, durationSeconds })) {
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number`);
}
if (only) {
  const unknown = only.filter((id) => !SCENARIOS.some((s) => s.id === id));
  if (unknown.length) throw new Error(`--only: unknown scenario ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.id).join(', ')}`);
}

// ---------------------------------------------------------------- progress

const started = Date.now();
const loadAtStart = Math.round(loadavg()[0]! * 100) / 100;
const tty = process.stderr.isTTY;
let transientShown = false;
function stamp(): string {
  const s = Math.floor((Date.now() - started) / 1000);
  return `[${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}]`;
}
function say(message: string) {
  if (transientShown) process.stderr.write('\r\x1b[2K');
  transientShown = false;
  process.stderr.write(`${stamp()} ${message}\n`);
}
function sayTransient(message: string) {
  if (!tty) return;
  process.stderr.write(`\r\x1b[2K${stamp()} ${message}`);
  transientShown = true;
}
const fmt = (n: number) => Math.round(n).toLocaleString('en');

// ---------------------------------------------------------------- data

say(`Tenor benchmark (${mode}): ${fmt(contracts)} contracts (+ ${fmt(dueForRenewal)} due for renewal), ${CONNECTIONS} connections, ${warmupSeconds} s warm-up + ${durationSeconds} s per scenario`);
if (loadAtStart > 0.5) say(`note: the machine is already busy (load average ${loadAtStart}); req/s will be low, CPU per request less affected`);
const dataset = await ensureDataset({ contracts, dueForRenewal, progress: (m) => say(m) });
say(dataset.reused ? `data: reusing ${dataset.url}` : `data: seeded ${dataset.url} in ${dataset.summary.seconds} s`);

const scratchDir = join(DATA_DIR, 'run');
rmSync(scratchDir, { recursive: true, force: true });
mkdirSync(scratchDir, { recursive: true });
const workPath = join(scratchDir, 'tenor.db');
copyFileSync(dataset.url.replace(/^file:/, ''), workPath);
const databaseUrl = `file:${workPath}`;
const jwtSecret = randomBytes(32).toString('base64url');
// kept beside the fixtures' tokens so the working copy can be served and loaded by hand afterwards
writeFileSync(join(scratchDir, 'jwt-secret'), jwtSecret);
const fixtures = await readFixtures(databaseUrl, jwtSecret, todayIn('UTC'), dataset.summary.rollover);
const fixturesPath = join(scratchDir, 'fixtures.json');
writeFileSync(fixturesPath, JSON.stringify(fixtures));
const serverLog = join(scratchDir, 'server.log');
const profileDir = values.profile ? join(DATA_DIR, 'profiles') : undefined;
if (profileDir) rmSync(profileDir, { recursive: true, force: true });
say(`server log: ${serverLog}`);

const selected = SCENARIOS.filter((s) => !only || only.includes(s.id));
const loads = selected.filter((s): s is LoadScenario => s.kind === 'load');
const reads = loads.filter((s) => !s.writes);
const writes = loads.filter((s) => s.writes);
const measures = selected.filter((s): s is MeasureScenario => s.kind === 'measure');

// ---------------------------------------------------------------- helpers

const bundle = values.server === 'start' ? buildServer() : undefined;
say(bundle ? `server: ${bundle} (built by npm run build:node as npm start does, plain node)` : 'server: src/server.ts through tsx');

function startTenor(options: { env?: Record<string, string>; databaseUrl?: string } = {}): Promise<Server> {
  return startApp({
    databaseUrl: options.databaseUrl ?? databaseUrl,
    jwtSecret,
    logFile: serverLog,
    ...(options.env ? { env: options.env } : {}),
    ...(profileDir ? { profileDir } : {}),
    ...(bundle ? { bundle } : {}),
  });
}

async function load(label: string, server: Server, scenario: string): Promise<LoadStats> {
  const config: LoadConfig = { url: server.url, scenario, fixturesPath, connections: CONNECTIONS, warmupSeconds, durationSeconds, seed: LOAD_SEED };
  say(`${label}: warm-up ${warmupSeconds} s, then ${durationSeconds} s measured`);
  const stats = await runLoad(
    config,
    (t) => sayTransient(`${label}: ${t.phase} ${t.second}/${t.phase === 'measure' ? durationSeconds : warmupSeconds} s, ${fmt(t.rps)} req/s`),
    server.pid,
  );
  const cpu = stats.cpuMicros !== undefined ? `, server CPU ${stats.cpuMicros} µs/req` : '';
  say(`${label}: ${fmt(stats.rps)} req/s, p50 ${stats.p50} ms, p99 ${stats.p99} ms, errors ${stats.errors}${cpu}`);
  return stats;
}

/** A few fixed requests of a read scenario, reduced to status, total and ids, to check a floor serves the same rows. */
async function sample(url: string, scenario: LoadScenario): Promise<string[]> {
  const next = scenario.makeRequests(fixtures, new Random(7));
  const out: string[] = [];
  for (let i = 0; i < 5; i++) {
    const r = next();
    const res = await fetch(url + r.path, { method: r.method, ...(r.headers ? { headers: r.headers } : {}), ...(r.body ? { body: r.body } : {}) });
    const text = await res.text();
    let ids = '?';
    try {
      const body = JSON.parse(text) as { id: number } | Array<{ id: number }>;
      const list = Array.isArray(body) ? body.map((x) => x.id) : [body.id];
      ids = `${list.length} [${list.slice(0, 3).join(',')}${list.length > 3 ? ',…' : ''}] sum ${list.reduce((a, b) => a + b, 0)}`;
    } catch {
      // not JSON: the status tells
    }
    out.push(`${res.status} total ${res.headers.get('x-total-count') ?? '-'} ids ${ids}`);
  }
  return out;
}

function loadChecks(scenario: LoadScenario, stats: LoadStats, ratio: number | undefined): Check[] {
  const checks: Check[] = [];
  const t = scenario.targets;
  if (t.minFloorRatio !== undefined && ratio !== undefined) {
    checks.push({
      label: 'req/s',
      target: `≥ ${t.minFloorRatio.toFixed(2)} × ${scenario.floor}`,
      limit: t.minFloorRatio,
      value: ratio,
      unit: `× ${scenario.floor}`,
      pass: ratio >= t.minFloorRatio,
    });
  }
  if (t.minUnitsPerSecond !== undefined) {
    const { unit, perRequest, min } = t.minUnitsPerSecond;
    const rate = stats.rps * perRequest;
    checks.push({ label: `${unit}/s`, target: `≥ ${fmt(min)}`, limit: min, value: rate, unit: `${unit}/s`, pass: rate >= min });
  }
  if (t.maxP99Ms !== undefined) {
    checks.push({ label: 'p99', target: `≤ ${t.maxP99Ms} ms`, limit: t.maxP99Ms, value: stats.p99, unit: 'ms', pass: stats.p99 <= t.maxP99Ms });
  }
  checks.push({ label: 'errors', target: '= 0', limit: 0, value: stats.errors, unit: '', pass: stats.errors === 0 });
  return checks;
}

// ---------------------------------------------------------------- 1. the app: read-only scenarios

const appStats = new Map<string, { stats: LoadStats; rssMiB: number }>();
const failures = new Map<string, string>();
const appSamples = new Map<string, string[]>();
let rssMaxMiB = 0;
let s1Body: string | undefined;

async function runOnApp(scenarios: readonly LoadScenario[], phase: string) {
  say(`${phase}: starting the Tenor server`);
  const app = await startTenor();
  try {
    if (s1Body === undefined) {
      const r = loadScenario(F0_REQUESTS).makeRequests(fixtures, new Random(1))();
      s1Body = await (await fetch(app.url + r.path, { headers: r.headers ?? {} })).text();
    }
    for (const s of scenarios) if (s.floor === 'F1') appSamples.set(s.id, await sample(app.url, s));
    for (const s of scenarios) {
      const rss = new RssSampler(app.pid);
      try {
        const stats = await load(`${s.id} ${s.title}`, app, s.id);
        const rssMiB = rss.stop();
        rssMaxMiB = Math.max(rssMaxMiB, rssMiB);
        appStats.set(s.id, { stats, rssMiB });
      } catch (error) {
        rss.stop();
        failures.set(s.id, String(error));
        say(`${s.id}: failed: ${String(error)}`);
      }
    }
  } finally {
    await app.stop();
  }
}

if (loads.length > 0) await runOnApp(reads, 'reads');

// ---------------------------------------------------------------- 2. floors, on the same data

const floors: FloorResult[] = [];
const floorRps = new Map<string, number>();
const floorCpuMicros = new Map<string, number>();
const parity: ParityResult[] = [];
for (const s of loads.filter((x) => x.floor === 'F1')) {
  const floor = await startFloor({ floor: 'F1', scenario: s.id, databaseUrl, fixturesPath }, join(scratchDir, 'floor.log'));
  try {
    const mine = await sample(floor.url, s);
    const theirs = appSamples.get(s.id) ?? [];
    parity.push({ scenario: s.id, same: mine.join('|') === theirs.join('|'), app: theirs.join('; '), floor: mine.join('; ') });
    if (mine.join('|') !== theirs.join('|')) say(`F1 ${s.id}: WARNING the floor's rows differ from the app's:\n  app   ${theirs.join('\n        ')}\n  floor ${mine.join('\n        ')}`);
    const stats = await load(`F1 ${s.id} floor (bare server, same SQL)`, floor, s.id);
    floors.push({ id: `F1 ${s.id}`, title: `database floor: ${s.id}'s SQL, prepared, JSON.stringify`, load: stats });
    floorRps.set(`F1:${s.id}`, stats.rps);
    if (stats.cpuMicros) floorCpuMicros.set(`F1:${s.id}`, stats.cpuMicros);
  } finally {
    await floor.stop();
  }
}
if (loads.some((x) => x.floor === 'F0')) {
  const floor = await startFloor({ floor: 'F0', databaseUrl, fixturesPath, body: s1Body ?? '{}' }, join(scratchDir, 'floor.log'));
  try {
    const stats = await load(`F0 HTTP floor (fixed ${Buffer.byteLength(s1Body ?? '{}')}-byte body)`, floor, F0_REQUESTS);
    floors.push({ id: 'F0', title: `HTTP floor: bare node:http, fixed ${Buffer.byteLength(s1Body ?? '{}')}-byte body`, load: stats });
    floorRps.set('F0', stats.rps);
    if (stats.cpuMicros) floorCpuMicros.set('F0', stats.cpuMicros);
  } finally {
    await floor.stop();
  }
}

// ---------------------------------------------------------------- 3. the app: writing scenarios

if (writes.length > 0) await runOnApp(writes, 'writes');

// ---------------------------------------------------------------- 4. measures

const measured = new Map<string, ScenarioResult>();
const context: BenchContext = {
  root: ROOT,
  quick: values.quick,
  databaseUrl,
  dataset: dataset.summary,
  fixtures,
  scratchDir,
  progress: say,
  freshCopy(name) {
    const path = join(scratchDir, `${name}.db`);
    for (const file of [path, `${path}-wal`, `${path}-shm`]) rmSync(file, { force: true });
    copyFileSync(dataset.url.replace(/^file:/, ''), path);
    // on disk before anything is timed: else the first checkpoint's fsync also writes back the whole copy
    const fd = openSync(path, 'r+');
    fsyncSync(fd);
    closeSync(fd);
    return `file:${path}`;
  },
  async startApp(options) {
    const app = await startTenor(options);
    return { url: app.url, pid: app.pid, stop: app.stop };
  },
};
for (const m of measures) {
  say(`${m.id} ${m.title}`);
  try {
    const r = await m.run(context);
    const pass = r.checks.every((c) => c.pass);
    measured.set(m.id, {
      id: m.id,
      title: m.title,
      kind: 'measure',
      figures: r.figures,
      ...(r.floor ? { floor: { id: r.floor.id, figure: r.floor.figure } } : {}),
      ...(r.ratio !== undefined ? { ratio: r.ratio } : {}),
      checks: r.checks,
      pass,
      ...(r.notes ? { notes: r.notes } : {}),
    });
    say(`${m.id}: ${Object.entries(r.figures).map(([k, f]) => `${k} ${f.value} ${f.unit}`).join(', ')} — ${pass ? 'pass' : 'FAIL'}`);
  } catch (error) {
    failures.set(m.id, String(error));
    measured.set(m.id, { id: m.id, title: m.title, kind: 'measure', checks: [], pass: false, error: String(error).slice(0, 500) });
    say(`${m.id}: failed: ${String(error)}`);
  }
}

// ---------------------------------------------------------------- results

const scenarioResults: ScenarioResult[] = selected.map((s) => {
  if (s.kind === 'measure') return measured.get(s.id)!;
  const ran = appStats.get(s.id);
  if (!ran) return { id: s.id, title: s.title, kind: 'load', request: s.request, checks: [], pass: false, error: failures.get(s.id) ?? 'did not run' };
  const floorKey = s.floor === 'F1' ? `F1:${s.id}` : 'F0';
  const rps = floorRps.get(floorKey);
  const ratio = rps ? Math.round((ran.stats.rps / rps) * 1000) / 1000 : undefined;
  const floorCpu = floorCpuMicros.get(floorKey);
  const cpuRatio = floorCpu && ran.stats.cpuMicros ? Math.round((floorCpu / ran.stats.cpuMicros) * 1000) / 1000 : undefined;
  const checks = loadChecks(s, ran.stats, ratio);
  return {
    id: s.id,
    title: s.title,
    kind: 'load',
    request: s.request,
    load: ran.stats,
    rssMiB: ran.rssMiB,
    ...(rps !== undefined ? { floor: { id: s.floor === 'F1' ? `F1 ${s.id}` : 'F0', rps, ...(floorCpu ? { cpuMicros: floorCpu } : {}) } } : {}),
    ...(ratio !== undefined ? { ratio } : {}),
    ...(cpuRatio !== undefined ? { cpuRatio } : {}),
    checks,
    pass: checks.every((c) => c.pass),
  };
});

const rssCheck: Check = { label: 'RSS', target: `≤ ${RSS_LIMIT_MIB} MiB`, limit: RSS_LIMIT_MIB, value: rssMaxMiB, unit: 'MiB', pass: rssMaxMiB <= RSS_LIMIT_MIB };
const cpuList = cpus();
const results: RunResults = {
  startedAt: new Date(started).toISOString(),
  seconds: Math.round((Date.now() - started) / 1000),
  mode,
  only,
  machine: {
    cpus: cpuList.length,
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    node: process.versions.node,
    platform: `${process.platform}-${process.arch}`,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    loadAverage: { start: loadAtStart, end: Math.round(loadavg()[0]! * 100) / 100 },
  },
  settings: { connections: CONNECTIONS, warmupSeconds, durationSeconds, server: bundle ? 'start' : 'tsx' },
  dataset: dataset.summary,
  floors,
  scenarios: scenarioResults,
  server: { rssMaxMiB, check: rssCheck },
  parity,
  pass: scenarioResults.every((s) => s.pass) && (loads.length === 0 || rssCheck.pass) && parity.every((p) => p.same),
};

const resultsDir = join(ROOT, 'bench', 'results');
mkdirSync(resultsDir, { recursive: true });
const stampName = results.startedAt.replace(/:/g, '-').replace(/\.\d+Z$/, 'Z');
const json = `${JSON.stringify(results, null, 2)}\n`;
writeFileSync(join(resultsDir, `${stampName}${mode === 'quick' ? '-quick' : ''}.json`), json);
const table = markdown(results);
if (mode === 'full' && !only && bundle) {
  writeFileSync(join(resultsDir, 'latest.json'), json);
  writeFileSync(join(resultsDir, 'latest.md'), table);
  writeFileSync(join(resultsDir, 'latest.svg'), svg(results));
  say('wrote bench/results/latest.{json,md,svg}');
}
say(`done in ${results.seconds} s; results in bench/results/${stampName}${mode === 'quick' ? '-quick' : ''}.json`);
if (profileDir) say(`CPU profiles of the server: ${profileDir} (tsx bench/profile-summary.ts <file>)`);
process.stdout.write(`\n${table}`);
