/**
 * instellix contract creation on both runtimes: one transaction or nothing, and
 * what it made read the same through /v1 (contract, site, RPIs, assignments,
 * the coupon's discount assignment), through renewals too.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as f from '../helpers/factories';
import { changedTables, fingerprint } from '../helpers/fingerprint';
import { expectProblem, type Harness, harness, signTestToken, unique } from '../helpers/harness';
import { type Catalogue, catalogue, contract, contractBody } from '../helpers/instellix';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

/** POSTs a contract that must be refused with `status`, and checks that nothing of the owner changed; returns the problem. */
async function refused(c: Catalogue, body: Record<string, unknown>, status: number) {
  const before = await fingerprint(h.runtime.deps.database, c.owner.id);
  const problem = expectProblem(await c.owner.api.post('/v2/contracts', body), status);
  expect(changedTables(before, await fingerprint(h.runtime.deps.database, c.owner.id))).toEqual([]);
  return problem;
}

describe('creating a contract is one transaction', () => {
  it('writes the site, the contract, an RPI and an assignment per option, the coupon’s discount assignment and the event — and nothing else', async () => {
    const c = await catalogue(h);
    const before = await fingerprint(h.runtime.deps.database, c.owner.id);
    const events = Number(before.outbox_events!.split(' ')[0]);
    await contract(c, { couponCode: c.couponCode, optionQuantities: [{ optionIdent: 'line', quantity: 2 }] });
    expect(changedTables(before, await fingerprint(h.runtime.deps.database, c.owner.id)).sort()).toEqual(
      [
        'customer_contract_assignments (0 → 2 rows)',
        'customer_contracts (0 → 1 rows)',
        // the owner's list generation (counts kept by db/crud.ts) moved on
        'list_generations (1 → 1 rows)',
        `outbox_events (${events} → ${events + 1} rows)`,
        'rental_discount_plan_assignments (0 → 1 rows)',
        'rental_product_inventories (0 → 2 rows)',
        'sites (0 → 1 rows)',
      ].sort(),
    );
  });

  it('writes nothing for an option the plan does not have (422 naming it), an option listed twice or a bad property (400)', async () => {
    const c = await catalogue(h);
    const unknown = await refused(c, contractBody(c, { optionQuantities: [{ optionIdent: 'line', quantity: 1 }, { optionIdent: 'tv', quantity: 1 }] }), 422);
    expect(unknown.errors).toEqual([{ path: '/optionQuantities/1/optionIdent', message: '"tv" is not an option of the plan' }]);
    const twice = await refused(c, contractBody(c, { optionQuantities: [{ optionIdent: 'line', quantity: 1 }, { optionIdent: 'line', quantity: 2 }] }), 400);
    expect(twice.errors[0].path).toBe('/optionQuantities/1/optionIdent');
    const props = await refused(c, contractBody(c, { properties: [{ ident: 'a', value: '1' }, { ident: 'a', value: '2' }] }), 400);
    expect(props.errors[0].path).toBe('/properties/1/ident');
    expect((await refused(c, contractBody(c, { optionQuantities: [{ optionIdent: 'line', quantity: 0 }] }), 400)).errors[0].path).toBe('/optionQuantities/0/quantity');
  });

  it('writes nothing for an unknown coupon or one whose discount plan is not available on the start date (422 naming couponCode)', async () => {
    const c = await catalogue(h);
    expect((await refused(c, contractBody(c, { couponCode: 'NO-SUCH-CODE' }), 422)).errors[0].path).toBe('/couponCode');
    const later = await f.rentalDiscountPlan(c.owner, { code: unique('LATER'), availableFrom: '2026-01-01' });
    const problem = await refused(c, contractBody(c, { couponCode: later.code }), 422);
    expect(problem.errors[0].path).toBe('/couponCode');
    expect(problem.detail).toContain('available from 2026-01-01');
  });

  it('writes nothing when a date rule fails (billing before the start: 400) or the plan is another owner’s (deprecated planId: 422)', async () => {
    const c = await catalogue(h);
    expect((await refused(c, contractBody(c, { billingStartDate: '2024-12-31' }), 400)).errors[0].path).toBe('/billingStartDate');
    const other = await catalogue(h);
    const both = h.client(await signTestToken({ owners: [c.owner.id, other.owner.id], scope: '*' }));
    const before = await fingerprint(h.runtime.deps.database, c.owner.id);
    const { planIdent: _p, ...body } = contractBody(c, { planId: other.planId });
    expect(expectProblem(await both.post('/v2/contracts', body), 422).errors[0].path).toBe('/planId');
    expect(changedTables(before, await fingerprint(h.runtime.deps.database, c.owner.id))).toEqual([]);
  });

  it('writes nothing when its ident is already taken, even by a renewed chain', async () => {
    const c = await catalogue(h);
    const first = await contract(c);
    await c.owner.api.post('/v1/jobs/rollover', { asOf: '2026-01-02' });
    expect((await c.owner.api.get(`/v2/contracts/${first.contractIdent}`)).body.contractId).not.toBe(first.contractId);
    expect((await refused(c, contractBody(c, { contractIdent: first.contractIdent }), 409)).errors[0].path).toBe('/contractIdent');
  });
});

describe('what instellix creates reads the same through /v1', () => {
  it('a contract on the plan’s profile with its debtor, a site of its own, its RPIs and assignments, and the coupon at the site', async () => {
    const c = await catalogue(h);
    const created = await contract(c, {
      couponCode: c.couponCode,
      billingStartDate: '2025-02-01',
      optionQuantities: [
        { optionIdent: 'line', quantity: 3 },
        { optionIdent: 'router', quantity: 1 },
      ],
      properties: [{ ident: 'salesRep', value: 'A. Schmidt' }],
    });
    const v1 = (await c.owner.api.get(`/v1/customer-contracts/${created.contractId}`)).body;
    expect(v1).toMatchObject({
      id: created.contractId,
      contractOwnerId: c.owner.id,
      customerId: c.debtorId,
      contractProfileId: c.planId,
      startDate: '2025-01-01',
      endDate: '2025-12-31',
      billingStartDate: '2025-02-01',
      rolloverContractProfileId: c.planId,
      noticePeriodDays: 60,
      signedDate: '2024-12-15',
      externalRef: created.contractIdent,
      properties: { salesRep: 'A. Schmidt' },
      status: created.status,
      terminationDate: null,
    });
    const site = (await c.owner.api.get(`/v1/sites/${v1.siteId}`)).body;
    expect(site).toMatchObject({ customerId: c.debtorId, siteReference: created.contractIdent });

    const rpis = (await c.owner.api.get('/v1/rental-product-inventories', { siteId: v1.siteId, sort: 'id' })).body;
    expect(rpis.map((r: any) => [r.rentalProductId, r.quantity, r.startDate, r.endDate, r.label, r.productReference, r.customerId])).toEqual([
      [c.lineProductId, 3, '2025-01-01', null, 'Fibre line', 'line', c.debtorId],
      [c.routerProductId, 1, '2025-01-01', null, 'Router', 'router', c.debtorId],
    ]);
    expect(created.options.map((o: any) => o.rentalProductInventoryId)).toEqual(rpis.map((r: any) => r.id));
    const assignments = (await c.owner.api.get('/v1/customer-contract-assignments', { customerContractId: created.contractId, sort: 'id' })).body;
    expect(assignments.map((a: any) => [a.rentalProductInventoryId, a.active])).toEqual(rpis.map((r: any) => [r.id, true]));
    const discounts = (await c.owner.api.get('/v1/rental-discount-plan-assignments', { siteId: v1.siteId })).body;
    expect(discounts).toEqual([
      expect.objectContaining({ assignmentLevel: 'SITE', siteId: v1.siteId, rentalDiscountPlanId: c.discountPlanId, startDate: '2025-01-01', endDate: null }),
    ]);
    // the coupon prices the RPIs: 10 a month less 10 %
    const charges = await c.owner.api.get('/v2/rental-charges', { customerId: c.debtorId, siteId: v1.siteId, from: '2025-01-01', to: '2025-01-31' });
    expect(charges.status).toBe(200);
    expect(charges.body.map((ch: any) => [ch.rentalProductInventoryId, ch.rentalDiscountPlanId, ch.discountPercentage])).toEqual(rpis.map((r: any) => [r.id, c.discountPlanId, 10]));
  });

  it('a contract made on /v1 with an external reference is an instellix contract too', async () => {
    const c = await catalogue(h);
    const made = await c.owner.api.create('/v1/customer-contracts', { customerId: c.debtorId, contractProfileId: c.planId, startDate: '2025-03-01', externalRef: 'made-on-v1' });
    const read = (await c.owner.api.get('/v2/contracts/made-on-v1')).body;
    expect(read).toMatchObject({ contractIdent: 'made-on-v1', contractId: made.id, debtorIdent: c.debtorIdent, planIdent: c.planIdent, startDate: '2025-03-01', date: null, options: [], optionQuantities: [] });
  });

  it('follows the chain through renewals: the ident reads as the current contract, its options moved with it, what was signed unchanged', async () => {
    const c = await catalogue(h);
    const created = await contract(c, { couponCode: c.couponCode, lineItems: [{ name: 'Setup', amount: 49 }], language: 'fr' });
    await c.owner.api.post('/v1/jobs/rollover', { asOf: '2026-01-02' });
    const renewedId = (await c.owner.api.get(`/v1/customer-contracts/${created.contractId}`)).body.renewedCustomerContractId;
    expect(renewedId).not.toBeNull();
    const read = (await c.owner.api.get(`/v2/contracts/${created.contractIdent}`)).body;
    expect(read).toMatchObject({
      contractId: renewedId,
      startDate: '2025-01-01',
      date: created.date,
      couponCode: c.couponCode,
      lineItems: [{ name: 'Setup', amount: 49 }],
      language: 'fr',
      currentTerm: { startDate: '2026-01-01', endDate: '2026-12-31' },
      optionQuantities: created.optionQuantities,
    });
    expect((await c.owner.api.get('/v2/contracts')).body.map((x: any) => x.contractId)).toEqual([renewedId]);
  });
});
