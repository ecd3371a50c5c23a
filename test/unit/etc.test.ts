import { describe, expect, it } from 'vitest';
import { contractEarlyTerminationCharge, earlyTerminationCharge, rentalEarlyTerminationCharge } from '../../src/domain/etc';
import { gbp, pricing, rate, rpi, simplePricing } from '../helpers/rental-fixtures';

describe('earlyTerminationCharge', () => {
  it('is fixed + percentage/100 × remaining rental, rounded to pence', () => {
    // £25 + 50 % × £39.976190 = £44.988095 → £44.99
    expect(earlyTerminationCharge({ fixedCharge: gbp(25), percentage: 50, remainingRental: 39_976_190 })).toBe(gbp(44.99));
    // £25 + 100 % × £120 = £145
    expect(earlyTerminationCharge({ fixedCharge: gbp(25), percentage: 100, remainingRental: gbp(120) })).toBe(gbp(145));
  });

  it('with percentage 0 is the fixed charge; with 1000 ten times the remaining rental on top', () => {
    expect(earlyTerminationCharge({ fixedCharge: gbp(25), percentage: 0, remainingRental: 39_976_190 })).toBe(gbp(25));
    // £25 + 10 × £39.976190 = £424.7619 → £424.76
    expect(earlyTerminationCharge({ fixedCharge: gbp(25), percentage: 1000, remainingRental: 39_976_190 })).toBe(gbp(424.76));
  });

  it('rounds once, from the exact value, half away from zero', () => {
    // 7 % of £0.50 = £0.035 exactly → £0.04; of −£0.50 → −£0.04; of £0.35 = £0.0245 → £0.02
    expect(earlyTerminationCharge({ fixedCharge: 0, percentage: 7, remainingRental: gbp(0.5) })).toBe(gbp(0.04));
    expect(earlyTerminationCharge({ fixedCharge: 0, percentage: 7, remainingRental: gbp(-0.5) })).toBe(gbp(-0.04));
    expect(earlyTerminationCharge({ fixedCharge: 0, percentage: 7, remainingRental: gbp(0.35) })).toBe(gbp(0.02));
    // the fixed charge is rounded with the rest: £1.234567 → £1.23, £1.235 → £1.24
    expect(earlyTerminationCharge({ fixedCharge: 1_234_567, percentage: 0, remainingRental: 0 })).toBe(gbp(1.23));
    expect(earlyTerminationCharge({ fixedCharge: 1_235_000, percentage: 0, remainingRental: 0 })).toBe(gbp(1.24));
    // £0.004 + 1 % × £0.10 = £0.005 → £0.01: rounding each part first would give £0.00
    expect(earlyTerminationCharge({ fixedCharge: 4_000, percentage: 1, remainingRental: gbp(0.1) })).toBe(gbp(0.01));
  });

  it('rejects a percentage outside 0..1000 or not whole', () => {
    for (const percentage of [-1, 1001, 1.5, Number.NaN]) {
      expect(() => earlyTerminationCharge({ fixedCharge: 0, percentage, remainingRental: 0 })).toThrow(RangeError);
    }
  });
});

describe('ETC of an RPI and of a contract', () => {
  const contract = { endDate: '2025-06-30', earlyTerminationFixedCharge: gbp(25), earlyTerminationPercentageCharge: 50 };
  const monthly = simplePricing(rate({ price: gbp(10) }));

  it('charges the remaining rental of [D + 1, contract end], prorated at both ends', () => {
    const etc = rentalEarlyTerminationCharge({ rpi: rpi({ id: 5, startDate: '2025-01-15' }), pricing: monthly, contract, calculationDate: '2025-03-01' });
    // remaining £39.976190 (see rental-charges tests); £25 + £19.988095 = £44.988095 → £44.99
    expect(etc).toEqual({ rentalProductInventoryId: 5, calculationDate: '2025-03-01', remainingRental: 39_976_190, amount: gbp(44.99) });
  });

  it('on the last day of the term is the fixed charge only', () => {
    const etc = rentalEarlyTerminationCharge({ rpi: rpi({ startDate: '2025-01-15' }), pricing: monthly, contract, calculationDate: '2025-06-30' });
    expect(etc).toMatchObject({ remainingRental: 0, amount: gbp(25) });
  });

  it('is the fixed charge where no price applies', () => {
    expect(rentalEarlyTerminationCharge({ rpi: rpi(), pricing: pricing(), contract, calculationDate: '2025-03-01' }).amount).toBe(gbp(25));
  });

  it('sums the rounded ETCs of the contract’s RPIs', () => {
    const result = contractEarlyTerminationCharge({
      contract,
      calculationDate: '2025-03-01',
      inventories: [
        { rpi: rpi({ id: 1, startDate: '2025-01-15' }), pricing: monthly },
        // starts 04-01: April–June in full = £30; £25 + £15 = £40
        { rpi: rpi({ id: 2, startDate: '2025-04-01' }), pricing: monthly },
      ],
    });
    expect(result.items.map((i) => [i.rentalProductInventoryId, i.amount])).toEqual([
      [1, gbp(44.99)],
      [2, gbp(40)],
    ]);
    expect(result.amount).toBe(gbp(84.99));
    expect(contractEarlyTerminationCharge({ contract, calculationDate: '2025-03-01', inventories: [] })).toEqual({ amount: 0, items: [] });
  });
});
