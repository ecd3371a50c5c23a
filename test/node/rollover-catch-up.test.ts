/**
 * Catch-up is bounded (lifecycle.md, settled questions): a chain that renews
 * more than 1,200 times in one run is recorded as an error of that run and
 * skipped; the next run continues it. Node options (a D1 run stops at its
 * statement budget long before).
 */
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { systemCtx } from '../../src/db/context';
import { MAX_RENEWALS_PER_CHAIN, runLifecycle } from '../../src/jobs/lifecycle';
import { checkChains, insertDueContracts } from '../helpers/due-contracts';
import { createRuntime } from '../helpers/runtime.node';

it('records a chain renewing more than 1,200 times in one run as an error, skips it, and lets the others finish', async () => {
  const runtime = await createRuntime();
  const database = runtime.deps.database;
  // 1-month terms from 1900-01-01 need 1,513 renewals to reach 2026-02-15; three ordinary contracts need one each
  const { ownerId } = await insertDueContracts(database, 4, '2026-01-01');
  const [first] = await database.db.all<{ id: number }>(sql`select min(id) as id from customer_contracts where contract_owner_id = ${ownerId}`);
  await database.db.run(
    sql`update customer_contracts set start_date = '1900-01-01', anchor_date = '1900-01-01', billing_start_date = '1900-01-01',
      end_date = '1900-01-31', term_end_date = '1900-01-31' where id = ${first!.id}`,
  );
  const options = { asOf: '2026-02-15', budgetMs: 120_000, statementBudget: Number.POSITIVE_INFINITY, chunkSize: 10_000, sliceMs: 40 };
  const report = await runLifecycle(systemCtx(runtime.deps, Date.now(), 'catch-up'), options);
  expect(MAX_RENEWALS_PER_CHAIN).toBe(1200);
  expect(report.renewed).toBe(MAX_RENEWALS_PER_CHAIN + 3);
  expect(report.errors).toHaveLength(1);
  expect(report.errors[0]!.step).toBe('renew');
  expect(report.errors[0]!.error).toMatch(/1,200/);
  // the next run continues the chain where this one left it
  const next = await runLifecycle(systemCtx(runtime.deps, Date.now(), 'catch-up-2'), options);
  expect(next.errors).toEqual([]);
  expect(next.renewed).toBe(1513 - MAX_RENEWALS_PER_CHAIN);
  expect((await checkChains(database, ownerId)).problems).toEqual([]);
}, 60_000);
