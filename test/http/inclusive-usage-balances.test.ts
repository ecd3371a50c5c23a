/** GET /v2/inclusive-usage-balances on both runtimes: computed balances in Elevate's shape, rollover, filters, paging, tenancy. */
import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, type Harness, harness } from '../helpers/harness';
import { assignment, inclusiveUsagePlan } from '../helpers/factories';
import { jst, type PricedCustomer, pricedCustomer, record, TOKYO } from '../helpers/usage-fixtures';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

const PATH = '/v2/inclusive-usage-balances';

async function post(w: PricedCustomer, records: unknown[]) {
  const res = await w.owner.api.post('/v2/usage-records', { records });
  if (res.status !== 200) throw new Error(`POST → ${res.status}: ${res.text}`);
  return res.body as any[];
}

async function list(w: PricedCustomer, query: Record<string, string | number>) {
  const res = await w.owner.api.get(PATH, query);
  expect(res.status).toBe(200);
  return res;
}

const component = (componentId: number, byValue: boolean, allowance: number, used: number, rolledOver: number, remaining: number, month: [string, string]) => ({
  componentId,
  byValue,
  chargingType: 'DURATION',
  allowance,
  used,
  rolledOver,
  remaining,
  startDate: month[0],
  endDate: month[1],
});
const JUNE: [string, string] = ['2025-06-01', '2025-06-30'];
const JULY: [string, string] = ['2025-07-01', '2025-07-31'];

describe('balances of the worked example', () => {
  it('shows each plan reaching a UPI, most specific first, and what rolls over into the next period', async () => {
    const w = await pricedCustomer(h);
    // June: U1 uses 300 s of Q (customer plan P1, PEAK); U2 uses 61 s of R (site plan P2, drawn before P1).
    await post(w, [record(w.u1, w.g1, jst('2025-06-02T10:00'), 300), record(w.u2, w.g1, jst('2025-06-02T10:00'), 61)]);

    const june = (await list(w, { usageProductInventoryId: w.u2, asOf: '2025-06-15' })).body;
    const p2 = (components: unknown[]) => ({
      assignmentId: w.p2Assignment.id,
      assignmentLevel: 'SITE',
      assignmentStartDate: '2025-06-01',
      assignmentEndDate: null,
      inclusiveUsagePlanId: w.p2.id,
      components,
    });
    const p1 = (components: unknown[]) => ({
      assignmentId: w.p1Assignment.id,
      assignmentLevel: 'CUSTOMER',
      assignmentStartDate: '2025-06-01',
      assignmentEndDate: null,
      inclusiveUsagePlanId: w.p1.id,
      components,
    });
    // P1 is one balance for the whole customer: U1's 300 s show under U2 too.
    expect(june).toEqual([
      {
        billRunId: null,
        periodStartDate: '2025-06-01',
        periodEndDate: '2025-06-30',
        usageProductInventoryId: w.u2,
        inclusiveUsageBalanceAssignments: [
          p2([component(w.r, false, 100, 61, 0, 39, JUNE)]),
          p1([component(w.q, false, 600, 300, 0, 300, JUNE), component(w.v, true, 10, 0, 0, 10, JUNE)]),
        ],
      },
    ]);

    // July: R's unused 39 s roll over (P2 has one rollover period); P1 has none, so Q starts afresh.
    const july = (await list(w, { usageProductInventoryId: w.u2, asOf: '2025-07-15' })).body;
    expect(july[0].periodStartDate).toBe('2025-07-01');
    expect(july[0].inclusiveUsageBalanceAssignments).toEqual([
      p2([component(w.r, false, 100, 0, 39, 139, JULY)]),
      p1([component(w.q, false, 600, 0, 0, 600, JULY), component(w.v, true, 10, 0, 0, 10, JULY)]),
    ]);

    // A 120 s call on 1 July draws the 39 s left of June first, then 81 s of July: nothing charged.
    const [call] = await post(w, [record(w.u2, w.g1, jst('2025-07-01T10:00'), 120)]);
    expect(call).toMatchObject({ status: 'RATED', usageRateCardId: w.cardB.id, inclusiveQuantity: 120, chargeableQuantity: 0, charge: 0 });
    const after = (await list(w, { usageProductInventoryId: w.u2, asOf: '2025-07-15', inclusiveUsagePlanId: w.p2.id })).body;
    expect(after[0].inclusiveUsageBalanceAssignments).toEqual([p2([component(w.r, false, 100, 81, 0, 19, JULY)])]);
    // June, seen on its last day, is spent: 61 + 39.
    const lastOfJune = (await list(w, { usageProductInventoryId: w.u2, asOf: '2025-06-30', componentId: w.r })).body;
    expect(lastOfJune[0].inclusiveUsageBalanceAssignments).toEqual([p2([component(w.r, false, 100, 100, 0, 0, JUNE)])]);
    // Before the assignments start there is nothing to show.
    expect((await list(w, { usageProductInventoryId: w.u2, asOf: '2025-05-31' })).body).toEqual([]);
  });

  it('defaults asOf to the contract owner’s today', async () => {
    const w = await pricedCustomer(h);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: TOKYO }).format(new Date());
    const [item] = (await list(w, { usageProductInventoryId: w.u1 })).body;
    const components = item.inclusiveUsageBalanceAssignments[0].components;
    expect(components[0].startDate <= today && today <= components[0].endDate).toBe(true);
    expect(components[0]).toMatchObject({ allowance: 600, used: 0, remaining: 600 });
  });
});

describe('filters, paging and errors', () => {
  it('filters by customer, site, assignment, plan and component, and pages over UPIs', async () => {
    const w = await pricedCustomer(h);
    const asOf = '2025-06-15';
    const ids = (body: any[]) => body.map((b) => b.usageProductInventoryId);
    const plans = (item: any) => item.inclusiveUsageBalanceAssignments.map((a: any) => a.inclusiveUsagePlanId);
    // U3 is of a product no plan is for: not listed
    const all = await list(w, { customerId: w.customerId, asOf });
    expect(ids(all.body)).toEqual([w.u1, w.u1b, w.u2]);
    expect(all.headers.get('x-total-count')).toBe('3');
    expect(all.body.map(plans)).toEqual([[w.p1.id], [w.p1.id], [w.p2.id, w.p1.id]]);
    expect(ids((await list(w, { siteId: w.s2, asOf })).body)).toEqual([w.u2]);
    const byAssignment = (await list(w, { assignmentId: w.p2Assignment.id, asOf })).body;
    expect(ids(byAssignment)).toEqual([w.u2]);
    expect(byAssignment.map(plans)).toEqual([[w.p2.id]]);
    expect((await list(w, { inclusiveUsagePlanId: w.p1.id, asOf })).body.map(plans)).toEqual([[w.p1.id], [w.p1.id], [w.p1.id]]);
    const onlyV = (await list(w, { componentId: w.v, usageProductInventoryId: w.u2, asOf })).body;
    expect(onlyV[0].inclusiveUsageBalanceAssignments).toHaveLength(1);
    expect(onlyV[0].inclusiveUsageBalanceAssignments[0].components.map((c: any) => c.componentId)).toEqual([w.v]);
    expect((await list(w, { componentId: w.r, siteId: w.s1, asOf })).body).toEqual([]);

    const page = await list(w, { customerId: w.customerId, asOf, pageSize: 2, page: 2, sort: 'usageProductInventoryId:desc' });
    expect(ids(page.body)).toEqual([w.u1]);
    expect(page.headers.get('x-total-count')).toBe('3');
    expect(page.headers.get('link')).toContain('rel="prev"');
    const fields = await list(w, { usageProductInventoryId: w.u1, asOf, fields: 'usageProductInventoryId,periodEndDate' });
    expect(fields.body).toEqual([{ usageProductInventoryId: w.u1, periodEndDate: '2025-06-30' }]);

    expect((await w.owner.api.head(PATH, { siteId: w.s2, asOf })).status).toBe(200);
    expect((await w.owner.api.head(PATH, { siteId: w.s2, asOf: '2025-01-01' })).status).toBe(404);
    expectProblem(await w.owner.api.get(PATH, { asOf: '2025-02-30' }), 400);
    expectProblem(await w.owner.api.get(PATH, { billRunId: 'x' }), 400);
    expectProblem(await w.owner.api.get(PATH, { componentId: 'x' }), 400);
    expectProblem(await w.owner.api.get(PATH, { sort: 'allowance' }), 400);
    expectProblem(await w.owner.api.post(PATH, {}), 405);
  });

  it('takes the seed’s billRunId filter, which matches nothing (Tenor has no bill runs: billRunId is null)', async () => {
    const w = await pricedCustomer(h);
    const asOf = '2025-06-15';
    expect((await list(w, { customerId: w.customerId, asOf })).body.map((b: any) => b.billRunId)).toEqual([null, null, null]);
    for (const billRunId of ['1', 'in:1,2,3']) {
      const res = await list(w, { customerId: w.customerId, asOf, billRunId });
      expect(res.body).toEqual([]);
      expect(res.headers.get('x-total-count')).toBe('0');
    }
    expect((await w.owner.api.head(PATH, { customerId: w.customerId, asOf, billRunId: 1 })).status).toBe(404);
  });

  it('sorts by the balance period (sort=periodStartDate, periodEndDate, :desc), then by inventory', async () => {
    const w = await pricedCustomer(h);
    const asOf = '2025-06-15';
    // U3's product gets its own plan from 10 June: its period (10 June – 9 July) starts and ends later than the others' (June)
    const u3 = (await w.owner.api.get(`/v1/usage-product-inventories/${w.u3}`)).body;
    const p3 = await inclusiveUsagePlan(w.owner, {
      usageProductId: u3.usageProductId,
      frequency: 'MONTHLY',
      inclusiveUsageComponents: [{ componentType: 'QUANTITY', chargingType: 'DURATION', quantity: 50, chargeGroups: [{ chargeGroupId: w.g2 }] }],
    });
    await assignment(w.owner, 'inclusiveUsagePlan', { assignmentLevel: 'INVENTORY', usageProductInventoryId: w.u3, inclusiveUsagePlanId: p3.id, startDate: '2025-06-10' });
    const ids = (res: { body: any[] }) => res.body.map((b) => b.usageProductInventoryId);
    const byId = [w.u1, w.u1b, w.u2, w.u3].sort((a, b) => a - b);
    const june = byId.filter((id) => id !== w.u3);

    const ascending = await list(w, { customerId: w.customerId, asOf, sort: 'periodStartDate' });
    expect(ids(ascending)).toEqual([...june, w.u3]);
    expect(ascending.body.map((b: any) => b.periodStartDate)).toEqual(['2025-06-01', '2025-06-01', '2025-06-01', '2025-06-10']);
    expect(ids(await list(w, { customerId: w.customerId, asOf, sort: 'periodStartDate:desc' }))).toEqual([w.u3, ...june]);
    expect(ids(await list(w, { customerId: w.customerId, asOf, sort: 'periodEndDate:desc,usageProductInventoryId:desc' }))).toEqual([w.u3, ...[...june].reverse()]);
    // paged after sorting, with the total of all pages
    const second = await list(w, { customerId: w.customerId, asOf, sort: 'periodStartDate:desc', pageSize: 2, page: 1 });
    expect(ids(second)).toEqual([w.u3, june[0]]);
    expect(second.headers.get('x-total-count')).toBe('4');
    expect(second.headers.get('link')).toContain('rel="next"');
    expect(ids(await list(w, { customerId: w.customerId, asOf, sort: 'periodStartDate:desc', pageSize: 2, page: 2 }))).toEqual(june.slice(1));
    // filters still apply
    expect(ids(await list(w, { siteId: w.s2, asOf, sort: 'periodStartDate' }))).toEqual([w.u2]);
    expectProblem(await w.owner.api.get(PATH, { sort: 'periodStartDate:sideways' }), 400);
  });

  it('shows another owner nothing', async () => {
    const w = await pricedCustomer(h);
    const other = await h.newOwner();
    expect((await other.api.get(PATH, { customerId: w.customerId, asOf: '2025-06-15' })).body).toEqual([]);
    expect((await other.api.head(PATH, { usageProductInventoryId: w.u2, asOf: '2025-06-15' })).status).toBe(404);
  });
});
