/**
 * Rental charges (v2-pricing.md §Rental charges) over the database: the one
 * loader that gathers, for a set of RPIs, everything domain/rental-charges/
 * prices them with, and `GET /v2/rental-charges` on top of it: numbered pages
 * (every line computed and counted) and keyset pages (rentalChargeKeysetPage: only
 * the RPIs from the cursor on, only the lines the page needs).
 *
 * `loadPricedInventories(db, rpiIds)` is used by rental charges, by rental ETCs
 * and by early termination (services/etc.ts), so a quote, a charge list and a
 * recorded ETC always price an RPI the same way. Its queries are set-based and
 * do not grow with the number of RPIs (ids travel as one JSON parameter): the
 * RPIs with their products' categories; then the rate card and discount plan
 * assignments reaching them (their customers, their sites, themselves); then the
 * cards with the templates they are based on, their rates for the RPIs'
 * products, the plans and their rules for the RPIs' categories; and the price
 * adaptation steps applied to the contracts the RPIs are actively assigned to
 * (applied-price-adaptations.ts). It applies no
 * tenancy: callers pass RPIs they have found visible. Amounts are micros.
 */
import { and, asc, eq, gt, gte, isNull, lte, or, type SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Ctx } from '../db/context';
import { type Db, inList } from '../db/client';
import { requireVisible } from '../db/crud';
import {
  customers,
  rentalDiscountPlanAssignments,
  rentalDiscountPlanRules,
  rentalDiscountPlans,
  rentalProductInventories,
  rentalProducts,
  rentalRateCardAssignments,
  rentalRateCards,
  rentalRates,
} from '../db/schema';
import { addDays, addMonths, type IsoDate, isIsoDate, MAX_DATE } from '../domain/dates';
import { storedToPercent } from '../domain/pricing';
import { rentalChargeLines, rentalCharges } from '../domain/rental-charges/charges';
import type { RentalChargeLine, RentalDiscountPlan, RentalPricing, RentalProductInventory, RentalRateCard } from '../domain/rental-charges/model';
import { businessRule, invalidField } from '../errors';
import { inventoryPriceSteps } from './applied-price-adaptations';
import { type Paging, PageWindow, type SortValues } from '../list-query';

/** An RPI with where it sits and everything that prices it. */
export interface PricedInventory {
  rpi: RentalProductInventory;
  customerId: number;
  siteId: number;
  contractOwnerId: number;
  pricing: RentalPricing;
}

interface Target {
  id: number;
  customerId: number;
  siteId: number;
}

/** Assignment columns that say whom an assignment reaches. */
interface Reach {
  assignmentLevel: 'CUSTOMER' | 'SITE' | 'INVENTORY';
  customerId: number;
  siteId: number | null;
  rentalProductInventoryId: number | null;
}

function reaches(a: Reach, target: Target): boolean {
  if (a.customerId !== target.customerId) return false;
  if (a.assignmentLevel === 'CUSTOMER') return true;
  if (a.assignmentLevel === 'SITE') return a.siteId === target.siteId;
  return a.rentalProductInventoryId === target.id;
}

/** SQL: assignments of the targets' customers at CUSTOMER level, of their sites at SITE level, of themselves at INVENTORY level. */
function reachingAny(t: typeof rentalRateCardAssignments | typeof rentalDiscountPlanAssignments, targets: readonly Target[]): SQL {
  return and(
    inList(t.customerId, targets.map((r) => r.customerId)),
    or(
      eq(t.assignmentLevel, 'CUSTOMER'),
      and(eq(t.assignmentLevel, 'SITE'), inList(t.siteId, targets.map((r) => r.siteId))),
      and(eq(t.assignmentLevel, 'INVENTORY'), inList(t.rentalProductInventoryId, targets.map((r) => r.id))),
    ),
  )!;
}

/** The RPIs (in id order; unknown ids are left out), each with its rental pricing. */
export async function loadPricedInventories(db: Db, rpiIds: readonly number[]): Promise<PricedInventory[]> {
  if (rpiIds.length === 0) return [];
  const rpis = await db
    .select({
      id: rentalProductInventories.id,
      contractOwnerId: rentalProductInventories.contractOwnerId,
      customerId: rentalProductInventories.customerId,
      siteId: rentalProductInventories.siteId,
      rentalProductId: rentalProductInventories.rentalProductId,
      rentalProductCategoryId: rentalProducts.rentalProductCategoryId,
      quantity: rentalProductInventories.quantity,
      startDate: rentalProductInventories.startDate,
      endDate: rentalProductInventories.endDate,
    })
    .from(rentalProductInventories)
    .innerJoin(rentalProducts, eq(rentalProducts.id, rentalProductInventories.rentalProductId))
    .where(inList(rentalProductInventories.id, rpiIds))
    .orderBy(asc(rentalProductInventories.id));
  if (rpis.length === 0) return [];
  const categoryIds = rpis.map((r) => r.rentalProductCategoryId);
  const productIds = rpis.map((r) => r.rentalProductId);

  const rrca = rentalRateCardAssignments;
  const rdpa = rentalDiscountPlanAssignments;
  const [cardAssignments, planAssignments, priceSteps] = await Promise.all([
    db
      .select()
      .from(rrca)
      .where(and(reachingAny(rrca, rpis), inList(rrca.rentalProductCategoryId, categoryIds))),
    db.select().from(rdpa).where(reachingAny(rdpa, rpis)),
    // the price adaptation steps of the contracts the RPIs are actively assigned to
    inventoryPriceSteps(
      db,
      rpis.map((r) => r.id),
    ),
  ]);

  // the assigned cards and the templates they are based on, in one query each for cards and rates
  const assignedCardIds = [...new Set(cardAssignments.map((a) => a.rentalRateCardId))];
  const withTemplates = (column: SQLiteColumn) =>
    or(
      inList(column, assignedCardIds),
      sql`${column} in (select ${rentalRateCards.basedOnTemplateId} from ${rentalRateCards} where ${inList(rentalRateCards.id, assignedCardIds)})`,
    );
  const planIds = [...new Set(planAssignments.map((a) => a.rentalDiscountPlanId))];
  const [cardRows, rateRows, planRows, ruleRows] = await Promise.all([
    assignedCardIds.length ? db.select().from(rentalRateCards).where(withTemplates(rentalRateCards.id)) : [],
    assignedCardIds.length
      ? db
          .select()
          .from(rentalRates)
          .where(and(withTemplates(rentalRates.rentalRateCardId), inList(rentalRates.rentalProductId, productIds)))
      : [],
    planIds.length ? db.select({ id: rentalDiscountPlans.id, durationInMonths: rentalDiscountPlans.durationInMonths }).from(rentalDiscountPlans).where(inList(rentalDiscountPlans.id, planIds)) : [],
    planIds.length
      ? db
          .select()
          .from(rentalDiscountPlanRules)
          .where(and(inList(rentalDiscountPlanRules.rentalDiscountPlanId, planIds), inList(rentalDiscountPlanRules.productCategoryId, categoryIds)))
      : [],
  ]);

  const cards = new Map<number, RentalRateCard>(
    cardRows.map((c) => [
      c.id,
      {
        id: c.id,
        rentalRateCardType: c.rentalRateCardType,
        rentalProductCategoryId: c.rentalProductCategoryId,
        basedOnTemplateId: c.basedOnTemplateId,
        rentalRates: rateRows
          .filter((r) => r.rentalRateCardId === c.id)
          .map((r) => ({
            id: r.id,
            rentalProductId: r.rentalProductId,
            price: r.price,
            rentalRatePriceType: r.rentalRatePriceType,
            rentalRateFrequency: r.rentalRateFrequency,
            startDate: r.startDate,
            endDate: r.endDate,
          })),
      },
    ]),
  );
  const plans = new Map<number, RentalDiscountPlan>(
    planRows.map((p) => [
      p.id,
      {
        id: p.id,
        durationInMonths: p.durationInMonths,
        rules: ruleRows
          .filter((r) => r.rentalDiscountPlanId === p.id)
          .map((r) => ({ id: r.id, productCategoryId: r.productCategoryId, rentalProductId: r.rentalProductId, discountPercentage: storedToPercent(r.discountPercentage) })),
      },
    ]),
  );

  return rpis.map((r) => {
    const rateCardAssignments = cardAssignments
      .filter((a) => a.rentalProductCategoryId === r.rentalProductCategoryId && reaches(a, r))
      .map((a) => ({ id: a.id, assignmentLevel: a.assignmentLevel, startDate: a.startDate, endDate: a.endDate, rentalRateCardId: a.rentalRateCardId }));
    const rateCards = new Map<number, RentalRateCard>();
    for (const a of rateCardAssignments) {
      const card = cards.get(a.rentalRateCardId);
      if (!card) continue;
      rateCards.set(card.id, card);
      const template = card.basedOnTemplateId === null ? undefined : cards.get(card.basedOnTemplateId);
      if (template) rateCards.set(template.id, template);
    }
    const discountPlanAssignments = planAssignments
      .filter((a) => reaches(a, r))
      .map((a) => ({ id: a.id, assignmentLevel: a.assignmentLevel, startDate: a.startDate, endDate: a.endDate, rentalDiscountPlanId: a.rentalDiscountPlanId }));
    const discountPlans = [...new Set(discountPlanAssignments.map((a) => a.rentalDiscountPlanId))].flatMap((id) => plans.get(id) ?? []);
    return {
      rpi: {
        id: r.id,
        rentalProductId: r.rentalProductId,
        rentalProductCategoryId: r.rentalProductCategoryId,
        quantity: r.quantity,
        startDate: r.startDate,
        endDate: r.endDate,
      },
      customerId: r.customerId,
      siteId: r.siteId,
      contractOwnerId: r.contractOwnerId,
      pricing: { rateCardAssignments, rateCards: [...rateCards.values()], discountPlanAssignments, discountPlans, priceSteps: priceSteps.get(r.id) ?? [] },
    };
  });
}

/**
 * Runs a pricing computation. The domain refuses amounts it cannot represent
 * exactly (a RangeError: a huge quantity at a huge price); for the caller that
 * is a 422 naming what was priced (`rental product inventory 5`), not a fault of Tenor.
 */
export function priceExactly<T>(subject: string, compute: () => T): T {
  try {
    return compute();
  } catch (error) {
    if (error instanceof RangeError) throw businessRule(`The charges of ${subject} cannot be computed exactly: ${error.message}`);
    throw error;
  }
}

// ─── GET /v2/rental-charges ──────────────────────────────────────────────────

/** The longest range one request may price: 5 years (a DAILY rate gives ~1,800 lines per RPI). */
export const MAX_RANGE_MONTHS = 60;

export interface RentalChargeQuery {
  customerId: number;
  from: IsoDate;
  to: IsoDate;
  siteId?: number;
  rentalProductInventoryId?: number;
}

export interface RentalChargePage {
  lines: RentalChargeLine[];
  /** lines in all pages */
  total: number;
  currencyCode: string;
}

/** 400 naming `query.to` unless from ≤ to < from + MAX_RANGE_MONTHS months. */
function assertRange(from: IsoDate, to: IsoDate): void {
  if (to < from) throw invalidField('query.to', 'must not be before from', to);
  const limit = addMonths(from, MAX_RANGE_MONTHS);
  const last = limit === MAX_DATE ? MAX_DATE : addDays(limit, -1);
  if (to > last) throw invalidField('query.to', `must be at most ${MAX_RANGE_MONTHS / 12} years after from (on or before ${last})`, to);
}

/**
 * One page of the customer's rental charge lines over [from, to]: by RPI id,
 * then in the order domain/rental-charges/ gives (the ONEOFF line, then the
 * RENTAL periods by start). Every line is computed to count them; only the
 * page's are kept. A range ending before it starts or longer than
 * MAX_RANGE_MONTHS is a 400 naming `query.to`; another owner's customer is a
 * 404 naming `query.customerId`.
 */
export async function rentalChargePage(ctx: Ctx, query: RentalChargeQuery, paging: Paging): Promise<RentalChargePage> {
  assertRange(query.from, query.to);
  const customer = await requireVisible<typeof customers.$inferSelect>(ctx, customers, query.customerId, 'query.customerId', 'customer');
  const owner = (await ctx.deps.owners.get(customer.contractOwnerId))!;
  const rows = await ctx.db
    .select({ id: rentalProductInventories.id })
    .from(rentalProductInventories)
    .where(chargedInventories(customer.id, query))
    .orderBy(asc(rentalProductInventories.id));
  const window = new PageWindow<RentalChargeLine>(paging);
  for (const { rpi, pricing } of await loadPricedInventories(ctx.db, rows.map((r) => r.id))) {
    for (const line of priceExactly(`rental product inventory ${rpi.id}`, () => rentalCharges(rpi, pricing, { from: query.from, to: query.to }))) window.offer(line);
  }
  return { lines: window.items, total: window.total, currencyCode: owner.currencyCode };
}

/** The customer's RPIs the query selects that can have a line in the range: alive on some day of it (a ONEOFF line is dated on the RPI start). */
function chargedInventories(customerId: number, query: RentalChargeQuery): SQL | undefined {
  const t = rentalProductInventories;
  return and(
    eq(t.customerId, customerId),
    query.siteId === undefined ? undefined : eq(t.siteId, query.siteId),
    query.rentalProductInventoryId === undefined ? undefined : eq(t.id, query.rentalProductInventoryId),
    lte(t.startDate, query.to),
    or(isNull(t.endDate), gte(t.endDate, query.from)),
  );
}

/** Where a line stands among its RPI's lines: by periodStart, the ONEOFF line before the RENTAL period starting the same day. */
const PRICE_TYPE_RANK: Record<RentalChargeLine['rentalRatePriceType'], number> = { ONEOFF: 0, RENTAL: 1 };

/** A line's place in the list (the cursor of a page ending on it): its RPI, its periodStart and its price type. */
interface LinePosition {
  rentalProductInventoryId: number;
  periodStart: IsoDate;
  rentalRatePriceType: RentalChargeLine['rentalRatePriceType'];
}

function positionOf(line: RentalChargeLine): SortValues {
  return [line.rentalProductInventoryId, line.periodStart, line.rentalRatePriceType];
}

/** The line position a cursor holds; anything else (another list's cursor) is a 400 naming the cursor. */
function linePosition(after: SortValues): LinePosition {
  const [id, periodStart, type] = after;
  const fits =
    after.length === 3 &&
    typeof id === 'number' &&
    Number.isSafeInteger(id) &&
    id >= 0 &&
    isIsoDate(periodStart) &&
    (type === 'ONEOFF' || type === 'RENTAL');
  if (!fits) throw invalidField('query.cursor', 'does not belong to this list and sort');
  return { rentalProductInventoryId: id, periodStart, rentalRatePriceType: type };
}

/** Whether a line of the position's RPI comes after the position. */
function isAfter(line: RentalChargeLine, position: LinePosition): boolean {
  if (line.periodStart !== position.periodStart) return line.periodStart > position.periodStart;
  return PRICE_TYPE_RANK[line.rentalRatePriceType] > PRICE_TYPE_RANK[position.rentalRatePriceType];
}

/** RPIs priced by the first query of a keyset page; each further query reads twice as many (up to what the page still lacks). */
const FIRST_INVENTORY_CHUNK = 8;

/**
 * A keyset page of the customer's rental charge lines over [from, to], in the
 * list's order: up to `pageSize` lines after the line whose position (RPI id,
 * periodStart, price type) `after` holds — null: from the first. The RPIs are read
 * from that RPI on (`id >= ?`, then `id > ?` the last one read), a few at a time
 * (FIRST_INVENTORY_CHUNK, doubling, never more than the lines the page still
 * lacks: an RPI with a line in the range has at least one), and priced only until
 * the page and one line more are there; the RPI the cursor stands in is priced
 * from the cursor's periodStart on (lines do not depend on the range's start), so
 * a page may end and the next begin inside an RPI's lines, and no page computes
 * what an earlier one listed. Not counted; `next` is the position of the page's
 * last line when more follow. A range or customer the offset pages refuse is
 * refused the same way.
 */
export async function rentalChargeKeysetPage(
  ctx: Ctx,
  query: RentalChargeQuery,
  paging: { pageSize: number; after: SortValues | null },
): Promise<{ lines: RentalChargeLine[]; next: SortValues | null; currencyCode: string }> {
  assertRange(query.from, query.to);
  const position = paging.after === null ? null : linePosition(paging.after);
  const customer = await requireVisible<typeof customers.$inferSelect>(ctx, customers, query.customerId, 'query.customerId', 'customer');
  const owner = (await ctx.deps.owners.get(customer.contractOwnerId))!;
  const t = rentalProductInventories;
  const inRange = chargedInventories(customer.id, query);
  const wanted = paging.pageSize + 1;
  const lines: RentalChargeLine[] = [];
  let from = position ? gte(t.id, position.rentalProductInventoryId) : undefined;
  let chunk = Math.min(wanted, FIRST_INVENTORY_CHUNK);
  for (;;) {
    const rows = await ctx.db.select({ id: t.id }).from(t).where(and(inRange, from)).orderBy(asc(t.id)).limit(chunk);
    for (const { rpi, pricing } of await loadPricedInventories(ctx.db, rows.map((r) => r.id))) {
      const resumed = position?.rentalProductInventoryId === rpi.id ? position : null;
      const range = { from: resumed && resumed.periodStart > query.from ? resumed.periodStart : query.from, to: query.to };
      priceExactly(`rental product inventory ${rpi.id}`, () => {
        for (const line of rentalChargeLines(rpi, pricing, range)) {
          if (resumed && !isAfter(line, resumed)) continue;
          lines.push(line);
          if (lines.length === wanted) return;
        }
      });
      if (lines.length === wanted) break;
    }
    const last = rows[rows.length - 1];
    if (lines.length === wanted || rows.length < chunk || !last) break;
    from = gt(t.id, last.id);
    chunk = Math.min(wanted - lines.length, chunk * 2);
  }
  const more = lines.length > paging.pageSize;
  if (more) lines.length = paging.pageSize;
  const last = lines[lines.length - 1];
  return { lines, next: more && last ? positionOf(last) : null, currencyCode: owner.currencyCode };
}
