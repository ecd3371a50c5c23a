/**
 * HTTP hygiene on both runtimes: CORS for the configured origins (preflight
 * without a token), secure headers, ETags with If-None-Match → 304 on reads,
 * Server-Timing, compression where the runtime does it itself, GET /v1/me, and
 * /health and /ready.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, type Harness, harness, signTestToken, unique } from '../helpers/harness';
import { customer, customerContract } from '../helpers/factories';

const APP_ORIGIN = 'https://app.example.com';

let h: Harness;
let withCors: Harness;
beforeAll(async () => {
  h = await harness();
  withCors = await harness({ CORS_ORIGINS: `${APP_ORIGIN}, https://admin.example.com` });
});

describe('CORS', () => {
  it('answers a preflight from a configured origin without a token', async () => {
    const res = await withCors.request('OPTIONS', '/v1/customers', {
      headers: { origin: APP_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, idempotency-key' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(res.headers.get('access-control-allow-methods')).toContain('PATCH');
    for (const header of ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-Match', 'X-D1-Bookmark']) expect(res.headers.get('access-control-allow-headers')).toContain(header);
    expect(res.headers.get('vary')).toMatch(/Origin/);
  });

  it('lets a configured origin read responses, errors included, and their headers', async () => {
    const owner = await withCors.newOwner();
    const created = await customer(owner);
    const res = await owner.api.get(`/v1/customers/${created.id}`, undefined, { headers: { origin: APP_ORIGIN } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    // the ETag to send back, and the D1 bookmark a browser client keeps for read-your-writes on the Worker
    for (const header of ['ETag', 'X-D1-Bookmark']) expect(res.headers.get('access-control-expose-headers')).toContain(header);
    const unauthenticated = await withCors.request('GET', '/v1/customers', { headers: { origin: APP_ORIGIN } });
    expectProblem(unauthenticated, 401);
    expect(unauthenticated.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
  });

  it('allows no other origin, and none at all by default', async () => {
    const other = await withCors.request('OPTIONS', '/v1/customers', { headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await h.request('OPTIONS', '/v1/customers', { headers: { origin: APP_ORIGIN, 'access-control-request-method': 'GET' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(preflight.status).not.toBe(204);
    const read = await h.admin.get('/v1/contract-owners', undefined, { headers: { origin: APP_ORIGIN } });
    expect(read.status).toBe(200);
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('secure headers', () => {
  it('gives API responses a policy that loads and frames nothing', async () => {
    const res = await h.admin.get('/v1/contract-owners');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('lets /docs load its own bundle and the document, and nothing from elsewhere', async () => {
    const page = await h.request('GET', '/docs');
    const policy = page.headers.get('content-security-policy') ?? '';
    expect(policy).toMatch(/script-src 'self'/);
    expect(policy).toMatch(/connect-src 'self'/);
    expect(policy).not.toMatch(/https?:/);
    const sources = [...page.text.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]);
    for (const source of sources) expect(source).toMatch(/^\/docs\/assets\//);
  });
});

describe('ETag and If-None-Match', () => {
  it('answers 304 for an object whose version was read, 200 once it changed', async () => {
    const owner = await h.newOwner();
    const created = await customer(owner);
    const path = `/v1/customers/${created.id}`;
    const first = await owner.api.get(path);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"\d+"$/);
    const again = await owner.api.get(path, undefined, { headers: { 'if-none-match': etag } });
    expect([again.status, again.text, again.headers.get('etag')]).toEqual([304, '', etag]);
    expect(again.headers.get('x-request-id')).toBeTruthy();
    const head = await owner.api.head(path, undefined, { headers: { 'if-none-match': etag } });
    expect(head.status).toBe(304);

    const patched = await owner.api.patch(path, [{ op: 'replace', path: '/customerName', value: unique('Renamed ') }], { headers: { 'if-match': etag } });
    expect(patched.status, patched.text).toBe(200);
    const changed = await owner.api.get(path, undefined, { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('tags a list by its content: 304 while nothing changed', async () => {
    const owner = await h.newOwner();
    await customer(owner);
    const list = await owner.api.get('/v1/customers');
    const etag = list.headers.get('etag');
    expect(etag).toMatch(/^"[^"]+"$/);
    expect((await owner.api.get('/v1/customers', undefined, { headers: { 'if-none-match': etag! } })).status).toBe(304);
    await customer(owner);
    const grown = await owner.api.get('/v1/customers', undefined, { headers: { 'if-none-match': etag! } });
    expect(grown.status).toBe(200);
    expect(grown.body.data ?? grown.body).toHaveLength(2);
  });

  it('tags a JSON read with the SHA-1 of its body, on either runtime (Node digests the text as it is rendered)', async () => {
    const owner = await h.newOwner();
    await customer(owner);
    for (const path of ['/v1/customers', '/v1/me']) {
      const res = await owner.api.get(path);
      expect(res.status, res.text).toBe(200);
      const bytes = await crypto.subtle.digest('SHA-1', new TextEncoder().encode(res.text));
      const hex = [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
      expect(res.headers.get('etag')).toBe(`"${hex}"`);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    }
  });

  it('tags /openapi.json, and leaves streamed exports untagged', async () => {
    const doc = await h.request('GET', '/openapi.json');
    const etag = doc.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await h.request('GET', '/openapi.json', { headers: { 'if-none-match': `W/"other", ${etag}` } });
    expect([again.status, again.text]).toEqual([304, '']);
    const owner = await h.newOwner();
    await customer(owner);
    const csv = await owner.api.get('/v1/customers', undefined, { headers: { accept: 'text/csv' } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('etag')).toBeNull();
  });
});

describe('version ETags and compression', () => {
  it('sends an object untransformed, so its ETag stays the strong one If-Match compares', async () => {
    const owner = await h.newOwner();
    // over hono/compress's 1 KiB threshold
    const created = await customerContract(owner, { notes: 'Keys at reception. '.repeat(150) });
    const res = await h.runtime.fetch(
      new Request(`http://tenor.test/v1/customer-contracts/${created.id}`, { headers: { authorization: `Bearer ${owner.token}`, 'accept-encoding': 'gzip' } }),
    );
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(res.headers.get('etag')).toMatch(/^"\d+"$/);
    expect(res.headers.get('cache-control')).toMatch(/no-transform/);
    await res.body?.cancel();
    // a list is compressed (on Node) and may carry a weak digest: only If-None-Match uses it
    const list = await h.runtime.fetch(
      new Request('http://tenor.test/v1/customer-contracts', { headers: { authorization: `Bearer ${owner.token}`, 'accept-encoding': 'gzip' } }),
    );
    expect(list.headers.get('cache-control') ?? '').not.toMatch(/no-transform/);
    if (h.kind === 'node') expect(list.headers.get('content-encoding')).toBe('gzip');
    await list.body?.cancel();
  });
});

describe('Server-Timing', () => {
  it('reports the total and the database time of a request', async () => {
    const owner = await h.newOwner();
    await customer(owner);
    const res = await owner.api.get('/v1/customers');
    const timing = res.headers.get('server-timing') ?? '';
    expect(timing).toMatch(/\btotal;dur=\d+(\.\d+)?/);
    expect(timing).toMatch(/\bdb;dur=\d+(\.\d+)?;desc="database"/);
    const total = Number(/total;dur=([\d.]+)/.exec(timing)![1]);
    const db = Number(/db;dur=([\d.]+)/.exec(timing)![1]);
    expect(db).toBeLessThanOrEqual(total + 0.01);
    if (h.kind === 'node') expect(db).toBeGreaterThan(0);
    // no database involved: no database time
    const health = await h.request('GET', '/health');
    expect(health.headers.get('server-timing')).toMatch(/\bdb;dur=0\b/);
  });
});

describe('compression', () => {
  it('compresses the API document on Node; on the Worker Cloudflare compresses at its edge', async () => {
    const res = await h.runtime.fetch(new Request('http://tenor.test/openapi.json', { headers: { 'accept-encoding': 'gzip' } }));
    if (h.kind === 'worker') {
      expect(res.headers.get('content-encoding')).toBeNull();
      await res.body?.cancel();
      return;
    }
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('vary')).toMatch(/Accept-Encoding/);
    const compressed = new Uint8Array(await res.arrayBuffer());
    const text = await new Response(new Blob([compressed]).stream().pipeThrough(new DecompressionStream('gzip'))).text();
    expect(compressed.byteLength).toBeLessThan(text.length / 5);
    expect(JSON.parse(text).openapi).toMatch(/^3\.1/);
    const plain = await h.runtime.fetch(new Request('http://tenor.test/openapi.json'));
    expect(plain.headers.get('content-encoding')).toBeNull();
    await plain.body?.cancel();
  });
});

describe('GET /v1/me', () => {
  it('names the caller: subject, owners, scopes and app client', async () => {
    const owner = await h.newOwner();
    const token = await signTestToken({ owners: [owner.id], scope: 'customers:read contracts:*', sub: 'someone', claims: { client_id: 'my-client' } });
    const res = await h.client(token).get('/v1/me');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ sub: 'someone', owners: [owner.id], scopes: ['contracts:*', 'customers:read'], clientId: 'my-client' });
    const admin = await h.admin.get('/v1/me');
    expect(admin.body).toEqual({ sub: 'test-admin', owners: ['*'], scopes: ['*'], clientId: null });
  });

  it('names the app client of a token from /v1/authenticate', async () => {
    const owner = await h.newOwner();
    const created = await owner.api.create('/v1/app-clients', { name: 'Who', owners: [owner.id], scope: 'customers:read' });
    const auth = await h.request('POST', '/v1/authenticate', { body: { clientId: created.clientId, clientSecret: created.clientSecret } });
    expect(auth.status, auth.text).toBe(200);
    const me = await h.client(auth.body.token).get('/v1/me');
    expect(me.body).toEqual({ sub: `app-client:${created.id}`, owners: [owner.id], scopes: ['customers:read'], clientId: created.clientId });
  });

  it('needs a valid token', async () => {
    const res = await h.request('GET', '/v1/me');
    expectProblem(res, 401);
    expect(res.headers.get('www-authenticate')).toMatch(/Bearer/);
    expectProblem(await h.admin.post('/v1/me', {}), 405);
  });
});

describe('/health and /ready', () => {
  it('answer without a token: /ready after asking the database', async () => {
    const health = await h.request('GET', '/health');
    expect([health.status, health.body]).toEqual([200, { status: 'ok' }]);
    const ready = await h.request('GET', '/ready');
    expect([ready.status, ready.body]).toEqual([200, { status: 'ready' }]);
    expect(ready.headers.get('cache-control')).toBe('no-store');
  });
});
