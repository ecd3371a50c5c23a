/**
 * A maintenance contract's service levels (simPRO): every pair of an asset type
 * and a service level linked under the owner's setup (services/asset-types.ts),
 * each with the contract's price for servicing that asset type at that level
 * (no price row: not priced yet).
 */
import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { Ctx } from '../db/context';
import { inList } from '../db/client';
import { auditOnInsert, queryPage } from '../db/crud';
import type { QuerySpec } from '../db/query';
import { assetTypes, assetTypeServiceLevels, contractServiceLevelPrices, serviceLevels } from '../db/schema';
import { ownerCondition } from '../db/tenancy';
import { majorToMicros } from '../domain/money';
import type { ListQuery } from '../list-query';
import { type AssetTypeLinkRow, findAssetTypeLink, serviceLevelsById } from './asset-types';

const l = assetTypeServiceLevels;
const p = contractServiceLevelPrices;
type ServiceLevelRow = typeof serviceLevels.$inferSelect;
type AssetTypeRow = typeof assetTypes.$inferSelect;
export type ServiceLevelPriceRow = typeof p.$inferSelect;

export interface ContractServiceLevel {
  link: AssetTypeLinkRow;
  serviceLevel: ServiceLevelRow;
  assetType: AssetTypeRow;
  /** null: not priced yet */
  price: ServiceLevelPriceRow | null;
}

const levelName = sql`(select ${serviceLevels.name} from ${serviceLevels} where ${serviceLevels.id} = ${l.serviceLevelId})`;
const typeName = sql`(select ${assetTypes.name} from ${assetTypes} where ${assetTypes.id} = ${l.assetTypeId})`;

/** Filters and sorts of a contract's service levels. */
export const contractServiceLevelQuery: QuerySpec = {
  filters: {
    serviceLevelId: { type: 'id', column: l.serviceLevelId },
    serviceLevelName: { type: 'string', column: levelName },
    assetTypeId: { type: 'id', column: l.assetTypeId },
    assetTypeName: { type: 'string', column: typeName },
  },
  sorts: { id: l.id, serviceLevelId: l.serviceLevelId, serviceLevelName: levelName, assetTypeId: l.assetTypeId, assetTypeName: typeName },
};

/** The owner's pairs whose asset type and service level are not archived. */
function liveLinks(ownerId: number): SQL[] {
  return [
    eq(l.contractOwnerId, ownerId),
    sql`exists (select 1 from ${serviceLevels} where ${serviceLevels.id} = ${l.serviceLevelId} and ${serviceLevels.archived} = 0)`,
    sql`exists (select 1 from ${assetTypes} where ${assetTypes.id} = ${l.assetTypeId} and ${assetTypes.archived} = 0)`,
  ];
}

async function assetTypesById(ctx: Ctx, ids: readonly number[]): Promise<Map<number, AssetTypeRow>> {
  if (ids.length === 0) return new Map();
  const rows = await ctx.db.select().from(assetTypes).where(inList(assetTypes.id, ids));
  return new Map(rows.map((r) => [r.id, r]));
}

async function pricesOf(ctx: Ctx, contractIds: readonly number[]): Promise<Map<string, ServiceLevelPriceRow>> {
  const out = new Map<string, ServiceLevelPriceRow>();
  if (contractIds.length === 0) return out;
  const rows = await ctx.db.select().from(p).where(inList(p.customerContractId, contractIds));
  for (const r of rows) out.set(`${r.customerContractId}:${r.serviceLevelId}:${r.assetTypeId}`, r);
  return out;
}

async function withNames(ctx: Ctx, links: readonly AssetTypeLinkRow[], contractId: number, prices: Map<string, ServiceLevelPriceRow>): Promise<ContractServiceLevel[]> {
  const [levels, types] = await Promise.all([
    serviceLevelsById(ctx, [...new Set(links.map((x) => x.serviceLevelId))]),
    assetTypesById(ctx, [...new Set(links.map((x) => x.assetTypeId))]),
  ]);
  return links.map((link) => ({
    link,
    serviceLevel: levels.get(link.serviceLevelId)!,
    assetType: types.get(link.assetTypeId)!,
    price: prices.get(`${contractId}:${link.serviceLevelId}:${link.assetTypeId}`) ?? null,
  }));
}

/** A page of the contract's service levels. */
export async function listContractServiceLevels(ctx: Ctx, contract: { id: number; contractOwnerId: number }, query: ListQuery) {
  const page = await queryPage<AssetTypeLinkRow>(
    ctx,
    l,
    contractServiceLevelQuery,
    [ownerCondition(ctx.tenant, l.contractOwnerId), ...liveLinks(contract.contractOwnerId)],
    query,
  );
  return { ...page, rows: await withNames(ctx, page.rows, contract.id, new Map()) };
}

/** Every service level of each contract (by asset type, then the link's display order), with its prices. */
export async function contractServiceLevels(ctx: Ctx, ownerId: number, contractIds: readonly number[]): Promise<Map<number, ContractServiceLevel[]>> {
  const out = new Map<number, ContractServiceLevel[]>();
  if (contractIds.length === 0) return out;
  const links = await ctx.db
    .select()
    .from(l)
    .where(and(...liveLinks(ownerId)))
    .orderBy(l.assetTypeId, l.displayOrder, l.id);
  const prices = await pricesOf(ctx, contractIds);
  for (const id of contractIds) out.set(id, await withNames(ctx, links, id, prices));
  return out;
}

/** The contract's price for one linked pair, or null when the owner has not linked the pair. */
export async function contractServiceLevel(
  ctx: Ctx,
  contract: { id: number; contractOwnerId: number },
  serviceLevelId: number,
  assetTypeId: number,
): Promise<ContractServiceLevel | null> {
  const link = await findAssetTypeLink(ctx, assetTypeId, serviceLevelId);
  if (!link || link.contractOwnerId !== contract.contractOwnerId) return null;
  const prices = await ctx.db
    .select()
    .from(p)
    .where(and(eq(p.customerContractId, contract.id), eq(p.serviceLevelId, serviceLevelId), eq(p.assetTypeId, assetTypeId)));
  const map = new Map(prices.map((r) => [`${contract.id}:${r.serviceLevelId}:${r.assetTypeId}`, r]));
  const [item] = await withNames(ctx, [link], contract.id, map);
  return item ?? null;
}

export interface ServiceLevelPriceInput {
  /** major units of the owner's currency; null: not priced */
  chargeRate?: number | null;
  /** hours; null: not estimated */
  estimatedTime?: number | null;
}

/** Sets the given parts of the contract's price for a linked pair. */
export async function setContractServiceLevelPrice(ctx: Ctx, contract: { id: number; contractOwnerId: number }, item: ContractServiceLevel, input: ServiceLevelPriceInput): Promise<void> {
  const set: Record<string, unknown> = {};
  if (input.chargeRate !== undefined) set.chargeRate = input.chargeRate === null ? null : majorToMicros(input.chargeRate);
  if (input.estimatedTime !== undefined) set.estimatedTime = input.estimatedTime === null ? null : majorToMicros(input.estimatedTime);
  if (Object.keys(set).length === 0) return;
  await ctx.db
    .insert(p)
    .values({
      contractOwnerId: contract.contractOwnerId,
      customerContractId: contract.id,
      serviceLevelId: item.serviceLevel.id,
      assetTypeId: item.assetType.id,
      ...set,
      ...auditOnInsert(ctx),
    })
    .onConflictDoUpdate({
      target: [p.customerContractId, p.serviceLevelId, p.assetTypeId],
      set: { ...set, version: sql`${p.version} + 1`, updatedDate: ctx.nowIso, updatedBy: ctx.actor },
    });
}

