/** The lifecycle job through HTTP (POST /v1/jobs/rollover) on both runtimes. */
import { and, eq, inArray } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { outboxEvents } from '../../src/db/schema';
import { addDays, todayIn } from '../../src/domain/dates';
import { computeEndDate } from '../../src/domain/terms';
import * as f from '../helpers/factories';
import { expectProblem, type Harness, harness, type Owner, signTestToken, unique } from '../helpers/harness';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

async function profile(owner: Owner, overrides: Record<string, unknown> = {}) {
  return owner.api.create('/v1/contract-profiles', {
    contractOwnerId: owner.id,
    name: unique('P '),
    contractTerm: 12,
    earlyTerminationFixedCharge: 10,
    earlyTerminationPercentageCharge: 0,
    ...overrides,
  });
}

/** A profile that renews into itself. */
async function selfRolling(owner: Owner, contractTerm: number, overrides: Record<string, unknown> = {}) {
  const p = await profile(owner, { contractTerm, ...overrides });
  const res = await owner.api.patch(`/v1/contract-profiles/${p.id}`, [{ op: "replace", path: "/rolloverContractProfileId", value: p.id }]);
  expect(res.status, res.text).toBe(200);
  return res.body;
}

async function rollover(owner: Owner, asOf?: string) {
  const res = await owner.api.post('/v1/jobs/rollover', asOf ? { asOf } : {});
  expect(res.status, res.text).toBe(200);
  return res.body;
}

async function events(ownerId: number, type: string) {
  return h.runtime.deps.database.db
    .select()
    .from(outboxEvents)
    .where(and(eq(outboxEvents.contractOwnerId, ownerId), eq(outboxEvents.type, type)));
}

async function chain(owner: Owner, firstId: number) {
  const out = [];
  let id: number | null = firstId;
  while (id !== null) {
    const c: any = (await owner.api.get(`/v1/customer-contracts/${id}`)).body;
    out.push(c);
    id = c.renewedCustomerContractId;
  }
  return out;
}

describe('renewal', () => {
  it('renews a due contract once: new term, links, moved assignments, carried fields and an event', async () => {
    const owner = await h.newOwner();
    const p = await selfRolling(owner, 12);
    const site = await f.site(owner);
    const rpis = [await f.rpi(owner, { siteId: site.id }), await f.rpi(owner, { siteId: site.id })];
    const ref = unique('EXT-');
    const c = await owner.api.create('/v1/customer-contracts', {
      customerId: site.customerId,
      siteId: site.id,
      contractProfileId: p.id,
      startDate: '2025-01-01',
      externalRef: ref,
      contractNumber: 'CN-1',
      value: 1200,
      notes: 'carried',
      properties: { channel: 'partner' },
    });
    for (const r of rpis) await owner.api.create('/v1/customer-contract-assignments', { rentalProductInventoryId: r.id, customerContractId: c.id });

    const run = await rollover(owner, '2026-01-15');
    expect(run).toMatchObject({ renewed: 1, outcome: 'COMPLETED', asOf: '2026-01-15', trigger: 'api' });

    const [old, renewal] = await chain(owner, c.id);
    expect(old).toMatchObject({ renewedCustomerContractId: renewal.id, status: 'RENEWED' });
    expect(renewal).toMatchObject({
      previousCustomerContractId: c.id,
      renewedCustomerContractId: null,
      startDate: '2026-01-01',
      endDate: '2026-12-31',
      billingStartDate: '2026-01-01',
      contractProfileId: p.id,
      rolloverContractProfileId: p.id,
      customerId: site.customerId,
      siteId: site.id,
      name: c.name,
      externalRef: ref,
      contractNumber: 'CN-1',
      value: 1200,
      notes: 'carried',
      properties: { channel: 'partner' },
    });
    expect(old.externalRef).toBe(ref);

    const assignments = (await owner.api.get('/v1/customer-contract-assignments', { customerId: site.customerId })).body;
    expect(assignments.filter((a: any) => a.active).map((a: any) => [a.customerContractId, a.rentalProductInventoryId]).sort()).toEqual(
      rpis.map((r) => [renewal.id, r.id]).sort(),
    );
    expect(assignments.filter((a: any) => !a.active).every((a: any) => a.customerContractId === c.id)).toBe(true);

    const renewed = await events(owner.id, 'customer_contract.renewed');
    expect(renewed.map((e) => e.objectId)).toEqual([renewal.id]);
    expect(renewed[0]!.data).toMatchObject({ id: renewal.id, previousCustomerContractId: c.id, startDate: '2026-01-01' });

    // the default list shows the current contract; superseded ones on request
    const current = (await owner.api.get('/v1/customer-contracts', { customerId: site.customerId })).body.map((x: any) => x.id);
    expect(current).toEqual([renewal.id]);
    const all = (await owner.api.get('/v1/customer-contracts', { customerId: site.customerId, includeSupersededVersions: 'true' })).body;
    expect(all.map((x: any) => x.id)).toEqual([c.id, renewal.id]);
    expect((await owner.api.get('/v1/customer-contracts', { externalRef: ref })).body.map((x: any) => x.id)).toEqual([renewal.id]);

    // repeating the run for the same day renews nothing more
    expect((await rollover(owner, '2026-01-15')).renewed).toBe(0);
    expect(await events(owner.id, 'customer_contract.renewed')).toHaveLength(1);
  });

  it('refuses to reactivate an assignment left on a renewed contract (422)', async () => {
    const owner = await h.newOwner();
    const p = await selfRolling(owner, 12);
    const inventory = await f.rpi(owner);
    const c = await owner.api.create('/v1/customer-contracts', { customerId: inventory.customerId, contractProfileId: p.id, startDate: '2025-01-01' });
    const old = await owner.api.create('/v1/customer-contract-assignments', { rentalProductInventoryId: inventory.id, customerContractId: c.id });
    expect((await rollover(owner, '2026-01-15')).renewed).toBe(1);
    const [moved] = (await owner.api.get('/v1/customer-contract-assignments', { rentalProductInventoryId: inventory.id, active: 'true' })).body;
    expect((await owner.api.patch(`/v1/customer-contract-assignments/${moved.id}`, [{ op: 'replace', path: '/active', value: false }])).status).toBe(200);
    const refused = expectProblem(await owner.api.patch(`/v1/customer-contract-assignments/${old.id}`, [{ op: 'replace', path: '/active', value: true }]), 422);
    expect(refused.errors[0].path).toBe('/customerContractId');
    expect((await owner.api.get(`/v1/customer-contract-assignments/${old.id}`)).body.active).toBe(false);
  });

  it('catches up over many missed terms: 1-month terms from 2025-01-31, four renewals to cover 2025-06-15', async () => {
    const owner = await h.newOwner();
    const p = await selfRolling(owner, 1);
    const customer = await f.customer(owner);
    const c = await owner.api.create('/v1/customer-contracts', { customerId: customer.id, contractProfileId: p.id, startDate: '2025-01-31' });
    const run = await rollover(owner, '2025-06-15');
    expect(run.renewed).toBe(4);
    const contracts = await chain(owner, c.id);
    expect(contracts.map((x) => [x.startDate, x.endDate])).toEqual([
      ['2025-01-31', '2025-02-27'],
      ['2025-02-28', '2025-03-30'],
      ['2025-03-31', '2025-04-29'],
      ['2025-04-30', '2025-05-30'],
      ['2025-05-31', '2025-06-29'],
    ]);
  });

  it('renews into the rollover profile’s current version with its alert and notice days', async () => {
    const owner = await h.newOwner();
    const target = await profile(owner, { contractTerm: 3, renewalAlertDays: 7, noticePeriodDays: 14 });
    const v2 = (await owner.api.patch(`/v1/contract-profiles/${target.id}`, [{ op: 'replace', path: '/contractTerm', value: 6 }])).body;
    const p = await profile(owner, { contractTerm: 12, rolloverContractProfileId: v2.id });
    const customer = await f.customer(owner);
    const c = await owner.api.create('/v1/customer-contracts', { customerId: customer.id, contractProfileId: p.id, startDate: '2025-03-31' });
    await rollover(owner, '2026-04-01');
    const [, renewal] = await chain(owner, c.id);
    expect(renewal).toMatchObject({ contractProfileId: v2.id, startDate: '2026-03-31', endDate: '2026-09-29', renewalAlertDays: 7, noticePeriodDays: 14, rolloverContractProfileId: null });
  });

  it('runs at the same time renew each contract exactly once', async () => {
    const owner = await h.newOwner();
    const p = await selfRolling(owner, 1);
    const customer = await f.customer(owner);
    const ids = [];
    for (let i = 0; i < 12; i++) {
      ids.push((await owner.api.create('/v1/customer-contracts', { customerId: customer.id, contractProfileId: p.id, startDate: '2025-01-01' })).id);
    }
    const runs = await Promise.all([rollover(owner, '2025-03-15'), rollover(owner, '2025-03-15'), rollover(owner, '2025-03-15')]);
    expect(runs.reduce((n, r) => n + r.renewed, 0)).toBe(24);
    const renewals = await h.runtime.deps.database.db
      .select()
      .from(outboxEvents)
      .where(and(eq(outboxEvents.contractOwnerId, owner.id), eq(outboxEvents.type, 'customer_contract.renewed')));
    expect(renewals).toHaveLength(24);
    for (const id of ids) {
      const contracts = await chain(owner, id);
      expect(contracts.map((x) => x.endDate)).toEqual(['2025-01-31', '2025-02-28', '2025-03-31']);
    }
  });
});

describe('expiry, termination and alerts', () => {
  it('expires a contract without a rollover profile once', async () => {
    const owner = await h.newOwner();
    const p = await profile(owner);
    const customer = await f.customer(owner);
    const c = await owner.api.create('/v1/customer-contracts', { customerId: customer.id, contractProfileId: p.id, startDate: '2025-01-01' });
    const first = await rollover(owner, '2026-01-02');
    expect(first).toMatchObject({ expired: 1, renewed: 0 });
    expect((await rollover(owner, '2026-01-03')).expired).toBe(0);
    const expired = await events(owner.id, 'customer_contract.expired');
    expect(expired.map((e) => e.objectId)).toEqual([c.id]);
  });

  it('expires a contract whose renewal was deleted, once', async () => {
    const owner = await h.newOwner();
    const p = await selfRolling(owner, 1);
    const customer = await f.customer(owner);
    const c = await owner.api.create('/v1/customer-contracts', { customerId: customer.id, contractProfileId: p.id, startDate: '2025-01-01' });
    expect((await rollover(owner, '2025-02-05')).renewed).toBe(1);
    const [, renewal] = await chain(owner, c.id);
    expect((await owner.api.delete(`/v1/customer-contracts/${renewal.id}`)).status).toBe(204);
    expect(await rollover(owner, '2025-02-06')).toMatchObject({ renewed: 0, expired: 1 });
    expect((await rollover(owner, '2025-02-07')).expired).toBe(0);
    expect((await events(owner.id, 'customer_contract.expired')).map((e) => e.objectId)).toEqual([c.id]);
  });

  it('terminates and renews before roll-over: the renewal starts the day after the new end', async () => {
    const owner = await h.newOwner();
    const p = await selfRolling(owner, 12);
    const customer = await f.customer(owner);
    const t = todayIn(owner.timezone);
    const c = await owner.api.create('/v1/customer-contracts', { customerId: customer.id, contractProfileId: p.id, startDate: addDays(t, -100) });
    const end = addDays(t, 5);
    expect((await owner.api.patch(`/v1/customer-contracts/${c.id}`, [{ op: 'replace', path: '/endDate', value: end }])).status).toBe(200);
    const run = await rollover(owner, addDays(end, 1));
    expect(run.renewed).toBe(1);
    const [old, renewal] = await chain(owner, c.id);
    expect(old).toMatchObject({ terminationDate: end });
    // the moved end leaves the anchored schedule, so the renewal starts a new chain on its own start
    expect(renewal).toMatchObject({ startDate: addDays(end, 1), endDate: computeEndDate({ anchorDate: addDays(end, 1), monthsFromAnchor: 0 }, 12) });
  });

  it('settles a terminated contract without an expired event when its rollover is cleared', async () => {
    const owner = await h.newOwner();
    const p = await selfRolling(owner, 12);
    const customer = await f.customer(owner);
    const t = todayIn(owner.timezone);
    const c = await owner.api.create('/v1/customer-contracts', { customerId: customer.id, contractProfileId: p.id, startDate: addDays(t, -100) });
    const end = addDays(t, 3);
    const patched = await owner.api.patch(`/v1/customer-contracts/${c.id}`, [
      { op: 'replace', path: '/endDate', value: end },
      { op: 'replace', path: '/rolloverContractProfileId', value: null },
    ]);
    expect(patched.status, patched.text).toBe(200);
    const run = await rollover(owner, addDays(end, 1));
    expect(run).toMatchObject({ renewed: 0, expired: 0, terminated: 1 });
    expect(await events(owner.id, 'customer_contract.expired')).toHaveLength(0);
  });

  it('sends renewal-alert and notice-period events once, and again after the end date changes', async () => {
    const owner = await h.newOwner();
    const p = await profile(owner, { contractTerm: 12, renewalAlertDays: 28, noticePeriodDays: 60 });
    const customer = await f.customer(owner);
    const c = await owner.api.create('/v1/customer-contracts', { customerId: customer.id, contractProfileId: p.id, startDate: '2025-01-01' });
    expect((await rollover(owner, '2025-10-31')).alerts).toBe(0);
    expect((await rollover(owner, '2025-11-01')).alerts).toBe(1); // notice window opens 60 days before 2025-12-31
    expect((await rollover(owner, '2025-11-01')).alerts).toBe(0); // hourly repeats add nothing
    expect((await rollover(owner, '2025-12-03')).alerts).toBe(1); // renewal alert window opens 28 days before
    expect((await rollover(owner, '2025-12-04')).alerts).toBe(0);
    expect((await events(owner.id, 'customer_contract.notice_period')).map((e) => e.objectId)).toEqual([c.id]);
    expect((await events(owner.id, 'customer_contract.renewal_alert')).map((e) => e.objectId)).toEqual([c.id]);
  });

  it('treats a termination and a renewal due the same day independently', async () => {
    const owner = await h.newOwner();
    const rolling = await selfRolling(owner, 12);
    const plain = await profile(owner);
    const customer = await f.customer(owner);
    const t = todayIn(owner.timezone);
    const start = addDays(t, -200);
    const a = await owner.api.create('/v1/customer-contracts', { customerId: customer.id, contractProfileId: rolling.id, startDate: start });
    const b = await owner.api.create('/v1/customer-contracts', { customerId: customer.id, contractProfileId: plain.id, startDate: start });
    const end = addDays(t, 2);
    for (const id of [a.id, b.id]) {
      expect((await owner.api.patch(`/v1/customer-contracts/${id}`, [{ op: 'replace', path: '/endDate', value: end }])).status).toBe(200);
    }
    const run = await rollover(owner, addDays(end, 1));
    expect(run).toMatchObject({ renewed: 1, terminated: 1, expired: 0 });
    expect((await owner.api.get(`/v1/customer-contracts/${b.id}`)).body.renewedCustomerContractId).toBeNull();
  });
});

describe('owners’ time zones and run records', () => {
  it('renews by each owner’s own date when no asOf is given', async () => {
    const ahead = await h.newOwner({ timezone: 'Pacific/Kiritimati' });
    const behind = await h.newOwner({ timezone: 'Pacific/Pago_Pago' });
    const aheadToday = todayIn(ahead.timezone);
    // ends yesterday for the owner at UTC+14, but today or later for the owner at UTC−11
    const endDate = addDays(aheadToday, -1);
    const make = async (owner: Owner) => {
      const p = await selfRolling(owner, 1);
      const customer = await f.customer(owner);
      return owner.api.create('/v1/customer-contracts', { customerId: customer.id, contractProfileId: p.id, startDate: addDays(endDate, -20), endDate });
    };
    const a = await make(ahead);
    const b = await make(behind);
    const both = h.client(await signTestToken({ owners: [ahead.id, behind.id], scope: 'admin:write contracts:read' }));
    const run = await both.post('/v1/jobs/rollover', {});
    expect(run.status, run.text).toBe(200);
    expect(run.body.renewed).toBe(1);
    expect((await both.get(`/v1/customer-contracts/${a.id}`)).body.renewedCustomerContractId).not.toBeNull();
    expect((await both.get(`/v1/customer-contracts/${b.id}`)).body.renewedCustomerContractId).toBeNull();
  });

  it('records runs, shows them to callers acting for their owners, and acts only for the token’s owners', async () => {
    const owner = await h.newOwner();
    const other = await h.newOwner();
    const p = await selfRolling(other, 1);
    const customer = await f.customer(other);
    const c = await other.api.create('/v1/customer-contracts', { customerId: customer.id, contractProfileId: p.id, startDate: '2025-01-01' });
    const run = await rollover(owner, '2025-06-01');
    expect(run.renewed).toBe(0);
    expect((await other.api.get(`/v1/customer-contracts/${c.id}`)).body.renewedCustomerContractId).toBeNull();
    const mine = await owner.api.get('/v1/jobs/runs', { sort: 'id:desc' });
    expect(mine.status).toBe(200);
    expect(mine.body.map((r: any) => r.id)).toEqual([run.id]);
    // startedAt takes the instant grammar: a range, not the text of a value
    expect((await owner.api.get('/v1/jobs/runs', { startedAt: `ge:${run.startedAt}` })).body.map((r: any) => r.id)).toEqual([run.id]);
    expect((await owner.api.get('/v1/jobs/runs', { startedAt: `gt:${run.startedAt}` })).body).toEqual([]);
    expectProblem(await owner.api.get('/v1/jobs/runs', { startedAt: 'like:2025' }), 400);
    expect((await owner.api.get(`/v1/jobs/runs/${run.id}`)).body).toMatchObject({ id: run.id, owners: [owner.id], outcome: 'COMPLETED' });
    expectProblem(await other.api.get(`/v1/jobs/runs/${run.id}`), 404);
    expectProblem(await owner.api.post('/v1/jobs/rollover', { asOf: '2025-02-30' }), 400);
    const noAdmin = h.client(await signTestToken({ owners: [owner.id], scope: 'contracts:*' }));
    expectProblem(await noAdmin.post('/v1/jobs/rollover', {}), 403);
    const renewedIds = await h.runtime.deps.database.db
      .select({ id: outboxEvents.objectId })
      .from(outboxEvents)
      .where(and(inArray(outboxEvents.contractOwnerId, [owner.id, other.id]), eq(outboxEvents.type, 'customer_contract.renewed')));
    expect(renewedIds).toEqual([]);
  });
});
