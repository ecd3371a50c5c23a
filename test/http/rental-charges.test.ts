/** GET /v2/rental-charges: worked examples through the API on both runtimes, with the arithmetic in comments. */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  assignment,
  customer,
  rentalDiscountPlan,
  rentalDiscountPlanRule,
  rentalProduct,
  rentalProductCategory,
  rentalRateBody,
  rentalRateCard,
  rpi,
  site,
} from '../helpers/factories';
import { expectProblem, type Harness, harness, type Owner, signTestToken } from '../helpers/harness';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

const PATH = '/v2/rental-charges';

/** A customer with a site and a product in a category, and a CUSTOMER-level SELL card holding `rates` (bodies built from the product). */
async function priced(owner: Owner, rates: (productId: number) => Record<string, unknown>[] = (p) => [rentalRateBody(p, { price: 10 })]) {
  const c = await customer(owner);
  const s = await site(owner, c.id);
  const category = await rentalProductCategory(owner);
  const product = await rentalProduct(owner, category.id);
  const card = await rentalRateCard(owner, { rentalProductCategoryId: category.id, rentalRates: rates(product.id) });
  await assignment(owner, 'rentalRateCard', { assignmentLevel: 'CUSTOMER', customerId: c.id, rentalRateCardId: card.id, startDate: '2020-01-01' });
  return { customer: c, site: s, category, product, card };
}

const charges = (owner: Owner, query: Record<string, string | number>) => owner.api.get(PATH, query);
const brief = (lines: any[]) => lines.map((l) => [l.periodStart, l.periodEnd, l.grossAmount, l.netAmount]);

describe('rental charges', () => {
  it('£10 a month × quantity 2 from the 31st: periods anchored on the start day, clamped in short months without drifting', async () => {
    const owner = await h.newOwner();
    const { customer: c, site: s, product, card } = await priced(owner);
    const inventory = await rpi(owner, { siteId: s.id, rentalProductId: product.id, quantity: 2, startDate: '2025-01-31' });
    const res = await charges(owner, { customerId: c.id, from: '2025-01-01', to: '2025-05-31' });
    expect(res.status, res.text).toBe(200);
    // every period is whole: 2 × £10 = £20
    expect(brief(res.body)).toEqual([
      ['2025-01-31', '2025-02-27', 20, 20],
      ['2025-02-28', '2025-03-30', 20, 20],
      ['2025-03-31', '2025-04-29', 20, 20],
      ['2025-04-30', '2025-05-30', 20, 20],
      ['2025-05-31', '2025-06-29', 20, 20],
    ]);
    expect(res.body[0]).toEqual({
      rentalProductInventoryId: inventory.id,
      rentalProductId: product.id,
      rentalRateCardId: card.id,
      rentalRateId: card.rentalRates[0].id,
      rentalRatePriceType: 'RENTAL',
      rentalRateFrequency: 'MONTHLY',
      periodStart: '2025-01-31',
      periodEnd: '2025-02-27',
      chargedFrom: '2025-01-31',
      chargedTo: '2025-02-27',
      quantity: 2,
      unitPrice: 10,
      baseUnitPrice: 10,
      priceAdaptationFactor: 1,
      grossAmount: 20,
      rentalDiscountPlanId: null,
      discountPercentage: null,
      discountAmount: 0,
      netAmount: 20,
      currencyCode: 'GBP',
    });
    expect(res.headers.get('x-total-count')).toBe('5');

    const page2 = await charges(owner, { customerId: c.id, from: '2025-01-01', to: '2025-05-31', page: 2, pageSize: 2 });
    expect(page2.body.map((l: any) => l.periodStart)).toEqual(['2025-03-31', '2025-04-30']);
    expect(page2.headers.get('x-total-count')).toBe('5');
    const link = page2.headers.get('link')!;
    for (const rel of ['first', 'prev', 'next', 'last']) expect(link).toContain(`rel="${rel}"`);
    expect(link).toContain('page=3');
    expect((await owner.api.head(PATH, { customerId: c.id, from: '2025-01-01', to: '2025-05-31' })).status).toBe(200);
    // before the RPI starts there is nothing to charge
    expect((await owner.api.head(PATH, { customerId: c.id, from: '2024-01-01', to: '2024-12-31' })).status).toBe(404);
  });

  it('prorates a period cut by the RPI’s end by days, and filters by site and RPI', async () => {
    const owner = await h.newOwner();
    const { customer: c, site: s, product } = await priced(owner);
    const ending = await rpi(owner, { siteId: s.id, rentalProductId: product.id, quantity: 2, startDate: '2025-01-01', endDate: '2025-03-15' });
    const elsewhere = await rpi(owner, { siteId: (await site(owner, c.id)).id, rentalProductId: product.id, startDate: '2025-01-01' });
    const res = await charges(owner, { customerId: c.id, from: '2025-01-01', to: '2025-03-31' });
    // by RPI, then period: March of the ending RPI covers 15 of 31 days: 2 × £10 × 15/31 = £9.677419354… → £9.677419 (6 places, MATHEMATICAL)
    expect(res.body.map((l: any) => [l.rentalProductInventoryId, l.periodStart, l.chargedTo, l.grossAmount])).toEqual([
      [ending.id, '2025-01-01', '2025-01-31', 20],
      [ending.id, '2025-02-01', '2025-02-28', 20],
      [ending.id, '2025-03-01', '2025-03-15', 9.677419],
      [elsewhere.id, '2025-01-01', '2025-01-31', 10],
      [elsewhere.id, '2025-02-01', '2025-02-28', 10],
      [elsewhere.id, '2025-03-01', '2025-03-31', 10],
    ]);
    const bySite = await charges(owner, { customerId: c.id, from: '2025-03-01', to: '2025-03-31', siteId: s.id });
    expect(bySite.body.map((l: any) => l.rentalProductInventoryId)).toEqual([ending.id]);
    const byRpi = await charges(owner, { customerId: c.id, from: '2025-03-01', to: '2025-03-31', rentalProductInventoryId: elsewhere.id });
    expect(byRpi.body.map((l: any) => [l.rentalProductInventoryId, l.periodStart])).toEqual([[elsewhere.id, '2025-03-01']]);
    // after the ending RPI's end only the other one is charged
    expect((await charges(owner, { customerId: c.id, from: '2025-04-01', to: '2025-04-30' })).body.map((l: any) => l.rentalProductInventoryId)).toEqual([elsewhere.id]);
  });

  it('charges a ONEOFF rate once, dated on the RPI start, in the range that holds it', async () => {
    const owner = await h.newOwner();
    const { customer: c, site: s, product, card } = await priced(owner, (p) => [
      rentalRateBody(p, { price: 10 }),
      { rentalProductId: p, price: 99, rentalRatePriceType: 'ONEOFF', startDate: '2025-01-01' },
    ]);
    await rpi(owner, { siteId: s.id, rentalProductId: product.id, startDate: '2025-02-10' });
    const oneOff = card.rentalRates.find((r: any) => r.rentalRatePriceType === 'ONEOFF');
    const february = (await charges(owner, { customerId: c.id, from: '2025-02-01', to: '2025-02-28' })).body;
    // the £99 one-off on 02-10, then the first monthly period 02-10..03-09 at £10
    expect(february.map((l: any) => [l.rentalRatePriceType, l.periodStart, l.periodEnd, l.grossAmount, l.rentalRateId])).toEqual([
      ['ONEOFF', '2025-02-10', '2025-02-10', 99, oneOff.id],
      ['RENTAL', '2025-02-10', '2025-03-09', 10, card.rentalRates.find((r: any) => r.rentalRatePriceType === 'RENTAL').id],
    ]);
    expect(february[0].rentalRateFrequency).toBeNull();
    // March overlaps 02-10..03-09 and 03-10..04-09; the one-off is not repeated
    const march = (await charges(owner, { customerId: c.id, from: '2025-03-01', to: '2025-03-31' })).body;
    expect(march.map((l: any) => [l.rentalRatePriceType, l.periodStart])).toEqual([
      ['RENTAL', '2025-02-10'],
      ['RENTAL', '2025-03-10'],
    ]);
  });

  it('applies a rate that changes mid-period from the next period', async () => {
    const owner = await h.newOwner();
    const { customer: c, site: s, product, card } = await priced(owner, (p) => [
      rentalRateBody(p, { price: 10, endDate: '2025-03-14' }),
      rentalRateBody(p, { price: 12, startDate: '2025-03-15' }),
    ]);
    await rpi(owner, { siteId: s.id, rentalProductId: product.id, startDate: '2025-01-01' });
    const [old, next] = card.rentalRates;
    const lines = (await charges(owner, { customerId: c.id, from: '2025-02-01', to: '2025-04-30' })).body;
    // March starts at £10 (the rate in force on 03-01) and stays £10 to its end; April is the first £12 period
    expect(lines.map((l: any) => [l.periodStart, l.unitPrice, l.grossAmount, l.rentalRateId])).toEqual([
      ['2025-02-01', 10, 10, old.id],
      ['2025-03-01', 10, 10, old.id],
      ['2025-04-01', 12, 12, next.id],
    ]);
  });

  it('falls back to the template for a product the SELL card has no rate for', async () => {
    const owner = await h.newOwner();
    const c = await customer(owner);
    const s = await site(owner, c.id);
    const category = await rentalProductCategory(owner);
    const [fibre, router] = [await rentalProduct(owner, category.id), await rentalProduct(owner, category.id)];
    const template = await rentalRateCard(owner, { rentalProductCategoryId: category.id, rentalRateCardType: 'TEMPLATE', rentalRates: [rentalRateBody(router.id, { price: 3 }), rentalRateBody(fibre.id, { price: 99 })] });
    const sell = await rentalRateCard(owner, { rentalProductCategoryId: category.id, basedOnTemplateId: template.id, rentalRates: [rentalRateBody(fibre.id, { price: 30 })] });
    await assignment(owner, 'rentalRateCard', { assignmentLevel: 'CUSTOMER', customerId: c.id, rentalRateCardId: sell.id });
    const fibreRpi = await rpi(owner, { siteId: s.id, rentalProductId: fibre.id, startDate: '2025-01-01' });
    const routerRpi = await rpi(owner, { siteId: s.id, rentalProductId: router.id, startDate: '2025-01-01' });
    const lines = (await charges(owner, { customerId: c.id, from: '2025-01-01', to: '2025-01-31' })).body;
    // fibre: the SELL card’s own £30 (the template’s £99 is never used); router: the template’s £3
    expect(lines.map((l: any) => [l.rentalProductInventoryId, l.rentalRateCardId, l.unitPrice])).toEqual([
      [fibreRpi.id, sell.id, 30],
      [routerRpi.id, template.id, 3],
    ]);
  });

  it('prices each RPI with its most specific card: INVENTORY beats SITE beats CUSTOMER, for its own target only', async () => {
    const owner = await h.newOwner();
    const { customer: c, site: s, category, product } = await priced(owner); // CUSTOMER card: £10
    const special = await rpi(owner, { siteId: s.id, rentalProductId: product.id, startDate: '2025-01-01' });
    const ordinary = await rpi(owner, { siteId: s.id, rentalProductId: product.id, startDate: '2025-01-01' });
    const neighbour = await rpi(owner, { siteId: (await site(owner, c.id)).id, rentalProductId: product.id, startDate: '2025-01-01' });
    const siteCard = await rentalRateCard(owner, { rentalProductCategoryId: category.id, rentalRates: [rentalRateBody(product.id, { price: 8 })] });
    const inventoryCard = await rentalRateCard(owner, { rentalProductCategoryId: category.id, rentalRates: [rentalRateBody(product.id, { price: 7 })] });
    await assignment(owner, 'rentalRateCard', { assignmentLevel: 'SITE', siteId: s.id, rentalRateCardId: siteCard.id });
    await assignment(owner, 'rentalRateCard', { assignmentLevel: 'INVENTORY', rentalProductInventoryId: special.id, rentalRateCardId: inventoryCard.id, startDate: '2025-03-01' });
    const lines = (await charges(owner, { customerId: c.id, from: '2025-02-01', to: '2025-03-31' })).body;
    // special: the SITE card (£8) in February, its INVENTORY card (£7) from March; ordinary: the SITE card; neighbour (another site): the CUSTOMER card
    expect(lines.map((l: any) => [l.rentalProductInventoryId, l.periodStart, l.unitPrice])).toEqual([
      [special.id, '2025-02-01', 8],
      [special.id, '2025-03-01', 7],
      [ordinary.id, '2025-02-01', 8],
      [ordinary.id, '2025-03-01', 8],
      [neighbour.id, '2025-02-01', 10],
      [neighbour.id, '2025-03-01', 10],
    ]);
    expect(lines[1].rentalRateCardId).toBe(inventoryCard.id);
    expect(lines[2].rentalRateCardId).toBe(siteCard.id);
  });

  it('discounts the periods starting within N months of a mid-month assignment; a product rule beats the category rule', async () => {
    const owner = await h.newOwner();
    const { customer: c, site: s, category, product } = await priced(owner);
    const sibling = await rentalProduct(owner, category.id);
    // the card prices the sibling too
    const card = await rentalRateCard(owner, { rentalProductCategoryId: category.id, rentalRates: [rentalRateBody(product.id, { price: 10 }), rentalRateBody(sibling.id, { price: 10 })] });
    await assignment(owner, 'rentalRateCard', { assignmentLevel: 'SITE', siteId: s.id, rentalRateCardId: card.id });
    const plan = await rentalDiscountPlan(owner, { durationInMonths: 3 });
    await rentalDiscountPlanRule(owner, plan.id, category.id, { discountPercentage: 10 });
    await rentalDiscountPlanRule(owner, plan.id, category.id, { rentalProductId: product.id, discountPercentage: 25 });
    await assignment(owner, 'rentalDiscountPlan', { assignmentLevel: 'CUSTOMER', customerId: c.id, rentalDiscountPlanId: plan.id, startDate: '2025-02-15' });
    const withProductRule = await rpi(owner, { siteId: s.id, rentalProductId: product.id, startDate: '2025-01-01' });
    const withCategoryRule = await rpi(owner, { siteId: s.id, rentalProductId: sibling.id, startDate: '2025-01-01' });
    const lines = (await charges(owner, { customerId: c.id, from: '2025-01-01', to: '2025-06-30' })).body;
    // window [02-15, 05-15): the periods starting 03-01, 04-01 and 05-01; the February period starts before the assignment.
    // product rule 25 %: £10 − £2.50 = £7.50; category rule 10 %: £10 − £1 = £9
    const of = (id: number) => lines.filter((l: any) => l.rentalProductInventoryId === id).map((l: any) => [l.periodStart, l.discountPercentage, l.discountAmount, l.netAmount]);
    expect(of(withProductRule.id)).toEqual([
      ['2025-01-01', null, 0, 10],
      ['2025-02-01', null, 0, 10],
      ['2025-03-01', 25, 2.5, 7.5],
      ['2025-04-01', 25, 2.5, 7.5],
      ['2025-05-01', 25, 2.5, 7.5],
      ['2025-06-01', null, 0, 10],
    ]);
    expect(of(withCategoryRule.id)).toEqual([
      ['2025-01-01', null, 0, 10],
      ['2025-02-01', null, 0, 10],
      ['2025-03-01', 10, 1, 9],
      ['2025-04-01', 10, 1, 9],
      ['2025-05-01', 10, 1, 9],
      ['2025-06-01', null, 0, 10],
    ]);
    expect(lines.find((l: any) => l.periodStart === '2025-03-01').rentalDiscountPlanId).toBe(plan.id);
    // the SITE card beats the CUSTOMER one from setup
    expect(new Set(lines.map((l: any) => l.rentalRateCardId))).toEqual(new Set([card.id]));
  });
});

describe('rental charges: parameters and tenancy', () => {
  it('requires customerId, from and to, validates them and the range, and rejects unknown or repeated parameters (400)', async () => {
    const owner = await h.newOwner();
    const { customer: c } = await priced(owner);
    const base = { customerId: String(c.id), from: '2025-01-01', to: '2025-12-31' };
    for (const missing of ['customerId', 'from', 'to'] as const) {
      const { [missing]: _, ...query } = base;
      const problem = expectProblem(await charges(owner, query), 400);
      expect(problem.errors.map((e: any) => e.path)).toContain(`query.${missing}`);
    }
    for (const [change, path] of [
      [{ customerId: 'abc' }, 'query.customerId'],
      [{ from: '2025-02-29' }, 'query.from'],
      [{ to: '2025-12' }, 'query.to'],
      [{ to: '2024-12-31' }, 'query.to'], // before from
      [{ to: '2030-01-01' }, 'query.to'], // more than 5 years
      [{ siteId: '0' }, 'query.siteId'],
      [{ page: '0' }, 'query.page'],
      [{ pageSize: '1001' }, 'query.pageSize'],
      [{ sort: 'periodStart' }, 'query.sort'],
      [{ colour: 'red' }, 'query.colour'],
    ] as const) {
      const problem = expectProblem(await charges(owner, { ...base, ...change }), 400);
      expect(problem.errors[0].path, JSON.stringify(change)).toBe(path);
    }
    const repeated = await owner.api.get(`${PATH}?customerId=${c.id}&from=2025-01-01&from=2025-02-01&to=2025-12-31`);
    expect(expectProblem(repeated, 400).errors[0].path).toBe('query.from');
    // exactly 5 years is allowed, and a single day
    expect((await charges(owner, { ...base, to: '2029-12-31' })).status).toBe(200);
    expect((await charges(owner, { ...base, to: '2025-01-01' })).status).toBe(200);
  });

  it('answers 422, not a fault, when a charge is too large to represent exactly', async () => {
    const owner = await h.newOwner();
    const { customer: c, site: s, product } = await priced(owner, (p) => [rentalRateBody(p, { price: 9_999_999 })]);
    const huge = await rpi(owner, { siteId: s.id, rentalProductId: product.id, quantity: 1_000_000_000, startDate: '2025-01-01' });
    // £9,999,999 × 10^9 = 10^22 micros, beyond 2^53
    const problem = expectProblem(await charges(owner, { customerId: c.id, from: '2025-01-01', to: '2025-01-31' }), 422);
    expect(problem.detail).toContain(`rental product inventory ${huge.id}`);
  });

  it('answers 404 for another owner’s (or no) customer and 403 without the pricing scope', async () => {
    const owner = await h.newOwner();
    const other = await h.newOwner();
    const { customer: theirs, site: s, product } = await priced(other);
    await rpi(other, { siteId: s.id, rentalProductId: product.id, startDate: '2025-01-01' });
    const query = { customerId: theirs.id, from: '2025-01-01', to: '2025-01-31' };
    expect((await charges(other, query)).body).toHaveLength(1);
    expect(expectProblem(await charges(owner, query), 404).errors[0].path).toBe('query.customerId');
    expectProblem(await charges(owner, { ...query, customerId: 999_999_999 }), 404);
    const contractsOnly = h.client(await signTestToken({ owners: [other.id], scope: 'contracts:*' }));
    expectProblem(await contractsOnly.get(PATH, query), 403);
    expectProblem(await other.api.post(PATH, {}), 405);
  });
});
