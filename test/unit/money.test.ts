import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimalPlaces, divRound, majorToMicros, microsToMajor, minorToMicros, roundMicros } from '../../src/domain/money';

describe('divRound: UP away from zero, DOWN toward zero, MATHEMATICAL half away from zero', () => {
  it.each([
    // n, d, UP, DOWN, MATHEMATICAL
    [7n, 2n, 4n, 3n, 4n], // 3.5
    [-7n, 2n, -4n, -3n, -4n], // −3.5
    [5n, 3n, 2n, 1n, 2n], // 1.67
    [4n, 3n, 2n, 1n, 1n], // 1.33
    [-4n, 3n, -2n, -1n, -1n], // −1.33
    [6n, 3n, 2n, 2n, 2n], // exact
    [0n, 7n, 0n, 0n, 0n],
  ])('%d / %d', (n, d, up, down, mathematical) => {
    expect(divRound(n, d, 'UP')).toBe(up);
    expect(divRound(n, d, 'DOWN')).toBe(down);
    expect(divRound(n, d, 'MATHEMATICAL')).toBe(mathematical);
  });

  it('needs a positive divisor', () => {
    expect(() => divRound(1n, 0n, 'UP')).toThrow(RangeError);
    expect(() => divRound(1n, -2n, 'UP')).toThrow(RangeError);
  });

  it('property: rounding a negative amount mirrors rounding the positive one', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 18n }), fc.bigInt({ min: 1n, max: 10n ** 9n }), fc.constantFrom('UP' as const, 'DOWN' as const, 'MATHEMATICAL' as const), (n, d, style) => {
        expect(divRound(-n, d, style)).toBe(-divRound(n, d, style));
      }),
    );
  });
});

describe('roundMicros: an exact amount of micros rounded once to places of the major unit', () => {
  it('£1.234567 to 2 places: UP £1.24, DOWN £1.23, MATHEMATICAL £1.23; £1.235 MATHEMATICAL £1.24, −£1.235 −£1.24', () => {
    expect(roundMicros(1_234_567n, 1n, 2, 'UP')).toBe(1_240_000n);
    expect(roundMicros(1_234_567n, 1n, 2, 'DOWN')).toBe(1_230_000n);
    expect(roundMicros(1_234_567n, 1n, 2, 'MATHEMATICAL')).toBe(1_230_000n);
    expect(roundMicros(1_235_000n, 1n, 2, 'MATHEMATICAL')).toBe(1_240_000n);
    expect(roundMicros(-1_235_000n, 1n, 2, 'MATHEMATICAL')).toBe(-1_240_000n);
  });

  it('rounds the fraction itself: 14 999 999 / 3 micros = 4 999 999.67 → 6 places MATHEMATICAL 5 000 000, 0 places DOWN 4 000 000', () => {
    expect(roundMicros(14_999_999n, 3n, 6, 'MATHEMATICAL')).toBe(5_000_000n);
    expect(roundMicros(14_999_999n, 3n, 6, 'DOWN')).toBe(4_999_999n);
    expect(roundMicros(14_999_999n, 3n, 0, 'DOWN')).toBe(4_000_000n);
    expect(roundMicros(14_999_999n, 3n, 0, 'UP')).toBe(5_000_000n);
  });

  it('takes 0..6 places only', () => {
    expect(() => roundMicros(1n, 1n, 7, 'UP')).toThrow(RangeError);
    expect(() => roundMicros(1n, 1n, -1, 'UP')).toThrow(RangeError);
    expect(() => roundMicros(1n, 1n, 1.5, 'UP')).toThrow(RangeError);
  });
});

describe('wire numbers ↔ micros, through decimal text', () => {
  it('converts major and minor units exactly', () => {
    expect(majorToMicros(1.5)).toBe(1_500_000);
    expect(majorToMicros(0.29)).toBe(290_000);
    expect(majorToMicros(-0.5)).toBe(-500_000);
    expect(majorToMicros(0.000001)).toBe(1);
    expect(minorToMicros(12.3456)).toBe(123_456);
    expect(minorToMicros(1e-4)).toBe(1);
    expect(microsToMajor(290_000)).toBe(0.29);
  });

  it('refuses more places than a micro holds', () => {
    expect(() => majorToMicros(0.0000001)).toThrow(RangeError);
    expect(() => minorToMicros(1.00001)).toThrow(RangeError);
    expect(() => majorToMicros(Number.NaN)).toThrow(RangeError);
  });

  it('counts decimal places as JavaScript prints the number', () => {
    expect(decimalPlaces(123)).toBe(0);
    expect(decimalPlaces(1.25)).toBe(2);
    expect(decimalPlaces(1e-7)).toBe(7);
    expect(decimalPlaces(1.5e-5)).toBe(6);
    expect(decimalPlaces(Number.POSITIVE_INFINITY)).toBe(Infinity);
  });

  it('property: any amount with at most 6 places round-trips', () => {
    fc.assert(
      fc.property(fc.integer({ min: -999_999_999_000_000, max: 999_999_999_000_000 }), (micros) => {
        expect(majorToMicros(microsToMajor(micros))).toBe(micros);
      }),
    );
  });
});
