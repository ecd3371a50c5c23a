/**
 * The benchmark (spec/quality.md); `npm run bench -- --help` prints its usage.
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
 *
 * `--growth 100000,1000000` runs the read scenarios of the growth question
 * (S0–S3) and their floors at each size instead, and reports them side by
 * side with the ratio of their throughputs (bench/results/<time>-growth.json;
 * a full-length growth run also puts its section into latest.*).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { todayIn } from '../src/domain/dates';
import type { LoadConfig, LoadStats } from './load';
import { DEFAULT_CONTRACTS, DEFAULT_DUE_FOR_RENEWAL, type DatasetSummary } from './lib/dataset';
import { type Fixtures, readFixtures } from './lib/fixtures';
import { openLocalClient } from '../src/db/node';
import { buildServer, RssSampler, runLoad, type Server, startApp, startFloor } from './lib/processes';
import { Random } from './lib/random';
import {
  type FloorResult,
  type GrowthPoint,
  type GrowthResults,
  type GrowthScenario,
  growthMarkdown,
  markdown,
  type ParityResult,
  type RunResults,
  type ScenarioResult,
  svg,
} from './lib/report';
import type { BenchContext, Check, LoadScenario, MeasureScenario } from './lib/scenario';
import { DATA_DIR, ensureDataset, ROOT } from './lib/seeded';
import { GROWTH_SCENARIOS, loadScenario, SCENARIOS } from './scenarios';

const CONNECTIONS = 16;
const RSS_LIMIT_MIB = 200;
const LOAD_SEED = 4242;
const F0_REQUESTS = 'S1';

const USAGE = `Usage: npm run bench -- [options]

Measures Tenor against the bars of spec/quality.md (see bench/README.md).

Options:
  --quick               10,000 contracts (+ 10,000 due), 1 s warm-up + 3 s per scenario (under 2 min)
  --only S1,S3          only these scenarios (their floors run too); known: ${SCENARIOS.map((s) => s.id).join(', ')}
  --contracts N         contracts in the data set (default ${DEFAULT_CONTRACTS.toLocaleString('en')}; quick 10,000)
  --due N               contracts due for renewal, for R1 (default ${DEFAULT_DUE_FOR_RENEWAL.toLocaleString('en')}; quick 10,000;
                        0 in a growth run)
  --growth N1,N2[,…]    growth run: ${GROWTH_SCENARIOS.join(', ')} (or --only's read scenarios) and their F1 floors at
                        each data set size, side by side with req/s at the largest ÷ at the smallest,
                        e.g. --growth 100000,1000000 (seeds each size once: 1,000,000 takes minutes)
  --warmup S            warm-up seconds per load, discarded (default 5; quick 1)
  --duration S          measured seconds per load (default 20; quick 3)
  --request-log on|off  the server's request log (LOG_REQUESTS; default on, as deployed)
  --profile             write V8 CPU profiles of the server to bench/.data/profiles/
  --server start|tsx    the bundle npm start builds and runs (default), or src/server.ts through tsx
  -h, --help            print this and exit

Results: bench/results/<time>.json (-quick, -growth); the default run (every scenario, default
sizes and durations, the server as npm start runs it, request log on) also writes
bench/results/latest.{json,md,svg}, and so does a growth run with default durations (its
section only, beside the last default run's).
`;

function usageError(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}`);
  process.exit(2);
}

function parseOptions() {
  try {
    return parseArgs({
      options: {
        help: { type: 'boolean', short: 'h', default: false },
        quick: { type: 'boolean', default: false },
        only: { type: 'string' },
        profile: { type: 'boolean', default: false },
        contracts: { type: 'string' },
        due: { type: 'string' },
        growth: { type: 'string' },
        warmup: { type: 'string' },
        duration: { type: 'string' },
        'request-log': { type: 'string', default: 'on' },
        server: { type: 'string', default: 'start' },
      },
    });
  } catch (error) {
    return usageError(error instanceof Error ? error.message : String(error));
  }
}

const { values } = parseOptions();
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (values.server !== 'start' && values.server !== 'tsx') usageError('--server takes start (the bundle npm start builds and runs, the default) or tsx (src/server.ts through tsx)');
const requestLog = values['request-log'];
if (requestLog !== 'on' && requestLog !== 'off') usageError('--request-log takes on or off');

const growthSizes = values.growth
  ? values.growth.split(',').map((n) => Number(n.trim().replace(/_/g, '')))
  : null;
if (growthSizes) {
  if (growthSizes.length < 2 || growthSizes.some((n) => !Number.isSafeInteger(n) || n < 1)) usageError('--growth takes two or more sizes, e.g. 100000,1000000');
  if (values.contracts !== undefined) usageError('--growth gives the sizes: leave out --contracts');
  growthSizes.sort((a, b) => a - b);
}
const mode = values.quick ? 'quick' : 'full';
const contracts = Number(values.contracts ?? (values.quick ? 10_000 : DEFAULT_CONTRACTS));
// the due-for-renewal set (R1): 100,000 in a full run; a growth run has no R1, and the set would only add rows
const dueForRenewal = Number(values.due ?? (growthSizes ? 0 : values.quick ? 10_000 : DEFAULT_DUE_FOR_RENEWAL));
const warmupSeconds = Number(values.warmup ?? (values.quick ? 1 : 5));
const durationSeconds = Number(values.duration ?? (values.quick ? 3 : 20));
const only = values.only ? values.only.split(',').map((s) => s.trim().toUpperCase()) : null;
for (const [name, n] of Object.entries({ contracts, due: dueForRenewal, warmup: warmupSeconds, duration: durationSeconds })) {
  if (!Number.isFinite(n) || n < 0) usageError(`--${name} must be a number`);
}
if (only) {
  const unknown = only.filter((id) => !SCENARIOS.some((s) => s.id === id));
  if (unknown.length) usageError(`--only: unknown scenario ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.id).join(', ')}`);
}

const selected = SCENARIOS.filter((s) => (only ? only.includes(s.id) : !growthSizes || GROWTH_SCENARIOS.includes(s.id)));
const loads = selected.filter((s): s is LoadScenario => s.kind === 'load');
const reads = loads.filter((s) => !s.writes);
const writes = loads.filter((s) => s.writes);
const measures = selected.filter((s): s is MeasureScenario => s.kind === 'measure');
if (growthSizes) {
  const notReads = selected.filter((s) => s.kind !== 'load' || s.writes || s.floor !== 'F1').map((s) => s.id);
  if (notReads.length) usageError(`--growth runs read scenarios with a database floor; not ${notReads.join(', ')}`);
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
const round3 = (n: number) => Math.round(n * 1000) / 1000;

// ---------------------------------------------------------------- data

/** One data set as a run uses it: the seeded file, its working copy, the fixtures and a secret for their tokens. */
interface Stage {
  contracts: number;
  dataset: { url: string; summary: DatasetSummary; reused: boolean };
  /** size of the seeded file (MiB) */
  fileMiB: number;
  scratchDir: string;
  databaseUrl: string;
  jwtSecret: string;
  fixtures: Fixtures;
  fixturesPath: string;
  serverLog: string;
  /** owner id → time zone: a request's answer depends on its owner's date */
  zones: Array<[number, string]>;
}

/** Every owner's date now: the app's and a floor's samples compare only when it is the same for both. */
function ownerDates(stage: Stage): string {
  return stage.zones.map(([id, zone]) => `${id}:${todayIn(zone)}`).join(',');
}

const scratchDir = join(DATA_DIR, 'run');

async function prepareStage(size: number): Promise<Stage> {
  const dataset = await ensureDataset({ contracts: size, dueForRenewal, progress: (m) => say(m) });
  const seededPath = dataset.url.replace(/^file:/, '');
  const fileMiB = Math.round(statSync(seededPath).size / 2 ** 20);
  say(dataset.reused ? `data: reusing ${dataset.url} (${fmt(fileMiB)} MiB)` : `data: seeded ${dataset.url} in ${dataset.summary.seconds} s (${fmt(fileMiB)} MiB)`);
  // the previous stage's working copy goes: a copy of 1,000,000 contracts is over a GiB
  rmSync(scratchDir, { recursive: true, force: true });
  mkdirSync(scratchDir, { recursive: true });
  const workPath = join(scratchDir, 'tenor.db');
  copyFileSync(seededPath, workPath);
  const databaseUrl = `file:${workPath}`;
  const jwtSecret = randomBytes(32).toString('base64url');
  // kept beside the fixtures' tokens so the working copy can be served and loaded by hand afterwards
  writeFileSync(join(scratchDir, 'jwt-secret'), jwtSecret);
  const fixtures = await readFixtures(databaseUrl, jwtSecret, todayIn('UTC'), dataset.summary.rollover);
  const fixturesPath = join(scratchDir, 'fixtures.json');
  writeFileSync(fixturesPath, JSON.stringify(fixtures));
  const serverLog = join(scratchDir, 'server.log');
  say(`server log: ${serverLog}`);
  const client = openLocalClient(databaseUrl);
  const zones = client.prepare('select id, timezone from contract_owners order by id').raw().all() as Array<[number, string]>;
  client.close();
  return { contracts: size, dataset, fileMiB, scratchDir, databaseUrl, jwtSecret, fixtures, fixturesPath, serverLog, zones };
}

const profileDir = values.profile ? join(DATA_DIR, 'profiles') : undefined;
if (profileDir) rmSync(profileDir, { recursive: true, force: true });

// ---------------------------------------------------------------- helpers

let bundle: string | undefined;

function startTenor(stage: Stage, options: { env?: Record<string, string>; databaseUrl?: string } = {}): Promise<Server> {
  return startApp({
    databaseUrl: options.databaseUrl ?? stage.databaseUrl,
    jwtSecret: stage.jwtSecret,
    logFile: stage.serverLog,
    env: { LOG_REQUESTS: requestLog === 'on' ? 'true' : 'false', ...options.env },
    ...(profileDir ? { profileDir } : {}),
    ...(bundle ? { bundle } : {}),
  });
}

async function load(stage: Stage, label: string, server: Server, scenario: string): Promise<LoadStats> {
  const config: LoadConfig = {
    url: server.url,
    scenario,
    fixturesPath: stage.fixturesPath,
    connections: CONNECTIONS,
    warmupSeconds,
    durationSeconds,
    seed: LOAD_SEED,
  };
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
async function sample(stage: Stage, url: string, scenario: LoadScenario): Promise<string[]> {
  const next = scenario.makeRequests(stage.fixtures, new Random(7));
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
  if (t.maxLatencyMs !== undefined) {
    checks.push({ label: 'max', target: `≤ ${t.maxLatencyMs.toLocaleString('en')} ms`, limit: t.maxLatencyMs, value: stats.max, unit: 'ms', pass: stats.max <= t.maxLatencyMs });
  }
  if (t.maxP99Ms !== undefined) {
    checks.push({ label: 'p99', target: `≤ ${t.maxP99Ms} ms`, limit: t.maxP99Ms, value: stats.p99, unit: 'ms', pass: stats.p99 <= t.maxP99Ms });
  }
  checks.push({ label: 'errors', target: '= 0', limit: 0, value: stats.errors, unit: '', pass: stats.errors === 0 });
  return checks;
}

/** What the app served in one phase: per scenario its load figures and RSS, sampled responses for parity, failures. */
interface AppPhase {
  stats: Map<string, { stats: LoadStats; rssMiB: number }>;
  samples: Map<string, string[]>;
  /** the owners' dates when the samples were taken */
  sampleDates?: string;
  failures: Map<string, string>;
  rssMaxMiB: number;
  /** an S1 response (F0 answers with its bytes) */
  s1Body?: string;
}

async function runOnApp(stage: Stage, scenarios: readonly LoadScenario[], phase: string, wantS1Body: boolean): Promise<AppPhase> {
  const result: AppPhase = { stats: new Map(), samples: new Map(), failures: new Map(), rssMaxMiB: 0 };
  say(`${phase}: starting the Tenor server`);
  const app = await startTenor(stage);
  try {
    if (wantS1Body) {
      const r = loadScenario(F0_REQUESTS).makeRequests(stage.fixtures, new Random(1))();
      result.s1Body = await (await fetch(app.url + r.path, { headers: r.headers ?? {} })).text();
    }
    result.sampleDates = ownerDates(stage);
    for (const s of scenarios) if (s.floor === 'F1') result.samples.set(s.id, await sample(stage, app.url, s));
    for (const s of scenarios) {
      const rss = new RssSampler(app.pid);
      try {
        const stats = await load(stage, `${s.id} ${s.title}`, app, s.id);
        const rssMiB = rss.stop();
        result.rssMaxMiB = Math.max(result.rssMaxMiB, rssMiB);
        result.stats.set(s.id, { stats, rssMiB });
      } catch (error) {
        rss.stop();
        result.failures.set(s.id, String(error));
        say(`${s.id}: failed: ${String(error)}`);
      }
    }
  } finally {
    await app.stop();
  }
  return result;
}

/** The floors' figures: F1 per scenario (`F1:<id>`), F0 (`F0`). */
interface FloorPhase {
  floors: FloorResult[];
  rps: Map<string, number>;
  cpuMicros: Map<string, number>;
  parity: ParityResult[];
}

async function runFloors(
  stage: Stage,
  scenarios: readonly LoadScenario[],
  appSamples: ReadonlyMap<string, string[]>,
  appSampleDates: string | undefined,
  s1Body: string | undefined,
): Promise<FloorPhase> {
  const result: FloorPhase = { floors: [], rps: new Map(), cpuMicros: new Map(), parity: [] };
  const floorLog = join(stage.scratchDir, 'floor.log');
  for (const s of scenarios.filter((x) => x.floor === 'F1')) {
    const floor = await startFloor({ floor: 'F1', scenario: s.id, databaseUrl: stage.databaseUrl, fixturesPath: stage.fixturesPath }, floorLog);
    try {
      const dates = ownerDates(stage);
      const mine = await sample(stage, floor.url, s);
      const theirs = appSamples.get(s.id) ?? [];
      const same = mine.join('|') === theirs.join('|');
      // an owner's midnight between the two samples changes what "today" selects: not comparable, not a failure
      const dateChanged = !same && appSampleDates !== undefined && dates !== appSampleDates;
      result.parity.push({ scenario: s.id, same, ...(dateChanged ? { dateChanged } : {}), app: theirs.join('; '), floor: mine.join('; ') });
      if (dateChanged) say(`F1 ${s.id}: an owner's date changed between the app's samples and the floor's; not compared`);
      else if (!same) say(`F1 ${s.id}: WARNING the floor's rows differ from the app's:\n  app   ${theirs.join('\n        ')}\n  floor ${mine.join('\n        ')}`);
      const stats = await load(stage, `F1 ${s.id} floor (bare server, same SQL)`, floor, s.id);
      result.floors.push({ id: `F1 ${s.id}`, title: `database floor: ${s.id}'s SQL, prepared, JSON.stringify`, load: stats });
      result.rps.set(`F1:${s.id}`, stats.rps);
      if (stats.cpuMicros) result.cpuMicros.set(`F1:${s.id}`, stats.cpuMicros);
    } finally {
      await floor.stop();
    }
  }
  if (scenarios.some((x) => x.floor === 'F0')) {
    const body = s1Body ?? '{}';
    const floor = await startFloor({ floor: 'F0', databaseUrl: stage.databaseUrl, fixturesPath: stage.fixturesPath, body }, floorLog);
    try {
      const stats = await load(stage, `F0 HTTP floor (fixed ${Buffer.byteLength(body)}-byte body)`, floor, F0_REQUESTS);
      result.floors.push({ id: 'F0', title: `HTTP floor: bare node:http, fixed ${Buffer.byteLength(body)}-byte body`, load: stats });
      result.rps.set('F0', stats.rps);
      if (stats.cpuMicros) result.cpuMicros.set('F0', stats.cpuMicros);
    } finally {
      await floor.stop();
    }
  }
  return result;
}

/** A load scenario's result against its floor. */
function loadResult(s: LoadScenario, ran: { stats: LoadStats; rssMiB: number } | undefined, failure: string | undefined, floors: FloorPhase): ScenarioResult {
  if (!ran) return { id: s.id, title: s.title, kind: 'load', request: s.request, checks: [], pass: false, error: failure ?? 'did not run' };
  const floorKey = s.floor === 'F1' ? `F1:${s.id}` : 'F0';
  const rps = floors.rps.get(floorKey);
  const ratio = rps ? round3(ran.stats.rps / rps) : undefined;
  const floorCpu = floors.cpuMicros.get(floorKey);
  const cpuRatio = floorCpu && ran.stats.cpuMicros ? round3(floorCpu / ran.stats.cpuMicros) : undefined;
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
}

function machine(): RunResults['machine'] {
  const cpuList = cpus();
  return {
    cpus: cpuList.length,
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    node: process.versions.node,
    platform: `${process.platform}-${process.arch}`,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    loadAverage: { start: loadAtStart, end: Math.round(loadavg()[0]! * 100) / 100 },
  };
}

const resultsDir = join(ROOT, 'bench', 'results');
const latestJson = join(resultsDir, 'latest.json');
const startedAt = new Date(started).toISOString();
const stampName = startedAt.replace(/:/g, '-').replace(/\.\d+Z$/, 'Z');
const settings: RunResults['settings'] = {
  connections: CONNECTIONS,
  warmupSeconds,
  durationSeconds,
  server: values.server === 'start' ? 'start' : 'tsx',
  requestLog: requestLog === 'on',
};

function writeLatest(results: RunResults) {
  writeFileSync(latestJson, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(resultsDir, 'latest.md'), markdown(results));
  writeFileSync(join(resultsDir, 'latest.svg'), svg(results));
  say('wrote bench/results/latest.{json,md,svg}');
}

/** The growth section of the last full-length growth run, kept in latest.json beside the last full run. */
function previousGrowth(): GrowthResults | undefined {
  if (!existsSync(latestJson)) return undefined;
  return (JSON.parse(readFileSync(latestJson, 'utf8')) as RunResults).growth;
}

// ---------------------------------------------------------------- the run

mkdirSync(resultsDir, { recursive: true });
if (growthSizes) await growthRun(growthSizes);
else await standardRun();

async function standardRun() {
  say(
    `Tenor benchmark (${mode}): ${fmt(contracts)} contracts (+ ${fmt(dueForRenewal)} due for renewal), ${CONNECTIONS} connections, ` +
      `${warmupSeconds} s warm-up + ${durationSeconds} s per scenario${requestLog === 'off' ? ', request log off' : ''}`,
  );
  if (loadAtStart > 0.5) say(`note: the machine is already busy (load average ${loadAtStart}); req/s will be low, CPU per request less affected`);
  const stage = await prepareStage(contracts);
  bundle = values.server === 'start' ? buildServer() : undefined;
  say(bundle ? `server: ${bundle} (built by npm run build:node as npm start does, plain node)` : 'server: src/server.ts through tsx');

  // 1. the app: read-only scenarios; 2. floors, on the same data; 3. the app: writing scenarios
  const readPhase = loads.length > 0 ? await runOnApp(stage, reads, 'reads', true) : undefined;
  const floors = await runFloors(stage, loads, readPhase?.samples ?? new Map(), readPhase?.sampleDates, readPhase?.s1Body);
  const writePhase = writes.length > 0 ? await runOnApp(stage, writes, 'writes', false) : undefined;

  // 4. measures
  const measured = new Map<string, ScenarioResult>();
  const failures = new Map([...(readPhase?.failures ?? []), ...(writePhase?.failures ?? [])]);
  const context: BenchContext = {
    root: ROOT,
    quick: values.quick,
    databaseUrl: stage.databaseUrl,
    dataset: stage.dataset.summary,
    fixtures: stage.fixtures,
    scratchDir: stage.scratchDir,
    progress: say,
    freshCopy(name) {
      const path = join(stage.scratchDir, `${name}.db`);
      for (const file of [path, `${path}-wal`, `${path}-shm`]) rmSync(file, { force: true });
      copyFileSync(stage.dataset.url.replace(/^file:/, ''), path);
      // on disk before anything is timed: else the first checkpoint's fsync also writes back the whole copy
      const fd = openSync(path, 'r+');
      fsyncSync(fd);
      closeSync(fd);
      return `file:${path}`;
    },
    async startApp(options) {
      const app = await startTenor(stage, options);
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

  // results
  const appStats = new Map([...(readPhase?.stats ?? []), ...(writePhase?.stats ?? [])]);
  const scenarioResults: ScenarioResult[] = selected.map((s) =>
    s.kind === 'measure' ? measured.get(s.id)! : loadResult(s, appStats.get(s.id), failures.get(s.id), floors),
  );
  const rssMaxMiB = Math.max(readPhase?.rssMaxMiB ?? 0, writePhase?.rssMaxMiB ?? 0);
  const rssCheck: Check = { label: 'RSS', target: `≤ ${RSS_LIMIT_MIB} MiB`, limit: RSS_LIMIT_MIB, value: rssMaxMiB, unit: 'MiB', pass: rssMaxMiB <= RSS_LIMIT_MIB };
  // latest.* holds the default run: every scenario, default sizes and durations, the server as npm start runs it
  const writesLatest =
    mode === 'full' &&
    !only &&
    bundle !== undefined &&
    contracts === DEFAULT_CONTRACTS &&
    dueForRenewal === DEFAULT_DUE_FOR_RENEWAL &&
    values.warmup === undefined &&
    values.duration === undefined &&
    requestLog === 'on';
  const growth = writesLatest ? previousGrowth() : undefined;
  const results: RunResults = {
    startedAt,
    seconds: Math.round((Date.now() - started) / 1000),
    mode,
    only,
    machine: machine(),
    settings,
    dataset: stage.dataset.summary,
    floors: floors.floors,
    scenarios: scenarioResults,
    server: { rssMaxMiB, check: rssCheck },
    parity: floors.parity,
    pass: scenarioResults.every((s) => s.pass) && (loads.length === 0 || rssCheck.pass) && floors.parity.every((p) => p.same || p.dateChanged),
    // the last growth run's section stays beside the new figures
    ...(growth ? { growth } : {}),
  };

  const json = `${JSON.stringify(results, null, 2)}\n`;
  writeFileSync(join(resultsDir, `${stampName}${mode === 'quick' ? '-quick' : ''}.json`), json);
  if (writesLatest) writeLatest(results);
  say(`done in ${results.seconds} s; results in bench/results/${stampName}${mode === 'quick' ? '-quick' : ''}.json`);
  if (profileDir) say(`CPU profiles of the server: ${profileDir} (tsx bench/profile-summary.ts <file>)`);
  process.stdout.write(`\n${markdown({ ...results, growth: undefined })}`);
}

async function growthRun(sizes: readonly number[]) {
  say(
    `Tenor benchmark, growth (${mode}): ${reads.map((s) => s.id).join(', ')} and their floors at ${sizes.map(fmt).join(', ')} contracts` +
      `${dueForRenewal ? ` (+ ${fmt(dueForRenewal)} due for renewal)` : ''}, ${CONNECTIONS} connections, ${warmupSeconds} s warm-up + ${durationSeconds} s per load` +
      `${requestLog === 'off' ? ', request log off' : ''}`,
  );
  if (loadAtStart > 0.5) say(`note: the machine is already busy (load average ${loadAtStart}); req/s will be low, CPU per request less affected`);
  bundle = values.server === 'start' ? buildServer() : undefined;
  say(bundle ? `server: ${bundle} (built by npm run build:node as npm start does, plain node)` : 'server: src/server.ts through tsx');

  const points = new Map<string, GrowthPoint[]>(reads.map((s) => [s.id, []]));
  const floorPoints = new Map<string, GrowthPoint[]>(reads.map((s) => [s.id, []]));
  const sizeInfo: GrowthResults['sizes'] = [];
  const parity: GrowthResults['parity'] = [];
  let rssMaxMiB = 0;
  for (const size of sizes) {
    say(`— ${fmt(size)} contracts —`);
    const stage = await prepareStage(size);
    const summary = stage.dataset.summary;
    sizeInfo.push({
      contracts: size,
      dueForRenewal: summary.dueForRenewal,
      contractRows: summary.rows.customer_contracts ?? 0,
      today: summary.today,
      seedSeconds: summary.seconds,
      fileMiB: stage.fileMiB,
      reused: stage.dataset.reused,
    });
    const app = await runOnApp(stage, reads, `reads at ${fmt(size)}`, false);
    rssMaxMiB = Math.max(rssMaxMiB, app.rssMaxMiB);
    const floors = await runFloors(stage, reads, app.samples, app.sampleDates, undefined);
    for (const p of floors.parity) parity.push({ ...p, contracts: size });
    for (const s of reads) {
      const r = loadResult(s, app.stats.get(s.id), app.failures.get(s.id), floors);
      points.get(s.id)!.push({
        contracts: size,
        ...(r.load ? { load: r.load } : {}),
        ...(r.rssMiB !== undefined ? { rssMiB: r.rssMiB } : {}),
        ...(r.ratio !== undefined ? { ratio: r.ratio } : {}),
        ...(r.cpuRatio !== undefined ? { cpuRatio: r.cpuRatio } : {}),
        checks: r.checks,
        pass: r.pass,
        ...(r.error ? { error: r.error } : {}),
      });
      const floor = floors.floors.find((f) => f.id === `F1 ${s.id}`);
      floorPoints.get(s.id)!.push({ contracts: size, ...(floor ? { load: floor.load } : { error: 'did not run' }), checks: [], pass: true });
    }
  }

  const growthOf = (list: readonly GrowthPoint[]) => {
    const first = list[0]?.load?.rps;
    const last = list[list.length - 1]?.load?.rps;
    return first && last !== undefined ? round3(last / first) : undefined;
  };
  const scenarios: GrowthScenario[] = reads.map((s) => {
    const appPoints = points.get(s.id)!;
    const fPoints = floorPoints.get(s.id)!;
    const growth = growthOf(appPoints);
    const floorGrowth = growthOf(fPoints);
    return {
      id: s.id,
      title: s.title,
      request: s.request,
      points: appPoints,
      floorPoints: fPoints,
      ...(growth !== undefined ? { growth } : {}),
      ...(floorGrowth !== undefined ? { floorGrowth } : {}),
      pass: appPoints.every((p) => p.pass),
    };
  });
  const rssCheck: Check = { label: 'RSS', target: `≤ ${RSS_LIMIT_MIB} MiB`, limit: RSS_LIMIT_MIB, value: rssMaxMiB, unit: 'MiB', pass: rssMaxMiB <= RSS_LIMIT_MIB };
  const results: GrowthResults = {
    startedAt,
    seconds: Math.round((Date.now() - started) / 1000),
    mode,
    only,
    machine: machine(),
    settings,
    sizes: sizeInfo,
    scenarios,
    server: { rssMaxMiB, check: rssCheck },
    parity,
    pass: scenarios.every((s) => s.pass) && rssCheck.pass && parity.every((p) => p.same || p.dateChanged),
  };

  const file = `${stampName}${mode === 'quick' ? '-quick' : ''}-growth.json`;
  writeFileSync(join(resultsDir, file), `${JSON.stringify(results, null, 2)}\n`);
  if (mode === 'full' && !only && bundle !== undefined && values.warmup === undefined && values.duration === undefined && requestLog === 'on') {
    if (existsSync(latestJson)) writeLatest({ ...(JSON.parse(readFileSync(latestJson, 'utf8')) as RunResults), growth: results });
    else say('no bench/results/latest.json to put the growth section beside: run the full benchmark first');
  }
  say(`done in ${results.seconds} s; results in bench/results/${file}`);
  if (profileDir) say(`CPU profiles of the server: ${profileDir} (tsx bench/profile-summary.ts <file>)`);
  process.stdout.write(`\n${growthMarkdown(results)}`);
}
