/** Pricing assignments (/v1, v2-pricing.md §Assignments) on both runtimes. */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ASSIGNMENT_PATHS,
  assignment,
  customer,
  inclusiveUsagePlan,
  rentalDiscountPlan,
  rentalProduct,
  rentalProductCategory,
  rentalRateCard,
  rpi,
  site,
  upi,
  usageProduct,
  usageRateCard,
} from '../helpers/factories';
import { type Client, expectProblem, type Harness, harness, type Owner, signTestToken } from '../helpers/harness';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

async function clientFor(...owners: Owner[]): Promise<Client> {
  return h.client(await signTestToken({ owners: owners.map((o) => o.id), scope: '*' }));
}

/** A customer with a site and a UPI there, and a usage product with a SELL card for it. */
async function usageSetting(owner: Owner) {
  const c = await customer(owner);
  const s = await site(owner, c.id);
  const product = await usageProduct(owner);
  const inventory = await upi(owner, { siteId: s.id, usageProductId: product.id });
  const card = await usageRateCard(owner, { usageProductId: product.id });
  return { customer: c, site: s, product, inventory, card };
}

/** A customer with a site and an RPI of a product in a category. */
async function rentalSetting(owner: Owner) {
  const c = await customer(owner);
  const s = await site(owner, c.id);
  const category = await rentalProductCategory(owner);
  const product = await rentalProduct(owner, category.id);
  const inventory = await rpi(owner, { siteId: s.id, rentalProductId: product.id });
  return { customer: c, site: s, category, product, inventory };
}

describe('usage rate card assignments', () => {
  it('assigns a card at each level, reads, lists by every filter, patches and deletes', async () => {
    const owner = await h.newOwner();
    const { customer: c, site: s, inventory, card } = await usageSetting(owner);
    const path = ASSIGNMENT_PATHS.usageRateCard;
    const atCustomer = await owner.api.post(path, { assignmentLevel: 'CUSTOMER', customerId: c.id, usageRateCardId: card.id, startDate: '2025-01-01' });
    expect(atCustomer.status, atCustomer.text).toBe(201);
    expect(atCustomer.body).toEqual({
      id: expect.any(Number),
      assignmentLevel: 'CUSTOMER',
      customerId: c.id,
      siteId: null,
      usageProductInventoryId: null,
      usageRateCardId: card.id,
      startDate: '2025-01-01',
      endDate: null,
      contractOwnerId: owner.id,
      createdDate: expect.any(String),
      updatedDate: expect.any(String),
      createdBy: expect.any(String),
      updatedBy: expect.any(String),
      version: 1,
    });
    const atSite = await assignment(owner, 'usageRateCard', { assignmentLevel: 'SITE', siteId: s.id, usageRateCardId: card.id, endDate: '2025-12-31' });
    expect(atSite).toMatchObject({ customerId: null, siteId: s.id, usageProductInventoryId: null });
    const atInventory = await assignment(owner, 'usageRateCard', { assignmentLevel: 'INVENTORY', usageProductInventoryId: inventory.id, usageRateCardId: card.id, startDate: '2025-06-01' });
    expect(atInventory).toMatchObject({ customerId: null, siteId: null, usageProductInventoryId: inventory.id });
    expect((await owner.api.get(`${path}/${atSite.id}`)).body).toEqual(atSite);

    for (const [query, ids] of [
      [{}, [atCustomer.body.id, atSite.id, atInventory.id]],
      [{ assignmentLevel: 'SITE' }, [atSite.id]],
      [{ customerId: c.id }, [atCustomer.body.id]],
      [{ siteId: s.id }, [atSite.id]],
      [{ usageProductInventoryId: inventory.id }, [atInventory.id]],
      [{ usageRateCardId: card.id }, [atCustomer.body.id, atSite.id, atInventory.id]],
      [{ startDate: 'gt:2025-01-01' }, [atInventory.id]],
      [{ endDate: '2025-12-31' }, [atSite.id]],
    ] as const) {
      expect((await owner.api.get(path, query)).body.map((a: any) => a.id), JSON.stringify(query)).toEqual(ids);
    }

    const patched = await owner.api.patch(`${path}/${atCustomer.body.id}`, [{ op: 'replace', path: '/endDate', value: '2026-06-30' }]);
    expect(patched.body).toMatchObject({ endDate: '2026-06-30', version: 2 });
    expectProblem(await owner.api.patch(`${path}/${atCustomer.body.id}`, [{ op: 'replace', path: '/assignmentLevel', value: 'SITE' }]), 422);
    expectProblem(await owner.api.patch(`${path}/${atSite.id}`, [{ op: 'replace', path: '/siteId', value: s.id + 1 }]), 422);
    expectProblem(await owner.api.patch(`${path}/${atSite.id}`, [{ op: 'replace', path: '/contractOwnerId', value: owner.id + 1000 }]), 400);
    expect((await owner.api.delete(`${path}/${atSite.id}`)).status).toBe(204);
    expectProblem(await owner.api.get(`${path}/${atSite.id}`), 404);
  });

  it('needs exactly the id of the level (400) and a visible target (404)', async () => {
    const owner = await h.newOwner();
    const other = await h.newOwner();
    const { customer: c, site: s, card } = await usageSetting(owner);
    const path = ASSIGNMENT_PATHS.usageRateCard;
    const base = { usageRateCardId: card.id, startDate: '2025-01-01' };
    for (const [body, paths] of [
      [{ assignmentLevel: 'CUSTOMER' }, ['/customerId']],
      [{ assignmentLevel: 'SITE', customerId: c.id }, ['/customerId', '/siteId']],
      [{ assignmentLevel: 'INVENTORY', siteId: s.id }, ['/siteId', '/usageProductInventoryId']],
      [{ assignmentLevel: 'CUSTOMER', customerId: c.id, siteId: s.id }, ['/siteId']],
      [{ assignmentLevel: 'REGION', customerId: c.id }, ['/assignmentLevel']],
      [{ assignmentLevel: 'CUSTOMER', customerId: c.id, startDate: '2025-02-30' }, ['/startDate']],
      [{ assignmentLevel: 'CUSTOMER', customerId: c.id, endDate: '2024-12-31' }, ['/endDate']],
    ] as const) {
      const problem = expectProblem(await owner.api.post(path, { ...base, ...body }), 400);
      expect(problem.errors.map((e: any) => e.path).sort(), JSON.stringify(body)).toEqual([...paths].sort());
    }
    const theirs = await usageSetting(other);
    expect(expectProblem(await owner.api.post(path, { ...base, assignmentLevel: 'CUSTOMER', customerId: theirs.customer.id }), 404).errors[0].path).toBe('/customerId');
    expect(expectProblem(await owner.api.post(path, { ...base, assignmentLevel: 'SITE', siteId: theirs.site.id }), 404).errors[0].path).toBe('/siteId');
    expect(expectProblem(await owner.api.post(path, { ...base, assignmentLevel: 'INVENTORY', usageProductInventoryId: theirs.inventory.id }), 404).errors[0].path).toBe(
      '/usageProductInventoryId',
    );
    expect(expectProblem(await owner.api.post(path, { ...base, assignmentLevel: 'CUSTOMER', customerId: c.id, usageRateCardId: theirs.card.id }), 404).errors[0].path).toBe(
      '/usageRateCardId',
    );
    expect((await owner.api.get(path)).body).toEqual([]);
  });

  it('needs a SELL card of the target’s owner, available at the start, of the inventory’s usage product (422)', async () => {
    const a = await h.newOwner();
    const b = await h.newOwner();
    const { customer: c, inventory, product } = await usageSetting(a);
    const path = ASSIGNMENT_PATHS.usageRateCard;
    const at = { assignmentLevel: 'CUSTOMER', customerId: c.id, startDate: '2025-01-01' };
    for (const type of ['BUY', 'TEMPLATE']) {
      const card = await usageRateCard(a, { usageProductId: product.id, rateCardType: type });
      expect(expectProblem(await a.api.post(path, { ...at, usageRateCardId: card.id }), 422).detail, type).toMatch(/only SELL cards/);
    }
    const cardOfB = await usageRateCard(b);
    const both = await clientFor(a, b);
    expect(expectProblem(await both.post(path, { ...at, usageRateCardId: cardOfB.id }), 422).errors[0].path).toBe('/usageRateCardId');
    const later = await usageRateCard(a, { usageProductId: product.id, availableFrom: '2025-06-01', availableTo: '2025-12-31' });
    expect(expectProblem(await a.api.post(path, { ...at, usageRateCardId: later.id }), 422).errors[0].path).toBe('/startDate');
    expect((await a.api.post(path, { ...at, usageRateCardId: later.id, startDate: '2025-06-01' })).status).toBe(201);
    const otherProduct = await usageRateCard(a);
    const wrong = await a.api.post(path, { assignmentLevel: 'INVENTORY', usageProductInventoryId: inventory.id, usageRateCardId: otherProduct.id, startDate: '2025-01-01' });
    expect(expectProblem(wrong, 422).detail).toMatch(/usage product/);

    // a card shared by both owners may be assigned to either's customers
    const shared = await both.create('/v2/usage-rate-cards', {
      contractOwnerIds: [a.id, b.id],
      name: 'Shared',
      availableFrom: '2020-01-01',
      usageProductId: product.id,
      decimalPlaces: 2,
      defaultMinCharge: 0,
    });
    const customerOfB = await customer(b);
    const assigned = await b.api.post(path, { assignmentLevel: 'CUSTOMER', customerId: customerOfB.id, usageRateCardId: shared.id, startDate: '2025-01-01' });
    expect(assigned.status, assigned.text).toBe(201);
    expect(assigned.body.contractOwnerId).toBe(b.id);
    expectProblem(await both.patch(`/v2/usage-rate-cards/${shared.id}`, [{ op: 'replace', path: '/contractOwnerIds', value: [a.id] }]), 409);
    expect(expectProblem(await both.delete(`/v2/usage-rate-cards/${shared.id}`), 409).detail).toMatch(/1 usage rate card assignments/);
  });

  it('refuses overlapping assignments of the same level, target and usage product (409)', async () => {
    const owner = await h.newOwner();
    const { customer: c, site: s, product, card } = await usageSetting(owner);
    const path = ASSIGNMENT_PATHS.usageRateCard;
    const first = await assignment(owner, 'usageRateCard', { assignmentLevel: 'CUSTOMER', customerId: c.id, usageRateCardId: card.id, endDate: '2025-06-30' });
    const second = await usageRateCard(owner, { usageProductId: product.id });
    const clash = await owner.api.post(path, { assignmentLevel: 'CUSTOMER', customerId: c.id, usageRateCardId: second.id, startDate: '2025-06-30' });
    expect(expectProblem(clash, 409).conflictingAssignmentId).toBe(first.id);
    const next = await assignment(owner, 'usageRateCard', { assignmentLevel: 'CUSTOMER', customerId: c.id, usageRateCardId: second.id, startDate: '2025-07-01' });
    await assignment(owner, 'usageRateCard', { assignmentLevel: 'SITE', siteId: s.id, usageRateCardId: second.id });
    await assignment(owner, 'usageRateCard', { assignmentLevel: 'CUSTOMER', customerId: c.id, usageRateCardId: (await usageRateCard(owner)).id });
    expectProblem(await owner.api.patch(`${path}/${first.id}`, [{ op: 'replace', path: '/endDate', value: null }]), 409);
    expectProblem(await owner.api.patch(`${path}/${next.id}`, [{ op: 'replace', path: '/startDate', value: '2025-06-01' }]), 409);
    expect((await owner.api.patch(`${path}/${first.id}`, [{ op: 'replace', path: '/endDate', value: '2025-05-31' }])).status).toBe(200);
  });
});

describe('rental rate card assignments', () => {
  it('assigns SELL cards of the category, one per category, level and target at a time', async () => {
    const owner = await h.newOwner();
    const { customer: c, site: s, category, product, inventory } = await rentalSetting(owner);
    const path = ASSIGNMENT_PATHS.rentalRateCard;
    const card = await rentalRateCard(owner, { rentalProductCategoryId: category.id });
    const atInventory = await owner.api.post(path, { assignmentLevel: 'INVENTORY', rentalProductInventoryId: inventory.id, rentalRateCardId: card.id, startDate: '2025-01-01' });
    expect(atInventory.status, atInventory.text).toBe(201);
    expect(atInventory.body).toMatchObject({ rentalProductInventoryId: inventory.id, rentalRateCardId: card.id, customerId: null, siteId: null });
    await assignment(owner, 'rentalRateCard', { assignmentLevel: 'SITE', siteId: s.id, rentalRateCardId: card.id });
    const again = await owner.api.post(path, { assignmentLevel: 'SITE', siteId: s.id, rentalRateCardId: (await rentalRateCard(owner, { rentalProductCategoryId: category.id })).id, startDate: '2026-01-01' });
    expectProblem(again, 409);
    const otherCategory = await rentalRateCard(owner);
    expect((await owner.api.post(path, { assignmentLevel: 'SITE', siteId: s.id, rentalRateCardId: otherCategory.id, startDate: '2025-01-01' })).status).toBe(201);
    const wrong = await owner.api.post(path, { assignmentLevel: 'INVENTORY', rentalProductInventoryId: (await rpi(owner, { rentalProductId: (await rentalProduct(owner)).id, siteId: s.id })).id, rentalRateCardId: card.id, startDate: '2025-01-01' });
    expect(expectProblem(wrong, 422).detail).toMatch(/category/);
    const template = await rentalRateCard(owner, { rentalProductCategoryId: category.id, rentalRateCardType: 'TEMPLATE' });
    expectProblem(await owner.api.post(path, { assignmentLevel: 'CUSTOMER', customerId: c.id, rentalRateCardId: template.id, startDate: '2025-01-01' }), 422);
    expect(expectProblem(await owner.api.delete(`/v2/rental-rate-cards/${card.id}`), 409).detail).toMatch(/2 rental rate card assignments/);
    expect(product.rentalProductCategoryId).toBe(category.id);
  });
});

describe('inclusive usage plan assignments', () => {
  it('assigns plans of the target’s owner; different plans add up, the same plan may not overlap itself', async () => {
    const a = await h.newOwner();
    const b = await h.newOwner();
    const { customer: c, site: s, product, inventory } = await usageSetting(a);
    const path = ASSIGNMENT_PATHS.inclusiveUsagePlan;
    const plan = await inclusiveUsagePlan(a, { usageProductId: product.id });
    const other = await inclusiveUsagePlan(a, { usageProductId: product.id });
    const first = await owner_post(a.api, path, { assignmentLevel: 'CUSTOMER', customerId: c.id, inclusiveUsagePlanId: plan.id, startDate: '2025-01-01' });
    expect(first).toMatchObject({ inclusiveUsagePlanId: plan.id, customerId: c.id });
    await assignment(a, 'inclusiveUsagePlan', { assignmentLevel: 'CUSTOMER', customerId: c.id, inclusiveUsagePlanId: other.id });
    await assignment(a, 'inclusiveUsagePlan', { assignmentLevel: 'SITE', siteId: s.id, inclusiveUsagePlanId: plan.id });
    await assignment(a, 'inclusiveUsagePlan', { assignmentLevel: 'INVENTORY', usageProductInventoryId: inventory.id, inclusiveUsagePlanId: plan.id });
    expectProblem(await a.api.post(path, { assignmentLevel: 'CUSTOMER', customerId: c.id, inclusiveUsagePlanId: plan.id, startDate: '2026-01-01' }), 409);
    const otherProduct = await inclusiveUsagePlan(a);
    expectProblem(await a.api.post(path, { assignmentLevel: 'INVENTORY', usageProductInventoryId: inventory.id, inclusiveUsagePlanId: otherProduct.id, startDate: '2025-01-01' }), 422);
    const planOfB = await inclusiveUsagePlan(b);
    expect(expectProblem(await (await clientFor(a, b)).post(path, { assignmentLevel: 'CUSTOMER', customerId: c.id, inclusiveUsagePlanId: planOfB.id, startDate: '2025-01-01' }), 422).errors[0].path).toBe(
      '/inclusiveUsagePlanId',
    );
    expectProblem(await a.api.post(path, { assignmentLevel: 'CUSTOMER', customerId: c.id, inclusiveUsagePlanId: planOfB.id, startDate: '2025-01-01' }), 404);
    expect(expectProblem(await a.api.delete(`/v2/inclusive-usage-plans/${plan.id}`), 409).detail).toMatch(/3 inclusive usage plan assignments/);
    expectProblem(await b.api.get(`${path}/${first.id}`), 404);
    expect((await b.api.get(path)).body).toEqual([]);
  });
});

async function owner_post(api: Client, path: string, body: Record<string, unknown>) {
  const res = await api.post(path, body);
  expect(res.status, res.text).toBe(201);
  return res.body;
}

describe('rental discount plan assignments', () => {
  it('needs a SITE- or CUSTOMER-level assignment effective at an INVENTORY-level one’s start (422)', async () => {
    const owner = await h.newOwner();
    const { customer: c, site: s, inventory } = await rentalSetting(owner);
    const path = ASSIGNMENT_PATHS.rentalDiscountPlan;
    const plan = await rentalDiscountPlan(owner);
    const atInventory = { assignmentLevel: 'INVENTORY', rentalProductInventoryId: inventory.id, rentalDiscountPlanId: plan.id, startDate: '2025-03-01' };
    expect(expectProblem(await owner.api.post(path, atInventory), 422).errors[0].path).toBe('/rentalProductInventoryId');

    const otherSite = await site(owner, c.id);
    await assignment(owner, 'rentalDiscountPlan', { assignmentLevel: 'SITE', siteId: otherSite.id, rentalDiscountPlanId: plan.id });
    expectProblem(await owner.api.post(path, atInventory), 422);
    const laterCover = await assignment(owner, 'rentalDiscountPlan', { assignmentLevel: 'SITE', siteId: s.id, rentalDiscountPlanId: plan.id, startDate: '2025-04-01' });
    expectProblem(await owner.api.post(path, atInventory), 422);
    const inventoryLevel = await owner_post(owner.api, path, { ...atInventory, startDate: '2025-04-15' });
    expect(inventoryLevel).toMatchObject({ assignmentLevel: 'INVENTORY', rentalProductInventoryId: inventory.id });

    // the cover cannot be removed or moved away from under it, nor the inventory one moved before it
    expect(expectProblem(await owner.api.delete(`${path}/${laterCover.id}`), 409).dependentAssignmentIds).toEqual([inventoryLevel.id]);
    expectProblem(await owner.api.patch(`${path}/${laterCover.id}`, [{ op: 'replace', path: '/endDate', value: '2025-04-14' }]), 409);
    expectProblem(await owner.api.patch(`${path}/${inventoryLevel.id}`, [{ op: 'replace', path: '/startDate', value: '2025-03-15' }]), 422);
    expect((await owner.api.patch(`${path}/${laterCover.id}`, [{ op: 'replace', path: '/endDate', value: '2025-04-15' }])).status).toBe(200);

    // a customer-level assignment covers as well, so the site one may then go
    await assignment(owner, 'rentalDiscountPlan', { assignmentLevel: 'CUSTOMER', customerId: c.id, rentalDiscountPlanId: plan.id, startDate: '2025-01-01' });
    expect((await owner.api.delete(`${path}/${laterCover.id}`)).status).toBe(204);
    expect(expectProblem(await owner.api.delete(`/v2/rental-discount-plans/${plan.id}`), 409).detail).toMatch(/rental discount plan assignments/);
  });

  it('allows one discount plan per level and target at a time, of the target’s owner and available at the start', async () => {
    const a = await h.newOwner();
    const b = await h.newOwner();
    const { customer: c } = await rentalSetting(a);
    const path = ASSIGNMENT_PATHS.rentalDiscountPlan;
    const plan = await rentalDiscountPlan(a, { availableTo: '2025-12-31' });
    await assignment(a, 'rentalDiscountPlan', { assignmentLevel: 'CUSTOMER', customerId: c.id, rentalDiscountPlanId: plan.id, endDate: '2025-06-30' });
    const second = await rentalDiscountPlan(a);
    expectProblem(await a.api.post(path, { assignmentLevel: 'CUSTOMER', customerId: c.id, rentalDiscountPlanId: second.id, startDate: '2025-06-01' }), 409);
    expect((await a.api.post(path, { assignmentLevel: 'CUSTOMER', customerId: c.id, rentalDiscountPlanId: second.id, startDate: '2025-07-01' })).status).toBe(201);
    expect(expectProblem(await a.api.post(path, { assignmentLevel: 'CUSTOMER', customerId: (await customer(a)).id, rentalDiscountPlanId: plan.id, startDate: '2026-01-01' }), 422).errors[0].path).toBe(
      '/startDate',
    );
    const planOfB = await rentalDiscountPlan(b);
    expectProblem(await (await clientFor(a, b)).post(path, { assignmentLevel: 'CUSTOMER', customerId: c.id, rentalDiscountPlanId: planOfB.id, startDate: '2025-01-01' }), 422);
  });
});

describe('assigned objects', () => {
  it('keep the customers, sites and inventories they reach from being deleted (409)', async () => {
    const owner = await h.newOwner();
    const { customer: c, site: s, inventory, card } = await usageSetting(owner);
    await assignment(owner, 'usageRateCard', { assignmentLevel: 'INVENTORY', usageProductInventoryId: inventory.id, usageRateCardId: card.id });
    expect(expectProblem(await owner.api.delete(`/v1/usage-product-inventories/${inventory.id}`), 409).detail).toMatch(/usage rate card assignments/);
    expectProblem(await owner.api.delete(`/v1/sites/${s.id}`), 409);
    expectProblem(await owner.api.delete(`/v1/customers/${c.id}`), 409);
    const rental = await rentalSetting(owner);
    const plan = await rentalDiscountPlan(owner);
    await assignment(owner, 'rentalDiscountPlan', { assignmentLevel: 'CUSTOMER', customerId: rental.customer.id, rentalDiscountPlanId: plan.id });
    expect(expectProblem(await owner.api.delete(`/v1/customers/${rental.customer.id}`), 409).detail).toMatch(/rental discount plan assignments/);
  });
});
