/** Time band plans (v2-pricing.md) on both runtimes. */
import { beforeAll, describe, expect, it } from 'vitest';
import { STANDARD_WEEK, timeBandPlan, usageRateCard } from '../helpers/factories';
import { expectProblem, type Harness, harness } from '../helpers/harness';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

describe('time band plans', () => {
  it('creates, reads, lists, patches and deletes a plan covering the week', async () => {
    const owner = await h.newOwner();
    const res = await owner.api.post('/v2/time-band-plans', { contractOwnerId: owner.id, name: 'Business week', bands: STANDARD_WEEK });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ contractOwnerId: owner.id, name: 'Business week', bands: STANDARD_WEEK });
    expect((await owner.api.get(`/v2/time-band-plans/${res.body.id}`)).body).toEqual(res.body);
    expect((await owner.api.get('/v2/time-band-plans', { name: 'like:business' })).body.map((p: any) => p.id)).toEqual([res.body.id]);
    expect((await owner.api.get('/v2/time-band-plans', { contractOwnerId: owner.id })).body).toHaveLength(1);

    const evenings = await owner.api.patch(`/v2/time-band-plans/${res.body.id}`, [
      { op: 'replace', path: '/bands/1/to', value: '17:30' },
      { op: 'replace', path: '/bands/2/from', value: '17:30' },
    ]);
    expect(evenings.status, evenings.text).toBe(200);
    expect(evenings.body.bands[1].to).toBe('17:30');
    expect((await owner.api.delete(`/v2/time-band-plans/${res.body.id}`)).status).toBe(204);
  });

  it('names each gap and overlap (400) and writes nothing', async () => {
    const owner = await h.newOwner();
    const body = { contractOwnerId: owner.id, name: 'Broken' };
    const gap = expectProblem(await owner.api.post('/v2/time-band-plans', { ...body, bands: STANDARD_WEEK.slice(0, 3) }), 400);
    expect(gap.errors).toEqual([{ path: '/bands', message: 'SAT 00:00–24:00 is not covered by any band; SUN 00:00–24:00 is not covered by any band' }]);
    const overlap = expectProblem(
      await owner.api.post('/v2/time-band-plans', { ...body, bands: [...STANDARD_WEEK, { timeband: 'PEAK', days: ['SAT'], from: '09:00', to: '12:00' }] }),
      400,
    );
    expect(overlap.errors).toEqual([{ path: '/bands/4', message: 'SAT 09:00–12:00 is also covered by /bands/3' }]);
    const midnight = expectProblem(await owner.api.post('/v2/time-band-plans', { ...body, bands: [{ timeband: 'OFFPEAK', days: ['MON'], from: '18:00', to: '08:00' }] }), 400);
    expect(midnight.errors[0].path).toBe('/bands/0/to');
    expect(expectProblem(await owner.api.post('/v2/time-band-plans', { ...body, bands: [{ timeband: 'NIGHT', days: ['MON'], from: '00:00', to: '24:00' }] }), 400).errors[0].path).toBe(
      '/bands/0/timeband',
    );
    expect(expectProblem(await owner.api.post('/v2/time-band-plans', { ...body, bands: [] }), 400).errors[0].path).toBe('/bands');

    const plan = await timeBandPlan(owner);
    const broken = expectProblem(await owner.api.patch(`/v2/time-band-plans/${plan.id}`, [{ op: 'remove', path: '/bands/3' }]), 400);
    expect(broken.errors).toEqual([{ path: '/bands', message: 'SAT 00:00–24:00 is not covered by any band; SUN 00:00–24:00 is not covered by any band' }]);
    expect((await owner.api.get(`/v2/time-band-plans/${plan.id}`)).body.bands).toEqual(STANDARD_WEEK);
    expect((await owner.api.get('/v2/time-band-plans')).body).toHaveLength(1);
  });

  it('is kept while a usage rate card uses it (409), and is the owner’s alone', async () => {
    const owner = await h.newOwner();
    const other = await h.newOwner();
    const plan = await timeBandPlan(owner);
    const card = await usageRateCard(owner, { timeBandPlans: [{ timeBandPlanId: plan.id, startDate: '2025-01-01' }] });
    expect(expectProblem(await owner.api.delete(`/v2/time-band-plans/${plan.id}`), 409).detail).toMatch(/usage rate card/);
    expectProblem(await other.api.get(`/v2/time-band-plans/${plan.id}`), 404);
    expectProblem(await other.api.post('/v2/time-band-plans', { contractOwnerId: owner.id, name: 'x', bands: STANDARD_WEEK }), 403);
    await owner.api.patch(`/v2/usage-rate-cards/${card.id}`, [{ op: 'remove', path: '/timeBandPlans/0' }]);
    expect((await owner.api.delete(`/v2/time-band-plans/${plan.id}`)).status).toBe(204);
  });
});
