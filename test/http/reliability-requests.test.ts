/**
 * Request bodies: POST takes application/json (UTF-8 or no charset) and nothing
 * else (415); JSON Patch reaches only the object's own fields — a path into what
 * every JavaScript object inherits (/toString, /constructor) is a 400 naming it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, type Harness, harness, type Owner, unique } from '../helpers/harness';

let h: Harness;
let owner: Owner;
let customer: any;

beforeAll(async () => {
  h = await harness();
  owner = await h.newOwner();
  customer = await owner.api.create('/v1/customers', { contractOwnerId: owner.id, customerName: unique('Customer ') });
});

describe('POST media types', () => {
  const body = () => JSON.stringify({ contractOwnerId: owner.id, customerName: unique('Customer ') });

  for (const contentType of ['application/json', 'application/json; charset=utf-8', 'application/json;charset=UTF-8', 'Application/JSON; charset="utf-8"']) {
    it(`accepts ${contentType}`, async () => {
      const res = await owner.api.request('POST', '/v1/customers', { raw: body(), contentType });
      expect(res.status, res.text).toBe(201);
    });
  }

  for (const contentType of [
    'application/json-patch+json',
    'application/merge-patch+json',
    'application/problem+json',
    'application/json; charset=utf-16',
    'application/json; charset=UTF-16LE',
    'application/json; charset=iso-8859-1',
    'text/json',
    'text/plain',
  ]) {
    it(`refuses ${contentType} (415) and creates nothing`, async () => {
      const before = (await owner.api.get('/v1/customers')).headers.get('x-total-count');
      expectProblem(await owner.api.request('POST', '/v1/customers', { raw: body(), contentType }), 415);
      expectProblem(await owner.api.request('POST', '/v1/jobs/rollover', { raw: '{}', contentType }), 415);
      expectProblem(await h.request('POST', '/v1/authenticate', { raw: '{"clientId":1,"clientSecret":"x"}', contentType }), 415);
      expect((await owner.api.get('/v1/customers')).headers.get('x-total-count')).toBe(before);
    });
  }

  it('refuses a PATCH declared in another charset (415)', async () => {
    const res = await owner.api.request('PATCH', `/v1/customers/${customer.id}`, {
      raw: JSON.stringify([{ op: 'replace', path: '/customerName', value: 'Other' }]),
      contentType: 'application/json-patch+json; charset=utf-16',
    });
    expectProblem(res, 415);
  });
});

describe('JSON Patch paths', () => {
  const inherited = ['/toString', '/constructor', '/valueOf', '/hasOwnProperty', '/__defineGetter__', '/isPrototypeOf', '/toLocaleString'];
  for (const path of inherited) {
    for (const op of ['replace', 'add', 'remove', 'test']) {
      it(`${op} ${path} is a 400 naming the path`, async () => {
        const operation = op === 'remove' ? { op, path } : { op, path, value: 1 };
        const res = await owner.api.patch(`/v1/customers/${customer.id}`, [operation]);
        const problem = expectProblem(res, 400);
        expect(problem.errors.map((e: any) => e.path)).toContain(path);
      });
    }
  }

  it('refuses move and copy from an inherited path, and inherited members of nested values', async () => {
    for (const ops of [
      [{ op: 'move', from: '/toString', path: '/customerName' }],
      [{ op: 'copy', from: '/constructor', path: '/customerName' }],
      [{ op: 'replace', path: '/customerName/length', value: 3 }],
    ]) {
      const res = await owner.api.patch(`/v1/customers/${customer.id}`, ops);
      expectProblem(res, 400);
    }
    const after = await owner.api.get(`/v1/customers/${customer.id}`);
    expect(after.body.version).toBe(customer.version);
  });

  it('still patches schema fields', async () => {
    const res = await owner.api.patch(`/v1/customers/${customer.id}`, [
      { op: 'test', path: '/customerName', value: customer.customerName },
      { op: 'replace', path: '/customerName', value: 'Renamed Ltd' },
    ]);
    expect(res.status, res.text).toBe(200);
    expect(res.body.customerName).toBe('Renamed Ltd');
    customer = res.body;
  });
});
