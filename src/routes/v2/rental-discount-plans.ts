/**
 * Rental discount plans (seed 004): a percentage discount on rental products for
 * `durationInMonths` from when the plan is assigned. The percentages are the
 * plan's rules (/v2/rental-discount-plan-rules). `name` and the optional coupon
 * `code` are unique per contract owner (409).
 */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../http/middleware';
import { outputSchema, registerResource } from '../../http/resource';
import { entityId, isoDate, name } from '../../http/schemas';
import { type RentalDiscountPlanInput as RentalDiscountPlanFields, rentalDiscountPlanService } from '../../services/rental-discount-plans';

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
  .strict() satisfies z.ZodType<RentalDiscountPlanFields>;

export const RentalDiscountPlan = outputSchema(RentalDiscountPlanInput, {}, 'RentalDiscountPlan');

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
    service: rentalDiscountPlanService,
    createExample: { contractOwnerId: 1, name: '12 month 50% off', durationInMonths: 12, availableFrom: '2025-01-01', availableTo: '2025-12-31' },
    notes: {
      create: '`name` and `code` are unique per contract owner (409 naming the field).',
      delete: 'Refused (409) while rules or assignments belong to the plan.',
    },
  });
}
