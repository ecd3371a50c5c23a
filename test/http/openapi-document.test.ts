/**
 * /openapi.json says exactly what the server does, for every operation (those
 * added later too): patterns any validator can read, integers and booleans typed
 * as such, HEAD documented, the Idempotency-Key header on POST, problem+json
 * errors, partial objects where `fields=` or `summary: true` leave fields out.
 * (Redocly's lint of the same document runs before the tests: npm run lint:openapi.)
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness } from '../helpers/harness';

// biome-ignore lint: the document is untyped JSON
type Json = any;

const METHODS = ['get', 'head', 'post', 'put', 'patch', 'delete'];

let h: Harness;
let doc: Json;
let operations: Array<{ method: string; path: string; op: Json }>;

beforeAll(async () => {
  h = await harness();
  doc = (await h.request('GET', '/openapi.json')).body;
  operations = Object.entries<Json>(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ method, path, op: item[method] })),
  );
});

/** Every value of a key anywhere in the document, with where it is. */
function collect(key: string, node: Json = doc, at = '#', out: Array<{ at: string; value: Json }> = []) {
  if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries<Json>(node)) {
      if (k === key) out.push({ at: `${at}/${k}`, value: v });
      collect(key, v, `${at}/${k}`, out);
    }
  }
  return out;
}

const resolve = (schema: Json): Json => (schema?.$ref ? resolve(schema.$ref.slice(2).split('/').reduce((n: Json, k: string) => n[k], doc)) : schema);

describe('the API document', () => {
  it('has patterns that are plain ECMA-262 (u flag) without property escapes or leaked flags', () => {
    const patterns = collect('pattern').filter((p) => typeof p.value === 'string');
    expect(patterns.length).toBeGreaterThan(0);
    for (const { at, value } of patterns) {
      expect(() => new RegExp(value, 'u'), at).not.toThrow();
      expect(value, `${at}: a regex's flags leaked into the pattern`).not.toMatch(/[^\\]\/[dgimsuvy]+$/);
      expect(value, `${at}: \\p{…} is not read by Python's re; use src/http/unicode-classes.ts`).not.toMatch(/\\[pP]\{/);
    }
  });

  it('accepts names in every script with the documented pattern, as the server does', async () => {
    const owner = await h.newOwner();
    const pattern = new RegExp(resolve(doc.components.schemas.Customer).properties.customerName.pattern, 'u');
    for (const customerName of ['Zoë Ångström', 'Ωmega Ltd', '東京 株式会社', '𠮷野家', 'O’Brien & Sons (Cork)']) {
      expect(pattern.test(customerName), customerName).toBe(true);
      expect((await owner.api.post('/v1/customers', { contractOwnerId: owner.id, customerName })).status, customerName).toBe(201);
    }
    for (const customerName of ['<script>', 'a\u0000b', 'tab\there']) {
      expect(pattern.test(customerName), customerName).toBe(false);
      expect((await owner.api.post('/v1/customers', { contractOwnerId: owner.id, customerName })).status, customerName).toBe(400);
    }
  });

  it('types ids, page numbers and boolean filters as integers and booleans', () => {
    for (const { method, path, op } of operations) {
      for (const p of op.parameters ?? []) {
        const name = `${method.toUpperCase()} ${path} ${p.in} ${p.name}`;
        if (p.in === 'path' && /^id$|Id$|ID$/.test(p.name)) expect(p.schema.type, name).toBe('integer');
        if (p.in === 'query' && (p.name === 'page' || p.name === 'pageSize')) expect(p.schema.type, name).toBe('integer');
        if (p.in === 'query' && /`true` or `false`/.test(p.description ?? '')) expect(p.schema.type, name).toBe('boolean');
        if (p.in === 'query' && /`5` or `in:1,2,3`/.test(p.description ?? '')) expect(p.schema, name).toMatchObject({ type: ['integer', 'string'], minimum: 1 });
      }
    }
  });

  it('documents HEAD wherever GET is, without bodies', () => {
    for (const [path, item] of Object.entries<Json>(doc.paths)) {
      if (!item.get) continue;
      expect(item.head, `HEAD ${path}`).toBeDefined();
      for (const [status, response] of Object.entries<Json>(item.head.responses)) expect(response.content, `HEAD ${path} ${status}`).toBeUndefined();
      expect(Object.keys(item.head.responses), `HEAD ${path}`).toEqual(expect.arrayContaining(['200', '401']));
    }
  });

  it('documents Idempotency-Key on every POST that takes a token, and the 409 and 422 it may cause', () => {
    const posts = operations.filter((o) => o.method === 'post' && (o.op.security ?? []).some((s: object) => Object.keys(s).length));
    expect(posts.length).toBeGreaterThan(10);
    for (const { path, op } of posts) {
      expect(op.parameters.map((p: Json) => p.name), `POST ${path}`).toContain('Idempotency-Key');
      expect(Object.keys(op.responses), `POST ${path}`).toEqual(expect.arrayContaining(['409', '422']));
    }
  });

  it('documents every error as problem+json with the Problem schema (HEAD: the status alone)', () => {
    for (const { method, path, op } of operations) {
      const errors = Object.entries<Json>(op.responses).filter(([status]) => /^[45]/.test(status));
      expect(errors.length, `${method} ${path}`).toBeGreaterThan(0);
      if (method === 'head') continue;
      for (const [status, response] of errors) {
        expect(Object.keys(response.content ?? {}), `${method} ${path} ${status}`).toEqual(['application/problem+json']);
        expect(response.content['application/problem+json'].schema, `${method} ${path} ${status}`).toEqual({ $ref: '#/components/schemas/Problem' });
      }
    }
    expect(doc.components.schemas.Problem.required).toEqual(expect.arrayContaining(['type', 'title', 'status', 'detail']));
  });

  it('allows partial objects where fields=, columns= or summary: true leave fields out', () => {
    for (const { method, path, op } of operations) {
      // /v1 and /v2: fields and the summary header; simPRO: columns
      const takesFields = (op.parameters ?? []).some((p: Json) => ['fields', 'summary', 'columns'].includes(p.name));
      if (!takesFields || method === 'head') continue;
      const ok = Object.entries<Json>(op.responses).filter(([status]) => /^2/.test(status));
      for (const [status, response] of ok) {
        let schema = response.content['application/json'].schema;
        if (schema.type === 'array') schema = schema.items;
        const variants: Json[] = (schema.anyOf ?? [schema]).map(resolve);
        const mostPartial = variants.map((v) => v.required ?? []).sort((a, b) => a.length - b.length)[0];
        expect(mostPartial.filter((f: string) => f !== 'id'), `${method} ${path} ${status}`).toEqual([]);
      }
    }
  });

  it('has no path with a trailing slash but simPRO’s collections (its clients call them so)', () => {
    for (const path of Object.keys(doc.paths)) if (path.endsWith('/')) expect(path).toMatch(/^\/api\/v1\.0\//);
  });

  it('has unique operation ids and defines every tag it uses', () => {
    const ids = operations.map((o) => o.op.operationId);
    expect(ids.every(Boolean)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const defined = new Set(doc.tags.map((t: Json) => t.name));
    for (const { op } of operations) for (const tag of op.tags ?? []) expect(defined.has(tag), tag).toBe(true);
  });
});

describe('the server agrees with the document', () => {
  it('answers HEAD as documented: lists whether any matches, items whether they exist, other GETs the GET without its body', async () => {
    const owner = await h.newOwner();
    expect((await owner.api.head('/v1/customers')).status).toBe(404);
    const customer = await owner.api.create('/v1/customers', { contractOwnerId: owner.id, customerName: 'Head Ltd' });
    const list = await owner.api.head('/v1/customers');
    expect([list.status, list.text]).toEqual([200, '']);
    const item = await owner.api.head(`/v1/customers/${customer.id}`);
    expect([item.status, item.text, item.headers.get('etag')]).toEqual([200, '', `"${customer.version}"`]);
    const missing = await owner.api.head('/v1/customers/999999999');
    expect([missing.status, missing.text]).toEqual([404, '']);
    expect(missing.headers.get('content-type')).toMatch(/problem\+json/);
    // HEADs the document derives from a GET (operation id …Head): the GET's status, no body
    for (const { path, op } of operations.filter((o) => o.method === 'head' && /Head\d*$/.test(o.op.operationId))) {
      if (/[{]/.test(path) || (op.parameters ?? []).some((p: Json) => p.required)) continue;
      const head = await owner.api.head(path);
      expect([head.status, head.text], path).toEqual([(await owner.api.get(path)).status, '']);
    }
  });

  it('reads page, pageSize and boolean filters as the typed values the document gives, and refuses others with 400', async () => {
    const owner = await h.newOwner();
    expect((await owner.api.get('/v1/customers', { page: 1, pageSize: 10 })).status).toBe(200);
    expect((await owner.api.get('/v1/customer-contract-assignments', { active: true })).status).toBe(200);
    for (const query of [{ page: 'one' }, { pageSize: 1.5 }, { page: 0 }] as Array<Record<string, string | number>>) {
      expect((await owner.api.get('/v1/customers', query)).status, JSON.stringify(query)).toBe(400);
    }
    expect((await owner.api.get('/v1/customer-contract-assignments', { active: 'yes' })).status).toBe(400);
  });
});
