/**
 * Usage rating (v2-pricing.md §Usage rating): one usage record in, its price and
 * the allowance it used out. Plain functions: no HTTP, no database.
 *
 * Units. Money is integer micros (money.ts): a wire rate value in pence becomes
 * `minorToMicros(pence)` (1p = 10,000). A MARKUP rate's `*Value` is a percentage
 * stored the same way — `minorToMicros(percent)`, i.e. percent × 10,000 — so one
 * integer column holds either kind. Quantities are wire numbers (≤ 6 decimal
 * places) and are exact inside (quantity.ts).
 *
 * The steps for one record (`rateUsageRecord`):
 * 1. no card → UNRATED `NO_USAGE_RATE_CARD`; no rate for the charge group →
 *    `NO_USAGE_RATE_FOR_CHARGE_GROUP` (resolve both with the record's local date:
 *    `mostSpecific` in assignments.ts for the card, `rateEffectiveAt` here for the rate);
 * 2. the time band of startTime on the owner's wall clock (timebands.ts); the band
 *    must have a rate value → else `NO_RATE_VALUE_FOR_TIMEBAND`; MARKUP needs the
 *    record's cost → else `NO_COST_FOR_MARKUP`;
 * 3. q = quantity rounded up to quantityRoundingIncrement (rate, else card default, else 1);
 * 4. QUANTITY allowances absorb units, most specific plan first (allowances/drawdown.ts);
 * 5. the chargeable units are priced: VARIABLE → initialCharge for the first
 *    initialPeriod units (when the band has an initial charge), then value per
 *    started variableChargeUnitSize units; MARKUP → the chargeable share of the cost
 *    × (1 + value/100); then at least the band's minimum (or the card's
 *    defaultMinCharge), rounded once to the card's decimalPlaces (in pence, 0..4)
 *    with its priceRoundingStyle;
 * 6. VALUE allowances pay that price, most specific plan first; what they do not
 *    pay is the charge.
 * With the card's applyCrossTimeBandCharging, a VARIABLE-rated DURATION record is
 * cut where the band changes during the call: each started charging unit is priced
 * at the band it starts in, and allowances are drawn per band (a record crossing
 * more than MAX_BAND_SEGMENTS bands is UNRATED `TOO_MANY_TIMEBAND_CHANGES`).
 *
 * API
 * - `rateUsageRecord(record, inputs)` → `RatingResult` (status, reason, timeband,
 *   quantities, inclusiveValue, charge, parts, draws, exhausted).
 * - `rateEffectiveAt(rates, chargeGroupId, date)`, `recordLocalDate(startTime, timeZone)`.
 * - building blocks, exported for tests: `bandRate`, `markupPrice`, `finalCharge`,
 *   `isValidDecimalPlaces`.
 *
 * Rating a batch (the caller loads, this module decides, the caller writes once):
 *
 *   let buckets = await loadBuckets(assignmentIds);          // stored AllowanceBuckets
 *   for (const rec of records) {
 *     const date = recordLocalDate(rec.startTime, owner.timeZone);
 *     const card = cardFor(mostSpecific(cardAssignments, date));
 *     const rate = card && rateEffectiveAt(card.rates, rec.chargeGroupId, date);
 *     const result = rateUsageRecord(rec, { timeZone: owner.timeZone, card, rate,
 *       timeBands: compiledPlanFor(card, date), planAssignments, buckets });
 *     buckets = applyDraws(buckets, result.draws);            // the next record sees them
 *     statements.push(insertRecord(result), ...upsertBuckets(result.draws),
 *       ...result.exhausted.map(exhaustedEvent));
 *   }
 *   await db.batch(statements);
 */
import { closeDrawdown, drawQuantity, drawValue, openDrawdown } from './allowances/drawdown';
import type { AllowanceBucket, BucketDraw, ChargingType, ExhaustedBalance, PlanAssignment } from './allowances/model';
import { wallClock, type IsoDate } from './dates';
import { type Micros, MINOR_UNIT_PLACES, roundMicros, type RoundingStyle } from './money';
import { ceilDiv, fromQuantityUnits, roundDownToIncrement, roundUpToIncrement, toQuantityUnits } from './quantity';
import { DEFAULT_TIME_BANDS, splitByTimeband, timebandOfClock, type CompiledTimeBands, type Timeband } from './timebands';

export const USAGE_RATE_TYPES = ['VARIABLE', 'MARKUP'] as const;
export type UsageRateType = (typeof USAGE_RATE_TYPES)[number];

/** decimalPlaces is the precision of a computed price in pence; 4 places of a penny is one micro. */
export const MAX_DECIMAL_PLACES = 6 - MINOR_UNIT_PLACES;

export function isValidDecimalPlaces(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= MAX_DECIMAL_PLACES;
}

export interface UsageRateCard {
  id: number;
  /** 0..4 places of a penny */
  decimalPlaces: number;
  priceRoundingStyle: RoundingStyle;
  /** micros */
  defaultMinCharge: Micros;
  applyCrossTimeBandCharging: boolean;
  defaultQuantityRoundingIncrement: number | null;
  defaultVariableChargeUnitSize: number | null;
}

/**
 * A usage rate as stored: initial charges and minimums in micros, values in micros
 * (VARIABLE) or percent × 10,000 (MARKUP), periods and sizes in the product's unit.
 */
export interface UsageRate {
  id: number;
  chargeGroupId: number;
  usageRateType: UsageRateType;
  peakInitialCharge: Micros | null;
  peakInitialPeriod: number | null;
  peakValue: number | null;
  peakMinimum: Micros | null;
  offPeakInitialCharge: Micros | null;
  offPeakInitialPeriod: number | null;
  offPeakValue: number | null;
  offPeakMinimum: Micros | null;
  weekendInitialCharge: Micros | null;
  weekendInitialPeriod: number | null;
  weekendValue: number | null;
  weekendMinimum: Micros | null;
  quantityRoundingIncrement: number | null;
  variableChargeUnitSize: number | null;
  startDate: IsoDate | null;
  endDate: IsoDate | null;
}

/** One band's prices of a rate. */
export interface BandRate {
  initialCharge: Micros | null;
  initialPeriod: number | null;
  value: number | null;
  minimum: Micros | null;
}

export function bandRate(rate: UsageRate, band: Timeband): BandRate {
  switch (band) {
    case 'PEAK':
      return { initialCharge: rate.peakInitialCharge, initialPeriod: rate.peakInitialPeriod, value: rate.peakValue, minimum: rate.peakMinimum };
    case 'OFFPEAK':
      return {
        initialCharge: rate.offPeakInitialCharge,
        initialPeriod: rate.offPeakInitialPeriod,
        value: rate.offPeakValue,
        minimum: rate.offPeakMinimum,
      };
    case 'WEEKEND':
      return {
        initialCharge: rate.weekendInitialCharge,
        initialPeriod: rate.weekendInitialPeriod,
        value: rate.weekendValue,
        minimum: rate.weekendMinimum,
      };
  }
}

/** The record's date on the owner's wall clock: use it to resolve the card, the rate and the plans. */
export function recordLocalDate(startTime: number, timeZone: string): IsoDate {
  return wallClock(startTime, timeZone).date;
}

/**
 * The rate for a charge group effective on `date` (null dates are open); when
 * several are, the latest start wins, then the highest id.
 */
export function rateEffectiveAt<T extends Pick<UsageRate, 'id' | 'chargeGroupId' | 'startDate' | 'endDate'>>(
  rates: readonly T[],
  chargeGroupId: number,
  date: IsoDate,
): T | null {
  let best: T | null = null;
  for (const r of rates) {
    if (r.chargeGroupId !== chargeGroupId) continue;
    if ((r.startDate !== null && r.startDate > date) || (r.endDate !== null && date > r.endDate)) continue;
    const start = r.startDate ?? '';
    const bestStart = best?.startDate ?? '';
    if (best === null || start > bestStart || (start === bestStart && r.id > best.id)) best = r;
  }
  return best;
}

// ── arithmetic building blocks ──────────────────────────────────────────────

/** An exact fraction of micros. */
export interface Fraction {
  num: bigint;
  den: bigint;
}

const PERCENT_SCALE = 1_000_000n; // 100 % × 10,000

/** cost × share × (1 + markup/100), exact; markup is percent × 10,000. */
export function markupPrice(cost: Micros, markup: number, share: Fraction = { num: 1n, den: 1n }): Fraction {
  return { num: BigInt(cost) * (PERCENT_SCALE + BigInt(markup)) * share.num, den: PERCENT_SCALE * share.den };
}

/**
 * The charge: at least `minimum`, rounded once with the card's style to its
 * decimalPlaces (places of a penny: 2 → 0.01p = 100 micros).
 */
export function finalCharge(raw: Fraction, minimum: Micros, card: Pick<UsageRateCard, 'decimalPlaces' | 'priceRoundingStyle'>): Micros {
  if (!isValidDecimalPlaces(card.decimalPlaces)) throw new RangeError(`decimalPlaces must be 0..${MAX_DECIMAL_PLACES}`);
  const min = BigInt(minimum);
  const value = raw.num < min * raw.den ? { num: min, den: 1n } : raw;
  return Number(roundMicros(value.num, value.den, MINOR_UNIT_PLACES + card.decimalPlaces, card.priceRoundingStyle));
}

// ── one record ──────────────────────────────────────────────────────────────

export interface UsageRecordToRate {
  /** epoch milliseconds */
  startTime: number;
  /** in the usage product's unit, ≥ 0, ≤ 6 decimal places */
  quantity: number;
  /** buy cost in micros (needed by MARKUP rates) */
  cost: Micros | null;
  chargeGroupId: number;
  chargeGroupCategoryId: number | null;
  /** the charge group category's charging unit type */
  chargingType: ChargingType;
}

export interface RatingInputs {
  /** the contract owner's IANA time zone */
  timeZone: string;
  /** the usage rate card effective for the UPI on the record's local date, or null */
  card: UsageRateCard | null;
  /** the card's rate for the charge group effective on the record's local date, or null */
  rate: UsageRate | null;
  /** the card's time band plan on that date, compiled; null = the owner default */
  timeBands: CompiledTimeBands | null;
  /** inclusive-usage-plan assignments reaching the UPI (any; effectiveness is checked here) */
  planAssignments: readonly PlanAssignment[];
  /** stored buckets of those assignments */
  buckets: readonly AllowanceBucket[];
}

export const USAGE_RECORD_STATUSES = ['RATED', 'UNRATED'] as const;

export const UNRATED_REASONS = [
  'NO_USAGE_RATE_CARD',
  'NO_USAGE_RATE_FOR_CHARGE_GROUP',
  'NO_RATE_VALUE_FOR_TIMEBAND',
  'NO_COST_FOR_MARKUP',
  'TOO_MANY_TIMEBAND_CHANGES',
] as const;
export type UnratedReason = (typeof UNRATED_REASONS)[number];

/** What one band segment of the record contributed (one part unless split across bands). */
export interface RatingPart {
  timeband: Timeband;
  quantity: number;
  inclusiveQuantity: number;
  chargeableQuantity: number;
  /** micros paid by VALUE allowances */
  inclusiveValue: Micros;
  /** micros */
  charge: Micros;
}

export interface RatingResult {
  status: 'RATED' | 'UNRATED';
  reason: UnratedReason | null;
  usageRateCardId: number | null;
  usageRateId: number | null;
  /** band of startTime */
  timeband: Timeband;
  /** rounded quantity when RATED; the quantity as received when UNRATED */
  quantity: number;
  /** quantity − inclusiveQuantity; null when UNRATED */
  chargeableQuantity: number | null;
  /** units paid by allowances (QUANTITY, and the units VALUE allowances paid for); null when UNRATED */
  inclusiveQuantity: number | null;
  /** micros paid by VALUE allowances; null when UNRATED */
  inclusiveValue: Micros | null;
  /** micros; null when UNRATED */
  charge: Micros | null;
  parts: RatingPart[];
  /** persist these with the record, atomically */
  draws: BucketDraw[];
  /** emit `inclusive_usage_balance.exhausted` for each */
  exhausted: ExhaustedBalance[];
}

/** A record split across more band changes than this is refused (no real call does). */
export const MAX_BAND_SEGMENTS = 1000;

interface WorkingPart {
  timeband: Timeband;
  rate: BandRate;
  units: bigint;
  inclusive: bigint;
  chargeable: bigint;
  price: bigint;
  paidByValue: bigint;
  coveredByValue: bigint;
}

function unitsOrDefault(...candidates: (number | null)[]): bigint {
  for (const c of candidates) if (c !== null) return toQuantityUnits(c);
  return toQuantityUnits(1);
}

/** No price: nothing charged, nothing drawn; the quantity as received. (A function, not a closure: this runs per record.) */
function unratedResult(reason: UnratedReason, inputs: RatingInputs, timeband: Timeband, quantity: number): RatingResult {
  return {
    status: 'UNRATED',
    reason,
    usageRateCardId: inputs.card?.id ?? null,
    usageRateId: inputs.card === null ? null : (inputs.rate?.id ?? null),
    timeband,
    quantity,
    chargeableQuantity: null,
    inclusiveQuantity: null,
    inclusiveValue: null,
    charge: null,
    parts: [],
    draws: [],
    exhausted: [],
  };
}

/**
 * Rates one record end to end. Pure: returns the draws instead of applying them.
 * Throws RangeError only for inputs the API layer must have refused (a quantity with
 * more than 6 decimal places, decimalPlaces outside 0..4, a unit size of 0).
 */
export function rateUsageRecord(record: UsageRecordToRate, inputs: RatingInputs): RatingResult {
  const { card, rate } = inputs;
  const plan = inputs.timeBands ?? DEFAULT_TIME_BANDS;
  const clock = wallClock(record.startTime, inputs.timeZone);
  const date = clock.date;
  const timeband = timebandOfClock(clock, plan);
  const rawUnits = toQuantityUnits(record.quantity);

  if (card === null) return unratedResult('NO_USAGE_RATE_CARD', inputs, timeband, record.quantity);
  if (!isValidDecimalPlaces(card.decimalPlaces)) throw new RangeError(`decimalPlaces must be 0..${MAX_DECIMAL_PLACES}`);
  if (rate === null) return unratedResult('NO_USAGE_RATE_FOR_CHARGE_GROUP', inputs, timeband, record.quantity);
  const startRate = bandRate(rate, timeband);
  if (startRate.value === null) return unratedResult('NO_RATE_VALUE_FOR_TIMEBAND', inputs, timeband, record.quantity);
  const markup = rate.usageRateType === 'MARKUP';
  if (markup && record.cost === null) return unratedResult('NO_COST_FOR_MARKUP', inputs, timeband, record.quantity);

  const increment = unitsOrDefault(rate.quantityRoundingIncrement, card.defaultQuantityRoundingIncrement);
  const unitSize = unitsOrDefault(rate.variableChargeUnitSize, card.defaultVariableChargeUnitSize);
  if (unitSize <= 0n) throw new RangeError('variableChargeUnitSize must be positive');
  const q = roundUpToIncrement(rawUnits, increment);

  // Band segments of the record, in time order.
  let segments: { timeband: Timeband; units: bigint }[] = [{ timeband, units: q }];
  if (card.applyCrossTimeBandCharging && !markup && record.chargingType === 'DURATION' && q > 0n) {
    const start = record.startTime;
    const cut = splitByTimeband(start, start + Number(ceilDiv(q, 1000n)), inputs.timeZone, plan, MAX_BAND_SEGMENTS + 1);
    if (cut.length > MAX_BAND_SEGMENTS) return unratedResult('TOO_MANY_TIMEBAND_CHANGES', inputs, timeband, record.quantity);
    const toUnits = (ms: number) => {
      const units = BigInt(ms - start) * 1000n;
      return units < q ? units : q;
    };
    segments = cut.map((s) => ({ timeband: s.timeband, units: toUnits(s.endMs) - toUnits(s.startMs) })).filter((s) => s.units > 0n);
  }
  const parts: WorkingPart[] = [];
  for (const s of segments) {
    const r = s.timeband === timeband ? startRate : bandRate(rate, s.timeband);
    if (r.value === null) return unratedResult('NO_RATE_VALUE_FOR_TIMEBAND', inputs, timeband, record.quantity);
    parts.push({ timeband: s.timeband, rate: r, units: s.units, inclusive: 0n, chargeable: 0n, price: 0n, paidByValue: 0n, coveredByValue: 0n });
  }

  // Step 4: QUANTITY allowances absorb units.
  const drawdown = openDrawdown(inputs.planAssignments, inputs.buckets, {
    date,
    chargeGroupId: record.chargeGroupId,
    chargeGroupCategoryId: record.chargeGroupCategoryId,
    chargingType: record.chargingType,
    rawQuantity: rawUnits,
  });
  let chargeableTotal = 0n;
  for (const part of parts) {
    part.inclusive = drawQuantity(drawdown, part.timeband, part.units);
    part.chargeable = part.units - part.inclusive;
    chargeableTotal += part.chargeable;
  }

  // Step 5: price the chargeable units.
  const minimum = startRate.minimum ?? card.defaultMinCharge;
  if (markup) {
    const cost = record.cost ?? 0;
    const chargeable = chargeableTotal > 0n || (q === 0n && cost > 0);
    const share = q === 0n ? { num: 1n, den: 1n } : { num: chargeableTotal, den: q };
    const only = parts[0]!;
    only.price = chargeable ? BigInt(finalCharge(markupPrice(cost, startRate.value, share), minimum, card)) : 0n;
  } else if (chargeableTotal > 0n) {
    const raw = priceAcrossParts(parts, unitSize);
    const total = raw.reduce((sum, p) => sum + p, 0n);
    const charge = BigInt(finalCharge({ num: total, den: 1n }, minimum, card));
    attribute(parts, raw, charge - total);
  }

  // Step 6: VALUE allowances pay the price, part by part.
  for (const part of parts) {
    if (part.price <= 0n) continue;
    part.paidByValue = drawValue(drawdown, part.timeband, part.price);
    part.coveredByValue =
      part.paidByValue === part.price
        ? part.chargeable
        : roundDownToIncrement((part.chargeable * part.paidByValue) / part.price, increment);
  }

  const { draws, exhausted } = closeDrawdown(drawdown);
  let inclusiveQuantity = 0n;
  let inclusiveValue = 0n;
  let charge = 0n;
  const resultParts: RatingPart[] = parts.map((p) => {
    const inclusive = p.inclusive + p.coveredByValue;
    inclusiveQuantity += inclusive;
    inclusiveValue += p.paidByValue;
    charge += p.price - p.paidByValue;
    return {
      timeband: p.timeband,
      quantity: fromQuantityUnits(p.units),
      inclusiveQuantity: fromQuantityUnits(inclusive),
      chargeableQuantity: fromQuantityUnits(p.units - inclusive),
      inclusiveValue: Number(p.paidByValue),
      charge: Number(p.price - p.paidByValue),
    };
  });
  return {
    status: 'RATED',
    reason: null,
    usageRateCardId: card.id,
    usageRateId: rate.id,
    timeband,
    quantity: fromQuantityUnits(q),
    chargeableQuantity: fromQuantityUnits(q - inclusiveQuantity),
    inclusiveQuantity: fromQuantityUnits(inclusiveQuantity),
    inclusiveValue: Number(inclusiveValue),
    charge: Number(charge),
    parts: resultParts,
    draws,
    exhausted,
  };
}

/**
 * Raw VARIABLE price per part. The chargeable units of all parts are laid end to
 * end in time order; the initial charge of the first chargeable part's band covers
 * the first initialPeriod units, and each started unit after that is priced at the
 * band of the part it starts in. With one part: the initial charge, then `value` per
 * started unit after initialPeriod.
 */
function priceAcrossParts(parts: readonly WorkingPart[], unitSize: bigint): bigint[] {
  const raw = parts.map(() => 0n);
  const first = parts.findIndex((p) => p.chargeable > 0n);
  const total = parts.reduce((sum, p) => sum + p.chargeable, 0n);
  const opening = parts[first]!.rate;
  let initial = 0n;
  if (opening.initialCharge !== null) {
    raw[first]! += BigInt(opening.initialCharge);
    initial = toQuantityUnits(opening.initialPeriod ?? 0);
  }
  if (total <= initial) return raw;
  // Units start at offsets initial + k·unitSize (k ≥ 0) below `total`.
  let offset = 0n;
  parts.forEach((part, i) => {
    const from = offset > initial ? offset : initial;
    const to = offset + part.chargeable;
    offset = to;
    if (to <= from) return;
    const started = ceilDiv(to - initial, unitSize) - ceilDiv(from - initial, unitSize);
    raw[i]! += started * BigInt(part.rate.value ?? 0);
  });
  return raw;
}

/**
 * Shares the minimum-charge and rounding adjustment among the parts so their prices
 * add up to the charge: an increase goes to the first chargeable part, a decrease
 * is taken from the last parts first, never below zero.
 */
function attribute(parts: WorkingPart[], raw: readonly bigint[], adjustment: bigint): void {
  parts.forEach((p, i) => (p.price = raw[i]!));
  if (adjustment >= 0n) {
    parts.find((p) => p.chargeable > 0n)!.price += adjustment;
    return;
  }
  let left = -adjustment;
  for (let i = parts.length - 1; i >= 0 && left > 0n; i--) {
    const part = parts[i]!;
    const cut = part.price < left ? part.price : left;
    part.price -= cut;
    left -= cut;
  }
}
