/**
 * Price adaptations on both runtimes: the /v2/price-adaptations resource, the
 * contract's priceAdaptationId, the lifecycle job applying steps exactly once,
 * and rental charges (and ETCs) following the applied steps.
 */
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { outboxEvents } from '../../src/db/schema';
import * as f from '../helpers/factories';
import { expectProblem, type Harness, harness, type Owner, signTestToken, unique } from '../helpers/harness';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

const PATH = '/v2/price-adaptations';

function adaptation(owner: Owner, body: Record<string, unknown>) {
  return owner.api.create(PATH, { contractOwnerId: owner.id, name: unique('Adaptation '), ...body });
}

async function rollover(owner: Owner, asOf: string) {
  const res = await owner.api.post('/v1/jobs/rollover', { asOf });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

async function events(ownerId: number, type: string) {
  return h.runtime.deps.database.db
    .select()
    .from(outboxEvents)
    .where(and(eq(outboxEvents.contractOwnerId, ownerId), eq(outboxEvents.type, type)));
}

/** A self-rolling profile of `term` months. */
async function selfRolling(owner: Owner, term: number) {
  const p = await f.contractProfile(owner, { contractTerm: term, earlyTerminationFixedCharge: 0, earlyTerminationPercentageCharge: 100 });
  const res = await owner.api.patch(`/v1/contract-profiles/${p.id}`, [{ op: 'replace', path: '/rolloverContractProfileId', value: p.id }]);
  expect(res.status, res.text).toBe(200);
  return res.body;
}

/** A customer with an RPI priced £10 a month (CUSTOMER-level card) from `rpiStart`. */
async function pricedRpi(owner: Owner, rpiStart = '2025-01-01') {
  const site = await f.site(owner);
  const category = await f.rentalProductCategory(owner);
  const product = await f.rentalProduct(owner, category.id);
  const card = await f.rentalRateCard(owner, { rentalProductCategoryId: category.id, rentalRates: [f.rentalRateBody(product.id, { price: 10, startDate: '2020-01-01' })] });
  await f.assignment(owner, 'rentalRateCard', { assignmentLevel: 'CUSTOMER', customerId: site.customerId, rentalRateCardId: card.id, startDate: '2020-01-01' });
  const rpi = await f.rpi(owner, { siteId: site.id, rentalProductId: product.id, startDate: rpiStart });
  return { customerId: site.customerId as number, siteId: site.id as number, rpi };
}

async function monthlyPrices(owner: Owner, customerId: number, from: string, to: string) {
  const res = await owner.api.get('/v2/rental-charges', { customerId, from, to });
  expect(res.status, res.text).toBe(200);
  return Object.fromEntries(res.body.map((l: any) => [l.periodStart, l.unitPrice]));
}

describe('the price adaptation resource', () => {
  it('creates, reads, lists, filters, patches and deletes adaptations', async () => {
    const owner = await h.newOwner();
    const created = await owner.api.post(PATH, { contractOwnerId: owner.id, name: 'Yearly 3 %', type: 'PERCENTAGE', percentage: 3, schedule: 'RENEWAL' });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ name: 'Yearly 3 %', type: 'PERCENTAGE', percentage: 3, indexValues: [], schedule: 'RENEWAL', description: null, externalRef: null, version: 1 });
    expect(created.headers.get('location')).toBe(`${PATH}/${created.body.id}`);
    const cpi = await adaptation(owner, {
      type: 'INDEX',
      schedule: 'ANNIVERSARY',
      externalRef: 'cpi-de',
      indexValues: [
        { month: '2025-01', value: 104.25 },
        { month: '2024-01', value: 100 },
      ],
    });
    // listed by month, values as sent
    expect(cpi.indexValues).toEqual([
      { month: '2024-01', value: 100 },
      { month: '2025-01', value: 104.25 },
    ]);
    expect(cpi.percentage).toBeNull();

    const list = await owner.api.get(PATH, { type: 'INDEX' });
    expect(list.body.map((a: any) => a.id)).toEqual([cpi.id]);
    expect(list.headers.get('x-total-count')).toBe('1');
    expect((await owner.api.head(PATH, { schedule: 'RENEWAL' })).status).toBe(200);
    expect((await owner.api.head(PATH, { externalRef: 'nope' })).status).toBe(404);
    expect((await owner.api.get(`${PATH}/${cpi.id}`)).body.externalRef).toBe('cpi-de');

    const patched = await owner.api.patch(`${PATH}/${cpi.id}`, [{ op: 'add', path: '/indexValues/-', value: { month: '2026-01', value: 106.5 } }]);
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.indexValues.map((v: any) => v.month)).toEqual(['2024-01', '2025-01', '2026-01']);
    expect(patched.body.version).toBe(2);
    const percent = await owner.api.patch(`${PATH}/${created.body.id}`, [{ op: 'replace', path: '/percentage', value: 2.5 }]);
    expect(percent.body.percentage).toBe(2.5);

    expect((await owner.api.delete(`${PATH}/${created.body.id}`)).status).toBe(204);
    expect((await owner.api.get(`${PATH}/${created.body.id}`)).status).toBe(404);
  });

  it('refuses what the type does not allow, bad months and values, and duplicate names (400, 409)', async () => {
    const owner = await h.newOwner();
    const base = { contractOwnerId: owner.id, name: unique('A '), schedule: 'RENEWAL' };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ type: 'PERCENTAGE' }, '/percentage'],
      [{ type: 'PERCENTAGE', percentage: 3, indexValues: [{ month: '2025-01', value: 1 }] }, '/indexValues'],
      [{ type: 'INDEX', percentage: 3 }, '/percentage'],
      [{ type: 'PERCENTAGE', percentage: -100 }, '/percentage'],
      [{ type: 'PERCENTAGE', percentage: 1.23456 }, '/percentage'],
      [{ type: 'INDEX', indexValues: [{ month: '2025-13', value: 1 }] }, '/indexValues/0/month'],
      [{ type: 'INDEX', indexValues: [{ month: '2025-01', value: 0 }] }, '/indexValues/0/value'],
      [{ type: 'INDEX', indexValues: [{ month: '2025-01', value: 1 }, { month: '2025-01', value: 2 }] }, '/indexValues/1/month'],
      [{ type: 'INDEX', schedule: 'MONTHLY' }, '/schedule'],
    ];
    for (const [body, path] of cases) {
      const problem = expectProblem(await owner.api.post(PATH, { ...base, ...body }), 400);
      expect(problem.errors.map((e: any) => e.path), JSON.stringify(body)).toContain(path);
    }
    const first = await adaptation(owner, { name: 'Same', type: 'PERCENTAGE', percentage: 1, schedule: 'RENEWAL' });
    const clash = expectProblem(await owner.api.post(PATH, { ...base, name: 'Same', type: 'PERCENTAGE', percentage: 2 }), 409);
    expect(clash.errors[0].path).toBe('/name');
    // a patch making it invalid changes nothing
    expectProblem(await owner.api.patch(`${PATH}/${first.id}`, [{ op: 'replace', path: '/type', value: 'INDEX' }]), 400);
    expectProblem(await owner.api.patch(`${PATH}/${first.id}`, [{ op: 'replace', path: '/contractOwnerId', value: 99 }]), 422);
    expect((await owner.api.get(`${PATH}/${first.id}`)).body.type).toBe('PERCENTAGE');
  });

  it('is another owner’s 404, needs the pricing scope, and cannot be deleted while a contract refers to it (409)', async () => {
    const owner = await h.newOwner();
    const other = await h.newOwner();
    const a = await adaptation(owner, { type: 'PERCENTAGE', percentage: 3, schedule: 'RENEWAL' });
    expect((await other.api.get(`${PATH}/${a.id}`)).status).toBe(404);
    const contractsOnly = h.client(await signTestToken({ owners: [owner.id], scope: 'contracts:*' }));
    expect((await contractsOnly.get(PATH)).status).toBe(403);
    const contract = await f.customerContract(owner, { priceAdaptationId: a.id });
    const problem = expectProblem(await owner.api.delete(`${PATH}/${a.id}`), 409);
    expect(problem.detail).toMatch(/1 customer contracts/);
    const cleared = await owner.api.patch(`/v1/customer-contracts/${contract.id}`, [{ op: 'replace', path: '/priceAdaptationId', value: null }]);
    expect(cleared.status, cleared.text).toBe(200);
    expect((await owner.api.delete(`${PATH}/${a.id}`)).status).toBe(204);
  });
});

describe('a contract’s priceAdaptationId', () => {
  it('is shown, filterable, changeable after billing starts, and must be the contract owner’s (404 unseen, 422 another owner’s)', async () => {
    const owner = await h.newOwner();
    const other = await h.newOwner();
    const a = await adaptation(owner, { type: 'PERCENTAGE', percentage: 3, schedule: 'RENEWAL' });
    const b = await adaptation(owner, { type: 'PERCENTAGE', percentage: 5, schedule: 'ANNIVERSARY' });
    const c = await f.customerContract(owner, { priceAdaptationId: a.id, startDate: '2020-01-01' });
    expect(c.priceAdaptationId).toBe(a.id);
    const plain = await f.customerContract(owner);
    expect(plain.priceAdaptationId).toBeNull();
    const filtered = await owner.api.get('/v1/customer-contracts', { priceAdaptationId: a.id });
    expect(filtered.body.map((x: any) => x.id)).toEqual([c.id]);
    // billing started in 2020: the adaptation may still change (steps applied stay applied)
    const moved = await owner.api.patch(`/v1/customer-contracts/${c.id}`, [{ op: 'replace', path: '/priceAdaptationId', value: b.id }]);
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body.priceAdaptationId).toBe(b.id);

    const foreign = await adaptation(other, { type: 'PERCENTAGE', percentage: 1, schedule: 'RENEWAL' });
    const unseen = expectProblem(await owner.api.post('/v1/customer-contracts', { customerId: c.customerId, contractProfileId: c.contractProfileId, startDate: '2025-01-01', priceAdaptationId: foreign.id }), 404);
    expect(unseen.errors[0].path).toBe('/priceAdaptationId');
    const both = h.client(await signTestToken({ owners: [owner.id, other.id], scope: '*' }));
    const crossed = expectProblem(await both.post('/v1/customer-contracts', { customerId: c.customerId, contractProfileId: c.contractProfileId, startDate: '2025-01-01', priceAdaptationId: foreign.id }), 422);
    expect(crossed.errors[0].path).toBe('/priceAdaptationId');
    expectProblem(await both.patch(`/v1/customer-contracts/${c.id}`, [{ op: 'replace', path: '/priceAdaptationId', value: foreign.id }]), 422);
    expect((await owner.api.get(`/v1/customer-contracts/${c.id}`)).body.priceAdaptationId).toBe(b.id);
  });
});

describe('the lifecycle job applies price adaptations', () => {
  it('3 % at each renewal: renewed twice, the charges rise by 3 % then 3 % again from the renewal dates, each step once', async () => {
    const owner = await h.newOwner();
    const a = await adaptation(owner, { type: 'PERCENTAGE', percentage: 3, schedule: 'RENEWAL' });
    const profile = await selfRolling(owner, 12);
    const { customerId, rpi } = await pricedRpi(owner);
    const contract = await f.customerContract(owner, { customerId, contractProfileId: profile.id, startDate: '2025-01-01', priceAdaptationId: a.id });
    await f.contractAssignment(owner, rpi.id, contract.id);

    const first = await rollover(owner, '2026-01-15');
    expect(first).toMatchObject({ renewed: 1, outcome: 'COMPLETED' });
    expect(first.report).toMatchObject({ priceAdapted: 1, priceAdaptationsPending: 0 });
    const second = await rollover(owner, '2027-01-15');
    expect(second.report).toMatchObject({ priceAdapted: 1 });
    expect(second.renewed).toBe(1);

    const prices = await monthlyPrices(owner, customerId, '2025-12-01', '2027-02-28');
    expect(prices['2025-12-01']).toBe(10);
    expect(prices['2026-01-01']).toBe(10.3);
    expect(prices['2026-12-01']).toBe(10.3);
    expect(prices['2027-01-01']).toBe(10.609);
    expect(prices['2027-02-01']).toBe(10.609);
    const line = (await owner.api.get('/v2/rental-charges', { customerId, from: '2027-01-01', to: '2027-01-31' })).body[0];
    expect(line).toMatchObject({ baseUnitPrice: 10, unitPrice: 10.609, priceAdaptationFactor: 1.0609, grossAmount: 10.609, netAmount: 10.609 });

    // again, and again on the same day: nothing twice
    for (const asOf of ['2027-01-15', '2027-01-15', '2026-06-01']) {
      const again = await rollover(owner, asOf);
      expect(again.report.priceAdapted).toBe(0);
      expect(again.renewed).toBe(0);
    }
    const applied = await owner.api.get('/v2/applied-price-adaptations', { sort: 'effectiveDate' });
    expect(applied.status, applied.text).toBe(200);
    expect(applied.body.map((s: any) => [s.effectiveDate, s.source, s.percentage, s.factor, s.priceAdaptationId])).toEqual([
      ['2026-01-01', 'RENEWAL', 3, 1.03, a.id],
      ['2027-01-01', 'RENEWAL', 3, 1.03, a.id],
    ]);
    const renewals = [applied.body[0].customerContractId, applied.body[1].customerContractId];
    for (const id of renewals) expect((await owner.api.get(`/v1/customer-contracts/${id}`)).body.priceAdaptationId).toBe(a.id);
    expect((await owner.api.get(`/v2/applied-price-adaptations/${applied.body[0].id}`)).body.effectiveDate).toBe('2026-01-01');

    const announced = await events(owner.id, 'customer_contract.price_adapted');
    expect(announced.map((e) => [e.objectId, (e.data as any).effectiveDate, (e.data as any).cumulativeFactor])).toEqual([
      [renewals[0], '2026-01-01', 1.03],
      [renewals[1], '2027-01-01', 1.0609],
    ]);
  });

  it('an INDEX on the anniversaries follows the index from the contract’s start; a step without a baseline waits until the value is entered', async () => {
    const owner = await h.newOwner();
    const cpi = await adaptation(owner, {
      type: 'INDEX',
      schedule: 'ANNIVERSARY',
      indexValues: [
        { month: '2023-01', value: 100 },
        { month: '2024-01', value: 104 },
        { month: '2025-01', value: 106 },
      ],
    });
    const profile = await f.contractProfile(owner, { contractTerm: 36 });
    const { customerId, rpi } = await pricedRpi(owner, '2023-01-01');
    const contract = await f.customerContract(owner, { customerId, contractProfileId: profile.id, startDate: '2023-01-01', priceAdaptationId: cpi.id });
    await f.contractAssignment(owner, rpi.id, contract.id);
    const run = await rollover(owner, '2025-02-01');
    expect(run.report.priceAdapted).toBe(2);
    const prices = await monthlyPrices(owner, customerId, '2023-12-01', '2025-01-31');
    // 100 → 104 → 106: £10, £10.40, £10.60
    expect([prices['2023-12-01'], prices['2024-01-01'], prices['2024-12-01'], prices['2025-01-01']]).toEqual([10, 10.4, 10.4, 10.6]);
    const steps = (await owner.api.get('/v2/applied-price-adaptations', { customerContractId: contract.id, sort: 'effectiveDate' })).body;
    expect(steps.map((s: any) => [s.effectiveDate, s.indexMonth, s.indexValue, s.previousIndexMonth, s.previousIndexValue])).toEqual([
      ['2024-01-01', '2024-01', 104, '2023-01', 100],
      ['2025-01-01', '2025-01', 106, '2024-01', 104],
    ]);
    // the ETC quotes the remaining rental at the adapted price: 2025-06-30 → 6 months × £10.60
    const etc = await owner.api.get('/v1/rental-etcs', { customerId, calculationDate: '2025-06-30' });
    expect(etc.status, etc.text).toBe(200);
    expect(etc.body[0].amountInMajorCurrency).toBe(113.6);

    // a contract starting before the series has no baseline: its step waits
    const { customerId: c2, rpi: rpi2 } = await pricedRpi(owner, '2022-06-01');
    const early = await f.customerContract(owner, { customerId: c2, contractProfileId: profile.id, startDate: '2022-06-01', priceAdaptationId: cpi.id });
    await f.contractAssignment(owner, rpi2.id, early.id);
    const waiting = await rollover(owner, '2023-07-01');
    expect(waiting.report).toMatchObject({ priceAdapted: 0, priceAdaptationsPending: 1 });
    expect((await monthlyPrices(owner, c2, '2023-06-01', '2023-06-30'))['2023-06-01']).toBe(10);
    // the value for 2022 arrives: the next run applies the step with its own date
    const fixed = await owner.api.patch(`${PATH}/${cpi.id}`, [{ op: 'add', path: '/indexValues/-', value: { month: '2022-01', value: 80 } }]);
    expect(fixed.status, fixed.text).toBe(200);
    const later = await rollover(owner, '2023-07-01');
    expect(later.report).toMatchObject({ priceAdapted: 1, priceAdaptationsPending: 0 });
    // 2023-06-01: value of 2023-01 (100) ÷ value of 2022-01 (80) = 1.25
    expect((await monthlyPrices(owner, c2, '2023-06-01', '2023-06-30'))['2023-06-01']).toBe(12.5);
  });
});

describe('explicit dated steps of a contract (/v2/contract-price-steps)', () => {
  it('apply on their date once, compound, and can no longer change once applied (409)', async () => {
    const owner = await h.newOwner();
    const { customerId, rpi } = await pricedRpi(owner);
    const profile = await f.contractProfile(owner, { contractTerm: 36 });
    const contract = await f.customerContract(owner, { customerId, contractProfileId: profile.id, startDate: '2025-01-01' });
    await f.contractAssignment(owner, rpi.id, contract.id);
    const july = await owner.api.create('/v2/contract-price-steps', { customerContractId: contract.id, date: '2025-07-01', percentage: 2 });
    const january = await owner.api.create('/v2/contract-price-steps', { customerContractId: contract.id, date: '2026-01-01', percentage: 1 });
    expect(july).toMatchObject({ contractOwnerId: owner.id, date: '2025-07-01', percentage: 2, applied: false });

    const run = await rollover(owner, '2025-08-01');
    expect(run.report.priceAdapted).toBe(1);
    expect((await rollover(owner, '2025-08-01')).report.priceAdapted).toBe(0);
    expect((await owner.api.get(`/v2/contract-price-steps/${july.id}`)).body.applied).toBe(true);
    const [record] = (await owner.api.get('/v2/applied-price-adaptations', { contractPriceStepId: july.id })).body;
    expect(record).toMatchObject({ customerContractId: contract.id, effectiveDate: '2025-07-01', source: 'STEP', contractPriceStepId: july.id, priceAdaptationId: null, percentage: 2, factor: 1.02 });

    expect(expectProblem(await owner.api.patch(`/v2/contract-price-steps/${july.id}`, [{ op: 'replace', path: '/percentage', value: 3 }]), 409).detail).toMatch(/applied on 2025-07-01/);
    expectProblem(await owner.api.delete(`/v2/contract-price-steps/${july.id}`), 409);
    const changed = await owner.api.patch(`/v2/contract-price-steps/${january.id}`, [{ op: 'replace', path: '/percentage', value: 1.5 }]);
    expect(changed.status, changed.text).toBe(200);
    const extra = await owner.api.create('/v2/contract-price-steps', { customerContractId: contract.id, date: '2025-12-01', percentage: 50 });
    expect((await owner.api.delete(`/v2/contract-price-steps/${extra.id}`)).status).toBe(204);

    expect((await rollover(owner, '2026-02-01')).report.priceAdapted).toBe(1);
    const prices = await monthlyPrices(owner, customerId, '2025-06-01', '2026-01-31');
    // £10, then × 1.02 from July, then × 1.015 from January: 10.2 × 1.015 = 10.353
    expect([prices['2025-06-01'], prices['2025-07-01'], prices['2025-12-01'], prices['2026-01-01']]).toEqual([10, 10.2, 10.2, 10.353]);
    expect((await owner.api.get('/v2/contract-price-steps', { customerContractId: contract.id })).body.map((s: any) => s.id)).toEqual([july.id, january.id]);
  });

  it('refuses bad percentages and dates (400) and other owners’ contracts (404)', async () => {
    const owner = await h.newOwner();
    const other = await h.newOwner();
    const contract = await f.customerContract(owner);
    for (const body of [
      { customerContractId: contract.id, date: '2025-02-30', percentage: 1 },
      { customerContractId: contract.id, date: '2025-02-01', percentage: -100 },
      { customerContractId: contract.id, date: '2025-02-01', percentage: 0.00001 },
      { customerContractId: contract.id, date: '2025-02-01' },
    ]) {
      expectProblem(await owner.api.post('/v2/contract-price-steps', body), 400);
    }
    const foreign = expectProblem(await other.api.post('/v2/contract-price-steps', { customerContractId: contract.id, date: '2025-02-01', percentage: 1 }), 404);
    expect(foreign.errors[0].path).toBe('/customerContractId');
  });
});

describe('exactly once under concurrency', () => {
  it('two runs at once apply and announce every step once', async () => {
    const owner = await h.newOwner();
    const a = await adaptation(owner, { type: 'PERCENTAGE', percentage: 3, schedule: 'ANNIVERSARY' });
    const profile = await f.contractProfile(owner, { contractTerm: 60 });
    const contracts = [];
    for (let i = 0; i < 5; i++) contracts.push(await f.customerContract(owner, { contractProfileId: profile.id, startDate: '2021-03-01', priceAdaptationId: a.id }));
    const runs = await Promise.all([owner.api.post('/v1/jobs/rollover', { asOf: '2025-06-01' }), owner.api.post('/v1/jobs/rollover', { asOf: '2025-06-01' })]);
    for (const r of runs) expect(r.status, r.text).toBe(200);
    // 4 anniversaries (2022..2025) × 5 contracts
    expect(runs.reduce((n, r) => n + r.body.report.priceAdapted, 0)).toBe(20);
    expect(await events(owner.id, 'customer_contract.price_adapted')).toHaveLength(20);
    expect((await owner.api.get('/v2/applied-price-adaptations', { pageSize: 1 })).headers.get('x-total-count')).toBe('20');
  });

  it('webhook subscriptions can ask for customer_contract.price_adapted', async () => {
    const owner = await h.newOwner();
    const sub = await f.webhookSubscription(owner, { eventTypes: ['customer_contract.price_adapted'] });
    expect(sub.eventTypes).toEqual(['customer_contract.price_adapted']);
  });
});
