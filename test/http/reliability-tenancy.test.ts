/**
 * Tenancy on every operation of the OpenAPI document (quality.md §Reliability),
 * on both runtimes. Owners A and B each have a world (one object of every kind);
 * a caller acting for A only:
 * - reads, HEADs and lists nested under B's objects: 404;
 * - writes to B's objects: 403 or 404, and nothing written;
 * - creates with a body naming one of B's objects: 404 (not visible), or 403 for
 *   B itself as the owner — after a control showing the same body with A's ids
 *   is accepted; a caller acting for both owners mixing them in one object: 422;
 * - patches one of A's objects to name one of B's: 404, 403 or 422 (a field
 *   fixed after creation);
 * - lists, with no filter and with `id=in:<B's ids>`, never contain B's rows.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as make from '../helpers/factories';
import { changedTables, type Fingerprint, fingerprint } from '../helpers/fingerprint';
import { type ApiResponse, type Client, harness, signTestToken } from '../helpers/harness';
import { problemMismatch, validChange } from '../helpers/malformed';
import { type ApiDocument, collectionOf, loadDocument, type Operation, pathParameters } from '../helpers/openapi';
import { bodyIn, buildWorld, pathIn, referencedCollection, type World } from '../helpers/world';

const h = await harness();
const database = () => h.runtime.deps.database;
const READ = new Set(['GET', 'HEAD']);
const doc: ApiDocument = await loadDocument(h);
const OWNERS = '/v1/contract-owners';
let a: World;
let b: World;
/** a caller acting for both owners */
let both: Client;
let bBefore: Record<string, unknown>;
let bFingerprint: Fingerprint;

/** Every object of a world as its owner reads it. */
async function snapshot(world: World): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [collection, id] of world.ids) out[collection] = (await world.owner.api.get(`${collection}/${id}`)).body;
  return out;
}

beforeAll(async () => {
  a = await buildWorld(h, await h.newOwner(), doc);
  b = await buildWorld(h, await h.newOwner(), doc);
  // a contract of B due for renewal: A running the lifecycle job must leave it alone
  const monthly = await make.contractProfile(b.owner, { contractTerm: 1 });
  await b.owner.api.patch(`/v1/contract-profiles/${monthly.id}`, [{ op: 'replace', path: '/rolloverContractProfileId', value: monthly.id }]);
  await make.customerContract(b.owner, { customerId: b.ids.get('/v1/customers'), contractProfileId: monthly.id, startDate: '2024-01-01' });
  bBefore = await snapshot(b);
  bFingerprint = await fingerprint(database(), b.owner.id);
  both = h.client(await signTestToken({ owners: [a.owner.id, b.owner.id], scope: '*', sub: 'both-owners' }));
});


/** Sends as A and requires a problem with one of the statuses and no change to the database. */
async function refused(send: () => Promise<ApiResponse>, method: string, statuses: readonly number[], what: string): Promise<void> {
  const before = await fingerprint(database());
  const res = await send();
  const wrong = problemMismatch(res, method, statuses);
  if (wrong) throw new Error(`${what}: ${wrong}\n${res.text.slice(0, 400)}`);
  expect(changedTables(before, await fingerprint(database())), `${what} wrote to the database`).toEqual([]);
}

/** Every id of a list as a client sees it (all pages). */
async function listedIds(client: Client, path: string): Promise<number[]> {
  const ids: number[] = [];
  for (let page = 1; ; page++) {
    const res = await client.get(path, { page, pageSize: 1000 });
    expect(res.status, `GET ${path} → ${res.text.slice(0, 200)}`).toBe(200);
    ids.push(...(res.body as Array<{ id: number }>).map((row) => row.id));
    if ((res.body as unknown[]).length < 1000) return ids;
  }
}

const hasParams = (op: Operation) => pathParameters(op.path).length > 0;
const takesQuery = (op: Operation, name: string) => op.parameters.some((p) => p.in === 'query' && p.name === name);

describe('another owner’s objects are out of reach', () => {
  it('covers every operation, with worlds of both owners', () => {
    expect(doc.operations.length).toBeGreaterThan(50);
    expect([...a.ids.keys()].sort()).toEqual([...b.ids.keys()].sort());
  });

  for (const op of doc.operations.filter((o) => o.secured)) {
    it(op.name, async () => {
      let checks = 0;

      // on B's objects: reads are 404, writes 403 or 404, nothing written
      if (hasParams(op)) {
        const path = pathIn(b, op.path);
        const statuses = READ.has(op.method) ? [404] : [403, 404];
        const bodies: unknown[] = [undefined];
        if (op.body?.mediaType === 'application/json-patch+json') {
          // a change that changes nothing, and a real one: either would land if B's object were in reach
          const own = (await b.owner.api.get(path)).body as Record<string, unknown>;
          const change = validChange(own, doc.createSchema(collectionOf(op.path) ?? ''));
          bodies.splice(0, 1, [{ op: 'test', path: '/id', value: own.id }], ...(change ? [[change]] : []));
        } else if (op.body?.mediaType === 'application/json') {
          bodies.splice(0, 1, bodyIn(b, op.body.schema));
        }
        for (const body of bodies) {
          await refused(
            () => a.owner.api.request(op.method, path, { ...(body === undefined ? {} : { body }), ...(op.body ? { contentType: op.body.mediaType } : {}) }),
            op.method,
            statuses,
            `A's ${op.method} ${path}`,
          );
          checks++;
        }
        // the same read of A's own object answers, so the 404 above was about B
        if (READ.has(op.method) && pathParameters(op.path).every((p) => a.ids.has(p.collection))) {
          expect((await a.owner.api.request(op.method, pathIn(a, op.path))).status, `A's ${op.method} ${op.path} on A's object`).toBe(200);
        }
      }

      // lists (GET and HEAD on a collection): never B's rows, with no filter and with id=in:<B's ids>
      const isList = READ.has(op.method) && !hasParams(op) && doc.operations.some((o) => o.method === 'GET' && collectionOf(o.path) === op.path);
      if (isList) {
        const theirs = await listedIds(b.owner.api, op.path);
        if (b.ids.has(op.path)) expect(theirs, `B's list ${op.path} holds B's object`).toContain(b.ids.get(op.path));
        const onlyTheirs = { id: `in:${theirs.slice(0, 100).join(',')}` };
        if (op.method === 'GET') {
          const mine = await listedIds(a.owner.api, op.path);
          if (a.ids.has(op.path)) expect(mine, `A's list ${op.path} holds A's object`).toContain(a.ids.get(op.path));
          expect(mine.filter((id) => theirs.includes(id)), `A's list ${op.path} shows B's rows`).toEqual([]);
          checks++;
          if (takesQuery(op, 'id') && theirs.length) {
            const filtered = await a.owner.api.get(op.path, onlyTheirs);
            expect(filtered.status).toBe(200);
            expect(filtered.body, `A's list ${op.path}?id=in:<B's ids>`).toEqual([]);
            expect(filtered.headers.get('x-total-count')).toBe('0');
            checks++;
          }
        } else if (takesQuery(op, 'id') && theirs.length) {
          expect((await a.owner.api.head(op.path, onlyTheirs)).status, `A's HEAD ${op.path}?id=in:<B's ids>`).toBe(404);
          if (a.ids.has(op.path)) expect((await a.owner.api.head(op.path, { id: a.ids.get(op.path)! })).status, `A's HEAD ${op.path}?id=<A's>`).toBe(200);
          checks++;
        }
      }

      // creating with a body that names one of B's objects: 403, 404 or 422
      if (op.method === 'POST' && op.body?.mediaType === 'application/json' && !hasParams(op)) {
        const schema = op.body.schema;
        const body = bodyIn(a, schema, { everyReference: true });
        const references = Object.keys(body).filter((key) => {
          const collection = referencedCollection(a, key, schema.properties?.[key] ?? {});
          return collection !== undefined && b.ids.has(collection);
        });
        if (references.length) {
          // control: the same body with A's ids is accepted (or meets a duplicate); what it made is removed again
          const control = await a.owner.api.post(op.path, body);
          expect([201, 409], `control POST ${op.path} as A: ${control.text.slice(0, 300)}`).toContain(control.status);
          if (control.status === 201 && control.headers.get('location')) {
            expect((await a.owner.api.delete(control.headers.get('location')!)).status).toBe(204);
          }
        }
        for (const key of references) {
          const collection = referencedCollection(a, key, schema.properties?.[key] ?? {})!;
          const value = key === 'owners' ? [b.owner.id] : b.ids.get(collection);
          // for an owner outside the token: 403; another owner's object is not visible: 404 naming the field
          const statuses = collection === OWNERS ? [403] : [404];
          await refused(() => a.owner.api.post(op.path, { ...body, [key]: value }), op.method, statuses, `A's POST ${op.path} with ${key} of B`);
          checks++;
          // a caller acting for both owners sees B's object, but may not mix owners in one object: 422
          if (references.length > 1 && collection !== OWNERS) {
            await refused(() => both.post(op.path, { ...body, [key]: value }), op.method, [422], `POST ${op.path} for A and B with ${key} of B`);
            checks++;
          }
        }
      }

      // patching one of A's objects to name one of B's: 403, 404 or 422
      if (op.method === 'PATCH' && op.body?.mediaType === 'application/json-patch+json') {
        const path = pathIn(a, op.path);
        const current = await a.owner.api.get(path);
        const writable = doc.createSchema(collectionOf(op.path) ?? '');
        if (current.status === 200 && writable) {
          for (const [key, property] of Object.entries(writable.properties ?? {})) {
            const collection = referencedCollection(a, key, property);
            if (!collection || !b.ids.has(collection) || !(key in current.body)) continue;
            const value = key === 'owners' ? [b.owner.id] : b.ids.get(collection);
            // a field fixed after creation is a 422 before anything is looked up
            const statuses = collection === OWNERS ? [403, 422] : [404, 422];
            await refused(() => a.owner.api.patch(path, [{ op: 'replace', path: `/${key}`, value }]), op.method, statuses, `A's PATCH ${path} with ${key} of B`);
            checks++;
          }
        }
      }

      // an operation with none of the above (a collection HEAD or POST without references) still may not touch B
      if (checks === 0) {
        const before = await fingerprint(database(), b.owner.id);
        const res = await a.owner.api.request(op.method, pathIn(a, op.path));
        expect(res.status, `${op.name} as A`).toBeLessThan(500);
        expect(changedTables(before, await fingerprint(database(), b.owner.id)), `${op.name} as A changed B's rows`).toEqual([]);
      }
    });
  }

  it('leaves every object of B as it was', async () => {
    expect(await snapshot(b)).toEqual(bBefore);
    expect(changedTables(bFingerprint, await fingerprint(database(), b.owner.id))).toEqual([]);
  });
});
