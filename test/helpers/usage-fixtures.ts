/**
 * A priced customer for the usage rating tests, made through the API (both runtimes).
 *
 * Owner in Asia/Tokyo (UTC+9, no DST): a JST wall time is the UTC instant + 9 h.
 * Customer C with sites S1 and S2; usage product P (seconds) with UPIs U1 (S1), U2
 * (S2) and U1b (S1); a second product P2 with UPI U3 (no card for it).
 * Charge group category VOICE (DURATION) with G1 (national, rated), G2 (no rate on
 * the cards) and G3 (MARKUP).
 *
 * Card A, assigned to C (CUSTOMER), 4 decimal places, time band plan "late peak":
 *   PEAK Mon–Fri 09:00–17:00, OFFPEAK other weekday hours, WEEKEND Sat–Sun.
 *   G1 VARIABLE per started 60 s: PEAK 5p, OFFPEAK 2p, WEEKEND 1p.
 *   G3 MARKUP 20 % in every band.
 * Card B, assigned to U2 (INVENTORY) — overrides A for U2: no time band plan (the
 *   default week, PEAK 08:00–18:00); G1 3p per started 60 s in every band.
 * Plan P1, assigned to C (CUSTOMER) from 2025-06-01, MONTHLY:
 *   Q: QUANTITY 600 s of G1, PEAK only;  V: VALUE 10p of the VOICE category, any band.
 * Plan P2, assigned to S2 (SITE) from 2025-06-01, MONTHLY, 1 rollover period:
 *   R: QUANTITY 100 s of G1, any band.
 */
import {
  assignment,
  chargeGroup,
  chargeGroupCategory,
  customer,
  inclusiveUsagePlan,
  site,
  STANDARD_WEEK,
  timeBandPlan,
  upi,
  usageProduct,
  usageRateBody,
  usageRateCard,
} from './factories';
import type { Harness, Owner } from './harness';

export const TOKYO = 'Asia/Tokyo';

/** PEAK Mon–Fri 09:00–17:00 (an hour shorter at each end than the default week). */
export const LATE_PEAK_WEEK = [
  { timeband: 'OFFPEAK', days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], from: '00:00', to: '09:00' },
  { timeband: 'PEAK', days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], from: '09:00', to: '17:00' },
  { timeband: 'OFFPEAK', days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], from: '17:00', to: '24:00' },
  STANDARD_WEEK[3]!,
];

export interface PricedCustomer {
  owner: Owner;
  customerId: number;
  s1: number;
  s2: number;
  u1: number;
  u1b: number;
  u2: number;
  u3: number;
  g1: number;
  g2: number;
  g3: number;
  cardA: any;
  cardB: any;
  p1: any;
  p2: any;
  p1Assignment: any;
  p2Assignment: any;
  /** component ids */
  q: number;
  v: number;
  r: number;
}

/** JST wall time → the instant: `jst('2025-06-02T09:30')` is 2025-06-02T00:30:00.000Z. */
export function jst(local: string): string {
  return new Date(Date.parse(`${local}:00+09:00`)).toISOString();
}

export async function pricedCustomer(h: Harness): Promise<PricedCustomer> {
  const owner = await h.newOwner({ timezone: TOKYO });
  const c = await customer(owner);
  const [s1, s2] = [await site(owner, c.id), await site(owner, c.id)];
  const product = await usageProduct(owner);
  const otherProduct = await usageProduct(owner);
  const u1 = await upi(owner, { siteId: s1.id, usageProductId: product.id });
  const u1b = await upi(owner, { siteId: s1.id, usageProductId: product.id });
  const u2 = await upi(owner, { siteId: s2.id, usageProductId: product.id });
  const u3 = await upi(owner, { siteId: s1.id, usageProductId: otherProduct.id });
  const voice = await chargeGroupCategory(owner, { chargingUnitType: 'DURATION' });
  const [g1, g2, g3] = [await chargeGroup(owner, voice.id), await chargeGroup(owner, voice.id), await chargeGroup(owner, voice.id)];
  const latePeak = await timeBandPlan(owner, { bands: LATE_PEAK_WEEK });
  const cardA = await usageRateCard(owner, {
    usageProductId: product.id,
    decimalPlaces: 4,
    usageRates: [
      usageRateBody(g1.id, { peakValue: 5, offPeakValue: 2, weekendValue: 1, variableChargeUnitSize: 60, quantityRoundingIncrement: 1 }),
      usageRateBody(g3.id, { usageRateType: 'MARKUP', peakValue: 20, offPeakValue: 20, weekendValue: 20 }),
    ],
    timeBandPlans: [{ timeBandPlanId: latePeak.id, startDate: '2025-01-01' }],
  });
  const cardB = await usageRateCard(owner, {
    usageProductId: product.id,
    decimalPlaces: 4,
    usageRates: [usageRateBody(g1.id, { peakValue: 3, offPeakValue: 3, weekendValue: 3, variableChargeUnitSize: 60 })],
  });
  await assignment(owner, 'usageRateCard', { assignmentLevel: 'CUSTOMER', customerId: c.id, usageRateCardId: cardA.id });
  await assignment(owner, 'usageRateCard', { assignmentLevel: 'INVENTORY', usageProductInventoryId: u2.id, usageRateCardId: cardB.id });
  const p1 = await inclusiveUsagePlan(owner, {
    usageProductId: product.id,
    frequency: 'MONTHLY',
    inclusiveUsageComponents: [
      { componentType: 'QUANTITY', chargingType: 'DURATION', quantity: 600, timebands: [{ timeband: 'PEAK' }], chargeGroups: [{ chargeGroupId: g1.id }] },
      { componentType: 'VALUE', chargingType: 'DURATION', valueInPence: 10, chargeGroupCategories: [{ chargeGroupCategoryId: voice.id }] },
    ],
  });
  const p2 = await inclusiveUsagePlan(owner, {
    usageProductId: product.id,
    frequency: 'MONTHLY',
    rolloverPeriods: 1,
    inclusiveUsageComponents: [{ componentType: 'QUANTITY', chargingType: 'DURATION', quantity: 100, chargeGroups: [{ chargeGroupId: g1.id }] }],
  });
  const p1Assignment = await assignment(owner, 'inclusiveUsagePlan', { assignmentLevel: 'CUSTOMER', customerId: c.id, inclusiveUsagePlanId: p1.id, startDate: '2025-06-01' });
  const p2Assignment = await assignment(owner, 'inclusiveUsagePlan', { assignmentLevel: 'SITE', siteId: s2.id, inclusiveUsagePlanId: p2.id, startDate: '2025-06-01' });
  return {
    owner,
    customerId: c.id,
    s1: s1.id,
    s2: s2.id,
    u1: u1.id,
    u1b: u1b.id,
    u2: u2.id,
    u3: u3.id,
    g1: g1.id,
    g2: g2.id,
    g3: g3.id,
    cardA,
    cardB,
    p1,
    p2,
    p1Assignment,
    p2Assignment,
    q: p1.inclusiveUsageComponents[0].id,
    v: p1.inclusiveUsageComponents[1].id,
    r: p2.inclusiveUsageComponents[0].id,
  };
}

let sequence = 0;
/** A record body with a unique reference. */
export function record(upiId: number, chargeGroupId: number, startTime: string, quantity: number, extra: Record<string, unknown> = {}) {
  sequence += 1;
  return { reference: `R-${Date.now().toString(36)}-${sequence}`, usageProductInventoryId: upiId, chargeGroupId, startTime, quantity, ...extra };
}
