/**
 * A server process killed (SIGKILL) in the middle of `POST /v1/jobs/rollover`
 * with an Idempotency-Key leaves neither the key nor the run stuck for longer
 * than a lease (quality.md §Faults): the key answers 409 while its lease runs,
 * and a retry after it runs the job, which records the killed run as FAILED and
 * leaves exactly one renewal per term.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { parseConfig } from '../../src/config';
import { createDeps } from '../../src/runtime';
import { migrateDatabase, openLocalDatabase } from '../../src/db/node';
import { computeEndDate } from '../../src/domain/terms';
import { IDEMPOTENCY_LEASE_MS } from '../../src/http/middleware';
import { JOB_RUN_LEASE_MS } from '../../src/jobs/runs';
import { freePort, spawnServer, untilListening } from '../helpers/child-server';
import { checkChains, insertDueContracts } from '../helpers/due-contracts';
import { signTestToken } from '../helpers/harness';
import { TEST_JWT_SECRET } from '../helpers/secrets';

const dir = mkdtempSync(join(tmpdir(), 'tenor-crash-key-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function renewalsNeeded(start: string, asOf: string): number {
  let months = 1;
  while (computeEndDate({ anchorDate: start, monthsFromAnchor: 0 }, months) < asOf) months += 1;
  return months - 1;
}

it('frees an Idempotency-Key and fails a RUNNING run once their leases pass after the process died', async () => {
  const file = join(dir, 'crash.db');
  const database = openLocalDatabase(`file:${file}`);
  await migrateDatabase(database);
  const count = 3000;
  const start = '2024-01-31';
  const asOf = '2025-06-15';
  const { ownerId } = await insertDueContracts(database, count, start);
  const expected = count * renewalsNeeded(start, asOf);
  const token = await signTestToken({ sub: 'crash-test', owners: ['*'], scope: '*' });
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': 'rollover-once' };
  const body = JSON.stringify({ asOf });

  const port = await freePort();
  const server = spawnServer({ DATABASE_URL: `file:${file}`, PORT: String(port) });
  await untilListening(server);
  const first = fetch(`${server.url}/v1/jobs/rollover`, { method: 'POST', headers, body }).catch((error: unknown) => error);

  const count1 = async (query: ReturnType<typeof sql>) => (await database.db.all<{ n: number }>(query))[0]!.n;
  const renewed = () => count1(sql`select count(*) as n from customer_contracts where previous_customer_contract_id is not null`);
  const deadline = Date.now() + 60_000;
  while ((await renewed()) < expected / 10) {
    if (Date.now() > deadline) throw new Error(`the server made no progress: ${server.output()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  server.child.kill('SIGKILL');
  expect((await server.exited).signal).toBe('SIGKILL');
  expect(await first).toBeInstanceOf(Error);
  const partial = await renewed();
  expect(partial).toBeLessThan(expected);

  // what the dead process left: a key in progress and a RUNNING run
  const [key] = await database.db.all<{ status: number | null; lease: number }>(sql`select status, lease_expires_at as lease from idempotency_keys`);
  expect(key!.status).toBeNull();
  expect(key!.lease - Date.now()).toBeLessThanOrEqual(IDEMPOTENCY_LEASE_MS);
  const [running] = await database.db.all<{ id: number; outcome: string }>(sql`select id, outcome from job_runs`);
  expect(running!.outcome).toBe('RUNNING');

  // a second server on the same file, its clock moved on as needed
  let offset = 0;
  const deps = createDeps({
    config: parseConfig({ JWT_SECRET: TEST_JWT_SECRET, TENOR_ENV: 'test', LOG_REQUESTS: 'false', JOBS_ENABLED: 'false' }),
    database,
    clock: () => Date.now() + offset,
    log: () => {},
  });
  const app = createApp({ deps: () => deps });
  const post = () => app.fetch(new Request('http://tenor.test/v1/jobs/rollover', { method: 'POST', headers, body }));

  // within the lease the key is still held: 409
  expect((await post()).status).toBe(409);
  // after it, the retry runs: neither 24 hours nor for ever
  offset = Math.max(IDEMPOTENCY_LEASE_MS, JOB_RUN_LEASE_MS) + 1_000;
  const retry = await post();
  const run: any = await retry.json();
  expect(retry.status, JSON.stringify(run)).toBe(200);
  expect(retry.headers.get('idempotent-replayed')).toBeNull();
  expect(run.outcome).toBe('COMPLETED');
  expect(run.report.abandonedRuns).toEqual([running!.id]);
  expect(partial + run.renewed).toBe(expected);

  const runs = await database.db.all<{ id: number; outcome: string; finished: string | null }>(sql`select id, outcome, finished_at as finished from job_runs order by id`);
  expect(runs.map((r) => r.outcome)).toEqual(['FAILED', 'COMPLETED']);
  expect(runs[0]!.finished).not.toBeNull();
  // and the key now replays the retry's response
  const replay = await post();
  expect(replay.headers.get('idempotent-replayed')).toBe('true');
  expect(((await replay.json()) as any).id).toBe(run.id);

  const check = await checkChains(database, ownerId);
  expect(check.problems).toEqual([]);
  expect(check.renewals).toBe(expected);
  expect(check.assignmentsOnCurrent).toBe(count);
  await database.close();
}, 120_000);
