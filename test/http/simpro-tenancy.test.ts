/**
 * Tenancy through the simPRO surface: another owner's token sees nothing of an
 * owner's company — every read, list and write of its paths is a 404 and writes
 * nothing; its own company's lists never hold the owner's rows, even filtered
 * by their ids; its bodies cannot name the owner's setup objects.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as make from '../helpers/factories';
import { changedTables, fingerprint } from '../helpers/fingerprint';
import { type Client, expectProblem, type Harness, harness, type Owner, signTestToken } from '../helpers/harness';
import { type Simpro, simproOf } from '../helpers/simpro';

let h: Harness;
let a: Owner;
let b: Owner;
let as: Simpro;
/** B's client, addressing its own company by 0 */
let bs: Simpro;
const ids = {} as Record<'customer' | 'tier' | 'fee' | 'level' | 'type' | 'field' | 'contract' | 'bCustomer', number>;

beforeAll(async () => {
  h = await harness();
  a = await h.newOwner();
  b = await h.newOwner();
  as = simproOf(a);
  bs = simproOf(b, 0);
  ids.customer = (await make.customer(a)).id;
  ids.tier = (await as.pricingTier()).ID;
  ids.fee = (await as.serviceFee()).ID;
  ids.level = (await as.serviceLevel()).ID;
  ids.type = (await as.assetType()).ID;
  await as.link(ids.type, ids.level);
  ids.field = (await as.customField()).ID;
  ids.contract = (await as.newContract(ids.customer, { PricingTier: ids.tier, Rates: { ServiceFee: ids.fee } })).ID;
  await as.patch(`${as.contract(ids.customer, ids.contract)}/serviceLevels/${ids.level}/assetTypes/${ids.type}`, { ChargeRate: 100 });
  await as.patch(`${as.contract(ids.customer, ids.contract)}/customFields/${ids.field}`, { Value: 'A' });
  // B's own company, with a customer of its own
  ids.bCustomer = (await make.customer(b)).id;
});

/** Every path of A's company, with a body for the writes. */
function pathsOfA(): Array<[string, string, unknown?]> {
  const base = `/api/v1.0/companies/${a.id}`;
  const contracts = `${base}/customers/${ids.customer}/contracts/`;
  const contract = `${contracts}${ids.contract}`;
  const setup = `${base}/setup`;
  return [
    ['GET', contracts],
    ['POST', contracts, { Name: 'x' }],
    ['GET', contract],
    ['PATCH', contract, { Name: 'x' }],
    ['DELETE', contract],
    ['GET', `${base}/customerContracts/`],
    ['GET', `${contract}/customFields/`],
    ['GET', `${contract}/customFields/${ids.field}`],
    ['PATCH', `${contract}/customFields/${ids.field}`, { Value: 'B' }],
    ['GET', `${contract}/serviceLevels/`],
    ['GET', `${contract}/serviceLevels/${ids.level}/assetTypes/${ids.type}`],
    ['PATCH', `${contract}/serviceLevels/${ids.level}/assetTypes/${ids.type}`, { ChargeRate: 1 }],
    ['GET', `${setup}/customFields/customerContracts/`],
    ['POST', `${setup}/customFields/customerContracts/`, { Name: 'x', Type: 'Text' }],
    ['GET', `${setup}/customFields/customerContracts/${ids.field}`],
    ['PATCH', `${setup}/customFields/customerContracts/${ids.field}`, { Name: 'x' }],
    ['DELETE', `${setup}/customFields/customerContracts/${ids.field}`],
    ['GET', `${setup}/materials/pricingTiers/`],
    ['POST', `${setup}/materials/pricingTiers/`, { Name: 'x' }],
    ['GET', `${setup}/materials/pricingTiers/${ids.tier}`],
    ['PATCH', `${setup}/materials/pricingTiers/${ids.tier}`, { Name: 'x' }],
    ['DELETE', `${setup}/materials/pricingTiers/${ids.tier}`],
    ['GET', `${setup}/labor/serviceFees/`],
    ['GET', `${setup}/labor/serviceFees/${ids.fee}`],
    ['PATCH', `${setup}/labor/serviceFees/${ids.fee}`, { Name: 'x' }],
    ['GET', `${setup}/assets/serviceLevels/`],
    ['GET', `${setup}/assets/serviceLevels/${ids.level}`],
    ['DELETE', `${setup}/assets/serviceLevels/${ids.level}`],
    ['GET', `${setup}/assetTypes/`],
    ['GET', `${setup}/assetTypes/${ids.type}`],
    ['PATCH', `${setup}/assetTypes/${ids.type}`, { Name: 'x' }],
    ['GET', `${setup}/assetTypes/${ids.type}/serviceLevels/`],
    ['POST', `${setup}/assetTypes/${ids.type}/serviceLevels/`, { ServiceLevel: ids.level }],
    ['GET', `${setup}/assetTypes/${ids.type}/serviceLevels/${ids.level}`],
    ['PATCH', `${setup}/assetTypes/${ids.type}/serviceLevels/${ids.level}`, { DisplayOrder: 3 }],
    ['DELETE', `${setup}/assetTypes/${ids.type}/serviceLevels/${ids.level}`],
  ];
}

describe('another owner’s token', () => {
  it('gets a 404 on every path of the owner’s company, and writes nothing', async () => {
    const before = await fingerprint(h.runtime.deps.database, a.id);
    for (const [method, path, body] of pathsOfA()) {
      const res = await b.api.request(method, path, body === undefined ? {} : { body });
      expectProblem(res, 404);
    }
    expect(changedTables(before, await fingerprint(h.runtime.deps.database, a.id))).toEqual([]);
    // the same paths answer the owner
    for (const [method, path] of pathsOfA().filter(([m]) => m === 'GET')) expect((await a.api.request(method, path)).status, path).toBe(200);
  });

  it('cannot reach the owner’s customer or contract through its own company either', async () => {
    expectProblem(await bs.get(bs.contracts(ids.customer)), 404);
    expectProblem(await bs.post(bs.contracts(ids.customer), {}), 404);
    expectProblem(await bs.get(bs.contract(ids.customer, ids.contract)), 404);
    expectProblem(await bs.get(bs.contract(ids.bCustomer, ids.contract)), 404);
    expectProblem(await bs.get(`${bs.contract(ids.bCustomer, ids.contract)}/customFields/`), 404);
    expectProblem(await bs.get(`${bs.base}/setup/assetTypes/${ids.type}/serviceLevels/`), 404);
    expectProblem(await bs.get(`${bs.base}/setup/materials/pricingTiers/${ids.tier}`), 404);
  });

  it('lists nothing of the owner’s in its own company, even filtered by the owner’s ids', async () => {
    const lists: Array<[string, Record<string, string | number>]> = [
      [`${bs.base}/customerContracts/`, { ID: `in(${ids.contract})` }],
      [`${bs.base}/customerContracts/`, { 'PricingTier.ID': ids.tier }],
      [`${bs.base}/customerContracts/`, { 'Customer.ID': ids.customer, search: 'any', Name: '%' }],
      [bs.contracts(ids.bCustomer), { ID: ids.contract }],
      [`${bs.base}/setup/materials/pricingTiers/`, { ID: ids.tier }],
      [`${bs.base}/setup/labor/serviceFees/`, {}],
      [`${bs.base}/setup/assets/serviceLevels/`, { ID: `in(${ids.level})` }],
      [`${bs.base}/setup/assetTypes/`, {}],
      [`${bs.base}/setup/customFields/customerContracts/`, {}],
    ];
    for (const [path, query] of lists) {
      const res = await bs.get(path, query);
      expect(res.status, path).toBe(200);
      expect(res.body, `${path} ${JSON.stringify(query)}`).toEqual([]);
      expect(res.headers.get('result-total')).toBe('0');
    }
    // B's own contract shows no custom field or service level of A's
    const mine = await bs.newContract(ids.bCustomer);
    const full = (await bs.get(bs.contract(ids.bCustomer, mine.ID))).body;
    expect(full.CustomFields).toEqual([]);
    expect(full.ServiceLevels).toEqual([]);
    expect((await bs.get(`${bs.contract(ids.bCustomer, mine.ID)}/serviceLevels/`)).body).toEqual([]);
    expectProblem(await bs.get(`${bs.contract(ids.bCustomer, mine.ID)}/customFields/${ids.field}`), 404);
    expectProblem(await bs.get(`${bs.contract(ids.bCustomer, mine.ID)}/serviceLevels/${ids.level}/assetTypes/${ids.type}`), 404);
  });

  it('cannot name the owner’s setup objects in its bodies (422 naming the field), and writes nothing', async () => {
    const contract = await bs.newContract(ids.bCustomer);
    const before = await fingerprint(h.runtime.deps.database);
    const cases: Array<[string, string, Record<string, unknown>, string]> = [
      ['POST', bs.contracts(ids.bCustomer), { PricingTier: ids.tier }, '/PricingTier'],
      ['POST', bs.contracts(ids.bCustomer), { Rates: { ServiceFee: ids.fee } }, '/Rates/ServiceFee'],
      ['PATCH', bs.contract(ids.bCustomer, contract.ID), { PricingTier: ids.tier }, '/PricingTier'],
    ];
    for (const [method, path, body, field] of cases) {
      const problem = expectProblem(await b.api.request(method, path, { body }), 422);
      expect(problem.errors[0].path).toBe(field);
    }
    expect(changedTables(before, await fingerprint(h.runtime.deps.database))).toEqual([]);
    const type = await bs.assetType();
    const snapshot = await fingerprint(h.runtime.deps.database);
    expect(expectProblem(await bs.post(`${bs.base}/setup/assetTypes/${type.ID}/serviceLevels/`, { ServiceLevel: ids.level }), 422).errors[0].path).toBe('/ServiceLevel');
    expect(changedTables(snapshot, await fingerprint(h.runtime.deps.database))).toEqual([]);
  });
});

describe('a token acting for both owners', () => {
  let both: Client;
  beforeAll(async () => {
    both = h.client(await signTestToken({ owners: [a.id, b.id], scope: '*' }));
  });

  it('sees each company’s own rows under its id, and must name the company (0 is a 400)', async () => {
    const aTiers = await both.get(`/api/v1.0/companies/${a.id}/setup/materials/pricingTiers/`);
    expect(aTiers.body.map((t: any) => t.ID)).toEqual([ids.tier]);
    expect((await both.get(`/api/v1.0/companies/${b.id}/setup/materials/pricingTiers/`)).body).toEqual([]);
    expect((await both.get(`/api/v1.0/companies/${b.id}/customerContracts/`, { ID: ids.contract })).body).toEqual([]);
    expectProblem(await both.get('/api/v1.0/companies/0/customerContracts/'), 400);
    // the owner's customer is not a customer of the other company
    expectProblem(await both.get(`/api/v1.0/companies/${b.id}/customers/${ids.customer}/contracts/`), 404);
  });

  it('may not mix the companies: a contract of one naming the other’s pricing tier is a 422', async () => {
    const problem = expectProblem(await both.request('POST', `/api/v1.0/companies/${b.id}/customers/${ids.bCustomer}/contracts/`, { body: { PricingTier: ids.tier } }), 422);
    expect(problem.errors[0].path).toBe('/PricingTier');
  });
});
