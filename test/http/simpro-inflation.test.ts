/**
 * simPRO `…/contracts/{contractID}/inflation/` on both runtimes (a contract sub-resource of the simPRO surface): `{ID, Date, Amount}`
 * items as simPRO documents them (POST 201 with the object, PATCH a partial object
 * → 204, DELETE 204, invalid body 422), each a dated step of the contract's price
 * adaptation that the lifecycle job applies on its Date, once.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as f from '../helpers/factories';
import { expectProblem, type Harness, harness, type Owner, signTestToken } from '../helpers/harness';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

/** A contract of a customer with an RPI at £10 a month, and its inflation path (companyID as given). */
async function setup(owner: Owner, company: number | string = owner.id) {
  const site = await f.site(owner);
  const category = await f.rentalProductCategory(owner);
  const product = await f.rentalProduct(owner, category.id);
  const card = await f.rentalRateCard(owner, { rentalProductCategoryId: category.id, rentalRates: [f.rentalRateBody(product.id, { price: 10, startDate: '2020-01-01' })] });
  await f.assignment(owner, 'rentalRateCard', { assignmentLevel: 'CUSTOMER', customerId: site.customerId, rentalRateCardId: card.id, startDate: '2020-01-01' });
  const rpi = await f.rpi(owner, { siteId: site.id, rentalProductId: product.id, startDate: '2025-01-01' });
  const profile = await f.contractProfile(owner, { contractTerm: 36 });
  const contract = await f.customerContract(owner, { customerId: site.customerId, contractProfileId: profile.id, startDate: '2025-01-01' });
  await f.contractAssignment(owner, rpi.id, contract.id);
  const path = `/api/v1.0/companies/${company}/customers/${site.customerId}/contracts/${contract.id}/inflation/`;
  return { customerId: site.customerId as number, contract, path };
}

const item = (path: string, id: number) => `${path}${id}`;

describe('simPRO contract inflation', () => {
  it('POST 201 with the object, GET list and item with Result-* headers and columns, PATCH 204, DELETE 204', async () => {
    const owner = await h.newOwner();
    const { path } = await setup(owner);
    const created = await owner.api.post(path, { Date: '2026-07-01', Amount: 3.5 });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toEqual({ ID: expect.any(Number), Date: '2026-07-01', Amount: 3.5 });
    expect(created.headers.get('location')).toBe(item(path, created.body.ID));
    const second = (await owner.api.post(path, { Date: '2026-01-01', Amount: -1.25 })).body;

    const list = await owner.api.get(path);
    expect(list.status, list.text).toBe(200);
    expect(list.body).toEqual([
      { ID: second.ID, Date: '2026-01-01', Amount: -1.25 },
      { ID: created.body.ID, Date: '2026-07-01', Amount: 3.5 },
    ]);
    expect([list.headers.get('result-total'), list.headers.get('result-pages'), list.headers.get('result-count')]).toEqual(['2', '1', '2']);
    // simPRO's filter grammar on the columns
    expect((await owner.api.get(path, { Amount: 'gt(0)' })).body.map((s: any) => s.ID)).toEqual([created.body.ID]);
    expect((await owner.api.get(path, { Date: 'lt(2026-03-01)' })).body.map((s: any) => s.ID)).toEqual([second.ID]);
    expect((await owner.api.get(path, { Amount: 'in(3.5,-1.25)', search: 'all' })).headers.get('result-total')).toBe('2');
    const paged = await owner.api.get(path, { pageSize: 1, page: 2, orderby: '-Date', columns: 'ID,Amount' });
    expect(paged.body).toEqual([{ ID: second.ID, Amount: -1.25 }]);
    expect([paged.headers.get('result-total'), paged.headers.get('result-pages'), paged.headers.get('result-count')]).toEqual(['2', '2', '1']);

    const one = await owner.api.get(item(path, created.body.ID), { columns: 'Date' });
    expect(one.body).toEqual({ Date: '2026-07-01' });
    expect(one.headers.get('etag')).toBe('"1"');
    expectProblem(await owner.api.request('PATCH', item(path, created.body.ID), { body: { Amount: 4 }, headers: { 'if-match': '"7"' } }), 412);
    const patched = await owner.api.request('PATCH', item(path, created.body.ID), { body: { Amount: 4 } });
    expect(patched.status, patched.text).toBe(204);
    expect((await owner.api.get(item(path, created.body.ID))).body).toEqual({ ID: created.body.ID, Date: '2026-07-01', Amount: 4 });
    // the same item through Tenor's own resource
    expect((await owner.api.get(`/v2/contract-price-steps/${created.body.ID}`)).body).toMatchObject({ date: '2026-07-01', percentage: 4 });

    expect((await owner.api.delete(item(path, second.ID))).status).toBe(204);
    expect((await owner.api.get(item(path, second.ID))).status).toBe(404);
    expect((await owner.api.get(path)).headers.get('result-total')).toBe('1');
  });

  it('is applied by the job on its Date, once, and then can no longer change (409)', async () => {
    const owner = await h.newOwner();
    const { customerId, path } = await setup(owner, 0);
    const step = (await owner.api.post(path, { Date: '2025-07-01', Amount: 5 })).body;
    const run = await owner.api.post('/v1/jobs/rollover', { asOf: '2025-07-15' });
    expect(run.body.report.priceAdapted).toBe(1);
    expect((await owner.api.post('/v1/jobs/rollover', { asOf: '2025-07-15' })).body.report.priceAdapted).toBe(0);
    const lines = (await owner.api.get('/v2/rental-charges', { customerId, from: '2025-06-01', to: '2025-07-31' })).body;
    expect(lines.map((l: any) => [l.periodStart, l.unitPrice])).toEqual([
      ['2025-06-01', 10],
      ['2025-07-01', 10.5],
    ]);
    expectProblem(await owner.api.request('PATCH', item(path, step.ID), { body: { Amount: 6 } }), 409);
    expectProblem(await owner.api.delete(item(path, step.ID)), 409);
  });

  it('answers an invalid body with 422 naming simPRO’s fields, and a body that is not JSON with 415', async () => {
    const owner = await h.newOwner();
    const { path } = await setup(owner);
    const cases: Array<[unknown, string]> = [
      [{ Date: '2026-02-30', Amount: 1 }, '/Date'],
      [{ Date: '2026-02-01' }, '/Amount'],
      [{ Date: '2026-02-01', Amount: -100 }, '/Amount'],
      [{ Date: '2026-02-01', Amount: 'three' }, '/Amount'],
      [{ Date: '2026-02-01', Amount: 1, Colour: 'red' }, '/Colour'],
    ];
    for (const [body, field] of cases) {
      const problem = expectProblem(await owner.api.post(path, body), 422);
      expect(problem.errors.map((e: any) => e.path)).toContain(field);
    }
    const step = (await owner.api.post(path, { Date: '2026-02-01', Amount: 1 })).body;
    expectProblem(await owner.api.request('PATCH', item(path, step.ID), { body: { Amount: 2000 } }), 422);
    expectProblem(await owner.api.request('PATCH', item(path, step.ID), { body: { ID: 5 } }), 422);
    expectProblem(await owner.api.request('PATCH', item(path, step.ID), { raw: 'Amount=2', contentType: 'text/plain' }), 415);
    expectProblem(await owner.api.get(path, { pageSize: 251 }), 400);
    expectProblem(await owner.api.get(path, { orderby: 'Colour' }), 400);
    expectProblem(await owner.api.get(path, { Colour: 'red' }), 400);
    expect((await owner.api.get(item(path, step.ID))).body.Amount).toBe(1);
  });

  it('resolves the company (0: the caller’s only one), customer and contract of the path, or answers 404', async () => {
    const owner = await h.newOwner();
    const other = await h.newOwner();
    const { customerId, contract, path } = await setup(owner);
    const step = (await owner.api.post(path, { Date: '2026-02-01', Amount: 1 })).body;
    const viaZero = path.replace(`/companies/${owner.id}/`, '/companies/0/');
    expect((await owner.api.get(viaZero)).body.map((s: any) => s.ID)).toEqual([step.ID]);
    // another owner sees nothing of it
    expectProblem(await other.api.get(path), 404);
    expectProblem(await other.api.post(path.replace(`/companies/${owner.id}/`, `/companies/${other.id}/`), { Date: '2026-02-01', Amount: 1 }), 404);
    // a contract of another customer, an unknown item
    const stranger = await f.customer(owner);
    expectProblem(await owner.api.get(path.replace(`/customers/${customerId}/`, `/customers/${stranger.id}/`)), 404);
    expectProblem(await owner.api.get(item(path, 999_999_999)), 404);
    expectProblem(await owner.api.get(path.replace(`/contracts/${contract.id}/`, '/contracts/999999999/')), 404);
    // 0 with a token for several owners is a 400
    const both = h.client(await signTestToken({ owners: [owner.id, other.id], scope: '*' }));
    expectProblem(await both.get(viaZero), 400);
    // the scope: contracts
    const pricingOnly = h.client(await signTestToken({ owners: [owner.id], scope: 'pricing:*' }));
    expectProblem(await pricingOnly.get(path), 403);
    // simPRO's paths: the collection ends with /, the item does not
    expect((await owner.api.get(path.replace(/\/$/, ''))).status).toBe(404);
    expect((await owner.api.get(`${item(path, step.ID)}/`)).status).toBe(404);
    expect((await owner.api.request('PUT', path, { body: {} })).status).toBe(405);
  });
});
