/**
 * Idempotency keys belong to "the same caller": the token's sub together with its
 * owner set (and app client, where there is one) — conventions.md §Idempotency. A
 * key never replays a response to a caller who could not have read it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness, type Owner, signTestToken, unique } from '../helpers/harness';

let h: Harness;
let a: Owner;
let b: Owner;

beforeAll(async () => {
  h = await harness();
  a = await h.newOwner();
  b = await h.newOwner();
});

async function rollover(token: string, key: string) {
  const res = await h.client(token).post('/v1/jobs/rollover', {}, { headers: { 'idempotency-key': key } });
  expect(res.status, res.text).toBe(200);
  return res;
}

describe('the caller of an Idempotency-Key', () => {
  it('is not the sub alone: the same sub with other owners gets its own response', async () => {
    const sub = unique('shared-sub-');
    const key = unique('key-');
    const first = await rollover(await signTestToken({ sub, owners: [a.id], scope: 'admin:*' }), key);
    expect(first.body.owners).toEqual([a.id]);
    const other = await rollover(await signTestToken({ sub, owners: [b.id], scope: 'admin:*' }), key);
    expect(other.headers.get('idempotent-replayed')).toBeNull();
    expect(other.body.owners).toEqual([b.id]);
    expect(other.body.id).not.toBe(first.body.id);
    const wider = await rollover(await signTestToken({ sub, owners: [a.id, b.id], scope: 'admin:*' }), key);
    expect(wider.headers.get('idempotent-replayed')).toBeNull();
    expect(wider.body.id).not.toBe(first.body.id);
  });

  it('is not the sub and owners alone: another app client gets its own response', async () => {
    const sub = unique('shared-sub-');
    const key = unique('key-');
    const first = await rollover(await signTestToken({ sub, owners: [a.id], scope: 'admin:*', claims: { client_id: 'client-1' } }), key);
    const other = await rollover(await signTestToken({ sub, owners: [a.id], scope: 'admin:*', claims: { client_id: 'client-2' } }), key);
    expect(other.headers.get('idempotent-replayed')).toBeNull();
    expect(other.body.id).not.toBe(first.body.id);
  });

  it('replays to the same sub, owner set (in any order) and client', async () => {
    const sub = unique('shared-sub-');
    const key = unique('key-');
    const first = await rollover(await signTestToken({ sub, owners: [a.id, b.id], scope: 'admin:*' }), key);
    const again = await rollover(await signTestToken({ sub, owners: [b.id, a.id], scope: '*' }), key);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(first.body.id);
  });
});
