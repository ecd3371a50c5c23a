/**
 * Tenancy on every operation of the OpenAPI document (quality.md §Reliability),
 * on both runtimes. Owners A and B each have a world (one object of every kind);
 * a caller acting for A only:
 * - reads, HEADs and lists nested under B's objects: 404;
 * - writes to B's objects: 403 or 404, and nothing written;
 * - creates with a body naming one of B's objects, at the top or in a nested item
 *   (`/records/0/usageProductInventoryId`): 404 (not visible), or 403 for B itself
 *   as the owner — after a control showing the same body with A's ids is
 *   accepted; a caller acting for both owners mixing them in one object: 422;
 * - patches one of A's objects to name one of B's, in nested items too: 404, 403
 *   or 422 (a field fixed after creation);
 * - lists never contain B's rows or name B's objects: with no filter, with the
 *   required parameters filled from A's world, with a filter naming one of B's
 *   objects (`id=in:<B's ids>`, `customerId=<B's>`), and with the required
 *   parameters naming B's objects (404, or nothing).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as make from '../helpers/factories';
import { changedTables, type Fingerprint, fingerprint } from '../helpers/fingerprint';
import { type ApiResponse, type Client, harness, signTestToken } from '../helpers/harness';
import { grammarOf, problemMismatch, validChange } from '../helpers/malformed';
import { type ApiDocument, collectionOf, isIdQueryParameter, type JsonSchema, loadDocument, type Operation, pathParameters, requiredQueryParameters, withValueAt } from '../helpers/openapi';
import { bodyIn, buildWorld, pathIn, queryIn, referencedCollection, referencesIn, referenceValue, urlIn, type World } from '../helpers/world';

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

/** Every object of a world as its owner reads it (the status alone where the collection has no item route, e.g. simPRO's companies). */
async function snapshot(world: World): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [collection, id] of world.ids) {
    const res = await world.owner.api.get(`${pathIn(world, collection)}/${id}`);
    out[collection] = res.status === 200 ? res.body : res.status;
  }
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

type Row = Record<string, unknown>;

/** Every row of a list as a client sees it (all pages), with the required query. */
async function listedRows(client: Client, path: string, query: Record<string, string>): Promise<Row[]> {
  const rows: Row[] = [];
  for (let page = 1; ; page++) {
    const res = await client.get(path, { ...query, page, pageSize: 1000 });
    expect(res.status, `GET ${path} → ${res.text.slice(0, 200)}`).toBe(200);
    rows.push(...(res.body as Row[]));
    if ((res.body as unknown[]).length < 1000) return rows;
  }
}

const idsOf = (rows: Row[]) => rows.map((row) => row.id).filter((id): id is number => typeof id === 'number');

/** Members of listed rows, at any depth, that name one of B's objects (`customerId: <B's customer>`). */
function namingB(value: unknown, at = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => namingB(item, `${at}/${i}`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, member]) => {
    const pointer = `${at}/${key}`;
    const scalar = typeof member === 'number';
    const ids = scalar ? [member] : Array.isArray(member) && member.length && member.every((m) => typeof m === 'number') ? (member as number[]) : null;
    if (ids === null) return namingB(member, pointer);
    const collection = referencedCollection(a, key, scalar ? { type: 'integer' } : { type: 'array', items: { type: 'integer' } });
    return collection !== undefined && ids.includes(b.ids.get(collection) as number) ? [`${pointer} = ${String(member)} (${collection})`] : [];
  });
}

/** 404, or 200 with nothing: the answer to a question about B's objects alone. */
function expectNothing(res: ApiResponse, method: string, what: string) {
  if (method === 'HEAD') {
    // "none matches" is a 404 without a body
    expect(res.status, what).toBe(404);
    expect(res.text, what).toBe('');
    return;
  }
  if (res.status === 404) {
    expect(problemMismatch(res, method, [404]), what).toBeNull();
    return;
  }
  expect(res.status, `${what}: ${res.text.slice(0, 200)}`).toBe(200);
  expect(res.body, what).toEqual([]);
  expect(res.headers.get('x-total-count'), what).toBe('0');
}

const hasParams = (op: Operation) => pathParameters(op.path).length > 0;

/** The id parameters of a list that name an object of B (`id` names the list's own), each with B's value. */
function filtersNamingB(op: Operation, theirIds: number[]): Array<[string, string]> {
  const required = new Set(requiredQueryParameters(op).map((p) => p.name));
  return op.parameters.flatMap((p): Array<[string, string]> => {
    if (p.in !== 'query' || required.has(p.name) || !(isIdQueryParameter(p) || (p.name === 'id' && grammarOf(p) === 'id'))) return [];
    if (p.name === 'id') return theirIds.length ? [[p.name, `in:${theirIds.slice(0, 100).join(',')}`]] : [];
    const collection = referencedCollection(a, p.name, { type: 'integer' });
    return collection !== undefined && b.ids.has(collection) ? [[p.name, String(b.ids.get(collection))]] : [];
  });
}

/** POSTs as A; a 2xx (what it made is removed again) or a duplicate is accepted. */
async function acceptedAsA(path: string, body: unknown): Promise<ApiResponse | null> {
  const res = await a.owner.api.post(path, body);
  if (res.status === 201 && res.headers.get('location')) expect((await a.owner.api.delete(res.headers.get('location')!)).status).toBe(204);
  return [200, 201, 409].includes(res.status) ? null : res;
}

/**
 * Bodies to create with, each accepted as A (the control): the example with
 * A's ids, and one for each optional reference the example leaves out — added to
 * it, or when it cannot go with the example's own (a SITE-level assignment names
 * a site, not a customer), in their stead with another value of an enum the
 * example sets (`assignmentLevel`).
 */
async function bodiesToCreate(op: Operation, schema: JsonSchema): Promise<Array<Record<string, unknown>>> {
  const base = bodyIn(a, schema);
  const bodies: Array<Record<string, unknown>> = [];
  if (referencesIn(a, schema, base).some((r) => b.ids.has(r.collection))) {
    const refused = await acceptedAsA(op.path, base);
    expect(refused, `control POST ${op.path} as A: ${refused?.text.slice(0, 300)}`).toBeNull();
    bodies.push(base);
  }
  const required = new Set(schema.required ?? []);
  const properties = Object.entries(schema.properties ?? {});
  const optionalReferences = properties.filter(([key, property]) => !required.has(key) && referencedCollection(a, key, property) !== undefined);
  const enums = properties.filter(([key, property]) => key in base && property.enum?.every((v) => typeof v === 'string'));
  for (const [key, property] of optionalReferences.filter(([key]) => !(key in base))) {
    const value = referenceValue(a, property, referencedCollection(a, key, property)!);
    const instead = Object.fromEntries(Object.entries(base).filter(([k]) => !optionalReferences.some(([other]) => other === k)));
    const candidates = [
      { ...base, [key]: value },
      ...enums.flatMap(([name, property]) => property.enum!.filter((v) => v !== base[name]).map((v) => ({ ...instead, [name]: v, [key]: value }))),
    ];
    let last: ApiResponse | null = null;
    let found = false;
    for (const candidate of candidates) {
      last = await acceptedAsA(op.path, candidate);
      if (last === null) {
        bodies.push(candidate);
        found = true;
        break;
      }
    }
    expect(found, `control POST ${op.path} as A with ${key}: no body with it was accepted; the last answer: ${last?.text.slice(0, 300)}`).toBe(true);
  }
  return bodies;
}

describe('another owner’s objects are out of reach', () => {
  it('covers every operation, with worlds of both owners', () => {
    expect(doc.operations.length).toBeGreaterThan(50);
    expect([...a.ids.keys()].sort()).toEqual([...b.ids.keys()].sort());
    expect(a.missing, 'collections no object could be made for').toEqual([]);
  });

  // GET /v1/me names the token's own claims and holds no owner's objects (test/http/hygiene.test.ts)
  for (const op of doc.operations.filter((o) => o.secured && o.path !== '/v1/me')) {
    it(op.name, async () => {
      let checks = 0;

      // on B's objects: reads are 404, writes 403 or 404, nothing written
      if (hasParams(op)) {
        const path = urlIn(b, op);
        const statuses = READ.has(op.method) ? [404] : [403, 404];
        const bodies: unknown[] = [undefined];
        if (op.body?.mediaType === 'application/json-patch+json') {
          // a change that changes nothing, and a real one: either would land if B's object were in reach
          const own = (await b.owner.api.get(pathIn(b, op.path))).body as Record<string, unknown>;
          const change = validChange(own, doc.writableSchema(collectionOf(op.path) ?? ''));
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
          // a HEAD of a nested list says whether any item matches (404 when none): its GET shows the path is in reach
          const method = op.method === 'HEAD' && !op.path.endsWith('}') ? 'GET' : op.method;
          expect((await a.owner.api.request(method, urlIn(a, op))).status, `A's ${method} ${op.path} on A's object`).toBe(200);
        }
      }

      // lists (GET and HEAD on a collection): never B's rows, nor rows naming B's objects
      if (READ.has(op.method) && !hasParams(op)) {
        const mineQuery = queryIn(a, op);
        const theirQuery = queryIn(b, op);
        const theirs = await listedRows(b.owner.api, op.path, theirQuery);
        const theirIds = idsOf(theirs);
        if (b.ids.has(op.path)) expect(theirIds, `B's list ${op.path} holds B's object`).toContain(b.ids.get(op.path));
        const requiresQuery = requiredQueryParameters(op).length > 0;
        // the question about B's objects below would prove nothing if B's own answer were empty
        if (requiresQuery) expect(theirs.length, `B's ${op.path} with B's ${Object.keys(theirQuery).join(', ')}`).toBeGreaterThan(0);
        if (op.method === 'GET') {
          const mine = await listedRows(a.owner.api, op.path, mineQuery);
          if (a.ids.has(op.path)) expect(idsOf(mine), `A's list ${op.path} holds A's object`).toContain(a.ids.get(op.path));
          expect(idsOf(mine).filter((id) => theirIds.includes(id)), `A's list ${op.path} shows B's rows`).toEqual([]);
          expect(namingB(mine), `A's list ${op.path} names B's objects`).toEqual([]);
          checks++;
        } else if (a.ids.has(op.path) && op.parameters.some((p) => p.in === 'query' && p.name === 'id')) {
          expect((await a.owner.api.head(op.path, { ...mineQuery, id: a.ids.get(op.path)! })).status, `A's HEAD ${op.path}?id=<A's>`).toBe(200);
        }
        if (requiresQuery) {
          expectNothing(await a.owner.api.request(op.method, op.path, { query: theirQuery }), op.method, `A's ${op.name} with B's ${Object.keys(theirQuery).join(', ')}`);
          checks++;
        }
        for (const [name, value] of filtersNamingB(op, theirIds)) {
          expectNothing(await a.owner.api.request(op.method, op.path, { query: { ...mineQuery, [name]: value } }), op.method, `A's ${op.name} with ${name}=<B's>`);
          checks++;
        }
      }

      // creating with a body that names one of B's objects, at the top or in a nested item: 403 or 404
      if (op.method === 'POST' && op.body?.mediaType === 'application/json' && !hasParams(op)) {
        const schema = op.body.schema;
        const tested = new Set<string>();
        for (const body of await bodiesToCreate(op, schema)) {
          const references = referencesIn(a, schema, body);
          for (const reference of references.filter((r) => b.ids.has(r.collection) && !tested.has(r.pointer))) {
            tested.add(reference.pointer);
            const value = referenceValue(b, reference.property, reference.collection);
            const theirs = withValueAt(body, reference.pointer, value);
            // for an owner outside the token: 403; another owner's object is not visible: 404 naming the field
            const statuses = reference.collection === OWNERS ? [403] : [404];
            await refused(() => a.owner.api.post(op.path, theirs), op.method, statuses, `A's POST ${op.path} with ${reference.pointer} of B`);
            checks++;
            // a caller acting for both owners sees B's object, but may not mix owners in one object: 422
            if (references.length > 1 && reference.collection !== OWNERS) {
              await refused(() => both.post(op.path, theirs), op.method, [422], `POST ${op.path} for A and B with ${reference.pointer} of B`);
              checks++;
            }
          }
        }
      }

      // patching one of A's objects to name one of B's, in nested items too: 403, 404 or 422
      if (op.method === 'PATCH' && op.body?.mediaType === 'application/json-patch+json') {
        const path = pathIn(a, op.path);
        const current = await a.owner.api.get(path);
        const writable = doc.writableSchema(collectionOf(op.path) ?? '');
        if (current.status === 200 && writable) {
          for (const reference of referencesIn(a, writable, current.body).filter((r) => b.ids.has(r.collection))) {
            const value = referenceValue(b, reference.property, reference.collection);
            // a field fixed after creation is a 422 before anything is looked up
            const statuses = reference.collection === OWNERS ? [403, 422] : [404, 422];
            await refused(
              () => a.owner.api.patch(path, [{ op: 'replace', path: reference.pointer, value }]),
              op.method,
              statuses,
              `A's PATCH ${path} with ${reference.pointer} of B`,
            );
            checks++;
          }
        }
      }

      // an operation with none of the above (a POST without references) still may not touch B
      if (checks === 0) {
        const before = await fingerprint(database(), b.owner.id);
        const res = await a.owner.api.request(op.method, urlIn(a, op));
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
