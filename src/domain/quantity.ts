/**
 * Usage quantities (seconds, megabytes, events) are exact: inside rating they are
 * integer counts of millionths of a unit ("quantity units"), held as BigInt, so a
 * 0.001 MB increment never drifts. Wire numbers come in with at most 6 decimal
 * places and go out as the nearest double (printed in shortest form).
 *
 * API: `toQuantityUnits(n)`, `fromQuantityUnits(u)`, `roundUpToIncrement(u, inc)`,
 * `roundDownToIncrement(u, inc)`, `ceilDiv(a, b)`, `isValidQuantity(n)`, `QUANTITY_DECIMALS`,
 * `MAX_QUANTITY`.
 */
import { decimalPlaces, toScaled } from './money';

export const QUANTITY_DECIMALS = 6;
export const QUANTITY_UNITS_PER_UNIT = 1_000_000n;
/** Largest quantity accepted (keeps quantity units exact in a double for storage). */
export const MAX_QUANTITY = 999_999_999;

/** A finite number 0..MAX_QUANTITY with at most 6 decimal places. */
export function isValidQuantity(value: unknown): value is number {
  return (
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= 0 &&
    value <= MAX_QUANTITY &&
    decimalPlaces(value) <= QUANTITY_DECIMALS
  );
}

/** A wire quantity → quantity units; RangeError when it is not a valid quantity. */
export function toQuantityUnits(value: number): bigint {
  // whole quantities (seconds, events) are the common case: no decimal text to read
  if (Number.isInteger(value) && value >= 0 && value <= MAX_QUANTITY) return BigInt(value) * QUANTITY_UNITS_PER_UNIT;
  if (!isValidQuantity(value)) throw new RangeError(`not a quantity 0..${MAX_QUANTITY} with at most 6 decimal places: ${value}`);
  return BigInt(toScaled(value, QUANTITY_DECIMALS));
}

/** Quantity units → a wire number. */
export function fromQuantityUnits(units: bigint): number {
  return Number(units) / Number(QUANTITY_UNITS_PER_UNIT);
}

/** The smallest multiple of `increment` ≥ `units`; an increment ≤ 0 means no rounding. */
export function roundUpToIncrement(units: bigint, increment: bigint): bigint {
  if (increment <= 0n) return units;
  return ceilDiv(units, increment) * increment;
}

/** The largest multiple of `increment` ≤ `units`; an increment ≤ 0 means no rounding. */
export function roundDownToIncrement(units: bigint, increment: bigint): bigint {
  if (increment <= 0n) return units;
  return (units / increment) * increment;
}

/** ⌈a / b⌉ for a ≥ 0, b > 0. */
export function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}
