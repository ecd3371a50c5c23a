/** Rental rate cards and rental rates (v2-pricing.md) on both runtimes. */
import { beforeAll, describe, expect, it } from 'vitest';
import { rentalProduct, rentalProductCategory, rentalRateBody, rentalRateCard } from '../helpers/factories';
import { type Client, expectProblem, type Harness, harness, type Owner, signTestToken } from '../helpers/harness';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

async function clientFor(...owners: Owner[]): Promise<Client> {
  return h.client(await signTestToken({ owners: owners.map((o) => o.id), scope: '*' }));
}

async function categoryWithProducts(owner: Owner, count: number) {
  const category = await rentalProductCategory(owner);
  const products = [];
  for (let i = 0; i < count; i++) products.push(await rentalProduct(owner, category.id, { name: `Product ${i} ${category.id}` }));
  return { category, products };
}

describe('rental rate cards', () => {
  it('creates a SELL card with rates, reads, lists by every filter, patches nested rates and deletes it', async () => {
    const owner = await h.newOwner();
    const { category, products } = await categoryWithProducts(owner, 3);
    const res = await owner.api.post('/v2/rental-rate-cards', {
      contractOwnerIds: [owner.id],
      name: 'Business broadband',
      rentalRateCardType: 'SELL',
      rentalProductCategoryId: category.id,
      availableFrom: '2025-01-01',
      availableTo: '2027-12-31',
      rentalRates: [
        rentalRateBody(products[0].id, { price: 25.123456 }),
        rentalRateBody(products[0].id, { rentalRatePriceType: 'ONEOFF', price: 99, rentalRateType: null, periodsInAdvance: null, rentalRateFrequency: null }),
        rentalRateBody(products[1].id, { rentalRateType: 'ARREARS', periodsInAdvance: null, rentalRateFrequency: 'QUARTERLY', showOnInvoice: false }),
      ],
    });
    expect(res.status, res.text).toBe(201);
    const card = res.body;
    expect(card).toMatchObject({ contractOwnerIds: [owner.id], acceptOverridesFromParents: true, basedOnTemplateId: null, supplierAccountId: null, currencyCode: 'GBP' });
    expect(card.rentalRates.map((r: any) => [r.rentalProductId, r.price, r.rentalRatePriceType, r.rentalRateFrequency, r.showOnInvoice])).toEqual([
      [products[0].id, 25.123456, 'RENTAL', 'MONTHLY', true],
      [products[0].id, 99, 'ONEOFF', null, true],
      [products[1].id, 1 * 25, 'RENTAL', 'QUARTERLY', false],
    ]);
    expect((await owner.api.get(`/v2/rental-rate-cards/${card.id}`)).body).toEqual(card);

    for (const query of [
      { contractOwnerId: owner.id },
      { name: 'like:BROADBAND' },
      { availableFrom: '2025-01-01' },
      { availableTo: 'lt:2028-01-01' },
      { rentalRateCardType: 'SELL' },
      { rentalProductCategoryId: category.id },
    ] as Array<Record<string, string | number>>) {
      expect((await owner.api.get('/v2/rental-rate-cards', query)).body.map((c: any) => c.id), JSON.stringify(query)).toEqual([card.id]);
    }
    expect((await owner.api.get('/v2/rental-rate-cards', { rentalRateCardType: 'TEMPLATE' })).body).toEqual([]);

    const patched = await owner.api.patch(`/v2/rental-rate-cards/${card.id}`, [
      { op: 'add', path: '/rentalRates/-', value: rentalRateBody(products[2].id, { price: -5 }) },
      { op: 'replace', path: '/rentalRates/0/price', value: 30 },
      { op: 'remove', path: '/rentalRates/1' },
      { op: 'replace', path: '/acceptOverridesFromParents', value: false },
    ]);
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.acceptOverridesFromParents).toBe(false);
    expect(patched.body.rentalRates.map((r: any) => [r.id, r.price])).toEqual([
      [card.rentalRates[0].id, 30],
      [card.rentalRates[2].id, 25],
      [expect.any(Number), -5],
    ]);

    const summary = await owner.api.get('/v2/rental-rate-cards', undefined, { headers: { summary: 'true' } });
    expect(summary.body[0]).not.toHaveProperty('rentalRates');
    expect(summary.body[0].name).toBe('Business broadband');

    expect((await owner.api.delete(`/v2/rental-rate-cards/${card.id}`)).status).toBe(204);
    expectProblem(await owner.api.get(`/v2/rental-rates/${card.rentalRates[0].id}`), 404);
  });

  it('requires the rate fields of RENTAL and ADVANCE rates (400 naming the field) on the card and on a rate', async () => {
    const owner = await h.newOwner();
    const { category, products } = await categoryWithProducts(owner, 1);
    const p = products[0].id;
    const base = { contractOwnerIds: [owner.id], name: 'Card', rentalRateCardType: 'SELL', rentalProductCategoryId: category.id, availableFrom: '2025-01-01' };
    const cases: Array<[Record<string, unknown>, string]> = [
      [rentalRateBody(p, { rentalRateType: undefined }), '/rentalRates/0/rentalRateType'],
      [rentalRateBody(p, { rentalRateFrequency: undefined }), '/rentalRates/0/rentalRateFrequency'],
      [rentalRateBody(p, { periodsInAdvance: undefined }), '/rentalRates/0/periodsInAdvance'],
      [rentalRateBody(p, { price: undefined }), '/rentalRates/0/price'],
      [rentalRateBody(p, { price: 1.0000001 }), '/rentalRates/0/price'],
      [rentalRateBody(p, { price: 10_000_000 }), '/rentalRates/0/price'],
      [rentalRateBody(p, { rentalRateFrequency: 'FORTNIGHTLY' }), '/rentalRates/0/rentalRateFrequency'],
      [rentalRateBody(p, { startDate: undefined }), '/rentalRates/0/startDate'],
      [rentalRateBody(p, { endDate: '2024-12-31' }), '/rentalRates/0/endDate'],
    ];
    for (const [rate, path] of cases) {
      const problem = expectProblem(await owner.api.post('/v2/rental-rate-cards', { ...base, rentalRates: [rate] }), 400);
      expect(problem.errors.map((e: any) => e.path), JSON.stringify(rate)).toContain(path);
    }
    const oneOff = await owner.api.post('/v2/rental-rate-cards', { ...base, rentalRates: [{ rentalProductId: p, price: 50, rentalRatePriceType: 'ONEOFF', startDate: '2025-01-01' }] });
    expect(oneOff.status, oneOff.text).toBe(201);

    const card = await rentalRateCard(owner, { rentalProductCategoryId: category.id, rentalRates: [rentalRateBody(p)] });
    const rateId = card.rentalRates[0].id;
    const viaCard = await owner.api.patch(`/v2/rental-rate-cards/${card.id}`, [{ op: 'remove', path: '/rentalRates/0/periodsInAdvance' }]);
    expect(expectProblem(viaCard, 400).errors[0].path).toBe('/rentalRates/0/periodsInAdvance');
    const direct = await owner.api.patch(`/v2/rental-rates/${rateId}`, [{ op: 'replace', path: '/rentalRateType', value: null }]);
    expect(expectProblem(direct, 400).errors[0].path).toBe('/rentalRateType');
    const arrears = await owner.api.patch(`/v2/rental-rates/${rateId}`, [
      { op: 'replace', path: '/rentalRateType', value: 'ARREARS' },
      { op: 'replace', path: '/periodsInAdvance', value: null },
    ]);
    expect(arrears.status, arrears.text).toBe(200);
    expect(arrears.body).toMatchObject({ rentalRateType: 'ARREARS', periodsInAdvance: null, rentalRateCardId: card.id });
  });

  it('requires owners on SELL and TEMPLATE cards and a supplier account on BUY cards; a BUY card defaults to the category owner', async () => {
    const owner = await h.newOwner();
    const category = await rentalProductCategory(owner);
    const base = { name: 'Card', rentalProductCategoryId: category.id, availableFrom: '2025-01-01' };
    expect(expectProblem(await owner.api.post('/v2/rental-rate-cards', { ...base, rentalRateCardType: 'SELL' }), 400).errors[0].path).toBe('/contractOwnerIds');
    expect(expectProblem(await owner.api.post('/v2/rental-rate-cards', { ...base, rentalRateCardType: 'TEMPLATE', contractOwnerIds: [] }), 400).errors[0].path).toBe(
      '/contractOwnerIds',
    );
    expect(expectProblem(await owner.api.post('/v2/rental-rate-cards', { ...base, rentalRateCardType: 'BUY' }), 400).errors[0].path).toBe('/supplierAccountId');
    expect(
      expectProblem(await owner.api.post('/v2/rental-rate-cards', { ...base, rentalRateCardType: 'SELL', contractOwnerIds: [owner.id], supplierAccountId: 5 }), 400).errors[0].path,
    ).toBe('/supplierAccountId');
    const buy = await owner.api.post('/v2/rental-rate-cards', { ...base, rentalRateCardType: 'BUY', supplierAccountId: 5 });
    expect(buy.status, buy.text).toBe(201);
    expect(buy.body).toMatchObject({ contractOwnerIds: [owner.id], supplierAccountId: 5, rentalRateCardType: 'BUY' });
    expectProblem(await owner.api.patch(`/v2/rental-rate-cards/${buy.body.id}`, [{ op: 'replace', path: '/rentalRateCardType', value: 'SELL' }]), 422);
  });

  it('links a SELL card to a TEMPLATE card of the same category and owners, and keeps the template while used', async () => {
    const owner = await h.newOwner();
    const { category } = await categoryWithProducts(owner, 0);
    const otherCategory = await rentalProductCategory(owner);
    const template = await rentalRateCard(owner, { rentalProductCategoryId: category.id, rentalRateCardType: 'TEMPLATE' });
    const sell = await rentalRateCard(owner, { rentalProductCategoryId: category.id, basedOnTemplateId: template.id });
    expect(sell.basedOnTemplateId).toBe(template.id);
    expect((await owner.api.get('/v2/rental-rate-cards', { basedOnTemplateId: template.id })).body.map((c: any) => c.id)).toEqual([sell.id]);

    const notTemplate = await owner.api.post('/v2/rental-rate-cards', {
      contractOwnerIds: [owner.id],
      name: 'x',
      rentalRateCardType: 'SELL',
      rentalProductCategoryId: category.id,
      availableFrom: '2025-01-01',
      basedOnTemplateId: sell.id,
    });
    expect(expectProblem(notTemplate, 422).errors[0].path).toBe('/basedOnTemplateId');
    const otherTemplate = await rentalRateCard(owner, { rentalProductCategoryId: otherCategory.id, rentalRateCardType: 'TEMPLATE' });
    expectProblem(await owner.api.patch(`/v2/rental-rate-cards/${sell.id}`, [{ op: 'replace', path: '/basedOnTemplateId', value: otherTemplate.id }]), 422);
    expectProblem(await owner.api.patch(`/v2/rental-rate-cards/${sell.id}`, [{ op: 'replace', path: '/basedOnTemplateId', value: 99999999 }]), 404);
    const asTemplate = await owner.api.post('/v2/rental-rate-cards', {
      contractOwnerIds: [owner.id],
      name: 'x',
      rentalRateCardType: 'TEMPLATE',
      rentalProductCategoryId: category.id,
      availableFrom: '2025-01-01',
      basedOnTemplateId: template.id,
    });
    expect(expectProblem(asTemplate, 400).errors[0].path).toBe('/basedOnTemplateId');

    const blocked = expectProblem(await owner.api.delete(`/v2/rental-rate-cards/${template.id}`), 409);
    expect(blocked.detail).toMatch(/based on it/);
    const unlinked = await owner.api.patch(`/v2/rental-rate-cards/${sell.id}`, [{ op: 'replace', path: '/basedOnTemplateId', value: null }]);
    expect(unlinked.status, unlinked.text).toBe(200);
    expect((await owner.api.delete(`/v2/rental-rate-cards/${template.id}`)).status).toBe(204);
  });

  it('needs a template available to every owner of the SELL card, and a template keeps those owners', async () => {
    const a = await h.newOwner();
    const b = await h.newOwner();
    const both = await clientFor(a, b);
    const category = await rentalProductCategory(a);
    const templateOfA = await rentalRateCard(a, { rentalProductCategoryId: category.id, rentalRateCardType: 'TEMPLATE' });
    const shared = {
      name: 'Shared',
      rentalRateCardType: 'SELL',
      rentalProductCategoryId: category.id,
      availableFrom: '2025-01-01',
      contractOwnerIds: [a.id, b.id],
    };
    expectProblem(await both.post('/v2/rental-rate-cards', { ...shared, basedOnTemplateId: templateOfA.id }), 422);
    const sharedTemplate = await both.create('/v2/rental-rate-cards', { ...shared, rentalRateCardType: 'TEMPLATE' });
    const sell = await both.create('/v2/rental-rate-cards', { ...shared, basedOnTemplateId: sharedTemplate.id });
    expect(sell.contractOwnerIds).toHaveLength(2);
    expectProblem(await both.patch(`/v2/rental-rate-cards/${sharedTemplate.id}`, [{ op: 'replace', path: '/contractOwnerIds', value: [a.id] }]), 409);
    expectProblem(await b.api.patch(`/v2/rental-rate-cards/${sell.id}`, [{ op: 'replace', path: '/name', value: 'x' }]), 403);
  });

  it('needs rates for products of the card’s category and of its owners; one rate per product and price type on any day', async () => {
    const a = await h.newOwner();
    const b = await h.newOwner();
    const { category, products } = await categoryWithProducts(a, 1);
    const elsewhere = await rentalProduct(a);
    const productOfB = await rentalProduct(b);
    const base = { contractOwnerIds: [a.id], name: 'Card', rentalRateCardType: 'SELL', rentalProductCategoryId: category.id, availableFrom: '2025-01-01' };
    const wrongCategory = await a.api.post('/v2/rental-rate-cards', { ...base, rentalRates: [rentalRateBody(elsewhere.id)] });
    expect(expectProblem(wrongCategory, 422).errors[0].path).toBe('/rentalRates/0/rentalProductId');
    expectProblem(await a.api.post('/v2/rental-rate-cards', { ...base, rentalRates: [rentalRateBody(productOfB.id)] }), 404);
    expectProblem(await (await clientFor(a, b)).post('/v2/rental-rate-cards', { ...base, rentalRates: [rentalRateBody(productOfB.id)] }), 422);
    const categoryOfB = await rentalProductCategory(b);
    expect(expectProblem(await (await clientFor(a, b)).post('/v2/rental-rate-cards', { ...base, rentalProductCategoryId: categoryOfB.id }), 422).errors[0].path).toBe(
      '/rentalProductCategoryId',
    );

    const twice = await a.api.post('/v2/rental-rate-cards', {
      ...base,
      rentalRates: [rentalRateBody(products[0].id, { endDate: '2025-12-31' }), rentalRateBody(products[0].id, { startDate: '2025-12-31' })],
    });
    expect(expectProblem(twice, 409).errors[0].path).toBe('/rentalRates/1');
    const card = await rentalRateCard(a, {
      rentalProductCategoryId: category.id,
      rentalRates: [rentalRateBody(products[0].id, { endDate: '2025-12-31' }), rentalRateBody(products[0].id, { startDate: '2026-01-01' })],
    });
    expectProblem(await a.api.patch(`/v2/rental-rates/${card.rentalRates[1].id}`, [{ op: 'replace', path: '/startDate', value: '2025-12-01' }]), 409);
    const moved = await a.api.patch(`/v2/rental-rates/${card.rentalRates[1].id}`, [{ op: 'replace', path: '/rentalRatePriceType', value: 'ONEOFF' }, { op: 'replace', path: '/startDate', value: '2025-12-01' }]);
    expect(moved.status, moved.text).toBe(200);
  });

  it("hides another owner's cards and rates", async () => {
    const a = await h.newOwner();
    const b = await h.newOwner();
    const { category, products } = await categoryWithProducts(b, 1);
    const card = await rentalRateCard(b, { rentalProductCategoryId: category.id, rentalRates: [rentalRateBody(products[0].id)] });
    expectProblem(await a.api.get(`/v2/rental-rate-cards/${card.id}`), 404);
    expect((await a.api.get('/v2/rental-rate-cards')).body).toEqual([]);
    expect((await a.api.get('/v2/rental-rates', { rentalRateCardId: card.id })).body).toEqual([]);
    expectProblem(await a.api.get(`/v2/rental-rates/${card.rentalRates[0].id}`), 404);
    expectProblem(await a.api.delete(`/v2/rental-rate-cards/${card.id}`), 404);
    expectProblem(await a.api.post('/v2/rental-rate-cards', { contractOwnerIds: [b.id], name: 'x', rentalRateCardType: 'SELL', rentalProductCategoryId: category.id, availableFrom: '2025-01-01' }), 404);
  });
});

describe('rental rates', () => {
  it('lists the rates of a card (rentalRateCardId required) by every filter, patches and deletes them', async () => {
    const owner = await h.newOwner();
    const category = await rentalProductCategory(owner);
    const fibre = await rentalProduct(owner, category.id, { name: 'Fibre 500' });
    const phone = await rentalProduct(owner, category.id, { name: 'Desk phone' });
    const card = await rentalRateCard(owner, {
      rentalProductCategoryId: category.id,
      rentalRates: [
        rentalRateBody(fibre.id, { price: 30 }),
        rentalRateBody(phone.id, { price: 4.5, rentalRateType: 'ARREARS', periodsInAdvance: null, rentalRateFrequency: 'YEARLY', showOnInvoice: false, endDate: '2025-12-31' }),
        { rentalProductId: phone.id, price: 60, rentalRatePriceType: 'ONEOFF', startDate: '2025-02-01' },
      ],
    });
    const [r1, r2, r3] = card.rentalRates.map((r: any) => r.id);
    expect(expectProblem(await owner.api.get('/v2/rental-rates'), 400).errors[0].path).toBe('query.rentalRateCardId');

    for (const [query, ids] of [
      [{}, [r1, r2, r3]],
      [{ rentalProductName: 'like:phone' }, [r2, r3]],
      [{ rentalProductName: 'Fibre 500' }, [r1]],
      [{ price: 30 }, [r1]],
      [{ price: 'gt:4.5' }, [r1, r3]],
      [{ price: 'in:4.5,60' }, [r2, r3]],
      [{ price: 'ge:4.5,le:30' }, [r1, r2]],
      [{ rentalRatePriceType: 'ONEOFF' }, [r3]],
      [{ rentalRateType: 'ARREARS' }, [r2]],
      [{ periodsInAdvance: 'STANDARD' }, [r1]],
      [{ rentalRateFrequency: 'in:YEARLY,MONTHLY' }, [r1, r2]],
      [{ showOnInvoice: false }, [r2]],
      [{ startDate: 'gt:2025-01-01' }, [r3]],
      [{ endDate: 'gtn:2026-01-01' }, [r1, r3]],
      [{ rentalProductId: fibre.id }, [r1]],
    ] as const) {
      const list = await owner.api.get('/v2/rental-rates', { rentalRateCardId: card.id, ...query });
      expect(list.status, list.text).toBe(200);
      expect(list.body.map((r: any) => r.id), JSON.stringify(query)).toEqual(ids);
    }
    expectProblem(await owner.api.get('/v2/rental-rates', { rentalRateCardId: card.id, price: 'abc' }), 400);

    const got = await owner.api.get(`/v2/rental-rates/${r1}`);
    expect(got.body).toMatchObject({ id: r1, rentalRateCardId: card.id, rentalProductId: fibre.id, price: 30, version: 1 });
    const patched = await owner.api.patch(`/v2/rental-rates/${r1}`, [{ op: 'replace', path: '/price', value: 1.03 }]);
    expect(patched.body).toMatchObject({ price: 1.03, version: 2 });
    expect((await owner.api.get(`/v2/rental-rate-cards/${card.id}`)).body.rentalRates[0].price).toBe(1.03);
    expect((await owner.api.delete(`/v2/rental-rates/${r3}`)).status).toBe(204);
    expect((await owner.api.get('/v2/rental-rates', { rentalRateCardId: card.id })).body.map((r: any) => r.id)).toEqual([r1, r2]);
  });
});
