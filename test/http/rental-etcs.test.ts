/**
 * GET /v1/rental-etcs and early termination by PATCH, on both runtimes: worked
 * examples with the arithmetic in comments (lifecycle.md: fixed + percentage/100 ×
 * the remaining rental from D + 1 to the term end, rounded to 2 places).
 */
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { outboxEvents } from '../../src/db/schema';
import { assignment, customer, rentalProduct, rentalProductCategory, rentalRateBody, rentalRateCard, rpi, site } from '../helpers/factories';
import { expectProblem, type Harness, harness, type Owner, signTestToken, unique } from '../helpers/harness';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

const PATH = '/v1/rental-etcs';

/** A customer whose product costs £10 a month (CUSTOMER-level card) and a way to sign contracts and assign RPIs to them. */
async function setup(owner: Owner) {
  const c = await customer(owner);
  const s = await site(owner, c.id);
  const category = await rentalProductCategory(owner);
  const product = await rentalProduct(owner, category.id);
  const card = await rentalRateCard(owner, { rentalProductCategoryId: category.id, rentalRates: [rentalRateBody(product.id, { price: 10 })] });
  await assignment(owner, 'rentalRateCard', { assignmentLevel: 'CUSTOMER', customerId: c.id, rentalRateCardId: card.id });
  const contract = async (startDate: string, contractTerm: number, earlyTerminationPercentageCharge = 50, earlyTerminationFixedCharge = 25) => {
    const profile = await owner.api.create('/v1/contract-profiles', {
      contractOwnerId: owner.id,
      name: unique('Term '),
      contractTerm,
      earlyTerminationFixedCharge,
      earlyTerminationPercentageCharge,
    });
    return owner.api.create('/v1/customer-contracts', { customerId: c.id, contractProfileId: profile.id, startDate });
  };
  const assigned = async (customerContractId: number, overrides: Record<string, unknown> = {}) => {
    const inventory = await rpi(owner, { siteId: s.id, rentalProductId: product.id, startDate: '2025-01-15', ...overrides });
    await owner.api.create('/v1/customer-contract-assignments', { rentalProductInventoryId: inventory.id, customerContractId });
    return inventory;
  };
  return { customer: c, site: s, product, contract, assigned };
}

const etcs = (owner: Owner, query: Record<string, string | number>) => owner.api.get(PATH, query);
const amounts = (rows: any[]) => rows.map((r) => [r.rentalProductInventoryId, r.amountInMajorCurrency]);

/*
 * The RPI from 2025-01-15 at £10/month (quantity 1) under a contract ending 2025-06-30,
 * quoted on D = 2025-03-01: remaining rental of [03-02, 06-30] on periods anchored on the 15th:
 *   02-15..03-14 (28 days), 13 days charged: £10 × 13/28 = £4.642857
 *   03-15..04-14, 04-15..05-14, 05-15..06-14 whole: £30
 *   06-15..07-14 (30 days), 16 days charged: £10 × 16/30 = £5.333333
 *   = £39.976190
 */

describe('rental ETCs', () => {
  it('quotes each RPI actively assigned to a contract covering the date', async () => {
    const owner = await h.newOwner();
    const { customer: c, site: s, product, contract, assigned } = await setup(owner);
    const halfYear = await contract('2025-01-01', 6); // ends 2025-06-30
    const first = await assigned(halfYear.id);
    // quantity 2 from 04-01: April–June whole = 3 × 2 × £10 = £60
    const second = await assigned(halfYear.id, { quantity: 2, startDate: '2025-04-01' });
    // not counted: an RPI without a contract, one whose assignment is inactive, one under a contract not covering D
    await rpi(owner, { siteId: s.id, rentalProductId: product.id, startDate: '2025-01-15' });
    const inactive = await rpi(owner, { siteId: s.id, rentalProductId: product.id, startDate: '2025-01-15' });
    await owner.api.create('/v1/customer-contract-assignments', { rentalProductInventoryId: inactive.id, customerContractId: halfYear.id, active: false });
    await assigned((await contract('2025-07-01', 12)).id);

    const res = await etcs(owner, { customerId: c.id, calculationDate: '2025-03-01' });
    expect(res.status, res.text).toBe(200);
    // first: £25 + 50 % × £39.976190 = £44.988095 → £44.99; second: £25 + 50 % × £60 = £55
    expect(res.body).toEqual([
      { customerId: c.id, rentalProductInventoryId: first.id, customerContractId: halfYear.id, amountInMajorCurrency: 44.99, currencyCode: 'GBP', calculationDate: '2025-03-01' },
      { customerId: c.id, rentalProductInventoryId: second.id, customerContractId: halfYear.id, amountInMajorCurrency: 55, currencyCode: 'GBP', calculationDate: '2025-03-01' },
    ]);
    expect(res.headers.get('x-total-count')).toBe('2');

    const one = await etcs(owner, { customerId: c.id, calculationDate: '2025-03-01', rentalProductInventoryId: second.id });
    expect(amounts(one.body)).toEqual([[second.id, 55]]);
    const paged = await etcs(owner, { customerId: c.id, calculationDate: '2025-03-01', pageSize: 1, page: 2 });
    expect(amounts(paged.body)).toEqual([[second.id, 55]]);
    expect(paged.headers.get('x-total-count')).toBe('2');
    expect(paged.headers.get('link')).toContain('rel="prev"');
    // before any contract starts nothing is quoted
    expect((await etcs(owner, { customerId: c.id, calculationDate: '2024-12-31' })).body).toEqual([]);
    expect((await owner.api.head(PATH, { customerId: c.id, calculationDate: '2024-12-31' })).status).toBe(404);
    expect((await owner.api.head(PATH, { customerId: c.id, calculationDate: '2025-03-01' })).status).toBe(200);
  });

  it('is the fixed charge only on the contract’s last day', async () => {
    const owner = await h.newOwner();
    const { customer: c, contract, assigned } = await setup(owner);
    const halfYear = await contract('2025-01-01', 6);
    const a = await assigned(halfYear.id);
    const b = await assigned(halfYear.id, { quantity: 2, startDate: '2025-04-01' });
    // nothing remains after 06-30: £25 + 50 % × £0
    expect(amounts((await etcs(owner, { customerId: c.id, calculationDate: '2025-06-30' })).body)).toEqual([
      [a.id, 25],
      [b.id, 25],
    ]);
    // the day before leaves one day of the 06-15..07-14 period for a (£10 × 1/30 = £0.333333)
    // and one of June's 30 for b (2 × £10 × 1/30 = £0.666667): £25.17 and £25.33
    expect(amounts((await etcs(owner, { customerId: c.id, calculationDate: '2025-06-29' })).body)).toEqual([
      [a.id, 25.17],
      [b.id, 25.33],
    ]);
    // after the term nothing is covered
    expect((await etcs(owner, { customerId: c.id, calculationDate: '2025-07-01' })).body).toEqual([]);
  });

  it('with percentage 0 is the fixed charge; with 1000 it adds ten times the remaining rental', async () => {
    const owner = await h.newOwner();
    const { customer: c, contract, assigned } = await setup(owner);
    const none = await assigned((await contract('2025-01-01', 6, 0)).id);
    const tenfold = await assigned((await contract('2025-01-01', 6, 1000)).id);
    // £25 + 0; £25 + 10 × £39.976190 = £424.761900 → £424.76
    expect(amounts((await etcs(owner, { customerId: c.id, calculationDate: '2025-03-01' })).body)).toEqual([
      [none.id, 25],
      [tenfold.id, 424.76],
    ]);
  });

  it('records the quoted amount when the contract is ended early by PATCH, and carries it in the terminated event', async () => {
    const owner = await h.newOwner();
    const { customer: c, contract, assigned } = await setup(owner);
    const long = await contract('2025-01-01', 600); // a current contract: ends 2074-12-31
    const a = await assigned(long.id);
    const b = await assigned(long.id, { quantity: 2, startDate: '2025-04-01' });
    const quote = await etcs(owner, { customerId: c.id, calculationDate: '2025-03-01' });
    // a: remaining [2025-03-02, 2074-12-31] on periods anchored on the 15th:
    //   02-15..03-14: 13 of 28 days = £4.642857; 597 whole months 2025-03-15..2074-12-14 = £5,970;
    //   2074-12-15..2075-01-14: 17 of 31 days = £5.483871; total £5,980.126728 → £25 + £2,990.063364 = £3,015.06
    // b: 597 whole months from 2025-04-01 to 2074-12-31 × 2 × £10 = £11,940 → £25 + £5,970 = £5,995
    expect(amounts(quote.body)).toEqual([
      [a.id, 3015.06],
      [b.id, 5995],
    ]);

    const res = await owner.api.patch(`/v1/customer-contracts/${long.id}`, [{ op: 'replace', path: '/endDate', value: '2025-03-01' }]);
    expect(res.status, res.text).toBe(200);
    // £3,015.06 + £5,995 = £9,010.06
    expect(res.body).toMatchObject({ endDate: '2025-03-01', terminationDate: '2025-03-01', status: 'TERMINATED', earlyTerminationCharge: 9010.06 });
    const sum = quote.body.reduce((total: number, r: any) => total + Math.round(r.amountInMajorCurrency * 100), 0) / 100;
    expect(res.body.earlyTerminationCharge).toBe(sum);
    const events = await h.runtime.deps.database.db
      .select()
      .from(outboxEvents)
      .where(and(eq(outboxEvents.objectId, long.id), eq(outboxEvents.type, 'customer_contract.terminated')));
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({ endDate: '2025-03-01', terminationDate: '2025-03-01', earlyTerminationCharge: 9010.06 });
  });

  it('charges against the term end when a terminated contract is ended earlier still', async () => {
    const owner = await h.newOwner();
    const { customer: c, contract, assigned } = await setup(owner);
    const halfYear = await contract('2025-01-01', 6); // term ends 2025-06-30
    await assigned(halfYear.id);
    const path = `/v1/customer-contracts/${halfYear.id}`;
    // ended on 05-01: remaining [05-02, 06-30] = 13/30 × £10 (04-15..05-14) + £10 + 16/30 × £10 (06-15..07-14)
    //   = £4.333333 + £10 + £5.333333 = £19.666666 → £25 + £9.833333 = £34.83
    expect((await owner.api.patch(path, [{ op: 'replace', path: '/endDate', value: '2025-05-01' }])).body.earlyTerminationCharge).toBe(34.83);
    // then on 03-01: still measured to 06-30 (not to 05-01), the same £44.99 as quoted on 03-01 before any termination
    expect(amounts((await etcs(owner, { customerId: c.id, calculationDate: '2025-03-01' })).body).map(([, amount]) => amount)).toEqual([44.99]);
    expect((await owner.api.patch(path, [{ op: 'replace', path: '/endDate', value: '2025-03-01' }])).body.earlyTerminationCharge).toBe(44.99);
  });

  it('charges only the fixed charge for an RPI without a price, and nothing for a contract without RPIs', async () => {
    const owner = await h.newOwner();
    const { customer: c, site: s, contract } = await setup(owner);
    const halfYear = await contract('2025-01-01', 6);
    // a product of another category: the customer’s card does not price it
    const unpriced = await rpi(owner, { siteId: s.id, rentalProductId: (await rentalProduct(owner)).id, startDate: '2025-01-15' });
    await owner.api.create('/v1/customer-contract-assignments', { rentalProductInventoryId: unpriced.id, customerContractId: halfYear.id });
    expect(amounts((await etcs(owner, { customerId: c.id, calculationDate: '2025-03-01' })).body)).toEqual([[unpriced.id, 25]]);
    const empty = await contract('2025-01-01', 6);
    const res = await owner.api.patch(`/v1/customer-contracts/${empty.id}`, [{ op: 'replace', path: '/endDate', value: '2025-03-01' }]);
    expect(res.body.earlyTerminationCharge).toBe(0);
  });
});

describe('rental ETCs: parameters and tenancy', () => {
  it('requires customerId and calculationDate and rejects bad values and unknown parameters (400)', async () => {
    const owner = await h.newOwner();
    const c = await customer(owner);
    const base = { customerId: String(c.id), calculationDate: '2025-03-01' };
    for (const missing of ['customerId', 'calculationDate'] as const) {
      const { [missing]: _, ...query } = base;
      expect(expectProblem(await etcs(owner, query), 400).errors.map((e: any) => e.path)).toContain(`query.${missing}`);
    }
    for (const [change, path] of [
      [{ calculationDate: '2025-02-29' }, 'query.calculationDate'],
      [{ customerId: '-1' }, 'query.customerId'],
      [{ rentalProductInventoryId: 'x' }, 'query.rentalProductInventoryId'],
      [{ pageSize: '0' }, 'query.pageSize'],
      [{ fields: 'amountInMajorCurrency' }, 'query.fields'],
      [{ calculationdate: '2025-03-01' }, 'query.calculationdate'],
    ] as const) {
      expect(expectProblem(await etcs(owner, { ...base, ...change }), 400).errors[0].path, JSON.stringify(change)).toBe(path);
    }
    expect((await etcs(owner, base)).body).toEqual([]);
  });

  it('answers 404 for another owner’s customer and 403 without the contracts scope', async () => {
    const owner = await h.newOwner();
    const other = await h.newOwner();
    const { customer: theirs, contract, assigned } = await setup(other);
    await assigned((await contract('2025-01-01', 6)).id);
    const query = { customerId: theirs.id, calculationDate: '2025-03-01' };
    expect((await etcs(other, query)).body).toHaveLength(1);
    expect(expectProblem(await etcs(owner, query), 404).errors[0].path).toBe('query.customerId');
    const pricingOnly = h.client(await signTestToken({ owners: [other.id], scope: 'pricing:*' }));
    expectProblem(await pricingOnly.get(PATH, query), 403);
  });
});
