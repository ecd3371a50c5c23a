/**
 * Rental charges (v2-pricing.md §Rental charges) as plain functions: no HTTP, no
 * database. The caller loads the rows; these functions only compute.
 *
 * API
 * - `rentalCharges(rpi, pricing, { from, to })` → `RentalChargeLine[]`: one line per
 *   charging period of the RPI whose charged days overlap [from, to] (plus the
 *   ONEOFF line when the RPI start lies in the range), ordered by period.
 * - `remainingRental(rpi, pricing, { calculationDate, endDate })` → `{ amount, lines }`:
 *   what the RPI would still be charged from calculationDate + 1 to endDate (the
 *   contract's end) at its current price; used by early termination charges (etc.ts).
 * - `periodStartAt`, `chargingPeriodAt`, `periodIndexContaining`: the anchored
 *   period arithmetic, also used for inclusive usage plan periods (allowances.ts).
 *
 * Inputs: `pricing.rateCardAssignments` and `pricing.discountPlanAssignments` are
 * every assignment (any dates) that targets this RPI, its site or its customer;
 * `pricing.rateCards` holds the assigned cards AND the templates they are based on;
 * `pricing.discountPlans` the assigned plans with their rules. Prices are integer
 * micros per unit per period; discount percentages are wire numbers (0..100).
 *
 * Rules and the decisions taken where the spec is silent:
 * - Card: among the rate card assignments effective on the day (precedence of
 *   assignments.ts, INVENTORY > SITE > CUSTOMER), only cards of the product's
 *   category count (a card of another category is ignored, so a less specific card
 *   of the right category wins); BUY cards never price customer charges.
 * - Rate: on that card the product's rate effective on the day (latest startDate,
 *   then highest id). Only when the card has NO rate for the product effective that
 *   day (of either price type) does a SELL card fall back to its `basedOnTemplateId`
 *   template. The line's `rentalRateCardId` is the card that holds the rate (the
 *   template after a fallback); `rentalRateCardAssignmentId` says which assignment.
 *   A RENTAL rate without a frequency cannot be created and is ignored here.
 * - No price → no line (not a null-price line): a day without a price is not charged.
 * - RENTAL periods are anchored on the RPI start (period k = [start + k·n months,
 *   start + (k+1)·n months − 1 day], months clamped, never drifting; weeks of 7
 *   days; single days). The card and rate in force at the PERIOD START price the
 *   whole period, so a change mid-period applies from the next period.
 * - If the RPI has no price on some day and one begins mid-period (a card assigned
 *   after the RPI started, a gap between rates), that period is charged from the
 *   first priced day, prorated; the schedule stays anchored on the RPI start. If the
 *   frequency itself changes, a new schedule is anchored on the first day of the new
 *   frequency (the only way to tile days that belong to differently sized periods).
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
 * - Discount: among the discount plan assignments effective on the period start,
 *   whose window [assignment start, start + durationInMonths) holds the period
 *   start, and whose plan has a rule for the product (a product rule, else a rule
 *   for its category), the most specific wins; a product rule beats a category
 *   rule. ONEOFF lines are discounted by the same rule (judged on the RPI start).
 *   discountPercentage has at most 2 decimal places; discountAmount =
 *   round_MATHEMATICAL(gross × percentage / 100) in micros; net = gross − discount.
 */
import { type DatedAssignment, isEffective, mostSpecific } from './assignments';
import { addDays, addMonths, daysBetween, daysInclusive, type IsoDate, MAX_DATE, maxDate, minDate, monthsFromAnchor } from './dates';
import { divRound, type Micros, toScaled } from './money';

export const RENTAL_RATE_FREQUENCIES = ['DAILY', 'WEEKLY', 'MONTHLY', 'QUARTERLY', 'SIXMONTHS', 'YEARLY', 'TWENTYFOURMONTHS'] as const;
export type RentalRateFrequency = (typeof RENTAL_RATE_FREQUENCIES)[number];
export const RENTAL_RATE_PRICE_TYPES = ['RENTAL', 'ONEOFF'] as const;
export type RentalRatePriceType = (typeof RENTAL_RATE_PRICE_TYPES)[number];
/** Billing timing only: never changes an amount. */
export const RENTAL_RATE_TYPES = ['ADVANCE', 'ARREARS'] as const;
export type RentalRateType = (typeof RENTAL_RATE_TYPES)[number];
/** Billing timing only: never changes an amount. */
export const PERIODS_IN_ADVANCE = ['STANDARD', 'ADVANCEDPLUSONEMONTH'] as const;
export type PeriodsInAdvance = (typeof PERIODS_IN_ADVANCE)[number];
export const RENTAL_RATE_CARD_TYPES = ['SELL', 'TEMPLATE', 'BUY'] as const;
export type RentalRateCardType = (typeof RENTAL_RATE_CARD_TYPES)[number];

/** Discount percentages carry at most this many decimal places (validate on create). */
export const DISCOUNT_PERCENTAGE_PLACES = 2;
const DISCOUNT_SCALE = 10n ** BigInt(DISCOUNT_PERCENTAGE_PLACES + 2); // 100 % in hundredths of a percent

export interface RentalProductInventory {
  id: number;
  rentalProductId: number;
  /** the product's category (rental_products.rental_product_category_id) */
  rentalProductCategoryId: number;
  quantity: number;
  startDate: IsoDate;
  endDate: IsoDate | null;
}

export interface RentalRate {
  id: number;
  rentalProductId: number;
  /** micros per unit per period (per charge for ONEOFF) */
  price: Micros;
  rentalRatePriceType: RentalRatePriceType;
  /** required for RENTAL */
  rentalRateFrequency: RentalRateFrequency | null;
  startDate: IsoDate;
  endDate: IsoDate | null;
}

export interface RentalRateCard {
  id: number;
  rentalRateCardType: RentalRateCardType;
  rentalProductCategoryId: number;
  basedOnTemplateId: number | null;
  rentalRates: readonly RentalRate[];
}

export interface RentalRateCardAssignment extends DatedAssignment {
  rentalRateCardId: number;
}

export interface RentalDiscountPlanRule {
  id: number;
  productCategoryId: number;
  rentalProductId: number | null;
  /** 0..100, at most 2 decimal places */
  discountPercentage: number;
}

export interface RentalDiscountPlan {
  id: number;
  durationInMonths: number;
  rules: readonly RentalDiscountPlanRule[];
}

export interface RentalDiscountPlanAssignment extends DatedAssignment {
  rentalDiscountPlanId: number;
}

export interface RentalPricing {
  rateCardAssignments: readonly RentalRateCardAssignment[];
  /** the assigned cards and the templates they are based on */
  rateCards: readonly RentalRateCard[];
  discountPlanAssignments: readonly RentalDiscountPlanAssignment[];
  discountPlans: readonly RentalDiscountPlan[];
}

export interface DateRange {
  from: IsoDate;
  to: IsoDate;
}

export interface RentalChargeLine {
  rentalProductInventoryId: number;
  rentalProductId: number;
  rentalRatePriceType: RentalRatePriceType;
  rentalRateFrequency: RentalRateFrequency | null;
  /** the anchored charging period (for ONEOFF: the RPI start day) */
  periodStart: IsoDate;
  periodEnd: IsoDate;
  /** the days of the period actually charged (cut by the RPI end, a price start, or the remaining-rental range) */
  chargedFrom: IsoDate;
  chargedTo: IsoDate;
  daysCharged: number;
  daysInPeriod: number;
  quantity: number;
  unitPrice: Micros;
  grossAmount: Micros;
  rentalRateCardAssignmentId: number;
  rentalRateCardId: number;
  rentalRateId: number;
  rentalDiscountPlanAssignmentId: number | null;
  rentalDiscountPlanId: number | null;
  discountPercentage: number | null;
  discountAmount: Micros;
  netAmount: Micros;
}

// ---------------------------------------------------------------------------
// Anchored periods

const PERIOD_LENGTH: Record<RentalRateFrequency, { unit: 'days' | 'months'; count: number }> = {
  DAILY: { unit: 'days', count: 1 },
  WEEKLY: { unit: 'days', count: 7 },
  MONTHLY: { unit: 'months', count: 1 },
  QUARTERLY: { unit: 'months', count: 3 },
  SIXMONTHS: { unit: 'months', count: 6 },
  YEARLY: { unit: 'months', count: 12 },
  TWENTYFOURMONTHS: { unit: 'months', count: 24 },
};

export interface ChargingPeriod {
  start: IsoDate;
  end: IsoDate;
}

/** Start of period `index` (0 = the anchor's period), always measured from the anchor so it never drifts. */
export function periodStartAt(anchor: IsoDate, frequency: RentalRateFrequency, index: number): IsoDate {
  const { unit, count } = PERIOD_LENGTH[frequency];
  return unit === 'months' ? addMonths(anchor, index * count) : addDays(anchor, index * count);
}

/** Period `index`: from its start to the day before the next one starts (open to 9999-12-31 at the calendar's end). */
export function chargingPeriodAt(anchor: IsoDate, frequency: RentalRateFrequency, index: number): ChargingPeriod {
  const start = periodStartAt(anchor, frequency, index);
  const next = periodStartAt(anchor, frequency, index + 1);
  return { start, end: next > start ? addDays(next, -1) : MAX_DATE };
}

/** Index of the period holding `date` (on or after the anchor). */
export function periodIndexContaining(anchor: IsoDate, frequency: RentalRateFrequency, date: IsoDate): number {
  if (date < anchor) throw new RangeError(`${date} is before the schedule's anchor ${anchor}`);
  const { unit, count } = PERIOD_LENGTH[frequency];
  if (unit === 'days') return Math.floor(daysBetween(anchor, date) / count);
  let index = Math.floor(monthsFromAnchor(anchor, date) / count);
  // only at 9999-12-31, where addMonths clamps, can the date lie past that period
  while (chargingPeriodAt(anchor, frequency, index).end < date) index += 1;
  return index;
}

// ---------------------------------------------------------------------------
// Price and discount resolution for one RPI

interface ResolvedPrice {
  rentalRateCardAssignmentId: number;
  rentalRateCardId: number;
  rate: RentalRate;
}

interface ResolvedDiscount {
  rentalDiscountPlanAssignmentId: number;
  rentalDiscountPlanId: number;
  discountPercentage: number;
  /** hundredths of a percent: 10000 = 100 % */
  scaled: bigint;
}

interface DiscountCandidate extends DatedAssignment {
  planId: number;
  windowEnd: IsoDate;
  rule: RentalDiscountPlanRule;
}

interface PricedDay {
  date: IsoDate;
  price: ResolvedPrice;
}

function latestFirst(a: { startDate: IsoDate; id: number }, b: { startDate: IsoDate; id: number }): number {
  return a.startDate < b.startDate ? 1 : a.startDate > b.startDate ? -1 : b.id - a.id;
}

function scaledPercentage(rule: RentalDiscountPlanRule): bigint {
  const scaled = toScaled(rule.discountPercentage, DISCOUNT_PERCENTAGE_PLACES);
  if (scaled < 0 || BigInt(scaled) > DISCOUNT_SCALE) throw new RangeError(`discountPercentage ${rule.discountPercentage} is outside 0..100`);
  return BigInt(scaled);
}

class RpiPricing {
  private readonly cards: Map<number, RentalRateCard>;
  private readonly assignments: RentalRateCardAssignment[];
  private readonly discounts: DiscountCandidate[];
  /** sorted days on which the resolved price may change */
  private readonly changes: IsoDate[];

  constructor(
    private readonly rpi: RentalProductInventory,
    pricing: RentalPricing,
  ) {
    this.cards = new Map(pricing.rateCards.map((c) => [c.id, c]));
    this.assignments = pricing.rateCardAssignments.filter((a) => {
      const card = this.cards.get(a.rentalRateCardId);
      return card !== undefined && card.rentalRateCardType !== 'BUY' && card.rentalProductCategoryId === rpi.rentalProductCategoryId;
    });

    const plans = new Map(pricing.discountPlans.map((p) => [p.id, p]));
    this.discounts = pricing.discountPlanAssignments.flatMap((a) => {
      const plan = plans.get(a.rentalDiscountPlanId);
      if (!plan) return [];
      const rule =
        plan.rules.find((r) => r.rentalProductId === rpi.rentalProductId) ??
        plan.rules.find((r) => r.rentalProductId === null && r.productCategoryId === rpi.rentalProductCategoryId);
      if (!rule) return [];
      return [{ id: a.id, assignmentLevel: a.assignmentLevel, startDate: a.startDate, endDate: a.endDate, planId: plan.id, windowEnd: addMonths(a.startDate, plan.durationInMonths), rule }];
    });

    const changes = new Set<IsoDate>();
    const addRange = (r: { startDate: IsoDate; endDate: IsoDate | null }) => {
      changes.add(r.startDate);
      if (r.endDate !== null) changes.add(addDays(r.endDate, 1));
    };
    this.assignments.forEach(addRange);
    for (const card of this.cards.values()) card.rentalRates.filter((r) => r.rentalProductId === rpi.rentalProductId).forEach(addRange);
    this.changes = [...changes].sort();
  }

  private ratesOn(card: RentalRateCard, date: IsoDate): RentalRate[] {
    return card.rentalRates.filter((r) => r.rentalProductId === this.rpi.rentalProductId && isEffective(r, date));
  }

  /** The card and rate of `priceType` in force on `date`, or null. */
  priceAt(date: IsoDate, priceType: RentalRatePriceType): ResolvedPrice | null {
    const assignment = mostSpecific(this.assignments, date);
    if (!assignment) return null;
    let holder = this.cards.get(assignment.rentalRateCardId)!;
    let rates = this.ratesOn(holder, date);
    if (rates.length === 0 && holder.rentalRateCardType === 'SELL' && holder.basedOnTemplateId !== null) {
      const template = this.cards.get(holder.basedOnTemplateId);
      if (template) {
        holder = template;
        rates = this.ratesOn(template, date);
      }
    }
    const rate = rates
      .filter((r) => r.rentalRatePriceType === priceType && (priceType === 'ONEOFF' || r.rentalRateFrequency !== null))
      .sort(latestFirst)[0];
    return rate ? { rentalRateCardAssignmentId: assignment.id, rentalRateCardId: holder.id, rate } : null;
  }

  /** The first day a price change may happen after `date`, or null. */
  nextChangeAfter(date: IsoDate): IsoDate | null {
    let lo = 0;
    let hi = this.changes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.changes[mid]! <= date) lo = mid + 1;
      else hi = mid;
    }
    return this.changes[lo] ?? null;
  }

  /** The first day in [from, to] with a recurring (RENTAL) price, and that price. */
  firstRecurringPrice(from: IsoDate, to: IsoDate): PricedDay | null {
    for (let day: IsoDate | null = from; day !== null && day <= to; day = this.nextChangeAfter(day)) {
      const price = this.priceAt(day, 'RENTAL');
      if (price) return { date: day, price };
    }
    return null;
  }

  discountAt(date: IsoDate): ResolvedDiscount | null {
    const winner = mostSpecific(
      this.discounts.filter((d) => date < d.windowEnd),
      date,
    );
    if (!winner) return null;
    return {
      rentalDiscountPlanAssignmentId: winner.id,
      rentalDiscountPlanId: winner.planId,
      discountPercentage: winner.rule.discountPercentage,
      scaled: scaledPercentage(winner.rule),
    };
  }
}

// ---------------------------------------------------------------------------
// The recurring schedule

interface Segment {
  anchor: IsoDate;
  frequency: RentalRateFrequency;
  index: number;
}

interface ScheduledPeriod extends Segment {
  period: ChargingPeriod;
  chargedFrom: IsoDate;
  chargedTo: IsoDate;
  price: ResolvedPrice;
}

/**
 * The RPI's priced RENTAL periods whose charged days overlap [from, to], walking
 * from the RPI start (the anchor) and skipping, without visiting each one, the
 * periods before `from` during which the price cannot change.
 */
function* recurringSchedule(rpi: RentalProductInventory, pricing: RpiPricing, from: IsoDate, to: IsoDate): Generator<ScheduledPeriod> {
  const last = rpi.endDate ?? MAX_DATE;
  const stop = minDate(to, last);
  let segment: Segment | null = null;
  let cursor = rpi.startDate; // first day not yet dealt with; inside the segment's current period

  while (cursor <= stop) {
    if (segment === null) {
      const first = pricing.firstRecurringPrice(cursor, stop);
      if (!first) return;
      const frequency = first.price.rate.rentalRateFrequency!;
      segment = { anchor: rpi.startDate, frequency, index: periodIndexContaining(rpi.startDate, frequency, first.date) };
      cursor = first.date;
    }
    const period = chargingPeriodAt(segment.anchor, segment.frequency, segment.index);

    // Before `from`, skip whole periods while the price cannot change (constant from the
    // cursor to the next change), unless a new frequency starts right at the cursor.
    const here = period.end < from ? pricing.priceAt(cursor, 'RENTAL') : null;
    if (period.end < from && (here === null || here.rate.rentalRateFrequency === segment.frequency)) {
      const target = minDate(from, pricing.nextChangeAfter(cursor) ?? MAX_DATE);
      const index = periodIndexContaining(segment.anchor, segment.frequency, target);
      if (index > segment.index) {
        segment.index = index;
        cursor = periodStartAt(segment.anchor, segment.frequency, index);
        continue;
      }
    }

    const priced = pricing.firstRecurringPrice(cursor, minDate(period.end, stop));
    if (!priced) {
      // nothing priced in this period: go straight to the period where the price may change next
      const change = pricing.nextChangeAfter(period.end);
      if (change === null || change > stop) return;
      segment.index = periodIndexContaining(segment.anchor, segment.frequency, change);
      cursor = periodStartAt(segment.anchor, segment.frequency, segment.index);
      continue;
    }
    const frequency = priced.price.rate.rentalRateFrequency!;
    if (frequency !== segment.frequency) {
      segment = { anchor: priced.date, frequency, index: 0 };
      cursor = priced.date;
      continue;
    }
    const chargedTo = minDate(period.end, last);
    if (chargedTo >= from) yield { ...segment, period, chargedFrom: priced.date, chargedTo, price: priced.price };
    if (period.end >= stop) return;
    segment.index += 1;
    cursor = addDays(period.end, 1);
  }
}

// ---------------------------------------------------------------------------
// Lines

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
): RentalChargeLine {
  const daysInPeriod = daysInclusive(period.start, period.end);
  const daysCharged = daysInclusive(chargedFrom, chargedTo);
  const gross = divRound(BigInt(price.rate.price) * BigInt(rpi.quantity) * BigInt(daysCharged), BigInt(daysInPeriod), 'MATHEMATICAL');
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
    unitPrice: price.rate.price,
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
  if (range.from > range.to || !hasLife(rpi)) return [];
  const resolved = new RpiPricing(rpi, pricing);
  const lines: RentalChargeLine[] = [];

  if (range.from <= rpi.startDate && rpi.startDate <= range.to) {
    const oneOff = resolved.priceAt(rpi.startDate, 'ONEOFF');
    const day = { start: rpi.startDate, end: rpi.startDate };
    if (oneOff) lines.push(chargeLine(rpi, oneOff, resolved.discountAt(rpi.startDate), day, day.start, day.end));
  }
  for (const p of recurringSchedule(rpi, resolved, range.from, range.to)) {
    lines.push(chargeLine(rpi, p.price, resolved.discountAt(p.period.start), p.period, p.chargedFrom, p.chargedTo));
  }
  return lines;
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

  const lines: RentalChargeLine[] = [];
  for (let index = current.value.index; ; index += 1) {
    const period = chargingPeriodAt(anchor, frequency, index);
    if (period.start > last) break;
    const chargedFrom = maxDate(period.start, first);
    const chargedTo = minDate(period.end, last);
    if (chargedFrom <= chargedTo) lines.push(chargeLine(rpi, price, resolved.discountAt(period.start), period, chargedFrom, chargedTo));
    if (period.end >= last) break;
  }
  return { amount: safeMicros(lines.reduce((sum, l) => sum + BigInt(l.netAmount), 0n)), lines };
}
