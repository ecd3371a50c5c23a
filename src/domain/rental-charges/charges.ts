/**
 * Rental charges (v2-pricing.md §Rental charges) as plain functions: no HTTP, no
 * database. The caller loads the rows; these functions only compute.
 *
 * API
 * - `rentalCharges(rpi, pricing, { from, to })` → `RentalChargeLine[]`: one line per
 *   charging period of the RPI whose charged days overlap [from, to] (plus the
 *   ONEOFF line when the RPI start lies in the range), ordered by period;
 *   `rentalChargeLines` yields the same lines one at a time.
 * - `remainingRental(rpi, pricing, { calculationDate, endDate })` → `{ amount, lines }`:
 *   what the RPI would still be charged from calculationDate + 1 to endDate (the
 *   contract's end) at its current price; used by early termination charges (etc.ts).
 * - The anchored period arithmetic is in periods.ts, the inputs and the line in
 *   model.ts, the card, rate and discount rules in price-resolution.ts, the
 *   recurring schedule in schedule.ts.
 *
 * Rules and the decisions taken where the spec is silent:
 * - ONEOFF rates are charged once: the ONEOFF rate on the card in force on the RPI
 *   start, dated [start, start] (the first day of the period holding the RPI start),
 *   never prorated. It appears in ranges containing the RPI start, so ranges that
 *   tile time report it exactly once.
 * - Proration: a period cut by the RPI end (or by a price starting mid-period) is
 *   charged gross = round_MATHEMATICAL(unitPrice × quantity × daysCharged /
 *   daysInPeriod) in whole micros, once per line. The range [from, to] only selects
 *   periods; it never cuts them (remainingRental is the one exception, see there).
 * - `rentalRateType` (ADVANCE/ARREARS) and `periodsInAdvance` are billing timing
 *   (when an invoice carries the charge), so they do not change these amounts.
 * - Price adaptation (price-adaptation.ts): `pricing.priceSteps` are the steps
 *   applied to the contract the RPI is actively assigned to (and its renewal
 *   chain). A RENTAL period's unitPrice is the rate's price × the factor of the
 *   steps effective on or before the period start, rounded once as adaptPrice
 *   says; ONEOFF charges are not adapted. Proration and discount then apply to
 *   the adapted price.
 */
import { addDays, daysInclusive, type IsoDate, maxDate, minDate } from '../dates';
import { divRound, type Micros } from '../money';
import { adaptPrice, type Factor, factorOn, UNIT_FACTOR } from '../price-adaptation';
import { type DateRange, DISCOUNT_SCALE, type RentalChargeLine, type RentalPricing, type RentalProductInventory } from './model';
import { type ChargingPeriod, chargingPeriodAt } from './periods';
import { type ResolvedDiscount, type ResolvedPrice, RpiPricing } from './price-resolution';
import { recurringSchedule } from './schedule';

function safeMicros(value: bigint): Micros {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError('amount is too large to be represented exactly');
  return n;
}

function chargeLine(
  rpi: RentalProductInventory,
  price: ResolvedPrice,
  discount: ResolvedDiscount | null,
  period: ChargingPeriod,
  chargedFrom: IsoDate,
  chargedTo: IsoDate,
  factor: Factor = UNIT_FACTOR,
): RentalChargeLine {
  const daysInPeriod = daysInclusive(period.start, period.end);
  const daysCharged = daysInclusive(chargedFrom, chargedTo);
  const unitPrice = adaptPrice(price.rate.price, factor);
  const gross = divRound(BigInt(unitPrice) * BigInt(rpi.quantity) * BigInt(daysCharged), BigInt(daysInPeriod), 'MATHEMATICAL');
  const discountAmount = discount ? divRound(gross * discount.scaled, DISCOUNT_SCALE, 'MATHEMATICAL') : 0n;
  return {
    rentalProductInventoryId: rpi.id,
    rentalProductId: rpi.rentalProductId,
    rentalRatePriceType: price.rate.rentalRatePriceType,
    rentalRateFrequency: price.rate.rentalRateFrequency,
    periodStart: period.start,
    periodEnd: period.end,
    chargedFrom,
    chargedTo,
    daysCharged,
    daysInPeriod,
    quantity: rpi.quantity,
    unitPrice,
    baseUnitPrice: price.rate.price,
    priceAdaptationFactor: factor,
    grossAmount: safeMicros(gross),
    rentalRateCardAssignmentId: price.rentalRateCardAssignmentId,
    rentalRateCardId: price.rentalRateCardId,
    rentalRateId: price.rate.id,
    rentalDiscountPlanAssignmentId: discount?.rentalDiscountPlanAssignmentId ?? null,
    rentalDiscountPlanId: discount?.rentalDiscountPlanId ?? null,
    discountPercentage: discount?.discountPercentage ?? null,
    discountAmount: safeMicros(discountAmount),
    netAmount: safeMicros(gross - discountAmount),
  };
}

function hasLife(rpi: RentalProductInventory): boolean {
  return rpi.endDate === null || rpi.endDate >= rpi.startDate;
}

/**
 * The RPI's charges for every charging period whose charged days overlap
 * [from, to]: the ONEOFF line (if the RPI start is in the range) first, then the
 * RENTAL periods in order. Each period is charged whole, or prorated where the RPI
 * end (or a price starting mid-period) cuts it; the range itself never cuts.
 */
export function rentalCharges(rpi: RentalProductInventory, pricing: RentalPricing, range: DateRange): RentalChargeLine[] {
  return [...rentalChargeLines(rpi, pricing, range)];
}

/**
 * The lines of rentalCharges one at a time, each computed when it is asked for (a
 * caller that needs the first few of a long daily schedule computes only those).
 * Their order is total: by periodStart, the ONEOFF line before the RENTAL period
 * starting the same day (RENTAL periods never share a start). A line does not
 * depend on `from`: the lines of a range starting on a line's periodStart are
 * that line and those after it, the same as in any range starting earlier.
 */
export function* rentalChargeLines(rpi: RentalProductInventory, pricing: RentalPricing, range: DateRange): Generator<RentalChargeLine> {
  if (range.from > range.to || !hasLife(rpi)) return;
  const resolved = new RpiPricing(rpi, pricing);

  if (range.from <= rpi.startDate && rpi.startDate <= range.to) {
    const oneOff = resolved.priceAt(rpi.startDate, 'ONEOFF');
    const day = { start: rpi.startDate, end: rpi.startDate };
    if (oneOff) yield chargeLine(rpi, oneOff, resolved.discountAt(rpi.startDate), day, day.start, day.end);
  }
  for (const p of recurringSchedule(rpi, resolved, range.from, range.to)) {
    const factor = factorOn(pricing.priceSteps ?? [], p.period.start);
    yield chargeLine(rpi, p.price, resolved.discountAt(p.period.start), p.period, p.chargedFrom, p.chargedTo, factor);
  }
}

export interface RemainingRentalInput {
  /** D: the day the RPI's contract would end early; charges run from D + 1 */
  calculationDate: IsoDate;
  /** the contract's (term) end date: the last day that would still have been charged */
  endDate: IsoDate;
}

export interface RemainingRental {
  /** sum of the lines' netAmount */
  amount: Micros;
  lines: RentalChargeLine[];
}

/**
 * What the RPI would still be charged from D + 1 to the contract end (cut to the
 * RPI's own life) at its current price: the RENTAL price of the period in force on
 * D (on the RPI start if it starts later). That price is held for all remaining
 * periods: rate changes after that period, and price changes mid-period, are
 * ignored (the spec asks for the current price). No current price → 0. ONEOFF
 * charges are not rental and are left out.
 *
 * Periods keep the RPI's anchored schedule and are prorated by the days inside
 * [D + 1, end] at BOTH ends, so an early termination is charged day-accurately
 * (terminating mid-month charges the rest of that month only). Discounts apply per
 * period as for charges (judged on each period's anchored start), so a discount
 * that would have expired is not extended.
 */
export function remainingRental(rpi: RentalProductInventory, pricing: RentalPricing, input: RemainingRentalInput): RemainingRental {
  const first = maxDate(addDays(input.calculationDate, 1), rpi.startDate);
  const last = rpi.endDate === null ? input.endDate : minDate(input.endDate, rpi.endDate);
  if (first > last || !hasLife(rpi)) return { amount: 0, lines: [] };

  const resolved = new RpiPricing(rpi, pricing);
  const priceDay = maxDate(input.calculationDate, rpi.startDate);
  const current = recurringSchedule(rpi, resolved, priceDay, priceDay).next();
  if (current.done) return { amount: 0, lines: [] };
  const { anchor, frequency, price } = current.value;
  // the current price is adapted as the period in force on D is, and held
  const factor = factorOn(pricing.priceSteps ?? [], current.value.period.start);

  const lines: RentalChargeLine[] = [];
  for (let index = current.value.index; ; index += 1) {
    const period = chargingPeriodAt(anchor, frequency, index);
    if (period.start > last) break;
    const chargedFrom = maxDate(period.start, first);
    const chargedTo = minDate(period.end, last);
    if (chargedFrom <= chargedTo) lines.push(chargeLine(rpi, price, resolved.discountAt(period.start), period, chargedFrom, chargedTo, factor));
    if (period.end >= last) break;
  }
  return { amount: safeMicros(lines.reduce((sum, l) => sum + BigInt(l.netAmount), 0n)), lines };
}
