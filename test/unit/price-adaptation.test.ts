import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addMonths as addMonthsOf } from '../../src/domain/dates';
import { majorToMicros } from '../../src/domain/money';
import {
  adaptPrice,
  type AdaptedContract,
  type AppliedStep,
  anniversary,
  type ExplicitStep,
  factorOf,
  factorOn,
  factorToNumber,
  indexFactor,
  indexSeriesProblem,
  indexValueAt,
  indexValueProblem,
  indexValueToStored,
  isMonth,
  multiplyFactors,
  nextScheduledDate,
  percentageFactor,
  percentageProblem,
  percentageToStored,
  planAdaptation,
  type PlannedStep,
  type PriceAdaptationDefinition,
  scheduledDates,
  UNIT_FACTOR,
} from '../../src/domain/price-adaptation';

const pct = percentageToStored;
const idx = (month: string, value: number) => ({ month, value: indexValueToStored(value) });

function contract(over: Partial<AdaptedContract> = {}): AdaptedContract {
  return { chainStartDate: '2025-01-01', startDate: '2025-01-01', endDate: '2025-12-31', isRenewal: false, ...over };
}

function percentage(p: number, schedule: 'RENEWAL' | 'ANNIVERSARY' = 'RENEWAL', id = 1): PriceAdaptationDefinition {
  return { id, type: 'PERCENTAGE', percentage: pct(p), indexValues: [], schedule };
}

function index(values: Array<[string, number]>, schedule: 'RENEWAL' | 'ANNIVERSARY' = 'ANNIVERSARY', id = 2): PriceAdaptationDefinition {
  return { id, type: 'INDEX', percentage: null, indexValues: values.map(([m, v]) => idx(m, v)), schedule };
}

/** The plan's steps as applied records of contract `id`. */
function asApplied(id: number, steps: readonly PlannedStep[]): AppliedStep[] {
  return steps.map((s) => ({
    customerContractId: id,
    effectiveDate: s.effectiveDate,
    factor: s.factor,
    sourceKey: s.sourceKey,
    priceAdaptationId: s.priceAdaptationId,
    indexMonth: s.indexMonth,
    indexValue: s.indexValue,
  }));
}

/** A gapless chain of 12-month contracts from `start`, `count` long. */
function yearlyChain(start: string, count: number): AdaptedContract[] {
  const out: AdaptedContract[] = [];
  for (let k = 0; k < count; k++) {
    const s = anniversary(start, k);
    out.push({ chainStartDate: start, startDate: s, endDate: addDays(anniversary(start, k + 1), -1), isRenewal: k > 0 });
  }
  return out;
}

describe('factors and adapted prices', () => {
  it('a percentage step is 1 + p/100; steps compound exactly: £10 → £10.30 → £10.609', () => {
    const f = percentageFactor(pct(3));
    expect(f).toEqual({ numerator: 103n, denominator: 100n });
    expect(adaptPrice(majorToMicros(10), f)).toBe(majorToMicros(10.3));
    expect(adaptPrice(majorToMicros(10), multiplyFactors(f, f))).toBe(majorToMicros(10.609));
    expect(factorToNumber(multiplyFactors(f, f))).toBe(1.0609);
  });

  it('rounds the adapted price once, to the micro, half away from zero (MATHEMATICAL)', () => {
    // £0.000005 × 1.1 = 0.0000055 → 0.000006; −0.000005 × 1.1 → −0.000006
    expect(adaptPrice(5, percentageFactor(pct(10)))).toBe(6);
    expect(adaptPrice(-5, percentageFactor(pct(10)))).toBe(-6);
    // 1/3 factor: 10 micros → 3.33… → 3
    expect(adaptPrice(10, factorOf(1, 3))).toBe(3);
    // rounding once from the exact product: £1 × 1.000001^2 is exactly 1.000002000001 → 1.000002 (not rounded step by step)
    const tiny = percentageFactor(pct(0.0001));
    expect(adaptPrice(majorToMicros(1), multiplyFactors(tiny, tiny))).toBe(1_000_002);
  });

  it('a negative percentage lowers prices; −100 % and more are refused', () => {
    expect(adaptPrice(majorToMicros(10), percentageFactor(pct(-2.5)))).toBe(majorToMicros(9.75));
    expect(percentageProblem(-100)).toMatch(/greater than -100/);
    expect(percentageProblem(1000.0001)).toMatch(/at most 1000/);
    expect(percentageProblem(3.12345)).toMatch(/4 decimal places/);
    expect(percentageProblem(3.1234)).toBeNull();
    expect(() => factorOf(0, 1)).toThrow(RangeError);
  });

  it('index values are positive with at most 6 decimals', () => {
    expect(indexValueProblem(0)).not.toBeNull();
    expect(indexValueProblem(-1)).not.toBeNull();
    expect(indexValueProblem(104.1234567)).toMatch(/6 decimal places/);
    expect(indexValueProblem(0.000001)).toBeNull();
    expect(indexValueProblem(1_000_000_000)).not.toBeNull();
  });

  it('the factor in force on a day is the product of the steps on or before it', () => {
    const steps = [
      { effectiveDate: '2026-01-01', factor: percentageFactor(pct(3)) },
      { effectiveDate: '2027-01-01', factor: percentageFactor(pct(3)) },
    ];
    expect(factorOn(steps, '2025-12-31')).toEqual(UNIT_FACTOR);
    expect(factorOn(steps, '2026-01-01')).toEqual({ numerator: 103n, denominator: 100n });
    expect(factorOn(steps, '2026-12-31')).toEqual({ numerator: 103n, denominator: 100n });
    expect(factorOn(steps, '2027-01-01')).toEqual({ numerator: 10609n, denominator: 10000n });
  });

  it('shows factors to 9 places for reading', () => {
    expect(factorToNumber(indexFactor(indexValueToStored(106), indexValueToStored(104)))).toBe(1.019230769);
    expect(factorToNumber(UNIT_FACTOR)).toBe(1);
  });
});

describe('index series', () => {
  const series = [idx('2023-01', 100), idx('2024-01', 104), idx('2025-01', 106)];

  it('the value at a date is the latest month at or before its month', () => {
    expect(indexValueAt(series, '2023-01-01')?.month).toBe('2023-01');
    expect(indexValueAt(series, '2023-12-31')?.month).toBe('2023-01');
    expect(indexValueAt(series, '2024-01-31')?.month).toBe('2024-01');
    expect(indexValueAt(series, '2030-06-15')?.month).toBe('2025-01');
    expect(indexValueAt(series, '2022-12-31')).toBeNull();
    expect(indexValueAt([], '2022-12-31')).toBeNull();
  });

  it('months are YYYY-MM and unique in a series', () => {
    expect(isMonth('2025-12')).toBe(true);
    expect(isMonth('2025-13')).toBe(false);
    expect(isMonth('2025-1')).toBe(false);
    expect(indexSeriesProblem([{ month: '2025-01' }, { month: '2025-02' }, { month: '2025-01' }])).toEqual({ index: 2, message: 'month 2025-01 is already given (item 0)' });
    expect(indexSeriesProblem([{ month: '2025-02' }, { month: '2025-01' }])).toBeNull();
  });
});

describe('when steps fall due', () => {
  it('RENEWAL: on the first day of a renewal only', () => {
    expect(scheduledDates(contract(), 'RENEWAL', '2030-01-01')).toEqual([]);
    const renewal = contract({ startDate: '2026-01-01', endDate: '2026-12-31', isRenewal: true });
    expect(scheduledDates(renewal, 'RENEWAL', '2025-12-31')).toEqual([]);
    expect(scheduledDates(renewal, 'RENEWAL', '2026-01-01')).toEqual(['2026-01-01']);
    expect(nextScheduledDate(renewal, 'RENEWAL', '2025-12-31')).toBe('2026-01-01');
    expect(nextScheduledDate(renewal, 'RENEWAL', '2026-01-01')).toBeNull();
  });

  it('ANNIVERSARY: each yearly anniversary of the chain start within the contract’s life; 29 February clamps without drifting', () => {
    const open = contract({ chainStartDate: '2024-02-29', startDate: '2024-02-29', endDate: null });
    expect(scheduledDates(open, 'ANNIVERSARY', '2028-03-01')).toEqual(['2025-02-28', '2026-02-28', '2027-02-28', '2028-02-29']);
    expect(scheduledDates(open, 'ANNIVERSARY', '2025-02-27')).toEqual([]);
    expect(nextScheduledDate(open, 'ANNIVERSARY', '2025-02-27')).toBe('2025-02-28');
    expect(nextScheduledDate(open, 'ANNIVERSARY', '2025-02-28')).toBe('2026-02-28');
    // a 24-month contract has one anniversary inside its term; the one on its renewal's start belongs to the renewal
    const twoYears = contract({ endDate: '2026-12-31' });
    expect(scheduledDates(twoYears, 'ANNIVERSARY', '2030-01-01')).toEqual(['2026-01-01']);
    expect(nextScheduledDate(twoYears, 'ANNIVERSARY', '2026-01-01')).toBeNull();
    // a renewal's anniversaries count from the chain's start, not its own
    const renewal = contract({ chainStartDate: '2025-03-15', startDate: '2026-03-15', endDate: '2028-03-14', isRenewal: true });
    expect(scheduledDates(renewal, 'ANNIVERSARY', '2030-01-01')).toEqual(['2026-03-15', '2027-03-15']);
  });

  it('a contract ended early has no anniversaries after its end', () => {
    expect(scheduledDates(contract({ endDate: '2025-06-30' }), 'ANNIVERSARY', '2030-01-01')).toEqual([]);
  });

  it('property: over a gapless chain every anniversary falls in exactly one contract', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }).map((n) => addDays('2020-01-01', n)), fc.integer({ min: 1, max: 6 }), fc.constantFrom(1, 5, 12, 24), (start, count, term) => {
        const chain: AdaptedContract[] = [];
        for (let k = 0; k < count; k++) {
          chain.push({ chainStartDate: start, startDate: addMonthsOf(start, k * term), endDate: addDays(addMonthsOf(start, (k + 1) * term), -1), isRenewal: k > 0 });
        }
        const through = chain[chain.length - 1]!.endDate!;
        const all = chain.flatMap((c) => scheduledDates(c, 'ANNIVERSARY', through));
        const expected: string[] = [];
        for (let k = 1; anniversary(start, k) <= through; k++) expected.push(anniversary(start, k));
        expect(all).toEqual(expected);
      }),
    );
  });
});

describe('planning the steps due', () => {
  it('a 3 % RENEWAL adaptation: one step at each renewal, compounding', () => {
    const [first, second, third] = yearlyChain('2025-01-01', 3);
    const adaptation = percentage(3);
    expect(planAdaptation({ customerContractId: 1, contract: first!, adaptation, explicitSteps: [], applied: [], through: '2025-12-31' }).steps).toEqual([]);
    const p2 = planAdaptation({ customerContractId: 2, contract: second!, adaptation, explicitSteps: [], applied: [], through: '2026-01-15' });
    expect(p2.steps).toHaveLength(1);
    expect(p2.steps[0]).toMatchObject({ effectiveDate: '2026-01-01', source: 'RENEWAL', sourceKey: 'SCHEDULE', priceAdaptationId: 1, percentage: 30_000 });
    expect(p2.steps[0]!.cumulativeFactor).toEqual({ numerator: 103n, denominator: 100n });
    expect(p2.nextCheckDate).toBeNull();
    const p3 = planAdaptation({ customerContractId: 3, contract: third!, adaptation, explicitSteps: [], applied: asApplied(2, p2.steps), through: '2027-01-01' });
    expect(p3.steps.map((s) => [s.effectiveDate, factorToNumber(s.cumulativeFactor)])).toEqual([['2027-01-01', 1.0609]]);
  });

  it('applies nothing twice: a step already applied to the contract is left out', () => {
    const renewal = yearlyChain('2025-01-01', 2)[1]!;
    const first = planAdaptation({ customerContractId: 2, contract: renewal, adaptation: percentage(3), explicitSteps: [], applied: [], through: '2026-06-01' });
    const again = planAdaptation({ customerContractId: 2, contract: renewal, adaptation: percentage(3), explicitSteps: [], applied: asApplied(2, first.steps), through: '2026-06-01' });
    expect(again.steps).toEqual([]);
  });

  it('the worked example of Nitrobox: index 100 (2023), 104 (2024), 106 (2025); €100 follows it from the contract’s start', () => {
    const series = index([
      ['2023-01', 100],
      ['2024-01', 104],
      ['2025-01', 106],
    ]);
    const price = majorToMicros(100);
    const prices = (chainStart: string) => {
      const open = contract({ chainStartDate: chainStart, startDate: chainStart, endDate: null });
      const plan = planAdaptation({ customerContractId: 1, contract: open, adaptation: series, explicitSteps: [], applied: [], through: '2025-12-31' });
      return plan.steps.map((s) => [s.effectiveDate, adaptPrice(price, s.cumulativeFactor) / 1e6]);
    };
    // started 2023-01-01: €100, then €104 and €106 on the anniversaries
    expect(prices('2023-01-01')).toEqual([
      ['2024-01-01', 104],
      ['2025-01-01', 106],
    ]);
    // started 2024-03-01 (baseline 104): €100, then 106/104 × €100 = €101.923077 (to the micro)
    expect(prices('2024-03-01')).toEqual([['2025-03-01', 101.923077]]);
  });

  it('each index step is measured against the value the previous one used, so the steps multiply to value ÷ baseline', () => {
    const start = '2023-06-01';
    const [a, b, c] = yearlyChain(start, 3);
    let adaptation = index([['2023-06', 100], ['2024-06', 110]], 'RENEWAL');
    const pb = planAdaptation({ customerContractId: 2, contract: b!, adaptation, explicitSteps: [], applied: [], through: '2024-06-01' });
    expect(pb.steps[0]).toMatchObject({ indexMonth: '2024-06', indexValue: 110_000_000, previousIndexMonth: '2023-06', previousIndexValue: 100_000_000 });
    // the series is corrected afterwards (2024-06 → 111) and continued: the next step starts from the 110 the last one used
    adaptation = index([['2023-06', 100], ['2024-06', 111], ['2025-06', 121]], 'RENEWAL');
    const pc = planAdaptation({ customerContractId: 3, contract: c!, adaptation, explicitSteps: [], applied: asApplied(2, pb.steps), through: '2025-06-01' });
    expect(pc.steps[0]).toMatchObject({ indexValue: 121_000_000, previousIndexValue: 110_000_000 });
    expect(pc.steps[0]!.factor).toEqual({ numerator: 11n, denominator: 10n });
    expect(pc.steps[0]!.cumulativeFactor).toEqual({ numerator: 121n, denominator: 100n });
    expect(a).toBeDefined();
  });

  it('an index with no value at or before the chain start leaves the step PENDING and looks again the next day', () => {
    const open = contract({ chainStartDate: '2025-01-01', startDate: '2025-01-01', endDate: null });
    const late = index([['2025-06', 100], ['2026-01', 103]]);
    const plan = planAdaptation({ customerContractId: 1, contract: open, adaptation: late, explicitSteps: [], applied: [], through: '2026-01-05' });
    expect(plan.steps).toEqual([]);
    expect(plan.pending).toEqual([{ effectiveDate: '2026-01-01', sourceKey: 'SCHEDULE', reason: 'the index has no value for 2025-01 or any earlier month' }]);
    expect(plan.nextCheckDate).toBe('2026-01-06');
    // once a value for the start month is entered, the step is applied with its own date
    const fixed = index([['2025-01', 99], ['2025-06', 100], ['2026-01', 103]]);
    const later = planAdaptation({ customerContractId: 1, contract: open, adaptation: fixed, explicitSteps: [], applied: [], through: '2026-01-06' });
    expect(later.steps.map((s) => [s.effectiveDate, s.factor])).toEqual([['2026-01-01', { numerator: 103n, denominator: 99n }]]);
    expect(later.nextCheckDate).toBe('2027-01-01');
  });

  it('a month without a value yet uses the latest earlier month', () => {
    const open = contract({ chainStartDate: '2025-01-01', startDate: '2025-01-01', endDate: null });
    const series = index([['2025-01', 100], ['2025-11', 102]]);
    const plan = planAdaptation({ customerContractId: 1, contract: open, adaptation: series, explicitSteps: [], applied: [], through: '2026-01-01' });
    expect(plan.steps[0]).toMatchObject({ effectiveDate: '2026-01-01', indexMonth: '2025-11', indexValue: 102_000_000 });
  });

  it('explicit dated steps (simPRO inflation) apply on their date, compounding with the schedule, and set when to look again', () => {
    const open = contract({ chainStartDate: '2025-01-01', startDate: '2025-01-01', endDate: null });
    const steps: ExplicitStep[] = [
      { id: 8, date: '2025-07-01', percentage: pct(2) },
      { id: 7, date: '2026-01-01', percentage: pct(1) },
      { id: 9, date: '2026-09-01', percentage: pct(5) },
    ];
    const plan = planAdaptation({ customerContractId: 1, contract: open, adaptation: percentage(10, 'ANNIVERSARY'), explicitSteps: steps, applied: [], through: '2026-03-01' });
    expect(plan.steps.map((s) => [s.effectiveDate, s.sourceKey, s.source, s.contractPriceStepId, factorToNumber(s.cumulativeFactor)])).toEqual([
      ['2025-07-01', 'STEP:8', 'STEP', 8, 1.02],
      ['2026-01-01', 'SCHEDULE', 'ANNIVERSARY', null, 1.13322], // 1.02 × 1.1 × 1.01 in force from 2026-01-01
      ['2026-01-01', 'STEP:7', 'STEP', 7, 1.13322],
    ]);
    expect(plan.nextCheckDate).toBe('2026-09-01');
    // without an adaptation, the steps alone
    const alone = planAdaptation({ customerContractId: 1, contract: open, adaptation: null, explicitSteps: steps, applied: [], through: '2030-01-01' });
    expect(alone.steps.map((s) => s.sourceKey)).toEqual(['STEP:8', 'STEP:7', 'STEP:9']);
    expect(alone.nextCheckDate).toBeNull();
  });

  it('property: planning run by run applies the same steps as one late run (catch-up), and never one twice', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2000 }).map((n) => addDays('2020-01-01', n)),
        fc.constantFrom('PERCENTAGE' as const, 'INDEX' as const),
        fc.array(fc.integer({ min: 1, max: 900 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.integer({ min: 50_000_000, max: 200_000_000 }), { minLength: 12, maxLength: 12 }),
        (start, type, gaps, values) => {
          const open = contract({ chainStartDate: start, startDate: start, endDate: null });
          const months = values.map((v, i) => ({ month: addMonthsOf(start, 12 * i).slice(0, 7), value: v }));
          const adaptation: PriceAdaptationDefinition = { id: 1, type, percentage: type === 'PERCENTAGE' ? pct(2.5) : null, indexValues: type === 'INDEX' ? months : [], schedule: 'ANNIVERSARY' };
          let applied: AppliedStep[] = [];
          let day = start;
          for (const gap of gaps) {
            day = addDays(day, gap);
            const plan = planAdaptation({ customerContractId: 1, contract: open, adaptation, explicitSteps: [], applied, through: day });
            for (const s of plan.steps) expect(applied.some((a) => a.effectiveDate === s.effectiveDate && a.sourceKey === s.sourceKey)).toBe(false);
            applied = [...applied, ...asApplied(1, plan.steps)];
          }
          const once = planAdaptation({ customerContractId: 1, contract: open, adaptation, explicitSteps: [], applied: [], through: day });
          expect(applied.map((a) => [a.effectiveDate, a.factor])).toEqual(once.steps.map((s) => [s.effectiveDate, s.factor]));
          // telescoping: the product of the index steps is the latest value over the baseline
          if (type === 'INDEX' && once.steps.length) {
            const last = once.steps[once.steps.length - 1]!;
            expect(factorOn(applied, day)).toEqual(factorOf(last.indexValue!, months[0]!.value));
          }
        },
      ),
    );
  });

  it('property: an adapted price is the exact product rounded once, within half a micro', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
        fc.array(fc.integer({ min: -999_999, max: 10_000_000 }), { maxLength: 4 }),
        (price, percents) => {
          const f = percents.reduce((acc, p) => multiplyFactors(acc, percentageFactor(p)), UNIT_FACTOR);
          const adapted = adaptPrice(price, f);
          // |adapted × d − price × n| ≤ d / 2
          const error = BigInt(adapted) * f.denominator - BigInt(price) * f.numerator;
          expect((error < 0n ? -error : error) * 2n <= f.denominator).toBe(true);
          if (percents.length === 0) expect(adapted).toBe(price);
        },
      ),
    );
  });
});
