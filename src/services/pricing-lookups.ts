/**
 * The pricing lookups rating needs (POST /v2/usage-records, inclusive usage
 * balances): a few set-based queries for every inventory, card and plan of a
 * batch at once, each within D1's bound-parameter limit however many ids it is
 * given. Plain queries taking `db` first, on the indexes of db/schema/pricing.ts;
 * no tenancy here: callers pass inventories they have already found visible.
 * (Rental charges load theirs in services/rental-charges.ts.)
 *
 * Units are the stored ones (see db/schema/pricing.ts): money in micros, quantities
 * in millionths of a unit, usage rate values × 10^4.
 */
import { and, eq, isNull, lte, or, sql } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { type Db, inList } from '../db/client';
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
  timeBandPlans,
  usageProductInventories,
  usageRateCardAssignments,
  usageRateCards,
  usageRateCardTimeBandPlans,
  usageRates,
} from '../db/schema';
import type { InclusiveUsagePlan, PlanAssignment } from '../domain/allowances/model';
import type { IsoDate } from '../domain/dates';
import { fromQuantityUnits } from '../domain/quantity';
import type { TimeBand, Timeband } from '../domain/timebands';

export type UsageRateCardRow = typeof usageRateCards.$inferSelect;
export type UsageRateRow = typeof usageRates.$inferSelect;
export type InclusiveUsagePlanRow = typeof inclusiveUsagePlans.$inferSelect;
/** What rating reads of an assignment: whom it reaches, when, and what it assigns (no audit columns). */
type ReachingColumns = 'id' | 'assignmentLevel' | 'customerId' | 'siteId' | 'usageProductInventoryId' | 'usageProductId' | 'startDate' | 'endDate';
export type UsageRateCardAssignmentRow = Pick<typeof usageRateCardAssignments.$inferSelect, ReachingColumns | 'usageRateCardId'>;
export type InclusiveUsagePlanAssignmentRow = Pick<typeof inclusiveUsagePlanAssignments.$inferSelect, ReachingColumns | 'inclusiveUsagePlanId'>;

/** What the usage lookups need of a UPI. */
export interface UsageInventoryKey {
  id: number;
  customerId: number;
  siteId: number;
  usageProductId: number;
}

// ─── usage ───────────────────────────────────────────────────────────────────

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
  const components = await db
    .select()
    .from(inclusiveUsageComponents)
    .where(inList(inclusiveUsageComponents.inclusiveUsagePlanId, planIds))
    .orderBy(inclusiveUsageComponents.id);
  const componentIds = components.map((c) => c.id);
  const [bands, groups, categories] = componentIds.length
    ? await Promise.all([
        db.select().from(inclusiveUsageComponentTimebands).where(inList(inclusiveUsageComponentTimebands.componentId, componentIds)),
        db.select().from(inclusiveUsageComponentChargeGroups).where(inList(inclusiveUsageComponentChargeGroups.componentId, componentIds)),
        db
          .select()
          .from(inclusiveUsageComponentChargeGroupCategories)
          .where(inList(inclusiveUsageComponentChargeGroupCategories.componentId, componentIds)),
      ])
    : [[], [], []];
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
        .where(inList(t.id, [...new Set(ids)]))
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
        .where(inList(chargeGroups.id, [...new Set(ids)]))
    : [];
  return new Map(rows.map((r) => [r.id, r]));
}

type AssignmentTarget = {
  assignmentLevel: string;
  customerId: number;
  siteId: number | null;
  usageProductInventoryId: number | null;
  usageProductId: number;
};

/** Whether an assignment reaches the UPI: its usage product, and its customer, site or itself at those levels. */
export function reachesInventory(a: AssignmentTarget, upi: UsageInventoryKey): boolean {
  if (a.usageProductId !== upi.usageProductId) return false;
  if (a.assignmentLevel === 'CUSTOMER') return a.customerId === upi.customerId;
  return a.assignmentLevel === 'SITE' ? a.siteId === upi.siteId : a.usageProductInventoryId === upi.id;
}

/** By UPI, the assignments (of the UPIs' customers) that reach it; each UPI looks only at its own customer's. */
function reachingByInventory<T extends AssignmentTarget>(rows: readonly T[], upis: readonly UsageInventoryKey[]): Map<number, T[]> {
  const byCustomer = new Map<number, T[]>();
  for (const row of rows) {
    const list = byCustomer.get(row.customerId);
    if (list) list.push(row);
    else byCustomer.set(row.customerId, [row]);
  }
  return new Map(upis.map((u) => [u.id, (byCustomer.get(u.customerId) ?? []).filter((a) => reachesInventory(a, u))]));
}

type AssignmentTable = SQLiteTable & Record<Exclude<ReachingColumns, 'id'>, SQLiteColumn> & { id: SQLiteColumn };

/**
 * Assignments of these customers effective on some day of [from, to] (one query on customer_id, start_date),
 * with the columns rating reads: a batch loads hundreds, and every column read costs.
 */
async function assignmentsOfCustomers(
  db: Db,
  t: AssignmentTable,
  assigned: { [key: string]: SQLiteColumn },
  customerIds: readonly number[],
  from: IsoDate,
  to: IsoDate,
) {
  if (customerIds.length === 0) return [];
  return db
    .select({
      id: t.id,
      assignmentLevel: t.assignmentLevel,
      customerId: t.customerId,
      siteId: t.siteId,
      usageProductInventoryId: t.usageProductInventoryId,
      usageProductId: t.usageProductId,
      startDate: t.startDate,
      endDate: t.endDate,
      ...assigned,
    })
    .from(t)
    .where(and(inList(t.customerId, [...new Set(customerIds)]), lte(t.startDate, to), or(isNull(t.endDate), sql`${t.endDate} >= ${from}`)));
}

/** By UPI: the usage rate card assignments that reach it on some day of [from, to] (rank them per date with `mostSpecific`). */
export async function usageRateCardAssignmentsReaching(
  db: Db,
  upis: readonly UsageInventoryKey[],
  from: IsoDate,
  to: IsoDate,
): Promise<Map<number, UsageRateCardAssignmentRow[]>> {
  const t = usageRateCardAssignments;
  const rows = (await assignmentsOfCustomers(db, t, { usageRateCardId: t.usageRateCardId }, upis.map((u) => u.customerId), from, to)) as UsageRateCardAssignmentRow[];
  return reachingByInventory(rows, upis);
}

/** By UPI: the inclusive-usage-plan assignments that reach it on some day of [from, to]. */
export async function inclusiveUsagePlanAssignmentsReaching(
  db: Db,
  upis: readonly UsageInventoryKey[],
  from: IsoDate,
  to: IsoDate,
): Promise<Map<number, InclusiveUsagePlanAssignmentRow[]>> {
  const t = inclusiveUsagePlanAssignments;
  const rows = (await assignmentsOfCustomers(db, t, { inclusiveUsagePlanId: t.inclusiveUsagePlanId }, upis.map((u) => u.customerId), from, to)) as InclusiveUsagePlanAssignmentRow[];
  return reachingByInventory(rows, upis);
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
    db.select().from(usageRateCards).where(inList(usageRateCards.id, ids)),
    db
      .select()
      .from(usageRates)
      .where(and(inList(usageRates.usageRateCardId, ids), inList(usageRates.chargeGroupId, [...new Set(chargeGroupIds)]))),
    db
      .select({ usageRateCardId: t.usageRateCardId, timeBandPlanId: t.timeBandPlanId, startDate: t.startDate, endDate: t.endDate, bands: timeBandPlans.bands })
      .from(t)
      .innerJoin(timeBandPlans, eq(timeBandPlans.id, t.timeBandPlanId))
      .where(inList(t.usageRateCardId, ids)),
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
  const rows = ids.length ? await db.select().from(inclusiveUsagePlans).where(inList(inclusiveUsagePlans.id, [...new Set(ids)])) : [];
  return new Map(rows.map((r) => [r.id, r]));
}

/** Plan assignments with their plans and components in the domain's units (domain/allowances/), by assignment id. */
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

/** A stored bucket as rating and balances read it (no owner or audit columns). */
export type InclusiveUsageBucketRow = Pick<
  typeof inclusiveUsageBuckets.$inferSelect,
  'id' | 'assignmentId' | 'componentId' | 'periodStart' | 'periodEnd' | 'usableUntil' | 'allowance' | 'used'
>;

/** Stored buckets of these assignments usable on some day of [from, to]. */
export async function allowanceBuckets(db: Db, assignmentIds: readonly number[], from: IsoDate, to: IsoDate): Promise<InclusiveUsageBucketRow[]> {
  if (assignmentIds.length === 0) return [];
  const t = inclusiveUsageBuckets;
  return db
    .select({
      id: t.id,
      assignmentId: t.assignmentId,
      componentId: t.componentId,
      periodStart: t.periodStart,
      periodEnd: t.periodEnd,
      usableUntil: t.usableUntil,
      allowance: t.allowance,
      used: t.used,
    })
    .from(t)
    .where(and(inList(t.assignmentId, [...new Set(assignmentIds)]), sql`${t.usableUntil} >= ${from}`, lte(t.periodStart, to)));
}
