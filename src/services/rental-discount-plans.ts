/**
 * Rental discount plans (seed 004): a percentage discount on rental products for
 * `durationInMonths` from when the plan is assigned. The percentages are the
 * plan's rules (services/rental-discount-plan-rules.ts). `name` and the optional
 * coupon `code` are unique per contract owner (409).
 */
import { and, eq, ne } from 'drizzle-orm';
import type { Ctx } from '../db/context';
import { assertUnreferenced, changedValues, pickFields, requireOwner, tableService } from '../db/crud';
import { rentalDiscountPlanAssignments, rentalDiscountPlanRules, rentalDiscountPlans } from '../db/schema';
import { TenorError } from '../errors';

export interface RentalDiscountPlanInput {
  contractOwnerId: number;
  name: string;
  durationInMonths: number;
  availableFrom: string;
  availableTo?: string | null;
  code?: string | null;
}

type Row = typeof rentalDiscountPlans.$inferSelect;

/** The fields of the public representation, in its order. */
const OUTPUT_FIELDS = [
  'id',
  'contractOwnerId',
  'name',
  'durationInMonths',
  'availableFrom',
  'availableTo',
  'code',
  'createdDate',
  'updatedDate',
  'createdBy',
  'updatedBy',
  'version',
] as const satisfies readonly (keyof Row)[];

/** 409 naming the field when another plan of the owner has the same name or code. */
async function assertUnique(
  ctx: Ctx,
  ownerId: number,
  input: RentalDiscountPlanInput,
  exceptId: number | null,
  fields: readonly ('name' | 'code')[],
): Promise<void> {
  for (const field of fields) {
    const value = input[field];
    if (value == null) continue;
    const column = field === 'name' ? rentalDiscountPlans.name : rentalDiscountPlans.code;
    const [clash] = await ctx.db
      .select({ id: rentalDiscountPlans.id })
      .from(rentalDiscountPlans)
      .where(and(eq(rentalDiscountPlans.contractOwnerId, ownerId), eq(column, value), exceptId === null ? undefined : ne(rentalDiscountPlans.id, exceptId)))
      .limit(1);
    if (clash) {
      throw new TenorError('conflict', `/${field}: rental discount plan ${clash.id} of this contract owner already has ${field} "${value}"`, [
        { path: `/${field}`, message: `already used by rental discount plan ${clash.id}`, value },
      ]);
    }
  }
}

export const rentalDiscountPlanService = tableService<Row, Record<string, unknown>, RentalDiscountPlanInput>({
  singular: 'rental discount plan',
  table: rentalDiscountPlans,
  ownerColumn: rentalDiscountPlans.contractOwnerId,
  ownerOf: (r) => r.contractOwnerId,
  query: {
    filters: {
      id: { type: 'id', column: rentalDiscountPlans.id },
      contractOwnerId: { type: 'id', column: rentalDiscountPlans.contractOwnerId },
      name: { type: 'string', column: rentalDiscountPlans.name },
      code: { type: 'string', column: rentalDiscountPlans.code },
      availableFrom: { type: 'date', column: rentalDiscountPlans.availableFrom },
      availableTo: { type: 'date', column: rentalDiscountPlans.availableTo },
    },
    sorts: {
      id: rentalDiscountPlans.id,
      name: rentalDiscountPlans.name,
      durationInMonths: rentalDiscountPlans.durationInMonths,
      availableFrom: rentalDiscountPlans.availableFrom,
      availableTo: rentalDiscountPlans.availableTo,
    },
  },
  dateOrder: ['availableFrom', 'availableTo'],
  async toInsert(ctx, input) {
    await requireOwner(ctx, input.contractOwnerId);
    await assertUnique(ctx, input.contractOwnerId, input, null, ['name', 'code']);
    return { ...input, code: input.code ?? null, availableTo: input.availableTo ?? null };
  },
  async toUpdate(ctx, row, input, changed) {
    await assertUnique(ctx, row.contractOwnerId, input, row.id, (['name', 'code'] as const).filter((f) => changed.has(f)));
    return changedValues(input, changed);
  },
  async beforeDelete(ctx, row) {
    await assertUnreferenced(ctx, 'rental discount plan', row.id, [
      { table: rentalDiscountPlanRules, column: rentalDiscountPlanRules.rentalDiscountPlanId, label: 'rental discount plan rules' },
      { table: rentalDiscountPlanAssignments, column: rentalDiscountPlanAssignments.rentalDiscountPlanId, label: 'rental discount plan assignments' },
    ]);
  },
  toOutput: pickFields(OUTPUT_FIELDS),
});

/** The owner's rental discount plan with this coupon code, if any (codes are unique per owner). */
export async function rentalDiscountPlanByCode(ctx: Ctx, ownerId: number, code: string): Promise<Row | null> {
  const [row] = await ctx.db
    .select()
    .from(rentalDiscountPlans)
    .where(and(eq(rentalDiscountPlans.contractOwnerId, ownerId), eq(rentalDiscountPlans.code, code)))
    .limit(1);
  return row ?? null;
}
