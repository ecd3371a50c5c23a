/**
 * Price adaptations (/v2/price-adaptations): how a contract's rental prices
 * change over time — a fixed percentage per step, or an index series with a
 * value per month — and when the steps fall (RENEWAL or ANNIVERSARY). Contracts
 * refer to one (`priceAdaptationId`); the lifecycle job applies the steps
 * (jobs/price-adaptations.ts); rental charges use them (rental-charges.ts).
 *
 * Rules: `name` and the optional `externalRef` are unique per contract owner
 * (409); a PERCENTAGE adaptation has a percentage and no index values, an INDEX
 * one index values (possibly none yet) and no percentage (400, checked by the
 * route schema with domain/price-adaptation.ts); a change re-examines every
 * contract using it at the next run (a corrected series applies from the next
 * step; steps applied are never recomputed); deleting one that a contract
 * refers to (current or history) is a 409.
 *
 * Percentages are stored as millionths of the whole, index values with 6
 * decimals as integers; on the wire both are plain numbers.
 */
import { and, eq, ne, sql } from 'drizzle-orm';
import type { Ctx } from '../db/context';
import { assertSameOwner, assertUnreferenced, requireOwner, requireVisible, tableService, updateRow } from '../db/crud';
import { customerContracts, priceAdaptations } from '../db/schema';
import { MIN_DATE } from '../domain/dates';
import {
  indexValueToStored,
  type PriceAdaptationSchedule,
  type PriceAdaptationType,
  percentageToStored,
  storedToIndexValue,
  storedToPercentage,
} from '../domain/price-adaptation';
import { TenorError } from '../errors';

/** The writable fields, as every surface hands them over: percentage in percent, index values as numbers. */
export interface PriceAdaptationInput {
  contractOwnerId: number;
  name: string;
  description?: string | null;
  externalRef?: string | null;
  type: PriceAdaptationType;
  percentage?: number | null;
  indexValues?: Array<{ month: string; value: number }>;
  schedule: PriceAdaptationSchedule;
}

export type PriceAdaptationRow = typeof priceAdaptations.$inferSelect;

export function priceAdaptationOutput(r: PriceAdaptationRow) {
  return {
    id: r.id,
    contractOwnerId: r.contractOwnerId,
    name: r.name,
    description: r.description,
    externalRef: r.externalRef,
    type: r.type,
    percentage: r.percentage === null ? null : storedToPercentage(r.percentage),
    indexValues: r.indexValues.map((v) => ({ month: v.month, value: storedToIndexValue(v.value) })),
    schedule: r.schedule,
    createdDate: r.createdDate,
    updatedDate: r.updatedDate,
    createdBy: r.createdBy,
    updatedBy: r.updatedBy,
    version: r.version,
  };
}

export type PriceAdaptationOutput = ReturnType<typeof priceAdaptationOutput>;

/** 409 naming the field when another adaptation of the owner has the same name or external reference. */
async function assertUnique(ctx: Ctx, ownerId: number, input: PriceAdaptationInput, exceptId: number | null, fields: readonly ('name' | 'externalRef')[]) {
  for (const field of fields) {
    const value = input[field];
    if (value == null) continue;
    const column = field === 'name' ? priceAdaptations.name : priceAdaptations.externalRef;
    const [clash] = await ctx.db
      .select({ id: priceAdaptations.id })
      .from(priceAdaptations)
      .where(and(eq(priceAdaptations.contractOwnerId, ownerId), eq(column, value), exceptId === null ? undefined : ne(priceAdaptations.id, exceptId)))
      .limit(1);
    if (clash) {
      throw new TenorError('conflict', `/${field}: price adaptation ${clash.id} of this contract owner already has ${field} "${value}"`, [
        { path: `/${field}`, message: `already used by price adaptation ${clash.id}`, value },
      ]);
    }
  }
}

/** The stored form of the definition fields (percentage, series sorted by month). */
function storedDefinition(input: PriceAdaptationInput) {
  return {
    type: input.type,
    percentage: input.type === 'PERCENTAGE' && input.percentage != null ? percentageToStored(input.percentage) : null,
    indexValues: (input.type === 'INDEX' ? input.indexValues ?? [] : [])
      .map((v) => ({ month: v.month, value: indexValueToStored(v.value) }))
      .sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : 0)),
    schedule: input.schedule,
  };
}

const DEFINITION_FIELDS = ['type', 'percentage', 'indexValues', 'schedule'] as const;

const base = tableService<PriceAdaptationRow, PriceAdaptationOutput, PriceAdaptationInput>({
  singular: 'price adaptation',
  table: priceAdaptations,
  ownerColumn: priceAdaptations.contractOwnerId,
  ownerOf: (r) => r.contractOwnerId,
  query: {
    filters: {
      id: { type: 'id', column: priceAdaptations.id },
      contractOwnerId: { type: 'id', column: priceAdaptations.contractOwnerId },
      name: { type: 'string', column: priceAdaptations.name },
      externalRef: { type: 'string', column: priceAdaptations.externalRef },
      type: { type: 'string', column: priceAdaptations.type, description: 'PERCENTAGE or INDEX' },
      schedule: { type: 'string', column: priceAdaptations.schedule, description: 'RENEWAL or ANNIVERSARY' },
    },
    sorts: {
      id: priceAdaptations.id,
      name: priceAdaptations.name,
      type: priceAdaptations.type,
      schedule: priceAdaptations.schedule,
      createdDate: priceAdaptations.createdDate,
      updatedDate: priceAdaptations.updatedDate,
    },
  },
  async toInsert(ctx, input) {
    await requireOwner(ctx, input.contractOwnerId);
    await assertUnique(ctx, input.contractOwnerId, input, null, ['name', 'externalRef']);
    return {
      contractOwnerId: input.contractOwnerId,
      name: input.name,
      description: input.description ?? null,
      externalRef: input.externalRef ?? null,
      ...storedDefinition(input),
    };
  },
  async beforeDelete(ctx, row) {
    await assertUnreferenced(ctx, 'price adaptation', row.id, [
      { table: customerContracts, column: customerContracts.priceAdaptationId, label: 'customer contracts' },
    ]);
  },
  toOutput: (_ctx, row) => priceAdaptationOutput(row),
});

/**
 * A change of the name, description or reference is a plain edit; a change of the
 * definition also makes every contract using the adaptation be looked at again by
 * the next run (in the same batch), so a series that now has the value a pending
 * step waited for is applied without waiting a day.
 */
async function update(ctx: Ctx, row: PriceAdaptationRow, input: PriceAdaptationInput, changed: ReadonlySet<string>) {
  await assertUnique(ctx, row.contractOwnerId, input, row.id, (['name', 'externalRef'] as const).filter((f) => changed.has(f)));
  const changes: Record<string, unknown> = {};
  for (const field of ['name', 'description', 'externalRef'] as const) if (changed.has(field)) changes[field] = input[field] ?? null;
  const definitionChanged = DEFINITION_FIELDS.some((f) => changed.has(f));
  if (definitionChanged) Object.assign(changes, storedDefinition(input));
  const recheck = definitionChanged
    ? [
        sql`update customer_contracts set price_adaptation_check_date = ${MIN_DATE}
          where price_adaptation_id = ${row.id} and renewed_customer_contract_id is null`,
      ]
    : [];
  const updated = await updateRow(
    ctx,
    { table: priceAdaptations, singular: 'price adaptation', ownerOf: (r) => r.contractOwnerId, toOutput: (_ctx, r) => priceAdaptationOutput(r) },
    row,
    changes,
    recheck,
  );
  return { row: updated };
}

export const priceAdaptationService = { ...base, update };

/** A visible price adaptation by id for a reference from `field`: 404 unless visible, 422 when it is another owner's. */
export async function usablePriceAdaptation(ctx: Ctx, id: number, ownerId: number, field: string): Promise<PriceAdaptationRow> {
  const row = await requireVisible<PriceAdaptationRow>(ctx, priceAdaptations, id, field, 'price adaptation');
  assertSameOwner(ownerId, row, field, 'price adaptation');
  return row;
}

/** An owner's price adaptation by its external reference (the instellix surface's ident), or null. */
export async function priceAdaptationByRef(ctx: Ctx, ownerId: number, externalRef: string): Promise<PriceAdaptationRow | null> {
  const [row] = await ctx.db
    .select()
    .from(priceAdaptations)
    .where(and(eq(priceAdaptations.contractOwnerId, ownerId), eq(priceAdaptations.externalRef, externalRef)))
    .limit(1);
  return row ?? null;
}
