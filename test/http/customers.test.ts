import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, type Harness, harness, unique } from '../helpers/harness';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

describe('customers', () => {
  it('creates, reads, lists, patches and deletes a customer', async () => {
    const owner = await h.newOwner();
    const created = await owner.api.post('/v1/customers', { contractOwnerId: owner.id, customerName: 'Northwind', customerAccountNumber: unique('A') });
    expect(created.status, created.text).toBe(201);
    expect(created.headers.get('location')).toBe(`/v1/customers/${created.body.id}`);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.body).toMatchObject({ contractOwnerId: owner.id, customerName: 'Northwind', customerType: 'BUSINESS', version: 1 });

    const got = await owner.api.get(`/v1/customers/${created.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created.body);

    const list = await owner.api.get('/v1/customers', { customerName: 'like:north' });
    expect(list.status).toBe(200);
    expect(list.headers.get('x-total-count')).toBe('1');
    expect(list.body.map((c: any) => c.id)).toEqual([created.body.id]);

    const patched = await owner.api.patch(`/v1/customers/${created.body.id}`, [{ op: 'replace', path: '/customerName', value: 'Southwind' }]);
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({ customerName: 'Southwind', version: 2 });

    const deleted = await owner.api.delete(`/v1/customers/${created.body.id}`);
    expect(deleted.status).toBe(204);
    expectProblem(await owner.api.get(`/v1/customers/${created.body.id}`), 404);
  });

  it("hides another owner's customers", async () => {
    const a = await h.newOwner();
    const b = await h.newOwner();
    const customer = await b.api.create('/v1/customers', { contractOwnerId: b.id, customerName: 'Hidden' });
    expectProblem(await a.api.get(`/v1/customers/${customer.id}`), 404);
    const list = await a.api.get('/v1/customers');
    expect(list.body).toEqual([]);
    expectProblem(await a.api.post('/v1/customers', { contractOwnerId: b.id, customerName: 'X' }), 403);
  });
});
