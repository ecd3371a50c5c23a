/**
 * Pricing assignments (v2-pricing.md §Assignments, Elevate's Pricing Assignment
 * API): usage rate cards, rental rate cards, inclusive usage plans and rental
 * discount plans assigned at CUSTOMER, SITE or INVENTORY level for a date range.
 * One service serves the four kinds; each kind says how its card or plan is
 * checked against the target.
 *
 * - The assignment names exactly the target of its level (the route's schema, 400);
 *   the target must be visible (404) and is fixed after creation (422 on change).
 * - The card or plan must be visible (404), usable by the target's owner, available
 *   on the start date and of the right kind (422): only SELL rate cards are
 *   assigned; at INVENTORY level a card or plan must price the inventory's usage
 *   product or rental category.
 * - Two assignments of a kind at the same level and target may not share a day
 *   (409) when they would compete: rate cards of the same usage product (or rental
 *   category), the same inclusive usage plan (different plans add up), any two
 *   discount plans.
 * - An INVENTORY-level discount plan assignment needs a SITE- or CUSTOMER-level one
 *   effective at its start (422), which then cannot be removed or shortened away
 *   from under it (409).
 *
 * Every assignment stores its target's customer (and site, below customer level),
 * so the assignments that reach an inventory at a date — its own, its site's and
 * its customer's — are one query on (customer_id, start_date).
 */
import { and, eq, ne, type SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Ctx } from '../db/context';
import { assertDateOrder, type BaseRow, columnKey, requireVisible, type ResourceService, tableService } from '../db/crud';
import { filterSql, type QuerySpec } from '../db/query';
import {
  customers,
  inclusiveUsagePlanAssignments,
  inclusiveUsagePlans,
  rentalDiscountPlanAssignments,
  rentalDiscountPlans,
  rentalProductInventories,
  rentalProducts,
  rentalRateCardAssignments,
  rentalRateCards,
  sites,
  usageProductInventories,
  usageRateCardAssignments,
  usageRateCards,
} from '../db/schema';
import type { AssignmentLevel } from '../domain/assignments';
import { isWithin } from '../domain/dates';
import { type DiscountCover, uncoveredInventoryAssignments } from '../domain/pricing';
import { conflict } from '../errors';
import { requireVisibleShared, rule } from './pricing-checks';
import { rentalRateCardOwnerLink } from './rental-rates';
import { usageRateCardOwnerLink } from './usage-rates';

// biome-ignore lint: drizzle tables are generic over their columns
type AnyTable = SQLiteTable & { id: SQLiteColumn; version: SQLiteColumn; [column: string]: any };

export interface AssignmentRow extends BaseRow {
  contractOwnerId: number;
  assignmentLevel: AssignmentLevel;
  customerId: number;
  siteId: number | null;
  startDate: string;
  endDate: string | null;
  [column: string]: unknown;
}

/** What an assignment reaches. */
export interface Target {
  level: AssignmentLevel;
  ownerId: number;
  customerId: number;
  siteId: number | null;
  inventoryId: number | null;
  /** INVENTORY level: the inventory row */
  inventory: Record<string, unknown> | null;
}

export interface UsablePriced {
  /** columns copied from the card or plan onto the assignment (its usage product or category) */
  values: Record<string, unknown>;
  /** assignments collide only when they have the same value in this column (null: any two of a level and target collide) */
  overlapScope: { column: SQLiteColumn; value: number; label: string } | null;
}

/** What the public representation of a kind names (its inventory and priced fields). */
export interface AssignmentKindFields {
  singular: string;
  /** the id field of the INVENTORY-level target */
  inventoryField: string;
  inventoryLabel: string;
  /** the id field of the card or plan assigned */
  pricedField: string;
}

export interface AssignmentKind extends AssignmentKindFields {
  table: AnyTable;
  inventoryColumn: SQLiteColumn;
  inventoryTable: AnyTable;
  pricedColumn: SQLiteColumn;
  /** loads the card or plan (404 naming the field) and checks it may reach `target` from `startDate` (422) */
  usable(ctx: Ctx, id: number, target: Target, startDate: string): Promise<UsablePriced>;
  /** discount plans: an INVENTORY-level assignment needs a SITE- or CUSTOMER-level one at its start */
  inventoryNeedsCover?: boolean;
}

/** The writable fields; the inventory and priced ids under the kind's field names. */
export interface AssignmentInput {
  assignmentLevel: AssignmentLevel;
  customerId?: number | null;
  siteId?: number | null;
  startDate: string;
  endDate?: string | null;
  [field: string]: unknown;
}

/** 422 unless the card or plan is available on the assignment's start date. */
export function assertAvailable(priced: { availableFrom: string; availableTo: string | null }, startDate: string, label: string): void {
  if (!isWithin(startDate, priced.availableFrom, priced.availableTo)) {
    throw rule('/startDate', `the ${label} is available from ${priced.availableFrom}${priced.availableTo ? ` to ${priced.availableTo}` : ''}, not on ${startDate}`);
  }
}

async function resolveTarget(ctx: Ctx, kind: AssignmentKind, input: AssignmentInput): Promise<Target> {
  const level = input.assignmentLevel;
  if (level === 'CUSTOMER') {
    const c = await requireVisible<typeof customers.$inferSelect>(ctx, customers, input.customerId!, '/customerId', 'customer');
    return { level, ownerId: c.contractOwnerId, customerId: c.id, siteId: null, inventoryId: null, inventory: null };
  }
  if (level === 'SITE') {
    const s = await requireVisible<typeof sites.$inferSelect>(ctx, sites, input.siteId!, '/siteId', 'site');
    return { level, ownerId: s.contractOwnerId, customerId: s.customerId, siteId: s.id, inventoryId: null, inventory: null };
  }
  const id = input[kind.inventoryField] as number;
  const inv = await requireVisible<{ id: number; contractOwnerId: number; customerId: number; siteId: number }>(
    ctx,
    kind.inventoryTable,
    id,
    `/${kind.inventoryField}`,
    kind.inventoryLabel,
  );
  return { level, ownerId: inv.contractOwnerId, customerId: inv.customerId, siteId: inv.siteId, inventoryId: inv.id, inventory: inv };
}

function targetOfRow(kind: AssignmentKind, row: AssignmentRow): Target {
  return {
    level: row.assignmentLevel,
    ownerId: row.contractOwnerId,
    customerId: row.customerId,
    siteId: row.siteId,
    inventoryId: (row[columnKey(kind.table, kind.inventoryColumn)] as number | null) ?? null,
    inventory: null,
  };
}

/** The condition "assigned to exactly this target at its level". */
function sameTarget(kind: AssignmentKind, target: Target): SQL {
  const t = kind.table;
  if (target.level === 'CUSTOMER') return and(eq(t.assignmentLevel, 'CUSTOMER'), eq(t.customerId, target.customerId))!;
  if (target.level === 'SITE') return and(eq(t.assignmentLevel, 'SITE'), eq(t.siteId, target.siteId!))!;
  return and(eq(t.assignmentLevel, 'INVENTORY'), eq(kind.inventoryColumn, target.inventoryId!))!;
}

/** 409 when another assignment of this kind, level, target (and scope) shares a day with [start, end]. */
async function assertNoOverlap(
  ctx: Ctx,
  kind: AssignmentKind,
  target: Target,
  scope: UsablePriced['overlapScope'],
  dates: { startDate: string; endDate: string | null },
  exceptId: number | null,
): Promise<void> {
  const t = kind.table;
  const [clash] = (await ctx.db
    .select({ id: t.id, startDate: t.startDate, endDate: t.endDate })
    .from(t)
    .where(
      and(
        sameTarget(kind, target),
        scope ? eq(scope.column, scope.value) : undefined,
        exceptId === null ? undefined : ne(t.id, exceptId),
        dates.endDate === null ? undefined : sql`${t.startDate} <= ${dates.endDate}`,
        sql`(${t.endDate} is null or ${t.endDate} >= ${dates.startDate})`,
      ),
    )
    .limit(1)) as Array<{ id: number; startDate: string; endDate: string | null }>;
  if (clash) {
    const what = scope ? ` for ${scope.label} ${scope.value}` : '';
    throw conflict(
      `The ${target.level.toLowerCase()} already has ${kind.singular} ${clash.id}${what} from ${clash.startDate} to ${clash.endDate ?? 'open'}, overlapping these dates`,
      { conflictingAssignmentId: clash.id },
    );
  }
}

/** The customer's CUSTOMER- and SITE-level assignments (possible covers) and its INVENTORY-level ones. */
async function coverRows(ctx: Ctx, kind: AssignmentKind, customerId: number) {
  const t = kind.table;
  return (await ctx.db
    .select({ id: t.id, assignmentLevel: t.assignmentLevel, siteId: t.siteId, startDate: t.startDate, endDate: t.endDate })
    .from(t)
    .where(eq(t.customerId, customerId))) as Array<DiscountCover & { id: number }>;
}

/** 422 unless a SITE- or CUSTOMER-level assignment covers an INVENTORY-level one starting on `startDate`. */
async function assertCovered(ctx: Ctx, kind: AssignmentKind, target: Target, startDate: string): Promise<void> {
  const covers = (await coverRows(ctx, kind, target.customerId)).filter((r) => r.assignmentLevel !== 'INVENTORY');
  if (uncoveredInventoryAssignments([{ siteId: target.siteId, startDate }], covers).length) {
    throw rule(
      `/${kind.inventoryField}`,
      `an INVENTORY-level ${kind.singular} needs a SITE-level (site ${target.siteId}) or CUSTOMER-level (customer ${target.customerId}) one effective on ${startDate}`,
    );
  }
}

/** 409 when changing (or, with `replacement` null, removing) a SITE/CUSTOMER-level assignment leaves an INVENTORY-level one uncovered. */
async function assertCoversKept(ctx: Ctx, kind: AssignmentKind, row: AssignmentRow, replacement: { startDate: string; endDate: string | null } | null): Promise<void> {
  const rows = await coverRows(ctx, kind, row.customerId);
  const inventoryLevel = rows.filter((r) => r.assignmentLevel === 'INVENTORY' && (row.assignmentLevel === 'CUSTOMER' || r.siteId === row.siteId));
  if (inventoryLevel.length === 0) return;
  const covers = rows.filter((r) => r.assignmentLevel !== 'INVENTORY' && r.id !== row.id);
  if (replacement) covers.push({ id: row.id, assignmentLevel: row.assignmentLevel, siteId: row.siteId, ...replacement });
  const before = uncoveredInventoryAssignments(inventoryLevel, [...covers.filter((c) => c.id !== row.id), row]);
  const lost = uncoveredInventoryAssignments(inventoryLevel, covers).filter((u) => !before.includes(u));
  if (lost.length) {
    throw conflict(
      `INVENTORY-level ${kind.singular} ${lost.map((l) => l.id).join(', ')} would be left without a SITE- or CUSTOMER-level one effective at its start`,
      { dependentAssignmentIds: lost.map((l) => l.id) },
    );
  }
}

/**
 * A new assignment's column values for a resolved target, after every rule: the
 * card or plan usable there from the start (404/422), no competing assignment on
 * the same days (409), an INVENTORY-level discount covered (422).
 */
async function assignmentValues(ctx: Ctx, kind: AssignmentKind, target: Target, input: AssignmentInput): Promise<Record<string, unknown>> {
  assertDateOrder(input.startDate, input.endDate, '/startDate', '/endDate');
  const priced = await kind.usable(ctx, input[kind.pricedField] as number, target, input.startDate);
  const dates = { startDate: input.startDate, endDate: input.endDate ?? null };
  await assertNoOverlap(ctx, kind, target, priced.overlapScope, dates, null);
  if (kind.inventoryNeedsCover && target.level === 'INVENTORY') await assertCovered(ctx, kind, target, input.startDate);
  return {
    contractOwnerId: target.ownerId,
    assignmentLevel: target.level,
    customerId: target.customerId,
    siteId: target.siteId,
    [columnKey(kind.table, kind.inventoryColumn)]: target.inventoryId,
    [columnKey(kind.table, kind.pricedColumn)]: input[kind.pricedField],
    ...priced.values,
    ...dates,
  };
}

/** The filters and sorts of a kind's lists; customerId and siteId find the assignments at that level. */
function assignmentQuery(kind: AssignmentKind): QuerySpec {
  const t = kind.table;
  return {
    filters: {
      id: { type: 'id', column: t.id },
      assignmentLevel: { type: 'string', column: t.assignmentLevel },
      customerId: { type: 'id', build: (f) => sql`(${t.assignmentLevel} = 'CUSTOMER' and ${filterSql(t.customerId, f)})`, description: 'CUSTOMER-level assignments of the customer' },
      siteId: { type: 'id', build: (f) => sql`(${t.assignmentLevel} = 'SITE' and ${filterSql(t.siteId, f)})`, description: 'SITE-level assignments of the site' },
      [kind.inventoryField]: { type: 'id', column: kind.inventoryColumn },
      [kind.pricedField]: { type: 'id', column: kind.pricedColumn },
      startDate: { type: 'date', column: t.startDate },
      endDate: { type: 'date', column: t.endDate },
    },
    sorts: { id: t.id, assignmentLevel: t.assignmentLevel, startDate: t.startDate, endDate: t.endDate, [kind.pricedField]: kind.pricedColumn },
  };
}

/** The public representation: only the target id of its level is set, the others are null. */
function assignmentOutput(kind: AssignmentKind): (row: AssignmentRow) => Record<string, unknown> {
  const inventoryKey = columnKey(kind.table, kind.inventoryColumn);
  const pricedKey = columnKey(kind.table, kind.pricedColumn);
  return (r) => ({
    id: r.id,
    assignmentLevel: r.assignmentLevel,
    customerId: r.assignmentLevel === 'CUSTOMER' ? r.customerId : null,
    siteId: r.assignmentLevel === 'SITE' ? r.siteId : null,
    [kind.inventoryField]: r.assignmentLevel === 'INVENTORY' ? r[inventoryKey] : null,
    [kind.pricedField]: r[pricedKey],
    startDate: r.startDate,
    endDate: r.endDate,
    contractOwnerId: r.contractOwnerId,
    createdDate: r.createdDate,
    updatedDate: r.updatedDate,
    createdBy: r.createdBy,
    updatedBy: r.updatedBy,
    version: r.version,
  });
}

export type AssignmentService = ResourceService<AssignmentRow, Record<string, unknown>, AssignmentInput>;

export function assignmentService(kind: AssignmentKind): AssignmentService {
  const toOutput = assignmentOutput(kind);
  return tableService<AssignmentRow, Record<string, unknown>, AssignmentInput>({
    singular: kind.singular,
    table: kind.table,
    ownerColumn: kind.table.contractOwnerId,
    ownerOf: (r) => r.contractOwnerId,
    query: assignmentQuery(kind),
    // checked before toInsert and toUpdate: the overlap checks need ordered dates
    dateOrder: ['startDate', 'endDate'],
    async toInsert(ctx, input) {
      return assignmentValues(ctx, kind, await resolveTarget(ctx, kind, input), input);
    },
    async toUpdate(ctx, row, input, changed) {
      const target = targetOfRow(kind, row);
      if (target.level === 'INVENTORY') {
        const [inventory] = await ctx.db.select().from(kind.inventoryTable).where(eq(kind.inventoryTable.id, target.inventoryId!));
        target.inventory = (inventory as Record<string, unknown>) ?? null;
      }
      const dates = { startDate: input.startDate, endDate: input.endDate ?? null };
      const priced = await kind.usable(ctx, input[kind.pricedField] as number, target, input.startDate);
      await assertNoOverlap(ctx, kind, target, priced.overlapScope, dates, row.id);
      if (kind.inventoryNeedsCover) {
        if (target.level === 'INVENTORY' && changed.has('startDate')) await assertCovered(ctx, kind, target, input.startDate);
        if (target.level !== 'INVENTORY') await assertCoversKept(ctx, kind, row, dates);
      }
      return { [columnKey(kind.table, kind.pricedColumn)]: input[kind.pricedField], ...priced.values, ...dates };
    },
    async beforeDelete(ctx, row) {
      if (kind.inventoryNeedsCover && row.assignmentLevel !== 'INVENTORY') await assertCoversKept(ctx, kind, row, null);
    },
    toOutput: (_ctx, row) => toOutput(row),
  });
}

// ─── the four kinds ──────────────────────────────────────────────────────────

type UsageCard = typeof usageRateCards.$inferSelect;
type RentalCard = typeof rentalRateCards.$inferSelect;
type Plan = typeof inclusiveUsagePlans.$inferSelect;
type DiscountPlan = typeof rentalDiscountPlans.$inferSelect;

/** A shared rate card reaches the target: SELL, one of its owners is the target's, available at the start. */
function assertSellCardFor(
  card: { rateCardType?: string; rentalRateCardType?: string; availableFrom: string; availableTo: string | null },
  owners: readonly number[],
  target: Target,
  field: string,
  label: string,
  startDate: string,
) {
  const type = card.rateCardType ?? card.rentalRateCardType;
  if (type !== 'SELL') throw rule(field, `is a ${type} card; only SELL cards are assigned to customers`);
  if (!owners.includes(target.ownerId)) throw rule(field, `the ${label} is not available to contract owner ${target.ownerId}`);
  assertAvailable(card, startDate, label);
}

const usageRateCardKind: AssignmentKind = {
  singular: 'usage rate card assignment',
  table: usageRateCardAssignments,
  inventoryField: 'usageProductInventoryId',
  inventoryColumn: usageRateCardAssignments.usageProductInventoryId,
  inventoryTable: usageProductInventories,
  inventoryLabel: 'usage product inventory',
  pricedField: 'usageRateCardId',
  pricedColumn: usageRateCardAssignments.usageRateCardId,
  async usable(ctx, id, target, startDate) {
    const { row: card, owners } = await requireVisibleShared<UsageCard>(ctx, usageRateCards, usageRateCardOwnerLink, id, '/usageRateCardId', 'usage rate card');
    assertSellCardFor(card, owners, target, '/usageRateCardId', 'usage rate card', startDate);
    if (target.inventory && target.inventory.usageProductId !== card.usageProductId) {
      throw rule('/usageRateCardId', `the card prices usage product ${card.usageProductId}; the inventory is of usage product ${String(target.inventory.usageProductId)}`);
    }
    return {
      values: { usageProductId: card.usageProductId },
      overlapScope: { column: usageRateCardAssignments.usageProductId, value: card.usageProductId, label: 'usage product' },
    };
  },
};

const rentalRateCardKind: AssignmentKind = {
  singular: 'rental rate card assignment',
  table: rentalRateCardAssignments,
  inventoryField: 'rentalProductInventoryId',
  inventoryColumn: rentalRateCardAssignments.rentalProductInventoryId,
  inventoryTable: rentalProductInventories,
  inventoryLabel: 'rental product inventory',
  pricedField: 'rentalRateCardId',
  pricedColumn: rentalRateCardAssignments.rentalRateCardId,
  async usable(ctx, id, target, startDate) {
    const { row: card, owners } = await requireVisibleShared<RentalCard>(ctx, rentalRateCards, rentalRateCardOwnerLink, id, '/rentalRateCardId', 'rental rate card');
    assertSellCardFor(card, owners, target, '/rentalRateCardId', 'rental rate card', startDate);
    if (target.inventory) {
      const [product] = await ctx.db.select().from(rentalProducts).where(eq(rentalProducts.id, target.inventory.rentalProductId as number));
      if (product && product.rentalProductCategoryId !== card.rentalProductCategoryId) {
        throw rule('/rentalRateCardId', `the card prices category ${card.rentalProductCategoryId}; the inventory's product is in category ${product.rentalProductCategoryId}`);
      }
    }
    return {
      values: { rentalProductCategoryId: card.rentalProductCategoryId },
      overlapScope: { column: rentalRateCardAssignments.rentalProductCategoryId, value: card.rentalProductCategoryId, label: 'rental product category' },
    };
  },
};

const inclusiveUsagePlanKind: AssignmentKind = {
  singular: 'inclusive usage plan assignment',
  table: inclusiveUsagePlanAssignments,
  inventoryField: 'usageProductInventoryId',
  inventoryColumn: inclusiveUsagePlanAssignments.usageProductInventoryId,
  inventoryTable: usageProductInventories,
  inventoryLabel: 'usage product inventory',
  pricedField: 'inclusiveUsagePlanId',
  pricedColumn: inclusiveUsagePlanAssignments.inclusiveUsagePlanId,
  async usable(ctx, id, target, startDate) {
    const plan = await requireVisible<Plan>(ctx, inclusiveUsagePlans, id, '/inclusiveUsagePlanId', 'inclusive usage plan');
    if (plan.contractOwnerId !== target.ownerId) throw rule('/inclusiveUsagePlanId', `the plan belongs to contract owner ${plan.contractOwnerId}, the target to ${target.ownerId}`);
    assertAvailable(plan, startDate, 'inclusive usage plan');
    if (target.inventory && target.inventory.usageProductId !== plan.usageProductId) {
      throw rule('/inclusiveUsagePlanId', `the plan is for usage product ${plan.usageProductId}; the inventory is of usage product ${String(target.inventory.usageProductId)}`);
    }
    return {
      values: { usageProductId: plan.usageProductId },
      overlapScope: { column: inclusiveUsagePlanAssignments.inclusiveUsagePlanId, value: plan.id, label: 'inclusive usage plan' },
    };
  },
};

const rentalDiscountPlanKind: AssignmentKind = {
  singular: 'rental discount plan assignment',
  table: rentalDiscountPlanAssignments,
  inventoryField: 'rentalProductInventoryId',
  inventoryColumn: rentalDiscountPlanAssignments.rentalProductInventoryId,
  inventoryTable: rentalProductInventories,
  inventoryLabel: 'rental product inventory',
  pricedField: 'rentalDiscountPlanId',
  pricedColumn: rentalDiscountPlanAssignments.rentalDiscountPlanId,
  inventoryNeedsCover: true,
  async usable(ctx, id, target, startDate) {
    const plan = await requireVisible<DiscountPlan>(ctx, rentalDiscountPlans, id, '/rentalDiscountPlanId', 'rental discount plan');
    if (plan.contractOwnerId !== target.ownerId) throw rule('/rentalDiscountPlanId', `the plan belongs to contract owner ${plan.contractOwnerId}, the target to ${target.ownerId}`);
    assertAvailable(plan, startDate, 'rental discount plan');
    return { values: {}, overlapScope: null };
  },
};

/** A kind's field names and its service, for a surface to register. */
export interface AssignmentResource {
  kind: AssignmentKindFields;
  service: AssignmentService;
}

const resource = (kind: AssignmentKind): AssignmentResource => ({
  kind: { singular: kind.singular, inventoryField: kind.inventoryField, inventoryLabel: kind.inventoryLabel, pricedField: kind.pricedField },
  service: assignmentService(kind),
});

export const usageRateCardAssignment = resource(usageRateCardKind);
export const rentalRateCardAssignment = resource(rentalRateCardKind);
export const inclusiveUsagePlanAssignment = resource(inclusiveUsagePlanKind);
export const rentalDiscountPlanAssignment = resource(rentalDiscountPlanKind);

/**
 * The column values of a rental discount plan assigned to a site that a batch is
 * about to insert (an instellix contract's coupon), after the rules a POST of the
 * assignment applies. Errors name the plan as /rentalDiscountPlanId.
 */
export function siteDiscountAssignmentValues(
  ctx: Ctx,
  site: { id: number; customerId: number; contractOwnerId: number },
  input: { rentalDiscountPlanId: number; startDate: string; endDate?: string | null },
): Promise<Record<string, unknown>> {
  const target: Target = { level: 'SITE', ownerId: site.contractOwnerId, customerId: site.customerId, siteId: site.id, inventoryId: null, inventory: null };
  return assignmentValues(ctx, rentalDiscountPlanKind, target, { assignmentLevel: 'SITE', siteId: site.id, ...input });
}
