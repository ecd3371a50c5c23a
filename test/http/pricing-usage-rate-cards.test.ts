/** Usage rate cards and usage rates (v2-pricing.md) on both runtimes. */
import { beforeAll, describe, expect, it } from 'vitest';
import { chargeGroup, timeBandPlan, usageProduct, usageRateBody, usageRateCard } from '../helpers/factories';
import { type Client, expectProblem, type Harness, harness, type Owner, signTestToken } from '../helpers/harness';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

async function clientFor(...owners: Owner[]): Promise<Client> {
  return h.client(await signTestToken({ owners: owners.map((o) => o.id), scope: '*' }));
}

const NESTED = ['usageRates', 'timeBandPlans', 'accessCharges', 'boltOnCharges'];

describe('usage rate cards', () => {
  it('creates a card with nested rates, time band plans, access and bolt-on charges, reads, lists and deletes it', async () => {
    const owner = await h.newOwner();
    const product = await usageProduct(owner);
    const group = await chargeGroup(owner);
    const plan = await timeBandPlan(owner, { name: 'Business week' });
    const res = await owner.api.post('/v2/usage-rate-cards', {
      contractOwnerIds: [owner.id],
      name: 'UK business calls',
      availableFrom: '2025-01-01',
      usageProductId: product.id,
      supplierId: 77,
      decimalPlaces: 4,
      defaultMinCharge: 1.0045,
      nominalCode: 'SALES-01',
      usageRates: [
        usageRateBody(group.id, {
          peakInitialCharge: 5,
          peakInitialPeriod: 60,
          peakValue: 1.2345,
          offPeakValue: 0.5,
          weekendMinimum: 0.25,
          quantityRoundingIncrement: 0.5,
          variableChargeUnitSize: 60,
        }),
      ],
      timeBandPlans: [{ timeBandPlanId: plan.id, startDate: '2025-01-01' }],
      accessCharges: [{ charge: 2.5, startDate: '2025-01-01', endDate: '2025-12-31' }],
      boltOnCharges: [{ price: 4.999999, rentalRateType: 'ADVANCE', periodsInAdvance: 'STANDARD', rentalRateFrequency: 'MONTHLY', startDate: '2025-01-01' }],
    });
    expect(res.status, res.text).toBe(201);
    expect(res.headers.get('location')).toBe(`/v2/usage-rate-cards/${res.body.id}`);
    const card = res.body;
    expect(card).toMatchObject({
      contractOwnerIds: [owner.id],
      rateCardType: 'SELL',
      priceRoundingStyle: 'MATHEMATICAL',
      defaultMinCharge: 1.0045,
      roundAccessChargeFirstMinute: false,
      boltOn: false,
      applyCrossTimeBandCharging: false,
      defaultQuantityRoundingIncrement: 1,
      defaultVariableChargeUnitSize: 1,
      supplierId: 77,
      currencyCode: 'GBP',
      version: 1,
    });
    expect(card.usageRates).toHaveLength(1);
    expect(card.usageRates[0]).toMatchObject({
      chargeGroupId: group.id,
      usageRateType: 'VARIABLE',
      peakInitialCharge: 5,
      peakInitialPeriod: 60,
      peakValue: 1.2345,
      peakMinimum: null,
      offPeakValue: 0.5,
      offPeakInitialCharge: null,
      weekendMinimum: 0.25,
      surchargeValue: null,
      quantityRoundingIncrement: 0.5,
      variableChargeUnitSize: 60,
    });
    expect(card.usageRates[0].id).toBeGreaterThan(0);
    expect(card.timeBandPlans).toEqual([{ id: expect.any(Number), timeBandPlanId: plan.id, name: 'Business week', startDate: '2025-01-01', endDate: null }]);
    expect(card.accessCharges).toEqual([{ id: expect.any(Number), charge: 2.5, startDate: '2025-01-01', endDate: '2025-12-31' }]);
    expect(card.boltOnCharges[0]).toMatchObject({ price: 4.999999, showOnInvoice: true, periodsInAdvance: 'STANDARD' });

    const got = await owner.api.get(`/v2/usage-rate-cards/${card.id}`);
    expect(got.body).toEqual(card);
    expect(got.headers.get('etag')).toBe('"1"');

    for (const query of [
      { contractOwnerId: owner.id },
      { name: 'like:business' },
      { rateCardType: 'SELL' },
      { usageProductId: product.id },
      { supplierId: 77 },
      { availableFrom: 'ge:2025-01-01' },
      { availableTo: 'gtn:2026-01-01' },
    ] as Array<Record<string, string | number>>) {
      const list = await owner.api.get('/v2/usage-rate-cards', query);
      expect(list.status, JSON.stringify(query)).toBe(200);
      expect(list.body.map((c: any) => c.id), JSON.stringify(query)).toEqual([card.id]);
    }
    expect((await owner.api.get('/v2/usage-rate-cards', { rateCardType: 'BUY' })).body).toEqual([]);
    expect((await owner.api.head('/v2/usage-rate-cards', { supplierId: 77 })).status).toBe(200);
    expect((await owner.api.head('/v2/usage-rate-cards', { supplierId: 78 })).status).toBe(404);

    expect((await owner.api.delete(`/v2/usage-rate-cards/${card.id}`)).status).toBe(204);
    expectProblem(await owner.api.get(`/v2/usage-rate-cards/${card.id}`), 404);
    expectProblem(await owner.api.get(`/v2/usage-rates/${card.usageRates[0].id}`), 404);
  });

  it('adds, changes and removes nested items in one PATCH, keeping the ids of kept items', async () => {
    const owner = await h.newOwner();
    const [g1, g2, g3] = [await chargeGroup(owner), await chargeGroup(owner), await chargeGroup(owner)];
    const card = await usageRateCard(owner, {
      usageRates: [usageRateBody(g1.id), usageRateBody(g2.id)],
      accessCharges: [{ charge: 1, startDate: '2025-01-01' }],
    });
    const [keep, drop] = card.usageRates;
    const res = await owner.api.patch(`/v2/usage-rate-cards/${card.id}`, [
      { op: 'add', path: '/usageRates/-', value: usageRateBody(g3.id, { usageRateType: 'MARKUP', peakValue: 12.5 }) },
      { op: 'replace', path: '/usageRates/0/peakValue', value: 2.25 },
      { op: 'remove', path: '/usageRates/1' },
      { op: 'replace', path: '/accessCharges/0/charge', value: 3 },
      { op: 'replace', path: '/name', value: 'Renamed card' },
    ]);
    expect(res.status, res.text).toBe(200);
    expect(res.body.name).toBe('Renamed card');
    expect(res.body.version).toBe(2);
    expect(res.body.usageRates.map((r: any) => [r.chargeGroupId, r.peakValue, r.usageRateType])).toEqual([
      [g1.id, 2.25, 'VARIABLE'],
      [g3.id, 12.5, 'MARKUP'],
    ]);
    expect(res.body.usageRates[0].id).toBe(keep.id);
    expect(res.body.accessCharges).toEqual([{ ...card.accessCharges[0], charge: 3 }]);
    expectProblem(await owner.api.get(`/v2/usage-rates/${drop.id}`), 404);

    const rate = await owner.api.get(`/v2/usage-rates/${keep.id}`);
    expect(rate.body).toMatchObject({ usageRateCardId: card.id, peakValue: 2.25, version: 2 });
    expect((await owner.api.get(`/v2/usage-rate-cards/${card.id}`)).body).toEqual(res.body);
  });

  it('writes nothing when one operation of a PATCH breaks a rule, and names the item', async () => {
    const owner = await h.newOwner();
    const other = await h.newOwner();
    const g1 = await chargeGroup(owner);
    const foreign = await chargeGroup(other);
    const card = await usageRateCard(owner, { usageRates: [usageRateBody(g1.id)] });

    const invisible = expectProblem(
      await owner.api.patch(`/v2/usage-rate-cards/${card.id}`, [
        { op: 'replace', path: '/name', value: 'Changed' },
        { op: 'add', path: '/usageRates/-', value: usageRateBody(foreign.id) },
      ]),
      404,
    );
    expect(invisible.errors[0].path).toBe('/usageRates/1/chargeGroupId');

    const unknownId = expectProblem(await owner.api.patch(`/v2/usage-rate-cards/${card.id}`, [{ op: 'replace', path: '/usageRates/0/id', value: 999999 }]), 400);
    expect(unknownId.errors[0].path).toBe('/usageRates/0/id');

    const badValue = expectProblem(await owner.api.patch(`/v2/usage-rate-cards/${card.id}`, [{ op: 'replace', path: '/usageRates/0/peakValue', value: 1.00001 }]), 400);
    expect(badValue.errors[0].path).toBe('/usageRates/0/peakValue');

    const got = await owner.api.get(`/v2/usage-rate-cards/${card.id}`);
    expect(got.body).toEqual(card);
  });

  it('keeps at most one rate per charge group, time band plan, access charge and bolt-on charge on any day (409)', async () => {
    const owner = await h.newOwner();
    const group = await chargeGroup(owner);
    const product = await usageProduct(owner);
    const base = { contractOwnerIds: [owner.id], name: 'Card', availableFrom: '2025-01-01', usageProductId: product.id, decimalPlaces: 2, defaultMinCharge: 0 };
    const overlapping = await owner.api.post('/v2/usage-rate-cards', {
      ...base,
      usageRates: [usageRateBody(group.id, { endDate: '2025-06-30' }), usageRateBody(group.id, { startDate: '2025-06-30' })],
    });
    expect(expectProblem(overlapping, 409).errors[0].path).toBe('/usageRates/1');
    const plan = await timeBandPlan(owner);
    expectProblem(
      await owner.api.post('/v2/usage-rate-cards', {
        ...base,
        timeBandPlans: [
          { timeBandPlanId: plan.id, startDate: '2025-01-01' },
          { timeBandPlanId: plan.id, startDate: '2026-01-01' },
        ],
      }),
      409,
    );
    expectProblem(await owner.api.post('/v2/usage-rate-cards', { ...base, accessCharges: [{ charge: 1, startDate: '2025-01-01' }, { charge: 2, startDate: '2025-02-01' }] }), 409);

    const card = await usageRateCard(owner, {
      usageProductId: product.id,
      usageRates: [usageRateBody(group.id, { endDate: '2025-06-30' }), usageRateBody(group.id, { startDate: '2025-07-01' })],
    });
    const patch = await owner.api.patch(`/v2/usage-rate-cards/${card.id}`, [{ op: 'replace', path: '/usageRates/0/endDate', value: '2025-07-01' }]);
    expectProblem(patch, 409);
    const direct = await owner.api.patch(`/v2/usage-rates/${card.usageRates[1].id}`, [{ op: 'replace', path: '/startDate', value: '2025-06-01' }]);
    expect(expectProblem(direct, 409).detail).toMatch(/overlaps usage rate/);
    const fine = await owner.api.patch(`/v2/usage-rates/${card.usageRates[1].id}`, [{ op: 'replace', path: '/startDate', value: '2025-08-01' }]);
    expect(fine.status, fine.text).toBe(200);
  });

  it('validates amounts, units and required fields (400 naming the field)', async () => {
    const owner = await h.newOwner();
    const product = await usageProduct(owner);
    const group = await chargeGroup(owner);
    const base = { contractOwnerIds: [owner.id], name: 'Card', availableFrom: '2025-01-01', usageProductId: product.id, decimalPlaces: 4, defaultMinCharge: 0 };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ defaultMinCharge: 0.00001 }, '/defaultMinCharge'],
      [{ decimalPlaces: 5 }, '/decimalPlaces'],
      [{ decimalPlaces: undefined }, '/decimalPlaces'],
      [{ name: 'x'.repeat(51) }, '/name'],
      [{ priceRoundingStyle: 'HALF_EVEN' }, '/priceRoundingStyle'],
      [{ defaultQuantityRoundingIncrement: 0 }, '/defaultQuantityRoundingIncrement'],
      [{ availableTo: '2024-12-31' }, '/availableTo'],
      [{ usageRates: [{ usageRateType: 'VARIABLE', peakValue: 1, startDate: '2025-01-01' }] }, '/usageRates/0/chargeGroupId'],
      [{ usageRates: [usageRateBody(group.id, { peakValue: undefined })] }, '/usageRates/0/peakValue'],
      [{ usageRates: [usageRateBody(group.id, { peakMinimum: -1 })] }, '/usageRates/0/peakMinimum'],
      [{ usageRates: [usageRateBody(group.id, { offPeakInitialPeriod: 1.5 })] }, '/usageRates/0/offPeakInitialPeriod'],
      [{ usageRates: [usageRateBody(group.id, { endDate: '2024-01-01' })] }, '/usageRates/0/endDate'],
      [{ usageRates: [usageRateBody(group.id, { id: 5 })] }, '/usageRates/0/id'],
      [{ boltOnCharges: [{ price: 1.0000001, rentalRateType: 'ARREARS', rentalRateFrequency: 'MONTHLY', startDate: '2025-01-01' }] }, '/boltOnCharges/0/price'],
      [{ boltOnCharges: [{ price: 1, rentalRateType: 'ADVANCE', rentalRateFrequency: 'MONTHLY', startDate: '2025-01-01' }] }, '/boltOnCharges/0/periodsInAdvance'],
      [{ boltOnCharges: [{ price: 1, rentalRateType: 'ARREARS', startDate: '2025-01-01' }] }, '/boltOnCharges/0/rentalRateFrequency'],
      [{ contractOwnerIds: [] }, '/contractOwnerIds'],
      [{ contractOwnerIds: [owner.id, owner.id] }, '/contractOwnerIds'],
    ];
    for (const [change, path] of cases) {
      const problem = expectProblem(await owner.api.post('/v2/usage-rate-cards', { ...base, ...change }), 400);
      expect(problem.errors.map((e: any) => e.path), JSON.stringify(change)).toContain(path);
    }
    expect((await owner.api.get('/v2/usage-rate-cards')).body).toEqual([]);
  });

  it('leaves the nested arrays out with the summary header, on lists, GET, POST and PATCH', async () => {
    const owner = await h.newOwner();
    const group = await chargeGroup(owner);
    const card = await usageRateCard(owner, { usageRates: [usageRateBody(group.id)] });
    const summary = { headers: { summary: 'true' } };
    const list = await owner.api.get('/v2/usage-rate-cards', undefined, summary);
    const got = await owner.api.get(`/v2/usage-rate-cards/${card.id}`, undefined, summary);
    const patched = await owner.api.patch(`/v2/usage-rate-cards/${card.id}`, [{ op: 'replace', path: '/usageRates/0/peakValue', value: 3 }], summary);
    for (const body of [list.body[0], got.body, patched.body]) {
      for (const field of NESTED) expect(body).not.toHaveProperty(field);
      expect(body).toMatchObject({ id: card.id, name: card.name });
    }
    expect(patched.body.version).toBe(2);
    const full = await owner.api.get(`/v2/usage-rate-cards/${card.id}`, undefined, { headers: { summary: 'false' } });
    expect(full.body.usageRates[0].peakValue).toBe(3);
    expectProblem(await owner.api.get(`/v2/usage-rate-cards/${card.id}`, undefined, { headers: { summary: 'yes' } }), 400);
  });

  it('keeps the card type and usage product fixed (422)', async () => {
    const owner = await h.newOwner();
    const card = await usageRateCard(owner);
    const other = await usageProduct(owner);
    expectProblem(await owner.api.patch(`/v2/usage-rate-cards/${card.id}`, [{ op: 'replace', path: '/rateCardType', value: 'BUY' }]), 422);
    expectProblem(await owner.api.patch(`/v2/usage-rate-cards/${card.id}`, [{ op: 'replace', path: '/usageProductId', value: other.id }]), 422);
    expectProblem(await owner.api.patch(`/v2/usage-rate-cards/${card.id}`, [{ op: 'replace', path: '/currencyCode', value: 'EUR' }]), 400);
  });
});

describe('usage rate card owners', () => {
  it('shows a card of two owners to each, and lets only a token for both change it', async () => {
    const a = await h.newOwner();
    const b = await h.newOwner();
    const both = await clientFor(a, b);
    const product = await usageProduct(a);
    const group = await chargeGroup(b);
    const created = await both.post('/v2/usage-rate-cards', {
      contractOwnerIds: [b.id, a.id],
      name: 'Shared',
      availableFrom: '2025-01-01',
      usageProductId: product.id,
      decimalPlaces: 2,
      defaultMinCharge: 0,
      usageRates: [usageRateBody(group.id)],
    });
    expect(created.status, created.text).toBe(201);
    const card = created.body;
    expect(card.contractOwnerIds).toEqual([a.id, b.id].sort((x, y) => x - y));

    for (const owner of [a, b]) {
      expect((await owner.api.get(`/v2/usage-rate-cards/${card.id}`)).status).toBe(200);
      expect((await owner.api.get('/v2/usage-rate-cards')).body.map((c: any) => c.id)).toEqual([card.id]);
      expect((await owner.api.get('/v2/usage-rates', { usageRateCardId: card.id })).body).toHaveLength(1);
      expectProblem(await owner.api.patch(`/v2/usage-rate-cards/${card.id}`, [{ op: 'replace', path: '/name', value: 'Mine' }]), 403);
      expectProblem(await owner.api.patch(`/v2/usage-rates/${card.usageRates[0].id}`, [{ op: 'replace', path: '/peakValue', value: 9 }]), 403);
      expectProblem(await owner.api.delete(`/v2/usage-rates/${card.usageRates[0].id}`), 403);
      expectProblem(await owner.api.delete(`/v2/usage-rate-cards/${card.id}`), 403);
    }
    expect((await a.api.get('/v2/usage-rate-cards', { contractOwnerId: b.id })).body.map((c: any) => c.id)).toEqual([card.id]);

    // dropping owner b while its charge group is used is a 422; with the rate gone it is allowed
    const leave = await both.patch(`/v2/usage-rate-cards/${card.id}`, [{ op: 'replace', path: '/contractOwnerIds', value: [a.id] }]);
    expect(expectProblem(leave, 422).errors[0].path).toBe('/usageRates/0/chargeGroupId');
    const renamed = await both.patch(`/v2/usage-rate-cards/${card.id}`, [
      { op: 'replace', path: '/contractOwnerIds', value: [a.id] },
      { op: 'remove', path: '/usageRates/0' },
    ]);
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.body.contractOwnerIds).toEqual([a.id]);
    expectProblem(await b.api.get(`/v2/usage-rate-cards/${card.id}`), 404);
    expect((await a.api.delete(`/v2/usage-rate-cards/${card.id}`)).status).toBe(204);
  });

  it('needs one currency (422), a token acting for each owner (403) and existing owners (404)', async () => {
    const gbp = await h.newOwner();
    const eur = await h.newOwner({ currencyCode: 'EUR' });
    const product = await usageProduct(gbp);
    const body = { name: 'Card', availableFrom: '2025-01-01', usageProductId: product.id, decimalPlaces: 2, defaultMinCharge: 0 };
    const mixed = await (await clientFor(gbp, eur)).post('/v2/usage-rate-cards', { ...body, contractOwnerIds: [gbp.id, eur.id] });
    expect(expectProblem(mixed, 422).detail).toMatch(/currency/);
    expectProblem(await gbp.api.post('/v2/usage-rate-cards', { ...body, contractOwnerIds: [gbp.id, eur.id] }), 403);
    const missing = expectProblem(await h.admin.post('/v2/usage-rate-cards', { ...body, contractOwnerIds: [gbp.id, 999999] }), 404);
    expect(missing.errors[0].path).toBe('/contractOwnerIds/1');

    const card = await usageRateCard(gbp, { usageProductId: product.id });
    const toEur = await (await clientFor(gbp, eur)).patch(`/v2/usage-rate-cards/${card.id}`, [{ op: 'add', path: '/contractOwnerIds/-', value: eur.id }]);
    expectProblem(toEur, 422);
  });

  it('needs the usage product, charge groups and time band plans of an owner of the card', async () => {
    const a = await h.newOwner();
    const b = await h.newOwner();
    const both = await clientFor(a, b);
    const productOfB = await usageProduct(b);
    const planOfB = await timeBandPlan(b);
    const body = { contractOwnerIds: [a.id], name: 'Card', availableFrom: '2025-01-01', decimalPlaces: 2, defaultMinCharge: 0 };
    expect(expectProblem(await both.post('/v2/usage-rate-cards', { ...body, usageProductId: productOfB.id }), 422).errors[0].path).toBe('/usageProductId');
    expect(expectProblem(await a.api.post('/v2/usage-rate-cards', { ...body, usageProductId: productOfB.id }), 404).errors[0].path).toBe('/usageProductId');
    const productOfA = await usageProduct(a);
    const withPlan = await both.post('/v2/usage-rate-cards', { ...body, usageProductId: productOfA.id, timeBandPlans: [{ timeBandPlanId: planOfB.id, startDate: '2025-01-01' }] });
    expect(expectProblem(withPlan, 422).errors[0].path).toBe('/timeBandPlans/0/timeBandPlanId');
  });

  it("hides another owner's cards and rates", async () => {
    const a = await h.newOwner();
    const b = await h.newOwner();
    const card = await usageRateCard(b, { usageRates: [usageRateBody((await chargeGroup(b)).id)] });
    expectProblem(await a.api.get(`/v2/usage-rate-cards/${card.id}`), 404);
    expect((await a.api.head(`/v2/usage-rate-cards/${card.id}`)).status).toBe(404);
    expect((await a.api.get('/v2/usage-rate-cards')).body).toEqual([]);
    expect((await a.api.get('/v2/usage-rates', { usageRateCardId: card.id })).body).toEqual([]);
    expectProblem(await a.api.get(`/v2/usage-rates/${card.usageRates[0].id}`), 404);
    expectProblem(await a.api.patch(`/v2/usage-rate-cards/${card.id}`, [{ op: 'replace', path: '/name', value: 'x' }]), 404);
    expectProblem(await a.api.delete(`/v2/usage-rates/${card.usageRates[0].id}`), 404);
    const readOnly = h.client(await signTestToken({ owners: [b.id], scope: 'pricing:read' }));
    expect((await readOnly.get(`/v2/usage-rate-cards/${card.id}`)).status).toBe(200);
    expectProblem(await readOnly.patch(`/v2/usage-rate-cards/${card.id}`, [{ op: 'replace', path: '/name', value: 'x' }]), 403);
  });

  it('lists more cards than one statement may bind ids for, each with its own owners and nested items', async () => {
    const owner = await h.newOwner();
    const product = await usageProduct(owner);
    const plan = await timeBandPlan(owner);
    const count = 110;
    const created = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        usageRateCard(owner, {
          usageProductId: product.id,
          timeBandPlans: [{ timeBandPlanId: plan.id, startDate: '2025-01-01' }],
          accessCharges: [{ charge: i + 1, startDate: '2025-01-01' }],
        }),
      ),
    );
    created.sort((a, b) => a.id - b.id);
    const res = await owner.api.get('/v2/usage-rate-cards', { pageSize: 1000 });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toHaveLength(count);
    for (const [i, card] of res.body.entries()) {
      expect(card.id).toBe(created[i].id);
      expect(card.contractOwnerIds).toEqual([owner.id]);
      expect(card.timeBandPlans).toEqual([expect.objectContaining({ timeBandPlanId: plan.id, name: plan.name })]);
      expect(card.accessCharges).toEqual(created[i].accessCharges);
    }
  });
});

describe('usage rates', () => {
  it('lists the rates of a card (usageRateCardId required), filters, reads, patches and deletes them', async () => {
    const owner = await h.newOwner();
    const [g1, g2] = [await chargeGroup(owner), await chargeGroup(owner)];
    const card = await usageRateCard(owner, {
      usageRates: [usageRateBody(g1.id), usageRateBody(g2.id, { usageRateType: 'MARKUP', peakValue: 20, startDate: '2025-03-01', endDate: '2025-12-31' })],
    });
    const [r1, r2] = card.usageRates;
    const required = expectProblem(await owner.api.get('/v2/usage-rates'), 400);
    expect(required.errors[0].path).toBe('query.usageRateCardId');
    expect((await owner.api.head('/v2/usage-rates')).status).toBe(400);

    const all = await owner.api.get('/v2/usage-rates', { usageRateCardId: card.id });
    expect(all.body.map((r: any) => r.id)).toEqual([r1.id, r2.id]);
    expect(all.body[0]).toMatchObject({ usageRateCardId: card.id, chargeGroupId: g1.id, version: 1 });
    for (const [query, ids] of [
      [{ chargeGroupId: g2.id }, [r2.id]],
      [{ usageRateType: 'MARKUP' }, [r2.id]],
      [{ availableFrom: 'gt:2025-01-01' }, [r2.id]],
      [{ availableTo: 'gtn:2026-01-01' }, [r1.id]],
      [{ startDate: '2025-01-01' }, [r1.id]],
    ] as const) {
      const list = await owner.api.get('/v2/usage-rates', { usageRateCardId: card.id, ...query });
      expect(list.body.map((r: any) => r.id), JSON.stringify(query)).toEqual(ids);
    }

    const patched = await owner.api.patch(`/v2/usage-rates/${r1.id}`, [
      { op: 'replace', path: '/peakValue', value: 0.0001 },
      { op: 'add', path: '/weekendValue', value: 0 },
    ]);
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({ peakValue: 0.0001, weekendValue: 0, version: 2 });
    expectProblem(await owner.api.patch(`/v2/usage-rates/${r1.id}`, [{ op: 'replace', path: '/usageRateCardId', value: 1 }]), 400);
    expect((await owner.api.get(`/v2/usage-rate-cards/${card.id}`)).body.version).toBe(2);

    expect((await owner.api.post('/v2/usage-rates', usageRateBody(g1.id))).status).toBe(405);
    expect((await owner.api.delete(`/v2/usage-rates/${r2.id}`)).status).toBe(204);
    expect((await owner.api.get(`/v2/usage-rate-cards/${card.id}`)).body.usageRates.map((r: any) => r.id)).toEqual([r1.id]);
  });

  it('refuses a stale If-Match and a change to a card that moved on', async () => {
    const owner = await h.newOwner();
    const card = await usageRateCard(owner, { usageRates: [usageRateBody((await chargeGroup(owner)).id)] });
    const rateId = card.usageRates[0].id;
    expectProblem(await owner.api.patch(`/v2/usage-rates/${rateId}`, [{ op: 'replace', path: '/peakValue', value: 2 }], { headers: { 'if-match': '"9"' } }), 412);
    expectProblem(await owner.api.patch(`/v2/usage-rate-cards/${card.id}`, [{ op: 'replace', path: '/name', value: 'x' }], { headers: { 'if-match': '"9"' } }), 412);
  });
});
