/**
 * simPRO's setup lists (compat.md §simPRO, Setup), with the bodies simPRO's
 * documentation shows: contract custom fields, pricing tiers, service fees (a
 * Tenor extension beyond GET), service levels, asset types and the service
 * levels linked to each. List shapes are the short ones, items the full objects.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as make from '../helpers/factories';
import { expectProblem, type Harness, harness } from '../helpers/harness';
import { type Simpro, simproOf } from '../helpers/simpro';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

async function client(): Promise<Simpro> {
  return simproOf(await h.newOwner());
}

const errorPaths = (problem: any) => (problem.errors ?? []).map((e: any) => e.path);

describe('contract custom fields (setup)', () => {
  it('POST (the documented body), list, GET, PATCH and DELETE', async () => {
    const s = await client();
    const path = `${s.base}/setup/customFields/customerContracts/`;
    const res = await s.post(path, { Name: 'string', Type: 'List', ListItems: ['string'], IsMandatory: true, Order: 0, Archived: true, Locked: true });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toEqual({ ID: expect.any(Number), Name: 'string', Type: 'List', ListItems: ['string'], IsMandatory: true, Order: 0, Archived: true, Locked: true });
    expect(res.headers.get('location')).toBe(`${path}${res.body.ID}`);
    const list = await s.get(path);
    expect(list.body).toEqual([{ ID: res.body.ID, Name: 'string', Type: 'List', Order: 0, Locked: true }]);
    expect((await s.get(`${path}${res.body.ID}`)).body).toEqual(res.body);
    // a field that is no longer a List keeps no items
    expect((await s.patch(`${path}${res.body.ID}`, { Type: 'Text', Order: 3 })).status).toBe(204);
    expect((await s.get(`${path}${res.body.ID}`)).body).toMatchObject({ Type: 'Text', ListItems: null, Order: 3 });
    expect((await s.delete(`${path}${res.body.ID}`)).status).toBe(204);
    expectProblem(await s.get(`${path}${res.body.ID}`), 404);
  });

  it('needs Name and Type (422 naming them); Type is one of simPRO’s', async () => {
    const s = await client();
    const path = `${s.base}/setup/customFields/customerContracts/`;
    expect(errorPaths(expectProblem(await s.post(path, {}), 422))).toEqual(['/Name', '/Type']);
    expect(errorPaths(expectProblem(await s.post(path, { Name: 'x', Type: 'Colour' }), 422))).toEqual(['/Type']);
    for (const type of ['Text', 'Date', 'List', 'Numeric', 'Hyperlink']) expect((await s.post(path, { Name: type, Type: type })).status).toBe(201);
  });
});

describe('pricing tiers', () => {
  it('POST (the documented body): the full object; the list is ID, Name, DisplayOrder', async () => {
    const s = await client();
    const path = `${s.base}/setup/materials/pricingTiers/`;
    const res = await s.post(path, {
      Name: 'Tier 1 (Service name)',
      PriceBased: 'Buy',
      DefaultMarkup: 10,
      TierType: 'Quantity',
      ScaledTierPricing: [{ ScaledPrice: 0, Markup: 100 }],
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toEqual({
      ID: expect.any(Number),
      Name: 'Tier 1 (Service name)',
      PriceBased: 'Buy',
      DefaultMarkup: 10,
      TierType: 'Quantity',
      ScaledTierPricing: [{ ScaledPrice: 0, Markup: 100 }],
      DisplayOrder: 0,
      Archived: false,
      DateModified: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    expect((await s.get(path)).body).toEqual([{ ID: res.body.ID, Name: 'Tier 1 (Service name)', DisplayOrder: 0 }]);
    expect((await s.patch(`${path}${res.body.ID}`, { TierType: 'Scaled', ScaledTierPricing: [{ ScaledPrice: 500, Markup: 20 }, { ScaledPrice: 100, Markup: 50 }] })).status).toBe(204);
    expect((await s.get(`${path}${res.body.ID}`)).body.ScaledTierPricing).toEqual([
      { ScaledPrice: 100, Markup: 50 },
      { ScaledPrice: 500, Markup: 20 },
    ]);
    // simPRO's makeDefault is not supported: Tenor has no default tier
    expectProblem(await s.api.request('POST', `${path}?makeDefault=true`, { body: { Name: 'x' } }), 400);
    expect(errorPaths(expectProblem(await s.post(path, { Name: 'x', PriceBased: 'Sell' }), 422))).toEqual(['/PriceBased']);
  });
});

describe('service fees', () => {
  it('reads as simPRO’s (SalesTaxCode null: no tax model); POST, PATCH and DELETE are Tenor extensions', async () => {
    const s = await client();
    const path = `${s.base}/setup/labor/serviceFees/`;
    const fee = await s.create(path, { Name: 'Call-out fee', Price: 85, LaborTime: 1 });
    expect(fee).toEqual({ ID: expect.any(Number), Name: 'Call-out fee', SalesTaxCode: null, LaborTime: 1, Price: 85, DisplayOrder: 0, Archived: false });
    expect((await s.get(path)).body).toEqual([{ ID: fee.ID, Name: 'Call-out fee', DisplayOrder: 0 }]);
    expect((await s.patch(`${path}${fee.ID}`, { Price: 95.5 })).status).toBe(204);
    expect((await s.get(`${path}${fee.ID}`, { columns: 'Price' })).body).toEqual({ Price: 95.5 });
    // in use by a contract: 409
    const owner = await h.newOwner();
    const t = simproOf(owner);
    const used = await t.serviceFee();
    await t.newContract((await make.customer(owner)).id, { Rates: { ServiceFee: used.ID } });
    expectProblem(await t.delete(`${t.base}/setup/labor/serviceFees/${used.ID}`), 409);
    expect((await s.delete(`${path}${fee.ID}`)).status).toBe(204);
  });
});

describe('service levels', () => {
  it('need Name, Years, Months and Days; list ID, Name; item the full object', async () => {
    const s = await client();
    const path = `${s.base}/setup/assets/serviceLevels/`;
    expect(errorPaths(expectProblem(await s.post(path, { Name: 'Annually Service' }), 422))).toEqual(['/Years', '/Months', '/Days']);
    const level = await s.create(path, { Name: 'Annually Service', Years: 1, Months: 0, Days: 0, Archived: true });
    expect(level).toEqual({ ID: expect.any(Number), Name: 'Annually Service', Years: 1, Months: 0, Days: 0, Archived: true });
    expect((await s.get(path)).body).toEqual([{ ID: level.ID, Name: 'Annually Service' }]);
    expect((await s.patch(`${path}${level.ID}`, { Months: 6, Archived: false })).status).toBe(204);
    expect((await s.get(`${path}${level.ID}`)).body).toMatchObject({ Months: 6, Archived: false });
    expectProblem(await s.patch(`${path}${level.ID}`, { Years: -1 }), 422);
  });
});

describe('asset types and their service levels', () => {
  it('asset types: RegType, cost centres and the default technician are not modelled (null; anything else a 422 naming it)', async () => {
    const s = await client();
    const path = `${s.base}/setup/assetTypes/`;
    const documented = {
      Name: 'Fire Extinguisher',
      Reference: { Section: '11', Standard: 'AS1851.2012' },
      RegType: 0,
      JobCostCenter: 0,
      QuoteCostCenter: 0,
      DefaultTechnician: 0,
      Description: 'string',
    };
    expect(errorPaths(expectProblem(await s.post(path, documented), 422))).toEqual(['/RegType', '/JobCostCenter', '/QuoteCostCenter', '/DefaultTechnician']);
    const res = await s.post(path, { ...documented, RegType: null, JobCostCenter: null, QuoteCostCenter: null, DefaultTechnician: null });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toEqual({
      ID: expect.any(Number),
      Name: 'Fire Extinguisher',
      Reference: { Section: '11', Standard: 'AS1851.2012' },
      RegType: null,
      JobCostCenter: null,
      QuoteCostCenter: null,
      DefaultTechnician: null,
      Description: 'string',
      Archived: false,
    });
    expect((await s.get(path)).body).toEqual([{ ID: res.body.ID, Name: 'Fire Extinguisher' }]);
    expect((await s.patch(`${path}${res.body.ID}`, { Reference: { Section: '12' } })).status).toBe(204);
    expect((await s.get(`${path}${res.body.ID}`)).body.Reference).toEqual({ Section: '12', Standard: 'AS1851.2012' });
    // empty texts read as ""
    const bare = await s.assetType({ Name: 'Hose Reel' });
    expect(bare).toMatchObject({ Reference: { Section: '', Standard: '' }, Description: '' });
  });

  it('links service levels to an asset type, addressed by the service level’s ID; one default per type', async () => {
    const s = await client();
    const type = await s.assetType();
    const annual = await s.serviceLevel({ Name: 'Annually Service' });
    const six = await s.serviceLevel({ Name: 'Six-monthly', Years: 0, Months: 6 });
    const path = `${s.base}/setup/assetTypes/${type.ID}/serviceLevels/`;
    // the documented body: Prebuild 0 names a prebuild, which Tenor does not model
    expect(errorPaths(expectProblem(await s.post(path, { ServiceLevel: annual.ID, Prebuild: 0, DisplayOrder: 0, IsDefault: true }), 422))).toEqual(['/Prebuild']);
    const first = await s.post(path, { ServiceLevel: annual.ID, DisplayOrder: 0, IsDefault: true });
    expect(first.status, first.text).toBe(201);
    expect(first.body).toEqual({ ID: annual.ID, ServiceLevel: { ID: annual.ID, Name: 'Annually Service' }, Prebuild: null, DisplayOrder: 0, IsDefault: true });
    expect(first.headers.get('location')).toBe(`${path}${annual.ID}`);
    await s.link(type.ID, six.ID, { DisplayOrder: 1, IsDefault: true });
    expect((await s.get(path)).body).toEqual([
      { ServiceLevel: { ID: annual.ID, Name: 'Annually Service' }, DisplayOrder: 0, IsDefault: false },
      { ServiceLevel: { ID: six.ID, Name: 'Six-monthly' }, DisplayOrder: 1, IsDefault: true },
    ]);
    expect((await s.patch(`${path}${annual.ID}`, { IsDefault: true, DisplayOrder: 5 })).status).toBe(204);
    expect((await s.get(path, { columns: 'ID,IsDefault', orderby: 'ID' })).body).toEqual([
      { ID: annual.ID, IsDefault: true },
      { ID: six.ID, IsDefault: false },
    ]);
    expectProblem(await s.post(path, { ServiceLevel: annual.ID }), 409);
    expect(errorPaths(expectProblem(await s.post(path, { ServiceLevel: 987654321 }), 422))).toEqual(['/ServiceLevel']);
    // linked: neither the level nor the type can go
    expectProblem(await s.delete(`${s.base}/setup/assets/serviceLevels/${six.ID}`), 409);
    expectProblem(await s.delete(`${s.base}/setup/assetTypes/${type.ID}`), 409);
    expect((await s.delete(`${path}${six.ID}`)).status).toBe(204);
    expectProblem(await s.get(`${path}${six.ID}`), 404);
    expect((await s.delete(`${s.base}/setup/assets/serviceLevels/${six.ID}`)).status).toBe(204);
    // an asset type of nobody
    expectProblem(await s.get(`${s.base}/setup/assetTypes/987654321/serviceLevels/`), 404);
  });
});
