/**
 * Rental discount plan rules: the discount percentage a plan gives on a rental
 * product category, or on one product of it. One rule per (plan, category,
 * product) — the category rule being the one without a product (409); a product
 * rule beats its category's rule when charges are computed.
 *
 * `discountPercentage` is 0..100 with up to 2 decimal places.
 */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../http/middleware';
import { outputSchema, registerResource } from '../../http/resource';
import { entityId } from '../../http/schemas';
import { type RentalDiscountPlanRuleInput as RentalDiscountPlanRuleFields, rentalDiscountPlanRuleService } from '../../services/rental-discount-plan-rules';
import { percentage } from './pricing-fields';

export const RentalDiscountPlanRuleInput = z
  .object({
    rentalDiscountPlanId: entityId('The plan; fixed after creation'),
    productCategoryId: entityId('The rental product category discounted, of the plan’s owner'),
    rentalProductId: entityId('Narrows the rule to one product of the category').nullish(),
    discountPercentage: percentage(15, 'The discount.'),
  })
  .strict() satisfies z.ZodType<RentalDiscountPlanRuleFields>;

export const RentalDiscountPlanRule = outputSchema(
  RentalDiscountPlanRuleInput,
  { contractOwnerId: entityId("read-only: the plan's contract owner") },
  'RentalDiscountPlanRule',
);

export function registerRentalDiscountPlanRules(app: OpenAPIHono<AppEnv>) {
  registerResource(app, {
    path: '/v2/rental-discount-plan-rules',
    tag: 'Rental discount plans',
    singular: 'rental discount plan rule',
    plural: 'rental discount plan rules',
    area: 'pricing',
    input: RentalDiscountPlanRuleInput,
    output: RentalDiscountPlanRule,
    immutable: ['rentalDiscountPlanId'],
    service: rentalDiscountPlanRuleService,
    createExample: { rentalDiscountPlanId: 1, productCategoryId: 1, discountPercentage: 15 },
    notes: {
      create:
        'The plan must be visible (404); the category and product must be of the plan’s owner (422) and the product in the category (422). One rule per (plan, category, product): 409. discountPercentage 0..100, up to 2 decimal places.',
    },
  });
}
