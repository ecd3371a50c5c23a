/**
 * The README's "Your first calls" through a client generated from /openapi.json
 * (openapi-typescript types, generated/tenor-api.ts by npm run openapi; calls with
 * openapi-fetch), on both runtimes: the document is exact enough to build a
 * working client from, and ids and page numbers are typed as numbers (the
 * `@ts-expect-error` lines fail the type check if a string became acceptable).
 */
import createClient from 'openapi-fetch';
import { beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { paths } from '../../generated/tenor-api';
import { type Harness, harness, signTestToken, unique } from '../helpers/harness';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

/** A client of the app under test, as a user would make one against a server. */
function tenor(token: string) {
  return createClient<paths>({
    baseUrl: 'http://tenor.test',
    headers: { Authorization: `Bearer ${token}` },
    fetch: (request: Request) => h.runtime.fetch(request),
  });
}

describe('a typed client generated from the API document', () => {
  it('runs the README walkthrough: owner, customer, profile, contract, a filtered list, JSON Patch', async () => {
    const admin = tenor(await signTestToken({ owners: ['*'], scope: '*', sub: 'walkthrough' }));

    const created = await admin.POST('/v1/contract-owners', { body: { name: unique('Acme Telecom '), availableFrom: '2025-01-01' } });
    expect(created.response.status).toBe(201);
    const owner = created.data!;
    expectTypeOf(owner.id).toEqualTypeOf<number>();
    // the rest as the owner's own caller, as in the README
    const api = tenor(await signTestToken({ owners: [owner.id], scope: '*', sub: `owner-${owner.id}` }));

    const customer = (await api.POST('/v1/customers', { body: { contractOwnerId: owner.id, customerName: 'Northwind Ltd' } })).data!;
    const profile = (
      await api.POST('/v1/contract-profiles', {
        body: { contractOwnerId: owner.id, name: '24 month fibre', contractTerm: 24, earlyTerminationFixedCharge: 50, earlyTerminationPercentageCharge: 100 },
      })
    ).data!;
    const contract = await api.POST('/v1/customer-contracts', {
      body: { customerId: customer.id, contractProfileId: profile.id, startDate: '2026-01-01' },
      headers: { 'Idempotency-Key': unique('walkthrough-') },
    });
    expect(contract.response.status).toBe(201);
    expect(contract.data).toMatchObject({ customerId: customer.id, contractProfileId: profile.id, startDate: '2026-01-01', endDate: '2027-12-31' });
    const contractId = contract.data!.id;
    expectTypeOf(contractId).toEqualTypeOf<number>();

    const list = await api.GET('/v1/customer-contracts', {
      params: { query: { status: 'ACTIVE', sort: 'endDate:desc', fields: 'name,endDate', pageSize: 10, page: 1, customerId: customer.id } },
    });
    expect(list.response.status).toBe(200);
    expect(list.response.headers.get('x-total-count')).toBe('1');
    expect(list.response.headers.get('link')).toContain('rel="first"');
    expect(list.data).toEqual([{ id: contractId, name: expect.any(String), endDate: '2027-12-31' }]);

    const read = await api.GET('/v1/customer-contracts/{id}', { params: { path: { id: contractId } } });
    const etag = read.response.headers.get('etag')!;
    const patched = await api.PATCH('/v1/customer-contracts/{id}', {
      params: { path: { id: contractId }, header: { 'if-match': etag } },
      body: [{ op: 'replace', path: '/noticePeriodDays', value: 60 }],
      headers: { 'Content-Type': 'application/json-patch+json' },
    });
    expect(patched.response.status).toBe(200);
    expect(patched.data).toMatchObject({ id: contractId, noticePeriodDays: 60 });

    const refused = await api.GET('/v1/customer-contracts/{id}', { params: { path: { id: 999_999_999 } } });
    expect(refused.response.status).toBe(404);
    expect(refused.error).toMatchObject({ status: 404, title: 'Not found' });
  });

  it('types ids and page numbers as numbers: a string is a type error', async () => {
    const api = tenor((await h.newOwner()).token);
    const typed = async () => {
      // @ts-expect-error an id is a number
      await api.GET('/v1/customer-contracts/{id}', { params: { path: { id: '1' } } });
      // @ts-expect-error a page number is a number
      await api.GET('/v1/customer-contracts', { params: { query: { page: '2' } } });
      // @ts-expect-error so is the page size
      await api.GET('/v1/customers', { params: { query: { pageSize: '10' } } });
      // @ts-expect-error a body's id is a number
      await api.POST('/v1/customers', { body: { contractOwnerId: '1', customerName: 'x' } });
    };
    expect(typed).toBeTypeOf('function');
    const page = await api.GET('/v1/customers', { params: { query: { page: 1, pageSize: 5 } } });
    expect(page.data).toEqual([]);
  });
});
