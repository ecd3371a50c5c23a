/**
 * Two (or more) batches drawing the same allowance at once never overdraw it: each
 * bucket write is conditional on the `used` value read, a batch that lost the race
 * aborts whole and is rated again. Node only: the batches are held at the write
 * until all of them have read the buckets, so every one of them races.
 */
import { sql } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Statement } from '../../src/db/client';
import { isGuardAbort } from '../../src/db/client';
import { type Harness, harness } from '../helpers/harness';
import { jst, pricedCustomer, record } from '../helpers/usage-fixtures';

let h: Harness;
beforeAll(async () => {
  // every batch admitted at once (the process admits two by default), so all of them race to the write
  h = await harness({ USAGE_BATCHES_AT_ONCE: '8' });
});

const database = () => h.runtime.deps.database as { batch(statements: readonly Statement[]): Promise<unknown[]> };
let restore: (() => void) | null = null;
afterEach(() => restore?.());

/** Holds the first `n` batches until all `n` have arrived, then lets them run; counts guard aborts. */
function holdBatches(n: number) {
  const db = database();
  const original = db.batch.bind(db);
  const stats = { calls: 0, aborted: 0 };
  const waiting: Array<() => void> = [];
  db.batch = async (statements) => {
    stats.calls += 1;
    if (stats.calls <= n) {
      await new Promise<void>((resolve) => {
        waiting.push(resolve);
        if (waiting.length === n) for (const release of waiting) release();
      });
    }
    try {
      return await original(statements);
    } catch (error) {
      if (isGuardAbort(error)) stats.aborted += 1;
      throw error;
    }
  };
  restore = () => {
    db.batch = original;
    restore = null;
  };
  return stats;
}

describe('concurrent batches on one allowance', () => {
  it('draws exactly the allowances, and announces each exhaustion once', async () => {
    const w = await pricedCustomer(h);
    const batches = 4;
    const stats = holdBatches(batches);
    // four batches of one 200 s PEAK call each against Q's 600 s: all four read 600 left, one wins the write,
    // the others are rated again: three get 200 s from Q; the last gets none, so 4 minutes × 5p = 20p, of which
    // V pays its 10p (for 100 s): 10p charged
    const responses = await Promise.all(
      Array.from({ length: batches }, (_, i) => w.owner.api.post('/v2/usage-records', { records: [record(w.u1, w.g1, jst(`2025-06-02T10:0${i}`), 200)] })),
    );
    restore?.();
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(stats.aborted).toBeGreaterThanOrEqual(batches - 1);
    const results = responses.map((r) => r.body[0]);
    expect(results.map((r) => r.inclusiveQuantity).sort()).toEqual([100, 200, 200, 200]);
    expect(results.find((r) => r.inclusiveQuantity === 100)).toMatchObject({ chargeableQuantity: 100, inclusiveValue: 10, charge: 10 });

    const db = h.runtime.deps.database.db;
    const [bucket] = await db.all<{ used: number; allowance: number }>(
      sql`select used, allowance from inclusive_usage_buckets where assignment_id = ${w.p1Assignment.id} and component_id = ${w.q}`,
    );
    expect(bucket).toEqual({ used: 600_000_000, allowance: 600_000_000 });
    const [stored] = await db.all<{ n: number; inclusive: number; value: number }>(
      sql`select count(*) as n, sum(inclusive_quantity) as inclusive, sum(inclusive_value) as value from usage_records where contract_owner_id = ${w.owner.id}`,
    );
    expect(stored).toEqual({ n: 4, inclusive: 700_000_000, value: 100_000 });
    const events = await db.all<{ component: number }>(
      sql`select json_extract(data, '$.componentId') as component from outbox_events
        where contract_owner_id = ${w.owner.id} and type = 'inclusive_usage_balance.exhausted' order by id`,
    );
    expect(events.map((e) => e.component)).toEqual([w.q, w.v]);
  });

  it('rates one reference once when two batches post it at the same time', async () => {
    const w = await pricedCustomer(h);
    const stats = holdBatches(2);
    const same = record(w.u1, w.g1, jst('2025-06-02T10:00'), 100);
    const responses = await Promise.all([
      w.owner.api.post('/v2/usage-records', { records: [same] }),
      w.owner.api.post('/v2/usage-records', { records: [same, record(w.u1, w.g1, jst('2025-06-02T10:01'), 50)] }),
    ]);
    restore?.();
    expect(responses.map((r) => r.status)).toEqual([200, 200]);
    expect(stats.aborted).toBeGreaterThanOrEqual(1);
    expect(responses[1]!.body[0]).toEqual(responses[0]!.body[0]);
    const [item] = (await w.owner.api.get('/v2/inclusive-usage-balances', { usageProductInventoryId: w.u1, asOf: '2025-06-15' })).body;
    // Q: 100 + 50 drawn, never 100 twice
    expect(item.inclusiveUsageBalanceAssignments[0].components[0]).toMatchObject({ used: 150, remaining: 450 });
  });
});

describe('batches admitted in turn (USAGE_BATCHES_AT_ONCE)', () => {
  it('reads and rates no other batch while the admitted ones run, then takes the next in arrival order', async () => {
    const one = await harness({ USAGE_BATCHES_AT_ONCE: '1' });
    const w = await pricedCustomer(one);
    const db = one.runtime.deps.database as { batch(statements: readonly Statement[]): Promise<unknown[]> };
    const original = db.batch.bind(db);
    let writes = 0;
    let hold: (() => void) | null = null;
    const held = new Promise<void>((resolve) => (hold = resolve));
    db.batch = async (statements) => {
      // the first batch's write waits until the test lets it go
      if (++writes === 1) await held;
      return original(statements);
    };
    try {
      const post = (ref: string, minute: number) =>
        w.owner.api.post('/v2/usage-records', { records: [{ ...record(w.u1, w.g1, jst(`2025-06-02T10:0${minute}`), 10), reference: ref }] });
      const a = post('A-1', 1);
      // B and C arrive while A is held at its write
      await new Promise((resolve) => setTimeout(resolve, 50));
      const b = post('B-1', 2);
      const c = post('C-1', 3);
      await new Promise((resolve) => setTimeout(resolve, 100));
      // neither B nor C got as far as its write (with two admitted at once, B would have)
      expect(writes).toBe(1);
      hold!();
      const responses = await Promise.all([a, b, c]);
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
      expect(responses.map((r) => r.body[0].reference)).toEqual(['A-1', 'B-1', 'C-1']);
      expect(writes).toBe(3);
      const stored = await one.runtime.deps.database.db.all<{ reference: string }>(
        sql`select reference from usage_records where contract_owner_id = ${w.owner.id} order by id`,
      );
      expect(stored.map((r) => r.reference)).toEqual(['A-1', 'B-1', 'C-1']);
    } finally {
      db.batch = original;
    }
  });
});

describe('a waiting batch whose client left', () => {
  it('is not rated: nothing of it is stored, and the batches behind it run', async () => {
    const one = await harness({ USAGE_BATCHES_AT_ONCE: '1' });
    const w = await pricedCustomer(one);
    const db = one.runtime.deps.database as { batch(statements: readonly Statement[]): Promise<unknown[]> };
    const original = db.batch.bind(db);
    let hold: (() => void) | null = null;
    const held = new Promise<void>((resolve) => (hold = resolve));
    let writes = 0;
    db.batch = async (statements) => {
      if (++writes === 1) await held;
      return original(statements);
    };
    const body = (ref: string, minute: number) => JSON.stringify({ records: [{ ...record(w.u1, w.g1, jst(`2025-06-02T11:0${minute}`), 10), reference: ref }] });
    const send = (ref: string, minute: number, signal?: AbortSignal) =>
      one.runtime.fetch(
        new Request('http://tenor.test/v2/usage-records', {
          method: 'POST',
          headers: { authorization: `Bearer ${w.owner.token}`, 'content-type': 'application/json' },
          body: body(ref, minute),
          ...(signal ? { signal } : {}),
        }),
      );
    try {
      const a = send('GONE-A', 1);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const leaving = new AbortController();
      const b = send('GONE-B', 2, leaving.signal);
      const c = send('GONE-C', 3);
      await new Promise((resolve) => setTimeout(resolve, 50));
      leaving.abort();
      hold!();
      const [ra, rb, rc] = await Promise.all([a, b, c]);
      expect([ra.status, rb.status, rc.status]).toEqual([200, 499, 200]);
      const stored = await one.runtime.deps.database.db.all<{ reference: string }>(
        sql`select reference from usage_records where contract_owner_id = ${w.owner.id} and reference like 'GONE-%' order by id`,
      );
      expect(stored.map((r) => r.reference)).toEqual(['GONE-A', 'GONE-C']);
    } finally {
      db.batch = original;
    }
  });
});
