/**
 * What a keyset page of the computed lists (rental ETCs, rental charges, inclusive
 * usage balances) costs: the statements a deep page runs are those of the second
 * page, none with an OFFSET, each list's row query starts after the cursor's key
 * (a bound the index range begins at, LIMIT pageSize + 1 or a few RPIs), and no
 * statement scans a large table or sorts it for the ORDER BY. Recorded on the Node
 * runtime (the local driver is the synchronous libsql binding), explained with
 * EXPLAIN QUERY PLAN on the app's own connection.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as f from '../helpers/factories';
import { type ApiResponse, type Harness, harness, type Owner } from '../helpers/harness';
import { planOf, type Recorded, startRecording, stopRecording } from '../helpers/statements';


/** Tables that grow with the customers' estate: a list must never read all of one. */
const LARGE = ['customer_contracts', 'customer_contract_assignments', 'rental_product_inventories', 'usage_product_inventories', 'customers', 'sites'];

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

function nextLink(res: ApiResponse): string | null {
  const m = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '');
  return m ? m[1]! : null;
}

/** The statements of each page of a walk (its first `pages` pages), the app's own bookkeeping left out. */
async function walkStatements(owner: Owner, path: string, query: Record<string, string | number>, pages: number): Promise<Recorded[][]> {
  const out: Recorded[][] = [];
  let url: string | null = null;
  for (let i = 0; i < pages; i++) {
    startRecording();
    const res: ApiResponse = url ? await owner.api.get(url) : await owner.api.get(path, { ...query, cursor: '' });
    const recorded = stopRecording();
    expect(res.status, res.text).toBe(200);
    out.push(recorded.filter((r) => !/^\s*(begin|commit|rollback|pragma|savepoint|release)\b/i.test(r.sql)));
    url = nextLink(res);
    if (i < pages - 1) expect(url, `page ${i + 1} has a next`).not.toBeNull();
  }
  return out;
}

/** Scans of large tables, and sorts of the rows for an ORDER BY (unless `sorts`), among the statements. */
function planProblems(statements: readonly Recorded[], sorts: boolean): string[] {
  const problems: string[] = [];
  for (const s of statements) {
    const plan = planOf(s);
    for (const line of plan) {
      const scan = /^SCAN (\S+)/.exec(line);
      if (scan && LARGE.includes(scan[1]!)) problems.push(`${line} in: ${s.sql}`);
    }
    if (!sorts && LARGE.some((t) => s.sql.includes(`"${t}"`)) && /\border by\b/i.test(s.sql) && plan.some((l) => /TEMP B-TREE FOR ORDER BY/.test(l))) {
      problems.push(`sorts for its ORDER BY (${plan.join('; ')}): ${s.sql}`);
    }
  }
  return problems;
}

/**
 * A deep page runs the second page's statements, none with an offset, and every one
 * plans without scans of large tables, nor sorts (`sorts`: a sort by a column no index
 * orders, which sorts what follows the cursor, as the resource lists do).
 */
function expectConstantCost(pages: Recorded[][], rowQuery: RegExp, sorts = false) {
  const shapes = pages.map((statements) => statements.map((s) => s.sql));
  expect(shapes.at(-1)).toEqual(shapes[1]);
  for (const [i, statements] of pages.entries()) {
    expect(statements.filter((s) => /\boffset\b/i.test(s.sql)).map((s) => s.sql)).toEqual([]);
    expect(planProblems(statements, sorts)).toEqual([]);
    if (i > 0) expect(shapes[i]!.some((sql) => rowQuery.test(sql)), `the row query ${rowQuery} on page ${i + 1}`).toBe(true);
  }
}

describe('keyset pages of the computed lists', () => {
  it('rental ETCs: each page reads the customer’s RPIs from the cursor’s id on', async () => {
    const owner = await h.newOwner();
    const c = await f.customer(owner);
    const s = await f.site(owner, c.id);
    const category = await f.rentalProductCategory(owner);
    const product = await f.rentalProduct(owner, category.id);
    const card = await f.rentalRateCard(owner, { rentalProductCategoryId: category.id, rentalRates: [f.rentalRateBody(product.id, { price: 10 })] });
    await f.assignment(owner, 'rentalRateCard', { assignmentLevel: 'CUSTOMER', customerId: c.id, rentalRateCardId: card.id });
    const contract = await f.customerContract(owner, { customerId: c.id, startDate: '2025-01-01' });
    for (let i = 0; i < 10; i++) await f.contractAssignment(owner, (await f.rpi(owner, { siteId: s.id, rentalProductId: product.id })).id, contract.id);

    const pages = await walkStatements(owner, '/v1/rental-etcs', { customerId: c.id, calculationDate: '2025-03-01', pageSize: 2 }, 4);
    expectConstantCost(pages, /"rental_product_inventories"\."id" > \?.*limit \?/is);
  });

  it('rental charges: each page prices the RPIs from the cursor’s RPI on, a few at a time', async () => {
    const owner = await h.newOwner();
    const c = await f.customer(owner);
    const s = await f.site(owner, c.id);
    const category = await f.rentalProductCategory(owner);
    const product = await f.rentalProduct(owner, category.id);
    const card = await f.rentalRateCard(owner, { rentalProductCategoryId: category.id, rentalRates: [f.rentalRateBody(product.id, { price: 10, startDate: '2020-01-01' })] });
    await f.assignment(owner, 'rentalRateCard', { assignmentLevel: 'CUSTOMER', customerId: c.id, rentalRateCardId: card.id, startDate: '2020-01-01' });
    // two lines each: pages of 3 lines end inside an RPI’s lines or at its end in turn
    for (let i = 0; i < 12; i++) await f.rpi(owner, { siteId: s.id, rentalProductId: product.id, startDate: '2025-01-01', endDate: '2025-02-28' });

    const pages = await walkStatements(owner, '/v2/rental-charges', { customerId: c.id, from: '2025-01-01', to: '2025-12-31', pageSize: 3 }, 5);
    expectConstantCost(pages, /"rental_product_inventories"\."id" >= \?.*limit \?/is);
  });

  it('inclusive usage balances: each page reads the UPIs after the cursor’s keys, in the sort', async () => {
    const owner = await h.newOwner();
    const c = await f.customer(owner);
    const s = await f.site(owner, c.id);
    const product = await f.usageProduct(owner);
    const group = await f.chargeGroup(owner);
    const plan = await f.inclusiveUsagePlan(owner, {
      usageProductId: product.id,
      frequency: 'MONTHLY',
      inclusiveUsageComponents: [{ componentType: 'QUANTITY', chargingType: 'DURATION', quantity: 60, chargeGroups: [{ chargeGroupId: group.id }] }],
    });
    await f.assignment(owner, 'inclusiveUsagePlan', { assignmentLevel: 'CUSTOMER', customerId: c.id, inclusiveUsagePlanId: plan.id, startDate: '2025-06-01' });
    for (let i = 0; i < 8; i++) await f.upi(owner, { siteId: s.id, usageProductId: product.id });

    const query = { customerId: c.id, asOf: '2025-06-15', pageSize: 2 };
    const after = /"usage_product_inventories"\."id" > \?.*limit \?/is;
    expectConstantCost(await walkStatements(owner, '/v2/inclusive-usage-balances', query, 4), after);
    // by a column without an index of its own: the rows after the cursor are sorted, never those before it
    expectConstantCost(await walkStatements(owner, '/v2/inclusive-usage-balances', { ...query, sort: 'siteId:desc' }, 4), /"site_id" < \?.*limit \?/is, true);
  });
});
