/**
 * instellix tenancy on both runtimes: a token of another contract owner sees none
 * of an owner's plans, debtors or contracts (404s, empty lists), can act on none
 * of them, and cannot build on them; nothing of the owner changes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { changedTables, fingerprint } from '../helpers/fingerprint';
import { expectProblem, type Harness, harness, unique } from '../helpers/harness';
import { type Catalogue, catalogue, contract, contractBody } from '../helpers/instellix';

let h: Harness;
let mine: Catalogue;
let theirs: Catalogue;
let ident: string;
beforeAll(async () => {
  h = await harness();
  mine = await catalogue(h);
  theirs = await catalogue(h);
  ident = (await contract(mine, { couponCode: mine.couponCode })).contractIdent;
});

describe('another owner’s token', () => {
  it('reads nothing: 404 for each object, empty lists', async () => {
    const api = theirs.owner.api;
    for (const path of [`/v2/contracts/${ident}`, `/v2/plans/${mine.planIdent}`, `/v2/debtors/${mine.debtorIdent}`]) {
      expectProblem(await api.get(path), 404);
      expect((await mine.owner.api.get(path)).status).toBe(200);
    }
    for (const path of ['/v2/contracts', '/v2/plans', '/v2/debtors']) {
      const res = await api.get(path);
      expect(res.status).toBe(200);
      const listed = JSON.stringify(res.body);
      expect(listed).not.toContain(mine.planIdent);
      expect(listed).not.toContain(mine.debtorIdent);
      expect(listed).not.toContain(ident);
    }
    const filtered = await api.get('/v2/contracts', { debtorIdent: mine.debtorIdent, planIdent: mine.planIdent });
    expect(filtered.body).toEqual([]);
    expect(filtered.headers.get('x-total-count')).toBe('0');
  });

  it('acts on nothing and builds on nothing, changing nothing of the owner', async () => {
    const api = theirs.owner.api;
    const before = await fingerprint(h.runtime.deps.database, mine.owner.id);
    for (const action of ['terminate', 'terminate-extraordinarily', 'termination-adaptation']) {
      expectProblem(await api.post(`/v2/contracts/${ident}/actions/${action}`, {}), 404);
    }
    for (const action of ['terminate', 'terminate-extraordinarily']) {
      const problem = expectProblem(await api.post(`/v2/contracts/actions/${action}`, { idents: [ident] }), 404);
      expect(problem.errors[0]).toMatchObject({ path: '/idents/0', value: ident });
    }
    const plan = (await mine.owner.api.get(`/v2/plans/${mine.planIdent}`)).body;
    const { planId: _i, contractOwnerId: _o, versionNumber: _v, createdDate: _c, updatedDate: _u, ...put } = plan;
    expectProblem(await api.request('PUT', `/v2/plans/${mine.planIdent}`, { body: { ...put, name: 'Taken over' } }), 404);
    // a contract for the owner's debtor or plan, by ident or by deprecated id
    expect(expectProblem(await api.post('/v2/contracts', contractBody(theirs, { debtorIdent: mine.debtorIdent })), 404).errors[0].path).toBe('/debtorIdent');
    expect(expectProblem(await api.post('/v2/contracts', contractBody(theirs, { planIdent: mine.planIdent })), 404).errors[0].path).toBe('/planIdent');
    const { debtorIdent: _d, ...byDebtorId } = contractBody(theirs, { debtorId: mine.debtorId });
    expect(expectProblem(await api.post('/v2/contracts', byDebtorId), 404).errors[0].path).toBe('/debtorId');
    const { planIdent: _p, ...byPlanId } = contractBody(theirs, { planId: mine.planId });
    expect(expectProblem(await api.post('/v2/contracts', byPlanId), 404).errors[0].path).toBe('/planId');
    // their coupon code is theirs: the owner's is unknown to them
    expect(expectProblem(await api.post('/v2/contracts', contractBody(theirs, { couponCode: mine.couponCode })), 422).errors[0].path).toBe('/couponCode');
    // a plan with the owner's product, a debtor or plan for the owner
    const option = [{ optionIdent: 'x', rentalProductId: mine.lineProductId }];
    expect(expectProblem(await api.post('/v2/plans', { planIdent: unique('p'), name: 'x', contractTerm: { value: 1, unit: 'MONTH' }, options: option }), 404).errors[0].path).toBe(
      '/options/0/rentalProductId',
    );
    expectProblem(await api.post('/v2/debtors', { debtorIdent: unique('d'), name: 'x', contractOwnerId: mine.owner.id }), 403);
    expectProblem(await api.post('/v2/plans', { planIdent: unique('p'), name: 'x', contractTerm: { value: 1, unit: 'MONTH' }, contractOwnerId: mine.owner.id }), 403);
    expect(changedTables(before, await fingerprint(h.runtime.deps.database, mine.owner.id))).toEqual([]);
  });

  it('may reuse the owner’s idents for its own objects: idents are unique per owner', async () => {
    const api = theirs.owner.api;
    expect((await api.post('/v2/debtors', { debtorIdent: mine.debtorIdent, name: 'Same ident, other owner' })).status).toBe(201);
    const created = await api.post('/v2/contracts', contractBody(theirs, { contractIdent: ident }));
    expect(created.status).toBe(201);
    expect((await api.get(`/v2/contracts/${ident}`)).body.debtorIdent).toBe(theirs.debtorIdent);
    expect((await mine.owner.api.get(`/v2/contracts/${ident}`)).body.debtorIdent).toBe(mine.debtorIdent);
  });
});
