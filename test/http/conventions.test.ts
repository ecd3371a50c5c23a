/** The cross-cutting conventions (conventions.md), exercised through one resource on both runtimes. */
import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, type Harness, harness, signTestToken, unique } from '../helpers/harness';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

async function ownerWithCustomers(names: string[]) {
  const owner = await h.newOwner();
  const customers = [];
  for (const customerName of names) {
    customers.push(await owner.api.create('/v1/customers', { contractOwnerId: owner.id, customerName, customerAccountNumber: unique('N') }));
  }
  return { owner, customers };
}

describe('authentication', () => {
  it('answers 401 with WWW-Authenticate for missing, garbage, expired, wrongly signed and alg:none tokens', async () => {
    const owner = await h.newOwner();
    const expired = await signTestToken({ owners: [owner.id], expiresIn: -120 });
    const wrongSecret = await signTestToken({ owners: [owner.id], secret: 'another-secret-that-is-long-enough-0123456789' });
    const notYet = await signTestToken({ owners: [owner.id], notBefore: 600 });
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: 'x', scope: '*', owners: ['*'], exp: Math.floor(Date.now() / 1000) + 600 })).toString('base64url');
    const algNone = `${header}.${payload}.`;
    for (const token of [null, 'garbage', expired, wrongSecret, notYet, algNone]) {
      const res = await h.request('GET', '/v1/customers', { token });
      const problem = expectProblem(res, 401);
      expect(problem.type).toBe('https://tenor.dev/errors/unauthorized');
      expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    }
  });

  it('answers 403 when the scope is missing, and honours area:read / area:* / *', async () => {
    const owner = await h.newOwner();
    const readOnly = h.client(await signTestToken({ owners: [owner.id], scope: 'customers:read' }));
    expect((await readOnly.get('/v1/customers')).status).toBe(200);
    expectProblem(await readOnly.post('/v1/customers', { contractOwnerId: owner.id, customerName: 'X' }), 403);
    const pricingOnly = h.client(await signTestToken({ owners: [owner.id], scope: 'pricing:*' }));
    expectProblem(await pricingOnly.get('/v1/customers'), 403);
    const areaStar = h.client(await signTestToken({ owners: [owner.id], scope: 'customers:*' }));
    expect((await areaStar.post('/v1/customers', { contractOwnerId: owner.id, customerName: 'Y' })).status).toBe(201);
  });

  it('leaves public routes open', async () => {
    expect((await h.request('GET', '/health')).status).toBe(200);
    const doc = await h.request('GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toContain('/v1/customers/{id}');
  });
});

describe('errors and request ids', () => {
  it('answers problem+json with the request id it was given', async () => {
    const owner = await h.newOwner();
    const res = await owner.api.get('/v1/customers/999999999', undefined, { headers: { 'x-request-id': 'req-abc-123' } });
    const problem = expectProblem(res, 404);
    expect(res.headers.get('x-request-id')).toBe('req-abc-123');
    expect(problem).toMatchObject({ status: 404, title: 'Not found', instance: '/v1/customers/999999999', requestId: 'req-abc-123' });
  });

  it('generates a request id when none is sent', async () => {
    const owner = await h.newOwner();
    const res = await owner.api.get('/v1/customers');
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('rejects non-integer and non-positive path ids with 400', async () => {
    const owner = await h.newOwner();
    for (const id of ['abc', '0', '-3', '1.5']) expectProblem(await owner.api.get(`/v1/customers/${id}`), 400);
  });

  it('answers 405 with Allow for a method a path does not have, and 404 for unknown paths', async () => {
    const owner = await h.newOwner();
    const res = await owner.api.request('PUT', '/v1/customers');
    expectProblem(res, 405);
    expect(res.headers.get('allow')).toBe('GET, HEAD, POST');
    expectProblem(await owner.api.get('/v1/nothing-here'), 404);
  });

  it('answers 415 for a POST that is not JSON and 400 for broken JSON, changing nothing', async () => {
    const owner = await h.newOwner();
    expectProblem(await owner.api.post('/v1/customers', undefined, { raw: 'customerName=x', contentType: 'application/x-www-form-urlencoded' }), 415);
    expectProblem(await owner.api.post('/v1/customers', undefined, { raw: '{"customerName": ' }), 400);
    expect((await owner.api.get('/v1/customers')).body).toEqual([]);
  });

  it('answers 413 for a body over 1 MiB', async () => {
    const owner = await h.newOwner();
    const res = await owner.api.post('/v1/customers', { contractOwnerId: owner.id, customerName: 'x', notes: 'y'.repeat(1_100_000) });
    expectProblem(res, 413);
  });

  it('names every invalid and unknown field', async () => {
    const owner = await h.newOwner();
    const res = await owner.api.post('/v1/customers', { contractOwnerId: owner.id, customerName: '', startDate: '2025-02-29', colour: 'red' });
    const problem = expectProblem(res, 400);
    const paths = problem.errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual(['/colour', '/customerName', '/startDate']);
  });
});

describe('lists', () => {
  it('paginates with X-Total-Count and Link, sorts with a stable tie-break and projects fields', async () => {
    const { owner, customers } = await ownerWithCustomers(['Delta', 'Alpha', 'Charlie', 'Alpha', 'Bravo']);
    const page1 = await owner.api.get('/v1/customers', { sort: 'customerName:desc', pageSize: 2, fields: 'customerName' });
    expect(page1.status).toBe(200);
    expect(page1.headers.get('x-total-count')).toBe('5');
    expect(page1.body).toEqual([
      { id: customers[0].id, customerName: 'Delta' },
      { id: customers[2].id, customerName: 'Charlie' },
    ]);
    const link = page1.headers.get('link')!;
    expect(link).toContain('rel="first"');
    expect(link).toContain('rel="next"');
    expect(link).toContain('page=3');
    expect(link).not.toContain('rel="prev"');
    const page3 = await owner.api.get('/v1/customers', { sort: 'customerName:desc', pageSize: 2, page: 3 });
    expect(page3.body.map((c: any) => c.customerName)).toEqual(['Alpha']);
    expect(page3.body[0].id).toBe(customers[3].id); // two Alphas: id ascending breaks the tie
  });

  it('filters with in:, like:, date ranges and gtn:', async () => {
    const owner = await h.newOwner();
    const mk = (customerName: string, startDate: string | null, endDate: string | null) =>
      owner.api.create('/v1/customers', { contractOwnerId: owner.id, customerName, startDate, endDate });
    const a = await mk('Acme 50% Off_Shop', '2024-01-01', '2024-12-31');
    const b = await mk('Beta', '2025-03-01', null);
    const c = await mk('Gamma', '2025-06-01', '2026-01-31');
    const ids = async (query: Record<string, string>) => (await owner.api.get('/v1/customers', query)).body.map((x: any) => x.id);
    expect(await ids({ id: `in:${a.id},${c.id}` })).toEqual([a.id, c.id]);
    expect(await ids({ customerName: 'in:Beta,Gamma' })).toEqual([b.id, c.id]);
    expect(await ids({ customerName: 'like:50%' })).toEqual([a.id]);
    expect(await ids({ customerName: 'like:f_s' })).toEqual([a.id]);
    expect(await ids({ customerName: 'like:%' })).toEqual([a.id]);
    expect(await ids({ customerName: 'like:GAM' })).toEqual([c.id]);
    expect(await ids({ customerName: 'gamma' })).toEqual([]);
    expect(await ids({ startDate: 'ge:2025-01-01,lt:2025-06-01' })).toEqual([b.id]);
    expect(await ids({ startDate: 'le:2025-03-01' })).toEqual([a.id, b.id]);
    expect(await ids({ endDate: 'gtn:2025-01-01' })).toEqual([b.id, c.id]);
    expect(await ids({ endDate: 'gt:2025-01-01' })).toEqual([c.id]);
  });

  it('rejects unknown, repeated and malformed parameters with 400 naming them', async () => {
    const owner = await h.newOwner();
    const cases: Array<[string, string]> = [
      ['customerNmae=x', 'query.customerNmae'],
      ['pageSize=5000', 'query.pageSize'],
      ['page=0', 'query.page'],
      ['startDate=2025-02-30', 'query.startDate'],
      ['startDate=lt:yesterday', 'query.startDate'],
      ['id=abc', 'query.id'],
      ['sort=colour', 'query.sort'],
      ['fields=id,colour', 'query.fields'],
      ['id=1&id=2', 'query.id'],
    ];
    for (const [query, path] of cases) {
      const problem = expectProblem(await owner.api.get(`/v1/customers?${query}`), 400);
      expect(problem.errors?.[0]?.path ?? problem.detail, query).toContain(path);
    }
  });

  it('answers 400, not a database error, when the filters together bind more values than one statement may', async () => {
    const owner = await h.newOwner();
    const ids = `in:${Array.from({ length: 10 }, (_, i) => i + 1).join(',')}`;
    const texts = `in:${Array.from({ length: 10 }, (_, i) => `t${i}`).join(',')}`;
    const range = Array.from({ length: 10 }, () => 'ge:2020-01-01').join(',');
    const query = { id: ids, customerId: ids, siteId: ids, contractProfileId: ids, rolloverContractProfileId: ids, name: texts, externalRef: texts, startDate: range, endDate: range };
    const problem = expectProblem(await owner.api.get('/v1/customer-contracts', query), 400);
    expect(problem.errors[0].path).toBe('query');
    expect((await owner.api.head('/v1/customer-contracts', query)).status).toBe(400);
    // the same filters with fewer values are fine
    const fewer = await owner.api.get('/v1/customer-contracts', { ...query, startDate: 'ge:2020-01-01', endDate: 'ge:2020-01-01' });
    expect(fewer.status, fewer.text).toBe(200);
  });

  it('answers HEAD with 200 when something matches and 404 when nothing does', async () => {
    const { owner, customers } = await ownerWithCustomers(['Solo']);
    const yes = await owner.api.head('/v1/customers', { customerName: 'Solo' });
    expect(yes.status).toBe(200);
    expect(yes.text).toBe('');
    expect((await owner.api.head('/v1/customers', { customerName: 'Nobody' })).status).toBe(404);
    const item = await owner.api.head(`/v1/customers/${customers[0].id}`);
    expect(item.status).toBe(200);
    expect(item.headers.get('etag')).toBe('"1"');
    expect((await owner.api.head('/v1/customers/999999999')).status).toBe(404);
  });
});

describe('JSON Patch', () => {
  it('applies add, remove, replace, move, copy and test', async () => {
    const owner = await h.newOwner();
    const c = await owner.api.create('/v1/customers', { contractOwnerId: owner.id, customerName: 'Patchy', customerAccountNumber: 'P-1' });
    const res = await owner.api.patch(`/v1/customers/${c.id}`, [
      { op: 'test', path: '/customerName', value: 'Patchy' },
      { op: 'copy', from: '/customerAccountNumber', path: '/externalRef' },
      { op: 'move', from: '/customerAccountNumber', path: '/language' },
      { op: 'replace', path: '/language', value: 'en' },
      { op: 'add', path: '/email', value: 'a@example.com' },
      { op: 'remove', path: '/startDate' },
    ]);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ externalRef: 'P-1', customerAccountNumber: null, language: 'en', email: 'a@example.com', startDate: null, version: 2 });
  });

  it('refuses other content types, read-only paths, failing tests and invalid results, writing nothing', async () => {
    const owner = await h.newOwner();
    const c = await owner.api.create('/v1/customers', { contractOwnerId: owner.id, customerName: 'Strict' });
    const path = `/v1/customers/${c.id}`;
    expectProblem(await owner.api.patch(path, [{ op: 'replace', path: '/customerName', value: 'x' }], { contentType: 'application/json' }), 415);
    expectProblem(await owner.api.patch(path, [{ op: 'replace', path: '/id', value: 5 }]), 400);
    expectProblem(await owner.api.patch(path, [{ op: 'replace', path: '/version', value: 9 }]), 400);
    expectProblem(await owner.api.patch(path, [{ op: 'add', path: '/colour', value: 'red' }]), 400);
    expectProblem(await owner.api.patch(path, [{ op: 'test', path: '/customerName', value: 'Other' }, { op: 'replace', path: '/customerName', value: 'x' }]), 400);
    expectProblem(await owner.api.patch(path, [{ op: 'replace', path: '/startDate', value: '2025-13-01' }]), 400);
    expectProblem(await owner.api.patch(path, [{ op: 'replace', path: '/nested/deep', value: 1 }]), 400);
    expectProblem(await owner.api.patch(path, [{ op: 'jump', path: '/customerName' }]), 400);
    expectProblem(await owner.api.patch(path, [{ op: 'replace', path: '/contractOwnerId', value: owner.id + 1 }]), 422);
    const after = await owner.api.get(path);
    expect(after.body).toEqual(c);
  });
});

describe('ETags and concurrency', () => {
  it('honours If-Match on PATCH and DELETE', async () => {
    const owner = await h.newOwner();
    const c = await owner.api.create('/v1/customers', { contractOwnerId: owner.id, customerName: 'Tagged' });
    const path = `/v1/customers/${c.id}`;
    const ok = await owner.api.patch(path, [{ op: 'replace', path: '/customerName', value: 'Tagged 2' }], { headers: { 'if-match': '"1"' } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('etag')).toBe('"2"');
    expectProblem(await owner.api.patch(path, [{ op: 'replace', path: '/customerName', value: 'Stale' }], { headers: { 'if-match': '"1"' } }), 412);
    expectProblem(await owner.api.delete(path, { headers: { 'if-match': '"1"' } }), 412);
    expect((await owner.api.delete(path, { headers: { 'if-match': '"2"' } })).status).toBe(204);
  });

  it('never loses a concurrent change: each PATCH either lands or gets 409', async () => {
    const owner = await h.newOwner();
    const c = await owner.api.create('/v1/customers', { contractOwnerId: owner.id, customerName: 'Race' });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        owner.api.patch(`/v1/customers/${c.id}`, [{ op: 'replace', path: '/customerName', value: `Race ${i}` }]),
      ),
    );
    const accepted = results.filter((r) => r.status === 200);
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    for (const r of results) expect([200, 409]).toContain(r.status);
    const final = await owner.api.get(`/v1/customers/${c.id}`);
    expect(final.body.version).toBe(1 + accepted.length);
    expect(accepted.map((r) => r.body.customerName)).toContain(final.body.customerName);
  });
});

describe('idempotency', () => {
  it('replays the first response for the same key and body, refuses a different body, and keeps callers apart', async () => {
    const owner = await h.newOwner();
    const key = unique('key-');
    const body = { contractOwnerId: owner.id, customerName: 'Once' };
    const first = await owner.api.post('/v1/customers', body, { headers: { 'idempotency-key': key } });
    expect(first.status).toBe(201);
    const again = await owner.api.post('/v1/customers', body, { headers: { 'idempotency-key': key } });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expectProblem(await owner.api.post('/v1/customers', { ...body, customerName: 'Twice' }, { headers: { 'idempotency-key': key } }), 422);
    expect((await owner.api.get('/v1/customers', { customerName: 'Once' })).body).toHaveLength(1);
    expectProblem(await owner.api.post('/v1/customers', body, { headers: { 'idempotency-key': 'x'.repeat(256) } }), 400);
  });

  it('keeps nothing for a refused request, so the corrected one may use the same key', async () => {
    const owner = await h.newOwner();
    const key = unique('key-');
    expectProblem(await owner.api.post('/v1/customers', { contractOwnerId: owner.id, customerName: 'Fixed', colour: 'red' }, { headers: { 'idempotency-key': key } }), 400);
    const corrected = await owner.api.post('/v1/customers', { contractOwnerId: owner.id, customerName: 'Fixed' }, { headers: { 'idempotency-key': key } });
    expect(corrected.status, corrected.text).toBe(201);
    expect(corrected.headers.get('idempotent-replayed')).toBeNull();
  });
});
