/**
 * Money is exact: INTEGER micro-units of the owner's currency
 * (1 micro = 0.000001 of the major unit). Conversions to and from wire numbers go
 * through decimal strings, never through floating-point multiplication, and every
 * rounding names its style.
 */

export type Micros = number;

export const MICROS_PER_MAJOR = 1_000_000;
export const MICROS_PER_MINOR = 10_000;
/** Decimal places of the major unit a minor unit (a penny) stands for. */
export const MINOR_UNIT_PLACES = 2;
/** Largest amount accepted on the wire, in major units (keeps micros exact in a double). */
export const MAX_MAJOR = 999_999_999;

export type RoundingStyle = 'UP' | 'DOWN' | 'MATHEMATICAL';
export const ROUNDING_STYLES = ['UP', 'DOWN', 'MATHEMATICAL'] as const;

/** Decimal places of a finite number as JavaScript prints it (shortest round-trip form). */
export function decimalPlaces(value: number): number {
  if (!Number.isFinite(value)) return Infinity;
  if (Number.isSafeInteger(value)) return 0;
  const text = String(Math.abs(value));
  const exp = text.indexOf('e');
  if (exp >= 0) {
    const mantissa = text.slice(0, exp);
    const power = Number(text.slice(exp + 1));
    const dot = mantissa.indexOf('.');
    const digits = dot < 0 ? 0 : mantissa.length - dot - 1;
    return Math.max(0, digits - power);
  }
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/**
 * value × 10^scale as an exact integer, read from the number's decimal text
 * (`toScaled(1.5, 6)` = 1_500_000). Throws RangeError when the number has more than
 * `scale` decimal places.
 */
export function toScaled(value: number, scale: number): number {
  if (!Number.isFinite(value)) throw new RangeError('not a finite number');
  if (decimalPlaces(value) > scale) throw new RangeError(`more than ${scale} decimal places`);
  const negative = value < 0;
  let text = String(Math.abs(value));
  if (text.includes('e')) text = Math.abs(value).toFixed(scale);
  const [whole = '0', frac = ''] = text.split('.');
  const scaled = Number(whole) * 10 ** scale + Number((frac + '0'.repeat(scale)).slice(0, scale));
  return negative ? -scaled : scaled;
}

/** Major units (pounds) on the wire → micros. */
export function majorToMicros(value: number): Micros {
  return toScaled(value, 6);
}

/** Minor units (pence) on the wire → micros. */
export function minorToMicros(value: number): Micros {
  return toScaled(value, 4);
}

/** Micros → major units for the wire (the nearest double, printed in shortest form). */
export function microsToMajor(micros: Micros): number {
  return micros / MICROS_PER_MAJOR;
}

/** Micros → minor units (pence) for the wire. */
export function microsToMinor(micros: Micros): number {
  return micros / MICROS_PER_MINOR;
}

/**
 * Integer division n/d rounded with `style`; d > 0. MATHEMATICAL rounds half away
 * from zero, UP rounds away from zero, DOWN toward zero.
 */
export function divRound(n: bigint, d: bigint, style: RoundingStyle): bigint {
  if (d <= 0n) throw new RangeError('divisor must be positive');
  const negative = n < 0n;
  const a = negative ? -n : n;
  let q = a / d;
  const r = a % d;
  if (r !== 0n) {
    if (style === 'UP') q += 1n;
    else if (style === 'MATHEMATICAL' && r * 2n >= d) q += 1n;
  }
  return negative ? -q : q;
}

/**
 * The exact amount `num / den` micros rounded once, with `style`, to `places` decimal
 * places of the major unit (0..6); in micros. ETCs and usage charges round their exact
 * value here once, never their parts, so parts rounded apart cannot add up to a
 * different charge.
 */
export function roundMicros(num: bigint, den: bigint, places: number, style: RoundingStyle): bigint {
  if (!Number.isInteger(places) || places < 0 || places > 6) throw new RangeError('places must be a whole number 0..6');
  const unit = 10n ** BigInt(6 - places);
  return divRound(num, den * unit, style) * unit;
}
