import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addMonths, daysInclusive } from '../../../src/domain/dates';
import { rentalCharges } from '../../../src/domain/rental-charges/charges';
import { RENTAL_RATE_FREQUENCIES, type RentalRateFrequency } from '../../../src/domain/rental-charges/model';
import { chargingPeriodAt, periodIndexContaining } from '../../../src/domain/rental-charges/periods';
import { gbp, rate, rpi, simplePricing } from '../../helpers/rental-fixtures';

const periods = (anchor: string, frequency: RentalRateFrequency, count: number) =>
  Array.from({ length: count }, (_, k) => {
    const p = chargingPeriodAt(anchor, frequency, k);
    return [p.start, p.end];
  });
const dateArb = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const frequencyArb = fc.constantFrom(...RENTAL_RATE_FREQUENCIES);

describe('anchored charging periods', () => {
  it.each<[RentalRateFrequency, string, string[][]]>([
    ['DAILY', '2025-01-31', [['2025-01-31', '2025-01-31'], ['2025-02-01', '2025-02-01'], ['2025-02-02', '2025-02-02']]],
    ['WEEKLY', '2025-01-31', [['2025-01-31', '2025-02-06'], ['2025-02-07', '2025-02-13'], ['2025-02-14', '2025-02-20']]],
    // 31st start: Feb clamps to the 28th, then March returns to the 31st (no drift)
    ['MONTHLY', '2025-01-31', [['2025-01-31', '2025-02-27'], ['2025-02-28', '2025-03-30'], ['2025-03-31', '2025-04-29'], ['2025-04-30', '2025-05-30']]],
    ['QUARTERLY', '2025-01-31', [['2025-01-31', '2025-04-29'], ['2025-04-30', '2025-07-30'], ['2025-07-31', '2025-10-30'], ['2025-10-31', '2026-01-30']]],
    ['SIXMONTHS', '2025-08-31', [['2025-08-31', '2026-02-27'], ['2026-02-28', '2026-08-30'], ['2026-08-31', '2027-02-27']]],
    // leap day: anniversaries fall on 28 Feb, and on 29 Feb again in the next leap year
    ['YEARLY', '2024-02-29', [['2024-02-29', '2025-02-27'], ['2025-02-28', '2026-02-27'], ['2026-02-28', '2027-02-27'], ['2027-02-28', '2028-02-28'], ['2028-02-29', '2029-02-27']]],
    ['TWENTYFOURMONTHS', '2024-02-29', [['2024-02-29', '2026-02-27'], ['2026-02-28', '2028-02-28'], ['2028-02-29', '2030-02-27']]],
  ])('%s from %s', (frequency, anchor, expected) => {
    expect(periods(anchor, frequency, expected.length)).toEqual(expected);
  });

  it.each<[string, string[][]]>([
    // 28th: never clamped
    ['2025-01-28', [['2025-01-28', '2025-02-27'], ['2025-02-28', '2025-03-27'], ['2025-03-28', '2025-04-27']]],
    // 29th through a leap February, then a common one
    ['2024-01-29', [['2024-01-29', '2024-02-28'], ['2024-02-29', '2024-03-28'], ['2024-03-29', '2024-04-28']]],
    ['2025-01-29', [['2025-01-29', '2025-02-27'], ['2025-02-28', '2025-03-28'], ['2025-03-29', '2025-04-28']]],
    // 30th through February and April
    ['2025-01-30', [['2025-01-30', '2025-02-27'], ['2025-02-28', '2025-03-29'], ['2025-03-30', '2025-04-29'], ['2025-04-30', '2025-05-29']]],
    ['2024-01-30', [['2024-01-30', '2024-02-28'], ['2024-02-29', '2024-03-29']]],
    // 31st through April, June, September, November
    ['2025-03-31', [['2025-03-31', '2025-04-29'], ['2025-04-30', '2025-05-30'], ['2025-05-31', '2025-06-29'], ['2025-06-30', '2025-07-30']]],
    ['2025-08-31', [['2025-08-31', '2025-09-29'], ['2025-09-30', '2025-10-30'], ['2025-10-31', '2025-11-29'], ['2025-11-30', '2025-12-30'], ['2025-12-31', '2026-01-30']]],
    ['2023-12-31', [['2023-12-31', '2024-01-30'], ['2024-01-31', '2024-02-28'], ['2024-02-29', '2024-03-30']]],
  ])('MONTHLY from %s', (anchor, expected) => {
    expect(periods(anchor, 'MONTHLY', expected.length)).toEqual(expected);
  });

  it('QUARTERLY from the 30th of November crosses February (leap and not) without drifting', () => {
    expect(periods('2023-11-30', 'QUARTERLY', 5)).toEqual([
      ['2023-11-30', '2024-02-28'],
      ['2024-02-29', '2024-05-29'],
      ['2024-05-30', '2024-08-29'],
      ['2024-08-30', '2024-11-29'],
      ['2024-11-30', '2025-02-27'],
    ]);
  });

  it('property: consecutive periods never overlap or leave a gap, and never drift from the anchor', () => {
    fc.assert(
      fc.property(dateArb, frequencyArb, fc.integer({ min: 0, max: 60 }), (anchor, frequency, k) => {
        const p = chargingPeriodAt(anchor, frequency, k);
        const q = chargingPeriodAt(anchor, frequency, k + 1);
        expect(p.start <= p.end).toBe(true);
        expect(q.start).toBe(addDays(p.end, 1));
        const lengthInMonths = { MONTHLY: 1, QUARTERLY: 3, SIXMONTHS: 6, YEARLY: 12, TWENTYFOURMONTHS: 24 } as Record<string, number>;
        const months = lengthInMonths[frequency];
        const expectedStart = months ? addMonths(anchor, k * months) : addDays(anchor, k * (frequency === 'WEEKLY' ? 7 : 1));
        expect(p.start).toBe(expectedStart);
      }),
      { numRuns: 500 },
    );
  });

  it('property: periodIndexContaining finds the period that holds the date', () => {
    fc.assert(
      fc.property(dateArb, frequencyArb, fc.integer({ min: 0, max: 4000 }), (anchor, frequency, offset) => {
        const date = addDays(anchor, offset);
        const k = periodIndexContaining(anchor, frequency, date);
        const p = chargingPeriodAt(anchor, frequency, k);
        expect(p.start <= date && date <= p.end).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('property: the lines of a long-running RPI tile its days exactly', () => {
    fc.assert(
      fc.property(dateArb, frequencyArb, fc.integer({ min: 0, max: 400 }), (start, frequency, length) => {
        const end = addDays(start, length);
        const lines = rentalCharges(rpi({ startDate: start, endDate: end }), simplePricing(rate({ rentalRateFrequency: frequency })), { from: start, to: end });
        expect(lines[0]!.chargedFrom).toBe(start);
        expect(lines.at(-1)!.chargedTo).toBe(end);
        for (let i = 1; i < lines.length; i++) {
          expect(lines[i]!.periodStart).toBe(addDays(lines[i - 1]!.periodEnd, 1));
          expect(lines[i]!.chargedFrom).toBe(addDays(lines[i - 1]!.chargedTo, 1));
        }
        expect(lines.reduce((n, l) => n + l.daysCharged, 0)).toBe(daysInclusive(start, end));
        // only the last period can be prorated
        for (const l of lines.slice(0, -1)) expect(l.grossAmount).toBe(gbp(10));
      }),
      { numRuns: 200 },
    );
  });

  it('finds the period of 9999-12-31, where addMonths clamps', () => {
    // from 9999-12-15 the next month would start 10000-01-15: period 0 ends 9999-12-30 and 9999-12-31 is the last period
    expect(chargingPeriodAt('9999-12-15', 'MONTHLY', 0)).toEqual({ start: '9999-12-15', end: '9999-12-30' });
    expect(periodIndexContaining('9999-12-15', 'MONTHLY', '9999-12-31')).toBe(1);
    expect(chargingPeriodAt('9999-12-15', 'MONTHLY', 1)).toEqual({ start: '9999-12-31', end: '9999-12-31' });
  });

  it('is a RangeError to ask for a period before the anchor', () => {
    expect(() => periodIndexContaining('2025-01-10', 'MONTHLY', '2025-01-09')).toThrow(RangeError);
  });
});
