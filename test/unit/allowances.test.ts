import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyDraws,
  bucketAmountToWire,
  componentBalanceAt,
  inclusiveUsageBalanceView,
  newBucket,
  planPeriod,
  planPeriodAt,
  type AllowanceBucket,
} from '../../src/domain/allowances';
import { addDays } from '../../src/domain/dates';
import { assigned, component, p, plan, rate, rateRecord, utc } from '../helpers/rating-fixtures';

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

describe('plan periods', () => {
  it('MONTHLY from the 31st never drifts: each period is [addMonths(anchor, k), addMonths(anchor, k + 1) − 1]', () => {
    const periods = [0, 1, 2, 3, 4].map((k) => planPeriod('MONTHLY', '2025-01-31', k));
    expect(periods.map((x) => [x.start, x.end])).toEqual([
      ['2025-01-31', '2025-02-27'],
      ['2025-02-28', '2025-03-30'],
      ['2025-03-31', '2025-04-29'],
      ['2025-04-30', '2025-05-30'],
      ['2025-05-31', '2025-06-29'],
    ]);
    expect(planPeriodAt('MONTHLY', '2025-01-31', '2025-03-30').index).toBe(1);
    expect(planPeriodAt('MONTHLY', '2025-01-31', '2025-03-31').index).toBe(2);
    expect(planPeriodAt(null, '2025-01-31', '2025-02-28')).toEqual({ index: 1, start: '2025-02-28', end: '2025-03-30' });
  });

  it('a leap-day anchor: 2024-02-29 + 12 months starts 2025-02-28', () => {
    expect(planPeriod('MONTHLY', '2024-02-29', 12)).toEqual({ index: 12, start: '2025-02-28', end: '2025-03-28' });
  });

  it('WEEKLY and DAILY are anchored on the assignment start too', () => {
    // 2025-01-01 is a Wednesday: weeks run Wednesday to Tuesday
    expect(planPeriodAt('WEEKLY', '2025-01-01', '2025-01-07')).toEqual({ index: 0, start: '2025-01-01', end: '2025-01-07' });
    expect(planPeriodAt('WEEKLY', '2025-01-01', '2025-01-08')).toEqual({ index: 1, start: '2025-01-08', end: '2025-01-14' });
    expect(planPeriodAt('DAILY', '2025-01-01', '2025-03-01')).toEqual({ index: 59, start: '2025-03-01', end: '2025-03-01' });
  });

  it('at the end of the calendar every period still holds its days (9999-12-31 is the last one)', () => {
    // the period after 9999-12-15 would end 10000-01-14: it is cut where the calendar ends
    expect(planPeriodAt('MONTHLY', '9999-12-15', '9999-12-31')).toEqual({ index: 1, start: '9999-12-31', end: '9999-12-31' });
    expect(planPeriod('MONTHLY', '9999-12-15', 0)).toEqual({ index: 0, start: '9999-12-15', end: '9999-12-30' });
  });

  it('property: consecutive periods neither overlap nor leave a gap (anchors on every day incl. 28th–31st)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4000 }).map((n) => addDays('2020-01-01', n)),
        fc.constantFrom('MONTHLY' as const, 'WEEKLY' as const, 'DAILY' as const),
        fc.integer({ min: 0, max: 40 }),
        (anchor, frequency, k) => {
          const a = planPeriod(frequency, anchor, k);
          const b = planPeriod(frequency, anchor, k + 1);
          expect(b.start).toBe(addDays(a.end, 1));
          expect(a.start <= a.end).toBe(true);
          expect(planPeriodAt(frequency, anchor, a.end).index).toBe(k);
          expect(planPeriodAt(frequency, anchor, b.start).index).toBe(k + 1);
        },
      ),
    );
  });

  it('a record on 2025-02-28 under a plan assigned on 2025-01-31 draws from the period starting 2025-02-28', () => {
    const start = utc('2025-02-28T10:00:00Z'); // Friday 10:00 GMT, PEAK
    const result = rateRecord(60, { start, plans: [assigned(1, plan(), 'CUSTOMER', '2025-01-31')] });
    expect(result.draws).toMatchObject([{ periodStart: '2025-02-28', periodEnd: '2025-03-30', usableUntil: '2025-03-30' }]);
  });

  it('the assignment end cuts the period and the rollover reach (the allowance is not prorated)', () => {
    const a = assigned(1, plan({ rolloverPeriods: 2 }), 'CUSTOMER', '2025-06-01', '2025-06-20');
    expect(newBucket(a, component(), 0)).toMatchObject({ periodStart: '2025-06-01', periodEnd: '2025-06-20', usableUntil: '2025-06-20', allowance: s(600) });
  });
});

describe('rollover of unused allowance', () => {
  // 100 s a month from 2025-01-15: P0 = 01-15..02-14, P1 = 02-15..03-14, P2 = 03-15..04-14.
  const rolling = (rolloverPeriods: number | null) =>
    assigned(1, plan({ rolloverPeriods, components: [component({ quantity: 100 })] }), 'CUSTOMER', '2025-01-15');
  const feb20 = utc('2025-02-20T10:00:00Z'); // Thursday 10:00 GMT, PEAK
  const mar17 = utc('2025-03-17T10:00:00Z'); // Monday 10:00 GMT, PEAK
  const january = (a: ReturnType<typeof rolling>, used: number): AllowanceBucket => ({ ...newBucket(a, component({ quantity: 100 }), 0), used: s(used) });

  it('uses the oldest first: January has 60 s left, an 80 s call on 20 Feb takes 60 s from January, 20 s from February', () => {
    const a = rolling(1);
    const jan = january(a, 40);
    expect(jan.usableUntil).toBe('2025-03-14'); // the end of the following period
    const before = componentBalanceAt(a, a.plan.components[0]!, [jan], '2025-02-20')!;
    expect(before).toMatchObject({ periodStart: '2025-02-15', periodEnd: '2025-03-14', allowance: s(100), used: 0, rolledOver: s(60), remaining: s(160) });

    const result = rateRecord(80, { start: feb20, plans: [a], buckets: [jan] });
    expect(result.draws.map((d) => [d.periodStart, d.amount, d.stored])).toEqual([
      ['2025-01-15', s(60), true],
      ['2025-02-15', s(20), false],
    ]);
    expect(result.exhausted).toEqual([]); // February still has 80 s
    const after = componentBalanceAt(a, a.plan.components[0]!, applyDraws([jan], result.draws), '2025-02-20')!;
    expect(after).toMatchObject({ allowance: s(100), used: s(20), rolledOver: 0, remaining: s(80) });
  });

  it('expires after rolloverPeriods: January’s 60 s are gone on 17 March; the call draws February’s bucket, then March’s', () => {
    const a = rolling(1);
    const jan = january(a, 40);
    const feb: AllowanceBucket = { ...newBucket(a, component({ quantity: 100 }), 1), used: s(50) };
    expect(feb.usableUntil).toBe('2025-04-14');
    // usable on 17 March: February's 50 s (oldest) and March's 100 s
    const result = rateRecord(80, { start: mar17, plans: [a], buckets: [jan, feb] });
    expect(result.draws.map((d) => [d.periodStart, d.amount])).toEqual([
      ['2025-02-15', s(50)],
      ['2025-03-15', s(30)],
    ]);
    expect(componentBalanceAt(a, a.plan.components[0]!, [jan, feb], '2025-03-17')).toMatchObject({ rolledOver: s(50), remaining: s(150) });
  });

  it('without rolloverPeriods nothing carries over', () => {
    const a = rolling(null);
    const jan = january(a, 40);
    expect(jan.usableUntil).toBe('2025-02-14');
    const result = rateRecord(80, { start: feb20, plans: [a], buckets: [jan] });
    expect(result.draws.map((d) => [d.periodStart, d.amount])).toEqual([['2025-02-15', s(80)]]);
  });

  it('rolloverPeriods 2 keeps January usable through the March period (then February’s untouched 100 s)', () => {
    const a = rolling(2);
    const jan = january(a, 40);
    expect(jan.usableUntil).toBe('2025-04-14');
    const result = rateRecord(80, { start: mar17, plans: [a], buckets: [jan] });
    expect(result.draws.map((d) => [d.periodStart, d.amount])).toEqual([
      ['2025-01-15', s(60)],
      ['2025-02-15', s(20)],
    ]);
    // on 17 March: March's own 100 s, plus 60 (January) + 100 (February) rolled over
    expect(componentBalanceAt(a, a.plan.components[0]!, [jan], '2025-03-17')).toMatchObject({ allowance: s(100), rolledOver: s(160), remaining: s(260) });
  });

  it('exhausted is reported when everything usable is gone, once', () => {
    const a = rolling(1);
    const jan = january(a, 40);
    const all = rateRecord(200, { start: feb20, plans: [a], buckets: [jan] }); // 60 + 100 usable, 40 s charged
    expect(all).toMatchObject({ inclusiveQuantity: 160, chargeableQuantity: 40, charge: p(5) });
    expect(all.exhausted).toMatchObject([{ periodStart: '2025-02-15', periodEnd: '2025-03-14' }]);
    const again = rateRecord(30, { start: feb20, plans: [a], buckets: applyDraws([jan], all.draws) });
    expect(again.exhausted).toEqual([]);
  });

  it('a DAILY plan starts afresh each day, and can be exhausted again the next day', () => {
    const a = assigned(1, plan({ frequency: 'DAILY', components: [component({ quantity: 60 })] }), 'CUSTOMER', '2025-06-01');
    const mon = rateRecord(90, { plans: [a] });
    expect(mon.exhausted).toMatchObject([{ periodStart: '2025-06-02', periodEnd: '2025-06-02' }]);
    const tue = rateRecord(90, { start: utc('2025-06-03T09:00:00Z'), plans: [a], buckets: applyDraws([], mon.draws) });
    expect(tue).toMatchObject({ inclusiveQuantity: 60 });
    expect(tue.exhausted).toMatchObject([{ periodStart: '2025-06-03' }]);
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

describe('inclusiveUsageBalanceView (the balances endpoint, elevate.md §3.6)', () => {
  it('lists each effective assignment most specific first, in wire units', () => {
    const minutes = assigned(1, plan({ id: 11, components: [component({ id: 5, quantity: 600 })] }), 'CUSTOMER', '2025-05-20');
    const money = assigned(
      2,
      plan({ id: 22, components: [component({ id: 6, componentType: 'VALUE', chargingType: 'DURATION', quantity: null, value: p(1000) })] }),
      'INVENTORY',
      '2025-06-01',
    );
    const buckets = [
      { ...newBucket(minutes, minutes.plan.components[0]!, 0), used: s(90) },
      { ...newBucket(money, money.plan.components[0]!, 0), used: p(250.5) },
    ];
    expect(inclusiveUsageBalanceView({ usageProductInventoryId: 9, assignments: [minutes, money], buckets, asOf: '2025-06-10' })).toEqual({
      billRunId: null,
      periodStartDate: '2025-05-20',
      periodEndDate: '2025-06-30',
      usageProductInventoryId: 9,
      inclusiveUsageBalanceAssignments: [
        {
          assignmentId: 2,
          assignmentLevel: 'INVENTORY',
          assignmentStartDate: '2025-06-01',
          assignmentEndDate: null,
          inclusiveUsagePlanId: 22,
          components: [
            { componentId: 6, byValue: true, chargingType: 'DURATION', allowance: 1000, used: 250.5, rolledOver: 0, remaining: 749.5, startDate: '2025-06-01', endDate: '2025-06-30' },
          ],
        },
        {
          assignmentId: 1,
          assignmentLevel: 'CUSTOMER',
          assignmentStartDate: '2025-05-20',
          assignmentEndDate: null,
          inclusiveUsagePlanId: 11,
          components: [
            { componentId: 5, byValue: false, chargingType: 'DURATION', allowance: 600, used: 90, rolledOver: 0, remaining: 510, startDate: '2025-05-20', endDate: '2025-06-19' },
          ],
        },
      ],
    });
  });

  it('is null when no plan is effective; bucket units go out as pence (VALUE) or units (QUANTITY)', () => {
    expect(inclusiveUsageBalanceView({ usageProductInventoryId: 9, assignments: [assigned(1, plan(), 'CUSTOMER', '2025-07-01')], buckets: [], asOf: '2025-06-10' })).toBeNull();
    expect(bucketAmountToWire('VALUE', 123_456)).toBe(12.3456); // micros, 10,000 a penny
    expect(bucketAmountToWire('QUANTITY', 1_000_001)).toBe(1.000001); // millionths of a unit
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
