import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newBucket } from '../../../src/domain/allowances/buckets';
import { applyDraws } from '../../../src/domain/allowances/drawdown';
import type { AllowanceBucket } from '../../../src/domain/allowances/model';
import { assigned, component, p, plan, rate, rateRecord } from '../../helpers/rating-fixtures';

/** seconds → quantity units as stored in QUANTITY buckets */
const s = (seconds: number) => seconds * 1_000_000;

describe('QUANTITY allowance', () => {
  it('absorbs a whole record and says which bucket to draw', () => {
    const result = rateRecord(120, { plans: [assigned(1, plan())] });
    expect(result).toMatchObject({ status: 'RATED', quantity: 120, inclusiveQuantity: 120, chargeableQuantity: 0, inclusiveValue: 0, charge: 0 });
    expect(result.draws).toEqual([
      {
        assignmentId: 1,
        componentId: 1,
        periodStart: '2025-06-01',
        periodEnd: '2025-06-30',
        usableUntil: '2025-06-30',
        allowance: s(600),
        amount: s(120),
        usedBefore: 0,
        used: s(120),
        stored: false,
      },
    ]);
    expect(result.exhausted).toEqual([]);
  });

  it('exhausted mid-record: 100 s left of 600, a 150 s call → 100 inclusive, 50 chargeable = 1 started minute × 5p = 5p', () => {
    const stored: AllowanceBucket = { ...newBucket(assigned(1, plan()), component(), 0), used: s(500) };
    const plans = [assigned(1, plan())];
    const first = rateRecord(150, { plans, buckets: [stored] });
    expect(first).toMatchObject({ inclusiveQuantity: 100, chargeableQuantity: 50, charge: p(5) });
    expect(first.draws).toMatchObject([{ amount: s(100), usedBefore: s(500), used: s(600), stored: true }]);
    expect(first.exhausted).toEqual([
      { assignmentId: 1, inclusiveUsagePlanId: 1, componentId: 1, componentType: 'QUANTITY', periodStart: '2025-06-01', periodEnd: '2025-06-30' },
    ]);
    // The next record finds nothing left: 61 s = 2 minutes × 5p = 10p, and no second exhausted event.
    const second = rateRecord(61, { plans, buckets: applyDraws([stored], first.draws) });
    expect(second).toMatchObject({ inclusiveQuantity: 0, chargeableQuantity: 61, charge: p(10), draws: [], exhausted: [] });
  });

  it('consumes the rounded quantity: 60.2 s rounds to 61 s, which is drawn', () => {
    expect(rateRecord(60.2, { plans: [assigned(1, plan())] }).draws[0]!.amount).toBe(s(61));
  });

  it('minQualifyingQuantity 3: a 2.4 s call (rounded to 3 s) is rated normally, a 3 s call draws', () => {
    const plans = [assigned(1, plan({ minQualifyingQuantity: 3 }))];
    expect(rateRecord(2.4, { plans })).toMatchObject({ quantity: 3, inclusiveQuantity: 0, charge: p(5), draws: [] });
    expect(rateRecord(3, { plans })).toMatchObject({ quantity: 3, inclusiveQuantity: 3, charge: 0 });
  });

  it('maxPerEventQuantity 60: a 150 s call draws 60 s; 90 s = 2 started minutes × 5p = 10p', () => {
    const result = rateRecord(150, { plans: [assigned(1, plan({ maxPerEventQuantity: 60 }))] });
    expect(result).toMatchObject({ inclusiveQuantity: 60, chargeableQuantity: 90, charge: p(10) });
    expect(result.draws.map((d) => d.amount)).toEqual([s(60)]);
  });

  it('maxPerEventQuantity caps the plan, not each component: 40 s + 20 s from two components', () => {
    const twoComponents = plan({
      maxPerEventQuantity: 60,
      components: [component({ id: 1, quantity: 40 }), component({ id: 2, quantity: 600 })],
    });
    const result = rateRecord(150, { plans: [assigned(1, twoComponents)] });
    expect(result.draws.map((d) => [d.componentId, d.amount])).toEqual([
      [1, s(40)],
      [2, s(20)],
    ]);
    expect(result).toMatchObject({ inclusiveQuantity: 60, chargeableQuantity: 90, charge: p(10) });
  });
});

describe('VALUE allowance', () => {
  const valuePlan = (pence: number) => plan({ components: [component({ componentType: 'VALUE', quantity: null, value: p(pence) })] });

  it('pays the whole price while it lasts: 60 s = 5p out of 10p', () => {
    const result = rateRecord(60, { plans: [assigned(1, valuePlan(10))] });
    expect(result).toMatchObject({ inclusiveValue: p(5), charge: 0, inclusiveQuantity: 60, chargeableQuantity: 0 });
    expect(result.draws).toMatchObject([{ amount: p(5), allowance: p(10) }]);
    expect(result.exhausted).toEqual([]);
  });

  it('exhausted mid-record: 10p left, a 180 s call costs 3 × 5p = 15p → 10p paid, 5p charged; 180 × 10/15 = 120 s covered', () => {
    const result = rateRecord(180, { plans: [assigned(1, valuePlan(10))] });
    expect(result).toMatchObject({ inclusiveValue: p(10), charge: p(5), inclusiveQuantity: 120, chargeableQuantity: 60 });
    expect(result.exhausted).toMatchObject([{ componentType: 'VALUE', periodStart: '2025-06-01' }]);
  });

  it('a part-paid record covers the units paid for, rounded down to the increment: 7p of 15p → ⌊180 × 7/15⌋ = 84 s', () => {
    const result = rateRecord(180, { plans: [assigned(1, valuePlan(7))] });
    expect(result).toMatchObject({ inclusiveValue: p(7), charge: p(8), inclusiveQuantity: 84, chargeableQuantity: 96 });
  });

  it('pays the minimum charge too: 10 s = 5p raw, minimum 8p → 8p paid from a 20p allowance', () => {
    const result = rateRecord(10, { plans: [assigned(1, valuePlan(20))], rate: rate({ peakMinimum: p(8) }) });
    expect(result).toMatchObject({ inclusiveValue: p(8), charge: 0 });
  });

  it('ignores minQualifyingQuantity (quantity components only)', () => {
    const result = rateRecord(2, { plans: [assigned(1, { ...valuePlan(20), minQualifyingQuantity: 3 })] });
    expect(result).toMatchObject({ inclusiveValue: p(5), charge: 0 });
  });

  it('comes after QUANTITY allowances: 240 s, 60 s in kind, 180 s = 15p of which 10p by value → 5p', () => {
    const both = plan({
      components: [component({ id: 1, quantity: 60 }), component({ id: 2, componentType: 'VALUE', quantity: null, value: p(10) })],
    });
    const result = rateRecord(240, { plans: [assigned(1, both)] });
    // units: 60 by quantity + 180 × 10/15 = 120 by value = 180 inclusive, 60 chargeable
    expect(result).toMatchObject({ inclusiveQuantity: 180, chargeableQuantity: 60, inclusiveValue: p(10), charge: p(5) });
  });
});

describe('which components cover a record', () => {
  const covered = (overrides: Parameters<typeof component>[0], opts: Parameters<typeof rateRecord>[1] = {}) =>
    rateRecord(60, { ...opts, plans: [assigned(1, plan({ components: [component(overrides)] }))] }).inclusiveQuantity === 60;

  it('charge group, charge group category, or neither listed (= all)', () => {
    expect(covered({ chargeGroupIds: [100] })).toBe(true);
    expect(covered({ chargeGroupIds: [200] })).toBe(false);
    expect(covered({ chargeGroupIds: [200], chargeGroupCategoryIds: [7] })).toBe(true);
    expect(covered({ chargeGroupCategoryIds: [8] })).toBe(false);
    expect(covered({ chargeGroupCategoryIds: [7] }, { chargeGroupCategoryId: null })).toBe(false);
    expect(covered({})).toBe(true);
  });

  it('time band and charging type', () => {
    expect(covered({ timebands: ['PEAK', 'OFFPEAK'] })).toBe(true);
    expect(covered({ timebands: ['WEEKEND'] })).toBe(false);
    expect(covered({ chargingType: 'DATA' })).toBe(false);
    expect(covered({ chargingType: null })).toBe(true);
  });

  it('the assignment must be effective on the record’s local date', () => {
    expect(rateRecord(60, { plans: [assigned(1, plan(), 'CUSTOMER', '2025-06-03')] }).inclusiveQuantity).toBe(0);
    expect(rateRecord(60, { plans: [assigned(1, plan(), 'CUSTOMER', '2025-05-01', '2025-06-01')] }).inclusiveQuantity).toBe(0);
    expect(rateRecord(60, { plans: [assigned(1, plan(), 'CUSTOMER', '2025-05-01', '2025-06-02')] }).inclusiveQuantity).toBe(60);
  });
});

describe('plans add up across levels, drawn most specific first', () => {
  it('100 s from INVENTORY (30 s), SITE (40 s) then CUSTOMER (600 s)', () => {
    const plans = [
      assigned(1, plan({ id: 11, components: [component({ id: 1, quantity: 600 })] }), 'CUSTOMER'),
      assigned(3, plan({ id: 33, components: [component({ id: 3, quantity: 30 })] }), 'INVENTORY'),
      assigned(2, plan({ id: 22, components: [component({ id: 2, quantity: 40 })] }), 'SITE'),
    ];
    const result = rateRecord(100, { plans });
    expect(result.draws.map((d) => [d.assignmentId, d.amount])).toEqual([
      [3, s(30)],
      [2, s(40)],
      [1, s(30)],
    ]);
    expect(result.inclusiveQuantity).toBe(100);
    expect(result.exhausted.map((e) => e.inclusiveUsagePlanId)).toEqual([33, 22]);
  });

  it('a VALUE plan at INVENTORY level still waits for every QUANTITY allowance (units first, money second)', () => {
    const plans = [
      assigned(1, plan({ components: [component({ id: 1, quantity: 60 })] }), 'CUSTOMER'),
      assigned(2, plan({ components: [component({ id: 2, componentType: 'VALUE', quantity: null, value: p(100) })] }), 'INVENTORY'),
    ];
    // 120 s: 60 s from the CUSTOMER minutes, the other 60 s = 5p from the INVENTORY money
    // (draws are listed in precedence order, INVENTORY first)
    const result = rateRecord(120, { plans });
    expect(result.draws.map((d) => [d.assignmentId, d.amount])).toEqual([
      [2, p(5)],
      [1, s(60)],
    ]);
    expect(result).toMatchObject({ inclusiveQuantity: 120, inclusiveValue: p(5), charge: 0 });
  });
});

describe('applyDraws', () => {
  it('adds amounts to stored buckets and appends new ones', () => {
    const a = assigned(1, plan());
    const stored = { ...newBucket(a, component(), 0), used: s(10) };
    const result = rateRecord(30, { plans: [a], buckets: [stored] });
    expect(applyDraws([stored], result.draws)).toEqual([{ ...stored, used: s(40) }]);
    const fresh = rateRecord(30, { plans: [a] });
    expect(applyDraws([], fresh.draws)).toEqual([{ ...newBucket(a, component(), 0), used: s(30) }]);
  });
});


describe('properties of a rated record with allowances', () => {
  it('chargeable + inclusive = the rounded quantity; draws match what was absorbed; no bucket goes past its allowance', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }).map((n) => n / 100), // quantity with 2 decimals
        fc.integer({ min: 0, max: 2_000 }), // QUANTITY allowance, seconds
        fc.integer({ min: 0, max: 2_000 }), // already used, seconds
        fc.integer({ min: 0, max: 200 }), // VALUE allowance, pence
        fc.option(fc.integer({ min: 1, max: 500 }), { nil: null }), // maxPerEventQuantity
        fc.constantFrom(1, 0.5, 6), // quantity rounding increment
        (quantity, allowance, used, valuePence, maxPerEvent, increment) => {
          const minutes = assigned(1, plan({ maxPerEventQuantity: maxPerEvent, components: [component({ id: 1, quantity: allowance })] }), 'INVENTORY');
          const money = assigned(2, plan({ components: [component({ id: 2, componentType: 'VALUE', quantity: null, value: p(valuePence) })] }));
          const stored = { ...newBucket(minutes, minutes.plan.components[0]!, 0), used: s(Math.min(used, allowance)) };
          const result = rateRecord(quantity, { plans: [minutes, money], buckets: [stored], rate: rate({ quantityRoundingIncrement: increment }) });
          const units = (n: number) => Math.round(n * 1_000_000);
          expect(units(result.chargeableQuantity!) + units(result.inclusiveQuantity!)).toBe(units(result.quantity));
          expect(result.quantity).toBeGreaterThanOrEqual(quantity);
          const drawn = (assignmentId: number) => result.draws.filter((d) => d.assignmentId === assignmentId).reduce((t, d) => t + d.amount, 0);
          expect(drawn(2)).toBe(result.inclusiveValue);
          if (maxPerEvent !== null) expect(drawn(1)).toBeLessThanOrEqual(s(maxPerEvent));
          for (const d of result.draws) {
            expect(d.used).toBeLessThanOrEqual(d.allowance);
            expect(d.amount).toBeGreaterThan(0);
          }
          expect(result.charge).toBeGreaterThanOrEqual(0);
          // with nothing drawn by value the charge is the price of the chargeable units
          const chargeable = units(result.quantity) - drawn(1);
          const unitSeconds = 60_000_000;
          expect(result.charge! + result.inclusiveValue!).toBe((Math.ceil(chargeable / unitSeconds) * p(5)));
        },
      ),
      { numRuns: 300 },
    );
  });
});
