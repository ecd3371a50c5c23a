/**
 * Price and discount resolution for one RPI: which card, rate and discount rule
 * are in force on a day.
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
 * - Discount: among the discount plan assignments effective on the period start,
 *   whose window [assignment start, start + durationInMonths) holds the period
 *   start, and whose plan has a rule for the product (a product rule, else a rule
 *   for its category), the most specific wins; a product rule beats a category
 *   rule. ONEOFF lines are discounted by the same rule (judged on the RPI start).
 *   discountPercentage has at most 2 decimal places; discountAmount =
 *   round_MATHEMATICAL(gross × percentage / 100) in micros; net = gross − discount.
 */
import { type DatedAssignment, isEffective, mostSpecific } from '../assignments';
import { addDays, addMonths, type IsoDate } from '../dates';
import { toScaled } from '../money';
import {
  DISCOUNT_PERCENTAGE_PLACES,
  DISCOUNT_SCALE,
  type RentalDiscountPlanRule,
  type RentalPricing,
  type RentalProductInventory,
  type RentalRate,
  type RentalRateCard,
  type RentalRateCardAssignment,
  type RentalRatePriceType,
} from './model';

export interface ResolvedPrice {
  rentalRateCardAssignmentId: number;
  rentalRateCardId: number;
  rate: RentalRate;
}

export interface ResolvedDiscount {
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

export interface PricedDay {
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

export class RpiPricing {
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
