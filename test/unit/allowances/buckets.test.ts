import { describe, expect, it } from 'vitest';
import { componentBalanceAt } from '../../../src/domain/allowances/balances';
import { newBucket } from '../../../src/domain/allowances/buckets';
import { applyDraws } from '../../../src/domain/allowances/drawdown';
import type { AllowanceBucket } from '../../../src/domain/allowances/model';
import { assigned, component, p, plan, rateRecord, utc } from '../../helpers/rating-fixtures';

/** seconds → quantity units as stored in QUANTITY buckets */
const s = (seconds: number) => seconds * 1_000_000;

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
