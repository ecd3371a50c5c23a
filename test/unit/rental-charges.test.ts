import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addMonths, daysInclusive } from '../../src/domain/dates';
import {
  chargingPeriodAt,
  periodIndexContaining,
  RENTAL_RATE_FREQUENCIES,
  type RentalChargeLine,
  rentalCharges,
  type RentalRateFrequency,
  remainingRental,
} from '../../src/domain/rental-charges';
import {
  card,
  cardAssignment,
  gbp,
  OTHER_CATEGORY,
  OTHER_PRODUCT,
  plan,
  planAssignment,
  pricing,
  PRODUCT,
  rate,
  rpi,
  rule,
  simplePricing,
} from '../helpers/rental-fixtures';

const periodsOf = (lines: RentalChargeLine[]) => lines.map((l) => [l.periodStart, l.periodEnd]);
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

describe('rental charges', () => {
  it('£10/month, quantity 2, RPI ends 2025-03-15: March covers 15 of 31 days', () => {
    const lines = rentalCharges(rpi({ quantity: 2, startDate: '2025-01-01', endDate: '2025-03-15' }), simplePricing(rate({ price: gbp(10) })), {
      from: '2025-01-01',
      to: '2025-12-31',
    });
    expect(periodsOf(lines)).toEqual([
      ['2025-01-01', '2025-01-31'],
      ['2025-02-01', '2025-02-28'],
      ['2025-03-01', '2025-03-31'],
    ]);
    expect(lines.map((l) => l.grossAmount)).toEqual([gbp(20), gbp(20), 9_677_419]);
    // 2 × £10 × 15/31 = £9.677419354… → rounded MATHEMATICAL to whole micros
    expect(lines[2]).toMatchObject({ chargedFrom: '2025-03-01', chargedTo: '2025-03-15', daysCharged: 15, daysInPeriod: 31, quantity: 2, unitPrice: gbp(10) });
    expect(lines[2]!.netAmount).toBe(9_677_419);
  });


  it('an RPI from the 31st: February clamps, then the period returns to the 30th/31st, prorated at the end', () => {
    const lines = rentalCharges(rpi({ startDate: '2025-01-31', endDate: '2025-03-15' }), simplePricing(rate({ price: gbp(10) })), {
      from: '2025-01-01',
      to: '2025-12-31',
    });
    // 01-31..02-27 whole; 02-28..03-30 (31 days) charged 02-28..03-15 = 16 days → £10 × 16/31 = 5.16129032… → 5.161290
    expect(lines.map((l) => [l.periodStart, l.periodEnd, l.daysCharged, l.daysInPeriod, l.grossAmount])).toEqual([
      ['2025-01-31', '2025-02-27', 28, 28, gbp(10)],
      ['2025-02-28', '2025-03-30', 16, 31, 5_161_290],
    ]);
  });

  it('rounds each prorated line to whole micros, half away from zero', () => {
    const weekly = (price: number) =>
      rentalCharges(rpi({ startDate: '2025-01-01', endDate: '2025-01-03' }), simplePricing(rate({ price, rentalRateFrequency: 'WEEKLY' })), {
        from: '2025-01-01',
        to: '2025-01-07',
      })[0]!.grossAmount;
    expect(weekly(10)).toBe(4); // 10 µ × 3/7 = 4.29 µ → 4
    expect(weekly(11)).toBe(5); // 11 µ × 3/7 = 4.71 µ → 5
    // an exact half: 15 days of April's 30-day period at 1 µ = 0.5 µ → 1; a credit of −1 µ → −1
    const april = (price: number) =>
      rentalCharges(rpi({ startDate: '2025-04-01', endDate: '2025-04-15' }), simplePricing(rate({ price })), { from: '2025-04-01', to: '2025-04-30' })[0]!.grossAmount;
    expect(april(1)).toBe(1);
    expect(april(-1)).toBe(-1);
  });

  it('prorates every frequency by the days the RPI covers in its first period', () => {
    const line = (frequency: RentalRateFrequency, endDate: string) =>
      rentalCharges(rpi({ startDate: '2025-01-01', endDate }), simplePricing(rate({ price: gbp(70), rentalRateFrequency: frequency })), {
        from: '2025-01-01',
        to: '2025-01-01',
      })[0]!;
    expect(line('DAILY', '2025-01-01')).toMatchObject({ periodEnd: '2025-01-01', daysCharged: 1, daysInPeriod: 1, grossAmount: gbp(70) });
    // 70 × 3/7 = 30
    expect(line('WEEKLY', '2025-01-03')).toMatchObject({ periodEnd: '2025-01-07', daysCharged: 3, daysInPeriod: 7, grossAmount: gbp(30) });
    // 70 × 10/31 = 22.58064516… → 22.580645
    expect(line('MONTHLY', '2025-01-10')).toMatchObject({ periodEnd: '2025-01-31', daysCharged: 10, daysInPeriod: 31, grossAmount: 22_580_645 });
    // Jan–Mar 2025 = 31 + 28 + 31 = 90 days; to 02-14 = 45 days → 35
    expect(line('QUARTERLY', '2025-02-14')).toMatchObject({ periodEnd: '2025-03-31', daysCharged: 45, daysInPeriod: 90, grossAmount: gbp(35) });
    // Jan–Jun 2025 = 181 days; 90 of them → 70 × 90/181 = 34.80662983… → 34.806630
    expect(line('SIXMONTHS', '2025-03-31')).toMatchObject({ periodEnd: '2025-06-30', daysCharged: 90, daysInPeriod: 181, grossAmount: 34_806_630 });
    // 2025 = 365 days; 01-01..07-02 = 183 days → 70 × 183/365 = 35.09589041… → 35.095890
    expect(line('YEARLY', '2025-07-02')).toMatchObject({ periodEnd: '2025-12-31', daysCharged: 183, daysInPeriod: 365, grossAmount: 35_095_890 });
    // 2025–2026 = 730 days; to 2026-03-31 = 365 + 90 = 455 → 70 × 455/730 = 43.63013698… → 43.630137
    expect(line('TWENTYFOURMONTHS', '2026-03-31')).toMatchObject({ periodEnd: '2026-12-31', daysCharged: 455, daysInPeriod: 730, grossAmount: 43_630_137 });
  });

  it('returns the periods whose charged days overlap the range; the range never cuts a period', () => {
    const r = rpi({ startDate: '2025-01-15', endDate: '2025-04-20' });
    const p = simplePricing(rate());
    const march = rentalCharges(r, p, { from: '2025-03-01', to: '2025-03-20' });
    expect(periodsOf(march)).toEqual([
      ['2025-02-15', '2025-03-14'],
      ['2025-03-15', '2025-04-14'],
    ]);
    expect(march.map((l) => l.grossAmount)).toEqual([gbp(10), gbp(10)]);
    // the last period 04-15..05-14 (30 days) is charged 04-15..04-20 = 6 days → £10 × 6/30 = £2
    const tail = rentalCharges(r, p, { from: '2025-04-18', to: '2025-06-30' });
    expect(tail).toEqual([expect.objectContaining({ periodStart: '2025-04-15', periodEnd: '2025-05-14', chargedTo: '2025-04-20', grossAmount: gbp(2) })]);
    // after the RPI end nothing is charged, although its last period still runs
    expect(rentalCharges(r, p, { from: '2025-04-21', to: '2025-05-14' })).toEqual([]);
    expect(rentalCharges(r, p, { from: '2024-01-01', to: '2025-01-14' })).toEqual([]);
    expect(rentalCharges(r, p, { from: '2025-03-01', to: '2025-02-01' })).toEqual([]);
    expect(rentalCharges(rpi({ startDate: '2025-03-01', endDate: '2025-02-01' }), p, { from: '2025-01-01', to: '2025-12-31' })).toEqual([]);
  });

  it('charges an RPI that starts and ends on one day for that day of its period', () => {
    const lines = rentalCharges(rpi({ startDate: '2025-02-10', endDate: '2025-02-10' }), simplePricing(rate({ price: gbp(28) })), {
      from: '2025-02-01',
      to: '2025-02-28',
    });
    // period 02-10..03-09 has 28 days: £28 × 1/28 = £1
    expect(lines).toEqual([expect.objectContaining({ periodStart: '2025-02-10', periodEnd: '2025-03-09', daysCharged: 1, daysInPeriod: 28, grossAmount: gbp(1) })]);
  });

  it('fills the line from the card, rate and RPI', () => {
    const r = rate({ price: gbp(12.5) });
    const c = card([r]);
    const a = cardAssignment(c, 'SITE');
    const [line] = rentalCharges(rpi({ id: 7, quantity: 3, startDate: '2025-01-01' }), pricing({ rateCards: [c], rateCardAssignments: [a] }), {
      from: '2025-01-01',
      to: '2025-01-31',
    });
    expect(line).toEqual({
      rentalProductInventoryId: 7,
      rentalProductId: PRODUCT,
      rentalRatePriceType: 'RENTAL',
      rentalRateFrequency: 'MONTHLY',
      periodStart: '2025-01-01',
      periodEnd: '2025-01-31',
      chargedFrom: '2025-01-01',
      chargedTo: '2025-01-31',
      daysCharged: 31,
      daysInPeriod: 31,
      quantity: 3,
      unitPrice: 12_500_000,
      grossAmount: 37_500_000,
      rentalRateCardAssignmentId: a.id,
      rentalRateCardId: c.id,
      rentalRateId: r.id,
      rentalDiscountPlanAssignmentId: null,
      rentalDiscountPlanId: null,
      discountPercentage: null,
      discountAmount: 0,
      netAmount: 37_500_000,
    });
  });

  it('skips to the range without losing the anchor (a daily RPI running since 2000)', () => {
    const lines = rentalCharges(rpi({ startDate: '2000-01-01' }), simplePricing(rate({ price: gbp(1), rentalRateFrequency: 'DAILY' })), {
      from: '2025-06-01',
      to: '2025-06-03',
    });
    expect(periodsOf(lines)).toEqual([
      ['2025-06-01', '2025-06-01'],
      ['2025-06-02', '2025-06-02'],
      ['2025-06-03', '2025-06-03'],
    ]);
    const monthly = rentalCharges(rpi({ startDate: '2010-01-31' }), simplePricing(rate()), { from: '2025-02-15', to: '2025-02-15' });
    // addMonths(2010-01-31, 181) = 2025-02-28, so 2025-02-15 lies in 2025-01-31..2025-02-27
    expect(periodsOf(monthly)).toEqual([['2025-01-31', '2025-02-27']]);
  });
});

describe('ONEOFF rates', () => {
  it('are charged once, on the RPI start day, beside the recurring rental', () => {
    const oneOff = rate({ price: gbp(50), rentalRatePriceType: 'ONEOFF', rentalRateFrequency: null });
    const monthly = rate({ price: gbp(10) });
    const p = simplePricing(oneOff, monthly);
    const r = rpi({ quantity: 2, startDate: '2025-03-10' });
    const lines = rentalCharges(r, p, { from: '2025-03-01', to: '2025-04-30' });
    expect(lines.map((l) => [l.rentalRatePriceType, l.periodStart, l.periodEnd, l.grossAmount, l.rentalRateId])).toEqual([
      ['ONEOFF', '2025-03-10', '2025-03-10', gbp(100), oneOff.id], // 2 × £50, never prorated
      ['RENTAL', '2025-03-10', '2025-04-09', gbp(20), monthly.id],
      ['RENTAL', '2025-04-10', '2025-05-09', gbp(20), monthly.id],
    ]);
    // a range that does not hold the RPI start does not repeat it
    expect(rentalCharges(r, p, { from: '2025-04-01', to: '2025-04-30' }).map((l) => l.rentalRatePriceType)).toEqual(['RENTAL', 'RENTAL']);
  });

  it('alone give a single line however long the RPI runs', () => {
    const oneOff = rate({ price: gbp(99), rentalRatePriceType: 'ONEOFF', rentalRateFrequency: null });
    const lines = rentalCharges(rpi({ startDate: '2025-01-01' }), simplePricing(oneOff), { from: '2020-01-01', to: '2030-12-31' });
    expect(lines).toEqual([expect.objectContaining({ rentalRatePriceType: 'ONEOFF', periodStart: '2025-01-01', daysInPeriod: 1, grossAmount: gbp(99) })]);
  });

  it('take the ONEOFF rate in force on the RPI start only', () => {
    const later = rate({ price: gbp(99), rentalRatePriceType: 'ONEOFF', rentalRateFrequency: null, startDate: '2025-01-02' });
    expect(rentalCharges(rpi({ startDate: '2025-01-01' }), simplePricing(later), { from: '2025-01-01', to: '2025-12-31' })).toEqual([]);
  });
});

describe('price resolution', () => {
  it('a rate changing mid-period applies from the next period', () => {
    const old = rate({ price: gbp(10), endDate: '2025-02-20' });
    const raised = rate({ price: gbp(12), startDate: '2025-02-21' });
    const lines = rentalCharges(rpi({ startDate: '2025-01-15' }), simplePricing(old, raised), { from: '2025-01-15', to: '2025-04-14' });
    expect(lines.map((l) => [l.periodStart, l.unitPrice, l.rentalRateId])).toEqual([
      ['2025-01-15', gbp(10), old.id],
      ['2025-02-15', gbp(10), old.id], // 02-15..03-14 starts before the change on 02-21
      ['2025-03-15', gbp(12), raised.id],
    ]);
    // with the old rate left open-ended the latest start still wins
    const overlapping = simplePricing(rate({ price: gbp(10) }), rate({ price: gbp(12), startDate: '2025-02-21' }));
    expect(rentalCharges(rpi({ startDate: '2025-01-15' }), overlapping, { from: '2025-01-15', to: '2025-04-14' }).map((l) => l.unitPrice)).toEqual([
      gbp(10),
      gbp(10),
      gbp(12),
    ]);
  });

  it('stops charging when the rate ends with no successor', () => {
    const lines = rentalCharges(rpi({ startDate: '2025-01-15' }), simplePricing(rate({ endDate: '2025-02-20' })), { from: '2025-01-01', to: '2025-12-31' });
    expect(periodsOf(lines)).toEqual([
      ['2025-01-15', '2025-02-14'],
      ['2025-02-15', '2025-03-14'],
    ]);
  });

  it('charges from the first priced day when the price begins mid-period, keeping the anchor', () => {
    const c = card([rate({ price: gbp(10) })]);
    const p = pricing({ rateCards: [c], rateCardAssignments: [cardAssignment(c, 'CUSTOMER', '2025-01-11')] });
    const lines = rentalCharges(rpi({ startDate: '2025-01-01' }), p, { from: '2025-01-01', to: '2025-02-28' });
    // January is charged 01-11..01-31 = 21 of 31 days: £10 × 21/31 = £6.774193548… → 6.774194
    expect(lines.map((l) => [l.periodStart, l.chargedFrom, l.chargedTo, l.grossAmount])).toEqual([
      ['2025-01-01', '2025-01-11', '2025-01-31', 6_774_194],
      ['2025-02-01', '2025-02-01', '2025-02-28', gbp(10)],
    ]);
  });

  it('anchors a new schedule where the frequency changes', () => {
    const monthly = rate({ price: gbp(10), endDate: '2025-03-31' });
    const quarterly = rate({ price: gbp(25), rentalRateFrequency: 'QUARTERLY', startDate: '2025-04-01' });
    const lines = rentalCharges(rpi({ startDate: '2025-01-15' }), simplePricing(monthly, quarterly), { from: '2025-01-01', to: '2025-12-31' });
    // the monthly period 03-15..04-14 keeps its price; the first period starting after the change is quarterly
    expect(lines.map((l) => [l.periodStart, l.periodEnd, l.unitPrice])).toEqual([
      ['2025-01-15', '2025-02-14', gbp(10)],
      ['2025-02-15', '2025-03-14', gbp(10)],
      ['2025-03-15', '2025-04-14', gbp(10)],
      ['2025-04-15', '2025-07-14', gbp(25)],
      ['2025-07-15', '2025-10-14', gbp(25)],
      ['2025-10-15', '2026-01-14', gbp(25)],
    ]);
  });

  it('falls back to the template only for products the SELL card has no rate for', () => {
    const templateRate = rate({ price: gbp(7) });
    const template = card([templateRate, rate({ rentalProductId: OTHER_PRODUCT, price: gbp(8) })], { rentalRateCardType: 'TEMPLATE' });
    const sellRate = rate({ rentalProductId: OTHER_PRODUCT, price: gbp(9) });
    const sell = card([sellRate], { basedOnTemplateId: template.id });
    const assignment = cardAssignment(sell);
    const p = pricing({ rateCards: [sell, template], rateCardAssignments: [assignment] });
    const range = { from: '2025-01-01', to: '2025-01-31' };

    const [fromTemplate] = rentalCharges(rpi(), p, range);
    expect(fromTemplate).toMatchObject({ unitPrice: gbp(7), rentalRateCardId: template.id, rentalRateId: templateRate.id, rentalRateCardAssignmentId: assignment.id });
    const [fromSell] = rentalCharges(rpi({ rentalProductId: OTHER_PRODUCT }), p, range);
    expect(fromSell).toMatchObject({ unitPrice: gbp(9), rentalRateCardId: sell.id, rentalRateId: sellRate.id });

    // once the SELL card prices the product itself, the template is no longer used
    const own = rate({ price: gbp(6), startDate: '2025-03-01' });
    const sell2 = card([own], { basedOnTemplateId: template.id });
    const p2 = pricing({ rateCards: [sell2, template], rateCardAssignments: [cardAssignment(sell2)] });
    const lines = rentalCharges(rpi(), p2, { from: '2025-01-01', to: '2025-04-30' });
    expect(lines.map((l) => [l.periodStart, l.unitPrice, l.rentalRateCardId])).toEqual([
      ['2025-01-01', gbp(7), template.id],
      ['2025-02-01', gbp(7), template.id],
      ['2025-03-01', gbp(6), sell2.id],
      ['2025-04-01', gbp(6), sell2.id],
    ]);
  });

  it('does not fall back when the card prices the product with a ONEOFF rate only, nor for a card without a template', () => {
    const template = card([rate({ price: gbp(7) })], { rentalRateCardType: 'TEMPLATE' });
    const sell = card([rate({ price: gbp(30), rentalRatePriceType: 'ONEOFF', rentalRateFrequency: null })], { basedOnTemplateId: template.id });
    const lines = rentalCharges(rpi(), pricing({ rateCards: [sell, template], rateCardAssignments: [cardAssignment(sell)] }), { from: '2025-01-01', to: '2025-03-31' });
    expect(lines.map((l) => l.rentalRatePriceType)).toEqual(['ONEOFF']);
    const bare = card([rate({ rentalProductId: OTHER_PRODUCT })]);
    expect(rentalCharges(rpi(), pricing({ rateCards: [bare, template], rateCardAssignments: [cardAssignment(bare)] }), { from: '2025-01-01', to: '2025-03-31' })).toEqual([]);
  });

  it('applies precedence INVENTORY > SITE > CUSTOMER, day by day at each period start', () => {
    const customer = card([rate({ price: gbp(10) })]);
    const site = card([rate({ price: gbp(9) })]);
    const inventory = card([rate({ price: gbp(8) })]);
    const p = pricing({
      rateCards: [customer, site, inventory],
      rateCardAssignments: [
        cardAssignment(customer, 'CUSTOMER'),
        cardAssignment(inventory, 'INVENTORY', '2000-01-01', '2025-02-28'),
        cardAssignment(site, 'SITE', '2000-01-01', '2025-03-31'),
      ],
    });
    const lines = rentalCharges(rpi(), p, { from: '2025-01-01', to: '2025-04-30' });
    expect(lines.map((l) => [l.periodStart, l.unitPrice, l.rentalRateCardId])).toEqual([
      ['2025-01-01', gbp(8), inventory.id],
      ['2025-02-01', gbp(8), inventory.id],
      ['2025-03-01', gbp(9), site.id],
      ['2025-04-01', gbp(10), customer.id],
    ]);
    // an assignment starting mid-period takes over from the next period
    const p2 = pricing({
      rateCards: [customer, inventory],
      rateCardAssignments: [cardAssignment(customer, 'CUSTOMER'), cardAssignment(inventory, 'INVENTORY', '2025-02-15')],
    });
    expect(rentalCharges(rpi(), p2, { from: '2025-01-01', to: '2025-03-31' }).map((l) => l.unitPrice)).toEqual([gbp(10), gbp(10), gbp(8)]);
  });

  it('ignores a card of another category (a less specific card of the right one wins) and BUY cards', () => {
    const right = card([rate({ price: gbp(10) })]);
    const wrongCategory = card([rate({ price: gbp(1) })], { rentalProductCategoryId: OTHER_CATEGORY });
    const buy = card([rate({ price: gbp(2) })], { rentalRateCardType: 'BUY' });
    const p = pricing({
      rateCards: [right, wrongCategory, buy],
      rateCardAssignments: [cardAssignment(right, 'CUSTOMER'), cardAssignment(wrongCategory, 'INVENTORY'), cardAssignment(buy, 'SITE')],
    });
    const [line] = rentalCharges(rpi(), p, { from: '2025-01-01', to: '2025-01-31' });
    expect(line).toMatchObject({ unitPrice: gbp(10), rentalRateCardId: right.id });
    // with only the mismatched card there is no price and so no line
    const onlyWrong = pricing({ rateCards: [wrongCategory], rateCardAssignments: [cardAssignment(wrongCategory, 'INVENTORY')] });
    expect(rentalCharges(rpi(), onlyWrong, { from: '2025-01-01', to: '2025-12-31' })).toEqual([]);
  });

  it('gives no line without any assignment', () => {
    const c = card([rate()]);
    expect(rentalCharges(rpi(), pricing({ rateCards: [c] }), { from: '2025-01-01', to: '2025-12-31' })).toEqual([]);
  });

  it('property: a narrow range returns exactly the lines of the full walk that overlap it', () => {
    const dayIn2025 = fc.integer({ min: 0, max: 1500 }).map((n) => addDays('2024-01-01', n));
    fc.assert(
      fc.property(
        fc.array(fc.record({ start: dayIn2025, length: fc.option(fc.integer({ min: 0, max: 400 })), frequency: frequencyArb, price: fc.integer({ min: 1, max: 100_000_000 }) }), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.array(fc.record({ level: fc.constantFrom('CUSTOMER', 'SITE', 'INVENTORY' as const), start: dayIn2025, length: fc.option(fc.integer({ min: 0, max: 400 })) }), {
          minLength: 1,
          maxLength: 3,
        }),
        dayIn2025,
        fc.option(fc.integer({ min: 0, max: 1500 })),
        dayIn2025,
        fc.integer({ min: 0, max: 200 }),
        (rateSpecs, assignmentSpecs, rpiStart, rpiLength, from, rangeLength) => {
          const c = card(
            rateSpecs.map((s) => rate({ startDate: s.start, endDate: s.length === null ? null : addDays(s.start, s.length), rentalRateFrequency: s.frequency, price: s.price })),
          );
          const p = pricing({
            rateCards: [c],
            rateCardAssignments: assignmentSpecs.map((s) => cardAssignment(c, s.level, s.start, s.length === null ? null : addDays(s.start, s.length))),
          });
          const r = rpi({ startDate: rpiStart, endDate: rpiLength === null ? null : addDays(rpiStart, rpiLength) });
          const to = addDays(from, rangeLength);
          const full = rentalCharges(r, p, { from: '2020-01-01', to });
          const narrow = rentalCharges(r, p, { from, to });
          expect(narrow).toEqual(full.filter((l) => l.chargedTo >= from));
          for (let i = 1; i < full.length; i++) expect(full[i]!.periodStart > full[i - 1]!.periodEnd).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('discounts', () => {
  it('a rule for the product beats a rule for its category', () => {
    const discountPlan = plan(12, [rule(25, { rentalProductId: PRODUCT }), rule(10)]);
    const p = { ...simplePricing(rate({ price: gbp(10) }), rate({ rentalProductId: OTHER_PRODUCT, price: gbp(10) })) };
    p.discountPlans = [discountPlan];
    p.discountPlanAssignments = [planAssignment(discountPlan, 'CUSTOMER', '2025-01-01')];
    const [product] = rentalCharges(rpi(), p, { from: '2025-01-01', to: '2025-01-31' });
    // £10 − 25 % = £7.50
    expect(product).toMatchObject({ grossAmount: gbp(10), rentalDiscountPlanId: discountPlan.id, discountPercentage: 25, discountAmount: gbp(2.5), netAmount: gbp(7.5) });
    // another product of the category gets the category rule: £10 − 10 % = £9
    const [other] = rentalCharges(rpi({ rentalProductId: OTHER_PRODUCT }), p, { from: '2025-01-01', to: '2025-01-31' });
    expect(other).toMatchObject({ discountPercentage: 10, netAmount: gbp(9) });
    // rule order does not matter
    const reversed = plan(12, [rule(10), rule(25, { rentalProductId: PRODUCT })]);
    const p2 = { ...p, discountPlans: [reversed], discountPlanAssignments: [planAssignment(reversed, 'CUSTOMER', '2025-01-01')] };
    expect(rentalCharges(rpi(), p2, { from: '2025-01-01', to: '2025-01-31' })[0]!.discountPercentage).toBe(25);
  });

  it('a 3-month discount starting mid-month covers the periods that start within 3 months of it', () => {
    const half = plan(3, [rule(50)]);
    const p = { ...simplePricing(rate({ price: gbp(10) })), discountPlans: [half], discountPlanAssignments: [planAssignment(half, 'CUSTOMER', '2025-01-15')] };
    const lines = rentalCharges(rpi({ startDate: '2025-01-01' }), p, { from: '2025-01-01', to: '2025-06-30' });
    // window [01-15, 04-15): January started before it; Feb, Mar and Apr start inside; May is after
    expect(lines.map((l) => [l.periodStart, l.discountPercentage, l.netAmount])).toEqual([
      ['2025-01-01', null, gbp(10)],
      ['2025-02-01', 50, gbp(5)],
      ['2025-03-01', 50, gbp(5)],
      ['2025-04-01', 50, gbp(5)],
      ['2025-05-01', null, gbp(10)],
      ['2025-06-01', null, gbp(10)],
    ]);
  });

  it('takes the most specific applicable plan; an expired or non-covering plan gives way', () => {
    const broad = plan(12, [rule(10)]);
    const narrowShort = plan(2, [rule(20)]);
    const otherCategoryOnly = plan(12, [rule(90, { productCategoryId: OTHER_CATEGORY })]);
    const p = {
      ...simplePricing(rate({ price: gbp(10) })),
      discountPlans: [broad, narrowShort, otherCategoryOnly],
      discountPlanAssignments: [
        planAssignment(broad, 'CUSTOMER', '2025-01-01'),
        planAssignment(narrowShort, 'INVENTORY', '2025-01-01'),
        planAssignment(otherCategoryOnly, 'SITE', '2025-01-01'),
      ],
    };
    const lines = rentalCharges(rpi(), p, { from: '2025-01-01', to: '2025-04-30' });
    expect(lines.map((l) => [l.periodStart, l.rentalDiscountPlanId, l.netAmount])).toEqual([
      ['2025-01-01', narrowShort.id, gbp(8)],
      ['2025-02-01', narrowShort.id, gbp(8)],
      ['2025-03-01', broad.id, gbp(9)],
      ['2025-04-01', broad.id, gbp(9)],
    ]);
  });

  it('ends with its assignment', () => {
    const d = plan(12, [rule(10)]);
    const p = { ...simplePricing(rate({ price: gbp(10) })), discountPlans: [d], discountPlanAssignments: [planAssignment(d, 'CUSTOMER', '2025-01-01', '2025-02-10')] };
    expect(rentalCharges(rpi(), p, { from: '2025-01-01', to: '2025-03-31' }).map((l) => l.netAmount)).toEqual([gbp(9), gbp(9), gbp(10)]);
  });

  it('takes percentages with 2 decimals and rounds the discount half away from zero', () => {
    const d = plan(12, [rule(33.33)]);
    const p = { ...simplePricing(rate({ price: gbp(10) })), discountPlans: [d], discountPlanAssignments: [planAssignment(d, 'CUSTOMER', '2025-01-01')] };
    const lines = rentalCharges(rpi({ quantity: 2, endDate: '2025-03-15' }), p, { from: '2025-03-01', to: '2025-03-31' });
    // gross 9.677419 (2 × £10 × 15/31); 33.33 % of it = 3.2254837527 → 3.225484; net 6.451935
    expect(lines[0]).toMatchObject({ grossAmount: 9_677_419, discountAmount: 3_225_484, netAmount: 6_451_935 });
    // 12.5 % of £0.000004 = 0.5 µ → 1 µ
    const e = plan(12, [rule(12.5)]);
    const tiny = { ...simplePricing(rate({ price: 4 })), discountPlans: [e], discountPlanAssignments: [planAssignment(e, 'CUSTOMER', '2025-01-01')] };
    expect(rentalCharges(rpi(), tiny, { from: '2025-01-01', to: '2025-01-31' })[0]).toMatchObject({ discountAmount: 1, netAmount: 3 });
  });

  it('discounts 100 % to zero and the ONEOFF charge by the same rule', () => {
    const free = plan(1, [rule(100)]);
    const p = {
      ...simplePricing(rate({ price: gbp(10) }), rate({ price: gbp(40), rentalRatePriceType: 'ONEOFF', rentalRateFrequency: null })),
      discountPlans: [free],
      discountPlanAssignments: [planAssignment(free, 'CUSTOMER', '2025-01-01')],
    };
    const lines = rentalCharges(rpi(), p, { from: '2025-01-01', to: '2025-02-28' });
    expect(lines.map((l) => [l.rentalRatePriceType, l.grossAmount, l.netAmount])).toEqual([
      ['ONEOFF', gbp(40), 0],
      ['RENTAL', gbp(10), 0],
      ['RENTAL', gbp(10), gbp(10)],
    ]);
  });

  it('rejects a stored percentage with more than 2 decimals or outside 0..100', () => {
    for (const bad of [12.345, 100.01, -1]) {
      const d = plan(12, [rule(bad)]);
      const p = { ...simplePricing(rate()), discountPlans: [d], discountPlanAssignments: [planAssignment(d, 'CUSTOMER', '2025-01-01')] };
      expect(() => rentalCharges(rpi(), p, { from: '2025-01-01', to: '2025-01-31' })).toThrow(RangeError);
    }
  });
});

describe('remaining rental', () => {
  const contractEnd = '2025-06-30';

  it('is prorated by days at both ends of [D + 1, contract end]', () => {
    const r = rpi({ startDate: '2025-01-15' });
    const { amount, lines } = remainingRental(r, simplePricing(rate({ price: gbp(10) })), { calculationDate: '2025-03-01', endDate: contractEnd });
    // 02-15..03-14 (28 days): 03-02..03-14 = 13 days → £10 × 13/28 = 4.642857142… → 4.642857
    // 03-15..04-14, 04-15..05-14, 05-15..06-14: £10 each
    // 06-15..07-14 (30 days): 06-15..06-30 = 16 days → £10 × 16/30 = 5.333333…
    expect(lines.map((l) => [l.periodStart, l.chargedFrom, l.chargedTo, l.netAmount])).toEqual([
      ['2025-02-15', '2025-03-02', '2025-03-14', 4_642_857],
      ['2025-03-15', '2025-03-15', '2025-04-14', gbp(10)],
      ['2025-04-15', '2025-04-15', '2025-05-14', gbp(10)],
      ['2025-05-15', '2025-05-15', '2025-06-14', gbp(10)],
      ['2025-06-15', '2025-06-15', '2025-06-30', 5_333_333],
    ]);
    expect(amount).toBe(39_976_190);
  });

  it('is 0 on the contract’s last day or later, and one day the day before', () => {
    const p = simplePricing(rate({ price: gbp(10) }));
    const r = rpi({ startDate: '2025-01-15' });
    expect(remainingRental(r, p, { calculationDate: contractEnd, endDate: contractEnd })).toEqual({ amount: 0, lines: [] });
    expect(remainingRental(r, p, { calculationDate: '2025-07-05', endDate: contractEnd })).toEqual({ amount: 0, lines: [] });
    // 06-30 alone, 1 of the 30 days of 06-15..07-14 → 0.333333
    expect(remainingRental(r, p, { calculationDate: '2025-06-29', endDate: contractEnd }).amount).toBe(333_333);
  });

  it('stops at the RPI end when that comes first, and starts at the RPI start when that is later', () => {
    const p = simplePricing(rate({ price: gbp(10) }));
    // 4.642857 + 10 + 10 + 05-15..05-20 = 6 of 31 days (05-15..06-14) → 1.935484
    expect(remainingRental(rpi({ startDate: '2025-01-15', endDate: '2025-05-20' }), p, { calculationDate: '2025-03-01', endDate: contractEnd }).amount).toBe(26_578_341);
    // starts 04-01: April, May, June in full
    expect(remainingRental(rpi({ startDate: '2025-04-01' }), p, { calculationDate: '2025-03-01', endDate: contractEnd }).amount).toBe(gbp(30));
    // ended already
    expect(remainingRental(rpi({ startDate: '2025-01-15', endDate: '2025-03-01' }), p, { calculationDate: '2025-03-01', endDate: contractEnd }).amount).toBe(0);
  });

  it('holds the current price: later rate changes are ignored', () => {
    const p = simplePricing(rate({ price: gbp(10), endDate: '2025-04-30' }), rate({ price: gbp(20), startDate: '2025-05-01' }));
    const r = rpi({ startDate: '2025-01-15' });
    expect(remainingRental(r, p, { calculationDate: '2025-03-01', endDate: contractEnd }).amount).toBe(39_976_190);
    // whereas the charges themselves do rise from the period starting 05-15
    expect(rentalCharges(r, p, { from: '2025-05-15', to: '2025-05-15' })[0]!.unitPrice).toBe(gbp(20));
  });

  it('takes as current price the price of the period in force on D', () => {
    const p = simplePricing(rate({ price: gbp(10), endDate: '2025-02-20' }), rate({ price: gbp(12), startDate: '2025-02-21' }));
    const r = rpi({ startDate: '2025-01-15' });
    // D = 03-01 lies in 02-15..03-14, priced £10 at its start although £12 is effective on D
    expect(remainingRental(r, p, { calculationDate: '2025-03-01', endDate: contractEnd }).lines.every((l) => l.unitPrice === gbp(10))).toBe(true);
    // D = 03-20 lies in 03-15..04-14, priced £12
    expect(remainingRental(r, p, { calculationDate: '2025-03-20', endDate: contractEnd }).lines.every((l) => l.unitPrice === gbp(12))).toBe(true);
  });

  it('is 0 without a current price, and leaves ONEOFF charges out', () => {
    expect(remainingRental(rpi(), pricing(), { calculationDate: '2025-03-01', endDate: contractEnd }).amount).toBe(0);
    const oneOffOnly = simplePricing(rate({ price: gbp(50), rentalRatePriceType: 'ONEOFF', rentalRateFrequency: null }));
    expect(remainingRental(rpi({ startDate: '2025-04-01' }), oneOffOnly, { calculationDate: '2025-03-01', endDate: contractEnd }).amount).toBe(0);
  });

  it('applies discounts per period as the charges would, and multiplies by quantity', () => {
    const half = plan(3, [rule(50)]);
    const p = { ...simplePricing(rate({ price: gbp(10) })), discountPlans: [half], discountPlanAssignments: [planAssignment(half, 'CUSTOMER', '2025-01-15')] };
    const { lines, amount } = remainingRental(rpi({ startDate: '2025-01-15' }), p, { calculationDate: '2025-03-01', endDate: contractEnd });
    // window [01-15, 04-15): periods starting 02-15 and 03-15 are discounted, 04-15 is not
    // 4.642857 − 50 % (2.3214285 → 2.321429) = 2.321428; 5; 10; 10; 5.333333
    expect(lines.map((l) => l.netAmount)).toEqual([2_321_428, gbp(5), gbp(10), gbp(10), 5_333_333]);
    expect(amount).toBe(32_654_761);
    const triple = remainingRental(rpi({ startDate: '2025-01-15', quantity: 3 }), simplePricing(rate({ price: gbp(10) })), {
      calculationDate: '2025-03-01',
      endDate: contractEnd,
    });
    // 3 × (10 × 13/28 = 13.928571…) + 90 + 3 × 10 × 16/30 = 16
    expect(triple.amount).toBe(13_928_571 + gbp(90) + gbp(16));
  });
});
