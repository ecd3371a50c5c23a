import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { outboxEvents } from '../../src/db/schema';
import { expectProblem, type Harness, harness, type Owner, unique } from '../helpers/harness';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

const profileBody = (owner: Owner, overrides: Record<string, unknown> = {}) => ({
  contractOwnerId: owner.id,
  name: unique('Profile '),
  contractTerm: 12,
  earlyTerminationFixedCharge: 50.25,
  earlyTerminationPercentageCharge: 100,
  ...overrides,
});

async function events(ownerId: number, type: string) {
  return h.runtime.deps.database.db
    .select()
    .from(outboxEvents)
    .where(and(eq(outboxEvents.contractOwnerId, ownerId), eq(outboxEvents.type, type)));
}

describe('contract profiles', () => {
  it('creates with defaults and exact money, and records a created event', async () => {
    const owner = await h.newOwner();
    const res = await owner.api.post('/v1/contract-profiles', profileBody(owner, { earlyTerminationFixedCharge: 0.000001 }));
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({
      contractOwnerId: owner.id,
      contractTerm: 12,
      earlyTerminationFixedCharge: 0.000001,
      renewalAlertDays: 28,
      noticePeriodDays: 30,
      rolloverContractProfileId: null,
      supersededByContractProfileId: null,
      versionNumber: 1,
    });
    const created = await events(owner.id, 'contract_profile.created');
    expect(created).toHaveLength(1);
    expect(created[0]!.objectId).toBe(res.body.id);
    expect(created[0]!.data).toMatchObject({ id: res.body.id, name: res.body.name });
  });

  it('validates ranges and decimal places', async () => {
    const owner = await h.newOwner();
    for (const bad of [
      { contractTerm: 0 },
      { contractTerm: 601 },
      { earlyTerminationFixedCharge: -1 },
      { earlyTerminationFixedCharge: 1.0000001 },
      { earlyTerminationPercentageCharge: 1001 },
      { earlyTerminationPercentageCharge: 10.5 },
      { renewalAlertDays: 29 },
      { noticePeriodDays: 2147483648 },
    ]) {
      expectProblem(await owner.api.post('/v1/contract-profiles', profileBody(owner, bad)), 400);
    }
    expect((await owner.api.post('/v1/contract-profiles', profileBody(owner, { noticePeriodDays: 2147483647, renewalAlertDays: 0 }))).status).toBe(201);
  });

  it('edits other fields in place (200) and versions on a term or ETC change (201)', async () => {
    const owner = await h.newOwner();
    const v1 = await owner.api.create('/v1/contract-profiles', profileBody(owner));
    const rolling = await owner.api.create('/v1/contract-profiles', profileBody(owner, { rolloverContractProfileId: v1.id }));
    const customer = await owner.api.create('/v1/customers', { contractOwnerId: owner.id, customerName: 'Signed' });
    const signed = await owner.api.create('/v1/customer-contracts', { customerId: customer.id, contractProfileId: v1.id, startDate: '2025-01-01' });
    const follows = await owner.api.create('/v1/customer-contracts', {
      customerId: customer.id,
      contractProfileId: rolling.id,
      startDate: '2025-01-01',
    });
    expect(follows.rolloverContractProfileId).toBe(v1.id);

    const renamed = await owner.api.patch(`/v1/contract-profiles/${v1.id}`, [{ op: 'replace', path: '/name', value: 'Renamed' }]);
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: v1.id, name: 'Renamed', versionNumber: 1, version: 2 });

    const versioned = await owner.api.patch(`/v1/contract-profiles/${v1.id}`, [
      { op: 'replace', path: '/contractTerm', value: 24 },
      { op: 'replace', path: '/noticePeriodDays', value: 60 },
    ]);
    expect(versioned.status, versioned.text).toBe(201);
    const v2 = versioned.body;
    expect(v2.id).not.toBe(v1.id);
    expect(versioned.headers.get('location')).toBe(`/v1/contract-profiles/${v2.id}`);
    expect(v2).toMatchObject({ name: 'Renamed', contractTerm: 24, noticePeriodDays: 60, versionNumber: 2, supersededByContractProfileId: null });

    const old = (await owner.api.get(`/v1/contract-profiles/${v1.id}`)).body;
    expect(old).toMatchObject({ contractTerm: 12, supersededByContractProfileId: v2.id });
    expect((await owner.api.get(`/v1/contract-profiles/${rolling.id}`)).body.rolloverContractProfileId).toBe(v2.id);
    expect((await owner.api.get(`/v1/customer-contracts/${signed.id}`)).body.contractProfileId).toBe(v1.id);
    expect((await owner.api.get(`/v1/customer-contracts/${follows.id}`)).body.rolloverContractProfileId).toBe(v2.id);

    const current = await owner.api.get('/v1/contract-profiles', { contractTerm: 'ge:1' });
    expect(current.body.map((p: any) => p.id).sort()).toEqual([v2.id, rolling.id].sort());
    const all = await owner.api.get('/v1/contract-profiles', { includeSupersededVersions: 'true' });
    expect(all.body.map((p: any) => p.id)).toContain(v1.id);

    const stale = expectProblem(await owner.api.patch(`/v1/contract-profiles/${v1.id}`, [{ op: 'replace', path: '/name', value: 'x' }]), 409);
    expect(stale.currentContractProfileId).toBe(v2.id);
    const versionedEvents = await events(owner.id, 'contract_profile.versioned');
    expect(versionedEvents.map((e) => e.objectId)).toEqual([v2.id]);
    expect(versionedEvents[0]!.data).toMatchObject({ id: v2.id, contractTerm: 24 });
  });

  it('keeps a self-rolling profile rolling into its newest version', async () => {
    const owner = await h.newOwner();
    const p = await owner.api.create('/v1/contract-profiles', profileBody(owner));
    const self = await owner.api.patch(`/v1/contract-profiles/${p.id}`, [{ op: 'replace', path: '/rolloverContractProfileId', value: p.id }]);
    expect(self.body.rolloverContractProfileId).toBe(p.id);
    const v2 = await owner.api.patch(`/v1/contract-profiles/${p.id}`, [{ op: 'replace', path: '/earlyTerminationPercentageCharge', value: 50 }]);
    expect(v2.status).toBe(201);
    expect(v2.body.rolloverContractProfileId).toBe(v2.body.id);
  });

  it('refuses superseded or foreign rollover targets and contracts on superseded profiles', async () => {
    const owner = await h.newOwner();
    const other = await h.newOwner();
    const p = await owner.api.create('/v1/contract-profiles', profileBody(owner));
    const v2 = (await owner.api.patch(`/v1/contract-profiles/${p.id}`, [{ op: 'replace', path: '/contractTerm', value: 6 }])).body;
    expectProblem(await owner.api.post('/v1/contract-profiles', profileBody(owner, { rolloverContractProfileId: p.id })), 422);
    expect((await owner.api.post('/v1/contract-profiles', profileBody(owner, { rolloverContractProfileId: v2.id }))).status).toBe(201);
    const foreign = await other.api.create('/v1/contract-profiles', profileBody(other));
    expectProblem(await owner.api.post('/v1/contract-profiles', profileBody(owner, { rolloverContractProfileId: foreign.id })), 404);
    const customer = await owner.api.create('/v1/customers', { contractOwnerId: owner.id, customerName: 'C' });
    expectProblem(await owner.api.post('/v1/customer-contracts', { customerId: customer.id, contractProfileId: p.id, startDate: '2025-01-01' }), 422);
  });

  it('deletes only unused profiles, naming what blocks it', async () => {
    const owner = await h.newOwner();
    const p = await owner.api.create('/v1/contract-profiles', profileBody(owner));
    const customer = await owner.api.create('/v1/customers', { contractOwnerId: owner.id, customerName: 'C' });
    const c = await owner.api.create('/v1/customer-contracts', { customerId: customer.id, contractProfileId: p.id, startDate: '2030-01-01' });
    const blocked = expectProblem(await owner.api.delete(`/v1/contract-profiles/${p.id}`), 409);
    expect(blocked.references).toEqual({ 'customer contracts': 1 });
    expect((await owner.api.delete(`/v1/customer-contracts/${c.id}`)).status).toBe(204);
    expect((await owner.api.delete(`/v1/contract-profiles/${p.id}`)).status).toBe(204);
    expectProblem(await owner.api.get(`/v1/contract-profiles/${p.id}`), 404);
  });
});
