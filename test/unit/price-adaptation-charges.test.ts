/** Rental charges and remaining rental with price adaptation steps (domain/rental-charges.ts over domain/price-adaptation.ts). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMonths } from '../../src/domain/dates';
import { rentalEarlyTerminationCharge } from '../../src/domain/etc';
import { adaptPrice, factorOf, factorOn, percentageFactor, percentageToStored, type PriceStep } from '../../src/domain/price-adaptation';
import { remainingRental, rentalCharges } from '../../src/domain/rental-charges/charges';
import { card, cardAssignment, gbp, plan, planAssignment, pricing, rate, rpi, rule } from '../helpers/rental-fixtures';

const threePercent = percentageFactor(percentageToStored(3));

function adapted(steps: PriceStep[], ...rates: ReturnType<typeof rate>[]) {
  const c = card(rates);
  return pricing({ rateCards: [c], rateCardAssignments: [cardAssignment(c)], priceSteps: steps });
}

describe('rental charges with price adaptation steps', () => {
  it('adapts each period by the steps effective on or before its start: 3 % then 3 % again', () => {
    const steps = [
      { effectiveDate: '2026-01-01', factor: threePercent },
      { effectiveDate: '2027-01-01', factor: threePercent },
    ];
    const lines = rentalCharges(rpi({ quantity: 2, startDate: '2025-01-01' }), adapted(steps, rate({ price: gbp(10) })), { from: '2025-12-01', to: '2027-01-31' });
    const byStart = Object.fromEntries(lines.map((l) => [l.periodStart, [l.baseUnitPrice, l.unitPrice, l.grossAmount]]));
    expect(byStart['2025-12-01']).toEqual([gbp(10), gbp(10), gbp(20)]);
    expect(byStart['2026-01-01']).toEqual([gbp(10), gbp(10.3), gbp(20.6)]);
    expect(byStart['2026-12-01']).toEqual([gbp(10), gbp(10.3), gbp(20.6)]);
    expect(byStart['2027-01-01']).toEqual([gbp(10), gbp(10.609), gbp(21.218)]);
    expect(lines.find((l) => l.periodStart === '2027-01-01')!.priceAdaptationFactor).toEqual(factorOf(10609, 10000));
  });

  it('a step dated mid-period adapts from the next period (the period start decides)', () => {
    const steps = [{ effectiveDate: '2026-01-15', factor: threePercent }];
    const lines = rentalCharges(rpi({ startDate: '2025-01-01' }), adapted(steps, rate({ price: gbp(10) })), { from: '2026-01-01', to: '2026-02-28' });
    expect(lines.map((l) => [l.periodStart, l.unitPrice])).toEqual([
      ['2026-01-01', gbp(10)],
      ['2026-02-01', gbp(10.3)],
    ]);
  });

  it('prorates and discounts the adapted price; ONEOFF charges are not adapted', () => {
    const steps = [{ effectiveDate: '2020-01-01', factor: threePercent }];
    const discount = plan(120, [rule(10)]);
    const c = card([rate({ price: gbp(10) }), rate({ price: gbp(99), rentalRatePriceType: 'ONEOFF', rentalRateFrequency: null })]);
    const p = pricing({ rateCards: [c], rateCardAssignments: [cardAssignment(c)], discountPlans: [discount], discountPlanAssignments: [planAssignment(discount, 'CUSTOMER', '2025-01-01')], priceSteps: steps });
    const lines = rentalCharges(rpi({ quantity: 2, startDate: '2025-03-01', endDate: '2025-03-15' }), p, { from: '2025-03-01', to: '2025-03-31' });
    // ONEOFF: 2 × £99 as listed; RENTAL: 2 × £10.30 × 15/31 = £9.967741… → 9.967742; 10 % off → 0.996774; net 8.970968
    expect(lines.map((l) => [l.rentalRatePriceType, l.unitPrice, l.grossAmount, l.discountAmount, l.netAmount])).toEqual([
      ['ONEOFF', gbp(99), gbp(198), gbp(19.8), gbp(178.2)],
      ['RENTAL', gbp(10.3), 9_967_742, 996_774, 8_970_968],
    ]);
  });

  it('remaining rental (and so the ETC) holds the adapted price in force on the calculation date', () => {
    const steps = [
      { effectiveDate: '2026-01-01', factor: threePercent },
      { effectiveDate: '2026-07-01', factor: threePercent },
    ];
    const p = adapted(steps, rate({ price: gbp(10) }));
    // terminating on 2026-03-31: April..June at £10.30 (the later step is not the current price)
    const rest = remainingRental(rpi({ startDate: '2025-01-01' }), p, { calculationDate: '2026-03-31', endDate: '2026-06-30' });
    expect(rest.amount).toBe(gbp(30.9));
    const etc = rentalEarlyTerminationCharge({
      rpi: rpi({ startDate: '2025-01-01' }),
      pricing: p,
      contract: { endDate: '2026-06-30', earlyTerminationFixedCharge: 0, earlyTerminationPercentageCharge: 100 },
      calculationDate: '2026-03-31',
    });
    expect(etc.amount).toBe(gbp(30.9));
  });

  it('property: every RENTAL line is the listed line with the unit price adapted by the factor on its period start', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: -50_000, max: 200_000 })), { maxLength: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 100_000_000 }),
        (raw, quantity, price) => {
          const steps = raw.map(([months, p]) => ({ effectiveDate: addMonths('2025-01-01', months), factor: percentageFactor(p) }));
          const inventory = rpi({ quantity, startDate: '2025-01-01' });
          const plain = rentalCharges(inventory, adapted([], rate({ price })), { from: '2025-01-01', to: '2029-12-31' });
          const lines = rentalCharges(inventory, adapted(steps, rate({ price })), { from: '2025-01-01', to: '2029-12-31' });
          expect(lines.map((l) => l.periodStart)).toEqual(plain.map((l) => l.periodStart));
          for (const line of lines) {
            const expected = adaptPrice(price, factorOn(steps, line.periodStart));
            expect(line.unitPrice).toBe(expected);
            expect(line.grossAmount).toBe(expected * quantity);
            expect(line.baseUnitPrice).toBe(price);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
