/** App clients and POST /v1/authenticate on both runtimes. */
import { decodeJwt } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { customer } from '../helpers/factories';
import { type Client, expectProblem, type Harness, harness, signTestToken, unique } from '../helpers/harness';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

async function clientFor(owners: Array<number | string>, scope = '*'): Promise<Client> {
  return h.client(await signTestToken({ owners, scope, sub: unique('caller-') }));
}

async function createClient(api: Client, body: Record<string, unknown>) {
  const res = await api.post('/v1/app-clients', { name: unique('Client '), ...body });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

function authenticate(clientId: unknown, clientSecret: unknown) {
  return h.request('POST', '/v1/authenticate', { body: { clientId, clientSecret } });
}

async function ids(api: Client): Promise<number[]> {
  const res = await api.get('/v1/app-clients');
  expect(res.status, res.text).toBe(200);
  return res.body.map((c: { id: number }) => c.id);
}

describe('app clients', () => {
  it('returns the secret once, on create, and never again', async () => {
    const owner = await h.newOwner();
    const res = await owner.api.post('/v1/app-clients', { name: 'Billing integration', owners: [owner.id], scope: 'customers:read' });
    expect(res.status, res.text).toBe(201);
    expect(res.headers.get('location')).toBe(`/v1/app-clients/${res.body.id}`);
    expect(res.headers.get('cache-control')).toMatch(/^no-store\b/);
    expect(res.body).toMatchObject({ name: 'Billing integration', owners: [owner.id], scope: 'customers:read', version: 1 });
    expect(res.body.clientId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(res.body.clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(res.text).not.toMatch(/secretHash|secretSalt/);

    const { clientSecret, ...stored } = res.body;
    const got = await owner.api.get(`/v1/app-clients/${res.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(stored);
    const listed = await owner.api.get('/v1/app-clients', { name: 'Billing integration' });
    expect(listed.body).toEqual([stored]);
    expect(listed.text).not.toContain(clientSecret);
    // no read knows the field, not even by name
    expectProblem(await owner.api.get(`/v1/app-clients/${res.body.id}`, { fields: 'clientSecret' }), 400);

    const second = await createClient(owner.api, { owners: [owner.id], scope: 'customers:read' });
    expect(second.clientId).not.toBe(res.body.clientId);
    expect(second.clientSecret).not.toBe(clientSecret);
  });

  it('does not replay a create under an Idempotency-Key, since that would store the secret', async () => {
    const owner = await h.newOwner();
    const body = { name: 'Once', owners: [owner.id], scope: 'customers:read' };
    const key = unique('key-');
    const first = await owner.api.post('/v1/app-clients', body, { headers: { 'idempotency-key': key } });
    const again = await owner.api.post('/v1/app-clients', body, { headers: { 'idempotency-key': key } });
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
    expect(again.body.id).not.toBe(first.body.id);
  });

  it('authenticates to a 15-minute token with exactly the client’s owners and scope', async () => {
    const a = await h.newOwner();
    const b = await h.newOwner();
    const mine = await customer(a);
    const theirs = await customer(b);
    const created = await createClient(a.api, { owners: [a.id], scope: 'customers:read' });

    const res = await authenticate(created.clientId, created.clientSecret);
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('cache-control')).toMatch(/^no-store\b/);
    expect(res.body.expiresIn).toBe(900);
    const claims = decodeJwt(res.body.token);
    expect(claims).toMatchObject({ sub: `app-client:${created.id}`, scope: 'customers:read', owners: [a.id] });
    expect(claims.exp! - claims.iat!).toBe(900);

    const api = h.client(res.body.token);
    expect((await api.get(`/v1/customers/${mine.id}`)).status).toBe(200);
    expectProblem(await api.get(`/v1/customers/${theirs.id}`), 404);
    expectProblem(await api.post('/v1/customers', { contractOwnerId: a.id, customerName: 'Nope' }), 403);
    expectProblem(await api.get('/v1/contract-owners'), 403);
    const written = await api.get('/v1/customers');
    expect(written.body.map((c: { id: number }) => c.id)).toEqual([mine.id]);
  });

  it('records the client as the author of what its token writes', async () => {
    const owner = await h.newOwner();
    const created = await createClient(owner.api, { owners: [owner.id], scope: 'customers:write' });
    const { token } = (await authenticate(created.clientId, created.clientSecret)).body;
    const row = await h.client(token).create('/v1/customers', { contractOwnerId: owner.id, customerName: 'By a client' });
    expect(row.createdBy).toBe(`app-client:${created.id}`);
  });

  it('answers 401 alike for a wrong secret, an unknown client and a deleted client', async () => {
    const owner = await h.newOwner();
    const created = await createClient(owner.api, { owners: [owner.id], scope: 'customers:read' });
    const secret: string = created.clientSecret;
    const wrongSecret = expectProblem(await authenticate(created.clientId, `${secret[0] === 'a' ? 'b' : 'a'}${secret.slice(1)}`), 401);
    const unknown = expectProblem(await authenticate('no-such-client', created.clientSecret), 401);
    const swapped = expectProblem(await authenticate(created.clientSecret, created.clientId), 401);
    expect(wrongSecret.type).toBe('https://tenor.dev/errors/unauthorized');
    expect(unknown.detail).toBe(wrongSecret.detail);
    expect(swapped.detail).toBe(wrongSecret.detail);

    expect((await owner.api.delete(`/v1/app-clients/${created.id}`)).status).toBe(204);
    expectProblem(await authenticate(created.clientId, created.clientSecret), 401);
  });

  it('validates the authenticate body (400) and allows only POST', async () => {
    expectProblem(await h.request('POST', '/v1/authenticate', { body: { clientId: 'x' } }), 400);
    expectProblem(await h.request('POST', '/v1/authenticate', { body: { clientId: 'x', clientSecret: 'y', extra: 1 } }), 400);
    expectProblem(await authenticate(42, 'y'), 400);
    expectProblem(await h.request('POST', '/v1/authenticate', { raw: 'clientId=x&clientSecret=y', contentType: 'application/x-www-form-urlencoded' }), 415);
    const res = await h.request('GET', '/v1/authenticate');
    expectProblem(res, 405);
    expect(res.headers.get('allow')).toBe('POST');
  });

  it('validates owners and scope (400), and owners that do not exist (404)', async () => {
    const owner = await h.newOwner();
    for (const body of [
      { owners: [], scope: '*' },
      { owners: ['*', owner.id], scope: '*' },
      { owners: [owner.id, owner.id], scope: '*' },
      { owners: [0], scope: '*' },
      { owners: [owner.id], scope: '' },
      { owners: [owner.id], scope: 'billing:read' },
      { owners: [owner.id], scope: 'customers:delete' },
      { owners: [owner.id], scope: 'customers:read  pricing:read' },
    ]) {
      expectProblem(await owner.api.post('/v1/app-clients', { name: 'X', ...body }), 400);
    }
    const missing = expectProblem(await h.admin.post('/v1/app-clients', { name: 'X', owners: [owner.id, 999_999_999], scope: '*' }), 404);
    expect(missing.errors[0].path).toBe('/owners/1');
  });

  it('refuses owners or scopes beyond the caller’s (403)', async () => {
    const a = await h.newOwner();
    const b = await h.newOwner();
    const problem = expectProblem(await a.api.post('/v1/app-clients', { name: 'X', owners: [a.id, b.id], scope: 'customers:read' }), 403);
    expect(problem.errors[0].path).toBe('/owners');
    expectProblem(await a.api.post('/v1/app-clients', { name: 'X', owners: ['*'], scope: 'customers:read' }), 403);

    const adminOnly = await clientFor([a.id], 'admin:*');
    const scoped = expectProblem(await adminOnly.post('/v1/app-clients', { name: 'X', owners: [a.id], scope: 'customers:read' }), 403);
    expect(scoped.errors[0].path).toBe('/scope');
    expectProblem(await adminOnly.post('/v1/app-clients', { name: 'X', owners: [a.id], scope: '*' }), 403);
    expect((await adminOnly.post('/v1/app-clients', { name: 'X', owners: [a.id], scope: 'admin:read' })).status).toBe(201);

    const narrow = await clientFor([a.id], 'admin:write customers:*');
    expect((await narrow.post('/v1/app-clients', { name: 'X', owners: [a.id], scope: 'customers:read customers:write' })).status).toBe(201);
    expectProblem(await narrow.post('/v1/app-clients', { name: 'X', owners: [a.id], scope: 'admin:*' }), 403);

    const created = await createClient(a.api, { owners: [a.id], scope: 'customers:read' });
    expectProblem(await a.api.patch(`/v1/app-clients/${created.id}`, [{ op: 'add', path: '/owners/-', value: b.id }]), 403);
    expectProblem(await adminOnly.patch(`/v1/app-clients/${created.id}`, [{ op: 'replace', path: '/scope', value: 'customers:*' }]), 403);
    expect((await a.api.get(`/v1/app-clients/${created.id}`)).body).toMatchObject({ owners: [a.id], scope: 'customers:read', version: 1 });
    // fields it does not change are not held against the caller
    const renamed = await adminOnly.patch(`/v1/app-clients/${created.id}`, [{ op: 'replace', path: '/name', value: 'Renamed' }]);
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Renamed', scope: 'customers:read', version: 2 });
  });

  it('needs the admin scope', async () => {
    const owner = await h.newOwner();
    const customersOnly = await clientFor([owner.id], 'customers:*');
    expectProblem(await customersOnly.get('/v1/app-clients'), 403);
    expectProblem(await customersOnly.post('/v1/app-clients', { name: 'X', owners: [owner.id], scope: 'customers:read' }), 403);
  });

  it("shows and lets callers manage only clients whose owners are within the caller's", async () => {
    const a = await h.newOwner();
    const b = await h.newOwner();
    const onlyA = await createClient(h.admin, { owners: [a.id], scope: 'customers:read' });
    const both = await createClient(h.admin, { owners: [a.id, b.id], scope: 'customers:read' });
    const everyone = await createClient(h.admin, { owners: ['*'], scope: 'customers:read' });
    const callerAB = await clientFor([a.id, b.id]);

    expect(await ids(a.api)).toEqual([onlyA.id]);
    expect(await ids(b.api)).toEqual([]);
    expect(await ids(callerAB)).toEqual([onlyA.id, both.id]);
    const all = await ids(h.admin);
    expect(all).toEqual(expect.arrayContaining([onlyA.id, both.id, everyone.id]));
    expect((await a.api.head('/v1/app-clients', { id: both.id })).status).toBe(404);
    expect((await callerAB.head('/v1/app-clients', { id: both.id })).status).toBe(200);

    for (const hidden of [both, everyone]) {
      expectProblem(await a.api.get(`/v1/app-clients/${hidden.id}`), 404);
      expectProblem(await a.api.patch(`/v1/app-clients/${hidden.id}`, [{ op: 'replace', path: '/name', value: 'Mine now' }]), 404);
      expectProblem(await a.api.delete(`/v1/app-clients/${hidden.id}`), 404);
    }
    expectProblem(await callerAB.get(`/v1/app-clients/${everyone.id}`), 404);

    const renamed = await a.api.patch(`/v1/app-clients/${onlyA.id}`, [
      { op: 'replace', path: '/name', value: 'Renamed' },
      { op: 'replace', path: '/scope', value: 'customers:* contracts:read' },
    ]);
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Renamed', scope: 'customers:* contracts:read', clientId: onlyA.clientId, version: 2 });
    expect(renamed.body.clientSecret).toBeUndefined();
    expectProblem(await a.api.patch(`/v1/app-clients/${onlyA.id}`, [{ op: 'replace', path: '/clientId', value: 'mine' }]), 400);

    const widened = await callerAB.patch(`/v1/app-clients/${onlyA.id}`, [{ op: 'add', path: '/owners/-', value: b.id }]);
    expect(widened.status, widened.text).toBe(200);
    expectProblem(await a.api.get(`/v1/app-clients/${onlyA.id}`), 404);

    const token = (await authenticate(onlyA.clientId, onlyA.clientSecret)).body.token;
    expect(decodeJwt(token)).toMatchObject({ owners: [a.id, b.id], scope: 'customers:* contracts:read' });
    expect((await callerAB.delete(`/v1/app-clients/${onlyA.id}`)).status).toBe(204);
  });

  it('documents the routes in OpenAPI', async () => {
    const doc = (await h.request('GET', '/openapi.json')).body;
    const auth = doc.paths['/v1/authenticate'].post;
    expect(auth.security).toEqual([]);
    expect(Object.keys(auth.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '500']));
    expect(auth.requestBody.content['application/json'].schema).toBeDefined();
    expect(doc.paths['/v1/app-clients'].post).toBeDefined();
    const created = doc.paths['/v1/app-clients'].post.responses['201'].content['application/json'].schema;
    expect(created.$ref).toBe('#/components/schemas/AppClientCreated');
    expect(JSON.stringify(doc.components.schemas.AppClientCreated)).toContain('"clientSecret"');
    expect(doc.components.schemas.AppClient.properties).not.toHaveProperty('clientSecret');
  });
});
