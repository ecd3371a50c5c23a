/**
 * Inclusive usage balances (v2-pricing.md §Inclusive usage balances, elevate.md
 * §3.6): per UPI, the plans reaching it on a date with each component's balance for
 * the plan period holding that date — computed from the stored buckets with
 * allowances.ts, never stored themselves.
 *
 * A page is a page of UPIs: those visible to the token, matching the inventory
 * filters, with at least one plan assignment effective on the date that matches the
 * assignment filters (one query with an EXISTS, plus a count). Each item is then
 * computed from the assignments, plans and buckets of the page's UPIs.
 */
import { count, type SQL, sql } from 'drizzle-orm';
import type { Ctx } from '../context';
import { pagedTotal, readWhere } from '../db/crud';
import { usageProductInventories } from '../db/schema';
import { ownerToday } from '../db/today';
import { inclusiveUsageBalanceView, type InclusiveUsageBalance } from '../domain/allowances';
import type { IsoDate } from '../domain/dates';
import { filterSql, type ListParams, type ParsedFilter } from '../http/query';
import { allowanceBuckets, inclusiveUsagePlanAssignmentsReaching, planAssignmentsWithPlans } from './pricing-lookups';

export interface BalanceQuery {
  params: ListParams;
  /** the date of the balances; null = each owner's today */
  asOf: IsoDate | null;
}

type IdFilter = Extract<ParsedFilter, { type: 'id' }>;

function idFilter(params: ListParams, name: string): IdFilter | undefined {
  const f = params.filters.get(name);
  return f?.type === 'id' ? f : undefined;
}

/** The UPIs of the page: visible, filtered, reached by a matching plan assignment effective on the date. */
function pageWhere(ctx: Ctx, query: BalanceQuery, asOf: SQL): SQL | undefined {
  const u = usageProductInventories;
  const { params } = query;
  const assignment = idFilter(params, 'assignmentId');
  const plan = idFilter(params, 'inclusiveUsagePlanId');
  const component = idFilter(params, 'componentId');
  const narrowing = [
    assignment ? sql` and ${filterSql(sql`a.id`, assignment)}` : sql``,
    plan ? sql` and ${filterSql(sql`a.inclusive_usage_plan_id`, plan)}` : sql``,
    component
      ? sql` and exists (select 1 from inclusive_usage_components c where c.inclusive_usage_plan_id = a.inclusive_usage_plan_id and ${filterSql(sql`c.id`, component)})`
      : sql``,
  ];
  const reached = sql`exists (select 1 from inclusive_usage_plan_assignments a
    where a.customer_id = ${u.customerId} and a.usage_product_id = ${u.usageProductId}
      and (a.assignment_level = 'CUSTOMER' or (a.assignment_level = 'SITE' and a.site_id = ${u.siteId})
        or (a.assignment_level = 'INVENTORY' and a.usage_product_inventory_id = ${u.id}))
      and a.start_date <= ${asOf} and (a.end_date is null or a.end_date >= ${asOf})${sql.join(narrowing, sql``)})`;
  return readWhere(ctx.tenant, u.contractOwnerId, [...params.where, reached]);
}

export async function listInclusiveUsageBalances(ctx: Ctx, query: BalanceQuery): Promise<{ items: InclusiveUsageBalance[]; total: number }> {
  const { params } = query;
  const u = usageProductInventories;
  const asOf = query.asOf === null ? (await ownerToday(ctx, u.contractOwnerId)).expr : sql`${query.asOf}`;
  const where = pageWhere(ctx, query, asOf);
  const upis = await ctx.db
    .select({ id: u.id, contractOwnerId: u.contractOwnerId, customerId: u.customerId, siteId: u.siteId, usageProductId: u.usageProductId })
    .from(u)
    .where(where)
    .orderBy(...params.orderBy)
    .limit(params.pageSize)
    .offset((params.page - 1) * params.pageSize);
  const total = await pagedTotal(upis, params, async () => (await ctx.db.select({ n: count() }).from(u).where(where))[0]?.n ?? 0);
  if (upis.length === 0) return { items: [], total };

  await ctx.deps.owners.load(upis.map((r) => r.contractOwnerId), ctx.now);
  const dateOf = new Map(upis.map((r) => [r.id, query.asOf ?? ctx.deps.owners.today(r.contractOwnerId, ctx.now)]));
  const dates = [...dateOf.values()].sort();
  const [from, to] = [dates[0]!, dates[dates.length - 1]!];

  const assignmentFilter = idFilter(params, 'assignmentId');
  const planFilter = idFilter(params, 'inclusiveUsagePlanId');
  const componentFilter = idFilter(params, 'componentId');
  const reaching = await inclusiveUsagePlanAssignmentsReaching(ctx.db, upis, from, to);
  const rows = [...new Map([...reaching.values()].flat().map((a) => [a.id, a])).values()].filter(
    (a) => (!assignmentFilter || assignmentFilter.values.includes(a.id)) && (!planFilter || planFilter.values.includes(a.inclusiveUsagePlanId)),
  );
  const [assignments, buckets] = await Promise.all([
    planAssignmentsWithPlans(ctx.db, rows),
    allowanceBuckets(
      ctx.db,
      rows.map((a) => a.id),
      from,
      to,
    ),
  ]);

  const items: InclusiveUsageBalance[] = [];
  for (const upi of upis) {
    const own = (reaching.get(upi.id) ?? []).flatMap((a) => assignments.get(a.id) ?? []);
    const view = inclusiveUsageBalanceView({ usageProductInventoryId: upi.id, assignments: own, buckets, asOf: dateOf.get(upi.id)! });
    if (!view) continue;
    if (componentFilter) narrowToComponents(view, componentFilter.values);
    if (view.inclusiveUsageBalanceAssignments.length) items.push(view);
  }
  return { items, total };
}

/** Keeps only the listed components (and the assignments left with some), with the item's period spanning what is left. */
function narrowToComponents(view: InclusiveUsageBalance, componentIds: readonly number[]): void {
  view.inclusiveUsageBalanceAssignments = view.inclusiveUsageBalanceAssignments
    .map((a) => ({ ...a, components: a.components.filter((c) => componentIds.includes(c.componentId)) }))
    .filter((a) => a.components.length > 0);
  const components = view.inclusiveUsageBalanceAssignments.flatMap((a) => a.components);
  if (components.length === 0) return;
  view.periodStartDate = components.map((c) => c.startDate).sort()[0]!;
  view.periodEndDate = components
    .map((c) => c.endDate)
    .sort()
    .at(-1)!;
}

/** Whether any item would be listed (HEAD). */
export async function anyInclusiveUsageBalance(ctx: Ctx, query: BalanceQuery): Promise<boolean> {
  const u = usageProductInventories;
  const asOf = query.asOf === null ? (await ownerToday(ctx, u.contractOwnerId)).expr : sql`${query.asOf}`;
  const rows = await ctx.db.select({ id: u.id }).from(u).where(pageWhere(ctx, query, asOf)).limit(1);
  return rows.length > 0;
}
