/** Rental discount plans (seed 004) and their rules on both runtimes. */
import { beforeAll, describe, expect, it } from 'vitest';
import { rentalDiscountPlan, rentalDiscountPlanRule, rentalProduct, rentalProductCategory } from '../helpers/factories';
import { expectProblem, type Harness, harness, signTestToken } from '../helpers/harness';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

describe('rental discount plans', () => {
  it('creates, reads, lists by every filter, patches and deletes a plan in seed 004’s shape', async () => {
    const owner = await h.newOwner();
    const res = await owner.api.post('/v2/rental-discount-plans', {
      contractOwnerId: owner.id,
      name: '12 month 50% off',
      durationInMonths: 12,
      availableFrom: '2019-08-24',
      availableTo: '2019-08-24',
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ contractOwnerId: owner.id, name: '12 month 50% off', durationInMonths: 12, availableFrom: '2019-08-24', availableTo: '2019-08-24', code: null });
    const plan = res.body;
    expect((await owner.api.get(`/v2/rental-discount-plans/${plan.id}`)).body).toEqual(plan);
    const withCode = await rentalDiscountPlan(owner, { code: 'SPRING50', availableTo: null });
    for (const [query, ids] of [
      [{ contractOwnerId: owner.id }, [plan.id, withCode.id]],
      [{ name: '12 month 50% off' }, [plan.id]],
      [{ name: 'like:50%' }, [plan.id]],
      [{ code: 'SPRING50' }, [withCode.id]],
      [{ availableFrom: 'lt:2020-01-01' }, [plan.id]],
      [{ availableTo: 'gtn:2020-01-01' }, [withCode.id]],
    ] as const) {
      expect((await owner.api.get('/v2/rental-discount-plans', query)).body.map((p: any) => p.id), JSON.stringify(query)).toEqual(ids);
    }
    expect((await owner.api.head('/v2/rental-discount-plans', { name: '12 month 50% off' })).status).toBe(200);
    const patched = await owner.api.patch(`/v2/rental-discount-plans/${plan.id}`, [{ op: 'replace', path: '/name', value: 'My Discount Plan' }]);
    expect(patched.body).toMatchObject({ name: 'My Discount Plan', version: 2 });
    expect((await owner.api.delete(`/v2/rental-discount-plans/${plan.id}`)).status).toBe(204);
  });

  it('keeps names and codes unique per owner (409) and validates the fields (400)', async () => {
    const owner = await h.newOwner();
    const other = await h.newOwner();
    const plan = await rentalDiscountPlan(owner, { name: 'Half off', code: 'HALF' });
    const name = expectProblem(await owner.api.post('/v2/rental-discount-plans', { contractOwnerId: owner.id, name: 'Half off', durationInMonths: 6, availableFrom: '2025-01-01' }), 409);
    expect(name.errors[0].path).toBe('/name');
    const code = expectProblem(await owner.api.post('/v2/rental-discount-plans', { contractOwnerId: owner.id, name: 'Other', code: 'HALF', durationInMonths: 6, availableFrom: '2025-01-01' }), 409);
    expect(code.errors[0].path).toBe('/code');
    const second = await rentalDiscountPlan(owner, { name: 'Quarter off' });
    expectProblem(await owner.api.patch(`/v2/rental-discount-plans/${second.id}`, [{ op: 'replace', path: '/name', value: 'Half off' }]), 409);
    expect((await owner.api.patch(`/v2/rental-discount-plans/${plan.id}`, [{ op: 'replace', path: '/durationInMonths', value: 24 }])).status).toBe(200);
    await rentalDiscountPlan(other, { name: 'Half off', code: 'HALF' });

    const base = { contractOwnerId: owner.id, name: 'New', durationInMonths: 12, availableFrom: '2025-01-01' };
    for (const [change, path] of [
      [{ durationInMonths: 0 }, '/durationInMonths'],
      [{ durationInMonths: 121 }, '/durationInMonths'],
      [{ durationInMonths: 1.5 }, '/durationInMonths'],
      [{ name: 'x'.repeat(51) }, '/name'],
      [{ availableFrom: undefined }, '/availableFrom'],
      [{ availableTo: '2024-12-31' }, '/availableTo'],
      [{ code: 'has space' }, '/code'],
    ] as const) {
      expect(expectProblem(await owner.api.post('/v2/rental-discount-plans', { ...base, ...change }), 400).errors[0].path, JSON.stringify(change)).toBe(path);
    }
    expectProblem(await owner.api.post('/v2/rental-discount-plans', { ...base, contractOwnerId: other.id }), 403);
    expectProblem(await other.api.get(`/v2/rental-discount-plans/${plan.id}`), 404);
  });
});

describe('rental discount plan rules', () => {
  it('creates category and product rules, lists by every filter, patches and deletes them', async () => {
    const owner = await h.newOwner();
    const plan = await rentalDiscountPlan(owner);
    const category = await rentalProductCategory(owner);
    const product = await rentalProduct(owner, category.id);
    const res = await owner.api.post('/v2/rental-discount-plan-rules', { rentalDiscountPlanId: plan.id, productCategoryId: category.id, discountPercentage: 15 });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ rentalDiscountPlanId: plan.id, productCategoryId: category.id, rentalProductId: null, discountPercentage: 15, contractOwnerId: owner.id });
    const productRule = await rentalDiscountPlanRule(owner, plan.id, category.id, { rentalProductId: product.id, discountPercentage: 12.25 });
    expect(productRule.discountPercentage).toBe(12.25);
    for (const [query, ids] of [
      [{ rentalDiscountPlanId: plan.id }, [res.body.id, productRule.id]],
      [{ productCategoryId: category.id }, [res.body.id, productRule.id]],
      [{ rentalProductId: product.id }, [productRule.id]],
    ] as const) {
      expect((await owner.api.get('/v2/rental-discount-plan-rules', query)).body.map((r: any) => r.id), JSON.stringify(query)).toEqual(ids);
    }
    const patched = await owner.api.patch(`/v2/rental-discount-plan-rules/${res.body.id}`, [{ op: 'replace', path: '/discountPercentage', value: 100 }]);
    expect(patched.body).toMatchObject({ discountPercentage: 100, version: 2 });
    expectProblem(await owner.api.patch(`/v2/rental-discount-plan-rules/${res.body.id}`, [{ op: 'replace', path: '/rentalDiscountPlanId', value: plan.id + 1 }]), 422);

    const blocked = expectProblem(await owner.api.delete(`/v2/rental-discount-plans/${plan.id}`), 409);
    expect(blocked.detail).toMatch(/2 rental discount plan rules/);
    expect((await owner.api.delete(`/v2/rental-discount-plan-rules/${res.body.id}`)).status).toBe(204);
    expect((await owner.api.delete(`/v2/rental-discount-plan-rules/${productRule.id}`)).status).toBe(204);
    expect((await owner.api.delete(`/v2/rental-discount-plans/${plan.id}`)).status).toBe(204);
  });

  it('allows one rule per plan, category and product (409), a product of the category (422) and 0..100 with 2 places (400)', async () => {
    const owner = await h.newOwner();
    const plan = await rentalDiscountPlan(owner);
    const category = await rentalProductCategory(owner);
    const product = await rentalProduct(owner, category.id);
    const elsewhere = await rentalProduct(owner);
    await rentalDiscountPlanRule(owner, plan.id, category.id);
    await rentalDiscountPlanRule(owner, plan.id, category.id, { rentalProductId: product.id });
    const body = { rentalDiscountPlanId: plan.id, productCategoryId: category.id, discountPercentage: 5 };
    expect(expectProblem(await owner.api.post('/v2/rental-discount-plan-rules', body), 409).errors[0].path).toBe('/productCategoryId');
    expect(expectProblem(await owner.api.post('/v2/rental-discount-plan-rules', { ...body, rentalProductId: product.id }), 409).errors[0].path).toBe('/rentalProductId');
    expect(expectProblem(await owner.api.post('/v2/rental-discount-plan-rules', { ...body, rentalProductId: elsewhere.id }), 422).errors[0].path).toBe('/rentalProductId');
    const other = await rentalDiscountPlan(owner);
    expect((await owner.api.post('/v2/rental-discount-plan-rules', { ...body, rentalDiscountPlanId: other.id })).status).toBe(201);
    for (const [value, path] of [
      [100.01, '/discountPercentage'],
      [-1, '/discountPercentage'],
      [12.345, '/discountPercentage'],
    ] as const) {
      expect(expectProblem(await owner.api.post('/v2/rental-discount-plan-rules', { ...body, rentalDiscountPlanId: other.id, discountPercentage: value }), 400).errors[0].path).toBe(path);
    }
    expect(expectProblem(await owner.api.post('/v2/rental-discount-plan-rules', { productCategoryId: category.id, discountPercentage: 5 }), 400).errors[0].path).toBe('/rentalDiscountPlanId');
  });

  it("needs a visible plan (404) and the plan owner's category (422); hides other owners' rules", async () => {
    const a = await h.newOwner();
    const b = await h.newOwner();
    const planOfB = await rentalDiscountPlan(b);
    const categoryOfA = await rentalProductCategory(a);
    const categoryOfB = await rentalProductCategory(b);
    expect(
      expectProblem(await a.api.post('/v2/rental-discount-plan-rules', { rentalDiscountPlanId: planOfB.id, productCategoryId: categoryOfA.id, discountPercentage: 5 }), 404).errors[0].path,
    ).toBe('/rentalDiscountPlanId');
    const both = h.client(await signTestToken({ owners: [a.id, b.id], scope: '*' }));
    expect(
      expectProblem(await both.post('/v2/rental-discount-plan-rules', { rentalDiscountPlanId: planOfB.id, productCategoryId: categoryOfA.id, discountPercentage: 5 }), 422).errors[0].path,
    ).toBe('/productCategoryId');
    const rule = await rentalDiscountPlanRule(b, planOfB.id, categoryOfB.id);
    expectProblem(await a.api.get(`/v2/rental-discount-plan-rules/${rule.id}`), 404);
    expect((await a.api.get('/v2/rental-discount-plan-rules')).body).toEqual([]);
  });
});
