import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { outboxEvents } from '../../src/db/schema';
import { addDays, addMonths, todayIn } from '../../src/domain/dates';
import { expectProblem, type Harness, harness, type Owner, unique } from '../helpers/harness';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

async function setup(ownerOverrides: Record<string, unknown> = {}, profileOverrides: Record<string, unknown> = {}) {
  const owner = await h.newOwner(ownerOverrides);
  const profile = await owner.api.create('/v1/contract-profiles', {
    contractOwnerId: owner.id,
    name: unique('Fibre '),
    contractTerm: 12,
    earlyTerminationFixedCharge: 100,
    earlyTerminationPercentageCharge: 50,
    noticePeriodDays: 30,
    renewalAlertDays: 28,
    ...profileOverrides,
  });
  const customer = await owner.api.create('/v1/customers', { contractOwnerId: owner.id, customerName: unique('Cust ') });
  const contract = (body: Record<string, unknown>) =>
    owner.api.post('/v1/customer-contracts', { customerId: customer.id, contractProfileId: profile.id, ...body });
  return { owner, profile, customer, contract };
}

const today = (owner: Owner) => todayIn(owner.timezone);

describe('creating customer contracts', () => {
  it('computes the end date with the anchored rule and takes defaults from the profile', async () => {
    const { owner, profile, customer, contract } = await setup();
    const a = await contract({ startDate: '2025-01-01' });
    expect(a.status, a.text).toBe(201);
    expect(a.body).toMatchObject({
      contractOwnerId: owner.id,
      name: `${customer.customerName} – ${profile.name}`,
      customerId: customer.id,
      siteId: null,
      contractProfileId: profile.id,
      startDate: '2025-01-01',
      endDate: '2025-12-31',
      billingStartDate: '2025-01-01',
      rolloverContractProfileId: null,
      renewalAlertDays: 28,
      noticePeriodDays: 30,
      previousCustomerContractId: null,
      renewedCustomerContractId: null,
      terminationDate: null,
      earlyTerminationCharge: null,
    });
    expect((await contract({ startDate: '2024-02-29' })).body.endDate).toBe('2025-02-27');
    const explicit = await contract({ startDate: '2025-01-01', endDate: '2025-03-31', billingStartDate: '2025-02-01', renewalAlertDays: 0, noticePeriodDays: 2147483647, name: 'Custom' });
    expect(explicit.body).toMatchObject({ endDate: '2025-03-31', billingStartDate: '2025-02-01', renewalAlertDays: 0, noticePeriodDays: 2147483647, name: 'Custom' });
    const events = await h.runtime.deps.database.db
      .select()
      .from(outboxEvents)
      .where(and(eq(outboxEvents.contractOwnerId, owner.id), eq(outboxEvents.type, 'customer_contract.created')));
    expect(events.map((e) => e.objectId).sort()).toEqual([a.body.id, explicit.body.id, events[1]!.objectId].sort());
    expect(events.find((e) => e.objectId === a.body.id)!.data).toMatchObject({ id: a.body.id, endDate: '2025-12-31' });
  });

  it('defaults the rollover profile from the profile, and allows an explicit null', async () => {
    const { owner, customer } = await setup();
    const renewInto = await owner.api.create('/v1/contract-profiles', {
      contractOwnerId: owner.id, name: unique('R '), contractTerm: 1, earlyTerminationFixedCharge: 0, earlyTerminationPercentageCharge: 0,
    });
    const rolling = await owner.api.create('/v1/contract-profiles', {
      contractOwnerId: owner.id, name: unique('P '), contractTerm: 24, earlyTerminationFixedCharge: 0, earlyTerminationPercentageCharge: 0,
      rolloverContractProfileId: renewInto.id, renewalAlertDays: 10, noticePeriodDays: 90,
    });
    const base = { customerId: customer.id, contractProfileId: rolling.id, startDate: '2025-05-31' };
    const c = await owner.api.create('/v1/customer-contracts', base);
    expect(c).toMatchObject({ rolloverContractProfileId: renewInto.id, renewalAlertDays: 10, noticePeriodDays: 90, endDate: '2027-05-30' });
    const none = await owner.api.create('/v1/customer-contracts', { ...base, rolloverContractProfileId: null });
    expect(none.rolloverContractProfileId).toBeNull();
  });

  it('rejects bad dates, unknown references and other owners’ objects', async () => {
    const { owner, customer, contract } = await setup();
    const other = await setup();
    expectProblem(await contract({ startDate: '2025-02-29' }), 400);
    expectProblem(await contract({ startDate: '2025-05-01', endDate: '2025-04-30' }), 400);
    expectProblem(await contract({ startDate: '2025-05-01', billingStartDate: '2025-04-30' }), 400);
    expectProblem(await owner.api.post('/v1/customer-contracts', { customerId: other.customer.id, contractProfileId: other.profile.id, startDate: '2025-01-01' }), 404);
    const p = expectProblem(await contract({ startDate: '2025-01-01', contractProfileId: other.profile.id }), 404);
    expect(p.errors[0].path).toBe('/contractProfileId');
    expectProblem(await owner.api.post('/v1/customer-contracts', { customerId: customer.id, startDate: '2025-01-01' }), 400);
    const ref = unique('REF-');
    expect((await contract({ startDate: '2025-01-01', externalRef: ref })).status).toBe(201);
    expectProblem(await contract({ startDate: '2025-01-01', externalRef: ref }), 409);
    expect((await other.contract({ startDate: '2025-01-01', externalRef: ref })).status).toBe(201);
  });
});

describe('status and the owner’s today', () => {
  it('derives PENDING, ACTIVE, IN_NOTICE and EXPIRED for the owner’s date', async () => {
    const { owner, contract } = await setup();
    const t = today(owner);
    const pending = (await contract({ startDate: addDays(t, 1) })).body;
    const active = (await contract({ startDate: addDays(t, -10) })).body;
    const inNotice = (await contract({ startDate: addDays(t, -100), endDate: addDays(t, 5) })).body;
    const expired = (await contract({ startDate: addDays(t, -100), endDate: addDays(t, -1) })).body;
    expect([pending.status, active.status, inNotice.status, expired.status]).toEqual(['PENDING', 'ACTIVE', 'IN_NOTICE', 'EXPIRED']);
    const byStatus = async (status: string) => (await owner.api.get('/v1/customer-contracts', { status })).body.map((c: any) => c.id);
    expect(await byStatus('PENDING')).toEqual([pending.id]);
    expect(await byStatus('in:ACTIVE,EXPIRED')).toEqual([active.id, expired.id]);
    expect(await byStatus('IN_NOTICE')).toEqual([inNotice.id]);
  });

  it('uses each owner’s own date, even for one caller acting for both (UTC+14 and UTC−11)', async () => {
    const ahead = await setup({ timezone: 'Pacific/Kiritimati' });
    const behind = await setup({ timezone: 'Pacific/Pago_Pago' });
    const aheadToday = today(ahead.owner);
    expect(aheadToday).not.toBe(today(behind.owner)); // 25 hours apart: always different dates
    const endDate = addDays(aheadToday, -1);
    const a = (await ahead.contract({ startDate: addDays(endDate, -60), endDate })).body;
    const b = (await behind.contract({ startDate: addDays(endDate, -60), endDate })).body;
    expect(a.status).toBe('EXPIRED');
    expect(b.status).toBe('IN_NOTICE');
    const both = h.client(await import('../helpers/harness').then((m) => m.signTestToken({ owners: [ahead.owner.id, behind.owner.id] })));
    const expiredIds = (await both.get('/v1/customer-contracts', { status: 'EXPIRED' })).body.map((c: any) => c.id);
    expect(expiredIds).toEqual([a.id]);
    const noticeIds = (await both.get('/v1/customer-contracts', { noticePeriod: 'true' })).body.map((c: any) => c.id);
    expect(noticeIds).toEqual([b.id]);
  });

  it('filters by status and both windows for a caller whose owners are on many different dates', async () => {
    const ahead = await setup({ timezone: 'Pacific/Kiritimati' });
    const behind = await setup({ timezone: 'Pacific/Pago_Pago' });
    const endDate = addDays(today(ahead.owner), -1);
    const a = (await ahead.contract({ startDate: addDays(endDate, -60), endDate })).body;
    const b = (await behind.contract({ startDate: addDays(endDate, -60), endDate })).body;
    // eight more owners a day ahead, nine more behind: the smaller group is listed in the per-row today
    const more = await Promise.all([
      ...Array.from({ length: 8 }, () => h.newOwner({ timezone: 'Pacific/Kiritimati' })),
      ...Array.from({ length: 9 }, () => h.newOwner({ timezone: 'Pacific/Pago_Pago' })),
    ]);
    const owners = [ahead.owner.id, behind.owner.id, ...more.map((o) => o.id)];
    const all = h.client(await import('../helpers/harness').then((m) => m.signTestToken({ owners })));
    const res = await all.get('/v1/customer-contracts', { status: 'in:EXPIRED,IN_NOTICE', renewalAlert: 'false', noticePeriod: 'false' });
    expect(res.status, res.text).toBe(200);
    expect(res.body.map((c: any) => c.id)).toEqual([a.id]);
    expect((await all.get('/v1/customer-contracts', { status: 'IN_NOTICE', noticePeriod: 'true' })).body.map((c: any) => c.id)).toEqual([b.id]);
  });

  it('filters by renewalAlert and noticePeriod windows, including 0 and 2147483647 days', async () => {
    const { owner, contract } = await setup();
    const t = today(owner);
    const inAlert = (await contract({ startDate: addDays(t, -300), endDate: addDays(t, 20), renewalAlertDays: 28, noticePeriodDays: 0 })).body;
    const beforeAlert = (await contract({ startDate: addDays(t, -300), endDate: addDays(t, 40), renewalAlertDays: 28, noticePeriodDays: 30 })).body;
    const endsToday = (await contract({ startDate: addDays(t, -300), endDate: t, renewalAlertDays: 0, noticePeriodDays: 0 })).body;
    const forever = (await contract({ startDate: addDays(t, -300), endDate: addMonths(t, 120), renewalAlertDays: 0, noticePeriodDays: 2147483647 })).body;
    const ids = async (q: Record<string, string>) => (await owner.api.get('/v1/customer-contracts', q)).body.map((c: any) => c.id);
    expect(await ids({ renewalAlert: 'true' })).toEqual([inAlert.id, endsToday.id]);
    expect(await ids({ renewalAlert: 'false' })).toEqual([beforeAlert.id, forever.id]);
    expect(await ids({ noticePeriod: 'true' })).toEqual([endsToday.id, forever.id]);
    expect(await ids({ noticePeriod: 'true', sort: 'endDate:desc' })).toEqual([forever.id, endsToday.id]);
  });

  it('keeps the renewal-alert window to the day as the end date and alert days change', async () => {
    const { owner, contract } = await setup();
    const t = today(owner);
    // the window's first day is stored: it must follow every change of either field
    // (starting tomorrow, so billing has not started and the end date may move without terminating)
    const startsToday = (await contract({ startDate: addDays(t, 1), endDate: addDays(t, 28), renewalAlertDays: 28 })).body;
    const ids = async () => (await owner.api.get('/v1/customer-contracts', { renewalAlert: 'true' })).body.map((c: any) => c.id);
    expect(await ids()).toEqual([startsToday.id]);
    const shorter = await owner.api.patch(`/v1/customer-contracts/${startsToday.id}`, [{ op: 'replace', path: '/renewalAlertDays', value: 27 }]);
    expect(shorter.status).toBe(200);
    expect(await ids()).toEqual([]);
    const earlier = await owner.api.patch(`/v1/customer-contracts/${startsToday.id}`, [{ op: 'replace', path: '/endDate', value: addDays(t, 27) }]);
    expect(earlier.status).toBe(200);
    expect(await ids()).toEqual([startsToday.id]);
  });

  it('finds contracts by free text over name, level and profile names, and recent-or-future ones', async () => {
    const { owner, profile, contract } = await setup();
    const t = today(owner);
    const named = (await contract({ startDate: addDays(t, -400), endDate: addDays(t, -200), name: 'Head office broadband' })).body;
    const future = (await contract({ startDate: addDays(t, 30) })).body;
    const ids = async (q: Record<string, string>) => (await owner.api.get('/v1/customer-contracts', q)).body.map((c: any) => c.id);
    expect(await ids({ filter: 'BROADBAND' })).toEqual([named.id]);
    expect(await ids({ filter: 'customer' })).toEqual([named.id, future.id]);
    expect(await ids({ filter: 'site' })).toEqual([]);
    expect(await ids({ filter: profile.name.slice(-6) })).toContain(future.id);
    expect(await ids({ recentWithRPIsOrFuture: 'true' })).toEqual([future.id]);
    expect(await ids({ recentWithRPIsOrFuture: 'false' })).toEqual([named.id]);
  });
});

describe('editing customer contracts', () => {
  it('before billing starts: changes anything but customerId, recomputing the end date', async () => {
    const { owner, customer, contract } = await setup();
    const t = today(owner);
    const longer = await owner.api.create('/v1/contract-profiles', {
      contractOwnerId: owner.id, name: unique('L '), contractTerm: 36, earlyTerminationFixedCharge: 0, earlyTerminationPercentageCharge: 0,
    });
    const c = (await contract({ startDate: addDays(t, 10) })).body;
    const res = await owner.api.patch(`/v1/customer-contracts/${c.id}`, [
      { op: 'replace', path: '/contractProfileId', value: longer.id },
      { op: 'replace', path: '/startDate', value: '2031-01-31' },
      { op: 'replace', path: '/name', value: 'Renamed' },
    ]);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ contractProfileId: longer.id, startDate: '2031-01-31', endDate: '2034-01-30', name: 'Renamed' });
    const moved = expectProblem(await owner.api.patch(`/v1/customer-contracts/${c.id}`, [{ op: 'replace', path: '/customerId', value: customer.id + 1 }]), 422);
    expect(moved.errors[0].path).toBe('/customerId');
    // defaults are taken at signing: removing one is refused, and nothing is written
    for (const field of ['name', 'renewalAlertDays', 'noticePeriodDays']) {
      const removed = expectProblem(await owner.api.patch(`/v1/customer-contracts/${c.id}`, [{ op: 'remove', path: `/${field}` }]), 400);
      expect(removed.errors[0].path).toBe(`/${field}`);
    }
    expect((await owner.api.get(`/v1/customer-contracts/${c.id}`)).body).toMatchObject({ name: 'Renamed', version: res.body.version });
  });

  it('after billing starts: only rollover, alert days, notice days and endDate; later endDate is a 422', async () => {
    const { owner, contract } = await setup();
    const t = today(owner);
    const c = (await contract({ startDate: addDays(t, -30) })).body;
    const path = `/v1/customer-contracts/${c.id}`;
    const ok = await owner.api.patch(path, [{ op: 'replace', path: '/noticePeriodDays', value: 45 }, { op: 'replace', path: '/renewalAlertDays', value: 7 }]);
    expect(ok.status, ok.text).toBe(200);
    const name = expectProblem(await owner.api.patch(path, [{ op: 'replace', path: '/name', value: 'Nope' }]), 422);
    expect(name.errors[0].path).toBe('/name');
    expectProblem(await owner.api.patch(path, [{ op: 'replace', path: '/startDate', value: addDays(t, -29) }]), 422);
    expectProblem(await owner.api.patch(path, [{ op: 'replace', path: '/endDate', value: addDays(c.endDate, 1) }]), 422);
    expectProblem(await owner.api.patch(path, [{ op: 'replace', path: '/endDate', value: addDays(c.startDate, -1) }]), 400);
    expect((await owner.api.get(path)).body.version).toBe(2);
  });

  it('moving endDate earlier terminates early with the charge recorded and an event', async () => {
    const { owner, contract } = await setup();
    const t = today(owner);
    const c = (await contract({ startDate: addDays(t, -30) })).body;
    const end = addDays(t, 10);
    const res = await owner.api.patch(`/v1/customer-contracts/${c.id}`, [{ op: 'replace', path: '/endDate', value: end }]);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ endDate: end, terminationDate: end, status: 'IN_NOTICE' });
    expect(typeof res.body.earlyTerminationCharge).toBe('number');
    const events = await h.runtime.deps.database.db
      .select()
      .from(outboxEvents)
      .where(and(eq(outboxEvents.objectId, c.id), eq(outboxEvents.type, 'customer_contract.terminated')));
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({ terminationDate: end });
  });

  it('deletes an unassigned contract', async () => {
    const { owner, contract } = await setup();
    const c = (await contract({ startDate: '2025-01-01' })).body;
    expect((await owner.api.delete(`/v1/customer-contracts/${c.id}`)).status).toBe(204);
    expectProblem(await owner.api.get(`/v1/customer-contracts/${c.id}`), 404);
  });
});
