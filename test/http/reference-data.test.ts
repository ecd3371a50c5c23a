/** Reference data (v1-contracts.md §Reference data) on both runtimes: sites, products, inventories, charge groups. */
import { beforeAll, describe, expect, it } from 'vitest';
import { customerContractAssignments, customerContracts } from '../../src/db/schema';
import {
  chargeGroup,
  chargeGroupCategory,
  customer,
  rentalDiscountPlan,
  rentalProduct,
  rentalProductCategory,
  rentalRateCard,
  rpi,
  site,
  timeBandPlan,
  upi,
  usageProduct,
  usageRateCard,
} from '../helpers/factories';
import { type Client, expectProblem, type Harness, harness, type Owner, signTestToken } from '../helpers/harness';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

/** The ids a list returns for `query`, in order. */
async function listedIds(api: Client, path: string, query: Record<string, string | number>): Promise<number[]> {
  const res = await api.get(path, query);
  expect(res.status, res.text).toBe(200);
  return res.body.map((o: { id: number }) => o.id);
}

/** A client acting for several owners at once (to reach the cross-owner 422s). */
async function multiOwnerClient(...owners: Owner[]): Promise<Client> {
  return h.client(await signTestToken({ owners: owners.map((o) => o.id), scope: '*' }));
}

/** Customer contracts and assignments have their own resource elsewhere; these tests only need rows that reference ours. */
async function insertContract(owner: Owner, customerId: number, siteId: number | null = null): Promise<number> {
  const now = new Date().toISOString();
  const [row] = await h.runtime.deps.database.db
    .insert(customerContracts)
    .values({
      contractOwnerId: owner.id,
      name: 'Test contract',
      customerId,
      siteId,
      startDate: '2025-01-01',
      endDate: '2026-12-31',
      billingStartDate: '2025-01-01',
      renewalAlertDays: 28,
      noticePeriodDays: 30,
      anchorDate: '2025-01-01',
      createdDate: now,
      updatedDate: now,
    })
    .returning();
  return row!.id;
}

async function insertAssignment(owner: Owner, inventory: { id: number; customerId: number }, contractId: number, active: boolean) {
  const now = new Date().toISOString();
  await h.runtime.deps.database.db.insert(customerContractAssignments).values({
    contractOwnerId: owner.id,
    customerId: inventory.customerId,
    customerContractId: contractId,
    rentalProductInventoryId: inventory.id,
    active,
    createdDate: now,
    updatedDate: now,
  });
}

function replace(path: string, value: unknown) {
  return [{ op: 'replace', path, value }];
}

describe('sites', () => {
  it('creates, reads, lists by every filter, patches and deletes a site', async () => {
    const owner = await h.newOwner();
    const c1 = await customer(owner);
    const c2 = await customer(owner);
    const created = await owner.api.post('/v1/sites', { customerId: c1.id, siteName: 'Main Street', siteReference: 'REF-1' });
    expect(created.status, created.text).toBe(201);
    expect(created.headers.get('location')).toBe(`/v1/sites/${created.body.id}`);
    expect(created.body).toMatchObject({ customerId: c1.id, contractOwnerId: owner.id, siteName: 'Main Street', siteReference: 'REF-1', version: 1 });
    const s1 = created.body;
    const s2 = await site(owner, c2.id, { siteName: 'Depot' });
    expect(s2.siteReference).toBeNull();

    expect((await owner.api.get(`/v1/sites/${s1.id}`)).body).toEqual(s1);
    expect(await listedIds(owner.api, '/v1/sites', {})).toEqual([s1.id, s2.id]);
    expect(await listedIds(owner.api, '/v1/sites', { id: s2.id })).toEqual([s2.id]);
    expect(await listedIds(owner.api, '/v1/sites', { customerId: c2.id })).toEqual([s2.id]);
    expect(await listedIds(owner.api, '/v1/sites', { contractOwnerId: owner.id, sort: 'siteName' })).toEqual([s2.id, s1.id]);
    expect(await listedIds(owner.api, '/v1/sites', { siteName: 'like:main' })).toEqual([s1.id]);
    expect(await listedIds(owner.api, '/v1/sites', { siteReference: 'REF-1' })).toEqual([s1.id]);
    expect((await owner.api.head('/v1/sites', { siteName: 'Depot' })).status).toBe(200);
    expect((await owner.api.head('/v1/sites', { siteName: 'Nowhere' })).status).toBe(404);

    const patched = await owner.api.patch(`/v1/sites/${s1.id}`, [
      { op: 'replace', path: '/siteName', value: 'High Street' },
      { op: 'remove', path: '/siteReference' },
    ]);
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({ siteName: 'High Street', siteReference: null, version: 2 });

    expect((await owner.api.delete(`/v1/sites/${s1.id}`)).status).toBe(204);
    expectProblem(await owner.api.get(`/v1/sites/${s1.id}`), 404);
  });

  it("answers 404 naming customerId for another owner's or a missing customer, and writes nothing", async () => {
    const a = await h.newOwner();
    const b = await h.newOwner();
    const theirs = await customer(b);
    for (const customerId of [theirs.id, 999_999_999]) {
      const problem = expectProblem(await a.api.post('/v1/sites', { customerId, siteName: 'X' }), 404);
      expect(problem.errors[0].path).toBe('/customerId');
    }
    expect(await listedIds(b.api, '/v1/sites', {})).toEqual([]);
  });

  it('refuses to move a site to another customer (422) and to change read-only fields (400)', async () => {
    const owner = await h.newOwner();
    const s = await site(owner);
    const other = await customer(owner);
    const problem = expectProblem(await owner.api.patch(`/v1/sites/${s.id}`, replace('/customerId', other.id)), 422);
    expect(problem.errors[0].path).toBe('/customerId');
    expectProblem(await owner.api.patch(`/v1/sites/${s.id}`, replace('/contractOwnerId', owner.id + 1)), 400);
  });

  it('refuses to delete a site still used by inventories or contracts (409 with counts)', async () => {
    const owner = await h.newOwner();
    const s = await site(owner);
    await rpi(owner, { siteId: s.id });
    await rpi(owner, { siteId: s.id });
    await upi(owner, { siteId: s.id });
    await insertContract(owner, s.customerId, s.id);
    const problem = expectProblem(await owner.api.delete(`/v1/sites/${s.id}`), 409);
    expect(problem.references).toEqual({ 'rental product inventories': 2, 'usage product inventories': 1, 'customer contracts': 1 });
    expect((await owner.api.get(`/v1/sites/${s.id}`)).status).toBe(200);
  });

  it('blocks deleting the customer while it has sites', async () => {
    const owner = await h.newOwner();
    const s = await site(owner);
    const problem = expectProblem(await owner.api.delete(`/v1/customers/${s.customerId}`), 409);
    expect(problem.references).toEqual({ sites: 1 });
  });
});

describe('contract owners', () => {
  it('refuses to delete an owner its pricing objects still use, naming them (409 with counts)', async () => {
    const owner = await h.newOwner();
    const plan = await timeBandPlan(owner);
    await rentalDiscountPlan(owner);
    const problem = expectProblem(await h.admin.delete(`/v1/contract-owners/${owner.id}`), 409);
    expect(problem.references).toEqual({ 'time band plans': 1, 'rental discount plans': 1 });

    // an owner sharing another owner's cards is blocked by them too
    const other = await h.newOwner();
    const both = await multiOwnerClient(owner, other);
    const card = await usageRateCard(owner);
    const rentalCard = await rentalRateCard(owner);
    for (const [path, id] of [['usage-rate-cards', card.id], ['rental-rate-cards', rentalCard.id]] as const) {
      const shared = await both.patch(`/v2/${path}/${id}`, replace('/contractOwnerIds', [owner.id, other.id]));
      expect(shared.status, shared.text).toBe(200);
    }
    const sharing = expectProblem(await h.admin.delete(`/v1/contract-owners/${other.id}`), 409);
    expect(sharing.references).toEqual({ 'usage rate cards': 1, 'rental rate cards': 1 });

    expect((await owner.api.delete(`/v2/time-band-plans/${plan.id}`)).status).toBe(204);
    expect(expectProblem(await h.admin.delete(`/v1/contract-owners/${owner.id}`), 409).references).not.toHaveProperty('time band plans');
  });
});

describe('rental product categories', () => {
  it('creates, reads, lists by every filter, patches and deletes a category', async () => {
    const owner = await h.newOwner();
    const created = await owner.api.post('/v1/rental-product-categories', { contractOwnerId: owner.id, name: 'Broadband', startDate: '2025-01-01' });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ contractOwnerId: owner.id, name: 'Broadband', startDate: '2025-01-01', endDate: null });
    const c1 = created.body;
    const c2 = await rentalProductCategory(owner, { name: 'Lines' });

    expect((await owner.api.get(`/v1/rental-product-categories/${c1.id}`)).body).toEqual(c1);
    expect(await listedIds(owner.api, '/v1/rental-product-categories', { id: `in:${c1.id},${c2.id}` })).toEqual([c1.id, c2.id]);
    expect(await listedIds(owner.api, '/v1/rental-product-categories', { contractOwnerId: owner.id })).toEqual([c1.id, c2.id]);
    expect(await listedIds(owner.api, '/v1/rental-product-categories', { name: 'Lines' })).toEqual([c2.id]);

    const patched = await owner.api.patch(`/v1/rental-product-categories/${c1.id}`, [{ op: 'add', path: '/endDate', value: '2029-12-31' }]);
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.endDate).toBe('2029-12-31');

    expect((await owner.api.delete(`/v1/rental-product-categories/${c1.id}`)).status).toBe(204);
    expectProblem(await owner.api.get(`/v1/rental-product-categories/${c1.id}`), 404);
  });

  it('checks date order on create and patch, the owner, and keeps the owner fixed', async () => {
    const a = await h.newOwner();
    const b = await h.newOwner();
    const bad = expectProblem(
      await a.api.post('/v1/rental-product-categories', { contractOwnerId: a.id, name: 'X', startDate: '2025-02-01', endDate: '2025-01-31' }),
      400,
    );
    expect(bad.errors[0].path).toBe('/endDate');
    const c = await rentalProductCategory(a, { startDate: '2025-01-01' });
    expectProblem(await a.api.patch(`/v1/rental-product-categories/${c.id}`, [{ op: 'add', path: '/endDate', value: '2024-12-31' }]), 400);
    expectProblem(await a.api.patch(`/v1/rental-product-categories/${c.id}`, replace('/startDate', '2031-01-01').concat(
      [{ op: 'add', path: '/endDate', value: '2030-01-01' }],
    )), 400);
    expectProblem(await a.api.post('/v1/rental-product-categories', { contractOwnerId: b.id, name: 'X', startDate: '2025-01-01' }), 403);
    expectProblem(await a.api.patch(`/v1/rental-product-categories/${c.id}`, replace('/contractOwnerId', b.id)), 422);
    expect((await a.api.get(`/v1/rental-product-categories/${c.id}`)).body).toMatchObject({ version: 1, endDate: null, contractOwnerId: a.id });
  });

  it('refuses to delete a category with products (409 with counts); the owner is blocked by the category', async () => {
    const owner = await h.newOwner();
    const c = await rentalProductCategory(owner);
    await rentalProduct(owner, c.id);
    await rentalProduct(owner, c.id);
    const problem = expectProblem(await owner.api.delete(`/v1/rental-product-categories/${c.id}`), 409);
    expect(problem.references).toEqual({ 'rental products': 2 });
    const ownerProblem = expectProblem(await h.admin.delete(`/v1/contract-owners/${owner.id}`), 409);
    expect(ownerProblem.references).toMatchObject({ 'rental product categories': 1 });
  });
});

describe('rental products', () => {
  it('creates, reads, lists by every filter, patches and deletes a product', async () => {
    const owner = await h.newOwner();
    const c1 = await rentalProductCategory(owner);
    const c2 = await rentalProductCategory(owner);
    const created = await owner.api.post('/v1/rental-products', {
      rentalProductCategoryId: c1.id,
      name: 'FTTP 500',
      invoicePresentationName: 'Fibre broadband',
      availableFrom: '2025-01-01',
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({
      rentalProductCategoryId: c1.id,
      contractOwnerId: owner.id,
      productType: 'PRODUCT',
      invoicePresentationName: 'Fibre broadband',
      availableTo: null,
    });
    const p1 = created.body;
    const p2 = await rentalProduct(owner, c2.id, { name: 'Static IP', productType: 'FEATURE' });

    expect((await owner.api.get(`/v1/rental-products/${p1.id}`)).body).toEqual(p1);
    expect(await listedIds(owner.api, '/v1/rental-products', { id: p2.id })).toEqual([p2.id]);
    expect(await listedIds(owner.api, '/v1/rental-products', { rentalProductCategoryId: c1.id })).toEqual([p1.id]);
    expect(await listedIds(owner.api, '/v1/rental-products', { name: 'like:fttp' })).toEqual([p1.id]);
    expect(await listedIds(owner.api, '/v1/rental-products', { productType: 'FEATURE' })).toEqual([p2.id]);
    expect(await listedIds(owner.api, '/v1/rental-products', { productType: 'in:PRODUCT,FEATURE' })).toEqual([p1.id, p2.id]);

    const patched = await owner.api.patch(`/v1/rental-products/${p1.id}`, [
      { op: 'replace', path: '/productType', value: 'EVENT' },
      { op: 'add', path: '/availableTo', value: '2026-06-30' },
    ]);
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({ productType: 'EVENT', availableTo: '2026-06-30', version: 2 });
    expectProblem(await owner.api.patch(`/v1/rental-products/${p1.id}`, replace('/productType', 'SERVICE')), 400);

    expect((await owner.api.delete(`/v1/rental-products/${p1.id}`)).status).toBe(204);
    expectProblem(await owner.api.get(`/v1/rental-products/${p1.id}`), 404);
  });

  it("needs a visible category (404), keeps it fixed (422) and checks availability order (400)", async () => {
    const a = await h.newOwner();
    const b = await h.newOwner();
    const theirs = await rentalProductCategory(b);
    const problem = expectProblem(await a.api.post('/v1/rental-products', { rentalProductCategoryId: theirs.id, name: 'X', availableFrom: '2025-01-01' }), 404);
    expect(problem.errors[0].path).toBe('/rentalProductCategoryId');
    const p = await rentalProduct(a);
    const mine = await rentalProductCategory(a);
    expectProblem(await a.api.patch(`/v1/rental-products/${p.id}`, replace('/rentalProductCategoryId', mine.id)), 422);
    const order = expectProblem(
      await a.api.post('/v1/rental-products', { rentalProductCategoryId: mine.id, name: 'X', availableFrom: '2025-01-02', availableTo: '2025-01-01' }),
      400,
    );
    expect(order.errors[0].path).toBe('/availableTo');
    expectProblem(await a.api.patch(`/v1/rental-products/${p.id}`, [{ op: 'add', path: '/availableTo', value: '2019-12-31' }]), 400);
  });

  it('refuses to delete a product with inventories (409 with counts)', async () => {
    const owner = await h.newOwner();
    const p = await rentalProduct(owner);
    await rpi(owner, { rentalProductId: p.id });
    const problem = expectProblem(await owner.api.delete(`/v1/rental-products/${p.id}`), 409);
    expect(problem.references).toEqual({ 'rental product inventories': 1 });
  });
});

describe('rental product inventories', () => {
  it("creates an RPI with the site's customer, reads, lists by every filter, patches and deletes it", async () => {
    const owner = await h.newOwner();
    const s1 = await site(owner);
    const s2 = await site(owner);
    const p1 = await rentalProduct(owner);
    const p2 = await rentalProduct(owner);
    const created = await owner.api.post('/v1/rental-product-inventories', {
      siteId: s1.id,
      rentalProductId: p1.id,
      quantity: 3,
      startDate: '2025-01-01',
      endDate: '2025-12-31',
      label: 'Reception',
      productReference: 'PR-1',
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ siteId: s1.id, customerId: s1.customerId, contractOwnerId: owner.id, quantity: 3, label: 'Reception' });
    const r1 = created.body;
    const r2 = await rpi(owner, { siteId: s2.id, rentalProductId: p2.id, startDate: '2026-01-01' });

    expect((await owner.api.get(`/v1/rental-product-inventories/${r1.id}`)).body).toEqual(r1);
    const path = '/v1/rental-product-inventories';
    expect(await listedIds(owner.api, path, { id: r1.id })).toEqual([r1.id]);
    expect(await listedIds(owner.api, path, { siteId: s2.id })).toEqual([r2.id]);
    expect(await listedIds(owner.api, path, { customerId: s1.customerId })).toEqual([r1.id]);
    expect(await listedIds(owner.api, path, { rentalProductId: p2.id })).toEqual([r2.id]);
    expect(await listedIds(owner.api, path, { startDate: 'ge:2025-06-01' })).toEqual([r2.id]);
    expect(await listedIds(owner.api, path, { endDate: 'gtn:2026-01-01' })).toEqual([r2.id]);
    expect(await listedIds(owner.api, path, { endDate: 'le:2025-12-31' })).toEqual([r1.id]);

    const patched = await owner.api.patch(`${path}/${r1.id}`, [
      { op: 'replace', path: '/quantity', value: 5 },
      { op: 'remove', path: '/endDate' },
    ]);
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({ quantity: 5, endDate: null, version: 2 });
    expectProblem(await owner.api.patch(`${path}/${r1.id}`, replace('/quantity', 0)), 400);
    expectProblem(await owner.api.patch(`${path}/${r1.id}`, replace('/customerId', s2.customerId)), 400);

    expect((await owner.api.delete(`${path}/${r1.id}`)).status).toBe(204);
    expectProblem(await owner.api.get(`${path}/${r1.id}`), 404);
  });

  it('validates quantity and date order, and keeps site and product fixed', async () => {
    const owner = await h.newOwner();
    const s = await site(owner);
    const p = await rentalProduct(owner);
    const base = { siteId: s.id, rentalProductId: p.id, startDate: '2025-01-01' };
    for (const quantity of [0, -1, 1.5, undefined]) {
      expectProblem(await owner.api.post('/v1/rental-product-inventories', { ...base, quantity }), 400);
    }
    const order = expectProblem(await owner.api.post('/v1/rental-product-inventories', { ...base, quantity: 1, endDate: '2024-12-31' }), 400);
    expect(order.errors[0].path).toBe('/endDate');
    const r = await rpi(owner, base);
    expectProblem(await owner.api.patch(`/v1/rental-product-inventories/${r.id}`, [{ op: 'add', path: '/endDate', value: '2024-01-01' }]), 400);
    const otherSite = await site(owner);
    const otherProduct = await rentalProduct(owner);
    expectProblem(await owner.api.patch(`/v1/rental-product-inventories/${r.id}`, replace('/siteId', otherSite.id)), 422);
    expectProblem(await owner.api.patch(`/v1/rental-product-inventories/${r.id}`, replace('/rentalProductId', otherProduct.id)), 422);
  });

  it("answers 404 for an invisible site or product and 422 for a product of another owner", async () => {
    const a = await h.newOwner();
    const b = await h.newOwner();
    const siteA = await site(a);
    const siteB = await site(b);
    const productA = await rentalProduct(a);
    const productB = await rentalProduct(b);
    const body = (siteId: number, rentalProductId: number) => ({ siteId, rentalProductId, quantity: 1, startDate: '2025-01-01' });

    const hiddenProduct = expectProblem(await a.api.post('/v1/rental-product-inventories', body(siteA.id, productB.id)), 404);
    expect(hiddenProduct.errors[0].path).toBe('/rentalProductId');
    const hiddenSite = expectProblem(await a.api.post('/v1/rental-product-inventories', body(siteB.id, productA.id)), 404);
    expect(hiddenSite.errors[0].path).toBe('/siteId');

    const both = await multiOwnerClient(a, b);
    const crossed = expectProblem(await both.post('/v1/rental-product-inventories', body(siteA.id, productB.id)), 422);
    expect(crossed.errors[0].path).toBe('/rentalProductId');
    expect(await listedIds(both, '/v1/rental-product-inventories', {})).toEqual([]);
  });

  it('refuses to delete an RPI referenced by contract assignments, active or not (409 with counts)', async () => {
    const owner = await h.newOwner();
    const r = await rpi(owner);
    const contractId = await insertContract(owner, r.customerId);
    await insertAssignment(owner, r, contractId, false);
    await insertAssignment(owner, r, contractId, true);
    const problem = expectProblem(await owner.api.delete(`/v1/rental-product-inventories/${r.id}`), 409);
    expect(problem.references).toEqual({ 'customer contract assignments': 2 });
  });
});

describe('usage products', () => {
  it('creates, reads, lists by every filter, patches and deletes a usage product', async () => {
    const owner = await h.newOwner();
    const created = await owner.api.post('/v1/usage-products', { contractOwnerId: owner.id, name: 'Outbound calls', direction: 'OUTBOUND', availableFrom: '2025-01-01' });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ contractOwnerId: owner.id, direction: 'OUTBOUND', chargingUnit: 'SECOND', availableTo: null });
    const u1 = created.body;
    const u2 = await usageProduct(owner, { name: 'Mobile data', chargingUnit: 'MEGABYTE' });
    expect(u2.direction).toBeNull();

    expect((await owner.api.get(`/v1/usage-products/${u1.id}`)).body).toEqual(u1);
    expect(await listedIds(owner.api, '/v1/usage-products', { id: u2.id })).toEqual([u2.id]);
    expect(await listedIds(owner.api, '/v1/usage-products', { contractOwnerId: owner.id })).toEqual([u1.id, u2.id]);
    expect(await listedIds(owner.api, '/v1/usage-products', { name: 'like:DATA' })).toEqual([u2.id]);

    const patched = await owner.api.patch(`/v1/usage-products/${u1.id}`, replace('/chargingUnit', 'EVENT'));
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({ chargingUnit: 'EVENT', version: 2 });
    expectProblem(await owner.api.patch(`/v1/usage-products/${u1.id}`, replace('/direction', 'SIDEWAYS')), 400);
    expectProblem(await owner.api.patch(`/v1/usage-products/${u1.id}`, [{ op: 'add', path: '/availableTo', value: '2024-12-31' }]), 400);

    expect((await owner.api.delete(`/v1/usage-products/${u1.id}`)).status).toBe(204);
    expectProblem(await owner.api.get(`/v1/usage-products/${u1.id}`), 404);
  });

  it('checks the owner and availability order; refuses to delete a product with UPIs (409 with counts)', async () => {
    const a = await h.newOwner();
    const b = await h.newOwner();
    expectProblem(await a.api.post('/v1/usage-products', { contractOwnerId: b.id, name: 'X', availableFrom: '2025-01-01' }), 403);
    expectProblem(await a.api.post('/v1/usage-products', { contractOwnerId: a.id, name: 'X', availableFrom: '2025-01-01', availableTo: '2024-01-01' }), 400);
    const u = await usageProduct(a);
    expectProblem(await a.api.patch(`/v1/usage-products/${u.id}`, replace('/contractOwnerId', b.id)), 422);
    await upi(a, { usageProductId: u.id });
    await upi(a, { usageProductId: u.id });
    const problem = expectProblem(await a.api.delete(`/v1/usage-products/${u.id}`), 409);
    expect(problem.references).toEqual({ 'usage product inventories': 2 });
  });
});

describe('usage product inventories', () => {
  it("creates a UPI with the site's customer, reads, lists by every filter, patches and deletes it", async () => {
    const owner = await h.newOwner();
    const s1 = await site(owner);
    const s2 = await site(owner);
    const u1 = await usageProduct(owner);
    const u2 = await usageProduct(owner);
    const created = await owner.api.post('/v1/usage-product-inventories', {
      siteId: s1.id,
      usageProductId: u1.id,
      reference: ' 01632960001 ',
      startDate: '2025-01-01',
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ siteId: s1.id, customerId: s1.customerId, contractOwnerId: owner.id, reference: '01632960001', endDate: null });
    const x1 = created.body;
    const x2 = await upi(owner, { siteId: s2.id, usageProductId: u2.id, reference: '01632960002' });

    const path = '/v1/usage-product-inventories';
    expect((await owner.api.get(`${path}/${x1.id}`)).body).toEqual(x1);
    expect(await listedIds(owner.api, path, { id: x2.id })).toEqual([x2.id]);
    expect(await listedIds(owner.api, path, { siteId: s1.id })).toEqual([x1.id]);
    expect(await listedIds(owner.api, path, { customerId: s2.customerId })).toEqual([x2.id]);
    expect(await listedIds(owner.api, path, { usageProductId: u2.id })).toEqual([x2.id]);
    expect(await listedIds(owner.api, path, { reference: '01632960001' })).toEqual([x1.id]);
    expect(await listedIds(owner.api, path, { reference: 'like:0163296000' })).toEqual([x1.id, x2.id]);

    const patched = await owner.api.patch(`${path}/${x1.id}`, [
      { op: 'replace', path: '/reference', value: '01632960009' },
      { op: 'add', path: '/endDate', value: '2025-12-31' },
    ]);
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({ reference: '01632960009', endDate: '2025-12-31', version: 2 });
    expectProblem(await owner.api.patch(`${path}/${x1.id}`, replace('/reference', '  ')), 400);

    expect((await owner.api.delete(`${path}/${x1.id}`)).status).toBe(204);
    expectProblem(await owner.api.get(`${path}/${x1.id}`), 404);
  });

  it('needs visible parents of one owner, checks date order and keeps parents fixed', async () => {
    const a = await h.newOwner();
    const b = await h.newOwner();
    const siteA = await site(a);
    const productA = await usageProduct(a);
    const productB = await usageProduct(b);
    const body = (usageProductId: number, extra: Record<string, unknown> = {}) => ({
      siteId: siteA.id,
      usageProductId,
      reference: '01632960100',
      startDate: '2025-01-01',
      ...extra,
    });
    const hidden = expectProblem(await a.api.post('/v1/usage-product-inventories', body(productB.id)), 404);
    expect(hidden.errors[0].path).toBe('/usageProductId');
    const crossed = expectProblem(await (await multiOwnerClient(a, b)).post('/v1/usage-product-inventories', body(productB.id)), 422);
    expect(crossed.errors[0].path).toBe('/usageProductId');
    const order = expectProblem(await a.api.post('/v1/usage-product-inventories', body(productA.id, { endDate: '2024-12-31' })), 400);
    expect(order.errors[0].path).toBe('/endDate');

    const x = await upi(a, { siteId: siteA.id, usageProductId: productA.id });
    expectProblem(await a.api.patch(`/v1/usage-product-inventories/${x.id}`, replace('/startDate', '2030-01-01').concat([
      { op: 'add', path: '/endDate', value: '2029-01-01' },
    ])), 400);
    expectProblem(await a.api.patch(`/v1/usage-product-inventories/${x.id}`, replace('/siteId', (await site(a)).id)), 422);
    expectProblem(await a.api.patch(`/v1/usage-product-inventories/${x.id}`, replace('/usageProductId', (await usageProduct(a)).id)), 422);
  });
});

describe('charge group categories', () => {
  it('creates, reads, lists by every filter, patches and deletes a category', async () => {
    const owner = await h.newOwner();
    const created = await owner.api.post('/v1/charge-group-categories', { contractOwnerId: owner.id, name: 'Voice' });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ contractOwnerId: owner.id, name: 'Voice', chargingUnitType: 'DURATION' });
    const c1 = created.body;
    const c2 = await chargeGroupCategory(owner, { name: 'Data', chargingUnitType: 'DATA' });

    expect((await owner.api.get(`/v1/charge-group-categories/${c1.id}`)).body).toEqual(c1);
    expect(await listedIds(owner.api, '/v1/charge-group-categories', { id: c2.id })).toEqual([c2.id]);
    expect(await listedIds(owner.api, '/v1/charge-group-categories', { contractOwnerId: owner.id })).toEqual([c1.id, c2.id]);
    expect(await listedIds(owner.api, '/v1/charge-group-categories', { name: 'Voice' })).toEqual([c1.id]);

    const patched = await owner.api.patch(`/v1/charge-group-categories/${c1.id}`, replace('/chargingUnitType', 'EVENT'));
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({ chargingUnitType: 'EVENT', version: 2 });

    expect((await owner.api.delete(`/v1/charge-group-categories/${c1.id}`)).status).toBe(204);
    expectProblem(await owner.api.get(`/v1/charge-group-categories/${c1.id}`), 404);
  });

  it('checks the owner, keeps it fixed and refuses to delete a category with groups (409 with counts)', async () => {
    const a = await h.newOwner();
    const b = await h.newOwner();
    expectProblem(await a.api.post('/v1/charge-group-categories', { contractOwnerId: b.id, name: 'X' }), 403);
    const c = await chargeGroupCategory(a);
    expectProblem(await a.api.patch(`/v1/charge-group-categories/${c.id}`, replace('/contractOwnerId', b.id)), 422);
    await chargeGroup(a, c.id);
    const problem = expectProblem(await a.api.delete(`/v1/charge-group-categories/${c.id}`), 409);
    expect(problem.references).toEqual({ 'charge groups': 1 });
  });
});

describe('charge groups', () => {
  it('creates, reads, lists by every filter, patches and deletes a charge group', async () => {
    const owner = await h.newOwner();
    const c1 = await chargeGroupCategory(owner);
    const c2 = await chargeGroupCategory(owner);
    const longName = `UK ${'n'.repeat(252)}`;
    const created = await owner.api.post('/v1/charge-groups', { chargeGroupCategoryId: c1.id, name: longName, startDate: '2025-01-01' });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ chargeGroupCategoryId: c1.id, contractOwnerId: owner.id, name: longName, type: 'GENERAL', endDate: null });
    const g1 = created.body;
    const g2 = await chargeGroup(owner, c2.id, { name: 'Local calls', type: 'LOCAL' });

    expect((await owner.api.get(`/v1/charge-groups/${g1.id}`)).body).toEqual(g1);
    expect(await listedIds(owner.api, '/v1/charge-groups', { id: g1.id })).toEqual([g1.id]);
    expect(await listedIds(owner.api, '/v1/charge-groups', { chargeGroupCategoryId: c2.id })).toEqual([g2.id]);
    expect(await listedIds(owner.api, '/v1/charge-groups', { name: 'like:local' })).toEqual([g2.id]);
    expect(await listedIds(owner.api, '/v1/charge-groups', { type: 'LOCAL' })).toEqual([g2.id]);

    const patched = await owner.api.patch(`/v1/charge-groups/${g1.id}`, [
      { op: 'replace', path: '/type', value: 'NATIONAL' },
      { op: 'add', path: '/endDate', value: '2026-12-31' },
    ]);
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({ type: 'NATIONAL', endDate: '2026-12-31', version: 2 });

    expect((await owner.api.delete(`/v1/charge-groups/${g1.id}`)).status).toBe(204);
    expectProblem(await owner.api.get(`/v1/charge-groups/${g1.id}`), 404);
  });

  it('limits names to 255, needs a visible category, checks date order and keeps the category fixed', async () => {
    const a = await h.newOwner();
    const b = await h.newOwner();
    const c = await chargeGroupCategory(a);
    const tooLong = expectProblem(await a.api.post('/v1/charge-groups', { chargeGroupCategoryId: c.id, name: 'n'.repeat(256), startDate: '2025-01-01' }), 400);
    expect(tooLong.errors[0].path).toBe('/name');
    const theirs = await chargeGroupCategory(b);
    const hidden = expectProblem(await a.api.post('/v1/charge-groups', { chargeGroupCategoryId: theirs.id, name: 'X', startDate: '2025-01-01' }), 404);
    expect(hidden.errors[0].path).toBe('/chargeGroupCategoryId');
    expectProblem(await a.api.post('/v1/charge-groups', { chargeGroupCategoryId: c.id, name: 'X', startDate: '2025-01-01', endDate: '2024-01-01' }), 400);
    const g = await chargeGroup(a, c.id);
    expectProblem(await a.api.patch(`/v1/charge-groups/${g.id}`, [{ op: 'add', path: '/endDate', value: '2019-01-01' }]), 400);
    expectProblem(await a.api.patch(`/v1/charge-groups/${g.id}`, replace('/chargeGroupCategoryId', (await chargeGroupCategory(a)).id)), 422);
  });
});

describe('tenancy across reference data', () => {
  it("never lists, reads, changes or deletes another owner's rows", async () => {
    const a = await h.newOwner();
    const b = await h.newOwner();
    const mine = {
      '/v1/sites': await site(a),
      '/v1/rental-product-categories': await rentalProductCategory(a),
      '/v1/charge-group-categories': await chargeGroupCategory(a),
    };
    const theirs: Record<string, { id: number }> = {
      '/v1/sites': await site(b),
      '/v1/rental-product-categories': await rentalProductCategory(b),
      '/v1/rental-products': await rentalProduct(b),
      '/v1/rental-product-inventories': await rpi(b),
      '/v1/usage-products': await usageProduct(b),
      '/v1/usage-product-inventories': await upi(b),
      '/v1/charge-group-categories': await chargeGroupCategory(b),
      '/v1/charge-groups': await chargeGroup(b),
    };
    for (const [path, row] of Object.entries(theirs)) {
      const listed = await listedIds(a.api, path, {});
      expect(listed, path).not.toContain(row.id);
      expect(listed, path).toEqual(path in mine ? [mine[path as keyof typeof mine].id] : []);
      expect((await a.api.head(path, { id: row.id })).status, path).toBe(404);
      expectProblem(await a.api.get(`${path}/${row.id}`), 404);
      expect((await a.api.head(`${path}/${row.id}`)).status, path).toBe(404);
      expectProblem(await a.api.patch(`${path}/${row.id}`, [{ op: 'test', path: '/id', value: row.id }]), 404);
      expectProblem(await a.api.delete(`${path}/${row.id}`), 404);
      expect((await b.api.get(`${path}/${row.id}`)).status, path).toBe(200);
    }
  });

  it('needs the customers scope: read to list, write to change', async () => {
    const owner = await h.newOwner();
    const readOnly = h.client(await signTestToken({ owners: [owner.id], scope: 'customers:read' }));
    const pricing = h.client(await signTestToken({ owners: [owner.id], scope: 'pricing:*' }));
    expect((await readOnly.get('/v1/rental-products')).status).toBe(200);
    expectProblem(await readOnly.post('/v1/charge-group-categories', { contractOwnerId: owner.id, name: 'X' }), 403);
    expectProblem(await pricing.get('/v1/usage-products'), 403);
  });
});
