/** A rollover killed half-way (the process, not a promise) and run again renews every contract exactly once. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, expect, it } from 'vitest';
import { parseConfig } from '../../src/config';
import { systemCtx } from '../../src/db/context';
import { createDeps } from '../../src/runtime';
import { migrateDatabase, openLocalDatabase } from '../../src/db/node';
import { runLifecycle } from '../../src/jobs/lifecycle';
import { computeEndDate } from '../../src/domain/terms';
import { checkChains, insertDueContracts } from '../helpers/due-contracts';

const dir = mkdtempSync(join(tmpdir(), 'tenor-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Monthly terms from the start until one covers `asOf`: how many renewals each contract needs. */
function renewalsNeeded(start: string, asOf: string): number {
  let months = 1;
  while (computeEndDate({ anchorDate: start, monthsFromAnchor: 0 }, months) < asOf) months += 1;
  return months - 1;
}

it('leaves exactly one renewal per term after a SIGKILL mid-run and a second run', async () => {
  const file = join(dir, 'crash.db');
  const database = openLocalDatabase(`file:${file}`);
  await migrateDatabase(database);
  const count = 2000;
  const start = '2024-01-31';
  const asOf = '2025-06-15';
  const { ownerId } = await insertDueContracts(database, count, start);
  const expected = count * renewalsNeeded(start, asOf);

  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/lifecycle-child.ts', file, asOf], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal === 'SIGKILL' ? -9 : _code)));

  // kill it once a good part of the work has been committed, while it is still running
  const renewedSoFar = async () => (await database.db.all<{ n: number }>(sql`select count(*) as n from customer_contracts where previous_customer_contract_id is not null`))[0]!.n;
  const deadline = Date.now() + 60_000;
  while ((await renewedSoFar()) < expected / 4) {
    if (Date.now() > deadline) throw new Error(`child made no progress: ${output}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill('SIGKILL');
  expect(await exited).toBe(-9);
  const partial = await renewedSoFar();
  expect(partial).toBeGreaterThan(0);
  expect(partial).toBeLessThan(expected);

  const deps = createDeps({ config: parseConfig({ TENOR_ENV: 'test', LOG_REQUESTS: 'false' }), database, log: () => {} });
  const report = await runLifecycle(systemCtx(deps, Date.now(), 'after-crash'), {
    asOf,
    budgetMs: 300_000,
    statementBudget: Number.POSITIVE_INFINITY,
    chunkSize: 500,
  });
  expect(report.outcome).toBe('COMPLETED');
  expect(report.errors).toEqual([]);
  expect(partial + report.renewed).toBe(expected);

  const check = await checkChains(database, ownerId);
  expect(check.problems).toEqual([]);
  expect(check.renewals).toBe(expected);
  expect(check.activeAssignments).toBe(count);
  expect(check.assignmentsOnCurrent).toBe(count);
  const [events] = await database.db.all<{ n: number }>(sql`select count(*) as n from outbox_events where type = 'customer_contract.renewed'`);
  expect(events!.n).toBe(expected);
  await database.close();
}, 120_000);
