/**
 * simPRO customer contracts (seed 002), called the way simPRO's documentation
 * shows: its example bodies verbatim (with real ids for PricingTier and
 * Rates.ServiceFee), checked against its documented response shapes — every
 * field and its type. Plus the sub-resources (custom fields, service levels,
 * labor rates), the company-wide search, companyID 0, and the cross-check with
 * /v1 both ways.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayIn } from '../../src/domain/dates';
import * as make from '../helpers/factories';
import { expectProblem, type Harness, harness, type Owner, signTestToken } from '../helpers/harness';
import { type Simpro, simproOf } from '../helpers/simpro';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

const today = () => todayIn('Europe/London');

/** The seed's POST/PATCH body, verbatim but for the ids. */
const seedBody = (pricingTier: number, serviceFee: number) => ({
  Name: 'string',
  StartDate: '2021-04-22',
  EndDate: '2021-04-22',
  ContractNo: 'string',
  Value: 1.57,
  Notes: 'string',
  Email: 'address@example.com',
  Expired: true,
  PricingTier: pricingTier,
  Markup: 0,
  Rates: {
    ServiceFee: serviceFee,
  },
});

const FULL = ['ID', 'Name', 'StartDate', 'EndDate', 'ContractNo', 'Value', 'Notes', 'Email', 'Archived', 'Expired', 'PricingTier', 'Markup', 'Rates', 'CustomFields', 'ServiceLevels'];
const LIST = ['ID', 'Name', 'StartDate', 'EndDate', 'ContractNo', 'Expired'];
const isDateOrNull = (v: unknown) => v === null || (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v));
const isInt = (v: unknown) => Number.isInteger(v);

/** The documented response schema of a full contract (seed 002, 200/201 Response Schema), field by field. */
function expectFullContract(c: any) {
  expect(Object.keys(c)).toEqual(FULL);
  expect(isInt(c.ID)).toBe(true);
  expect(typeof c.Name).toBe('string');
  expect(isDateOrNull(c.StartDate)).toBe(true);
  expect(isDateOrNull(c.EndDate)).toBe(true);
  for (const f of ['ContractNo', 'Notes', 'Email']) expect(typeof c[f], f).toBe('string');
  for (const f of ['Value', 'Markup']) expect(typeof c[f], f).toBe('number');
  for (const f of ['Archived', 'Expired']) expect(typeof c[f], f).toBe('boolean');
  if (c.PricingTier !== null) {
    expect(Object.keys(c.PricingTier)).toEqual(['ID', 'Name', 'DefaultMarkup']);
    expect(isInt(c.PricingTier.ID)).toBe(true);
    expect(typeof c.PricingTier.Name).toBe('string');
    expect(typeof c.PricingTier.DefaultMarkup).toBe('number');
  }
  expect(Object.keys(c.Rates)).toEqual(['ServiceFee']);
  if (c.Rates.ServiceFee !== null) {
    expect(Object.keys(c.Rates.ServiceFee)).toEqual(['ID', 'Name']);
    expect(isInt(c.Rates.ServiceFee.ID)).toBe(true);
  }
  expect(Array.isArray(c.CustomFields)).toBe(true);
  for (const f of c.CustomFields) {
    expect(Object.keys(f)).toEqual(['CustomField', 'Value']);
    expect(Object.keys(f.CustomField)).toEqual(['ID', 'Name', 'Type', 'ListItems', 'IsMandatory']);
    expect(['Text', 'Date', 'List', 'Numeric', 'Hyperlink']).toContain(f.CustomField.Type);
    expect(f.CustomField.ListItems === null || Array.isArray(f.CustomField.ListItems)).toBe(true);
    expect(typeof f.CustomField.IsMandatory).toBe('boolean');
    expect(f.Value === null || typeof f.Value === 'string').toBe(true);
  }
  expect(Array.isArray(c.ServiceLevels)).toBe(true);
  for (const l of c.ServiceLevels) {
    expect(Object.keys(l)).toEqual(['ServiceLevel', 'AssetType']);
    expect(Object.keys(l.ServiceLevel)).toEqual(['ID', 'Name', 'Prebuild', 'Time', 'ChargeRate']);
    expect(l.ServiceLevel.Prebuild).toBeNull();
    expect(typeof l.ServiceLevel.Time).toBe('number');
    expect(typeof l.ServiceLevel.ChargeRate).toBe('number');
    expect(Object.keys(l.AssetType)).toEqual(['ID', 'Name']);
  }
}

interface Setup {
  owner: Owner;
  s: Simpro;
  customer: any;
  tier: any;
  fee: any;
}

async function setup(company?: number | string): Promise<Setup> {
  const owner = await h.newOwner();
  const s = simproOf(owner, company ?? owner.id);
  const customer = await make.customer(owner);
  const tier = await s.pricingTier();
  const fee = await s.serviceFee();
  return { owner, s, customer, tier, fee };
}

describe('customer contracts as simPRO documents them', () => {
  it('POST with the documented body: 201, the full object in the documented shape, and its Location', async () => {
    const { s, customer, tier, fee } = await setup();
    const res = await s.post(s.contracts(customer.id), seedBody(tier.ID, fee.ID));
    expect(res.status, res.text).toBe(201);
    expectFullContract(res.body);
    expect(res.body).toMatchObject({
      Name: 'string',
      StartDate: '2021-04-22',
      EndDate: '2021-04-22',
      ContractNo: 'string',
      Value: 1.57,
      Notes: 'string',
      Email: 'address@example.com',
      Archived: true,
      Expired: true,
      PricingTier: { ID: tier.ID, Name: 'Tier 1 (Service name)', DefaultMarkup: 10 },
      Markup: 0,
      Rates: { ServiceFee: { ID: fee.ID, Name: 'Call-out fee' } },
      CustomFields: [],
      ServiceLevels: [],
    });
    expect(res.headers.get('location')).toBe(s.contract(customer.id, res.body.ID));
    expect((await s.get(res.headers.get('location')!)).body).toEqual(res.body);
  });

  it('GET list: the documented list shape (ID, Name, StartDate, EndDate, ContractNo, Expired) and Result-* headers', async () => {
    const { s, customer, tier, fee } = await setup();
    const created = await s.create(s.contracts(customer.id), seedBody(tier.ID, fee.ID));
    await s.newContract(customer.id, { StartDate: '2026-01-01', EndDate: null });
    const res = await s.get(s.contracts(customer.id));
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(2);
    for (const item of res.body) {
      expect(Object.keys(item)).toEqual(LIST);
      expect(isInt(item.ID)).toBe(true);
      expect(typeof item.Name).toBe('string');
      expect(isDateOrNull(item.StartDate) && isDateOrNull(item.EndDate)).toBe(true);
      expect(typeof item.ContractNo).toBe('string');
      expect(typeof item.Expired).toBe('boolean');
    }
    expect(res.body[0]).toEqual({ ID: created.ID, Name: 'string', StartDate: '2021-04-22', EndDate: '2021-04-22', ContractNo: 'string', Expired: true });
    expect(res.body[1]).toMatchObject({ EndDate: null, ContractNo: '', Expired: false });
    expect([res.headers.get('result-total'), res.headers.get('result-pages'), res.headers.get('result-count')]).toEqual(['2', '1', '2']);
  });

  it('GET item: the full object; columns narrows it (in the order asked), an unknown column is a 400 naming it', async () => {
    const { s, customer, tier, fee } = await setup();
    const c = await s.create(s.contracts(customer.id), seedBody(tier.ID, fee.ID));
    const full = await s.get(s.contract(customer.id, c.ID));
    expect(full.status).toBe(200);
    expectFullContract(full.body);
    expect(full.headers.get('etag')).toBe('"1"');
    const some = await s.get(s.contract(customer.id, c.ID), { columns: 'Rates,Name,ID' });
    expect(some.body).toEqual({ Rates: { ServiceFee: { ID: fee.ID, Name: 'Call-out fee' } }, Name: 'string', ID: c.ID });
    const bad = expectProblem(await s.get(s.contract(customer.id, c.ID), { columns: 'Name,Colour' }), 400);
    expect(bad.errors[0]).toMatchObject({ path: 'query.columns', message: expect.stringContaining('"Colour"') });
    expectProblem(await s.get(s.contract(customer.id, c.ID), { page: 2 }), 400);
  });

  it('PATCH with the documented body (a partial JSON object): 204, and the contract reads the change', async () => {
    const { s, customer, tier, fee } = await setup();
    const c = await s.newContract(customer.id, { StartDate: '2026-01-01' });
    const res = await s.patch(s.contract(customer.id, c.ID), seedBody(tier.ID, fee.ID));
    expect(res.status, res.text).toBe(204);
    expect(res.text).toBe('');
    const after = (await s.get(s.contract(customer.id, c.ID))).body;
    expect(after).toMatchObject({ ...seedBody(tier.ID, fee.ID), PricingTier: { ID: tier.ID }, Rates: { ServiceFee: { ID: fee.ID } } });
    // one field only; the rest stay
    expect((await s.patch(s.contract(customer.id, c.ID), { Notes: 'keys at reception' })).status).toBe(204);
    expect((await s.get(s.contract(customer.id, c.ID))).body).toMatchObject({ Notes: 'keys at reception', Name: 'string', ContractNo: 'string' });
    // clearing: "" and null
    expect((await s.patch(s.contract(customer.id, c.ID), { Email: '', ContractNo: null, PricingTier: null, Rates: { ServiceFee: null }, EndDate: null })).status).toBe(204);
    expect((await s.get(s.contract(customer.id, c.ID))).body).toMatchObject({ Email: '', ContractNo: '', PricingTier: null, Markup: 0, Rates: { ServiceFee: null }, EndDate: null });
    // an empty object changes nothing
    expect((await s.patch(s.contract(customer.id, c.ID), {})).status).toBe(204);
  });

  it('DELETE: 204, then the contract is a 404 on GET, PATCH and DELETE', async () => {
    const { s, customer } = await setup();
    const c = await s.newContract(customer.id);
    const res = await s.delete(s.contract(customer.id, c.ID));
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expectProblem(await s.get(s.contract(customer.id, c.ID)), 404);
    expectProblem(await s.patch(s.contract(customer.id, c.ID), { Name: 'x' }), 404);
    expectProblem(await s.delete(s.contract(customer.id, c.ID)), 404);
  });

  it('answers 404 for the other form of a path: a collection without its trailing slash, an item with one', async () => {
    const { s, customer } = await setup();
    const c = await s.newContract(customer.id);
    expectProblem(await s.get(s.contracts(customer.id).slice(0, -1)), 404);
    expectProblem(await s.post(s.contracts(customer.id).slice(0, -1), { Name: 'x' }), 404);
    expectProblem(await s.get(`${s.contract(customer.id, c.ID)}/`), 404);
    expectProblem(await s.get(`${s.base}/customerContracts`), 404);
    expectProblem(await s.get(`${s.base}/setup/assetTypes`), 404);
  });

  it('a contract of another customer, or of no customer, is a 404; so is a customer of nobody', async () => {
    const { owner, s, customer } = await setup();
    const other = await make.customer(owner);
    const c = await s.newContract(customer.id);
    expectProblem(await s.get(s.contract(other.id, c.ID)), 404);
    expectProblem(await s.get(s.contract(customer.id, 987654321)), 404);
    expectProblem(await s.get(s.contracts(987654321)), 404);
    expectProblem(await s.post(s.contracts(987654321), {}), 404);
  });

  it('POST {}: no profile, open-ended, starting on the owner’s today, named after the customer', async () => {
    const { s, customer } = await setup();
    const res = await s.post(s.contracts(customer.id), {});
    expect(res.status, res.text).toBe(201);
    expectFullContract(res.body);
    expect(res.body).toMatchObject({ Name: customer.customerName, StartDate: today(), EndDate: null, Expired: false, Archived: false, PricingTier: null, Markup: 0, Value: 0 });
    expect((await s.post(s.contracts(customer.id), { StartDate: null })).body.StartDate).toBe(today());
  });

  it('an invalid body is a 422 naming the fields (unknown ones too), and writes nothing', async () => {
    const { s, customer, tier } = await setup();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ Colour: 'red' }, '/Colour'],
      [{ Email: 'not-an-email' }, '/Email'],
      [{ StartDate: '2025-02-30' }, '/StartDate'],
      [{ Value: 'lots' }, '/Value'],
      [{ PricingTier: 0 }, '/PricingTier'],
      [{ PricingTier: 987654321 }, '/PricingTier'],
      [{ Rates: { ServiceFee: 987654321 } }, '/Rates/ServiceFee'],
      [{ Rates: { LaborRate: 1 } }, '/Rates/LaborRate'],
      [{ Name: '' }, '/Name'],
      [{ StartDate: '2025-06-01', EndDate: '2025-05-01' }, '/EndDate'],
      [{ Markup: 'ten' }, '/Markup'],
      [{ ContractProfileID: 987654321 }, '/ContractProfileID'],
    ];
    for (const [body, path] of cases) {
      const problem = expectProblem(await s.post(s.contracts(customer.id), body), 422);
      expect(problem.errors?.map((e: any) => e.path), JSON.stringify(body)).toContain(path);
    }
    expect((await s.get(s.contracts(customer.id))).body).toEqual([]);
    // PATCH likewise
    const c = await s.newContract(customer.id, { PricingTier: tier.ID });
    const problem = expectProblem(await s.patch(s.contract(customer.id, c.ID), { Email: 'nope', Foo: 1 }), 422);
    expect(problem.errors.map((e: any) => e.path)).toEqual(['/Email', '/Foo']);
    expectProblem(await s.patch(s.contract(customer.id, c.ID), { StartDate: null }), 422);
  });

  it('a body that is not JSON is a 415; broken JSON is a 400', async () => {
    const { s, customer } = await setup();
    expectProblem(await s.api.request('POST', s.contracts(customer.id), { raw: 'Name=x', contentType: 'application/x-www-form-urlencoded' }), 415);
    expectProblem(await s.api.request('POST', s.contracts(customer.id), {}), 415);
    expectProblem(await s.api.request('POST', s.contracts(customer.id), { raw: '{"Name":', contentType: 'application/json' }), 400);
    const c = await s.newContract(customer.id);
    expectProblem(await s.api.patch(s.contract(customer.id, c.ID), [{ op: 'replace', path: '/Name', value: 'x' }]), 415);
  });

  it('Markup null reads the pricing tier’s default; a tier’s change shows through', async () => {
    const { s, customer, tier } = await setup();
    const c = await s.newContract(customer.id, { PricingTier: tier.ID });
    expect((await s.get(s.contract(customer.id, c.ID))).body).toMatchObject({ Markup: 10, PricingTier: { ID: tier.ID, DefaultMarkup: 10 } });
    await s.patch(`${s.base}/setup/materials/pricingTiers/${tier.ID}`, { DefaultMarkup: 12.5 });
    expect((await s.get(s.contract(customer.id, c.ID))).body.Markup).toBe(12.5);
    await s.patch(s.contract(customer.id, c.ID), { Markup: 7.25 });
    expect((await s.get(s.contract(customer.id, c.ID))).body.Markup).toBe(7.25);
    await s.patch(s.contract(customer.id, c.ID), { Markup: null });
    expect((await s.get(s.contract(customer.id, c.ID))).body.Markup).toBe(12.5);
    // a tier in use cannot go
    expectProblem(await s.delete(`${s.base}/setup/materials/pricingTiers/${tier.ID}`), 409);
  });

  it('Expired is settable and true once the end date has passed; Archived once it ended more than 90 days ago', async () => {
    const { s, customer } = await setup();
    const t = today();
    const open = await s.newContract(customer.id, { StartDate: '2020-01-01', EndDate: null });
    const ended = await s.newContract(customer.id, { StartDate: '2020-01-01', EndDate: addDays(t, -1) });
    const ninety = await s.newContract(customer.id, { StartDate: '2020-01-01', EndDate: addDays(t, -90) });
    const old = await s.newContract(customer.id, { StartDate: '2020-01-01', EndDate: addDays(t, -91) });
    const flags = async (id: number) => {
      const { Expired, Archived } = (await s.get(s.contract(customer.id, id))).body;
      return { Expired, Archived };
    };
    expect(await flags(open.ID)).toEqual({ Expired: false, Archived: false });
    expect(await flags(ended.ID)).toEqual({ Expired: true, Archived: false });
    expect(await flags(ninety.ID)).toEqual({ Expired: true, Archived: false });
    expect(await flags(old.ID)).toEqual({ Expired: true, Archived: true });
    await s.patch(s.contract(customer.id, open.ID), { Expired: true });
    expect(await flags(open.ID)).toEqual({ Expired: true, Archived: false });
    // clearing the flag does not make an ended contract current
    await s.patch(s.contract(customer.id, ended.ID), { Expired: false });
    expect(await flags(ended.ID)).toEqual({ Expired: true, Archived: false });
    // Archived is read-only
    expectProblem(await s.patch(s.contract(customer.id, open.ID), { Archived: false }), 422);
  });

  it('ContractProfileID (an extension): the profile’s term gives the end date, and its rules apply once billing starts', async () => {
    const { owner, s, customer } = await setup();
    const profile = await make.contractProfile(owner, { contractTerm: 12 });
    const c = await s.create(s.contracts(customer.id), { Name: 'Termed', StartDate: '2025-01-01', ContractProfileID: profile.id });
    expect(c).toMatchObject({ StartDate: '2025-01-01', EndDate: '2025-12-31' });
    const v1 = (await owner.api.get(`/v1/customer-contracts/${c.ID}`)).body;
    expect(v1).toMatchObject({ contractProfileId: profile.id, endDate: '2025-12-31' });
    // billing has started: the name is fixed (the /v1 rule), in simPRO's field names
    const problem = expectProblem(await s.patch(s.contract(customer.id, c.ID), { Name: 'Renamed' }), 422);
    expect(problem.errors[0].path).toBe('/Name');
    // the same value is no change
    expect((await s.patch(s.contract(customer.id, c.ID), { Name: 'Termed', EndDate: '2025-12-31' })).status).toBe(204);
    expectProblem(await s.post(s.contracts(customer.id), { ContractProfileID: profile.id, EndDate: null }), 422);
  });

  it('If-Match: PATCH and DELETE of another version are 412; the current ETag passes', async () => {
    const { s, customer } = await setup();
    const c = await s.newContract(customer.id);
    expectProblem(await s.patch(s.contract(customer.id, c.ID), { Notes: 'x' }, { 'if-match': '"9"' }), 412);
    expectProblem(await s.delete(s.contract(customer.id, c.ID), { 'if-match': '"9"' }), 412);
    expect((await s.patch(s.contract(customer.id, c.ID), { Notes: 'x' }, { 'if-match': '"1"' })).status).toBe(204);
    expect((await s.get(s.contract(customer.id, c.ID))).headers.get('etag')).toBe('"2"');
  });

  it('answers 405 with Allow for a method a path does not have', async () => {
    const { s, customer } = await setup();
    const res = await s.api.request('PUT', s.contracts(customer.id), { body: {} });
    expectProblem(res, 405);
    expect(res.headers.get('allow')).toBe('GET, HEAD, POST');
    expect((await s.api.request('POST', `${s.base}/customerContracts/`, { body: {} })).status).toBe(405);
  });
});

describe('the company-wide contract search', () => {
  it('lists every contract of the company with its Customer and _href', async () => {
    const { owner, s, customer } = await setup();
    const second = await make.customer(owner, { customerName: 'John Smith Pty Ltd' });
    const a = await s.newContract(customer.id, { ContractNo: 'A-1' });
    const b = await s.newContract(second.id, { ContractNo: 'B-1' });
    const res = await s.get(`${s.base}/customerContracts/`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      {
        ID: a.ID,
        Name: 'Annual maintenance',
        StartDate: today(),
        EndDate: null,
        ContractNo: 'A-1',
        Expired: false,
        Customer: { ID: customer.id, CompanyName: customer.customerName, GivenName: '', FamilyName: '' },
        _href: `/api/v1.0/companies/${owner.id}/customers/${customer.id}/contracts/${a.ID}`,
      },
      {
        ID: b.ID,
        Name: 'Annual maintenance',
        StartDate: today(),
        EndDate: null,
        ContractNo: 'B-1',
        Expired: false,
        Customer: { ID: second.id, CompanyName: 'John Smith Pty Ltd', GivenName: '', FamilyName: '' },
        _href: `/api/v1.0/companies/${owner.id}/customers/${second.id}/contracts/${b.ID}`,
      },
    ]);
    // _href answers
    expect((await s.get(res.body[1]._href)).body.ContractNo).toBe('B-1');
    // a nested filter on the customer, as the seed shows (% sent as %25)
    const smith = await s.get(`${s.base}/customerContracts/?Customer.CompanyName=%25Smith%25`);
    expect(smith.body.map((c: any) => c.ID)).toEqual([b.ID]);
    expect((await s.get(`${s.base}/customerContracts/`, { columns: 'ID' })).body).toEqual([
      { ID: a.ID, _href: expect.any(String) },
      { ID: b.ID, _href: expect.any(String) },
    ]);
  });
});

describe('companyID', () => {
  it('0 names the token’s only owner, and its hrefs keep 0', async () => {
    const { s, customer } = await setup(0);
    const c = await s.create(s.contracts(customer.id), { Name: 'Via zero' });
    expect(s.base).toBe('/api/v1.0/companies/0');
    const search = await s.get(`${s.base}/customerContracts/`);
    expect(search.body[0]._href).toBe(`/api/v1.0/companies/0/customers/${customer.id}/contracts/${c.ID}`);
  });

  it('0 is a 400 for a token acting for several owners, or for all', async () => {
    const a = await h.newOwner();
    const b = await h.newOwner();
    const both = h.client(await signTestToken({ owners: [a.id, b.id], scope: '*' }));
    for (const client of [both, h.admin]) {
      const problem = expectProblem(await client.get('/api/v1.0/companies/0/setup/assetTypes/'), 400);
      expect(problem.errors[0].path).toBe('path.companyID');
    }
    // with the owner's id it answers
    expect((await both.get(`/api/v1.0/companies/${b.id}/setup/assetTypes/`)).status).toBe(200);
    expect((await h.admin.get(`/api/v1.0/companies/${a.id}/setup/assetTypes/`)).status).toBe(200);
  });

  it('an owner that does not exist, or a malformed id, is refused', async () => {
    expectProblem(await h.admin.get('/api/v1.0/companies/987654321/setup/assetTypes/'), 404);
    expectProblem(await h.admin.get('/api/v1.0/companies/abc/setup/assetTypes/'), 400);
    expectProblem(await h.admin.get('/api/v1.0/companies/-1/setup/assetTypes/'), 400);
  });
});

describe('contract custom fields', () => {
  it('lists every field of the company with this contract’s value; GET and PATCH {Value} one', async () => {
    const { s, customer } = await setup();
    const access = await s.customField({ Name: 'Site access code', Type: 'Text', Order: 2 });
    const tier = await s.customField({ Name: 'Service tier', Type: 'List', ListItems: ['Gold', 'Silver'], IsMandatory: true, Order: 1 });
    const due = await s.customField({ Name: 'Next audit', Type: 'Date', Order: 3 });
    await s.customField({ Name: 'Old', Type: 'Text', Archived: true });
    const c = await s.newContract(customer.id);
    const fields = `${s.contract(customer.id, c.ID)}/customFields/`;

    const list = await s.get(fields);
    expect(list.status).toBe(200);
    expect(list.body).toEqual([
      { CustomField: { ID: tier.ID, Name: 'Service tier', Type: 'List', ListItems: ['Gold', 'Silver'], IsMandatory: true }, Value: null },
      { CustomField: { ID: access.ID, Name: 'Site access code', Type: 'Text', ListItems: null, IsMandatory: false }, Value: null },
      { CustomField: { ID: due.ID, Name: 'Next audit', Type: 'Date', ListItems: null, IsMandatory: false }, Value: null },
    ]);
    expect(list.headers.get('result-total')).toBe('3');

    expect((await s.patch(`${fields}${tier.ID}`, { Value: 'Gold' })).status).toBe(204);
    expect((await s.patch(`${fields}${access.ID}`, { Value: 'A-113' })).status).toBe(204);
    expect((await s.get(`${fields}${tier.ID}`)).body).toEqual({
      CustomField: { ID: tier.ID, Name: 'Service tier', Type: 'List', ListItems: ['Gold', 'Silver'], IsMandatory: true },
      Value: 'Gold',
    });
    // the type decides what a value may be: 422 naming Value
    for (const [id, value] of [
      [tier.ID, 'Bronze'],
      [due.ID, '2025-02-30'],
    ] as const) {
      const problem = expectProblem(await s.patch(`${fields}${id}`, { Value: value }), 422);
      expect(problem.errors[0].path).toBe('/Value');
    }
    expectProblem(await s.patch(`${fields}${tier.ID}`, { Value: 'Gold', Other: 1 }), 422);
    // Value=null finds the unset ones; other filters work too
    const unset = await s.get(fields, { Value: 'null' });
    expect(unset.body.map((f: any) => f.CustomField.ID)).toEqual([due.ID]);
    expect((await s.get(fields, { 'CustomField.Type': 'in(List,Date)', orderby: '-CustomField.Name' })).body.map((f: any) => f.CustomField.ID)).toEqual([tier.ID, due.ID]);
    // the contract shows them all
    const contract = (await s.get(s.contract(customer.id, c.ID))).body;
    expect(contract.CustomFields.map((f: any) => [f.CustomField.ID, f.Value])).toEqual([
      [tier.ID, 'Gold'],
      [access.ID, 'A-113'],
      [due.ID, null],
    ]);
    // null clears
    expect((await s.patch(`${fields}${access.ID}`, { Value: null })).status).toBe(204);
    expect((await s.get(`${fields}${access.ID}`)).body.Value).toBeNull();
    // a field the company does not have
    expectProblem(await s.get(`${fields}987654321`), 404);
    // no POST or DELETE: 405
    expect((await s.api.request('DELETE', `${fields}${tier.ID}`)).status).toBe(405);
    // a setup field deleted takes its values with it
    expect((await s.delete(`${s.base}/setup/customFields/customerContracts/${tier.ID}`)).status).toBe(204);
    expect((await s.get(s.contract(customer.id, c.ID))).body.CustomFields).toHaveLength(2);
  });
});

describe('contract service levels', () => {
  it('lists every asset type and service level pair of the setup; GET and PATCH the contract’s price for one', async () => {
    const { s, customer } = await setup();
    const annual = await s.serviceLevel({ Name: 'Annually Service' });
    const six = await s.serviceLevel({ Name: 'Six-monthly Service', Years: 0, Months: 6 });
    const extinguisher = await s.assetType({ Name: 'Fire Extinguisher' });
    const hose = await s.assetType({ Name: 'Fire Hose Reel' });
    await s.link(extinguisher.ID, annual.ID);
    await s.link(extinguisher.ID, six.ID);
    await s.link(hose.ID, annual.ID);
    const c = await s.newContract(customer.id);
    const levels = `${s.contract(customer.id, c.ID)}/serviceLevels/`;

    const list = await s.get(levels);
    expect(list.status).toBe(200);
    expect(list.body).toEqual([
      { ServiceLevel: { ID: annual.ID, Name: 'Annually Service' }, AssetType: { ID: extinguisher.ID, Name: 'Fire Extinguisher' } },
      { ServiceLevel: { ID: six.ID, Name: 'Six-monthly Service' }, AssetType: { ID: extinguisher.ID, Name: 'Fire Extinguisher' } },
      { ServiceLevel: { ID: annual.ID, Name: 'Annually Service' }, AssetType: { ID: hose.ID, Name: 'Fire Hose Reel' } },
    ]);
    expect((await s.get(levels, { 'AssetType.Name': '%Hose%' })).body).toHaveLength(1);

    const pair = `${levels}${annual.ID}/assetTypes/${extinguisher.ID}`;
    expect((await s.get(pair)).body).toEqual({ AssetType: { ID: extinguisher.ID, Name: 'Fire Extinguisher' }, Prebuild: null, ChargeRate: 0, EstimatedTime: 0 });
    // the seed's body shape; Prebuild is not modelled: null only
    expect((await s.patch(pair, { Prebuild: null, ChargeRate: 120.5, EstimatedTime: 1.5 })).status).toBe(204);
    expect((await s.get(pair)).body).toEqual({ AssetType: { ID: extinguisher.ID, Name: 'Fire Extinguisher' }, Prebuild: null, ChargeRate: 120.5, EstimatedTime: 1.5 });
    const problem = expectProblem(await s.patch(pair, { Prebuild: 0, ChargeRate: 99 }), 422);
    expect(problem.errors[0].path).toBe('/Prebuild');
    expect((await s.get(pair)).body.ChargeRate).toBe(120.5);
    expect((await s.patch(pair, { EstimatedTime: 2 })).status).toBe(204);
    expect((await s.get(pair, { columns: 'ChargeRate,EstimatedTime' })).body).toEqual({ ChargeRate: 120.5, EstimatedTime: 2 });

    // the contract's ServiceLevels carry the prices (Time = EstimatedTime)
    const contract = (await s.get(s.contract(customer.id, c.ID))).body;
    expectFullContract(contract);
    expect(contract.ServiceLevels[0]).toEqual({
      ServiceLevel: { ID: annual.ID, Name: 'Annually Service', Prebuild: null, Time: 2, ChargeRate: 120.5 },
      AssetType: { ID: extinguisher.ID, Name: 'Fire Extinguisher' },
    });
    expect(contract.ServiceLevels).toHaveLength(3);

    // a pair the setup does not link
    expectProblem(await s.get(`${levels}${six.ID}/assetTypes/${hose.ID}`), 404);
    // the priced pair cannot be unlinked
    expectProblem(await s.delete(`${s.base}/setup/assetTypes/${extinguisher.ID}/serviceLevels/${annual.ID}`), 409);
    // deleting the contract takes its prices with it; then the pair may go
    expect((await s.delete(s.contract(customer.id, c.ID))).status).toBe(204);
    expect((await s.delete(`${s.base}/setup/assetTypes/${extinguisher.ID}/serviceLevels/${annual.ID}`)).status).toBe(204);
  });
});

describe('contract labor rates', () => {
  it('is a 404 naming the sub-resource on every method, for the list and its items', async () => {
    const { s, customer } = await setup();
    const c = await s.newContract(customer.id);
    const base = `${s.contract(customer.id, c.ID)}/laborRates`;
    for (const [method, path] of [
      ['GET', `${base}/`],
      ['POST', `${base}/`],
      ['GET', `${base}/1`],
      ['PATCH', `${base}/1`],
      ['DELETE', `${base}/1`],
      ['GET', base],
    ] as const) {
      const res = await s.api.request(method, path, method === 'POST' || method === 'PATCH' ? { body: { LaborRate: 1, Cost: 1.57 } } : {});
      const problem = expectProblem(res, 404);
      expect(problem.detail, `${method} ${path}`).toMatch(/laborRates/);
    }
  });
});

describe('the same contract through simPRO and /v1', () => {
  it('a contract created through simPRO reads the same through GET /v1/customer-contracts/{id}', async () => {
    const { owner, s, customer, tier, fee } = await setup();
    const c = await s.create(s.contracts(customer.id), { ...seedBody(tier.ID, fee.ID), StartDate: '2025-03-01', EndDate: '2026-02-28', Expired: false });
    const res = await owner.api.get(`/v1/customer-contracts/${c.ID}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: c.ID,
      contractOwnerId: owner.id,
      customerId: customer.id,
      name: 'string',
      startDate: '2025-03-01',
      endDate: '2026-02-28',
      billingStartDate: '2025-03-01',
      contractProfileId: null,
      rolloverContractProfileId: null,
      contractNumber: 'string',
      value: 1.57,
      notes: 'string',
      email: 'address@example.com',
      terminationDate: null,
      earlyTerminationCharge: null,
    });
    // and a simPRO change shows on /v1
    await s.patch(s.contract(customer.id, c.ID), { EndDate: null, Notes: 'open now' });
    expect((await owner.api.get(`/v1/customer-contracts/${c.ID}`)).body).toMatchObject({ endDate: null, notes: 'open now', status: 'ACTIVE' });
  });

  it('a contract created through /v1 reads correctly through simPRO', async () => {
    const { owner, s, customer } = await setup();
    const profile = await make.contractProfile(owner, { contractTerm: 24 });
    const v1 = await make.customerContract(owner, {
      customerId: customer.id,
      contractProfileId: profile.id,
      startDate: '2024-01-01',
      contractNumber: 'V1-7',
      value: 1200,
      notes: 'from /v1',
      email: 'ops@example.com',
    });
    const res = await s.get(s.contract(customer.id, v1.id));
    expect(res.status).toBe(200);
    expectFullContract(res.body);
    expect(res.body).toMatchObject({
      ID: v1.id,
      Name: v1.name,
      StartDate: '2024-01-01',
      EndDate: '2025-12-31',
      ContractNo: 'V1-7',
      Value: 1200,
      Notes: 'from /v1',
      Email: 'ops@example.com',
      Expired: today() > '2025-12-31',
      PricingTier: null,
      Markup: 0,
      Rates: { ServiceFee: null },
    });
    expect((await s.get(s.contracts(customer.id))).body.map((c: any) => c.ID)).toEqual([v1.id]);
    // simPRO leaves out nothing /v1 keeps: a simPRO PATCH of a field keeps the others
    await s.patch(s.contract(customer.id, v1.id), { EndDate: '2025-06-30' });
    const after = (await owner.api.get(`/v1/customer-contracts/${v1.id}`)).body;
    expect(after).toMatchObject({ endDate: '2025-06-30', contractProfileId: profile.id, contractNumber: 'V1-7', terminationDate: '2025-06-30' });
  });
});
