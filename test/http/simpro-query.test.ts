/**
 * simPRO's list query grammar end to end (compat.md §simPRO, Query): each
 * operator on each kind of column, nested columns by dot notation,
 * search=all|any, columns, pageSize/page with the Result-* headers, limit and
 * orderby — over real rows, on both runtimes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayIn } from '../../src/domain/dates';
import * as make from '../helpers/factories';
import { type ApiResponse, expectProblem, harness } from '../helpers/harness';
import { type Simpro, simproOf } from '../helpers/simpro';

let s: Simpro;
let customerId: number;
let otherCustomerId: number;
const c: Record<string, number> = {};
let t1: any;
let t2: any;
let fee: any;
const today = todayIn('Europe/London');

beforeAll(async () => {
  const h = await harness();
  const owner = await h.newOwner();
  s = simproOf(owner);
  customerId = (await make.customer(owner, { customerName: 'Acme Facilities' })).id;
  otherCustomerId = (await make.customer(owner, { customerName: 'Borealis Hotels' })).id;
  t1 = await s.pricingTier({ Name: 'Tier 1', DefaultMarkup: 10 });
  t2 = await s.pricingTier({ Name: 'Tier 2', DefaultMarkup: 20 });
  fee = await s.serviceFee({ Name: 'Call-out' });
  const rows: Array<[string, Record<string, unknown>]> = [
    ['alpha', { Name: 'Alpha Maintenance', StartDate: '2025-01-01', EndDate: addDays(today, 30), ContractNo: 'A-100', Value: 100, PricingTier: t1.ID, Rates: { ServiceFee: fee.ID }, Email: 'a@example.com' }],
    ['beta', { Name: 'Beta Service', StartDate: '2025-03-01', EndDate: null, ContractNo: 'B-200', Value: 250.5, PricingTier: t2.ID, Markup: 5 }],
    ['gamma', { Name: 'Gamma Care', StartDate: '2024-06-01', EndDate: '2024-12-31', ContractNo: 'C-300' }],
    ['delta', { Name: 'Delta Maintenance', StartDate: '2026-01-01', EndDate: addDays(today, 400), Value: 999, PricingTier: t1.ID, Expired: true }],
    ['epsilon', { Name: 'Epsilon_test', StartDate: '2025-05-05', EndDate: addDays(today, 10), ContractNo: 'E-500', Value: 100 }],
    ['epsilonX', { Name: 'EpsilonXtest', StartDate: '2025-05-06', EndDate: addDays(today, 10), ContractNo: 'E-501', Value: 101 }],
  ];
  for (const [key, body] of rows) c[key] = (await s.newContract(customerId, body)).ID;
  c.other = (await s.newContract(otherCustomerId, { Name: 'Borealis Annual', StartDate: '2025-02-01', EndDate: null, ContractNo: 'H-1' })).ID;
});

const list = (query: Record<string, string | number> = {}) => s.get(s.contracts(customerId), query);
const ids = (res: ApiResponse) => {
  expect(res.status, res.text).toBe(200);
  return (res.body as Array<{ ID: number }>).map((r) => r.ID);
};
const keys = (...names: string[]) => names.map((n) => c[n]);

describe('field filters', () => {
  it('ID: exact, in(), !in(), ne(), lt()…', async () => {
    expect(ids(await list({ ID: c.beta! }))).toEqual(keys('beta'));
    expect(ids(await list({ ID: `in(${c.alpha},${c.gamma},${c.other})` }))).toEqual(keys('alpha', 'gamma'));
    expect(ids(await list({ ID: `!in(${c.alpha},${c.gamma})` }))).toEqual(keys('beta', 'delta', 'epsilon', 'epsilonX'));
    expect(ids(await list({ ID: `ne(${c.alpha})` }))).toHaveLength(5);
    expect(ids(await list({ ID: `lt(${c.gamma})` }))).toEqual(keys('alpha', 'beta'));
  });

  it('text: exact (case as stored), and % wildcards for contains, starts and ends (ignoring case), _ literal', async () => {
    expect(ids(await list({ Name: 'Beta Service' }))).toEqual(keys('beta'));
    expect(ids(await list({ Name: 'beta service' }))).toEqual([]);
    expect(ids(await list({ Name: '%Maintenance' }))).toEqual(keys('alpha', 'delta'));
    expect(ids(await list({ Name: 'alpha%' }))).toEqual(keys('alpha'));
    expect(ids(await list({ Name: '%TA%' }))).toEqual(keys('beta', 'delta'));
    expect(ids(await list({ Name: '%on_t%' }))).toEqual(keys('epsilon'));
    expect(ids(await list({ ContractNo: 'in(A-100,C-300)' }))).toEqual(keys('alpha', 'gamma'));
    expect(ids(await list({ ContractNo: '!in(A-100,C-300)' }))).toEqual(keys('beta', 'delta', 'epsilon', 'epsilonX'));
    expect(ids(await list({ ContractNo: 'ne(A-100)' }))).toEqual(keys('beta', 'gamma', 'delta', 'epsilon', 'epsilonX'));
  });

  it('null and ne(null) (also ne())', async () => {
    expect(ids(await list({ EndDate: 'null' }))).toEqual(keys('beta'));
    expect(ids(await list({ ContractNo: 'null' }))).toEqual(keys('delta'));
    expect(ids(await list({ EndDate: 'ne(null)' }))).toHaveLength(5);
    expect(ids(await list({ Email: 'ne()' }))).toEqual(keys('alpha'));
  });

  it('dates: exact, lt() le() gt() ge(), between()', async () => {
    expect(ids(await list({ StartDate: '2025-03-01' }))).toEqual(keys('beta'));
    expect(ids(await list({ StartDate: 'lt(2025-03-01)' }))).toEqual(keys('alpha', 'gamma'));
    expect(ids(await list({ StartDate: 'le(2025-03-01)' }))).toEqual(keys('alpha', 'beta', 'gamma'));
    expect(ids(await list({ StartDate: 'gt(2025-05-05)' }))).toEqual(keys('delta', 'epsilonX'));
    expect(ids(await list({ StartDate: 'ge(2025-05-05)' }))).toEqual(keys('delta', 'epsilon', 'epsilonX'));
    expect(ids(await list({ StartDate: 'between(2025-01-01,2025-05-05)' }))).toEqual(keys('alpha', 'beta', 'epsilon'));
    expect(ids(await list({ EndDate: `lt(${today})` }))).toEqual(keys('gamma'));
  });

  it('numbers, in the wire’s units: Value and the effective Markup', async () => {
    expect(ids(await list({ Value: 100 }))).toEqual(keys('alpha', 'epsilon'));
    expect(ids(await list({ Value: 'gt(100)' }))).toEqual(keys('beta', 'delta', 'epsilonX'));
    expect(ids(await list({ Value: 'between(100.5,300)' }))).toEqual(keys('beta', 'epsilonX'));
    expect(ids(await list({ Value: 'in(250.5,999)' }))).toEqual(keys('beta', 'delta'));
    // Markup null reads (and filters as) the tier's default
    expect(ids(await list({ Markup: 10 }))).toEqual(keys('alpha', 'delta'));
    expect(ids(await list({ Markup: 'le(5)' }))).toEqual(keys('beta', 'gamma', 'epsilon', 'epsilonX'));
  });

  it('nested columns by dot notation: PricingTier.ID, PricingTier.Name, Rates.ServiceFee.ID', async () => {
    expect(ids(await list({ 'PricingTier.ID': t1.ID }))).toEqual(keys('alpha', 'delta'));
    expect(ids(await list({ 'PricingTier.Name': '%2' }))).toEqual(keys('beta'));
    expect(ids(await list({ 'PricingTier.ID': 'null' }))).toEqual(keys('gamma', 'epsilon', 'epsilonX'));
    expect(ids(await list({ 'PricingTier.DefaultMarkup': 'ge(15)' }))).toEqual(keys('beta'));
    expect(ids(await list({ 'Rates.ServiceFee.ID': fee.ID }))).toEqual(keys('alpha'));
    expect(ids(await list({ 'Rates.ServiceFee.Name': 'Call-out' }))).toEqual(keys('alpha'));
  });

  it('the derived flags: Expired (set, or ended) and Archived (ended more than 90 days ago)', async () => {
    expect(ids(await list({ Expired: 'true' }))).toEqual(keys('gamma', 'delta'));
    expect(ids(await list({ Expired: 'false' }))).toEqual(keys('alpha', 'beta', 'epsilon', 'epsilonX'));
    expect(ids(await list({ Archived: 'true' }))).toEqual(keys('gamma'));
    expect(ids(await list({ Archived: 'ne(true)' }))).toHaveLength(5);
  });
});

describe('search', () => {
  it('all (the default): every filter must match; any: one must', async () => {
    const filters = { Name: 'Alpha Maintenance', ContractNo: 'B-200' };
    expect(ids(await list(filters))).toEqual([]);
    expect(ids(await list({ ...filters, search: 'all' }))).toEqual([]);
    expect(ids(await list({ ...filters, search: 'any' }))).toEqual(keys('alpha', 'beta'));
    // any stays within the customer
    expect(ids(await list({ ContractNo: 'H-1', Name: 'Beta Service', search: 'any' }))).toEqual(keys('beta'));
    expect(ids(await list({ Name: '%Maintenance', 'PricingTier.ID': t2.ID, search: 'any' }))).toEqual(keys('alpha', 'beta', 'delta'));
  });

  it('on the company-wide search: Customer.ID and Customer.CompanyName', async () => {
    const search = (q: Record<string, string | number>) => s.get(`${s.base}/customerContracts/`, q);
    expect(ids(await search({ 'Customer.ID': otherCustomerId }))).toEqual([c.other]);
    expect(ids(await search({ 'Customer.CompanyName': '%boreal%' }))).toEqual([c.other]);
    expect(ids(await search({ 'Customer.CompanyName': 'Acme%', ContractNo: 'H-1', search: 'any' }))).toHaveLength(7);
    expect(ids(await search({ 'Customer.GivenName': 'null' }))).toHaveLength(7);
    expect(ids(await search({ orderby: '-Customer.CompanyName,ID', pageSize: 1 }))).toEqual([c.other]);
  });
});

describe('columns, paging, limit and order', () => {
  it('columns returns the columns asked for, nested objects whole', async () => {
    const res = await list({ columns: 'ID,Value,PricingTier,Rates', ID: c.alpha! });
    expect(res.body).toEqual([{ ID: c.alpha, Value: 100, PricingTier: { ID: t1.ID, Name: 'Tier 1', DefaultMarkup: 10 }, Rates: { ServiceFee: { ID: fee.ID, Name: 'Call-out' } } }]);
    expect(Object.keys((await list({ columns: 'Name' })).body[0])).toEqual(['Name']);
    expectProblem(await list({ columns: 'ID,PricingTier.ID' }), 400);
  });

  it('pageSize and page, with Result-Total, Result-Pages and Result-Count', async () => {
    const page2 = await list({ pageSize: 4, page: 2 });
    expect(ids(page2)).toEqual(keys('epsilon', 'epsilonX'));
    expect([page2.headers.get('result-total'), page2.headers.get('result-pages'), page2.headers.get('result-count')]).toEqual(['6', '2', '2']);
    const beyond = await list({ pageSize: 4, page: 3 });
    expect(ids(beyond)).toEqual([]);
    expect([beyond.headers.get('result-total'), beyond.headers.get('result-count')]).toEqual(['6', '0']);
    expect((await list()).headers.get('result-pages')).toBe('1');
  });

  it('limit caps the records of the whole list; pages are cut from them', async () => {
    const limited = await list({ limit: 3 });
    expect(ids(limited)).toEqual(keys('alpha', 'beta', 'gamma'));
    expect([limited.headers.get('result-total'), limited.headers.get('result-pages'), limited.headers.get('result-count')]).toEqual(['3', '1', '3']);
    const second = await list({ limit: 5, pageSize: 2, page: 3 });
    expect(ids(second)).toEqual(keys('epsilon'));
    expect([second.headers.get('result-total'), second.headers.get('result-pages'), second.headers.get('result-count')]).toEqual(['5', '3', '1']);
    expect(ids(await list({ limit: 2, pageSize: 2, page: 2 }))).toEqual([]);
    expect((await list({ limit: 50 })).headers.get('result-total')).toBe('6');
    expect(ids(await list({ limit: 2, orderby: '-ID' }))).toEqual(keys('epsilonX', 'epsilon'));
  });

  it('orderby: columns in order, - for descending, the ID last', async () => {
    expect(ids(await list({ orderby: '-StartDate' }))).toEqual(keys('delta', 'epsilonX', 'epsilon', 'beta', 'alpha', 'gamma'));
    expect(ids(await list({ orderby: 'Value,-ID', Value: 'ne(null)' }))).toEqual(keys('epsilon', 'alpha', 'epsilonX', 'beta', 'delta'));
    expect(ids(await list({ orderby: '-PricingTier.Name,Name' }))).toEqual(keys('beta', 'alpha', 'delta', 'epsilonX', 'epsilon', 'gamma'));
    expect(ids(await list({ orderby: '-Markup,ID' }))).toEqual(keys('alpha', 'delta', 'beta', 'gamma', 'epsilon', 'epsilonX'));
  });
});

describe('what the grammar refuses: a 400 naming the parameter', () => {
  it('unknown parameters and columns, repeats, bad values, out-of-range paging, columns it cannot order by', async () => {
    const cases: Array<[string, string]> = [
      ['Colour=red', 'query.Colour'],
      ['PricingTier=3', 'query.PricingTier'],
      ['CustomFields=x', 'query.CustomFields'],
      ['ID=1&ID=2', 'query.ID'],
      ['ID=abc', 'query.ID'],
      ['StartDate=2025-02-30', 'query.StartDate'],
      ['StartDate=between(2025-01-01)', 'query.StartDate'],
      ['Value=in(1,,2)', 'query.Value'],
      ['Expired=maybe', 'query.Expired'],
      ['Name=', 'query.Name'],
      ['columns=Colour', 'query.columns'],
      ['orderby=Expired', 'query.orderby'],
      ['orderby=Colour', 'query.orderby'],
      ['pageSize=251', 'query.pageSize'],
      ['pageSize=0', 'query.pageSize'],
      ['page=0', 'query.page'],
      ['limit=0', 'query.limit'],
      ['search=either', 'query.search'],
    ];
    for (const [query, path] of cases) {
      const problem = expectProblem(await s.get(`${s.contracts(customerId)}?${query}`), 400);
      expect(problem.errors?.[0]?.path, query).toBe(path);
    }
  });
});

describe('the grammar on the setup lists', () => {
  it('filters, orders and pages pricing tiers, asset types and service levels', async () => {
    const tiers = await s.get(`${s.base}/setup/materials/pricingTiers/`, { DefaultMarkup: 'gt(15)' });
    expect(tiers.body).toEqual([{ ID: t2.ID, Name: 'Tier 2', DisplayOrder: 0 }]);
    await s.assetType({ Name: 'Fire Extinguisher', Reference: { Section: '11', Standard: 'AS1851.2012' } });
    const hose = await s.assetType({ Name: 'Hose Reel', Reference: { Section: '12', Standard: 'AS1851.2012' } });
    const types = await s.get(`${s.base}/setup/assetTypes/`, { 'Reference.Section': 'ge(12)', columns: 'ID,Reference' });
    expect(types.body).toEqual([{ ID: hose.ID, Reference: { Section: '12', Standard: 'AS1851.2012' } }]);
    await s.serviceLevel({ Name: 'Monthly', Years: 0, Months: 1 });
    await s.serviceLevel({ Name: 'Annual', Years: 1 });
    const levels = await s.get(`${s.base}/setup/assets/serviceLevels/`, { orderby: '-Name', pageSize: 1 });
    expect(levels.body.map((l: any) => l.Name)).toEqual(['Monthly']);
    expect(levels.headers.get('result-total')).toBe('2');
  });
});
