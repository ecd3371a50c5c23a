/** The event history (GET /v1/events, GET /v1/customer-contracts/{id}/events) on both runtimes. */
import { beforeAll, describe, expect, it } from 'vitest';
import { outboxEvents } from '../../src/db/schema';
import * as f from '../helpers/factories';
import { type ApiResponse, type Client, expectProblem, type Harness, harness, signTestToken } from '../helpers/harness';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

/** An event written straight to the outbox, at a chosen time. */
async function addEvent(ownerId: number, values: { type?: string; objectType?: string; objectId?: number; createdAt?: string } = {}) {
  const [event] = await h.runtime.deps.database.db
    .insert(outboxEvents)
    .values({
      contractOwnerId: ownerId,
      type: values.type ?? 'customer_contract.updated',
      objectType: values.objectType ?? 'customer_contract',
      objectId: values.objectId ?? 1,
      data: { id: values.objectId ?? 1, note: 'direct' },
      actor: 'test',
      createdAt: values.createdAt ?? new Date().toISOString(),
    })
    .returning();
  return event!;
}

/** The `rel="next"` target of a Link header. */
function nextLink(res: ApiResponse): string | null {
  const m = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '');
  return m ? m[1]! : null;
}

/** Every event of a list, following `next` links: oldest first until a page comes back empty, newest first until there is no link. */
async function walk(api: Client, path: string, query: Record<string, string | number>): Promise<{ ids: number[]; pages: number; last: string | null }> {
  let res = await api.get(path, query);
  const ids: number[] = [];
  let pages = 0;
  for (;;) {
    expect(res.status, res.text).toBe(200);
    pages++;
    ids.push(...res.body.map((e: any) => e.id));
    const next = nextLink(res);
    if (!next || res.body.length === 0) return { ids, pages, last: next };
    res = await api.get(next);
  }
}

describe('a customer contract’s events', () => {
  it('shows who changed what and when, oldest first, with the object as it was', async () => {
    const owner = await h.newOwner();
    const contract = await f.customerContract(owner, { notes: 'first', startDate: '2030-01-01' });
    const patched = await owner.api.patch(`/v1/customer-contracts/${contract.id}`, [{ op: 'replace', path: '/notes', value: 'second' }]);
    expect(patched.status, patched.text).toBe(200);
    // another contract's events are not this one's
    await f.customerContract(owner);

    const res = await owner.api.get(`/v1/customer-contracts/${contract.id}/events`);
    expect(res.status, res.text).toBe(200);
    expect(res.body.map((e: any) => e.type)).toEqual(['customer_contract.created', 'customer_contract.updated']);
    const [created, updated] = res.body;
    expect(created).toMatchObject({
      type: 'customer_contract.created',
      objectType: 'customer_contract',
      objectId: contract.id,
      contractOwnerId: owner.id,
      actor: `owner-${owner.id}`,
      data: { id: contract.id, notes: 'first' },
    });
    expect(Object.keys(created).sort()).toEqual(['actor', 'contractOwnerId', 'createdAt', 'data', 'id', 'objectId', 'objectType', 'type']);
    expect(created.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(updated.data.notes).toBe('second');
    expect(updated.id).toBeGreaterThan(created.id);

    const newest = await owner.api.get(`/v1/customer-contracts/${contract.id}/events`, { sort: 'id:desc', fields: 'type' });
    expect(newest.body).toEqual([
      { id: updated.id, type: 'customer_contract.updated' },
      { id: created.id, type: 'customer_contract.created' },
    ]);
    expect(nextLink(newest)).toBeNull();
    const typed = await owner.api.get(`/v1/customer-contracts/${contract.id}/events`, { type: 'customer_contract.updated' });
    expect(typed.body.map((e: any) => e.id)).toEqual([updated.id]);

    expect((await owner.api.head(`/v1/customer-contracts/${contract.id}/events`)).status).toBe(200);
    expect((await owner.api.head(`/v1/customer-contracts/${contract.id}/events`, { type: 'customer_contract.expired' })).status).toBe(404);
  });

  it('lists a renewal under the new contract', async () => {
    const owner = await h.newOwner();
    const profile = await f.contractProfile(owner);
    expect((await owner.api.patch(`/v1/contract-profiles/${profile.id}`, [{ op: 'replace', path: '/rolloverContractProfileId', value: profile.id }])).status).toBe(200);
    const contract = await f.customerContract(owner, { contractProfileId: profile.id, startDate: '2025-01-01' });
    const run = await owner.api.post('/v1/jobs/rollover', { asOf: '2026-01-15' });
    expect(run.body, run.text).toMatchObject({ renewed: 1 });
    const renewalId = (await owner.api.get(`/v1/customer-contracts/${contract.id}`)).body.renewedCustomerContractId;
    const res = await owner.api.get(`/v1/customer-contracts/${renewalId}/events`);
    expect(res.body.map((e: any) => e.type)).toEqual(['customer_contract.renewed']);
    expect(res.body[0]).toMatchObject({ actor: `owner-${owner.id}`, objectId: renewalId, data: { previousCustomerContractId: contract.id } });
  });

  it('is a 404 for a contract that is not visible or does not exist, and needs contracts:read', async () => {
    const owner = await h.newOwner();
    const other = await h.newOwner();
    const contract = await f.customerContract(owner);
    expectProblem(await other.api.get(`/v1/customer-contracts/${contract.id}/events`), 404);
    expect((await other.api.head(`/v1/customer-contracts/${contract.id}/events`)).status).toBe(404);
    expectProblem(await owner.api.get('/v1/customer-contracts/999999999/events'), 404);
    expectProblem(await owner.api.get('/v1/customer-contracts/0/events'), 400);

    const customersOnly = h.client(await signTestToken({ owners: [owner.id], scope: 'customers:read' }));
    expectProblem(await customersOnly.get(`/v1/customer-contracts/${contract.id}/events`), 403);
    const contractsRead = h.client(await signTestToken({ owners: [owner.id], scope: 'contracts:read' }));
    expect((await contractsRead.get(`/v1/customer-contracts/${contract.id}/events`)).status).toBe(200);
    expectProblem(await owner.api.post(`/v1/customer-contracts/${contract.id}/events`, {}), 405);
  });
});

describe('GET /v1/events', () => {
  it('filters by type, object, owner and time', async () => {
    const owner = await h.newOwner();
    const objectId = 1_000_000 + Math.floor(Math.random() * 1_000_000);
    const a = await addEvent(owner.id, { type: 'customer_contract.created', objectId, createdAt: '2026-01-01T10:00:00.000Z' });
    const b = await addEvent(owner.id, { type: 'customer_contract.updated', objectId, createdAt: '2026-01-02T10:00:00.000Z' });
    const c = await addEvent(owner.id, { type: 'contract_profile.created', objectType: 'contract_profile', objectId, createdAt: '2026-01-03T10:00:00.000Z' });
    const d = await addEvent(owner.id, { type: 'customer_contract.updated', objectId: objectId + 1, createdAt: '2026-01-04T10:00:00.000Z' });
    const ids = async (query: Record<string, string | number>) => {
      const res = await owner.api.get('/v1/events', query);
      expect(res.status, res.text).toBe(200);
      return res.body.map((e: any) => e.id);
    };

    expect(await ids({})).toEqual([a.id, b.id, c.id, d.id]);
    expect(await ids({ type: 'customer_contract.updated' })).toEqual([b.id, d.id]);
    expect(await ids({ type: 'in:customer_contract.created,contract_profile.created' })).toEqual([a.id, c.id]);
    expect(await ids({ objectType: 'customer_contract', objectId })).toEqual([a.id, b.id]);
    expect(await ids({ objectId: `in:${objectId + 1}` })).toEqual([d.id]);
    expect(await ids({ contractOwnerId: owner.id, createdAt: 'ge:2026-01-02T10:00:00Z,lt:2026-01-04T10:00:00Z' })).toEqual([b.id, c.id]);
    expect(await ids({ createdAt: 'gt:2026-01-03T11:00:00+01:00' })).toEqual([d.id]);
    expect(await ids({ createdAt: 'le:2026-01-01T10:00:00.000Z' })).toEqual([a.id]);
    expect(await ids({ sort: 'id:desc' })).toEqual([d.id, c.id, b.id, a.id]);
    expect((await owner.api.get('/v1/events', { fields: 'type,createdAt', pageSize: 1 })).body).toEqual([
      { id: a.id, type: 'customer_contract.created', createdAt: '2026-01-01T10:00:00.000Z' },
    ]);
    expect((await owner.api.head('/v1/events', { type: 'contract_profile.created' })).status).toBe(200);
    expect((await owner.api.head('/v1/events', { type: 'contract_profile.versioned' })).status).toBe(404);
  });

  it('pages by cursor: a poller stores the next link and gets exactly what happened since', async () => {
    const owner = await h.newOwner();
    const first = [];
    for (let i = 0; i < 5; i++) first.push((await addEvent(owner.id, { objectId: i + 1 })).id);

    const walked = await walk(owner.api, '/v1/events', { pageSize: 2 });
    expect(walked.ids).toEqual(first);
    expect(walked.pages).toBe(4); // 2 + 2 + 1, then the empty page after the last
    // the last page still links on, to where the next event will be
    expect(walked.last).toMatch(/^\/v1\/events\?pageSize=2&cursor=[A-Za-z0-9_-]+$/);
    const empty = await owner.api.get(walked.last!);
    expect(empty.body).toEqual([]);
    expect(nextLink(empty)).toBe(walked.last);
    expect((await owner.api.head(walked.last!)).status).toBe(404);

    const later = [(await addEvent(owner.id)).id, (await addEvent(owner.id)).id, (await addEvent(owner.id)).id];
    expect((await owner.api.head(walked.last!)).status).toBe(200);
    const resumed = await walk(owner.api, walked.last!, {});
    expect(resumed.ids).toEqual(later);

    // newest first: the last page has no next link
    const newest = await walk(owner.api, '/v1/events', { pageSize: 3, sort: 'id:desc' });
    expect(newest.ids).toEqual([...first, ...later].reverse());
    const lastPage = await owner.api.get('/v1/events', { pageSize: 8, sort: 'id:desc' });
    expect(lastPage.body).toHaveLength(8);
    expect(nextLink(lastPage)).toBeNull();

    // numbered pages, as on every list, for browsing: with the total
    const numbered = await owner.api.get('/v1/events', { page: 2, pageSize: 3 });
    expect(numbered.body.map((e: any) => e.id)).toEqual([first[3], first[4], later[0]]);
    expect(numbered.headers.get('x-total-count')).toBe('8');
    expect(numbered.headers.get('link')).toContain('rel="prev"');
    expect(numbered.headers.get('link')).toContain('page=3');
    // the first cursor page counts, the pages after a cursor do not
    expect((await owner.api.get('/v1/events', { pageSize: 3 })).headers.get('x-total-count')).toBe('8');
    expect((await owner.api.get('/v1/events', { pageSize: 3, objectId: 3 })).headers.get('x-total-count')).toBe('1');
    expect((await owner.api.get(walked.last!)).headers.get('x-total-count')).toBeNull();

    // a filter rides along the links
    const filtered = await walk(owner.api, '/v1/events', { pageSize: 1, objectId: 3 });
    expect(filtered.ids).toEqual([first[2]]);
    expect(filtered.last).toContain('objectId=3');
  });

  it('never shows another owner’s events', async () => {
    const owner = await h.newOwner();
    const other = await h.newOwner();
    const mine = await addEvent(owner.id);
    const theirs = await addEvent(other.id);
    const both = h.client(await signTestToken({ owners: [owner.id, other.id], scope: 'webhooks:read' }));

    expect((await owner.api.get('/v1/events')).body.map((e: any) => e.id)).toEqual([mine.id]);
    expect((await owner.api.get('/v1/events', { contractOwnerId: other.id })).body).toEqual([]);
    expect((await owner.api.head('/v1/events', { contractOwnerId: other.id })).status).toBe(404);
    expect((await owner.api.get('/v1/events', { type: theirs.type, objectId: theirs.objectId })).body.map((e: any) => e.id)).toEqual([mine.id]);
    expect((await both.get('/v1/events')).body.map((e: any) => e.id)).toEqual([mine.id, theirs.id]);
    // a cursor carries no rights: the other owner's cursor still reads only its own events
    const cursorFromBoth = nextLink(await both.get('/v1/events', { pageSize: 1 }))!;
    expect((await other.api.get(cursorFromBoth)).body.map((e: any) => e.id)).toEqual([theirs.id]);
  });

  it('needs webhooks:read, and refuses what it does not understand', async () => {
    const owner = await h.newOwner();
    await addEvent(owner.id);
    const contractsOnly = h.client(await signTestToken({ owners: [owner.id], scope: 'contracts:read' }));
    expectProblem(await contractsOnly.get('/v1/events'), 403);
    const webhooksRead = h.client(await signTestToken({ owners: [owner.id], scope: 'webhooks:read' }));
    expect((await webhooksRead.get('/v1/events')).status).toBe(200);

    const bad: Array<[Record<string, string>, string]> = [
      [{ cursor: 'not a cursor' }, 'query.cursor'],
      [{ cursor: 'WzEsMl0' }, 'query.cursor'], // [1,2]: not a cursor of this list
      [{ cursor: 'eyJpZCI6MX0' }, 'query.cursor'], // {"id":1}
      [{ cursor: '' }, 'query.cursor'],
      [{ page: '2', cursor: 'WzFd' }, 'query.page'], // [1]: a cursor, but not with a page number
      [{ pageSize: '1001' }, 'query.pageSize'],
      [{ sort: 'createdAt' }, 'query.sort'],
      [{ type: 'like:' }, 'query.type'],
      [{ createdAt: 'ge:2026-01-01' }, 'query.createdAt'],
      [{ objectId: 'abc' }, 'query.objectId'],
      [{ fields: 'nope' }, 'query.fields'],
      [{ actor: 'x' }, 'query.actor'],
    ];
    for (const [query, path] of bad) {
      const problem = expectProblem(await owner.api.get('/v1/events', query), 400);
      expect(problem.errors?.[0]?.path, JSON.stringify(query)).toBe(path);
    }
    expectProblem(await owner.api.delete('/v1/events'), 405);
    expectProblem(await owner.api.get('/v1/events', undefined, { headers: { accept: 'application/xml' } }), 406);
  });

  it('streams every matching event as NDJSON or CSV, from a cursor', async () => {
    const owner = await h.newOwner();
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push((await addEvent(owner.id, { objectId: 50 + i })).id);
    const cursor = new URL(nextLink(await owner.api.get('/v1/events', { pageSize: 1 }))!, 'http://x').searchParams.get('cursor')!;

    const ndjson = await owner.api.get('/v1/events', { cursor }, { headers: { accept: 'application/x-ndjson' } });
    expect(ndjson.headers.get('content-type')).toBe('application/x-ndjson');
    const lines = ndjson.text.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((e) => e.id)).toEqual(ids.slice(1));
    expect(lines[0]).toMatchObject({ objectId: 51, data: { id: 51, note: 'direct' } });

    const csv = await owner.api.get('/v1/events', { fields: 'objectId,data' }, { headers: { accept: 'text/csv' } });
    expect(csv.status, csv.text).toBe(200);
    expect(csv.text.split('\r\n')).toEqual([
      'id,objectId,data',
      ...ids.map((id, i) => `${id},${50 + i},"{""id"":${50 + i},""note"":""direct""}"`),
      '',
    ]);
  });
});
