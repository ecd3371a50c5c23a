/** Inclusive usage plans (v2-pricing.md) on both runtimes. */
import { beforeAll, describe, expect, it } from 'vitest';
import { chargeGroup, chargeGroupCategory, inclusiveUsagePlan, rentalProduct, usageProduct } from '../helpers/factories';
import { expectProblem, type Harness, harness, signTestToken } from '../helpers/harness';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

describe('inclusive usage plans', () => {
  it('creates a plan with components and bolt-on charges, reads, lists by every filter and deletes it', async () => {
    const owner = await h.newOwner();
    const product = await usageProduct(owner);
    const category = await chargeGroupCategory(owner);
    const [national, local] = [await chargeGroup(owner, category.id), await chargeGroup(owner, category.id)];
    const trigger = await rentalProduct(owner);
    const res = await owner.api.post('/v2/inclusive-usage-plans', {
      contractOwnerId: owner.id,
      name: '500 UK minutes',
      usageProductId: product.id,
      availableFrom: '2025-01-01',
      availableTo: '2026-12-31',
      boltOn: true,
      taxBandId: 3,
      nominalCode: 'SALES-01QTR2',
      rolloverPeriods: 2,
      triggerChargeId: trigger.id,
      supplierAccountId: 8,
      frequency: 'WEEKLY',
      minQualifyingQuantity: 1.5,
      maxPerEventQuantity: 3600,
      inclusiveUsageComponents: [
        {
          description: '500 minutes',
          componentType: 'QUANTITY',
          chargingType: 'DURATION',
          quantity: 30000,
          timebands: [{ timeband: 'PEAK' }, { timeband: 'OFFPEAK' }],
          chargeGroups: [{ chargeGroupId: national.id }, { chargeGroupId: local.id }],
        },
        { componentType: 'VALUE', chargingType: 'DATA', valueInPence: 1234.5678, chargeGroupCategories: [{ chargeGroupCategoryId: category.id }] },
      ],
      boltOnCharges: [{ price: 5, rentalRateType: 'ARREARS', rentalRateFrequency: 'MONTHLY', startDate: '2025-01-01' }],
    });
    expect(res.status, res.text).toBe(201);
    const plan = res.body;
    expect(plan).toMatchObject({
      contractOwnerId: owner.id,
      boltOn: true,
      taxBandId: 3,
      rolloverPeriods: 2,
      triggerChargeId: trigger.id,
      supplierAccountId: 8,
      frequency: 'WEEKLY',
      minQualifyingQuantity: 1.5,
      maxPerEventQuantity: 3600,
    });
    const [quantity, value] = plan.inclusiveUsageComponents;
    expect(quantity).toMatchObject({ description: '500 minutes', componentType: 'QUANTITY', chargingType: 'DURATION', quantity: 30000, valueInPence: null });
    expect(quantity.timebands).toEqual([
      { id: expect.any(Number), timeband: 'PEAK' },
      { id: expect.any(Number), timeband: 'OFFPEAK' },
    ]);
    expect(quantity.chargeGroups.map((g: any) => g.chargeGroupId)).toEqual([national.id, local.id]);
    expect(quantity.chargeGroupCategories).toEqual([]);
    expect(value).toMatchObject({ componentType: 'VALUE', valueInPence: 1234.5678, quantity: null, timebands: [], chargeGroups: [] });
    expect(value.chargeGroupCategories).toEqual([{ id: expect.any(Number), chargeGroupCategoryId: category.id }]);
    expect(plan.boltOnCharges[0]).toMatchObject({ price: 5, rentalRateType: 'ARREARS' });
    expect((await owner.api.get(`/v2/inclusive-usage-plans/${plan.id}`)).body).toEqual(plan);

    for (const query of [
      { contractOwnerId: owner.id },
      { usageProductId: product.id },
      { taxBandId: 3 },
      { name: 'like:uk min' },
      { availableFrom: 'le:2025-01-01' },
      { availableTo: '2026-12-31' },
    ] as Array<Record<string, string | number>>) {
      expect((await owner.api.get('/v2/inclusive-usage-plans', query)).body.map((p: any) => p.id), JSON.stringify(query)).toEqual([plan.id]);
    }
    expect((await owner.api.get('/v2/inclusive-usage-plans', { taxBandId: 4 })).body).toEqual([]);
    const summary = await owner.api.get(`/v2/inclusive-usage-plans/${plan.id}`, undefined, { headers: { summary: 'true' } });
    expect(summary.body).not.toHaveProperty('inclusiveUsageComponents');
    expect(summary.body).not.toHaveProperty('boltOnCharges');
    expect(summary.body.name).toBe('500 UK minutes');

    expect((await owner.api.delete(`/v2/inclusive-usage-plans/${plan.id}`)).status).toBe(204);
    expectProblem(await owner.api.get(`/v2/inclusive-usage-plans/${plan.id}`), 404);
  });

  it('defaults the frequency to MONTHLY and leaves optional figures null', async () => {
    const owner = await h.newOwner();
    const plan = await inclusiveUsagePlan(owner);
    expect(plan).toMatchObject({ frequency: 'MONTHLY', boltOn: false, rolloverPeriods: null, triggerChargeId: null, minQualifyingQuantity: null, inclusiveUsageComponents: [], boltOnCharges: [] });
  });

  it('changes components and their timebands and charge groups in one PATCH', async () => {
    const owner = await h.newOwner();
    const [g1, g2] = [await chargeGroup(owner), await chargeGroup(owner)];
    const plan = await inclusiveUsagePlan(owner, {
      inclusiveUsageComponents: [
        { componentType: 'QUANTITY', chargingType: 'DURATION', quantity: 600, timebands: [{ timeband: 'PEAK' }], chargeGroups: [{ chargeGroupId: g1.id }] },
        { componentType: 'QUANTITY', chargingType: 'EVENT', quantity: 10 },
      ],
    });
    const [first, second] = plan.inclusiveUsageComponents;
    const res = await owner.api.patch(`/v2/inclusive-usage-plans/${plan.id}`, [
      { op: 'add', path: '/inclusiveUsageComponents/0/timebands/-', value: { timeband: 'WEEKEND' } },
      { op: 'replace', path: '/inclusiveUsageComponents/0/chargeGroups/0/chargeGroupId', value: g2.id },
      { op: 'replace', path: '/inclusiveUsageComponents/0/quantity', value: 1200 },
      { op: 'remove', path: '/inclusiveUsageComponents/1' },
      { op: 'add', path: '/inclusiveUsageComponents/-', value: { componentType: 'VALUE', chargingType: 'DATA', valueInPence: 500, chargeGroups: [{ chargeGroupId: g1.id }] } },
    ]);
    expect(res.status, res.text).toBe(200);
    const [kept, added] = res.body.inclusiveUsageComponents;
    expect(res.body.inclusiveUsageComponents).toHaveLength(2);
    expect(kept.id).toBe(first.id);
    expect(kept.quantity).toBe(1200);
    expect(kept.timebands.map((t: any) => t.timeband)).toEqual(['PEAK', 'WEEKEND']);
    expect(kept.timebands[0].id).toBe(first.timebands[0].id);
    expect(kept.chargeGroups).toEqual([{ id: first.chargeGroups[0].id, chargeGroupId: g2.id }]);
    expect(added).toMatchObject({ componentType: 'VALUE', valueInPence: 500, chargeGroups: [{ id: expect.any(Number), chargeGroupId: g1.id }] });
    expect(added.id).not.toBe(second.id);
    expect((await owner.api.get(`/v2/inclusive-usage-plans/${plan.id}`)).body).toEqual(res.body);
  });

  it('requires quantity, value, supplier account as their types and trigger need (400 naming the field)', async () => {
    const owner = await h.newOwner();
    const product = await usageProduct(owner);
    const trigger = await rentalProduct(owner);
    const base = { contractOwnerId: owner.id, name: 'Plan', usageProductId: product.id, availableFrom: '2025-01-01' };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ inclusiveUsageComponents: [{ componentType: 'QUANTITY', chargingType: 'DURATION', valueInPence: 1 }] }, '/inclusiveUsageComponents/0/quantity'],
      [{ inclusiveUsageComponents: [{ componentType: 'VALUE', chargingType: 'DATA', quantity: 1 }] }, '/inclusiveUsageComponents/0/valueInPence'],
      [{ inclusiveUsageComponents: [{ componentType: 'VALUE', chargingType: 'SMS', valueInPence: 1 }] }, '/inclusiveUsageComponents/0/chargingType'],
      [{ inclusiveUsageComponents: [{ componentType: 'QUANTITY', chargingType: 'DATA', quantity: 1.0000001 }] }, '/inclusiveUsageComponents/0/quantity'],
      [{ inclusiveUsageComponents: [{ componentType: 'VALUE', chargingType: 'DATA', valueInPence: 1.00001 }] }, '/inclusiveUsageComponents/0/valueInPence'],
      [
        { inclusiveUsageComponents: [{ componentType: 'QUANTITY', chargingType: 'DATA', quantity: 1, timebands: [{ timeband: 'PEAK' }, { timeband: 'PEAK' }] }] },
        '/inclusiveUsageComponents/0/timebands/1/timeband',
      ],
      [{ triggerChargeId: trigger.id }, '/supplierAccountId'],
      [{ triggerChargeId: trigger.id, supplierAccountId: 1, frequency: null }, '/frequency'],
      [{ frequency: 'YEARLY' }, '/frequency'],
      [{ name: '' }, '/name'],
      [{ nominalCode: 'bad code!' }, '/nominalCode'],
      [{ availableTo: '2024-01-01' }, '/availableTo'],
    ];
    for (const [change, path] of cases) {
      const problem = expectProblem(await owner.api.post('/v2/inclusive-usage-plans', { ...base, ...change }), 400);
      expect(problem.errors.map((e: any) => e.path), JSON.stringify(change)).toContain(path);
    }
    const plan = await inclusiveUsagePlan(owner, { usageProductId: product.id });
    const patch = await owner.api.patch(`/v2/inclusive-usage-plans/${plan.id}`, [{ op: 'replace', path: '/triggerChargeId', value: trigger.id }]);
    expect(expectProblem(patch, 400).errors[0].path).toBe('/supplierAccountId');
  });

  it("needs the owner's usage product, trigger charge, charge groups and categories, and hides other owners' plans", async () => {
    const a = await h.newOwner();
    const b = await h.newOwner();
    const both = h.client(await signTestToken({ owners: [a.id, b.id], scope: '*' }));
    const productOfA = await usageProduct(a);
    const groupOfB = await chargeGroup(b);
    const categoryOfB = await chargeGroupCategory(b);
    const base = { contractOwnerId: a.id, name: 'Plan', usageProductId: productOfA.id, availableFrom: '2025-01-01' };
    const component = { componentType: 'QUANTITY', chargingType: 'DURATION', quantity: 60 };
    expect(expectProblem(await both.post('/v2/inclusive-usage-plans', { ...base, usageProductId: (await usageProduct(b)).id }), 422).errors[0].path).toBe('/usageProductId');
    expect(
      expectProblem(await both.post('/v2/inclusive-usage-plans', { ...base, inclusiveUsageComponents: [{ ...component, chargeGroups: [{ chargeGroupId: groupOfB.id }] }] }), 422).errors[0].path,
    ).toBe('/inclusiveUsageComponents/0/chargeGroups/0/chargeGroupId');
    expect(
      expectProblem(await a.api.post('/v2/inclusive-usage-plans', { ...base, inclusiveUsageComponents: [{ ...component, chargeGroupCategories: [{ chargeGroupCategoryId: categoryOfB.id }] }] }), 404)
        .errors[0].path,
    ).toBe('/inclusiveUsageComponents/0/chargeGroupCategories/0/chargeGroupCategoryId');
    expect(expectProblem(await both.post('/v2/inclusive-usage-plans', { ...base, triggerChargeId: (await rentalProduct(b)).id, supplierAccountId: 1 }), 422).errors[0].path).toBe(
      '/triggerChargeId',
    );
    expectProblem(await a.api.post('/v2/inclusive-usage-plans', { ...base, contractOwnerId: b.id }), 403);

    const plan = await inclusiveUsagePlan(b);
    expectProblem(await a.api.get(`/v2/inclusive-usage-plans/${plan.id}`), 404);
    expect((await a.api.get('/v2/inclusive-usage-plans')).body).toEqual([]);
    expectProblem(await a.api.patch(`/v2/inclusive-usage-plans/${plan.id}`, [{ op: 'replace', path: '/name', value: 'x' }]), 404);
    expectProblem(await b.api.patch(`/v2/inclusive-usage-plans/${plan.id}`, [{ op: 'replace', path: '/usageProductId', value: productOfA.id }]), 422);
  });
});
