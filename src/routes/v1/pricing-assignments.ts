/**
 * /v1/…-assignments (Elevate's Pricing Assignment API): usage rate cards, rental
 * rate cards, inclusive usage plans and rental discount plans assigned at
 * CUSTOMER, SITE or INVENTORY level for a date range. The rules are those of
 * services/pricing-assignments.ts; the schema checks that an assignment names
 * exactly the target of its level (400 otherwise).
 */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { ASSIGNMENT_LEVELS } from '../../domain/assignments';
import { assignmentTargetProblems } from '../../domain/pricing';
import type { AppEnv } from '../../http/middleware';
import { outputSchema, registerResource } from '../../http/resource';
import { addProblems, entityId, isoDate } from '../../http/schemas';
import {
  type AssignmentResource,
  inclusiveUsagePlanAssignment,
  rentalDiscountPlanAssignment,
  rentalRateCardAssignment,
  usageRateCardAssignment,
} from '../../services/pricing-assignments';

function register(app: OpenAPIHono<AppEnv>, { kind, service }: AssignmentResource, path: string, pricedLabel: string, tag: string, plural: string) {
  const input = z
    .object({
      assignmentLevel: z.enum(ASSIGNMENT_LEVELS).openapi({ description: 'CUSTOMER, SITE or INVENTORY; fixed after creation' }),
      customerId: entityId('CUSTOMER level only: the customer; fixed after creation').nullish(),
      siteId: entityId('SITE level only: the site; fixed after creation').nullish(),
      [kind.inventoryField]: entityId(`INVENTORY level only: the ${kind.inventoryLabel}; fixed after creation`).nullish(),
      [kind.pricedField]: entityId(`The ${pricedLabel}`),
      startDate: isoDate('2025-01-01'),
      endDate: isoDate('2025-12-31').nullish(),
    })
    .strict()
    .superRefine((v, ctx) => {
      const level = v.assignmentLevel as (typeof ASSIGNMENT_LEVELS)[number] | undefined;
      if (level) addProblems(ctx, assignmentTargetProblems(level, v as Record<string, number | null | undefined>, kind.inventoryField));
    });
  const Name = kind.singular.replace(/(^| )(\w)/g, (_, _s: string, ch: string) => ch.toUpperCase());
  const output = outputSchema(input, { contractOwnerId: entityId("read-only: the target's contract owner") }, Name);

  registerResource(app, {
    path,
    tag,
    singular: kind.singular,
    plural,
    area: 'pricing',
    input,
    output,
    immutable: ['assignmentLevel', 'customerId', 'siteId', kind.inventoryField],
    service,
    createExample: { assignmentLevel: 'CUSTOMER', customerId: 1, [kind.pricedField]: 1, startDate: '2025-01-01' },
    notes: {
      create: `Exactly the id of the level: customerId (CUSTOMER), siteId (SITE) or ${kind.inventoryField} (INVENTORY) — 400 otherwise; the target must be visible (404). The ${pricedLabel} must be visible (404), usable by the target's owner and available on startDate (422). Overlapping assignments of the same level and target: 409.`,
    },
  });
}

export function registerPricingAssignments(app: OpenAPIHono<AppEnv>) {
  register(app, usageRateCardAssignment, '/v1/usage-rate-card-assignments', 'usage rate card (a SELL card; at INVENTORY level, of the inventory’s usage product)', 'Pricing assignments', 'usage rate card assignments');
  register(app, rentalRateCardAssignment, '/v1/rental-rate-card-assignments', 'rental rate card (a SELL card; at INVENTORY level, of the inventory’s product category)', 'Pricing assignments', 'rental rate card assignments');
  register(app, inclusiveUsagePlanAssignment, '/v1/inclusive-usage-plan-assignments', 'inclusive usage plan (of the target’s owner; at INVENTORY level, of the inventory’s usage product)', 'Pricing assignments', 'inclusive usage plan assignments');
  register(app, rentalDiscountPlanAssignment, '/v1/rental-discount-plan-assignments', 'rental discount plan (of the target’s owner; an INVENTORY-level assignment needs a SITE- or CUSTOMER-level one at its start)', 'Pricing assignments', 'rental discount plan assignments');
}
