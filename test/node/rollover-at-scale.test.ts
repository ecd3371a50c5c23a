/** Exactly once at scale: concurrent runs over 10,000 due contracts (Node, libSQL in memory). */
import { describe, expect, it } from 'vitest';
import { systemCtx } from '../../src/db/context';
import { runLifecycle } from '../../src/jobs/lifecycle';
import { checkChains, insertDueContracts } from '../helpers/due-contracts';
import { createRuntime } from '../helpers/runtime.node';

describe('rollover at scale', () => {
  it('two runs at the same time over 10,000 due contracts renew each exactly once, moving every assignment', async () => {
    const runtime = await createRuntime();
    const count = 10_000;
    const { ownerId } = await insertDueContracts(runtime.deps.database, count);
    const options = { asOf: '2025-03-15', budgetMs: 120_000, statementBudget: Number.POSITIVE_INFINITY, chunkSize: 500 };
    const now = Date.now();
    const [a, b] = await Promise.all([
      runLifecycle(systemCtx(runtime.deps, now, 'job-a'), options),
      runLifecycle(systemCtx(runtime.deps, now, 'job-b'), options),
    ]);
    // 2025-01-31 + monthly terms: the first ends 02-27, its renewal (02-28..03-30) covers 2025-03-15
    expect(a.renewed + b.renewed).toBe(count);
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
    const check = await checkChains(runtime.deps.database, ownerId);
    expect(check.problems).toEqual([]);
    expect(check.renewals).toBe(count);
    expect(check.activeAssignments).toBe(count);
    expect(check.assignmentsOnCurrent).toBe(count);
    const again = await runLifecycle(systemCtx(runtime.deps, now, 'job-c'), options);
    expect(again.renewed).toBe(0);
  }, 120_000);

  it('stops at its statement budget with a PARTIAL outcome and the next run continues', async () => {
    const runtime = await createRuntime();
    const { ownerId } = await insertDueContracts(runtime.deps.database, 300);
    const now = Date.now();
    const first = await runLifecycle(systemCtx(runtime.deps, now), { asOf: '2025-03-01', budgetMs: 60_000, statementBudget: 25, chunkSize: 100 });
    expect(first.outcome).toBe('PARTIAL');
    expect(first.renewed).toBeGreaterThan(0);
    expect(first.renewed).toBeLessThan(300);
    const second = await runLifecycle(systemCtx(runtime.deps, now), { asOf: '2025-03-01', budgetMs: 60_000, statementBudget: 10_000, chunkSize: 100 });
    expect(second.outcome).toBe('COMPLETED');
    expect(first.renewed + second.renewed).toBe(300);
    expect((await checkChains(runtime.deps.database, ownerId)).problems).toEqual([]);
  });
});
