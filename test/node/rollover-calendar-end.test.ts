/**
 * Defence in depth at the calendar's end: a contract stored before the API
 * refused such dates (start 9999-01-01 on a rolling 12-month profile) computes an
 * end one day short, so each renewal would end before it starts. The job refuses
 * a renewal that does not move forward, records it as an error of the run, and
 * finishes instead of writing contracts until the disk is full.
 */
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { systemCtx } from '../../src/db/context';
import { runLifecycle } from '../../src/jobs/lifecycle';
import { insertDueContracts } from '../helpers/due-contracts';
import { createRuntime } from '../helpers/runtime.node';

it('refuses a renewal that does not move forward, as an error of the run', async () => {
  const runtime = await createRuntime();
  const database = runtime.deps.database;
  const { ownerId } = await insertDueContracts(database, 1, '2025-01-31');
  // as stored by a version that accepted any year: 12 months from 9999-01-01, computed one day short
  await database.db.run(sql`update contract_profiles set contract_term = 12 where contract_owner_id = ${ownerId}`);
  await database.db.run(
    sql`update customer_contracts set start_date = '9999-01-01', anchor_date = '9999-01-01', billing_start_date = '9999-01-01',
      end_date = '9999-12-30', term_end_date = '9999-12-30' where contract_owner_id = ${ownerId}`,
  );
  const report = await runLifecycle(systemCtx(runtime.deps, Date.now(), 'test'), {
    asOf: '9999-12-31',
    budgetMs: 3_000,
    statementBudget: Number.POSITIVE_INFINITY,
    chunkSize: 100,
  });
  expect(report.renewed).toBe(0);
  expect(report.errors).toHaveLength(1);
  expect(report.errors[0]!.step).toBe('renew');
  expect(report.errors[0]!.error).toMatch(/forward/);
  expect(report.outcome).toBe('COMPLETED');
  const [count] = await database.db.all<{ n: number }>(sql`select count(*) as n from customer_contracts where contract_owner_id = ${ownerId}`);
  expect(count!.n).toBe(1);
}, 30_000);
