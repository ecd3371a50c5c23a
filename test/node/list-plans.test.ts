/**
 * The query plans of the customer-contract list: every statement the route runs for
 * its first page and for its count (X-Total-Count), plain and with each filter it
 * accepts, is explained (EXPLAIN QUERY PLAN) on the test's database, once without
 * planner statistics and once with statistics shaped like a 1,000,000-contract file
 * (10 owners, 90 % of contracts current). None may scan a large table, and the
 * counts the indexes can cover must not read table rows — so a later change to an
 * index or a filter cannot quietly make a list cost as much as its table.
 */
import type Sqlite from 'libsql';
import { beforeAll, describe, expect, it } from 'vitest';
import * as f from '../helpers/factories';
import { type Harness, harness, type Owner } from '../helpers/harness';
import { planOf, type Recorded, startRecording, stopRecording } from '../helpers/statements';


/** Tables large enough that reading all of one (or all its index) for a list is a bug. */
const LARGE = new Set(['customer_contracts', 'customer_contract_assignments', 'rental_product_inventories', 'customers', 'sites', 'usage_records', 'outbox_events']);

/** What is wrong with a statement's plan: a full scan of a large table, or (for a count that should be covered) a read of table rows. */
function planProblems(s: Recorded, countCovered: boolean): string[] {
  const plan = planOf(s);
  const problems: string[] = [];
  for (const line of plan) {
    const scan = /^SCAN (\S+)/.exec(line);
    if (scan && LARGE.has(scan[1]!)) problems.push(`${line} in: ${s.sql}`);
  }
  if (countCovered && /^select count\(\*\)/i.test(s.sql.trim())) {
    const roots = new Set(
      (s.db.prepare(`select rootpage from sqlite_schema where type = 'table' and name = 'customer_contracts'`).all() as Array<{ rootpage: number }>).map((r) => r.rootpage),
    );
    const program = s.db.prepare(`explain ${s.sql}`).all(...s.params) as Array<{ opcode: string; p1: number; p2: number }>;
    const cursors = new Set(program.filter((op) => op.opcode === 'OpenRead' && roots.has(op.p2)).map((op) => op.p1));
    if (program.some((op) => op.opcode === 'Column' && cursors.has(op.p1))) problems.push(`count reads table rows (${plan.join('; ')}): ${s.sql}`);
  }
  return problems;
}

/** sqlite_stat1 rows as ANALYZE writes them for 1,000,000 contracts of 10 owners (90 % current). */
const STATS_1M: Array<[string, string | null, string]> = [
  ['customer_contracts', null, '1000000'],
  ['customer_contracts', 'customer_contracts_previous', '1000000 1'],
  ['customer_contracts', 'customer_contracts_owner_external_ref', '900000 90000 1'],
  ['customer_contracts', 'customer_contracts_owner', '1000000 100000'],
  ['customer_contracts', 'customer_contracts_owner_current', '900000 90000'],
  ['customer_contracts', 'customer_contracts_customer', '1000000 10 3'],
  ['customer_contracts', 'customer_contracts_site', '1000000 10'],
  ['customer_contracts', 'customer_contracts_profile', '1000000 10000 9000 9000'],
  ['customer_contracts', 'customer_contracts_rollover', '1000000 10000 9000 9000'],
  ['customer_contracts', 'customer_contracts_start', '1000000 300 30 30'],
  ['customer_contracts', 'customer_contracts_end', '1000000 300'],
  ['customer_contracts', 'customer_contracts_owner_name', '1000000 100000 10 10'],
  ['customer_contracts', 'customer_contracts_pricing_tier', '1000000 1000000'],
  ['customer_contracts', 'customer_contracts_service_fee', '1000000 1000000'],
  ['customer_contracts', 'customer_contracts_unsettled_end', '500000 300'],
  ['customer_contracts', 'customer_contracts_owner_current_end', '900000 90000 30 1 1 1 1 1'],
  ['customer_contract_assignments', null, '1000000'],
  ['customer_contract_assignments', 'cca_contract', '1000000 1 1'],
  ['customer_contract_assignments', 'cca_owner', '1000000 100000'],
  ['rental_product_inventories', null, '1000000'],
];

let h: Harness;
let owner: Owner;
let contract: any;
let connection: Sqlite.Database;

beforeAll(async () => {
  h = await harness();
  owner = await h.newOwner();
  const profile = await f.contractProfile(owner);
  const customer = await f.customer(owner);
  contract = await f.customerContract(owner, { customerId: customer.id, contractProfileId: profile.id, externalRef: 'plan-1', name: 'Plan check one' });
  await f.customerContract(owner, { customerId: customer.id, contractProfileId: profile.id, name: 'Plan check two', endDate: '2030-01-31' });
  // the connection the app runs on
  startRecording();
  await owner.api.get('/v1/customer-contracts', { pageSize: 1 });
  connection = stopRecording().find((r) => /customer_contracts/.test(r.sql))!.db;
});

/** Every request the list accepts: each filter once (ranges and negations too), sort=endDate. */
function requests(): Array<Record<string, string | number>> {
  const queries: Array<Record<string, string | number>> = [
    {},
    { id: contract.id },
    { contractOwnerId: owner.id },
    { name: 'Plan check one' },
    { name: 'like:check' },
    { customerId: contract.customerId },
    { siteId: 1 },
    { contractProfileId: contract.contractProfileId },
    { startDate: '2025-01-01' },
    { startDate: 'ge:2024-01-01,lt:2026-01-01' },
    { endDate: 'ge:2026-01-01' },
    { endDate: '2030-01-31' },
    { rolloverContractProfileId: contract.contractProfileId },
    { externalRef: 'plan-1' },
    { status: 'ACTIVE' },
    { status: 'in:ACTIVE,IN_NOTICE' },
    { status: 'EXPIRED' },
    { status: 'RENEWED' },
    { renewalAlert: 'true' },
    { renewalAlert: 'true', sort: 'endDate' },
    { renewalAlert: 'false' },
    { noticePeriod: 'true' },
    { noticePeriod: 'false' },
    { filter: 'check' },
    { includeSupersededVersions: 'true' },
    { recentWithRPIsOrFuture: 'true' },
    { sort: 'endDate' },
    { sort: 'name:desc' },
    { sort: 'startDate' },
    { cursor: '' },
  ];
  return queries.map((q) => ({ ...q, pageSize: 1 }));
}

/**
 * Whether the request's count must stay in an index (never read a table row). The
 * rest are counted through an index too but test rows they read: a few rows (id,
 * customer, site), or a text search, a correlated EXISTS, the status CASE or a negated
 * window over the owner's current contracts (linear; the count cache keeps them).
 */
function countCovered(query: Record<string, unknown>): boolean {
  const keys = Object.keys(query).filter((k) => k !== 'pageSize' && k !== 'sort' && k !== 'cursor');
  if (keys.length === 0) return query.sort === undefined || query.sort === 'endDate';
  const covered = ['contractOwnerId', 'contractProfileId', 'rolloverContractProfileId', 'endDate', 'externalRef', 'includeSupersededVersions'];
  if (keys.every((k) => covered.includes(k))) return true;
  if (keys.length === 1 && keys[0] === 'startDate') return !String(query.startDate).includes(':');
  return (keys[0] === 'renewalAlert' || keys[0] === 'noticePeriod') && query[keys[0]] === 'true';
}

async function statementsOf(query: Record<string, string | number>): Promise<Recorded[]> {
  const out: Recorded[] = [];
  // the first page, and a second one: a page past the rows always counts
  for (const page of [1, 2]) {
    if ('cursor' in query && page === 2) continue;
    startRecording();
    const res = await owner.api.get('/v1/customer-contracts', 'cursor' in query ? query : { ...query, page });
    const recorded = stopRecording();
    expect(res.status, `${JSON.stringify(query)}: ${res.text}`).toBe(200);
    out.push(...recorded.filter((r) => /from "customer_contracts"/.test(r.sql)));
  }
  return out;
}

describe('the customer-contract list’s query plans', () => {
  it('flag a full scan and a count that reads rows (the check can fail)', () => {
    expect(planProblems({ sql: 'select count(*) from customer_contracts where notes = ?', params: ['x'], db: connection }, true).join()).toMatch(/SCAN customer_contracts/);
    expect(
      planProblems({ sql: 'select count(*) from customer_contracts indexed by customer_contracts_owner where contract_owner_id = ? and renewed_customer_contract_id is null', params: [owner.id], db: connection }, true).join(),
    ).toMatch(/count reads table rows/);
  });

  for (const stats of ['none', '1M'] as const) {
    it(`use an index for every page and count, with ${stats === 'none' ? 'no statistics' : 'statistics of 1,000,000 contracts'}`, async () => {
      if (stats === '1M') {
        connection.exec('analyze');
        connection.exec(`delete from sqlite_stat1`);
        const insert = connection.prepare('insert into sqlite_stat1 (tbl, idx, stat) values (?, ?, ?)');
        for (const row of STATS_1M) insert.run(...row);
        connection.exec('analyze sqlite_schema');
      }
      // a write: the counts of the run before are no longer kept, so this run counts again
      await f.customerContract(owner, { customerId: contract.customerId, contractProfileId: contract.contractProfileId });
      const problems: string[] = [];
      let counts = 0;
      for (const query of requests()) {
        const statements = await statementsOf(query);
        expect(statements.length, JSON.stringify(query)).toBeGreaterThan(0);
        for (const s of statements) {
          if (/^select count\(\*\)/i.test(s.sql)) counts++;
          problems.push(...planProblems(s, countCovered(query)).map((p) => `${JSON.stringify(query)}: ${p}`));
        }
      }
      expect(problems).toEqual([]);
      // the counts ran (a page past the rows counts), so they were checked
      expect(counts).toBeGreaterThan(20);
    });
  }
});

describe('fields= in the SQL', () => {
  async function pageStatement(query: Record<string, string | number>): Promise<{ sql: string; body: any[] }> {
    startRecording();
    const res = await owner.api.get('/v1/customer-contracts', query);
    const recorded = stopRecording();
    expect(res.status, res.text).toBe(200);
    const page = recorded.find((r) => /^select .* from "customer_contracts"/.test(r.sql) && !/count\(\*\)/.test(r.sql))!;
    return { sql: page.sql, body: res.body };
  }

  it('reads only the columns of the fields asked for, and renders them as the full row does', async () => {
    const full = await pageStatement({ pageSize: 5 });
    expect(full.sql).toContain('"notes"');
    const some = await pageStatement({ pageSize: 5, fields: 'name,status,value' });
    expect(some.sql).not.toContain('"notes"');
    expect(some.sql).not.toContain('"properties"');
    expect(some.sql).toContain('"name"');
    expect(some.sql).toContain('"termination_date"');
    expect(some.body).toEqual(full.body.map((c: any) => ({ id: c.id, name: c.name, status: c.status, value: c.value })));
  });
});
