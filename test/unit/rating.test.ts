import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromQuantityUnits, roundUpToIncrement, toQuantityUnits } from '../../src/domain/quantity';
import { finalCharge, isValidDecimalPlaces, markupPrice, rateEffectiveAt, recordLocalDate } from '../../src/domain/rating';
import { assigned, card, component, LONDON, OFFPEAK_TIME, p, plan, rate, rateRecord, utc, WEEKEND_TIME } from '../helpers/rating-fixtures';

describe('VARIABLE pricing per band', () => {
  it('a 61-second peak call at 5p per 60-second unit: 2 started units × 5p = 10p', () => {
    const r = rateRecord(61);
    expect(r).toMatchObject({ status: 'RATED', reason: null, timeband: 'PEAK', quantity: 61, chargeableQuantity: 61, charge: p(10) });
    expect(r.charge).toBe(100_000);
  });

  it('the band of the start picks the value: 61 s offpeak at 2p = 4p, at the weekend at 1p = 2p', () => {
    expect(rateRecord(61, { start: OFFPEAK_TIME })).toMatchObject({ timeband: 'OFFPEAK', charge: p(4) });
    expect(rateRecord(61, { start: WEEKEND_TIME })).toMatchObject({ timeband: 'WEEKEND', charge: p(2) });
  });

  it('exactly 60 s is one unit (5p); 0 s is nothing to charge (0p)', () => {
    expect(rateRecord(60).charge).toBe(p(5));
    expect(rateRecord(0)).toMatchObject({ status: 'RATED', quantity: 0, chargeableQuantity: 0, charge: 0 });
  });

  it('initial charge 10p covers the first 30 s, then 1p per started 6 s', () => {
    const r = rate({ peakInitialCharge: p(10), peakInitialPeriod: 30, peakValue: p(1), variableChargeUnitSize: 6 });
    // 61 s: 10p + ⌈(61 − 30) / 6⌉ = 6 units × 1p = 16p
    expect(rateRecord(61, { rate: r }).charge).toBe(p(16));
    // 30 s: the initial charge only = 10p
    expect(rateRecord(30, { rate: r }).charge).toBe(p(10));
    // 1 s: still the initial charge = 10p
    expect(rateRecord(1, { rate: r }).charge).toBe(p(10));
    // 36 s: 10p + 1 unit = 11p; 37 s: 10p + 2 units = 12p
    expect(rateRecord(36, { rate: r }).charge).toBe(p(11));
    expect(rateRecord(37, { rate: r }).charge).toBe(p(12));
  });

  it('an initial charge of 0 makes the initial period free; no initial charge means no initial period', () => {
    // 90 s, initial 0p for 60 s then 5p per 60 s: 0 + ⌈30/60⌉ × 5p = 5p
    expect(rateRecord(90, { rate: rate({ peakInitialCharge: 0, peakInitialPeriod: 60 }) }).charge).toBe(p(5));
    // initialPeriod 60 without an initial charge is ignored: ⌈90/60⌉ × 5p = 10p
    expect(rateRecord(90, { rate: rate({ peakInitialCharge: null, peakInitialPeriod: 60 }) }).charge).toBe(p(10));
  });

  it('the unit size falls back to the card default, then to 1', () => {
    // card default 30 s: 61 s = 3 units × 5p = 15p
    expect(rateRecord(61, { rate: rate({ variableChargeUnitSize: null }), card: card({ defaultVariableChargeUnitSize: 30 }) }).charge).toBe(p(15));
    // per second: 61 units × 5p = 305p
    expect(rateRecord(61, { rate: rate({ variableChargeUnitSize: null }) }).charge).toBe(p(305));
  });
});

describe('minimum charge', () => {
  it('the band minimum beats the card default; without one the card default applies', () => {
    // 10 s at 5p per 60 s = 5p raw
    const cardMin = card({ defaultMinCharge: p(8) });
    expect(rateRecord(10, { card: cardMin }).charge).toBe(p(8)); // max(5p, card 8p)
    expect(rateRecord(10, { card: cardMin, rate: rate({ peakMinimum: p(12) }) }).charge).toBe(p(12)); // band 12p
    expect(rateRecord(10, { card: cardMin, rate: rate({ peakMinimum: 0 }) }).charge).toBe(p(5)); // band 0 overrides the card
    expect(rateRecord(180, { card: cardMin }).charge).toBe(p(15)); // 3 × 5p = 15p is above the minimum
  });

  it('is the band’s own: offpeak minimum 3p applies offpeak only', () => {
    const r = rate({ peakMinimum: p(7), offPeakMinimum: p(3) });
    expect(rateRecord(10, { rate: r }).charge).toBe(p(7)); // peak raw 5p → 7p
    expect(rateRecord(10, { rate: r, start: OFFPEAK_TIME }).charge).toBe(p(3)); // offpeak raw 2p → 3p
  });

  it('does not apply when nothing is chargeable', () => {
    expect(rateRecord(0, { card: card({ defaultMinCharge: p(8) }) }).charge).toBe(0);
  });

  it('is rounded like any price: 4.35p minimum at 0 places rounded UP = 5p', () => {
    expect(rateRecord(10, { card: card({ decimalPlaces: 0, defaultMinCharge: p(4.35) }) }).charge).toBe(p(5));
  });
});

describe('rounding to the card’s decimalPlaces (places of a penny) with its style', () => {
  const oneUnit = (value: number, decimalPlaces: number, priceRoundingStyle: 'UP' | 'DOWN' | 'MATHEMATICAL') =>
    rateRecord(60, { rate: rate({ peakValue: p(value) }), card: card({ decimalPlaces, priceRoundingStyle }) }).charge;

  it('4 places keeps 1.0045p exactly', () => {
    expect(oneUnit(1.0045, 4, 'UP')).toBe(10_045);
    expect(oneUnit(1.0045, 4, 'DOWN')).toBe(10_045);
  });

  it('2 places: 1.0045p → UP 1.01p, DOWN 1.00p, MATHEMATICAL 1.00p; 1.005p → MATHEMATICAL 1.01p (half away from zero)', () => {
    expect(oneUnit(1.0045, 2, 'UP')).toBe(p(1.01));
    expect(oneUnit(1.0045, 2, 'DOWN')).toBe(p(1));
    expect(oneUnit(1.0045, 2, 'MATHEMATICAL')).toBe(p(1));
    expect(oneUnit(1.005, 2, 'MATHEMATICAL')).toBe(p(1.01));
    expect(oneUnit(1.0049, 2, 'MATHEMATICAL')).toBe(p(1));
  });

  it('0 places: 2.5p → UP 3p, DOWN 2p, MATHEMATICAL 3p; 2.4999p → MATHEMATICAL 2p', () => {
    expect(oneUnit(2.5, 0, 'UP')).toBe(p(3));
    expect(oneUnit(2.5, 0, 'DOWN')).toBe(p(2));
    expect(oneUnit(2.5, 0, 'MATHEMATICAL')).toBe(p(3));
    expect(oneUnit(2.4999, 0, 'MATHEMATICAL')).toBe(p(2));
  });

  it('rounds the call once, not each unit: 3 units × 1.0045p = 3.0135p → 2 places UP = 3.02p (not 3 × 1.01p = 3.03p)', () => {
    expect(rateRecord(180, { rate: rate({ peakValue: p(1.0045) }), card: card({ decimalPlaces: 2 }) }).charge).toBe(p(3.02));
  });

  it('decimalPlaces must be an integer 0..4', () => {
    expect([0, 1, 2, 3, 4].every(isValidDecimalPlaces)).toBe(true);
    expect([-1, 5, 2.5, '2', null].some(isValidDecimalPlaces)).toBe(false);
    expect(() => rateRecord(60, { card: card({ decimalPlaces: 5 }) })).toThrow(RangeError);
  });

  it('finalCharge: raw 1/3 of a micro, minimum 0', () => {
    const third = { num: 1n, den: 3n };
    expect(finalCharge(third, 0, { decimalPlaces: 4, priceRoundingStyle: 'UP' })).toBe(1);
    expect(finalCharge(third, 0, { decimalPlaces: 4, priceRoundingStyle: 'DOWN' })).toBe(0);
    expect(finalCharge(third, 0, { decimalPlaces: 4, priceRoundingStyle: 'MATHEMATICAL' })).toBe(0);
  });

  it('property: UP never undercharges, DOWN never overcharges, MATHEMATICAL is within half a step', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 15n }),
        fc.bigInt({ min: 1n, max: 10n ** 6n }),
        fc.integer({ min: 0, max: 4 }),
        (num, den, decimalPlaces) => {
          const step = 10n ** BigInt(4 - decimalPlaces);
          const up = BigInt(finalCharge({ num, den }, 0, { decimalPlaces, priceRoundingStyle: 'UP' }));
          const down = BigInt(finalCharge({ num, den }, 0, { decimalPlaces, priceRoundingStyle: 'DOWN' }));
          const math = BigInt(finalCharge({ num, den }, 0, { decimalPlaces, priceRoundingStyle: 'MATHEMATICAL' }));
          // up·den ≥ num, and less than one step above
          expect(up * den >= num).toBe(true);
          expect((up - step) * den < num).toBe(true);
          expect(down * den <= num).toBe(true);
          expect(up % step === 0n && down % step === 0n && math % step === 0n).toBe(true);
          const distance = math * den - num;
          expect(2n * (distance < 0n ? -distance : distance) <= step * den).toBe(true);
        },
      ),
    );
  });
});

describe('MARKUP', () => {
  const markup = (percent: number) =>
    rate({ usageRateType: 'MARKUP', peakValue: p(percent), offPeakValue: p(percent), weekendValue: p(percent) });

  it('cost 10p with 20% markup = 12p', () => {
    expect(rateRecord(61, { rate: markup(20), cost: p(10) }).charge).toBe(p(12));
  });

  it('cost 3p with 12.5% markup = 3.375p: 4 places exact, 2 places UP 3.38p, DOWN 3.37p, MATHEMATICAL 3.38p', () => {
    const at = (decimalPlaces: number, priceRoundingStyle: 'UP' | 'DOWN' | 'MATHEMATICAL') =>
      rateRecord(60, { rate: markup(12.5), cost: p(3), card: card({ decimalPlaces, priceRoundingStyle }) }).charge;
    expect(at(4, 'UP')).toBe(p(3.375));
    expect(at(2, 'UP')).toBe(p(3.38));
    expect(at(2, 'DOWN')).toBe(p(3.37));
    expect(at(2, 'MATHEMATICAL')).toBe(p(3.38));
  });

  it('cost 1p with 33.3333% markup = 1.333333p → 4 places UP 1.3334p', () => {
    expect(rateRecord(60, { rate: markup(33.3333), cost: p(1) }).charge).toBe(p(1.3334));
  });

  it('takes the minimum: cost 2p + 50% = 3p, card minimum 5p → 5p', () => {
    expect(rateRecord(60, { rate: markup(50), cost: p(2), card: card({ defaultMinCharge: p(5) }) }).charge).toBe(p(5));
  });

  it('a zero-quantity record with a cost is charged its cost + markup: 5p + 20% = 6p', () => {
    expect(rateRecord(0, { rate: markup(20), cost: p(5) }).charge).toBe(p(6));
    expect(rateRecord(0, { rate: markup(20), cost: 0, card: card({ defaultMinCharge: p(5) }) }).charge).toBe(0);
  });

  it('markupPrice is exact: 7 micros × 1.1 = 77/10', () => {
    const f = markupPrice(7, p(10));
    expect(f.num * 10n).toBe(77n * f.den);
  });

  it('without a cost the record is UNRATED', () => {
    expect(rateRecord(60, { rate: markup(20) })).toMatchObject({ status: 'UNRATED', reason: 'NO_COST_FOR_MARKUP', charge: null });
  });
});

describe('quantity rounding', () => {
  it('rounds seconds up to the increment: 60.2 s at increment 1 → 61 s', () => {
    expect(rateRecord(60.2).quantity).toBe(61);
    expect(rateRecord(60.2).charge).toBe(p(10)); // 2 started minutes
  });

  it('rounds data to a fractional increment exactly: 1.2345 MB to 0.01 → 1.24 MB; 2.0005 MB to 0.001 → 2.001 MB', () => {
    const data = rate({ quantityRoundingIncrement: 0.01, variableChargeUnitSize: 1, peakValue: p(2) });
    // 1.24 MB at 2p per started MB = 2 × 2p = 4p
    expect(rateRecord(1.2345, { rate: data, chargingType: 'DATA' })).toMatchObject({ quantity: 1.24, charge: p(4) });
    expect(rateRecord(2.0005, { rate: rate({ quantityRoundingIncrement: 0.001 }), chargingType: 'DATA' }).quantity).toBe(2.001);
  });

  it('does not drift where floats do: 0.3 at increment 0.1 stays 0.3 (0.1 × 3 = 0.30000000000000004 in floats)', () => {
    expect(fromQuantityUnits(roundUpToIncrement(toQuantityUnits(0.3), toQuantityUnits(0.1)))).toBe(0.3);
    expect(rateRecord(0.3, { rate: rate({ quantityRoundingIncrement: 0.1 }) }).quantity).toBe(0.3);
    expect(rateRecord(0.7, { rate: rate({ quantityRoundingIncrement: 0.1 }) }).quantity).toBe(0.7);
  });

  it('falls back to the card default increment, then to 1', () => {
    expect(rateRecord(61, { rate: rate({ quantityRoundingIncrement: null }), card: card({ defaultQuantityRoundingIncrement: 30 }) }).quantity).toBe(90);
    expect(rateRecord(61.5, { rate: rate({ quantityRoundingIncrement: null }) }).quantity).toBe(62);
  });

  it('refuses more than 6 decimal places', () => {
    expect(() => rateRecord(1.0000001)).toThrow(RangeError);
  });

  it('property: the rounded quantity is the least multiple of the increment ≥ the quantity', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 12 }), fc.integer({ min: 1, max: 10 ** 8 }), (units, inc) => {
        const q = roundUpToIncrement(BigInt(units), BigInt(inc));
        expect(q >= BigInt(units) && q - BigInt(units) < BigInt(inc) && q % BigInt(inc) === 0n).toBe(true);
      }),
    );
  });
});

describe('UNRATED', () => {
  it('no card, no rate for the charge group, no value for the band', () => {
    expect(rateRecord(60, { card: null })).toMatchObject({
      status: 'UNRATED',
      reason: 'NO_USAGE_RATE_CARD',
      usageRateCardId: null,
      usageRateId: null,
      quantity: 60,
      charge: null,
      chargeableQuantity: null,
      draws: [],
    });
    expect(rateRecord(60, { rate: null })).toMatchObject({ status: 'UNRATED', reason: 'NO_USAGE_RATE_FOR_CHARGE_GROUP', usageRateCardId: 10 });
    expect(rateRecord(60, { rate: rate({ weekendValue: null }), start: WEEKEND_TIME })).toMatchObject({
      status: 'UNRATED',
      reason: 'NO_RATE_VALUE_FOR_TIMEBAND',
      timeband: 'WEEKEND',
      usageRateId: 20,
    });
  });
});

describe('rateEffectiveAt (the rate effective at the record’s start, on the owner’s date)', () => {
  const rates = [
    rate({ id: 1, startDate: '2025-01-01', endDate: '2025-06-30', peakValue: p(5) }),
    rate({ id: 2, startDate: '2025-07-01', endDate: null, peakValue: p(6) }),
    rate({ id: 3, chargeGroupId: 999, startDate: null, endDate: null }),
  ];

  it('a rate changing mid-period: the record’s start decides', () => {
    expect(rateEffectiveAt(rates, 100, '2025-06-30')?.id).toBe(1);
    expect(rateEffectiveAt(rates, 100, '2025-07-01')?.id).toBe(2);
    expect(rateEffectiveAt(rates, 100, '2024-12-31')).toBeNull();
    expect(rateEffectiveAt(rates, 555, '2025-07-01')).toBeNull();
  });

  it('uses the owner’s local date: 2025-06-30T23:30Z is 1 July 00:30 in London', () => {
    const start = utc('2025-06-30T23:30:00Z');
    expect(recordLocalDate(start, LONDON)).toBe('2025-07-01');
    expect(recordLocalDate(start, 'UTC')).toBe('2025-06-30');
    const picked = rateEffectiveAt(rates, 100, recordLocalDate(start, LONDON))!;
    expect(rateRecord(60, { rate: picked, start })).toMatchObject({ usageRateId: 2, timeband: 'OFFPEAK' });
  });

  it('when several overlap the latest start wins, then the highest id', () => {
    const overlapping = [
      rate({ id: 5, startDate: '2025-01-01', endDate: null }),
      rate({ id: 4, startDate: '2025-03-01', endDate: null }),
      rate({ id: 6, startDate: '2025-03-01', endDate: null }),
      rate({ id: 9, startDate: null, endDate: null }),
    ];
    expect(rateEffectiveAt(overlapping, 100, '2025-04-01')?.id).toBe(6);
    expect(rateEffectiveAt(overlapping, 100, '2024-04-01')?.id).toBe(9);
  });
});

describe('applyCrossTimeBandCharging', () => {
  const cross = card({ applyCrossTimeBandCharging: true });
  // Mon 2025-06-02 17:58:30 BST; PEAK 10p, OFFPEAK 2p per started 60 s
  const start = utc('2025-06-02T16:58:30Z');
  const r = rate({ peakValue: p(10), offPeakValue: p(2) });

  it('prices each started unit at the band it starts in: 150 s from 17:58:30 = 10p + 10p + 2p = 22p', () => {
    // units start at 17:58:30 (PEAK), 17:59:30 (PEAK), 18:00:30 (OFFPEAK)
    const result = rateRecord(150, { card: cross, rate: r, start });
    expect(result.charge).toBe(p(22));
    expect(result.timeband).toBe('PEAK');
    expect(result.parts).toEqual([
      { timeband: 'PEAK', quantity: 90, inclusiveQuantity: 0, chargeableQuantity: 90, inclusiveValue: 0, charge: p(20) },
      { timeband: 'OFFPEAK', quantity: 60, inclusiveQuantity: 0, chargeableQuantity: 60, inclusiveValue: 0, charge: p(2) },
    ]);
    // without the flag the whole call is PEAK: 3 × 10p = 30p
    expect(rateRecord(150, { rate: r, start }).charge).toBe(p(30));
  });

  it('the initial charge belongs to the start band: 15p for the first 60 s, then 17:59:30 PEAK 10p, 18:00:30 OFFPEAK 2p = 27p', () => {
    const withInitial = rate({ peakValue: p(10), offPeakValue: p(2), peakInitialCharge: p(15), peakInitialPeriod: 60 });
    expect(rateRecord(150, { card: cross, rate: withInitial, start }).charge).toBe(p(27));
  });

  it('the minimum is the call’s and tops up the first part: 30 s from 17:59:45 is one unit starting PEAK = 10p, minimum 20p → 20p', () => {
    const late = utc('2025-06-02T16:59:45Z'); // 15 s PEAK, 15 s OFFPEAK; one unit starting PEAK
    const result = rateRecord(30, { card: cross, rate: rate({ peakValue: p(10), offPeakValue: p(2), peakMinimum: p(20) }), start: late });
    expect(result.charge).toBe(p(20));
    expect(result.parts.map((x) => x.charge)).toEqual([p(20), 0]);
  });

  it('draws allowances per band: 60 s of PEAK-only minutes leave 30 s PEAK + 60 s OFFPEAK; units start at 0 (PEAK 10p) and 60 (OFFPEAK 2p) = 12p', () => {
    const peakMinutes = assigned(1, plan({ components: [component({ quantity: 60, timebands: ['PEAK'] })] }));
    const result = rateRecord(150, { card: cross, rate: r, start, plans: [peakMinutes] });
    expect(result).toMatchObject({ inclusiveQuantity: 60, chargeableQuantity: 90, charge: p(12) });
    expect(result.parts.map((x) => [x.timeband, x.inclusiveQuantity, x.chargeableQuantity, x.charge])).toEqual([
      ['PEAK', 60, 30, p(10)],
      ['OFFPEAK', 0, 60, p(2)],
    ]);
  });

  it('an OFFPEAK-only money allowance pays the OFFPEAK part only: 22p − 2p = 20p', () => {
    const offpeakMoney = assigned(1, plan({ components: [component({ componentType: 'VALUE', quantity: null, value: p(50), timebands: ['OFFPEAK'] })] }));
    const result = rateRecord(150, { card: cross, rate: r, start, plans: [offpeakMoney] });
    expect(result).toMatchObject({ inclusiveValue: p(2), charge: p(20), inclusiveQuantity: 60, chargeableQuantity: 90 });
  });

  it('a band without a value makes the call UNRATED', () => {
    expect(rateRecord(150, { card: cross, rate: rate({ offPeakValue: null }), start })).toMatchObject({
      status: 'UNRATED',
      reason: 'NO_RATE_VALUE_FOR_TIMEBAND',
    });
  });

  it('does not split DATA records or MARKUP rates', () => {
    expect(rateRecord(150, { card: cross, rate: r, start, chargingType: 'DATA' }).parts).toHaveLength(1);
    const markup = rate({ usageRateType: 'MARKUP', peakValue: p(10), offPeakValue: p(10) });
    expect(rateRecord(150, { card: cross, rate: markup, start, cost: p(10) }).parts).toHaveLength(1);
  });

  it('refuses a record spanning more than 1000 band segments (800 days ≈ 11 a week × 114 weeks)', () => {
    expect(rateRecord(800 * 86_400, { card: cross, rate: r, start })).toMatchObject({ status: 'UNRATED', reason: 'TOO_MANY_TIMEBAND_CHANGES' });
  });

  it('property: the split never costs more than pricing every unit at the dearest band, and parts add up', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 7 * 86_400 }), fc.integer({ min: 0, max: 20_000 }), (offset, seconds) => {
        const at = utc('2025-06-02T00:00:00Z') + offset * 1000;
        const result = rateRecord(seconds, { card: cross, rate: r, start: at });
        expect(result.charge!).toBeLessThanOrEqual(Math.ceil(seconds / 60) * p(10));
        expect(result.charge!).toBeGreaterThanOrEqual(Math.ceil(seconds / 60) * p(1));
        expect(result.parts.reduce((s, x) => s + x.charge, 0)).toBe(result.charge);
        expect(result.parts.reduce((s, x) => s + x.quantity, 0)).toBe(result.quantity);
      }),
      { numRuns: 100 },
    );
  });
});
