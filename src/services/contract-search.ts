/**
 * Customer contracts as the simPRO surface lists them: with their maintenance
 * setup (pricing tier, service fee), their customer, and the flags derived for
 * the owner's today (Expired, Archived; domain/contract-setup.ts). Renewed
 * versions are listed too: each is a contract of its own, and reads as expired.
 * Writes go through services/customer-contracts.ts.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Ctx } from '../db/context';
import { inList } from '../db/client';
import { type ListPage, queryPage } from '../db/crud';
import { filterSql, type QuerySpec, scaledNumberFilter } from '../db/query';
import { customerContracts as cc, customers, pricingTiers, serviceFees } from '../db/schema';
import { ownerCondition } from '../db/tenancy';
import { ownerToday } from '../db/today';
import { ARCHIVED_AFTER_DAYS } from '../domain/contract-setup';
import { majorToMicros } from '../domain/money';
import type { ListQuery } from '../list-query';
import type { CustomerContractRow } from './customer-contracts';

const tierName = sql`(select ${pricingTiers.name} from ${pricingTiers} where ${pricingTiers.id} = ${cc.pricingTierId})`;
const tierDefaultMarkup = sql`(select ${pricingTiers.defaultMarkup} from ${pricingTiers} where ${pricingTiers.id} = ${cc.pricingTierId})`;
const feeName = sql`(select ${serviceFees.name} from ${serviceFees} where ${serviceFees.id} = ${cc.serviceFeeId})`;
const customerName = sql`(select ${customers.customerName} from ${customers} where ${customers.id} = ${cc.customerId})`;
/** the contract's markup, else its tier's default, else 0 (effectiveMarkup) */
const markup = sql`coalesce(${cc.markup}, ${tierDefaultMarkup}, 0)`;

/** SQL twin of isExpired(): the flag is set, or the end date has passed. */
const expiredSql = (today: SQL) => sql`(${cc.expired} = 1 or (${cc.endDate} is not null and ${cc.endDate} < ${today}))`;
/** SQL twin of isArchived(): ended more than ARCHIVED_AFTER_DAYS days ago. */
const archivedSql = (today: SQL) => sql`(${cc.endDate} is not null and ${cc.endDate} < date(${today}, ${`-${ARCHIVED_AFTER_DAYS} days`}))`;

/** Filters and sorts of the simPRO contract lists, by neutral field names (the route maps simPRO's columns onto them). */
export const contractSearchQuery: QuerySpec = {
  filters: {
    id: { type: 'id', column: cc.id },
    contractOwnerId: { type: 'id', column: cc.contractOwnerId },
    customerId: { type: 'id', column: cc.customerId },
    name: { type: 'string', column: cc.name },
    startDate: { type: 'date', column: cc.startDate },
    endDate: { type: 'date', column: cc.endDate },
    contractNumber: { type: 'string', column: cc.contractNumber },
    value: { type: 'number', build: scaledNumberFilter(cc.value, majorToMicros) },
    notes: { type: 'string', column: cc.notes },
    email: { type: 'string', column: cc.email },
    expired: {
      type: 'boolean',
      description: 'Set on the contract, or its end date has passed (for the owner’s today)',
      async build(f, ctx) {
        return filterSql(expiredSql((await ownerToday(ctx, cc.contractOwnerId)).expr), f);
      },
    },
    archived: {
      type: 'boolean',
      description: `Ended more than ${ARCHIVED_AFTER_DAYS} days ago (for the owner’s today)`,
      async build(f, ctx) {
        return filterSql(archivedSql((await ownerToday(ctx, cc.contractOwnerId)).expr), f);
      },
    },
    markup: { type: 'number', build: scaledNumberFilter(markup, majorToMicros) },
    pricingTierId: { type: 'id', column: cc.pricingTierId },
    pricingTierName: { type: 'string', column: tierName },
    pricingTierDefaultMarkup: { type: 'number', build: scaledNumberFilter(tierDefaultMarkup, majorToMicros) },
    serviceFeeId: { type: 'id', column: cc.serviceFeeId },
    serviceFeeName: { type: 'string', column: feeName },
    customerName: { type: 'string', column: customerName },
    /** Tenor's customers have one name: given and family names are always empty */
    customerGivenName: { type: 'string', column: sql`null` },
    customerFamilyName: { type: 'string', column: sql`null` },
  },
  sorts: {
    id: cc.id,
    name: cc.name,
    startDate: cc.startDate,
    endDate: cc.endDate,
    contractNumber: cc.contractNumber,
    value: cc.value,
    notes: cc.notes,
    email: cc.email,
    markup,
    pricingTierId: cc.pricingTierId,
    pricingTierName: tierName,
    pricingTierDefaultMarkup: tierDefaultMarkup,
    serviceFeeId: cc.serviceFeeId,
    serviceFeeName: feeName,
    customerId: cc.customerId,
    customerName,
  },
};

/** A page of the visible contracts matching the query (its filters name the owner and customer); a keyset page after `query.after`. */
export function searchContracts(ctx: Ctx, query: ListQuery): Promise<ListPage<CustomerContractRow>> {
  return queryPage<CustomerContractRow>(ctx, cc, contractSearchQuery, [ownerCondition(ctx.tenant, cc.contractOwnerId)], query);
}

export type PricingTierRow = typeof pricingTiers.$inferSelect;
export type ServiceFeeRow = typeof serviceFees.$inferSelect;
export type CustomerRow = typeof customers.$inferSelect;

export interface ContractSetup {
  tiers: Map<number, PricingTierRow>;
  fees: Map<number, ServiceFeeRow>;
  customers: Map<number, CustomerRow>;
}

async function byIds<T extends { id: number }>(ctx: Ctx, table: typeof pricingTiers | typeof serviceFees | typeof customers, ids: readonly (number | null)[]): Promise<Map<number, T>> {
  const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = (await ctx.db.select().from(table).where(inList(table.id, wanted))) as unknown as T[];
  return new Map(rows.map((r) => [r.id, r]));
}

/** The pricing tiers, service fees and customers the contracts name (only what `want` asks for). */
export async function contractSetup(
  ctx: Ctx,
  rows: readonly CustomerContractRow[],
  want: { tiers?: boolean; fees?: boolean; customers?: boolean },
): Promise<ContractSetup> {
  const [tiers, fees, owners] = await Promise.all([
    want.tiers ? byIds<PricingTierRow>(ctx, pricingTiers, rows.map((r) => r.pricingTierId)) : new Map<number, PricingTierRow>(),
    want.fees ? byIds<ServiceFeeRow>(ctx, serviceFees, rows.map((r) => r.serviceFeeId)) : new Map<number, ServiceFeeRow>(),
    want.customers ? byIds<CustomerRow>(ctx, customers, rows.map((r) => r.customerId)) : new Map<number, CustomerRow>(),
  ]);
  return { tiers, fees, customers: owners };
}
