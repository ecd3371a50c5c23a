/**
 * Asset types (simPRO setup, Maintenance Planner): kinds of asset a maintenance
 * contract covers, and the service levels each offers. A link of an asset type
 * to a service level is addressed by the pair; a contract prices every linked
 * pair (services/contract-service-levels.ts).
 */
import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { Ctx } from '../db/context';
import { abortUnlessChanged, inList, isGuardAbort, type Statement } from '../db/client';
import { assertSameOwner, assertUnreferenced, auditOnInsert, concurrentChange, type ListPage, queryPage, requireOwner, requireVisible, tableService } from '../db/crud';
import type { QuerySpec } from '../db/query';
import { assetTypes, assetTypeServiceLevels, contractServiceLevelPrices, serviceLevels } from '../db/schema';
import { canSee, ownerCondition } from '../db/tenancy';
import { conflict } from '../errors';
import type { ListQuery } from '../list-query';

export interface AssetTypeInput {
  contractOwnerId: number;
  name: string;
  referenceSection?: string | null;
  referenceStandard?: string | null;
  description?: string | null;
  archived?: boolean;
}

export type AssetTypeRow = typeof assetTypes.$inferSelect;
const a = assetTypes;

function columns(input: Partial<AssetTypeInput>, fields: Iterable<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    if (field === 'archived') out.archived = input.archived ?? false;
    else if (field === 'name') out.name = input.name;
    else if (field === 'referenceSection' || field === 'referenceStandard' || field === 'description') out[field] = input[field] || null;
  }
  return out;
}

export const assetTypeService = tableService<AssetTypeRow, AssetTypeRow, AssetTypeInput>({
  singular: 'asset type',
  table: a,
  ownerColumn: a.contractOwnerId,
  ownerOf: (r) => r.contractOwnerId,
  query: {
    filters: {
      id: { type: 'id', column: a.id },
      contractOwnerId: { type: 'id', column: a.contractOwnerId },
      name: { type: 'string', column: a.name },
      referenceSection: { type: 'string', column: a.referenceSection },
      referenceStandard: { type: 'string', column: a.referenceStandard },
      description: { type: 'string', column: a.description },
      archived: { type: 'boolean', column: a.archived },
    },
    sorts: {
      id: a.id,
      name: a.name,
      referenceSection: a.referenceSection,
      referenceStandard: a.referenceStandard,
      description: a.description,
      archived: a.archived,
    },
  },
  async toInsert(ctx, input) {
    await requireOwner(ctx, input.contractOwnerId);
    return { contractOwnerId: input.contractOwnerId, ...columns(input, ['name', 'referenceSection', 'referenceStandard', 'description', 'archived']) };
  },
  async toUpdate(_ctx, _row, input, changed) {
    return columns(input, changed);
  },
  async beforeDelete(ctx, row) {
    await assertUnreferenced(ctx, 'asset type', row.id, [
      { table: assetTypeServiceLevels, column: assetTypeServiceLevels.assetTypeId, label: 'service levels' },
      { table: contractServiceLevelPrices, column: contractServiceLevelPrices.assetTypeId, label: 'contract prices' },
    ]);
  },
  toOutput: (_ctx, row) => row,
});

// ─── the service levels of an asset type ─────────────────────────────────────

export type AssetTypeLinkRow = typeof assetTypeServiceLevels.$inferSelect;
const l = assetTypeServiceLevels;

export interface AssetTypeLinkInput {
  serviceLevelId: number;
  displayOrder?: number;
  isDefault?: boolean;
}

const serviceLevelName = sql`(select ${serviceLevels.name} from ${serviceLevels} where ${serviceLevels.id} = ${l.serviceLevelId})`;

/** Filters and sorts of an asset type's service levels. */
export const assetTypeLinkQuery: QuerySpec = {
  filters: {
    id: { type: 'id', column: l.id },
    contractOwnerId: { type: 'id', column: l.contractOwnerId },
    assetTypeId: { type: 'id', column: l.assetTypeId },
    serviceLevelId: { type: 'id', column: l.serviceLevelId },
    serviceLevelName: { type: 'string', column: serviceLevelName },
    displayOrder: { type: 'number', column: l.displayOrder },
    isDefault: { type: 'boolean', column: l.isDefault },
  },
  sorts: {
    id: l.id,
    serviceLevelId: l.serviceLevelId,
    serviceLevelName,
    displayOrder: l.displayOrder,
    isDefault: l.isDefault,
  },
};

export function listAssetTypeLinks(ctx: Ctx, query: ListQuery): Promise<ListPage<AssetTypeLinkRow>> {
  return queryPage<AssetTypeLinkRow>(ctx, l, assetTypeLinkQuery, [ownerCondition(ctx.tenant, l.contractOwnerId)], query);
}

/** The link of a visible asset type to a service level, or null. */
export async function findAssetTypeLink(ctx: Ctx, assetTypeId: number, serviceLevelId: number): Promise<AssetTypeLinkRow | null> {
  const [row] = await ctx.db
    .select()
    .from(l)
    .where(and(eq(l.assetTypeId, assetTypeId), eq(l.serviceLevelId, serviceLevelId)));
  return row && canSee(ctx.tenant, row.contractOwnerId) ? row : null;
}

/** Service levels by id (for names), visible or not: callers pass ids of rows they may see. */
export async function serviceLevelsById(ctx: Ctx, ids: readonly number[]): Promise<Map<number, typeof serviceLevels.$inferSelect>> {
  if (ids.length === 0) return new Map();
  const rows = await ctx.db.select().from(serviceLevels).where(inList(serviceLevels.id, ids));
  return new Map(rows.map((r) => [r.id, r]));
}

/** Setting a link as its asset type's default takes the mark off the type's others, in the same batch. */
function clearOtherDefaults(ctx: Ctx, assetTypeId: number, exceptId: number | null): Statement {
  const others: SQL[] = [eq(l.assetTypeId, assetTypeId), eq(l.isDefault, true)];
  if (exceptId !== null) others.push(sql`${l.id} <> ${exceptId}`);
  return ctx.db
    .update(l)
    .set({ isDefault: false, version: sql`${l.version} + 1`, updatedDate: ctx.nowIso, updatedBy: ctx.actor })
    .where(and(...others));
}

export async function createAssetTypeLink(ctx: Ctx, assetType: AssetTypeRow, input: AssetTypeLinkInput): Promise<AssetTypeLinkRow> {
  const level = await requireVisible<typeof serviceLevels.$inferSelect>(ctx, serviceLevels, input.serviceLevelId, '/serviceLevelId', 'service level');
  assertSameOwner(assetType.contractOwnerId, level, '/serviceLevelId', 'service level');
  if (await findAssetTypeLink(ctx, assetType.id, level.id)) {
    throw conflict(`Service level ${level.id} is already linked to asset type ${assetType.id}`);
  }
  const insert = ctx.db
    .insert(l)
    .values({
      contractOwnerId: assetType.contractOwnerId,
      assetTypeId: assetType.id,
      serviceLevelId: level.id,
      displayOrder: input.displayOrder ?? 0,
      isDefault: input.isDefault ?? false,
      ...auditOnInsert(ctx),
    })
    .returning();
  if (!input.isDefault) return (await insert)[0]!;
  const [, rows] = (await ctx.deps.database.batch([clearOtherDefaults(ctx, assetType.id, null), insert])) as [unknown, AssetTypeLinkRow[]];
  return rows[0]!;
}

export async function updateAssetTypeLink(ctx: Ctx, row: AssetTypeLinkRow, changes: { displayOrder?: number; isDefault?: boolean }): Promise<void> {
  const set: Record<string, unknown> = { version: row.version + 1, updatedDate: ctx.nowIso, updatedBy: ctx.actor };
  if (changes.displayOrder !== undefined) set.displayOrder = changes.displayOrder;
  if (changes.isDefault !== undefined) set.isDefault = changes.isDefault;
  const statements: Statement[] = [];
  if (changes.isDefault) statements.push(clearOtherDefaults(ctx, row.assetTypeId, row.id));
  statements.push(ctx.db.update(l).set(set).where(and(eq(l.id, row.id), eq(l.version, row.version))), abortUnlessChanged());
  try {
    await ctx.deps.database.batch(statements);
  } catch (error) {
    if (isGuardAbort(error)) throw concurrentChange('asset type service level');
    throw error;
  }
}

/** Removes a link unless a contract prices its pair (409). */
export async function removeAssetTypeLink(ctx: Ctx, row: AssetTypeLinkRow): Promise<void> {
  const prices = contractServiceLevelPrices;
  await assertUnreferenced(ctx, 'service level', row.serviceLevelId, [
    { table: prices, column: prices.serviceLevelId, label: 'contract prices for this asset type', where: eq(prices.assetTypeId, row.assetTypeId) },
  ]);
  const deleted = await ctx.db
    .delete(l)
    .where(and(eq(l.id, row.id), eq(l.version, row.version)))
    .returning({ id: l.id });
  if (deleted.length === 0) throw concurrentChange('asset type service level');
}
