/**
 * Rental discount plans (seed 004): a percentage discount on rental products for
 * `durationInMonths` from when the plan is assigned. The percentages are the
 * plan's rules (/v2/rental-discount-plan-rules). `name` and the optional coupon
 * `code` are unique per contract owner (409).
 */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { and, eq, ne } from 'drizzle-orm';
import type { Ctx } from '../../context';
import { assertUnreferenced, changedValues, pickFields, requireOwner, tableService } from '../../db/crud';
import { rentalDiscountPlanAssignments, rentalDiscountPlanRules, rentalDiscountPlans } from '../../db/schema';
import type { AppEnv } from '../../http/middleware';
import { ApiError } from '../../http/problem';
import { outputSchema, registerResource } from '../../http/resource';
import { entityId, isoDate, name } from '../../http/schemas';

export const RentalDiscountPlanInput = z
  .object({
    contractOwnerId: entityId('The billing entity that has access to the plan; fixed after creation'),
    name: name(50, '12 month 50% off').openapi({ description: 'Unique for the contract owner' }),
    durationInMonths: z.number().int().min(1).max(120).openapi({ example: 12, description: 'Months the discount lasts, from the assignment’s start' }),
    availableFrom: isoDate('2025-01-01'),
    availableTo: isoDate('2030-12-31').nullish(),
    code: z
      .string()
      .regex(/^[A-Za-z0-9_.~@-]{1,50}$/, 'must be 1..50 letters, digits or _ . ~ @ -')
      .openapi({ example: 'SPRING50', description: 'Coupon code; unique for the contract owner' })
      .nullish(),
  })
  .strict();

export const RentalDiscountPlan = outputSchema(RentalDiscountPlanInput, {}, 'RentalDiscountPlan');

type Input = z.infer<typeof RentalDiscountPlanInput>;
type Row = typeof rentalDiscountPlans.$inferSelect;

/** 409 naming the field when another plan of the owner has the same name or code. */
async function assertUnique(ctx: Ctx, ownerId: number, input: Input, exceptId: number | null, fields: readonly ('name' | 'code')[]): Promise<void> {
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
      throw new ApiError('conflict', `/${field}: rental discount plan ${clash.id} of this contract owner already has ${field} "${value}"`, [
        { path: `/${field}`, message: `already used by rental discount plan ${clash.id}`, value },
      ]);
    }
  }
}

export const rentalDiscountPlanService = tableService<Row, Record<string, unknown>, Input>({
  singular: 'rental discount plan',
  table: rentalDiscountPlans,
  ownerColumn: rentalDiscountPlans.contractOwnerId,
  ownerOf: (r) => r.contractOwnerId,
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
  toOutput: pickFields(RentalDiscountPlan),
});

export function registerRentalDiscountPlans(app: OpenAPIHono<AppEnv>) {
  registerResource(app, {
    path: '/v2/rental-discount-plans',
    tag: 'Rental discount plans',
    singular: 'rental discount plan',
    plural: 'rental discount plans',
    area: 'pricing',
    input: RentalDiscountPlanInput,
    output: RentalDiscountPlan,
    immutable: ['contractOwnerId'],
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
    service: rentalDiscountPlanService,
    createExample: { contractOwnerId: 1, name: '12 month 50% off', durationInMonths: 12, availableFrom: '2025-01-01', availableTo: '2025-12-31' },
    notes: {
      create: '`name` and `code` are unique per contract owner (409 naming the field).',
      delete: 'Refused (409) while rules or assignments belong to the plan.',
    },
  });
}
