/**
 * Every benchmark scenario, in the order they run (read-only load scenarios,
 * then writing ones, then measures). To add one, append an entry here; see
 * bench/README.md. Targets come from spec/quality.md.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { getTableColumns } from 'drizzle-orm';
import { customerContracts } from '../src/db/schema';
import { addDays } from '../src/domain/dates';
import type Sqlite from 'libsql';
import type { Fixtures } from './lib/fixtures';
import type { Random } from './lib/random';
import type { FloorResponse, LoadScenario, MeasureScenario, RequestSpec, Scenario } from './lib/scenario';

const P99_MS = 25;
const READ_TARGETS = { minFloorRatio: 0.8, maxP99Ms: P99_MS };
const PAGE_SIZE = 100;

function auth(fixtures: Fixtures, ownerId: number): Record<string, string> {
  return { authorization: `Bearer ${fixtures.tokens[ownerId]}` };
}

function randomIndex(random: Random, length: number): number {
  return Math.floor(random.next() * length);
}

// --- the database floor: the SQL the app runs for S1–S3 (its column list from the schema) ---

type Statement = Sqlite.Statement;

const CC = '"customer_contracts"';
const COLUMNS = Object.values(getTableColumns(customerContracts))
  .map((c) => `"${c.name}"`)
  .join(', ');
const CURRENT = `${CC}."renewed_customer_contract_id" is null`;

/**
 * Rows as objects keyed by column name, built from the driver's array rows:
 * libsql's own object rows cost about twice as much (measured: 2.0 against
 * 1.1 ms for a page of 100 contracts), and a floor should be the fast way.
 */
function objectRows(statement: Statement): (...params: unknown[]) => Record<string, unknown>[] {
  const names = statement.columns().map((c) => c.name);
  statement.raw(true);
  return (...params) =>
    (statement.all(...params) as unknown[][]).map((values) => {
      const row: Record<string, unknown> = {};
      for (let i = 0; i < names.length; i++) row[names[i]!] = values[i];
      return row;
    });
}

function json(body: unknown, headers?: Record<string, string>): FloorResponse {
  return { status: 200, body: JSON.stringify(body), ...(headers ? { headers } : {}) };
}

/** A page of at most PAGE_SIZE rows; the total is counted only when the page is full (as the app does). */
function page(rows: unknown[], count: () => number): FloorResponse {
  const total = rows.length < PAGE_SIZE ? rows.length : count();
  return json(rows, { 'x-total-count': String(total) });
}

const NOT_FOUND: FloorResponse = { status: 404, body: '{"status":404}' };

// --- load scenarios ---

const S1: LoadScenario = {
  kind: 'load',
  id: 'S1',
  title: 'Get a contract by id',
  request: 'GET /v1/customer-contracts/{id}',
  makeRequests(fixtures, random) {
    const { ids, owners } = fixtures.contracts;
    return () => {
      const i = randomIndex(random, ids.length);
      return { method: 'GET', path: `/v1/customer-contracts/${ids[i]}`, headers: auth(fixtures, owners[i]!) };
    };
  },
  floor: 'F1',
  databaseFloor(db) {
    const byId = objectRows(db.prepare(`select ${COLUMNS} from ${CC} where ${CC}."id" = ?`));
    return (url, ownerId) => {
      const [row] = byId(Number(url.pathname.slice(url.pathname.lastIndexOf('/') + 1)));
      return row && row.contract_owner_id === ownerId ? json(row) : NOT_FOUND;
    };
  },
  targets: READ_TARGETS,
};

const S2: LoadScenario = {
  kind: 'load',
  id: 'S2',
  title: 'List a customer’s contracts',
  request: 'GET /v1/customer-contracts?customerId=…&pageSize=100',
  makeRequests(fixtures, random) {
    const { ids, owners } = fixtures.customers;
    return () => {
      const i = randomIndex(random, ids.length);
      return { method: 'GET', path: `/v1/customer-contracts?customerId=${ids[i]}&pageSize=${PAGE_SIZE}`, headers: auth(fixtures, owners[i]!) };
    };
  },
  floor: 'F1',
  databaseFloor(db) {
    const where = `where (${CC}."contract_owner_id" = ? and ${CURRENT} and ${CC}."customer_id" = ?)`;
    const rows = objectRows(db.prepare(`select ${COLUMNS} from ${CC} ${where} order by ${CC}."id" asc limit ?`));
    const count = db.prepare(`select count(*) from ${CC} ${where}`).raw();
    return (url, ownerId) => {
      const customerId = Number(url.searchParams.get('customerId'));
      return page(rows(ownerId, customerId, PAGE_SIZE), () => (count.get(ownerId, customerId) as [number])[0]);
    };
  },
  targets: READ_TARGETS,
};

const S3: LoadScenario = {
  kind: 'load',
  id: 'S3',
  title: 'Contracts in their renewal-alert window, by end date',
  request: 'GET /v1/customer-contracts?renewalAlert=true&sort=endDate&pageSize=100',
  makeRequests(fixtures, random) {
    return () => {
      const owner = fixtures.ownerIds[randomIndex(random, fixtures.ownerIds.length)]!;
      return { method: 'GET', path: `/v1/customer-contracts?renewalAlert=true&sort=endDate&pageSize=${PAGE_SIZE}`, headers: auth(fixtures, owner) };
    };
  },
  floor: 'F1',
  databaseFloor(db, tools) {
    const end = `${CC}."end_date"`;
    const where = `where (${CC}."contract_owner_id" = ? and ${CURRENT} and (${end} >= ? and ${end} <= date(?, ?) and ${end} >= ? and julianday(${end}) - ${CC}."renewal_alert_days" <= julianday(?) and ${CURRENT} and ${CC}."termination_date" is null))`;
    const rows = objectRows(db.prepare(`select ${COLUMNS} from ${CC} ${where} order by ${end} asc, ${CC}."id" asc limit ?`));
    const count = db.prepare(`select count(*) from ${CC} ${where}`).raw();
    return (_url, ownerId) => {
      const today = tools.todayOf(ownerId!);
      const params = [ownerId, today, today, '+28 days', today, today];
      return page(rows(...params, PAGE_SIZE), () => (count.get(...params) as [number])[0]);
    };
  },
  targets: READ_TARGETS,
};

const S4: LoadScenario = {
  kind: 'load',
  id: 'S4',
  title: 'Create a contract',
  request: 'POST /v1/customer-contracts',
  makeRequests(fixtures, random) {
    const { ids, owners, sites } = fixtures.customers;
    const startDates = Array.from({ length: 60 }, (_, d) => addDays(fixtures.today, d));
    return () => {
      const i = randomIndex(random, ids.length);
      const owner = owners[i]!;
      const body: Record<string, unknown> = {
        customerId: ids[i],
        contractProfileId: random.pick(fixtures.profiles[owner]!),
        startDate: random.pick(startDates),
      };
      if (random.chance(0.5)) body.siteId = random.pick(sites[i]!);
      return {
        method: 'POST',
        path: '/v1/customer-contracts',
        headers: { ...auth(fixtures, owner), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      };
    };
  },
  floor: 'F0',
  targets: { maxP99Ms: P99_MS },
  writes: true,
};

const S5: LoadScenario = {
  kind: 'load',
  id: 'S5',
  title: 'Change a contract’s notice period (JSON Patch)',
  request: 'PATCH /v1/customer-contracts/{id}',
  makeRequests(fixtures, random) {
    // walk the current contracts in a random order, so concurrent requests never touch the same one (no 409s)
    const { ids, owners, noticePeriodDays } = fixtures.editable;
    const order = random.shuffled(ids.map((_, i) => i));
    const last = new Map<number, number>();
    let next = 0;
    return (): RequestSpec => {
      const i = order[next++ % order.length]!;
      const value = ((last.get(i) ?? noticePeriodDays[i]!) + 1) % 366;
      last.set(i, value);
      return {
        method: 'PATCH',
        path: `/v1/customer-contracts/${ids[i]}`,
        headers: { ...auth(fixtures, owners[i]!), 'content-type': 'application/json-patch+json' },
        body: JSON.stringify([{ op: 'replace', path: '/noticePeriodDays', value }]),
      };
    };
  },
  floor: 'F0',
  targets: { maxP99Ms: P99_MS },
  writes: true,
};

// --- measures ---

const WORKER_BUDGET_KIB = 250;

const W1: MeasureScenario = {
  kind: 'measure',
  id: 'W1',
  title: 'Worker bundle (wrangler deploy --dry-run)',
  async run(bench) {
    const outdir = join(bench.scratchDir, 'worker-bundle');
    rmSync(outdir, { recursive: true, force: true });
    mkdirSync(outdir, { recursive: true });
    const wrangler = join(bench.root, 'node_modules', '.bin', 'wrangler');
    await new Promise<void>((resolve, reject) => {
      const child = spawn(wrangler, ['deploy', '--dry-run', '--outdir', outdir], {
        cwd: bench.root,
        env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`wrangler exited with ${code}:\n${output}`))));
    });
    let raw = 0;
    let gzipped = 0;
    for (const file of readdirSync(outdir)) {
      if (!/\.(m?js|wasm)$/.test(file)) continue;
      const bytes = readFileSync(join(outdir, file));
      raw += bytes.length;
      gzipped += gzipSync(bytes).length;
    }
    const kib = (n: number) => Math.round((n / 1024) * 10) / 10;
    return {
      figures: { raw: { value: kib(raw), unit: 'KiB' }, gzip: { value: kib(gzipped), unit: 'KiB' } },
      checks: [
        {
          label: 'gzipped',
          target: `≤ ${WORKER_BUDGET_KIB} KiB`,
          limit: WORKER_BUDGET_KIB,
          value: kib(gzipped),
          unit: 'KiB',
          pass: gzipped <= WORKER_BUDGET_KIB * 1024,
        },
      ],
    };
  },
};

export const SCENARIOS: readonly Scenario[] = [S1, S2, S3, S4, S5, W1];

export function loadScenario(id: string): LoadScenario {
  const s = SCENARIOS.find((x) => x.id === id);
  if (!s || s.kind !== 'load') throw new Error(`no load scenario ${id}`);
  return s;
}
