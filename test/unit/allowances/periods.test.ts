import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newBucket } from '../../../src/domain/allowances/buckets';
import { planPeriod, planPeriodAt } from '../../../src/domain/allowances/periods';
import { addDays } from '../../../src/domain/dates';
import { assigned, component, plan, rateRecord, utc } from '../../helpers/rating-fixtures';

/** seconds → quantity units as stored in QUANTITY buckets */
const s = (seconds: number) => seconds * 1_000_000;

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
