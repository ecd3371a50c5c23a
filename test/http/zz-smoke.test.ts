import { beforeAll, expect, it } from 'vitest';
import { chargeGroup, usageProduct } from '../helpers/factories';
import { type Harness, harness } from '../helpers/harness';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

it('smoke', async () => {
  const o = await h.newOwner();
  const up = await usageProduct(o);
  const cg = await chargeGroup(o);
  const cg2 = await chargeGroup(o);
  const tbp = await o.api.post('/v2/time-band-plans', { contractOwnerId: o.id, name: 'Week', bands: [{ timeband: 'PEAK', days: ['MON','TUE','WED','THU','FRI','SAT','SUN'], from: '00:00', to: '24:00' }] });
  console.log(tbp.status, tbp.text);
  const res = await o.api.post('/v2/usage-rate-cards', {
    contractOwnerIds: [o.id], name: 'Card', availableFrom: '2025-01-01', usageProductId: up.id, decimalPlaces: 4, defaultMinCharge: 1,
    usageRates: [{ chargeGroupId: cg.id, usageRateType: 'VARIABLE', peakValue: 1.5, startDate: '2025-01-01' }],
    timeBandPlans: [{ timeBandPlanId: tbp.body.id, startDate: '2025-01-01' }],
    accessCharges: [{ charge: 2.5, startDate: '2025-01-01' }],
    boltOnCharges: [{ price: 5, rentalRateType: 'ARREARS', rentalRateFrequency: 'MONTHLY', startDate: '2025-01-01' }],
  });
  console.log(res.status, JSON.stringify(res.body, null, 1));
  const p = await o.api.patch(`/v2/usage-rate-cards/${res.body.id}`, [
    { op: 'add', path: '/usageRates/-', value: { chargeGroupId: cg2.id, usageRateType: 'MARKUP', peakValue: 10, startDate: '2025-01-01' } },
    { op: 'replace', path: '/usageRates/0/peakValue', value: 2 },
    { op: 'remove', path: '/accessCharges/0' },
  ], { headers: { summary: 'false' } });
  console.log(p.status, JSON.stringify(p.body, null, 1));
  const s = await o.api.get(`/v2/usage-rate-cards/${res.body.id}`, undefined, { headers: { summary: 'true' } });
  console.log(s.status, JSON.stringify(s.body));
  const l = await o.api.get(`/v2/usage-rates`, { usageRateCardId: res.body.id });
  console.log(l.status, JSON.stringify(l.body));
  const l2 = await o.api.get(`/v2/usage-rates`);
  console.log(l2.status, JSON.stringify(l2.body));
  const pr = await o.api.patch(`/v2/usage-rates/${l.body[0].id}`, [{ op: 'replace', path: '/chargeGroupId', value: cg2.id }]);
  console.log(pr.status, JSON.stringify(pr.body));
  const pr2 = await o.api.patch(`/v2/usage-rates/${l.body[0].id}`, [{ op: 'replace', path: '/peakValue', value: 3 }]);
  console.log(pr2.status, JSON.stringify(pr2.body));
  const g = await o.api.get(`/v2/usage-rate-cards/${res.body.id}`);
  console.log(g.status, g.body.version, JSON.stringify(g.body.usageRates));
  const d = await o.api.delete(`/v2/usage-rate-cards/${res.body.id}`);
  console.log(d.status, d.text);
  expect(1).toBe(1);
});
