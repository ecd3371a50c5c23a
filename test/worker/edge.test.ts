/**
 * The Worker at month-end scale, inside workerd: the hourly trigger fans out
 * through the work queue and the consumer renews within D1's per-invocation
 * limit, exactly once; D1 sessions carry a bookmark; owner shards keep each
 * owner's rows in its own database. The queue's producer is replaced by one that
 * keeps what is sent, and the consumer is called with those messages as
 * batches (createMessageBatch), so the test decides when each batch arrives.
 */
import { createExecutionContext, createScheduledController, getQueueResult, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { d1Database } from '../../src/db/d1';
import worker, { type Env } from '../../src/worker';
import { checkChains, insertDueContracts } from '../helpers/due-contracts';
import * as f from '../helpers/factories';
import { type Harness, harness, signTestToken, unique } from '../helpers/harness';
import { batchOf, capturingEnv, drain } from './work-queue';

let h: Harness;
beforeAll(async () => {
  h = await harness();
  // the shard's owners take ids from their own range (README, "Owner shards"); SHARDS (vitest.config.ts) lists 900001-900009
  await (env as unknown as Env & { DB_SHARD_1: D1Database })
    .DB_SHARD_1.prepare(
      `insert into sqlite_sequence (name, seq) select 'contract_owners', 900000
       where not exists (select 1 from sqlite_sequence where name = 'contract_owners')`,
    )
    .run();
  await (env as unknown as { DB_SHARD_1: D1Database }).DB_SHARD_1.prepare(`update sqlite_sequence set seq = max(seq, 900000) where name = 'contract_owners'`).run();
});

const bindings = env as unknown as Env & { DB_SHARD_1: D1Database };

async function scheduled(testEnv: Env) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '0 * * * *' }) as never, testEnv, ctx as never);
  await waitOnExecutionContext(ctx);
}

/** The first day of the month `back` months before this one (a 1-month contract starting then is due `back` times). */
function monthsAgo(back: number): string {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - back, 1)).toISOString().slice(0, 10);
}

async function lastRun(database: D1Database) {
  return (await database.prepare('select * from job_runs order by id desc limit 1').first()) as Record<string, any>;
}

describe('queue fan-out', () => {
  it('renews every due contract exactly once through the queue, no invocation over 1,000 queries, on each shard', async () => {
    const primary = d1Database(bindings.DB);
    const shard = d1Database(bindings.DB_SHARD_1);
    const a = await insertDueContracts(primary, 2500, monthsAgo(1));
    const b = await insertDueContracts(shard, 1200, monthsAgo(1));
    expect(b.ownerId).toBeGreaterThan(900000);
    // three contracts two terms behind: the item renews their renewals too (catch-up)
    await primary.db.run(sql`update customer_contracts set start_date = ${monthsAgo(2)}, anchor_date = ${monthsAgo(2)},
      end_date = date(${monthsAgo(1)}, '-1 day'), term_end_date = date(${monthsAgo(1)}, '-1 day')
      where id in (select id from customer_contracts where contract_owner_id = ${a.ownerId} order by id limit 3)`);

    const { env: testEnv, sent } = capturingEnv();
    await scheduled(testEnv);
    const renewItems = sent.filter((i) => i.kind === 'renew');
    // 2,500 of one owner in items of at most 1,000; 1,200 on the shard, stamped with its binding
    expect(renewItems.filter((i) => i.ownerId === a.ownerId).map((i) => i.ids!.length)).toEqual([1000, 1000, 500]);
    expect(renewItems.filter((i) => i.ownerId === b.ownerId).map((i) => [i.db, i.ids!.length])).toEqual([['DB_SHARD_1', 1000], ['DB_SHARD_1', 200]]);
    expect((await lastRun(bindings.DB)).outcome).toBe('RUNNING');

    const delivered = [...sent];
    const { maxQueries } = await drain(testEnv, sent);
    expect(maxQueries).toBeGreaterThan(0);
    expect(maxQueries).toBeLessThanOrEqual(1000);

    const chainsA = await checkChains(primary, a.ownerId);
    expect(chainsA).toMatchObject({ renewals: 2503, problems: [], activeAssignments: 2500, assignmentsOnCurrent: 2500 });
    const chainsB = await checkChains(shard, b.ownerId);
    expect(chainsB).toMatchObject({ renewals: 1200, problems: [], activeAssignments: 1200, assignmentsOnCurrent: 1200 });
    // each owner's rows are in its own database only
    expect((await checkChains(shard, a.ownerId)).renewals).toBe(0);
    expect((await checkChains(primary, b.ownerId)).renewals).toBe(0);

    const runA = await lastRun(bindings.DB);
    expect(runA).toMatchObject({ outcome: 'COMPLETED', renewed: 2503, errors: 0 });
    expect(JSON.parse(runA.report).pending).toEqual({});
    expect(await lastRun(bindings.DB_SHARD_1)).toMatchObject({ outcome: 'COMPLETED', renewed: 1200 });

    // the queue delivers at least once: every item again changes and counts nothing
    const again = delivered.filter((i) => i.kind !== 'deliver-webhooks');
    await drain(testEnv, again);
    expect(await checkChains(primary, a.ownerId)).toEqual(chainsA);
    expect(await lastRun(bindings.DB)).toMatchObject({ outcome: 'COMPLETED', renewed: 2503 });
  }, 120_000);

  it('retries an item that fails and records a dead-lettered item in its run, which ends FAILED', async () => {
    const primary = d1Database(bindings.DB);
    const { ownerId } = await insertDueContracts(primary, 30, monthsAgo(1));
    const { env: testEnv, sent } = capturingEnv();
    await scheduled(testEnv);
    const item = sent.find((i) => i.kind === 'renew' && i.ownerId === ownerId)!;
    const run = await lastRun(bindings.DB);
    expect(run.outcome).toBe('RUNNING');

    // a failing attempt (its database cannot be reached) is retried, with a delay
    const failing = batchOf('tenor-work', [{ ...item, db: 'DB_UNREACHABLE' }]);
    const ctx = createExecutionContext();
    await worker.queue(failing as never, testEnv, ctx as never);
    const result = await getQueueResult(failing, ctx);
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages).toHaveLength(1);

    // after max_retries the queue hands it to the dead-letter queue, whose consumer records it in the run
    const dead = batchOf('tenor-work-dlq', [item], 4);
    const dctx = createExecutionContext();
    await worker.queue(dead as never, testEnv, dctx as never);
    expect((await getQueueResult(dead, dctx)).explicitAcks).toHaveLength(1);

    await drain(testEnv, sent.filter((i) => i !== item));
    const finished = await lastRun(bindings.DB);
    expect(finished).toMatchObject({ id: run.id, outcome: 'FAILED', errors: 1, renewed: 0 });
    const report = JSON.parse(finished.report);
    expect(report.failedItems).toBe(1);
    expect(report.failures[`s${item.seq}`]).toMatchObject({ kind: 'renew', ownerId, error: expect.stringMatching(/dead-lettered/) });
    expect((await checkChains(primary, ownerId)).renewals).toBe(0);
  }, 60_000);
});

describe('D1 sessions', () => {
  it('returns a bookmark, and a read with it sees the write before it', async () => {
    const owner = await h.newOwner();
    const created = await owner.api.post('/v1/customers', { contractOwnerId: owner.id, customerName: unique('C ') });
    expect(created.status).toBe(201);
    const bookmark = created.headers.get('x-d1-bookmark');
    expect(bookmark).toBeTruthy();
    const read = await owner.api.get(`/v1/customers/${created.body.id}`, undefined, { headers: { 'x-d1-bookmark': bookmark! } });
    expect(read.status).toBe(200);
    expect(read.body.id).toBe(created.body.id);
    expect(read.headers.get('x-d1-bookmark')).toBeTruthy();
    // a bookmark D1 does not know is not an error: the request is served from the primary
    expect((await owner.api.get(`/v1/customers/${created.body.id}`, undefined, { headers: { 'x-d1-bookmark': 'nonsense' } })).status).toBe(200);
  });
});

describe('owner shards', () => {
  it("keeps each owner's rows in its own database and tenancy across them", async () => {
    const onPrimary = await h.newOwner();
    const shard = d1Database(bindings.DB_SHARD_1);
    const [row] = await shard.db.all<{ id: number }>(
      sql`insert into contract_owners (name, currency_code, timezone, available_from, created_date, updated_date, created_by, updated_by, version)
        values (${unique('Shard owner ')}, 'GBP', 'Europe/London', '2020-01-01', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'test', 'test', 1) returning id`,
    );
    const shardOwnerId = row!.id;
    expect(shardOwnerId).toBeGreaterThan(900000);
    const shardApi = h.client(await signTestToken({ owners: [shardOwnerId], sub: 'shard-owner' }));

    const mine = await shardApi.post('/v1/customers', { contractOwnerId: shardOwnerId, customerName: unique('Sharded ') });
    expect(mine.status).toBe(201);
    expect(mine.body.contractOwnerId).toBe(shardOwnerId);
    const theirs = await f.customer(onPrimary);

    const where = (ownerId: number) => `select count(*) as n from customers where contract_owner_id = ${ownerId}`;
    expect(await bindings.DB_SHARD_1.prepare(where(shardOwnerId)).first('n')).toBe(1);
    expect(await bindings.DB.prepare(where(shardOwnerId)).first('n')).toBe(0);
    expect(await bindings.DB.prepare(where(onPrimary.id)).first('n')).toBe(1);
    expect(await bindings.DB_SHARD_1.prepare(where(onPrimary.id)).first('n')).toBe(0);

    // each sees its own rows only, whichever database serves it
    const listed = await shardApi.get('/v1/customers');
    expect(listed.body.map((c: { contractOwnerId: number }) => c.contractOwnerId)).toEqual([shardOwnerId]);
    const other = await shardApi.get(`/v1/customers/${theirs.id}`);
    if (other.status === 200) expect(other.body.contractOwnerId).toBe(shardOwnerId);
    else expect(other.status).toBe(404);
    expect((await onPrimary.api.get('/v1/customers')).body.map((c: { contractOwnerId: number }) => c.contractOwnerId)).toEqual([onPrimary.id]);

    // a token for owners on two databases is refused, naming why
    const both = h.client(await signTestToken({ owners: [shardOwnerId, onPrimary.id], sub: 'both' }));
    const refused = await both.get('/v1/customers');
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toMatch(/2 databases \(DB, DB_SHARD_1\)/);
  });
});
