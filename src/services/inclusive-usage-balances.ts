/**
 * Inclusive usage balances (v2-pricing.md §Inclusive usage balances, elevate.md
 * §3.6): per UPI, the plans reaching it on a date with each component's balance for
 * the plan period holding that date — computed from the stored buckets with
 * domain/allowances/, never stored themselves.
 *
 * A page is a page of UPIs: those visible to the token, matching the inventory
 * filters, with at least one plan assignment effective on the date that matches the
 * assignment filters (one query with an EXISTS, plus a count). Each item is then
 * computed from the assignments, plans and buckets of the page's UPIs.
 */
import { and, count, type SQL, sql } from 'drizzle-orm';
import type { Ctx } from '../db/context';
import { pagedTotal, readWhere } from '../db/crud';
import { compileAfter, compileOrder, compileWhere, filterSql, type QuerySpec } from '../db/query';
import { usageProductInventories } from '../db/schema';
import { ownerToday } from '../db/today';
import { inclusiveUsageBalanceView, type InclusiveUsageBalance } from '../domain/allowances/balances';
import { API_DATE_RANGE, type IsoDate, isApiDate, isIsoDate } from '../domain/dates';
import { invalidField } from '../errors';
import { equalValues, type FieldFilter, type ListQuery, type SortKey, type SortValues, topLevelFilter } from '../list-query';
import { allowanceBuckets, inclusiveUsagePlanAssignmentsReaching, planAssignmentsWithPlans } from './pricing-lookups';

const u = usageProductInventories;

/** The filters and sorts of balance lists: the UPI's fields filter the UPIs, the others the assignments and components listed. */
export const inclusiveUsageBalanceQuery: QuerySpec = {
  filters: {
    customerId: { type: 'id', column: u.customerId },
    siteId: { type: 'id', column: u.siteId },
    usageProductInventoryId: { type: 'id', column: u.id },
    // applied to the assignments (pageWhere, listInclusiveUsageBalances)
    assignmentId: { type: 'id', description: 'Only this inclusive usage plan assignment' },
    inclusiveUsagePlanId: { type: 'id', description: 'Only assignments of this plan' },
    componentId: { type: 'id', description: 'Only this component' },
    // Elevate's bill runs: Tenor has none, so every balance's billRunId is null and no bill run id matches it
    billRunId: { type: 'id', description: 'Tenor has no bill runs: every balance’s billRunId is null, so this filter matches none', build: () => sql`0` },
  },
  // periodStartDate and periodEndDate are computed per balance, never compiled to SQL (sortedInMemory)
  sorts: { usageProductInventoryId: u.id, customerId: u.customerId, siteId: u.siteId, periodStartDate: sql`null`, periodEndDate: sql`null` },
};

/** Sorts by a balance's period: the balances of every matching UPI are computed, then sorted and paged. */
const COMPUTED_SORTS: ReadonlySet<string> = new Set(['periodStartDate', 'periodEndDate']);
/** The most UPIs a computed sort may compute balances for in one request (more: a 400 asking for a narrower filter). */
export const MAX_COMPUTED_SORT_INVENTORIES = 2000;

/** The UPI id is the final tie-breaker; `sort=id` is not offered (the items have no `id`). */
const orderSpec: QuerySpec = { ...inclusiveUsageBalanceQuery, sorts: { ...inclusiveUsageBalanceQuery.sorts, id: u.id } };

export interface BalanceQuery {
  list: ListQuery;
  /** the date of the balances as given (YYYY-MM-DD, else a 400 naming `query.asOf`); null = each owner's today */
  asOf: string | null;
}

/** The UPI filters as SQL and the date; a query binding too many values is reported before a bad asOf, as the grammar always has. */
async function resolve(ctx: Ctx, query: BalanceQuery): Promise<{ filters: SQL | undefined; asOf: IsoDate | null }> {
  const filters = await compileWhere(ctx, inclusiveUsageBalanceQuery, query.list.where);
  if (query.asOf !== null && !isIsoDate(query.asOf)) throw invalidField('query.asOf', 'must be a date (YYYY-MM-DD)', query.asOf);
  if (query.asOf !== null && !isApiDate(query.asOf)) throw invalidField('query.asOf', `must lie in ${API_DATE_RANGE}`, query.asOf);
  return { filters, asOf: query.asOf };
}

/** A filter on the assignments or components (no UPI column), if given. */
function narrowingFilter(query: BalanceQuery, name: 'assignmentId' | 'inclusiveUsagePlanId' | 'componentId'): FieldFilter | undefined {
  return topLevelFilter(query.list.where, name);
}

/** The UPIs of the page: visible, filtered, reached by a matching plan assignment effective on the date. */
function pageWhere(ctx: Ctx, query: BalanceQuery, filters: SQL | undefined, asOf: SQL): SQL | undefined {
  const assignment = narrowingFilter(query, 'assignmentId');
  const plan = narrowingFilter(query, 'inclusiveUsagePlanId');
  const component = narrowingFilter(query, 'componentId');
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
  return readWhere(ctx.tenant, u.contractOwnerId, [filters, reached]);
}

type PageUpi = { id: number; contractOwnerId: number; customerId: number; siteId: number; usageProductId: number };

const pageColumns = { id: u.id, contractOwnerId: u.contractOwnerId, customerId: u.customerId, siteId: u.siteId, usageProductId: u.usageProductId };

/** The balances of every matching UPI (at most MAX_COMPUTED_SORT_INVENTORIES, else a 400) in a sort by a balance's period. */
async function computedSortItems(ctx: Ctx, query: BalanceQuery, asOf: IsoDate | null, where: SQL | undefined) {
  const upis = await ctx.db.select(pageColumns).from(u).where(where).orderBy(u.id).limit(MAX_COMPUTED_SORT_INVENTORIES + 1);
  if (upis.length > MAX_COMPUTED_SORT_INVENTORIES) {
    throw invalidField(
      'query.sort',
      `a sort by a balance's period computes every matching balance: at most ${MAX_COMPUTED_SORT_INVENTORIES} inventories may match (narrow the list with customerId, siteId or usageProductInventoryId)`,
    );
  }
  return sortedInMemory(await balancesOf(ctx, query, asOf, upis), query.list.sort);
}

export async function listInclusiveUsageBalances(ctx: Ctx, query: BalanceQuery): Promise<{ items: InclusiveUsageBalance[]; total: number }> {
  const { list } = query;
  const resolved = await resolve(ctx, query);
  const asOf = resolved.asOf === null ? (await ownerToday(ctx, u.contractOwnerId)).expr : sql`${resolved.asOf}`;
  const where = pageWhere(ctx, query, resolved.filters, asOf);
  if (list.sort.some((k) => COMPUTED_SORTS.has(k.field))) {
    const items = await computedSortItems(ctx, query, resolved.asOf, where);
    const offset = (list.page - 1) * list.pageSize;
    return { items: items.slice(offset, offset + list.pageSize), total: items.length };
  }
  const upis = await ctx.db
    .select(pageColumns)
    .from(u)
    .where(where)
    .orderBy(...compileOrder(orderSpec, list.sort))
    .limit(list.pageSize)
    .offset((list.page - 1) * list.pageSize);
  const total = await pagedTotal(upis, list, async () => (await ctx.db.select({ n: count() }).from(u).where(where))[0]?.n ?? 0);
  return { items: await balancesOf(ctx, query, resolved.asOf, upis), total };
}

/**
 * The keys of a sort of balances, each once, with the UPI id (`id`) last: what a
 * keyset page's cursor holds, in the order sortKeys (db/query.ts) gives them, so
 * compileAfter reads the same cursor.
 */
function balanceKeys(sort: readonly SortKey[]): SortKey[] {
  const keys: SortKey[] = [];
  for (const key of [...sort, { field: 'id', descending: false }]) if (!keys.some((k) => k.field === key.field)) keys.push(key);
  return keys;
}

/** A key's value of a balance: its period (computed) or its UPI's column. */
function keyValue(item: InclusiveUsageBalance & { upi: PageUpi }, field: string): string | number {
  if (field === 'periodStartDate') return item.periodStartDate;
  if (field === 'periodEndDate') return item.periodEndDate;
  return upiKeyValue(item.upi, field);
}

function upiKeyValue(upi: PageUpi, field: string): number {
  if (field === 'customerId') return upi.customerId;
  if (field === 'siteId') return upi.siteId;
  return upi.id;
}

/** The cursor's values when they fit the sort's keys (dates for the periods, ids for the rest); else a 400 naming the cursor. */
function fittingCursor(after: SortValues, keys: readonly SortKey[]): ReadonlyArray<string | number> {
  const fits =
    after.length === keys.length &&
    keys.every((k, i) => {
      const v = after[i];
      return COMPUTED_SORTS.has(k.field) ? isIsoDate(v) : typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
    });
  if (!fits) throw invalidField('query.cursor', 'does not belong to this list and sort');
  return after as ReadonlyArray<string | number>;
}

/**
 * A keyset page of balances: up to `pageSize` UPIs' balances after the UPI whose
 * sort keys (balanceKeys) had the cursor's values (null: from the first). In a sort
 * of the UPI's columns the page's UPIs are read after the cursor in SQL
 * (compileAfter, in the sort's order, at most pageSize + 1 rows), so every
 * page costs the same however deep; a sort by a balance's period computes the
 * balances of every matching UPI on every page, as its numbered pages do (at most
 * MAX_COMPUTED_SORT_INVENTORIES), and keeps those after the cursor. Not counted;
 * `next` holds the keys of the page's last UPI when more follow. As on numbered
 * pages, a UPI whose balance the assignment or component filters empty is left
 * out, so a page may hold fewer items than pageSize and still have a next.
 */
export async function inclusiveUsageBalanceKeysetPage(ctx: Ctx, query: BalanceQuery, after: SortValues | null): Promise<{ items: InclusiveUsageBalance[]; next: SortValues | null }> {
  const { list } = query;
  const keys = balanceKeys(list.sort);
  const cursor = after === null ? null : fittingCursor(after, keys);
  const resolved = await resolve(ctx, query);
  const asOf = resolved.asOf === null ? (await ownerToday(ctx, u.contractOwnerId)).expr : sql`${resolved.asOf}`;
  const where = pageWhere(ctx, query, resolved.filters, asOf);
  if (list.sort.some((k) => COMPUTED_SORTS.has(k.field))) {
    const sorted = await computedSortItems(ctx, query, resolved.asOf, where);
    const beyond = (item: InclusiveUsageBalance & { upi: PageUpi }) => {
      for (const [i, key] of keys.entries()) {
        const x = keyValue(item, key.field);
        const y = cursor![i]!;
        if (x !== y) return (x < y) === key.descending;
      }
      return false;
    };
    const start = cursor === null ? 0 : sorted.findIndex(beyond);
    const rest = start < 0 ? [] : sorted.slice(start, start + list.pageSize + 1);
    const more = rest.length > list.pageSize;
    const items = rest.slice(0, list.pageSize);
    const last = items[items.length - 1];
    return { items, next: more && last ? keys.map((k) => keyValue(last, k.field)) : null };
  }
  const upis = await ctx.db
    .select(pageColumns)
    .from(u)
    .where(and(where, cursor === null ? undefined : compileAfter(orderSpec, list.sort, cursor)))
    .orderBy(...compileOrder(orderSpec, list.sort))
    .limit(list.pageSize + 1);
  const more = upis.length > list.pageSize;
  if (more) upis.length = list.pageSize;
  const last = upis[upis.length - 1];
  return { items: await balancesOf(ctx, query, resolved.asOf, upis), next: more && last ? keys.map((k) => upiKeyValue(last, k.field)) : null };
}

/** The balances of these UPIs, in their order (a UPI left with no matching plan or component has none). */
async function balancesOf(ctx: Ctx, query: BalanceQuery, asOf: IsoDate | null, upis: readonly PageUpi[]): Promise<Array<InclusiveUsageBalance & { upi: PageUpi }>> {
  if (upis.length === 0) return [];
  await ctx.deps.owners.load(upis.map((r) => r.contractOwnerId), ctx.now);
  const dateOf = new Map(upis.map((r) => [r.id, asOf ?? ctx.deps.owners.today(r.contractOwnerId, ctx.now)]));
  const dates = [...dateOf.values()].sort();
  const [from, to] = [dates[0]!, dates[dates.length - 1]!];

  const assignmentFilter = narrowingFilter(query, 'assignmentId');
  const planFilter = narrowingFilter(query, 'inclusiveUsagePlanId');
  const componentFilter = narrowingFilter(query, 'componentId');
  const assignmentIds = assignmentFilter && equalValues(assignmentFilter);
  const planIds = planFilter && equalValues(planFilter);
  const reaching = await inclusiveUsagePlanAssignmentsReaching(ctx.db, upis, from, to);
  const rows = [...new Map([...reaching.values()].flat().map((a) => [a.id, a])).values()].filter(
    (a) => (!assignmentIds || assignmentIds.includes(a.id)) && (!planIds || planIds.includes(a.inclusiveUsagePlanId)),
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

  const items: Array<InclusiveUsageBalance & { upi: PageUpi }> = [];
  for (const upi of upis) {
    const own = (reaching.get(upi.id) ?? []).flatMap((a) => assignments.get(a.id) ?? []);
    const view = inclusiveUsageBalanceView({ usageProductInventoryId: upi.id, assignments: own, buckets, asOf: dateOf.get(upi.id)! });
    if (!view) continue;
    if (componentFilter) narrowToComponents(view, equalValues(componentFilter));
    if (view.inclusiveUsageBalanceAssignments.length) items.push(Object.defineProperty(view, 'upi', { value: upi, enumerable: false }) as InclusiveUsageBalance & { upi: PageUpi });
  }
  return items;
}

/** Balances in the order of the sort keys (computed periods and the UPI's columns), the UPI id last. */
function sortedInMemory<T extends InclusiveUsageBalance & { upi: PageUpi }>(items: T[], sort: readonly SortKey[]): T[] {
  return items.sort((a, b) => {
    for (const key of sort) {
      const x = keyValue(a, key.field);
      const y = keyValue(b, key.field);
      if (x !== y) return (x < y ? -1 : 1) * (key.descending ? -1 : 1);
    }
    return a.upi.id - b.upi.id;
  });
}

/** Keeps only the listed components (and the assignments left with some), with the item's period spanning what is left. */
function narrowToComponents(view: InclusiveUsageBalance, componentIds: readonly unknown[]): void {
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
  const resolved = await resolve(ctx, query);
  const asOf = resolved.asOf === null ? (await ownerToday(ctx, u.contractOwnerId)).expr : sql`${resolved.asOf}`;
  const rows = await ctx.db.select({ id: u.id }).from(u).where(pageWhere(ctx, query, resolved.filters, asOf)).limit(1);
  return rows.length > 0;
}
