/**
 * Keyset pages (`cursor`, the `next` link) on the lists outside the common resource
 * grammar, on both runtimes: a subscription's webhook deliveries, the instellix
 * lists (/v2/plans, /v2/debtors, /v2/contracts) and every simPRO list, where
 * `cursor` is a Tenor extension beside simPRO's own paging. Each walk from
 * `cursor=` must return exactly the rows the numbered pages return, in the same
 * order, once each, without the counts, and end without a `next` link; a bad cursor,
 * `cursor` with `page` (and in simPRO with `limit`) is a 400 naming the parameter;
 * another owner's walk never sees the first owner's rows.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { webhookDeliveries } from '../../src/db/schema';
import * as f from '../helpers/factories';
import { type ApiResponse, type Client, expectProblem, type Harness, harness, type Owner, unique } from '../helpers/harness';
import { catalogue, contract } from '../helpers/instellix';
import { type Simpro, simproOf } from '../helpers/simpro';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

type Query = Record<string, string | number>;

/** How a dialect tells its paging: the headers a cursor page leaves out. */
interface Dialect {
  uncounted: readonly string[];
  /** what every cursor page must also carry */
  check?(res: ApiResponse): void;
}

const TENOR: Dialect = {
  uncounted: ['x-total-count'],
};

const SIMPRO: Dialect = {
  uncounted: ['result-total', 'result-pages'],
  check: (res) => expect(res.headers.get('result-count')).toBe(String(res.body.length)),
};

/** An item as the list renders it: the walk and the numbered pages must render the same rows alike. */
const key = (item: unknown) => JSON.stringify(item);

function nextLink(res: ApiResponse): string | null {
  const m = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '');
  return m ? m[1]! : null;
}

/** Every item of the numbered pages of a list, in order (pages until one is not full). */
async function numberedPages(api: Client, path: string, query: Query): Promise<string[]> {
  const pageSize = Number(query.pageSize);
  const items: string[] = [];
  for (let page = 1; ; page++) {
    const res = await api.get(path, { ...query, page });
    expect(res.status, res.text).toBe(200);
    items.push(...res.body.map(key));
    if (res.body.length < pageSize) return items;
    expect(page, 'numbered pages that do not end').toBeLessThan(50);
  }
}

/** Follows the `next` links from `cursor=` to the end; every page uncounted, no item twice. */
async function cursorWalk(api: Client, dialect: Dialect, path: string, query: Query): Promise<{ items: string[]; pages: number; cursors: string[] }> {
  const pageSize = Number(query.pageSize);
  let res = await api.get(path, { ...query, cursor: '' });
  const items: string[] = [];
  const cursors: string[] = [];
  let pages = 0;
  for (;;) {
    expect(res.status, res.text).toBe(200);
    for (const header of dialect.uncounted) expect(res.headers.get(header), `${header} on a cursor page`).toBeNull();
    dialect.check?.(res);
    expect(res.body.length).toBeLessThanOrEqual(pageSize);
    pages++;
    items.push(...res.body.map(key));
    const next = nextLink(res);
    if (!next) break;
    // a page that links a next one is full
    expect(res.body).toHaveLength(pageSize);
    expect(next).not.toMatch(/[?&]page=/);
    const cursor = new URL(next, 'http://tenor.test').searchParams.get('cursor');
    expect(cursor).toBeTruthy();
    cursors.push(cursor!);
    expect(pages, 'a walk that does not end').toBeLessThan(50);
    res = await api.get(next);
  }
  expect(new Set(items).size, 'an item seen twice').toBe(items.length);
  return { items, pages, cursors };
}

/** The walk returns what the numbered pages do, in as many pages as it takes (at least one); returns the items. */
async function walkMatches(api: Client, dialect: Dialect, path: string, query: Query, count?: number): Promise<{ items: string[]; cursors: string[] }> {
  const expected = await numberedPages(api, path, query);
  if (count !== undefined) expect(expected).toHaveLength(count);
  const walk = await cursorWalk(api, dialect, path, query);
  expect(walk.items).toEqual(expected);
  expect(walk.pages).toBe(Math.max(1, Math.ceil(expected.length / Number(query.pageSize))));
  return { items: walk.items, cursors: walk.cursors };
}

/** The refusals every list shares: a cursor that is not one names `query.cursor`, one with `page` names `query.page`. */
async function refusesBadCursors(api: Client, path: string, query: Query = {}) {
  for (const cursor of ['not a cursor', 'bm90IGpzb24', 'W10', 'eyJhIjoxfQ']) {
    expect(expectProblem(await api.get(path, { ...query, cursor }), 400).errors[0].path, cursor).toBe('query.cursor');
  }
  expect(expectProblem(await api.get(path, { ...query, cursor: '', page: 2 }), 400).errors[0].path).toBe('query.page');
}

const ids = (items: string[]) => items.map((i) => JSON.parse(i));

describe('webhook deliveries', () => {
  async function deliveries(owner: Owner, count: number) {
    const subscription = await f.webhookSubscription(owner);
    const now = new Date().toISOString();
    const statuses = ['SUCCEEDED', 'FAILED', 'PENDING'] as const;
    await h.runtime.deps.database.db.insert(webhookDeliveries).values(
      Array.from({ length: count }, (_, i) => ({
        contractOwnerId: owner.id,
        subscriptionId: subscription.id,
        // event ids out of the delivery order, so a sort by them differs from the id order
        eventId: 1000 + ((i * 3) % count),
        eventType: 'customer_contract.created',
        status: statuses[i % 3]!,
        attemptCount: 1,
        lastStatusCode: 200,
        // some never attempted (null), some at the same instant
        lastAttemptAt: i % 4 === 0 ? null : `2026-11-2${i % 3}T09:30:00.000Z`,
        createdDate: now,
        updatedDate: now,
      })),
    );
    return `/v1/webhook-subscriptions/${subscription.id}/deliveries`;
  }

  it('walk by cursor as the numbered pages do, sorted and filtered, and refuse bad cursors', async () => {
    const owner = await h.newOwner();
    const path = await deliveries(owner, 7);
    const all = await walkMatches(owner.api, TENOR, path, { pageSize: 3 }, 7);
    expect(ids(all.items).map((d) => d.id)).toEqual([...ids(all.items).map((d) => d.id)].sort((a, b) => a - b));
    const byEvent = await walkMatches(owner.api, TENOR, path, { pageSize: 2, sort: 'eventId:desc', fields: 'eventId' }, 7);
    expect(ids(byEvent.items).map((d) => d.eventId)).toEqual([1006, 1005, 1004, 1003, 1002, 1001, 1000]);
    await walkMatches(owner.api, TENOR, path, { pageSize: 2, status: 'in:SUCCEEDED,FAILED', sort: 'lastAttemptAt:desc,eventId' }, 5);
    await walkMatches(owner.api, TENOR, path, { pageSize: 3, sort: 'lastAttemptAt,id:desc', count: 'false' }, 7);
    // a page size the list fills exactly: no empty page after the last
    await walkMatches(owner.api, TENOR, path, { pageSize: 7 }, 7);
    await refusesBadCursors(owner.api, path);
  });

  it('another owner’s walk, even with the first owner’s cursor, sees only its own deliveries', async () => {
    const one = await h.newOwner();
    const two = await h.newOwner();
    const onePath = await deliveries(one, 5);
    const twoPath = await deliveries(two, 4);
    const first = await walkMatches(one.api, TENOR, onePath, { pageSize: 2 }, 5);
    const second = await walkMatches(two.api, TENOR, twoPath, { pageSize: 2 }, 4);
    expect(first.items.filter((i) => second.items.includes(i))).toEqual([]);
    const borrowed = await two.api.get(twoPath, { pageSize: 10, cursor: first.cursors[0]! });
    expect(borrowed.status, borrowed.text).toBe(200);
    for (const d of borrowed.body) expect(d.contractOwnerId).toBe(two.id);
    expectProblem(await two.api.get(onePath, { cursor: '' }), 404);
  });
});

describe('instellix lists', () => {
  const plan = (owner: Owner) => owner.api.create('/v2/plans', { planIdent: unique('P-'), name: unique('Plan '), contractTerm: { value: 12, unit: 'MONTH' } });
  const debtor = (owner: Owner) => owner.api.create('/v2/debtors', { debtorIdent: unique('D-'), name: unique('Debtor ') });

  it('plans, debtors and contracts walk by cursor as their numbered pages do (by id), filtered too', async () => {
    const c = await catalogue(h);
    const { owner } = c;
    for (let i = 0; i < 5; i++) await plan(owner);
    for (let i = 0; i < 5; i++) await debtor(owner);
    // a customer without an ident is no debtor
    await f.customer(owner);
    const other = await debtor(owner);
    for (let i = 0; i < 4; i++) await contract(c);
    for (let i = 0; i < 2; i++) await contract(c, { debtorIdent: other.debtorIdent });

    const plans = await walkMatches(owner.api, TENOR, '/v2/plans', { pageSize: 2 }, 6);
    expect(ids(plans.items).map((p) => p.planId)).toEqual([...ids(plans.items).map((p) => p.planId)].sort((a, b) => a - b));
    await walkMatches(owner.api, TENOR, '/v2/debtors', { pageSize: 3 }, 7);
    const contracts = await walkMatches(owner.api, TENOR, '/v2/contracts', { pageSize: 2 }, 6);
    expect(ids(contracts.items).map((x) => x.contractIdent)).toHaveLength(6);
    const filtered = await walkMatches(owner.api, TENOR, '/v2/contracts', { pageSize: 1, debtorIdent: other.debtorIdent }, 2);
    for (const x of ids(filtered.items)) expect(x.debtorIdent).toBe(other.debtorIdent);

    for (const path of ['/v2/plans', '/v2/debtors', '/v2/contracts']) await refusesBadCursors(owner.api, path);
    // the lists take no sort: a cursor of a sorted list is not one of theirs
    expect(expectProblem(await owner.api.get('/v2/plans', { cursor: 'WyJhIiwxXQ' }), 400).errors[0].path).toBe('query.cursor');
  });

  it('another owner’s walk, even with the first owner’s cursor, sees only its own rows', async () => {
    const one = await h.newOwner();
    const two = await h.newOwner();
    for (let i = 0; i < 3; i++) {
      await plan(one);
      await debtor(one);
    }
    for (let i = 0; i < 3; i++) {
      await plan(two);
      await debtor(two);
    }
    for (const path of ['/v2/plans', '/v2/debtors']) {
      const first = await walkMatches(one.api, TENOR, path, { pageSize: 1 }, 3);
      const second = await walkMatches(two.api, TENOR, path, { pageSize: 1 }, 3);
      expect(first.items.filter((i) => second.items.includes(i))).toEqual([]);
      const borrowed = await two.api.get(path, { pageSize: 10, cursor: first.cursors[0]! });
      expect(borrowed.status, borrowed.text).toBe(200);
      for (const x of borrowed.body) expect(x.contractOwnerId).toBe(two.id);
    }
  });
});

describe('simPRO lists', () => {
  /** simPRO's refusals: the shared ones, and `limit` with `cursor` (a cursor walk is not capped) */
  async function refusesSimpro(api: Client, path: string) {
    await refusesBadCursors(api, path);
    expect(expectProblem(await api.get(path, { cursor: '', limit: 3 }), 400).errors[0].path).toBe('query.limit');
    // simPRO's paging as it was: Result-* headers, no Link
    const numbered = await api.get(path, { pageSize: 1 });
    expect(numbered.headers.get('result-total')).not.toBeNull();
    expect(numbered.headers.get('result-pages')).not.toBeNull();
    expect(numbered.headers.get('link')).toBeNull();
  }

  it('a customer’s contracts and the company-wide search: default order, -Name with a filter, -EndDate with open ends', async () => {
    const owner = await h.newOwner();
    const s = simproOf(owner, 0);
    const customer = (await f.customer(owner)).id;
    const second = (await f.customer(owner)).id;
    const specs: Array<[string, string | null, number]> = [
      ['Beta service', '2031-01-31', 10],
      ['alpha service', null, 20],
      ['Gamma upkeep', '2030-06-30', 30],
      ['Beta service', '2031-01-31', 40],
      ['Delta service', null, 50],
      ['epsilon upkeep', '2029-12-31', 60],
      ['Beta service', '2030-06-30', 70],
    ];
    for (const [Name, EndDate, Value] of specs) await s.newContract(customer, { Name, StartDate: '2026-01-01', EndDate, Value });
    for (const Name of ['Zeta service', 'Beta service']) await s.newContract(second, { Name, StartDate: '2027-02-01' });

    const path = s.contracts(customer);
    await walkMatches(owner.api, SIMPRO, path, { pageSize: 3 }, 7);
    const byName = await walkMatches(owner.api, SIMPRO, path, { pageSize: 2, orderby: '-Name', Name: '%service%', columns: 'ID,Name' }, 5);
    // equal names: the ID breaks the tie, ascending
    const betas = ids(byName.items).filter((x) => x.Name === 'Beta service').map((x) => x.ID);
    expect(betas).toEqual([...betas].sort((a, b) => a - b));
    await walkMatches(owner.api, SIMPRO, path, { pageSize: 2, orderby: '-EndDate,Value', columns: 'ID,EndDate,Value' }, 7);
    await walkMatches(owner.api, SIMPRO, path, { pageSize: 2, orderby: 'EndDate,-Value', search: 'any', Value: 'ge(50)', EndDate: 'null' }, 4);

    const search = `${s.base}/customerContracts/`;
    await walkMatches(owner.api, SIMPRO, search, { pageSize: 4 }, 9);
    await walkMatches(owner.api, SIMPRO, search, { pageSize: 2, orderby: '-StartDate,-Customer.CompanyName,Name', 'Customer.ID': `in(${customer},${second})` }, 9);
    await walkMatches(owner.api, SIMPRO, search, { pageSize: 2, orderby: '-Markup,ContractNo', Name: 'Beta service' }, 4);

    await refusesSimpro(owner.api, path);
    await refusesSimpro(owner.api, search);
  });

  it('a contract’s custom fields, service levels and inflation items', async () => {
    const owner = await h.newOwner();
    const s = simproOf(owner, owner.id);
    const customer = (await f.customer(owner)).id;
    const contractId = (await s.newContract(customer, { StartDate: '2026-01-01' })).ID;
    const contractPath = s.contract(customer, contractId);
    const fields: number[] = [];
    for (const [i, Name] of ['Site code', 'Gate', 'Alarm', 'Keys', 'Parking'].entries()) {
      fields.push((await s.customField({ Name, Order: i % 2 })).ID);
    }
    await s.patch(`${contractPath}/customFields/${fields[1]}`, { Value: 'B' });
    await s.patch(`${contractPath}/customFields/${fields[3]}`, { Value: 'A' });
    const levels = [];
    for (const Name of ['Monthly', 'Annually', 'Quarterly']) levels.push((await s.serviceLevel({ Name })).ID);
    const types = [];
    for (const Name of ['Extinguisher', 'Hose reel']) types.push((await s.assetType({ Name })).ID);
    for (const type of types) for (const level of levels) await s.link(type, level);
    for (const [i, Date] of ['2027-01-01', '2026-07-01', '2028-01-01', '2026-07-01', '2029-03-01'].entries()) {
      await s.create(`${contractPath}/inflation/`, { Date, Amount: 1 + i });
    }

    const customFields = `${contractPath}/customFields/`;
    await walkMatches(owner.api, SIMPRO, customFields, { pageSize: 2 }, 5);
    await walkMatches(owner.api, SIMPRO, customFields, { pageSize: 2, orderby: '-Value,CustomField.Name' }, 5);
    await walkMatches(owner.api, SIMPRO, customFields, { pageSize: 1, Value: 'ne(null)', orderby: 'Value' }, 2);

    const serviceLevels = `${contractPath}/serviceLevels/`;
    await walkMatches(owner.api, SIMPRO, serviceLevels, { pageSize: 4 }, 6);
    const byName = await walkMatches(owner.api, SIMPRO, serviceLevels, { pageSize: 2, orderby: '-AssetType.Name,ServiceLevel.Name' }, 6);
    expect(ids(byName.items).map((x) => `${x.AssetType.Name}/${x.ServiceLevel.Name}`)).toEqual([
      'Hose reel/Annually',
      'Hose reel/Monthly',
      'Hose reel/Quarterly',
      'Extinguisher/Annually',
      'Extinguisher/Monthly',
      'Extinguisher/Quarterly',
    ]);

    const inflation = `${contractPath}/inflation/`;
    const byDate = await walkMatches(owner.api, SIMPRO, inflation, { pageSize: 2 }, 5);
    expect(ids(byDate.items).map((x) => x.Date)).toEqual(['2026-07-01', '2026-07-01', '2027-01-01', '2028-01-01', '2029-03-01']);
    await walkMatches(owner.api, SIMPRO, inflation, { pageSize: 2, orderby: '-Date', Amount: 'ge(2)' }, 4);

    for (const path of [customFields, serviceLevels, inflation]) await refusesSimpro(owner.api, path);
  });

  it('the setup lists', async () => {
    const owner = await h.newOwner();
    const s = simproOf(owner, 0);
    const names = ['Omega', 'alpha', 'Kappa', 'beta', 'Kappa', 'Sigma'];
    for (const [i, Name] of names.entries()) {
      await s.customField({ Name, Order: i % 3 });
      await s.pricingTier({ Name, DefaultMarkup: 5 * (i % 2) });
      await s.serviceFee({ Name, Price: 10 * (i % 3) });
      await s.serviceLevel({ Name, Years: 1 + (i % 2) });
      await s.assetType({ Name });
    }
    const type = (await s.assetType({ Name: 'Linked' })).ID;
    const levels = (await s.get(`${s.base}/setup/assets/serviceLevels/`, { columns: 'ID' })).body.map((x: any) => x.ID);
    for (const [i, level] of levels.entries()) await s.link(type, level, { DisplayOrder: i % 2 });

    /** each list: how many it holds, and a walk in another order (filtered: how many that holds) */
    const lists: Array<[string, number, Query, number]> = [
      ['/setup/customFields/customerContracts/', 6, { orderby: '-Order,Name' }, 6],
      ['/setup/materials/pricingTiers/', 6, { orderby: '-DefaultMarkup,-Name' }, 6],
      ['/setup/labor/serviceFees/', 6, { orderby: '-Name', Price: 'gt(0)' }, 4],
      ['/setup/assets/serviceLevels/', 6, { orderby: 'Years,-Name' }, 6],
      ['/setup/assetTypes/', 7, { orderby: '-Name', Name: '!in(Linked)' }, 6],
      [`/setup/assetTypes/${type}/serviceLevels/`, 6, { orderby: '-DisplayOrder,ServiceLevel.Name' }, 6],
    ];
    for (const [list, all, query, count] of lists) {
      const path = `${s.base}${list}`;
      await walkMatches(owner.api, SIMPRO, path, { pageSize: 4 }, all);
      await walkMatches(owner.api, SIMPRO, path, { pageSize: 2, ...query }, count);
      await refusesSimpro(owner.api, path);
    }
  });

  it('another company’s walk, even with the first company’s cursor, sees only its own rows', async () => {
    const one = await h.newOwner();
    const two = await h.newOwner();
    const company = async (owner: Owner): Promise<Simpro> => {
      const s = simproOf(owner, 0);
      const customer = (await f.customer(owner)).id;
      for (let i = 0; i < 3; i++) {
        await s.newContract(customer, { Name: `Contract ${i}` });
        await s.pricingTier({ Name: `Tier ${i}` });
      }
      return s;
    };
    const [first, second] = [await company(one), await company(two)];
    for (const list of ['/customerContracts/', '/setup/materials/pricingTiers/']) {
      const walked = await walkMatches(one.api, SIMPRO, `${first.base}${list}`, { pageSize: 1, orderby: '-Name' }, 3);
      const own = await walkMatches(two.api, SIMPRO, `${second.base}${list}`, { pageSize: 1, orderby: '-Name' }, 3);
      expect(walked.items.filter((i) => own.items.includes(i))).toEqual([]);
      const borrowed = await two.api.get(`${second.base}${list}`, { pageSize: 10, orderby: '-Name', cursor: walked.cursors[0]! });
      expect(borrowed.status, borrowed.text).toBe(200);
      for (const item of borrowed.body) expect(own.items).toContain(key(item));
      // the first company's path is a 404 to the other owner, cursor or not
      expectProblem(await two.api.get(`/api/v1.0/companies/${one.id}${list}`, { cursor: walked.cursors[0]! }), 404);
    }
  });
});

describe('the OpenAPI document', () => {
  it('lists `cursor` with its description and the Link header on each of these lists', async () => {
    const res = await h.request('GET', '/openapi.json');
    expect(res.status).toBe(200);
    const simpro = '/api/v1.0/companies/{companyID}';
    const contract = `${simpro}/customers/{customerID}/contracts/{contractID}`;
    const lists: Array<[string, string]> = [
      ['/v1/webhook-subscriptions/{id}/deliveries', 'X-Total-Count'],
      ['/v2/plans', 'X-Total-Count'],
      ['/v2/debtors', 'X-Total-Count'],
      ['/v2/contracts', 'X-Total-Count'],
      ...[
        `${simpro}/customers/{customerID}/contracts/`,
        `${simpro}/customerContracts/`,
        `${contract}/customFields/`,
        `${contract}/serviceLevels/`,
        `${contract}/inflation/`,
        `${simpro}/setup/customFields/customerContracts/`,
        `${simpro}/setup/materials/pricingTiers/`,
        `${simpro}/setup/labor/serviceFees/`,
        `${simpro}/setup/assets/serviceLevels/`,
        `${simpro}/setup/assetTypes/`,
        `${simpro}/setup/assetTypes/{assetTypeID}/serviceLevels/`,
      ].map((path): [string, string] => [path, 'Result-Total nor Result-Pages']),
    ];
    for (const [path, uncounted] of lists) {
      const op = res.body.paths[path]?.get;
      expect(op, path).toBeDefined();
      const cursor = op.parameters.find((p: any) => p.name === 'cursor' && p.in === 'query');
      expect(cursor?.description, path).toContain('Keyset paging instead of `page`');
      expect(cursor.description, path).toContain(`cursor pages carry no ${uncounted}`);
      expect(cursor.schema.type, path).toBe('string');
      expect(op.responses['200'].headers.Link.description, path).toContain('next');
      if (path.startsWith(simpro)) {
        expect(cursor.description, path).toContain('Not with `page` nor `limit` (400)');
        expect(op.parameters.find((p: any) => p.name === 'limit').description, path).toContain('not with `cursor`');
      }
    }
  });
});
