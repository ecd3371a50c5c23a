/**
 * One contract, three dialects: what instellix creates reads the same through
 * simPRO, what simPRO creates reads the same through instellix once it has an
 * ident (an external reference, set on /v1), and a change made in one dialect
 * shows in the others. Both runtimes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness } from '../helpers/harness';
import { catalogue, contract } from '../helpers/instellix';
import { simproOf } from '../helpers/simpro';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

describe('the same contract through instellix, simPRO and /v1', () => {
  it('an instellix contract reads through simPRO with its dates, and a simPRO change shows in instellix', async () => {
    const c = await catalogue(h);
    const created = await contract(c, { startDate: '2025-01-01' });
    const s = simproOf(c.owner);

    const read = await s.get(s.contract(c.debtorId, created.contractId));
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ ID: created.contractId, StartDate: '2025-01-01', EndDate: '2025-12-31' });
    const listed = (await s.get(s.contracts(c.debtorId))).body;
    expect(listed.map((x: any) => x.ID)).toEqual([created.contractId]);

    // simPRO ends it earlier (after billing started only the end date and the renewal terms may change): a termination
    // that instellix and /v1 see
    const p = await s.patch(s.contract(c.debtorId, created.contractId), { EndDate: '2025-06-30' });
    expect(p.status).toBe(204);
    const after = (await c.owner.api.get(`/v2/contracts/${encodeURIComponent(created.contractIdent)}`)).body;
    expect(after).toMatchObject({ contractIdent: created.contractIdent, contractId: created.contractId, startDate: '2025-01-01', endDate: '2025-06-30' });
    expect((await c.owner.api.get(`/v1/customer-contracts/${created.contractId}`)).body).toMatchObject({ endDate: '2025-06-30', terminationDate: '2025-06-30' });
  });

  it('a simPRO contract is an instellix contract once /v1 gives it an external reference', async () => {
    const c = await catalogue(h);
    const s = simproOf(c.owner);
    const made = await s.newContract(c.debtorId, { StartDate: '2025-03-01', EndDate: '2026-02-28' });
    // no ident yet: instellix lists only contracts it can name
    expect((await c.owner.api.get('/v2/contracts')).body).toEqual([]);

    const ident = `SP-${made.ID}`;
    const patched = await c.owner.api.request('PATCH', `/v1/customer-contracts/${made.ID}`, {
      body: [{ op: 'add', path: '/externalRef', value: ident }],
      headers: { 'content-type': 'application/json-patch+json' },
    });
    expect(patched.status).toBe(200);
    const read = await c.owner.api.get(`/v2/contracts/${ident}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ contractIdent: ident, contractId: made.ID, debtorId: c.debtorId, debtorIdent: c.debtorIdent, startDate: '2025-03-01', planIdent: null });
    expect((await c.owner.api.get('/v2/contracts')).body.map((x: any) => x.contractIdent)).toEqual([ident]);
  });

  it('another owner reaches the contract through none of them', async () => {
    const c = await catalogue(h);
    const created = await contract(c);
    const other = await h.newOwner();
    expect((await other.api.get(`/v2/contracts/${encodeURIComponent(created.contractIdent)}`)).status).toBe(404);
    const s = simproOf(other, c.owner.id);
    expect((await s.get(s.contract(c.debtorId, created.contractId))).status).toBeGreaterThanOrEqual(403);
    const own = simproOf(other);
    expect((await own.get(own.contract(c.debtorId, created.contractId))).status).toBe(404);
  });
});
