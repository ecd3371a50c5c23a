import { describe, expect, it } from 'vitest';
import { rentalCharges, remainingRental } from '../../../src/domain/rental-charges/charges';
import type { RentalChargeLine, RentalRateFrequency } from '../../../src/domain/rental-charges/model';
import { card, cardAssignment, gbp, plan, planAssignment, pricing, PRODUCT, rate, rpi, rule, simplePricing } from '../../helpers/rental-fixtures';

const periodsOf = (lines: RentalChargeLine[]) => lines.map((l) => [l.periodStart, l.periodEnd]);

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
      baseUnitPrice: 12_500_000,
      priceAdaptationFactor: { numerator: 1n, denominator: 1n },
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
