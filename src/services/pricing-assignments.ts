/**
 * Pricing assignments (v2-pricing.md §Assignments): a rate card or plan assigned to
 * a customer, a site or an inventory for a date range. One service serves the four
 * kinds; each kind says how its card or plan is checked against the target.
 *
 * Every assignment stores its target's customer (and site, below customer level),
 * so the assignments that reach an inventory at a date — its own, its site's and
 * its customer's — are one query on (customer_id, start_date).
 */
import { and, eq, ne, type SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Ctx } from '../context';
import { type BaseRow, requireVisible, type ResourceService, tableService } from '../db/crud';
import { columnKey } from '../db/crud';
import { customers, sites } from '../db/schema';
import type { AssignmentLevel } from '../domain/assignments';
import { isWithin } from '../domain/dates';
import { type DiscountCover, uncoveredInventoryAssignments } from '../domain/pricing';
import { conflict } from '../http/problem';
import { rule } from './pricing-checks';

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

export interface AssignmentKind {
  singular: string;
  table: AnyTable;
  inventoryField: string;
  inventoryColumn: SQLiteColumn;
  inventoryTable: AnyTable;
  inventoryLabel: string;
  pricedField: string;
  pricedColumn: SQLiteColumn;
  /** loads the card or plan (404 naming the field) and checks it may reach `target` from `startDate` (422) */
  usable(ctx: Ctx, id: number, target: Target, startDate: string): Promise<UsablePriced>;
  /** discount plans: an INVENTORY-level assignment needs a SITE- or CUSTOMER-level one at its start */
  inventoryNeedsCover?: boolean;
}

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

export function assignmentService(kind: AssignmentKind, toOutput: (row: AssignmentRow) => Record<string, unknown>): ResourceService<AssignmentRow, Record<string, unknown>, AssignmentInput> {
  return tableService<AssignmentRow, Record<string, unknown>, AssignmentInput>({
    singular: kind.singular,
    table: kind.table,
    ownerColumn: kind.table.contractOwnerId,
    ownerOf: (r) => r.contractOwnerId,
    // checked before toInsert and toUpdate: the overlap checks need ordered dates
    dateOrder: ['startDate', 'endDate'],
    async toInsert(ctx, input) {
      const target = await resolveTarget(ctx, kind, input);
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
