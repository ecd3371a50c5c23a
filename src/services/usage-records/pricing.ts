/** Step 2 of rating a batch (batch.ts): the pricing the batch can need, loaded at once. */
import type { Ctx } from '../../db/context';
import type { PlanAssignment } from '../../domain/allowances/model';
import { mostSpecific } from '../../domain/assignments';
import type { IsoDate } from '../../domain/dates';
import { fromQuantityUnits } from '../../domain/quantity';
import { rateEffectiveAt, type UsageRate, type UsageRateCard } from '../../domain/rating';
import { compileTimeBands, type CompiledTimeBands, timeBandPlanAt } from '../../domain/timebands';
import {
  inclusiveUsagePlanAssignmentsReaching,
  planAssignmentsWithPlans,
  type UsageRateCardAssignmentRow,
  usageRateCardAssignmentsReaching,
  type UsageRateCardRow,
  usageRateCardsForRating,
  type UsageRateCardsForRating,
  type UsageRateRow,
} from '../pricing-lookups';
import type { Prepared } from './references';

/** Everything rating needs besides the buckets: loaded once per request. */
export interface Pricing {
  /** by UPI: the usage rate card assignments reaching it in the batch's dates */
  cardAssignments: Map<number, UsageRateCardAssignmentRow[]>;
  cards: UsageRateCardsForRating;
  /** by UPI: the plan assignments reaching it in the batch's dates */
  planAssignments: Map<number, PlanAssignment[]>;
  planAssignmentIds: number[];
  from: IsoDate;
  to: IsoDate;
}

export async function loadPricing(ctx: Ctx, prepared: readonly Prepared[]): Promise<Pricing> {
  let from = prepared[0]!.date;
  let to = from;
  for (const p of prepared) {
    if (p.date < from) from = p.date;
    if (p.date > to) to = p.date;
  }
  const upis = [...new Map(prepared.map((p) => [p.upi.id, p.upi])).values()];
  const [cardAssignments, planRows] = await Promise.all([
    usageRateCardAssignmentsReaching(ctx.db, upis, from, to),
    inclusiveUsagePlanAssignmentsReaching(ctx.db, upis, from, to),
  ]);
  const cardIds = [...cardAssignments.values()].flatMap((rows) => rows.map((a) => a.usageRateCardId));
  const allPlanRows = [...new Map([...planRows.values()].flat().map((a) => [a.id, a])).values()];
  const [cards, plans] = await Promise.all([
    usageRateCardsForRating(ctx.db, cardIds, [...new Set(prepared.map((p) => p.group.id))]),
    planAssignmentsWithPlans(ctx.db, allPlanRows),
  ]);
  const planAssignments = new Map<number, PlanAssignment[]>();
  for (const [upiId, rows] of planRows) planAssignments.set(upiId, rows.flatMap((a) => plans.get(a.id) ?? []));
  return { cardAssignments, cards, planAssignments, planAssignmentIds: [...plans.keys()], from, to };
}

/** The domain's card and rate from stored rows (quantities in wire units), memoised per request. */
export class Resolver {
  private readonly cards = new Map<number, UsageRateCard>();
  private readonly rates = new Map<number, UsageRate>();
  private readonly bands = new Map<number, CompiledTimeBands>();

  constructor(private readonly pricing: Pricing) {}

  card(row: UsageRateCardRow): UsageRateCard {
    let card = this.cards.get(row.id);
    if (!card) {
      card = {
        id: row.id,
        decimalPlaces: row.decimalPlaces,
        priceRoundingStyle: row.priceRoundingStyle,
        defaultMinCharge: row.defaultMinCharge,
        applyCrossTimeBandCharging: row.applyCrossTimeBandCharging,
        defaultQuantityRoundingIncrement: fromQuantityUnits(BigInt(row.defaultQuantityRoundingIncrement)),
        defaultVariableChargeUnitSize: row.defaultVariableChargeUnitSize,
      };
      this.cards.set(row.id, card);
    }
    return card;
  }

  rate(row: UsageRateRow): UsageRate {
    let rate = this.rates.get(row.id);
    if (!rate) {
      rate = { ...row, quantityRoundingIncrement: row.quantityRoundingIncrement === null ? null : fromQuantityUnits(BigInt(row.quantityRoundingIncrement)) };
      this.rates.set(row.id, rate);
    }
    return rate;
  }

  /** The card, rate and time bands for a record: the most specific card on its date, the rate for its charge group then. */
  pricingOf(p: Prepared): { card: UsageRateCard | null; rate: UsageRate | null; timeBands: CompiledTimeBands | null } {
    const assignment = mostSpecific(this.pricing.cardAssignments.get(p.upi.id) ?? [], p.date);
    const cardRow = assignment ? this.pricing.cards.cards.get(assignment.usageRateCardId) : undefined;
    if (!cardRow) return { card: null, rate: null, timeBands: null };
    const rateRow = rateEffectiveAt(this.pricing.cards.rates.get(cardRow.id)?.get(p.group.id) ?? [], p.group.id, p.date);
    const plan = timeBandPlanAt(this.pricing.cards.timeBandPlans.get(cardRow.id) ?? [], p.date);
    let timeBands: CompiledTimeBands | null = null;
    if (plan) {
      timeBands = this.bands.get(plan.timeBandPlanId) ?? compileTimeBands(plan.bands);
      this.bands.set(plan.timeBandPlanId, timeBands);
    }
    return { card: this.card(cardRow), rate: rateRow ? this.rate(rateRow) : null, timeBands };
  }
}
