/**
 * Counts kept between requests (X-Total-Count stays right after every kind of write),
 * keyset pages (`cursor`, the `next` link) and uncounted pages (`count=false`) of the
 * resource lists, on both runtimes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as f from '../helpers/factories';
import { type ApiResponse, expectProblem, type Harness, harness, type Owner } from '../helpers/harness';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

const PATH = '/v1/customer-contracts';

/** X-Total-Count of a list; page 2 of size 1 always counts (the page does not tell the total). */
async function total(owner: Owner, query: Record<string, string | number> = {}): Promise<number> {
  const res = await owner.api.get(PATH, { ...query, page: 2, pageSize: 1 });
  expect(res.status, res.text).toBe(200);
  return Number(res.headers.get('x-total-count'));
}

function nextLink(res: ApiResponse): string | null {
  const m = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '');
  return m ? m[1]! : null;
}

describe('X-Total-Count, counted once per filter', () => {
  it('changes with the very next request after a create, a patch and a delete', async () => {
    const owner = await h.newOwner();
    const customer = await f.customer(owner);
    const profile = await f.contractProfile(owner);
    const make = (name: string) => f.customerContract(owner, { customerId: customer.id, contractProfileId: profile.id, name, startDate: '2030-01-01' });
    const a = await make('Alpha one');
    await make('Beta two');
    expect(await total(owner)).toBe(2);
    expect(await total(owner)).toBe(2);
    expect(await total(owner, { name: 'like:alpha' })).toBe(1);

    const c = await make('Alpha three');
    expect(await total(owner)).toBe(3);
    expect(await total(owner, { name: 'like:alpha' })).toBe(2);

    const patched = await owner.api.patch(`${PATH}/${a.id}`, [{ op: 'replace', path: '/name', value: 'Gamma one' }]);
    expect(patched.status, patched.text).toBe(200);
    expect(await total(owner, { name: 'like:alpha' })).toBe(1);
    expect(await total(owner)).toBe(3);

    expect((await owner.api.delete(`${PATH}/${c.id}`)).status).toBe(204);
    expect(await total(owner)).toBe(2);
    expect(await total(owner, { name: 'like:alpha' })).toBe(0);
  });

  it('changes when a write to another table changes what a filter matches (assignments)', async () => {
    const owner = await h.newOwner();
    const rpi = await f.rpi(owner);
    const contract = await f.customerContract(owner, { customerId: rpi.customerId, startDate: '2020-01-01', endDate: '2020-12-31' });
    expect(await total(owner, { recentWithRPIsOrFuture: 'true', includeSupersededVersions: 'true' })).toBe(0);
    await f.contractAssignment(owner, rpi.id, contract.id);
    expect(await total(owner, { recentWithRPIsOrFuture: 'true', includeSupersededVersions: 'true' })).toBe(1);
  });

  it('is the tenant’s own: another owner’s writes neither show nor hide', async () => {
    const one = await h.newOwner();
    const two = await h.newOwner();
    await f.customerContract(one);
    await f.customerContract(one);
    expect(await total(one)).toBe(2);
    await f.customerContract(two);
    expect(await total(one)).toBe(2);
    expect(await total(two)).toBe(1);
  });

  it('is left out with count=false: links first, prev and next (when the page is full), no last', async () => {
    const owner = await h.newOwner();
    for (let i = 0; i < 3; i++) await f.customerContract(owner);
    const res = await owner.api.get(PATH, { count: 'false', page: 2, pageSize: 1 });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toHaveLength(1);
    expect(res.headers.get('x-total-count')).toBeNull();
    const link = res.headers.get('link')!;
    expect(link).toContain('rel="first"');
    expect(link).toContain('rel="prev"');
    expect(link).toContain('page=3');
    expect(link).not.toContain('rel="last"');
    const counted = await owner.api.get(PATH, { count: 'true', page: 2, pageSize: 1 });
    expect(counted.headers.get('x-total-count')).toBe('3');
    expectProblem(await owner.api.get(PATH, { count: 'maybe' }), 400);
  });
});

describe('keyset pages (cursor)', () => {
  it('walk every row once in the sort, without counts, and end without a next link', async () => {
    const owner = await h.newOwner();
    const customer = await f.customer(owner);
    const profile = await f.contractProfile(owner);
    const ends = ['2031-03-01', '2030-01-01', '2031-03-01', '2029-06-30', '2030-01-01'];
    for (const endDate of ends) await f.customerContract(owner, { customerId: customer.id, contractProfileId: profile.id, startDate: '2026-01-01', endDate });
    const all = await owner.api.get(PATH, { sort: 'endDate', pageSize: 100 });
    const expected = all.body.map((c: any) => c.id);
    expect(expected).toHaveLength(5);

    let res = await owner.api.get(PATH, { sort: 'endDate', pageSize: 2, cursor: '', fields: 'endDate' });
    const seen: number[] = [];
    let pages = 0;
    for (;;) {
      expect(res.status, res.text).toBe(200);
      expect(res.headers.get('x-total-count')).toBeNull();
      pages++;
      seen.push(...res.body.map((c: any) => c.id));
      for (const c of res.body) expect(Object.keys(c).sort()).toEqual(['endDate', 'id']);
      const next = nextLink(res);
      if (!next) break;
      expect(next).toContain('cursor=');
      expect(next).not.toContain('page=');
      res = await owner.api.get(next);
    }
    expect(seen).toEqual(expected);
    expect(pages).toBe(3);
  });

  it('takes filters and descending sorts, and refuses a bad cursor or one with page', async () => {
    const owner = await h.newOwner();
    const customer = await f.customer(owner);
    for (let i = 0; i < 3; i++) await f.customerContract(owner, { customerId: customer.id });
    await f.customerContract(owner);
    const first = await owner.api.get(PATH, { customerId: customer.id, sort: 'id:desc', pageSize: 2, cursor: '' });
    expect(first.status, first.text).toBe(200);
    const second = await owner.api.get(nextLink(first)!);
    const ids = [...first.body, ...second.body].map((c: any) => c.id);
    expect(ids).toHaveLength(3);
    expect([...ids].sort((x, y) => y - x)).toEqual(ids);
    expect(nextLink(second)).toBeNull();

    expectProblem(await owner.api.get(PATH, { cursor: 'not a cursor' }), 400);
    expectProblem(await owner.api.get(PATH, { cursor: '', page: 2 }), 400);
  });
});
