/**
 * The pricing lookups rating (POST /v2/usage-records, inclusive usage balances)
 * and rental charges (GET /v2/rental-charges) need: plain queries taking `db`
 * first, on the indexes of db/schema/pricing.ts. They apply no tenancy: callers
 * pass inventories they have already found visible.
 *
 * Units are the stored ones (see db/schema/pricing.ts): money in micros, quantities
 * in millionths of a unit, usage rate values × 10^4, discount percentages in
 * hundredths.
 *
 * The `…ForBatch`/`…Reaching` functions serve rating a batch of usage records: a
 * few set-based queries for every inventory, card and plan of the batch at once,
 * each within D1's bound-parameter limit however many ids it is given.
 */
import { and, asc, eq, inArray, isNull, lte, or, type SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { chunkForParameters, type Db } from '../db/client';
import { inIds } from '../db/today';
import {
  chargeGroupCategories,
  inclusiveUsageBuckets,
  chargeGroups,
  inclusiveUsageComponentChargeGroupCategories,
  inclusiveUsageComponentChargeGroups,
  inclusiveUsageComponents,
  inclusiveUsageComponentTimebands,
  inclusiveUsagePlanAssignments,
  inclusiveUsagePlans,
  rentalDiscountPlanAssignments,
  rentalDiscountPlanRules,
  rentalDiscountPlans,
  rentalProductInventories,
  rentalProducts,
  rentalRateCardAssignments,
  rentalRateCards,
  rentalRates,
  timeBandPlans,
  usageProductInventories,
  usageRateCardAccessCharges,
  usageRateCardAssignments,
  usageRateCards,
  usageRateCardTimeBandPlans,
  usageRates,
} from '../db/schema';
import type { InclusiveUsagePlan, PlanAssignment } from '../domain/allowances';
import { byPrecedence, mostSpecific } from '../domain/assignments';
import type { IsoDate } from '../domain/dates';
import { fromQuantityUnits } from '../domain/quantity';
import type { TimeBand, Timeband } from '../domain/timebands';

export type UsageRateCardRow = typeof usageRateCards.$inferSelect;
export type UsageRateRow = typeof usageRates.$inferSelect;
export type RentalRateCardRow = typeof rentalRateCards.$inferSelect;
export type RentalRateRow = typeof rentalRates.$inferSelect;
export type InclusiveUsagePlanRow = typeof inclusiveUsagePlans.$inferSelect;
export type UsageRateCardAssignmentRow = typeof usageRateCardAssignments.$inferSelect;
export type RentalRateCardAssignmentRow = typeof rentalRateCardAssignments.$inferSelect;
export type InclusiveUsagePlanAssignmentRow = typeof inclusiveUsagePlanAssignments.$inferSelect;
export type RentalDiscountPlanAssignmentRow = typeof rentalDiscountPlanAssignments.$inferSelect;
export type RentalDiscountPlanRow = typeof rentalDiscountPlans.$inferSelect;
export type RentalDiscountPlanRuleRow = typeof rentalDiscountPlanRules.$inferSelect;

/** What the usage lookups need of a UPI. */
export interface UsageInventoryKey {
  id: number;
  customerId: number;
  siteId: number;
  usageProductId: number;
}

/** What the rental lookups need of an RPI (its product's category included). */
export interface RentalInventoryKey {
  id: number;
  customerId: number;
  siteId: number;
  rentalProductId: number;
  rentalProductCategoryId: number;
}

export async function usageInventoryKey(db: Db, upiId: number): Promise<UsageInventoryKey | null> {
  const [row] = await db
    .select({ id: usageProductInventories.id, customerId: usageProductInventories.customerId, siteId: usageProductInventories.siteId, usageProductId: usageProductInventories.usageProductId })
    .from(usageProductInventories)
    .where(eq(usageProductInventories.id, upiId));
  return row ?? null;
}

export async function rentalInventoryKey(db: Db, rpiId: number): Promise<RentalInventoryKey | null> {
  const [row] = await db
    .select({
      id: rentalProductInventories.id,
      customerId: rentalProductInventories.customerId,
      siteId: rentalProductInventories.siteId,
      rentalProductId: rentalProductInventories.rentalProductId,
      rentalProductCategoryId: rentalProducts.rentalProductCategoryId,
    })
    .from(rentalProductInventories)
    .innerJoin(rentalProducts, eq(rentalProducts.id, rentalProductInventories.rentalProductId))
    .where(eq(rentalProductInventories.id, rpiId));
  return row ?? null;
}

/** Rows effective on `date` (start ≤ date ≤ end, open end). */
function effectiveOn(start: SQLiteColumn, end: SQLiteColumn, date: IsoDate): SQL {
  return and(lte(start, date), or(isNull(end), sql`${end} >= ${date}`))!;
}

/** Assignments reaching an inventory: its own, its site's and its customer's (one query on customer_id, start_date). */
function reaching(
  t: { assignmentLevel: SQLiteColumn; customerId: SQLiteColumn; siteId: SQLiteColumn; startDate: SQLiteColumn; endDate: SQLiteColumn },
  inventoryColumn: SQLiteColumn,
  inventory: { id: number; customerId: number; siteId: number },
  date: IsoDate,
): SQL {
  return and(
    eq(t.customerId, inventory.customerId),
    effectiveOn(t.startDate, t.endDate, date),
    or(
      eq(t.assignmentLevel, 'CUSTOMER'),
      and(eq(t.assignmentLevel, 'SITE'), eq(t.siteId, inventory.siteId)),
      and(eq(t.assignmentLevel, 'INVENTORY'), eq(inventoryColumn, inventory.id)),
    ),
  )!;
}

// ─── usage ───────────────────────────────────────────────────────────────────

/** Usage rate card assignments reaching a UPI on `date` for its usage product, most specific first. */
export async function usageRateCardAssignmentsAt(db: Db, upi: UsageInventoryKey, date: IsoDate): Promise<UsageRateCardAssignmentRow[]> {
  const t = usageRateCardAssignments;
  const rows = await db
    .select()
    .from(t)
    .where(and(reaching(t, t.usageProductInventoryId, upi, date), eq(t.usageProductId, upi.usageProductId)));
  return byPrecedence(rows, date);
}

/** The usage rate card that prices a UPI's usage on `date` (INVENTORY > SITE > CUSTOMER), or null. */
export async function effectiveUsageRateCard(db: Db, upi: UsageInventoryKey, date: IsoDate): Promise<{ assignment: UsageRateCardAssignmentRow; card: UsageRateCardRow } | null> {
  const assignment = mostSpecific(await usageRateCardAssignmentsAt(db, upi, date), date);
  if (!assignment) return null;
  const [card] = await db.select().from(usageRateCards).where(eq(usageRateCards.id, assignment.usageRateCardId));
  return card ? { assignment, card } : null;
}

/** The rate of a card for a charge group effective on `date` (a card has at most one), or null. */
export async function usageRateAt(db: Db, usageRateCardId: number, chargeGroupId: number, date: IsoDate): Promise<UsageRateRow | null> {
  const [rate] = await db
    .select()
    .from(usageRates)
    .where(and(eq(usageRates.usageRateCardId, usageRateCardId), eq(usageRates.chargeGroupId, chargeGroupId), effectiveOn(usageRates.startDate, usageRates.endDate, date)))
    .limit(1);
  return rate ?? null;
}

/** The bands of a card's time band plan effective on `date`; null = the owner's default week. */
export async function timeBandPlanAt(db: Db, usageRateCardId: number, date: IsoDate): Promise<TimeBand[] | null> {
  const t = usageRateCardTimeBandPlans;
  const [row] = await db
    .select({ bands: timeBandPlans.bands })
    .from(t)
    .innerJoin(timeBandPlans, eq(timeBandPlans.id, t.timeBandPlanId))
    .where(and(eq(t.usageRateCardId, usageRateCardId), effectiveOn(t.startDate, t.endDate, date)))
    .limit(1);
  return row?.bands ?? null;
}

/** A card's access charge (micros) effective on `date`, or null. */
export async function accessChargeAt(db: Db, usageRateCardId: number, date: IsoDate): Promise<number | null> {
  const t = usageRateCardAccessCharges;
  const [row] = await db
    .select({ charge: t.charge })
    .from(t)
    .where(and(eq(t.usageRateCardId, usageRateCardId), effectiveOn(t.startDate, t.endDate, date)))
    .limit(1);
  return row?.charge ?? null;
}

/** Inclusive usage plan assignments reaching a UPI on `date` for its usage product, most specific first (they add up). */
export async function inclusiveUsagePlanAssignmentsAt(db: Db, upi: UsageInventoryKey, date: IsoDate): Promise<InclusiveUsagePlanAssignmentRow[]> {
  const t = inclusiveUsagePlanAssignments;
  const rows = await db
    .select()
    .from(t)
    .where(and(reaching(t, t.usageProductInventoryId, upi, date), eq(t.usageProductId, upi.usageProductId)));
  return byPrecedence(rows, date);
}

export interface PlanComponent {
  id: number;
  inclusiveUsagePlanId: number;
  componentType: 'VALUE' | 'QUANTITY';
  chargingType: 'DURATION' | 'DATA' | 'EVENT';
  /** QUANTITY: millionths of a unit */
  quantity: number | null;
  /** VALUE: micros */
  value: number | null;
  /** empty = every time band */
  timebands: Timeband[];
  /** with chargeGroupCategoryIds; both empty = every charge group */
  chargeGroupIds: number[];
  chargeGroupCategoryIds: number[];
}

/** The components of plans with what each covers, by plan, in id order. */
export async function planComponents(db: Db, planIds: readonly number[]): Promise<Map<number, PlanComponent[]>> {
  const byPlan = new Map<number, PlanComponent[]>(planIds.map((id) => [id, []]));
  if (planIds.length === 0) return byPlan;
  const components: Array<typeof inclusiveUsageComponents.$inferSelect> = [];
  for (const ids of chunkForParameters([...new Set(planIds)], 1)) {
    components.push(...(await db.select().from(inclusiveUsageComponents).where(inArray(inclusiveUsageComponents.inclusiveUsagePlanId, ids))));
  }
  components.sort((a, b) => a.id - b.id);
  const bands: Array<typeof inclusiveUsageComponentTimebands.$inferSelect> = [];
  const groups: Array<typeof inclusiveUsageComponentChargeGroups.$inferSelect> = [];
  const categories: Array<typeof inclusiveUsageComponentChargeGroupCategories.$inferSelect> = [];
  for (const ids of chunkForParameters(components.map((c) => c.id), 1)) {
    const [b, g, k] = await Promise.all([
      db.select().from(inclusiveUsageComponentTimebands).where(inArray(inclusiveUsageComponentTimebands.componentId, ids)),
      db.select().from(inclusiveUsageComponentChargeGroups).where(inArray(inclusiveUsageComponentChargeGroups.componentId, ids)),
      db.select().from(inclusiveUsageComponentChargeGroupCategories).where(inArray(inclusiveUsageComponentChargeGroupCategories.componentId, ids)),
    ]);
    bands.push(...b);
    groups.push(...g);
    categories.push(...k);
  }
  for (const c of components) {
    byPlan.get(c.inclusiveUsagePlanId)?.push({
      id: c.id,
      inclusiveUsagePlanId: c.inclusiveUsagePlanId,
      componentType: c.componentType,
      chargingType: c.chargingType,
      quantity: c.quantity,
      value: c.value,
      timebands: bands.filter((b) => b.componentId === c.id).map((b) => b.timeband),
      chargeGroupIds: groups.filter((g) => g.componentId === c.id).map((g) => g.chargeGroupId),
      chargeGroupCategoryIds: categories.filter((g) => g.componentId === c.id).map((g) => g.chargeGroupCategoryId),
    });
  }
  return byPlan;
}

// ─── usage, for a batch ──────────────────────────────────────────────────────

/** A UPI with its owner, for rating (tenancy is the caller's to check). */
export interface UsageInventoryRow extends UsageInventoryKey {
  contractOwnerId: number;
}

export async function usageInventories(db: Db, ids: readonly number[]): Promise<Map<number, UsageInventoryRow>> {
  const t = usageProductInventories;
  const rows = ids.length
    ? await db
        .select({ id: t.id, contractOwnerId: t.contractOwnerId, customerId: t.customerId, siteId: t.siteId, usageProductId: t.usageProductId })
        .from(t)
        .where(inIds(t.id, [...new Set(ids)]))
    : [];
  return new Map(rows.map((r) => [r.id, r]));
}

/** A charge group with what rating needs of its category. */
export interface ChargeGroupForRating {
  id: number;
  contractOwnerId: number;
  chargeGroupCategoryId: number;
  chargingType: 'DURATION' | 'DATA' | 'EVENT';
}

export async function chargeGroupsForRating(db: Db, ids: readonly number[]): Promise<Map<number, ChargeGroupForRating>> {
  const rows = ids.length
    ? await db
        .select({
          id: chargeGroups.id,
          contractOwnerId: chargeGroups.contractOwnerId,
          chargeGroupCategoryId: chargeGroups.chargeGroupCategoryId,
          chargingType: chargeGroupCategories.chargingUnitType,
        })
        .from(chargeGroups)
        .innerJoin(chargeGroupCategories, eq(chargeGroupCategories.id, chargeGroups.chargeGroupCategoryId))
        .where(inIds(chargeGroups.id, [...new Set(ids)]))
    : [];
  return new Map(rows.map((r) => [r.id, r]));
}

type AssignmentTarget = { assignmentLevel: string; siteId: number | null; usageProductInventoryId: number | null; usageProductId: number };

/** Whether an assignment (of the UPI's customer) reaches the UPI: its usage product, and its site or itself at those levels. */
export function reachesInventory(a: AssignmentTarget, upi: UsageInventoryKey): boolean {
  if (a.usageProductId !== upi.usageProductId) return false;
  return a.assignmentLevel === 'CUSTOMER' || (a.assignmentLevel === 'SITE' ? a.siteId === upi.siteId : a.usageProductInventoryId === upi.id);
}

/** Assignments of these customers effective on some day of [from, to] (one query on customer_id, start_date). */
async function assignmentsOfCustomers<T extends SQLiteTable & { customerId: SQLiteColumn; startDate: SQLiteColumn; endDate: SQLiteColumn }>(
  db: Db,
  t: T,
  customerIds: readonly number[],
  from: IsoDate,
  to: IsoDate,
) {
  if (customerIds.length === 0) return [];
  return db
    .select()
    .from(t as SQLiteTable)
    .where(and(inIds(t.customerId, [...new Set(customerIds)]), lte(t.startDate, to), or(isNull(t.endDate), sql`${t.endDate} >= ${from}`)));
}

/** By UPI: the usage rate card assignments that reach it on some day of [from, to] (rank them per date with `mostSpecific`). */
export async function usageRateCardAssignmentsReaching(
  db: Db,
  upis: readonly UsageInventoryKey[],
  from: IsoDate,
  to: IsoDate,
): Promise<Map<number, UsageRateCardAssignmentRow[]>> {
  const rows = (await assignmentsOfCustomers(db, usageRateCardAssignments, upis.map((u) => u.customerId), from, to)) as UsageRateCardAssignmentRow[];
  return new Map(upis.map((u) => [u.id, rows.filter((a) => reachesInventory(a, u))]));
}

/** By UPI: the inclusive-usage-plan assignments that reach it on some day of [from, to]. */
export async function inclusiveUsagePlanAssignmentsReaching(
  db: Db,
  upis: readonly UsageInventoryKey[],
  from: IsoDate,
  to: IsoDate,
): Promise<Map<number, InclusiveUsagePlanAssignmentRow[]>> {
  const rows = (await assignmentsOfCustomers(db, inclusiveUsagePlanAssignments, upis.map((u) => u.customerId), from, to)) as InclusiveUsagePlanAssignmentRow[];
  return new Map(upis.map((u) => [u.id, rows.filter((a) => reachesInventory(a, u))]));
}

export interface CardTimeBandPlan {
  usageRateCardId: number;
  timeBandPlanId: number;
  startDate: IsoDate;
  endDate: IsoDate | null;
  bands: TimeBand[];
}

export interface UsageRateCardsForRating {
  cards: Map<number, UsageRateCardRow>;
  /** by card, then charge group: the card's rates of the batch's charge groups */
  rates: Map<number, Map<number, UsageRateRow[]>>;
  /** by card: its dated time band plans with their bands */
  timeBandPlans: Map<number, CardTimeBandPlan[]>;
}

/** Cards with their rates for these charge groups and their time band plans, three queries in all. */
export async function usageRateCardsForRating(db: Db, cardIds: readonly number[], chargeGroupIds: readonly number[]): Promise<UsageRateCardsForRating> {
  const ids = [...new Set(cardIds)];
  const result: UsageRateCardsForRating = { cards: new Map(), rates: new Map(), timeBandPlans: new Map() };
  if (ids.length === 0) return result;
  const t = usageRateCardTimeBandPlans;
  const [cards, rates, plans] = await Promise.all([
    db.select().from(usageRateCards).where(inIds(usageRateCards.id, ids)),
    db
      .select()
      .from(usageRates)
      .where(and(inIds(usageRates.usageRateCardId, ids), inIds(usageRates.chargeGroupId, [...new Set(chargeGroupIds)]))),
    db
      .select({ usageRateCardId: t.usageRateCardId, timeBandPlanId: t.timeBandPlanId, startDate: t.startDate, endDate: t.endDate, bands: timeBandPlans.bands })
      .from(t)
      .innerJoin(timeBandPlans, eq(timeBandPlans.id, t.timeBandPlanId))
      .where(inIds(t.usageRateCardId, ids)),
  ]);
  for (const card of cards) {
    result.cards.set(card.id, card);
    result.rates.set(card.id, new Map());
    result.timeBandPlans.set(card.id, []);
  }
  for (const rate of rates) {
    const byGroup = result.rates.get(rate.usageRateCardId)!;
    byGroup.set(rate.chargeGroupId, [...(byGroup.get(rate.chargeGroupId) ?? []), rate]);
  }
  for (const plan of plans) result.timeBandPlans.get(plan.usageRateCardId)?.push(plan);
  return result;
}

/** Inclusive usage plans by id. */
export async function inclusiveUsagePlansByIds(db: Db, ids: readonly number[]): Promise<Map<number, InclusiveUsagePlanRow>> {
  const rows = ids.length ? await db.select().from(inclusiveUsagePlans).where(inIds(inclusiveUsagePlans.id, [...new Set(ids)])) : [];
  return new Map(rows.map((r) => [r.id, r]));
}

/** Plan assignments with their plans and components in the domain's units (allowances.ts), by assignment id. */
export async function planAssignmentsWithPlans(db: Db, rows: readonly InclusiveUsagePlanAssignmentRow[]): Promise<Map<number, PlanAssignment>> {
  const planIds = [...new Set(rows.map((r) => r.inclusiveUsagePlanId))];
  const [plans, components] = await Promise.all([inclusiveUsagePlansByIds(db, planIds), planComponents(db, planIds)]);
  const domainPlans = new Map<number, InclusiveUsagePlan>();
  for (const [id, plan] of plans) {
    domainPlans.set(id, {
      id,
      frequency: plan.frequency,
      rolloverPeriods: plan.rolloverPeriods,
      minQualifyingQuantity: unitsToWire(plan.minQualifyingQuantity),
      maxPerEventQuantity: unitsToWire(plan.maxPerEventQuantity),
      components: (components.get(id) ?? []).map((c) => ({
        id: c.id,
        componentType: c.componentType,
        chargingType: c.chargingType,
        quantity: unitsToWire(c.quantity),
        value: c.value,
        timebands: c.timebands,
        chargeGroupIds: c.chargeGroupIds,
        chargeGroupCategoryIds: c.chargeGroupCategoryIds,
      })),
    });
  }
  const result = new Map<number, PlanAssignment>();
  for (const r of rows) {
    const plan = domainPlans.get(r.inclusiveUsagePlanId);
    if (plan) result.set(r.id, { id: r.id, assignmentLevel: r.assignmentLevel, startDate: r.startDate, endDate: r.endDate, plan });
  }
  return result;
}

function unitsToWire(units: number | null): number | null {
  return units === null ? null : fromQuantityUnits(BigInt(units));
}

export type InclusiveUsageBucketRow = typeof inclusiveUsageBuckets.$inferSelect;

/** Stored buckets of these assignments usable on some day of [from, to]. */
export async function allowanceBuckets(db: Db, assignmentIds: readonly number[], from: IsoDate, to: IsoDate): Promise<InclusiveUsageBucketRow[]> {
  if (assignmentIds.length === 0) return [];
  const t = inclusiveUsageBuckets;
  return db
    .select()
    .from(t)
    .where(and(inIds(t.assignmentId, [...new Set(assignmentIds)]), sql`${t.usableUntil} >= ${from}`, lte(t.periodStart, to)));
}

// ─── rental ──────────────────────────────────────────────────────────────────

/** Rental rate card assignments reaching an RPI on `date` for its product's category, most specific first. */
export async function rentalRateCardAssignmentsAt(db: Db, rpi: RentalInventoryKey, date: IsoDate): Promise<RentalRateCardAssignmentRow[]> {
  const t = rentalRateCardAssignments;
  const rows = await db
    .select()
    .from(t)
    .where(and(reaching(t, t.rentalProductInventoryId, rpi, date), eq(t.rentalProductCategoryId, rpi.rentalProductCategoryId)));
  return byPrecedence(rows, date);
}

export interface RentalRatesAt {
  card: RentalRateCardRow;
  /** the card whose rates these are: the card itself, or its template when it has none for the product */
  ratesFrom: RentalRateCardRow;
  /** at most one RENTAL and one ONEOFF rate */
  rates: RentalRateRow[];
}

async function ratesOfCard(db: Db, cardId: number, rentalProductId: number, date: IsoDate): Promise<RentalRateRow[]> {
  return db
    .select()
    .from(rentalRates)
    .where(and(eq(rentalRates.rentalRateCardId, cardId), eq(rentalRates.rentalProductId, rentalProductId), effectiveOn(rentalRates.startDate, rentalRates.endDate, date)))
    .orderBy(asc(rentalRates.rentalRatePriceType));
}

/** A card's rates for a product effective on `date`, falling back to its template's when it has none. */
export async function rentalRatesAt(db: Db, rentalRateCardId: number, rentalProductId: number, date: IsoDate): Promise<RentalRatesAt | null> {
  const [card] = await db.select().from(rentalRateCards).where(eq(rentalRateCards.id, rentalRateCardId));
  if (!card) return null;
  const own = await ratesOfCard(db, card.id, rentalProductId, date);
  if (own.length || card.basedOnTemplateId === null) return { card, ratesFrom: card, rates: own };
  const [template] = await db.select().from(rentalRateCards).where(eq(rentalRateCards.id, card.basedOnTemplateId));
  if (!template) return { card, ratesFrom: card, rates: own };
  return { card, ratesFrom: template, rates: await ratesOfCard(db, template.id, rentalProductId, date) };
}

/** Discount plan assignments reaching an RPI on `date`, most specific first (the first one applies). */
export async function rentalDiscountPlanAssignmentsAt(db: Db, rpi: RentalInventoryKey, date: IsoDate): Promise<RentalDiscountPlanAssignmentRow[]> {
  const t = rentalDiscountPlanAssignments;
  return byPrecedence(await db.select().from(t).where(reaching(t, t.rentalProductInventoryId, rpi, date)), date);
}

/** The rule of a plan for a product: its product rule, else its category's rule, else null. */
export async function discountRuleFor(db: Db, rentalDiscountPlanId: number, rpi: Pick<RentalInventoryKey, 'rentalProductId' | 'rentalProductCategoryId'>): Promise<RentalDiscountPlanRuleRow | null> {
  const t = rentalDiscountPlanRules;
  const rules = await db
    .select()
    .from(t)
    .where(and(eq(t.rentalDiscountPlanId, rentalDiscountPlanId), eq(t.productCategoryId, rpi.rentalProductCategoryId), or(isNull(t.rentalProductId), eq(t.rentalProductId, rpi.rentalProductId))));
  return rules.find((r) => r.rentalProductId === rpi.rentalProductId) ?? rules.find((r) => r.rentalProductId === null) ?? null;
}
