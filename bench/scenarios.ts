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
import { CONTRACT_COLUMNS_NOT_RENDERED } from '../src/services/customer-contracts';
import { addDays } from '../src/domain/dates';
import type Sqlite from 'libsql';
import type { Fixtures, UsageGroup } from './lib/fixtures';
import type { UsageKind } from './lib/pricing-seed';
import type { Random } from './lib/random';
import { checkRollover, dueContracts, postRollover, type RolloverCheck, type RolloverRun, ownerTodays, rolloverScript, runRolloverScript } from './lib/rollover';
import type { Check, FloorResponse, LoadScenario, MeasureScenario, RequestSpec, Scenario } from './lib/scenario';

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
const columnList = (leaveOut: readonly string[]) =>
  Object.entries(getTableColumns(customerContracts))
    .filter(([key]) => !leaveOut.includes(key))
    .map(([, c]) => `"${c.name}"`)
    .join(', ');
/** a contract by id reads every column; lists leave out those the output never reads */
const COLUMNS = columnList([]);
const LIST_COLUMNS = columnList(CONTRACT_COLUMNS_NOT_RENDERED);
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

const S0: LoadScenario = {
  kind: 'load',
  id: 'S0',
  title: 'First page of an owner’s contracts, no filter',
  request: 'GET /v1/customer-contracts?pageSize=100',
  makeRequests(fixtures, random) {
    return () => {
      const owner = fixtures.ownerIds[randomIndex(random, fixtures.ownerIds.length)]!;
      return { method: 'GET', path: `/v1/customer-contracts?pageSize=${PAGE_SIZE}`, headers: auth(fixtures, owner) };
    };
  },
  floor: 'F1',
  /** the page in id order and, as the page is full, the count of the owner's current contracts (X-Total-Count) */
  databaseFloor(db) {
    const where = `where (${CC}."contract_owner_id" = ? and ${CURRENT})`;
    const rows = objectRows(db.prepare(`select ${LIST_COLUMNS} from ${CC} ${where} order by ${CC}."id" asc limit ?`));
    const count = db.prepare(`select count(*) from ${CC} ${where}`).raw();
    return (_url, ownerId) => page(rows(ownerId, PAGE_SIZE), () => (count.get(ownerId) as [number])[0]);
  },
  targets: READ_TARGETS,
};

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
    const rows = objectRows(db.prepare(`select ${LIST_COLUMNS} from ${CC} ${where} order by ${CC}."id" asc limit ?`));
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
    const where = `where (${CC}."contract_owner_id" = ? and ${CURRENT} and (${end} >= ? and ${end} <= date(?, ?) and ${end} >= ? and ${CC}."renewal_alert_start_date" <= ? and ${CURRENT} and (${CC}."termination_date" is null or ${CC}."termination_date" > ${end})))`;
    const rows = objectRows(db.prepare(`select ${LIST_COLUMNS} from ${CC} ${where} order by ${end} asc, ${CC}."id" asc limit ?`));
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

const U1_BATCH = 1000;
const DAY_SECONDS = 86_400;

/** A weighted pick from a fixed list, by binary search over cumulative weights. */
function picker<T>(items: readonly T[], weight: (item: T) => number): (random: Random) => T {
  const cumulative: number[] = [];
  let total = 0;
  for (const item of items) cumulative.push((total += weight(item)));
  return (random) => {
    const r = random.next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > r) hi = mid;
      else lo = mid + 1;
    }
    return items[lo]!;
  };
}

const U1: LoadScenario = {
  kind: 'load',
  id: 'U1',
  title: 'Rate usage records, batches of 1,000',
  request: 'POST /v2/usage-records',
  /**
   * Each request is one owner's batch of 1,000 records, as a mediation feed sends
   * them: 85 % calls (charge groups weighted local, national, mobile,
   * international, and premium rate at a markup on a cost), 15 % data (mostly UK,
   * some roaming); start times over the last 7 days, so every time band and a
   * month boundary now and then; call lengths mostly short. 2 % of lines (call
   * centres) carry 30 % of the calls, so their bundles run out during a run
   * (exhausted events, then charged usage), while most lines draw a little.
   */
  makeRequests(fixtures, random) {
    const { owners, upis, groups } = fixtures.usage;
    const pickOwner = picker(owners, (o) => upis[o]!.voice.length + upis[o]!.data.length);
    const perOwner = new Map<number, { heavy: number[]; pick: Record<UsageKind, (r: Random) => UsageGroup> }>();
    for (const o of owners) {
      const lines = random.shuffled(upis[o]!.voice);
      perOwner.set(o, {
        heavy: lines.slice(0, Math.max(1, Math.round(lines.length * 0.02))),
        pick: { voice: picker(groups[o]!.voice, (g) => g.weight), data: picker(groups[o]!.data, (g) => g.weight) },
      });
    }
    const base = Math.floor(Date.now() / 1000);
    let batch = 0;
    return () => {
      batch += 1;
      const owner = pickOwner(random);
      const { heavy, pick } = perOwner.get(owner)!;
      const mine = upis[owner]!;
      const records: Array<Record<string, unknown>> = [];
      for (let i = 0; i < U1_BATCH; i++) {
        const kind: UsageKind = mine.data.length > 0 && (mine.voice.length === 0 || random.chance(0.15)) ? 'data' : 'voice';
        const upi = kind === 'voice' && random.chance(0.3) ? random.pick(heavy) : random.pick(mine[kind]);
        const group = pick[kind](random);
        const r = random.next();
        const quantity =
          kind === 'data' ? Math.round((0.01 + random.next() * 50) * 1000) / 1000 : r < 0.7 ? random.int(5, 180) : r < 0.95 ? random.int(181, 900) : random.int(901, 3600);
        records.push({
          reference: `B${batch}-${i}`,
          usageProductInventoryId: upi,
          chargeGroupId: group.id,
          startTime: new Date((base - random.int(60, 7 * DAY_SECONDS)) * 1000).toISOString(),
          quantity,
          ...(group.markup ? { cost: random.int(10, 500) / 10 } : {}),
        });
      }
      return {
        method: 'POST',
        path: '/v2/usage-records',
        headers: { ...auth(fixtures, owner), 'content-type': 'application/json' },
        body: JSON.stringify({ records }),
      };
    };
  },
  floor: 'F0',
  // quality.md: "U1 ≥ 20,000 records/s with no batch of 1,000 over 1 s"
  targets: { minUnitsPerSecond: { unit: 'records', perRequest: U1_BATCH, min: 20_000 }, maxLatencyMs: 1000 },
  writes: true,
};

// --- measures ---

const R1_MIN_RATE = 5000;
const R1_MIN_FLOOR_RATIO = 0.6;

/** Checks that the runs renewed each due contract exactly once, linked, moved its assignments and announced it once. */
function exactlyOnce(label: string, check: RolloverCheck, due: number, runs: readonly RolloverRun[] = []): Check {
  const reported = runs.reduce((n, r) => n + r.renewed, 0);
  const problems = [
    ...runs.filter((r) => r.outcome !== 'COMPLETED' || r.errors > 0).map((r) => `a run ${r.outcome} with ${r.errors} errors`),
    runs.length > 0 && reported !== due && `the runs report ${reported} renewals`,
    check.renewals !== due && `${check.renewals} renewals`,
    check.stillDue !== 0 && `${check.stillDue} still due`,
    check.renewedTwice !== 0 && `${check.renewedTwice} renewed twice`,
    check.brokenLinks !== 0 && `${check.brokenLinks} broken links`,
    check.activeAssignments !== 2 * due && `${check.activeAssignments} active assignments`,
    check.activeOnCurrent !== check.activeAssignments && `${check.activeAssignments - check.activeOnCurrent} active on renewed contracts`,
    (check.events !== due || check.eventObjects !== due) && `${check.events} renewed events for ${check.eventObjects} contracts`,
  ].filter(Boolean);
  return {
    label,
    target: `${due.toLocaleString('en')} renewals, 1 each${problems.length ? ` (${problems.join(', ')})` : ''}`,
    limit: due,
    value: check.renewals,
    unit: 'renewals',
    pass: problems.length === 0,
  };
}

const R1: MeasureScenario = {
  kind: 'measure',
  id: 'R1',
  title: 'Rollover of the contracts due for renewal, with their assignments (POST /v1/jobs/rollover)',
  async run(bench) {
    const { ownerIds, token } = bench.fixtures.rollover;
    const asOf = bench.dataset.today;
    const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);
    const seconds = (ms: number) => Math.round(ms / 10) / 100;

    // three fresh copies of the data set: one job, two jobs at once, the floor
    const single = bench.freshCopy('r1-single');
    const double = bench.freshCopy('r1-double');
    const floor = bench.freshCopy('f2');

    // one job, as the timer or an admin runs it
    const due = dueContracts(single, ownerIds, asOf);
    if (due === 0) throw new Error('the data set has no contracts due for renewal (seed it with --due)');
    const app = await bench.startApp({ databaseUrl: single });
    // timed to the answer, not to the server's exit (a drain waits out idle keep-alive connections)
    let started = performance.now();
    let singleMs = 0;
    const run = await postRollover(app.url, token, asOf)
      .then((answer) => {
        singleMs = performance.now() - started;
        return answer;
      })
      .finally(() => app.stop());
    const singleCheck = checkRollover(single, ownerIds, asOf);
    bench.progress(`R1: one job renewed ${run.renewed.toLocaleString('en')} in ${seconds(singleMs)} s (${rate(due, singleMs).toLocaleString('en')} contracts/s), ${run.outcome}`);

    // two jobs at once on another fresh copy, each in its own server process on the same file (in one process
    // the job's statements never wait, so a second job there simply runs after the first): each contract must
    // still renew exactly once
    const apps = [await bench.startApp({ databaseUrl: double }), await bench.startApp({ databaseUrl: double })];
    started = performance.now();
    let doubleMs = 0;
    const runs = await Promise.all(apps.map((a) => postRollover(a.url, token, asOf)))
      .then((answers) => {
        doubleMs = performance.now() - started;
        return answers;
      })
      .finally(() => Promise.all(apps.map((a) => a.stop())));
    const doubleCheck = checkRollover(double, ownerIds, asOf);
    bench.progress(
      `R1: two jobs at once (two server processes) renewed ${runs.map((r) => r.renewed.toLocaleString('en')).join(' + ')} in ${seconds(doubleMs)} s; ` +
        `${doubleCheck.renewals.toLocaleString('en')} renewals, ${doubleCheck.renewedTwice} twice, ${doubleCheck.events.toLocaleString('en')} events`,
    );

    // F2: the same rollover as one SQL script
    const floorMs = runRolloverScript(floor, rolloverScript(ownerIds, asOf, new Date().toISOString(), 'f2', ownerTodays(floor, ownerIds)));
    const floorCheck = checkRollover(floor, ownerIds, asOf);
    bench.progress(`F2: the same as one SQL script in ${seconds(floorMs)} s (${rate(due, floorMs).toLocaleString('en')} contracts/s)`);

    const ratio = Math.round((floorMs / singleMs) * 1000) / 1000;
    return {
      figures: {
        contracts: { value: due, unit: 'due' },
        wall: { value: seconds(singleMs), unit: 's' },
        rate: { value: rate(due, singleMs), unit: 'contracts/s' },
        'two jobs wall': { value: seconds(doubleMs), unit: 's' },
        'two jobs rate': { value: rate(due, doubleMs), unit: 'contracts/s' },
        'renewed by job A': { value: runs[0]!.renewed, unit: '' },
        'renewed by job B': { value: runs[1]!.renewed, unit: '' },
      },
      floor: { id: 'F2', figure: { value: rate(due, floorMs), unit: 'contracts/s' } },
      ratio,
      checks: [
        { label: 'rate ÷ F2', target: `≥ ${R1_MIN_FLOOR_RATIO.toFixed(2)} × F2`, limit: R1_MIN_FLOOR_RATIO, value: ratio, unit: '× F2', pass: ratio >= R1_MIN_FLOOR_RATIO },
        { label: 'contracts/s', target: `≥ ${R1_MIN_RATE.toLocaleString('en')}`, limit: R1_MIN_RATE, value: rate(due, singleMs), unit: 'contracts/s', pass: rate(due, singleMs) >= R1_MIN_RATE },
        exactlyOnce('one job', singleCheck, due, [run]),
        exactlyOnce('two jobs at once', doubleCheck, due, runs),
        exactlyOnce('F2', floorCheck, due),
        {
          label: 'same as F2',
          target: 'identical renewals, links, assignments and events',
          limit: 1,
          value: singleCheck.digest === floorCheck.digest ? 1 : 0,
          unit: '',
          pass: singleCheck.digest === floorCheck.digest,
        },
      ],
      notes: [
        `one job: \`POST /v1/jobs/rollover\` with \`asOf\` ${asOf} (the data's date) and a token for the set's ${ownerIds.length} owners, on the server as npm start runs it, ` +
          'on a fresh copy of the data; timed from the request to its answer (the job runs inside it, 10,000 contracts a chunk, a transaction each).',
        `two jobs at once: two server processes on another fresh copy, each sent the same request at once (in one process the job never waits, ` +
          `so a second job there runs after the first); they renewed ${runs[0]!.renewed.toLocaleString('en')} + ${runs[1]!.renewed.toLocaleString('en')}, ` +
          `${doubleCheck.renewedTwice} contracts twice.`,
        'F2: the same rollover as one SQL script in one transaction (libSQL synchronous driver, the server\'s settings) on a third copy; ' +
          'its renewals, links, assignment moves and events are compared with the one job\'s, run times and actors aside.',
      ],
    };
  },
};

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

export const SCENARIOS: readonly Scenario[] = [S0, S1, S2, S3, S4, S5, U1, R1, W1];

/** What a growth run (`--growth`) measures at each size: the reads whose cost may grow with the data. */
export const GROWTH_SCENARIOS: readonly string[] = ['S0', 'S1', 'S2', 'S3'];

export function loadScenario(id: string): LoadScenario {
  const s = SCENARIOS.find((x) => x.id === id);
  if (!s || s.kind !== 'load') throw new Error(`no load scenario ${id}`);
  return s;
}
