/** POST/GET /v2/usage-records on both runtimes: a worked example through the API, then the edges. */
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { chargeGroup, customer, site, upi, usageProduct } from '../helpers/factories';
import { expectProblem, type Harness, harness, signTestToken } from '../helpers/harness';
import { jst, type PricedCustomer, pricedCustomer, record } from '../helpers/usage-fixtures';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

const PATH = '/v2/usage-records';

async function post(w: PricedCustomer, records: unknown[]) {
  const res = await w.owner.api.post(PATH, { records });
  if (res.status !== 200) throw new Error(`POST ${PATH} → ${res.status}: ${res.text}`);
  return res.body as any[];
}

async function exhaustedEvents(ownerId: number): Promise<any[]> {
  const rows = await h.runtime.deps.database.db.all<{ data: string }>(
    sql`select data from outbox_events where contract_owner_id = ${ownerId} and type = 'inclusive_usage_balance.exhausted' order by id`,
  );
  return rows.map((r) => JSON.parse(r.data));
}

async function countRecords(ownerId: number): Promise<number> {
  const [row] = await h.runtime.deps.database.db.all<{ n: number }>(sql`select count(*) as n from usage_records where contract_owner_id = ${ownerId}`);
  return row!.n;
}

async function balances(w: PricedCustomer, upiId: number, asOf: string) {
  const res = await w.owner.api.get('/v2/inclusive-usage-balances', { usageProductInventoryId: upiId, asOf });
  expect(res.status).toBe(200);
  return res.body as any[];
}

describe('the worked example (owner in Asia/Tokyo, UTC+9)', () => {
  it('rates by card precedence, time band plan, allowances and rate type; repeats change nothing', async () => {
    const w = await pricedCustomer(h);
    const { u1, u2, u3, g1, g2, g3 } = w;
    const r6 = record(u2, g1, jst('2025-06-02T08:30'), 61);
    const r1 = record(u1, g1, jst('2025-06-02T09:30'), 300);
    const r2 = record(u1, g1, jst('2025-06-02T08:30'), 90);
    const r3 = record(u1, g1, jst('2025-06-02T17:00'), 30);
    const r4 = record(u1, g1, jst('2025-06-02T09:00'), 420);
    const r5 = record(u1, g1, '2025-06-06T23:30:00Z', 61);
    const r7 = record(u1, g2, jst('2025-06-02T10:00'), 60);
    const r8 = record(u3, g1, jst('2025-06-02T10:00'), 60);
    const r9 = record(u1, g3, jst('2025-06-02T10:00'), 1, { cost: 12.5 });
    const r10 = record(u1, g3, jst('2025-06-02T10:00'), 1);
    const results = await post(w, [r6, r1, r2, r3, r4, r5, r7, r8, r9, r10]);
    const rated = (cardId: number, timeband: string, quantity: number, inclusiveQuantity: number, inclusiveValue: number, charge: number) => ({
      status: 'RATED',
      reason: null,
      usageRateCardId: cardId,
      timeband,
      quantity,
      chargeableQuantity: quantity - inclusiveQuantity,
      inclusiveQuantity,
      inclusiveValue,
      charge,
      currencyCode: 'GBP',
    });
    const [A, B] = [w.cardA.id, w.cardB.id];
    expect(results.map((r) => r.reference)).toEqual([r6, r1, r2, r3, r4, r5, r7, r8, r9, r10].map((r) => r.reference));
    // r6: U2 has its own card B (INVENTORY beats CUSTOMER) with no time band plan, so the default week:
    // Mon 08:30 is PEAK. The SITE plan P2 is drawn before the CUSTOMER plan P1: R absorbs all 61 s (39 left).
    expect(results[0]).toMatchObject(rated(B, 'PEAK', 61, 61, 0, 0));
    // r1: card A's late-peak week: Mon 09:30 PEAK. Q (600 s of G1 at PEAK) absorbs 300 (300 left).
    expect(results[1]).toMatchObject(rated(A, 'PEAK', 300, 300, 0, 0));
    // r2: Mon 08:30 is OFFPEAK on card A's plan (the default week would say PEAK); Q covers PEAK only.
    // 90 s = 2 started minutes × 2p = 4p, paid by V (10p → 6p left).
    expect(results[2]).toMatchObject(rated(A, 'OFFPEAK', 90, 90, 4, 0));
    // r3: 17:00 is where PEAK ends (exclusive): OFFPEAK, 1 minute × 2p = 2p from V (4p left).
    expect(results[3]).toMatchObject(rated(A, 'OFFPEAK', 30, 30, 2, 0));
    // r4: 09:00 is where PEAK starts. Q absorbs its last 300 s (exhausted mid-record); the other 120 s are
    // 2 minutes × 5p = 10p; V pays its last 4p (exhausted) for ⌊120 × 4/10⌋ = 48 s; 6p charged.
    expect(results[4]).toMatchObject(rated(A, 'PEAK', 420, 348, 4, 6));
    // r5: Friday 23:30 UTC is Saturday 08:30 in Tokyo: WEEKEND, 2 minutes × 1p = 2p; V is spent.
    expect(results[5]).toMatchObject(rated(A, 'WEEKEND', 61, 0, 0, 2));
    // r7: card A has no rate for G2; r8: no card prices U3's usage product; r10: MARKUP without a cost.
    expect(results[6]).toMatchObject({ status: 'UNRATED', reason: 'NO_USAGE_RATE_FOR_CHARGE_GROUP', usageRateCardId: A, usageRateId: null, timeband: 'PEAK', quantity: 60, chargeableQuantity: null, charge: null });
    expect(results[7]).toMatchObject({ status: 'UNRATED', reason: 'NO_USAGE_RATE_CARD', usageRateCardId: null, usageRateId: null, charge: null, inclusiveValue: null });
    // r9: MARKUP 20 % on a 12.5p cost = 15p (V, which covers the category, is spent).
    expect(results[8]).toMatchObject(rated(A, 'PEAK', 1, 0, 0, 15));
    expect(results[9]).toMatchObject({ status: 'UNRATED', reason: 'NO_COST_FOR_MARKUP', usageRateCardId: A });
    expect(results[1].usageRateId).toBe(w.cardA.usageRates[0].id);
    expect(results[8].usageRateId).toBe(w.cardA.usageRates[1].id);
    expect(new Set(results.map((r) => r.id)).size).toBe(10);

    // Q and V were exhausted once each, by r4, for the June period of P1's assignment.
    const events = await exhaustedEvents(w.owner.id);
    expect(events.map((e) => [e.componentId, e.byValue, e.periodStartDate, e.periodEndDate, e.usageRecordId, e.reference])).toEqual([
      [w.q, false, '2025-06-01', '2025-06-30', results[4].id, r4.reference],
      [w.v, true, '2025-06-01', '2025-06-30', results[4].id, r4.reference],
    ]);
    expect(events[0]).toMatchObject({ assignmentId: w.p1Assignment.id, inclusiveUsagePlanId: w.p1.id, allowance: 600, remaining: 0, usageProductInventoryId: u1 });
    expect(events[1]).toMatchObject({ allowance: 10, remaining: 0 });

    const before = await balances(w, u1, '2025-06-15');
    expect(before[0].inclusiveUsageBalanceAssignments[0].components.map((c: any) => [c.allowance, c.used, c.remaining])).toEqual([
      [600, 600, 0],
      [10, 10, 0],
    ]);

    // Posted again (r1 with another quantity, r4 as it was) with one new record: the repeats return their
    // first rating and draw nothing; the new one finds both allowances spent: 1 minute at PEAK = 5p.
    const r11 = record(u1, g1, jst('2025-06-03T10:00'), 60);
    const again = await post(w, [{ ...r1, quantity: 999 }, r11, r4]);
    expect(again[0]).toEqual(results[1]);
    expect(again[2]).toEqual(results[4]);
    expect(again[1]).toMatchObject(rated(A, 'PEAK', 60, 0, 0, 5));
    expect(await balances(w, u1, '2025-06-15')).toEqual(before);
    expect(await exhaustedEvents(w.owner.id)).toHaveLength(2);
    expect(await countRecords(w.owner.id)).toBe(11);

    // Read back: one record, and lists by the filters.
    const one = await w.owner.api.get(`${PATH}/${results[4].id}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      ...results[4],
      usageProductInventoryId: u1,
      customerId: w.customerId,
      siteId: w.s1,
      chargeGroupId: g1,
      startTime: '2025-06-02T00:00:00.000Z',
      receivedQuantity: 420,
      cost: null,
      version: 1,
    });
    expect((await w.owner.api.get(`${PATH}/${results[8].id}`)).body.cost).toBe(12.5);
    const unrated = await w.owner.api.get(PATH, { usageProductInventoryId: u1, status: 'UNRATED' });
    expect(unrated.body.map((r: any) => r.reference)).toEqual([r7.reference, r10.reference]);
    const weekend = await w.owner.api.get(PATH, { customerId: w.customerId, startTime: `ge:${jst('2025-06-07T00:00')}` });
    expect(weekend.body.map((r: any) => r.reference)).toEqual([r5.reference]);
    const june2 = await w.owner.api.get(PATH, { startTime: `ge:${jst('2025-06-02T09:00')},lt:${jst('2025-06-02T09:31')}`, sort: 'startTime' });
    expect(june2.body.map((r: any) => r.reference)).toEqual([r4.reference, r1.reference]);
    expect((await w.owner.api.get(PATH, { siteId: w.s2 })).body.map((r: any) => r.reference)).toEqual([r6.reference]);
    expect((await w.owner.api.head(PATH, { siteId: w.s2 })).status).toBe(200);
    expect((await w.owner.api.head(PATH, { usageProductInventoryId: w.u1b })).status).toBe(404);
    expect((await w.owner.api.get(PATH, { startTime: `ge:${jst('2025-06-07T00:00').replace('Z', '+00:00')}` })).body).toHaveLength(1);
    expectProblem(await w.owner.api.get(PATH, { startTime: 'ge:2025-06-07' }), 400);
    // long id lists with other filters stay within D1's 100 bound parameters
    const hundred = [...results.map((r) => r.id), ...Array.from({ length: 90 }, (_, i) => 900_000_000 + i)];
    const groups = [g1, ...Array.from({ length: 99 }, (_, i) => 900_000_000 + i)];
    const byIds = await w.owner.api.get(PATH, { id: `in:${hundred.join(',')}`, chargeGroupId: `in:${groups.join(',')}`, status: 'RATED', sort: 'id' });
    // the RATED records of G1: r6, r1 … r5 of the first batch
    expect(byIds.body.map((r: any) => r.id)).toEqual(results.slice(0, 6).map((r) => r.id));
  });

  it('returns one result for a reference repeated within a batch, drawing once', async () => {
    const w = await pricedCustomer(h);
    const first = record(w.u1, w.g1, jst('2025-06-02T10:00'), 200);
    const results = await post(w, [first, { ...first, quantity: 500 }, record(w.u1, w.g1, jst('2025-06-02T10:05'), 100)]);
    expect(results[1]).toEqual(results[0]);
    expect(results[0]).toMatchObject({ quantity: 200, inclusiveQuantity: 200 });
    // Q: 600 − 200 − 100 = 300 left
    const [item] = await balances(w, w.u1, '2025-06-15');
    expect(item.inclusiveUsageBalanceAssignments[0].components[0]).toMatchObject({ used: 300, remaining: 300 });
    expect(await countRecords(w.owner.id)).toBe(2);
  });
});

describe('several customers in one batch', () => {
  it('prices each UPI only with what is assigned to its own customer', async () => {
    const w = await pricedCustomer(h);
    // another customer of the owner with a UPI of the same product and nothing assigned
    const other = await customer(w.owner);
    const otherSite = await site(w.owner, other.id);
    const bare = await upi(w.owner, { siteId: otherSite.id, usageProductId: w.cardA.usageProductId });
    const [mine, theirs] = await post(w, [record(w.u1, w.g1, jst('2025-06-02T10:00'), 60), record(bare.id, w.g1, jst('2025-06-02T10:00'), 60)]);
    // card A and plan P1 are the first customer's (CUSTOMER level): they reach U1, not the other customer's UPI
    expect(mine).toMatchObject({ status: 'RATED', usageRateCardId: w.cardA.id, inclusiveQuantity: 60, charge: 0 });
    expect(theirs).toMatchObject({ status: 'UNRATED', reason: 'NO_USAGE_RATE_CARD', usageRateCardId: null, inclusiveQuantity: null });
    const balancesOfOwner = await w.owner.api.get('/v2/inclusive-usage-balances', { asOf: '2025-06-15' });
    expect(balancesOfOwner.status).toBe(200);
    expect(balancesOfOwner.body.map((b: any) => b.usageProductInventoryId)).not.toContain(bare.id);
  });
});

describe('a full batch', () => {
  it('rates 1,000 records in one request within the database’s statement and parameter limits', async () => {
    const w = await pricedCustomer(h);
    // 1,000 calls of 30 s on U1 from Mon 10:00 JST, one a second: all PEAK on card A.
    // Q's 600 s cover the first 20; V's 10p pays the next two (1 minute × 5p each); the other 978 pay 5p.
    const start = Date.parse(jst('2025-06-02T10:00'));
    const records = Array.from({ length: 1000 }, (_, i) => record(w.u1, w.g1, new Date(start + i * 1000).toISOString(), 30));
    const results = await post(w, records);
    expect(results).toHaveLength(1000);
    expect(results.map((r) => r.reference)).toEqual(records.map((r) => r.reference));
    expect(results.every((r, i) => i === 0 || r.id > results[i - 1].id)).toBe(true);
    expect(results.slice(0, 20).every((r) => r.inclusiveQuantity === 30 && r.charge === 0)).toBe(true);
    expect(results.slice(20, 22).map((r) => [r.inclusiveValue, r.charge])).toEqual([
      [5, 0],
      [5, 0],
    ]);
    expect(results.reduce((sum, r) => sum + r.charge, 0)).toBe(978 * 5);
    expect((await w.owner.api.get(PATH, { pageSize: 1 })).headers.get('x-total-count')).toBe('1000');
    expect(await exhaustedEvents(w.owner.id)).toHaveLength(2);
  });
});

describe('validation and atomicity', () => {
  it('names the invalid fields of each record and writes nothing', async () => {
    const w = await pricedCustomer(h);
    const good = record(w.u1, w.g1, jst('2025-06-02T10:00'), 60);
    const res = await w.owner.api.post(PATH, {
      records: [good, { ...record(w.u1, w.g1, jst('2025-06-02T10:00'), 60), quantity: -1 }, good, { ...good, reference: 'x y', startTime: '2025-06-02T10:00:00', cost: 1.00001, extra: 1 }],
    });
    const problem = expectProblem(res, 400);
    expect(problem.errors.map((e: any) => e.path).sort()).toEqual(['/records/1/quantity', '/records/3/cost', '/records/3/extra', '/records/3/reference', '/records/3/startTime']);
    expectProblem(await w.owner.api.post(PATH, { records: [] }), 400);
    expectProblem(await w.owner.api.post(PATH, [good]), 400);
    expectProblem(await w.owner.api.post(PATH, { records: Array.from({ length: 1001 }, () => good) }), 400);
    expectProblem(await w.owner.api.post(PATH, { records: [{ ...good, quantity: 1.0000001 }] }), 400);
    expect(await countRecords(w.owner.id)).toBe(0);
  });

  it('a batch with one record naming an unknown UPI or charge group writes nothing (404 naming it)', async () => {
    const w = await pricedCustomer(h);
    const records = [record(w.u1, w.g1, jst('2025-06-02T10:00'), 600), record(w.u1, w.g1, jst('2025-06-02T10:00'), 60), record(w.u1, w.g1, jst('2025-06-02T10:00'), 60)];
    records[2]!.usageProductInventoryId = 987654321;
    const problem = expectProblem(await w.owner.api.post(PATH, { records }), 404);
    expect(problem.errors).toEqual([{ path: '/records/2/usageProductInventoryId', message: 'usage product inventory 987654321 was not found' }]);
    records[2]!.usageProductInventoryId = w.u1;
    records[1]!.chargeGroupId = 987654321;
    expect(expectProblem(await w.owner.api.post(PATH, { records }), 404).errors[0].path).toBe('/records/1/chargeGroupId');
    expect(await countRecords(w.owner.id)).toBe(0);
    // nothing was drawn: the whole allowance is there
    const [item] = await balances(w, w.u1, '2025-06-15');
    expect(item.inclusiveUsageBalanceAssignments[0].components[0]).toMatchObject({ used: 0, remaining: 600 });
    expect(await exhaustedEvents(w.owner.id)).toEqual([]);
  });
});

describe('tenancy', () => {
  it('another owner’s UPIs and charge groups are 404; a charge group of another owner than the UPI is 422; lists stay apart', async () => {
    const w = await pricedCustomer(h);
    const [stored] = await post(w, [record(w.u1, w.g1, jst('2025-06-02T10:00'), 60)]);
    const other = await h.newOwner();
    const otherGroup = await chargeGroup(other);
    const otherUpi = await upi(other, { siteId: (await site(other, (await customer(other)).id)).id, usageProductId: (await usageProduct(other)).id });

    expect(expectProblem(await other.api.post(PATH, { records: [record(w.u1, otherGroup.id, jst('2025-06-02T10:00'), 1)] }), 404).errors[0].path).toBe(
      '/records/0/usageProductInventoryId',
    );
    expect(expectProblem(await w.owner.api.post(PATH, { records: [record(w.u1, otherGroup.id, jst('2025-06-02T10:00'), 1)] }), 404).errors[0].path).toBe(
      '/records/0/chargeGroupId',
    );
    expect((await other.api.get(`${PATH}/${stored.id}`)).status).toBe(404);
    expect((await other.api.get(PATH)).body).toEqual([]);
    expect((await other.api.get('/v2/inclusive-usage-balances', { usageProductInventoryId: w.u1, asOf: '2025-06-15' })).body).toEqual([]);

    // a token for both owners sees both, but a record may not join a UPI and a charge group of different owners
    const both = h.client(await signTestToken({ owners: [w.owner.id, other.id], scope: '*' }));
    const problem = expectProblem(await both.post(PATH, { records: [record(otherUpi.id, w.g1, jst('2025-06-02T10:00'), 1)] }), 422);
    expect(problem.errors[0].path).toBe('/records/0/chargeGroupId');
    expect((await both.get(PATH)).body.map((r: any) => r.id)).toEqual([stored.id]);

    const readOnly = h.client(await signTestToken({ owners: [w.owner.id], scope: 'pricing:read' }));
    expectProblem(await readOnly.post(PATH, { records: [record(w.u1, w.g1, jst('2025-06-02T10:00'), 1)] }), 403);
    expect((await readOnly.get(PATH)).status).toBe(200);
  });
});

describe('methods', () => {
  it('answers 405 with Allow for methods the collection does not have', async () => {
    const owner = await h.newOwner();
    const res = await owner.api.request('PUT', PATH, { body: {} });
    expectProblem(res, 405);
    expect(res.headers.get('allow')).toBe('POST, GET, HEAD');
  });
});
