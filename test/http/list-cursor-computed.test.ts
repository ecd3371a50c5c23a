/**
 * Keyset pages (`cursor`, the `next` link) of the computed lists — rental ETCs,
 * rental charges, inclusive usage balances — on both runtimes: a walk from
 * `cursor=` lists the rows the numbered pages list, in the same order, once each,
 * uncounted, and ends without a `next` link; a page may end inside one RPI's charge
 * lines and the next goes on there; cursors that do not decode, do not fit the
 * list, or come with `page` are a 400; another owner's walk never sees the rows.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseNdjson } from '../helpers/csv';
import * as f from '../helpers/factories';
import { type ApiResponse, expectProblem, type Harness, harness, type Owner } from '../helpers/harness';
import { pricedCustomer } from '../helpers/usage-fixtures';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

type Query = Record<string, string | number>;

function nextLink(res: ApiResponse): string | null {
  const m = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '');
  return m ? m[1]! : null;
}

/** A cursor as the API writes them (base64url JSON), for cursors of the wrong shape. */
function cursorOf(values: unknown): string {
  return btoa(JSON.stringify(values)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** Every numbered page of the list, concatenated (X-Total-Count says how many pages). */
async function numberedPages(owner: Owner, path: string, query: Query, pageSize: number): Promise<unknown[]> {
  const rows: unknown[] = [];
  for (let page = 1; ; page++) {
    const res = await owner.api.get(path, { ...query, page, pageSize });
    expect(res.status, res.text).toBe(200);
    rows.push(...res.body);
    if (page >= Math.ceil(Number(res.headers.get('x-total-count')) / pageSize)) return rows;
  }
}

/** Every keyset page of the list, from `cursor=` along the `next` links: the pages' bodies. */
async function walk(owner: Owner, path: string, query: Query, pageSize: number): Promise<unknown[][]> {
  const pages: unknown[][] = [];
  let res = await owner.api.get(path, { ...query, pageSize, cursor: '' });
  for (;;) {
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('x-total-count')).toBeNull();
    expect(res.body.length).toBeLessThanOrEqual(pageSize);
    pages.push(res.body);
    const next = nextLink(res);
    if (!next) return pages;
    expect(next).toContain('cursor=');
    expect(next).not.toContain('page=');
    expect(res.headers.get('link')).not.toMatch(/rel="(first|prev|last)"/);
    expect(pages.length, 'a walk ends').toBeLessThan(100);
    res = await owner.api.get(next);
  }
}

/** Walks the list at each page size and expects exactly the rows of the numbered pages, in their order. */
async function expectWalksMatch(owner: Owner, path: string, query: Query, pageSizes: readonly number[], rowCount: number): Promise<unknown[]> {
  const expected = await numberedPages(owner, path, query, 100);
  expect(expected).toHaveLength(rowCount);
  expect(await numberedPages(owner, path, query, 2)).toEqual(expected);
  for (const pageSize of pageSizes) {
    const pages = await walk(owner, path, query, pageSize);
    expect(pages.flat(), `pageSize ${pageSize}`).toEqual(expected);
    // full pages until the last, which has no next (also when the rows fill it exactly)
    expect(pages.length, `pageSize ${pageSize}`).toBe(Math.max(1, Math.ceil(rowCount / pageSize)));
    for (const page of pages.slice(0, -1)) expect(page).toHaveLength(pageSize);
  }
  return expected;
}

/** The 400s every cursor list gives: a cursor that does not decode, one of another shape, and a cursor with page. */
async function expectCursorErrors(owner: Owner, path: string, query: Query, foreign: readonly unknown[]) {
  const pathOf = (res: ApiResponse) => expectProblem(res, 400).errors?.[0]?.path;
  expect(pathOf(await owner.api.get(path, { ...query, cursor: 'not a cursor' }))).toBe('query.cursor');
  expect(pathOf(await owner.api.get(path, { ...query, cursor: cursorOf({ id: 1 }) }))).toBe('query.cursor');
  for (const values of foreign) expect(pathOf(await owner.api.get(path, { ...query, cursor: cursorOf(values) })), JSON.stringify(values)).toBe('query.cursor');
  expect(pathOf(await owner.api.get(path, { ...query, cursor: '', page: 2 }))).toBe('query.page');
  expect(pathOf(await owner.api.get(path, { ...query, cursor: cursorOf([1]), page: 1 }))).toBe('query.page');
}

// ─── rental ETCs ─────────────────────────────────────────────────────────────

/** A customer with `count` RPIs at £10 a month, each actively assigned to a 12-month contract from 2025-01-01. */
async function etcCustomer(owner: Owner, count: number) {
  const c = await f.customer(owner);
  const s = await f.site(owner, c.id);
  const category = await f.rentalProductCategory(owner);
  const product = await f.rentalProduct(owner, category.id);
  const card = await f.rentalRateCard(owner, { rentalProductCategoryId: category.id, rentalRates: [f.rentalRateBody(product.id, { price: 10 })] });
  await f.assignment(owner, 'rentalRateCard', { assignmentLevel: 'CUSTOMER', customerId: c.id, rentalRateCardId: card.id });
  const profile = await f.contractProfile(owner, { contractTerm: 12, earlyTerminationFixedCharge: 25, earlyTerminationPercentageCharge: 50 });
  const contract = await f.customerContract(owner, { customerId: c.id, contractProfileId: profile.id, startDate: '2025-01-01' });
  const rpis: any[] = [];
  for (let i = 0; i < count; i++) {
    const inventory = await f.rpi(owner, { siteId: s.id, rentalProductId: product.id, quantity: i + 1, startDate: '2025-01-15' });
    await f.contractAssignment(owner, inventory.id, contract.id);
    rpis.push(inventory);
  }
  // not listed: an RPI whose assignment is inactive
  const inactive = await f.rpi(owner, { siteId: s.id, rentalProductId: product.id, startDate: '2025-01-15' });
  await f.contractAssignment(owner, inactive.id, contract.id, { active: false });
  return { customer: c, contract, rpis };
}

describe('rental ETCs by cursor', () => {
  const PATH = '/v1/rental-etcs';

  it('walk every RPI once, in RPI order, as the numbered pages list them', async () => {
    const owner = await h.newOwner();
    const { customer: c, contract, rpis } = await etcCustomer(owner, 7);
    const query = { customerId: c.id, calculationDate: '2025-03-01' };
    const rows = (await expectWalksMatch(owner, PATH, query, [1, 2, 3, 7, 100], 7)) as any[];
    expect(rows.map((r) => r.rentalProductInventoryId)).toEqual(rpis.map((r) => r.id));
    expect(new Set(rows.map((r) => r.rentalProductInventoryId)).size).toBe(7);
    expect(rows.every((r) => r.customerContractId === contract.id && r.amountInMajorCurrency > 25)).toBe(true);
    // a filter walks too, and a cursor page of exactly the rows left has no next
    const one = await owner.api.get(PATH, { ...query, rentalProductInventoryId: rpis[3].id, cursor: '', pageSize: 1 });
    expect(one.status, one.text).toBe(200);
    expect(one.body).toEqual([rows[3]]);
    expect(nextLink(one)).toBeNull();
    // HEAD follows the cursor too
    expect((await owner.api.head(PATH, { ...query, cursor: '', pageSize: 1 })).status).toBe(200);
  });

  it('refuses bad cursors, a cursor of another list and a cursor with page; another owner sees none of the rows', async () => {
    const owner = await h.newOwner();
    const { customer: c, rpis } = await etcCustomer(owner, 3);
    const query = { customerId: c.id, calculationDate: '2025-03-01' };
    await expectCursorErrors(owner, PATH, query, [[rpis[0].id, '2025-01-15', 'RENTAL'], ['7'], [-1], [1.5], [null]]);

    const other = await h.newOwner();
    const theirs = await etcCustomer(other, 2);
    expectProblem(await other.api.get(PATH, { ...query, cursor: '' }), 404);
    const first = await owner.api.get(PATH, { ...query, cursor: '', pageSize: 1 });
    const mine = new Set(rpis.map((r) => r.id));
    // their own walk, even continued with this owner's cursor, lists only their RPIs
    const walked = (await walk(other, PATH, { customerId: theirs.customer.id, calculationDate: '2025-03-01' }, 1)).flat() as any[];
    expect(walked.map((r) => r.rentalProductInventoryId)).toEqual(theirs.rpis.map((r) => r.id));
    const borrowed = new URL(nextLink(first)!, 'http://x').searchParams.get('cursor')!;
    const res = await other.api.get(PATH, { customerId: theirs.customer.id, calculationDate: '2025-03-01', cursor: borrowed });
    expect(res.status, res.text).toBe(200);
    expect(res.body.some((r: any) => mine.has(r.rentalProductInventoryId))).toBe(false);
  });
});

// ─── rental charges ──────────────────────────────────────────────────────────

/**
 * A customer with four RPIs over 2025-01-01..2025-06-30 (£10 a month, a £50 ONEOFF on the RPI start):
 *   A from 2024-12-15: seven monthly lines (2024-12-15 … 2025-06-15), no ONEOFF (it started before the range);
 *   B from 03-01, quantity 2: the ONEOFF line, then four monthly lines (03-01 … 06-01) — the ONEOFF and the first share 03-01;
 *   U of a product no card prices: no line;
 *   C from 2024-11-01 to 2025-04-10: four lines (01-01 … 04-01), the last prorated.
 * 16 lines in all.
 */
async function chargedCustomer(owner: Owner) {
  const c = await f.customer(owner);
  const s = await f.site(owner, c.id);
  const category = await f.rentalProductCategory(owner);
  const product = await f.rentalProduct(owner, category.id);
  const card = await f.rentalRateCard(owner, {
    rentalProductCategoryId: category.id,
    rentalRates: [
      f.rentalRateBody(product.id, { price: 10, startDate: '2020-01-01' }),
      f.rentalRateBody(product.id, { price: 50, rentalRatePriceType: 'ONEOFF', rentalRateFrequency: null, startDate: '2020-01-01' }),
    ],
  });
  await f.assignment(owner, 'rentalRateCard', { assignmentLevel: 'CUSTOMER', customerId: c.id, rentalRateCardId: card.id, startDate: '2020-01-01' });
  const a = await f.rpi(owner, { siteId: s.id, rentalProductId: product.id, startDate: '2024-12-15' });
  const b = await f.rpi(owner, { siteId: s.id, rentalProductId: product.id, quantity: 2, startDate: '2025-03-01' });
  const unpriced = await f.rpi(owner, { siteId: s.id, startDate: '2025-01-01' });
  const cc = await f.rpi(owner, { siteId: s.id, rentalProductId: product.id, startDate: '2024-11-01', endDate: '2025-04-10' });
  return { customer: c, site: s, a, b, unpriced, c: cc };
}

const position = (page: any[]) => page.map((l) => [l.rentalProductInventoryId, l.periodStart, l.rentalRatePriceType]);

describe('rental charges by cursor', () => {
  const PATH = '/v2/rental-charges';
  const RANGE = { from: '2025-01-01', to: '2025-06-30' };

  it('walk every line once, in RPI and period order, as the numbered pages list them', async () => {
    const owner = await h.newOwner();
    const { customer: c, a, b, c: cc } = await chargedCustomer(owner);
    const query = { customerId: c.id, ...RANGE };
    const lines = (await expectWalksMatch(owner, PATH, query, [1, 2, 3, 4, 5, 8, 15, 16, 100], 16)) as any[];
    expect(position(lines)).toEqual([
      [a.id, '2024-12-15', 'RENTAL'],
      ...['01-15', '02-15', '03-15', '04-15', '05-15', '06-15'].map((d) => [a.id, `2025-${d}`, 'RENTAL']),
      [b.id, '2025-03-01', 'ONEOFF'],
      ...['03-01', '04-01', '05-01', '06-01'].map((d) => [b.id, `2025-${d}`, 'RENTAL']),
      ...['01-01', '02-01', '03-01', '04-01'].map((d) => [cc.id, `2025-${d}`, 'RENTAL']),
    ]);
    expect(new Set(position(lines).map((p) => p.join(' '))).size).toBe(16);
    // a filter walks too
    const onlyB = await owner.api.get(PATH, { ...query, rentalProductInventoryId: b.id, pageSize: 2, cursor: '' });
    expect(onlyB.body).toEqual(lines.slice(7, 9));
    expect((await owner.api.get(nextLink(onlyB)!)).body).toEqual(lines.slice(9, 11));
    expect((await owner.api.head(PATH, { ...query, cursor: '', pageSize: 1 })).status).toBe(200);
  });

  it('go on inside an RPI’s lines where a page ends in them, also between the ONEOFF line and the period of the same day', async () => {
    const owner = await h.newOwner();
    const { customer: c, a, b } = await chargedCustomer(owner);
    const query = { customerId: c.id, ...RANGE };
    const all = await numberedPages(owner, PATH, query, 100);

    // pageSize 4: A's seven lines straddle the first two pages; the second ends on B's ONEOFF line, the third starts with B's period of that same day
    const pages = (await walk(owner, PATH, query, 4)) as any[][];
    expect(position(pages[0]!)).toEqual(['2024-12-15', '2025-01-15', '2025-02-15', '2025-03-15'].map((d) => [a.id, d, 'RENTAL']));
    expect(position(pages[1]!)).toEqual([
      [a.id, '2025-04-15', 'RENTAL'],
      [a.id, '2025-05-15', 'RENTAL'],
      [a.id, '2025-06-15', 'RENTAL'],
      [b.id, '2025-03-01', 'ONEOFF'],
    ]);
    expect(pages[1]![3]).toMatchObject({ grossAmount: 100, rentalRateFrequency: null });
    expect(pages[2]![0]).toMatchObject({ rentalProductInventoryId: b.id, periodStart: '2025-03-01', rentalRatePriceType: 'RENTAL', grossAmount: 20 });
    expect(pages.flat()).toEqual(all);

    // a page ending on that ONEOFF line, and its cursor with a larger page: the rest of the list, and no next after it
    const first = await owner.api.get(PATH, { ...query, pageSize: 8, cursor: '' });
    expect(first.body.at(-1)).toMatchObject({ rentalProductInventoryId: b.id, rentalRatePriceType: 'ONEOFF' });
    const rest = await owner.api.get(nextLink(first)!.replace('pageSize=8', 'pageSize=100'));
    expect(rest.body).toEqual(all.slice(8));
    expect(nextLink(rest)).toBeNull();
  });

  it('refuses bad cursors, a cursor of another list and a cursor with page; another owner sees none of the rows', async () => {
    const owner = await h.newOwner();
    const { customer: c, a } = await chargedCustomer(owner);
    const query = { customerId: c.id, ...RANGE };
    await expectCursorErrors(owner, PATH, query, [
      [a.id],
      [a.id, '2025-13-01', 'RENTAL'],
      [a.id, '2025-03-01', 'MONTHLY'],
      [String(a.id), '2025-03-01', 'RENTAL'],
      [a.id, '2025-03-01', 'RENTAL', 1],
    ]);
    // a range the numbered pages refuse is refused by cursor too
    expectProblem(await owner.api.get(PATH, { ...query, to: '2024-12-31', cursor: '' }), 400);

    const other = await h.newOwner();
    const theirs = await chargedCustomer(other);
    expectProblem(await other.api.get(PATH, { ...query, cursor: '' }), 404);
    const first = await owner.api.get(PATH, { ...query, cursor: '', pageSize: 3 });
    const borrowed = new URL(nextLink(first)!, 'http://x').searchParams.get('cursor')!;
    const res = await other.api.get(PATH, { ...query, customerId: theirs.customer.id, cursor: borrowed });
    expect(res.status, res.text).toBe(200);
    const theirIds = new Set([theirs.a.id, theirs.b.id, theirs.c.id]);
    expect(res.body.length).toBeGreaterThan(0);
    expect(res.body.every((l: any) => theirIds.has(l.rentalProductInventoryId))).toBe(true);
  });
});

// ─── inclusive usage balances ────────────────────────────────────────────────

describe('inclusive usage balances by cursor', () => {
  const PATH = '/v2/inclusive-usage-balances';

  /** The worked example's customer with three more UPIs of its product at S1 (six listed), one with its own plan from 06-10. */
  async function balances() {
    const w = await pricedCustomer(h);
    const usageProductId = w.p1.usageProductId;
    const extra: number[] = [];
    for (let i = 0; i < 3; i++) extra.push((await f.upi(w.owner, { siteId: w.s1, usageProductId })).id);
    const own = await f.inclusiveUsagePlan(w.owner, {
      usageProductId,
      frequency: 'MONTHLY',
      inclusiveUsageComponents: [{ componentType: 'QUANTITY', chargingType: 'DURATION', quantity: 50, chargeGroups: [{ chargeGroupId: w.g1 }] }],
    });
    await f.assignment(w.owner, 'inclusiveUsagePlan', { assignmentLevel: 'INVENTORY', usageProductInventoryId: extra[1], inclusiveUsagePlanId: own.id, startDate: '2025-06-10' });
    return { w, extra };
  }

  it('walk every UPI once, in each sort (columns and computed periods), as the numbered pages list them', async () => {
    const { w, extra } = await balances();
    const base = { customerId: w.customerId, asOf: '2025-06-15' };
    const ids = (rows: any[]) => rows.map((r) => r.usageProductInventoryId);
    const byId = await expectWalksMatch(w.owner, PATH, base, [1, 2, 4, 6], 6);
    expect(ids(byId)).toEqual([w.u1, w.u1b, w.u2, ...extra]);
    for (const sort of ['siteId:desc', 'periodEndDate:desc', 'customerId,periodStartDate', 'usageProductInventoryId:desc']) {
      const rows = await expectWalksMatch(w.owner, PATH, { ...base, sort }, [2, 4], 6);
      expect(new Set(ids(rows)).size, sort).toBe(6);
    }
    // the UPI with its own plan from 06-10 ends its period last
    expect(ids(await numberedPages(w.owner, PATH, { ...base, sort: 'periodEndDate:desc' }, 100))[0]).toBe(extra[1]);
    // fields and filters go along the next links
    const pages = await walk(w.owner, PATH, { ...base, siteId: w.s1, fields: 'usageProductInventoryId,periodEndDate' }, 2);
    expect(pages.flat()).toEqual(
      [w.u1, w.u1b, ...extra].map((id) => ({ usageProductInventoryId: id, periodEndDate: id === extra[1] ? '2025-07-09' : '2025-06-30' })),
    );
    expect((await w.owner.api.head(PATH, { ...base, cursor: '' })).status).toBe(200);
  });

  it('refuses bad cursors, a cursor of another sort and a cursor with page; another owner sees none of the rows', async () => {
    const { w } = await balances();
    const query = { customerId: w.customerId, asOf: '2025-06-15' };
    await expectCursorErrors(w.owner, PATH, query, [[w.u1, w.u2], ['2025-06-01'], [null]]);
    // a cursor of the id order does not fit a sort by period, nor one of a period sort the id order
    const first = await w.owner.api.get(PATH, { ...query, cursor: '', pageSize: 1 });
    const cursor = new URL(nextLink(first)!, 'http://x').searchParams.get('cursor')!;
    expect(expectProblem(await w.owner.api.get(PATH, { ...query, sort: 'periodStartDate', cursor }), 400).errors?.[0]?.path).toBe('query.cursor');
    expect(expectProblem(await w.owner.api.get(PATH, { ...query, sort: 'siteId', cursor }), 400).errors?.[0]?.path).toBe('query.cursor');
    const byPeriod = await w.owner.api.get(PATH, { ...query, sort: 'periodStartDate', cursor: '', pageSize: 1 });
    const periodCursor = new URL(nextLink(byPeriod)!, 'http://x').searchParams.get('cursor')!;
    expect(expectProblem(await w.owner.api.get(PATH, { ...query, cursor: periodCursor }), 400).errors?.[0]?.path).toBe('query.cursor');

    const other = await pricedCustomer(h);
    const mine = new Set([w.u1, w.u1b, w.u2, w.u3]);
    const theirs = (await walk(other.owner, PATH, { asOf: '2025-06-15' }, 2)).flat() as any[];
    expect(theirs.map((r) => r.usageProductInventoryId)).toEqual([other.u1, other.u1b, other.u2]);
    const borrowed = await other.owner.api.get(PATH, { asOf: '2025-06-15', cursor });
    expect(borrowed.status, borrowed.text).toBe(200);
    expect(borrowed.body.some((r: any) => mine.has(r.usageProductInventoryId))).toBe(false);
    expect((await other.owner.api.get(PATH, { customerId: w.customerId, asOf: '2025-06-15', cursor: '' })).body).toEqual([]);
  });
});

// ─── exports ─────────────────────────────────────────────────────────────────

describe('exports of the computed lists', () => {
  it('stream every row by keyset chunks, or the rows after a cursor', async () => {
    const NDJSON = { headers: { accept: 'application/x-ndjson' } };
    const owner = await h.newOwner();
    const charged = await chargedCustomer(owner);
    const etcs = await etcCustomer(owner, 3);
    const lists: Array<[string, Query]> = [
      ['/v2/rental-charges', { customerId: charged.customer.id, from: '2025-01-01', to: '2025-06-30' }],
      ['/v1/rental-etcs', { customerId: etcs.customer.id, calculationDate: '2025-03-01' }],
    ];
    for (const [path, query] of lists) {
      const all = await numberedPages(owner, path, query, 100);
      expect(parseNdjson((await owner.api.get(path, query, NDJSON)).text), path).toEqual(all);
      const first = await owner.api.get(path, { ...query, cursor: '', pageSize: 2 });
      const cursor = new URL(nextLink(first)!, 'http://x').searchParams.get('cursor')!;
      expect(parseNdjson((await owner.api.get(path, { ...query, cursor }, NDJSON)).text), path).toEqual(all.slice(2));
      expectProblem(await owner.api.get(path, { ...query, cursor: 'not a cursor' }, NDJSON), 400);
    }
  });
});
