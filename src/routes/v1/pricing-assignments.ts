/**
 * Pricing assignments (Elevate's Pricing Assignment API): usage rate cards,
 * rental rate cards, inclusive usage plans and rental discount plans assigned at
 * CUSTOMER, SITE or INVENTORY level for a date range.
 *
 * - The assignment names exactly the target of its level (400 otherwise); the
 *   target must be visible (404) and is fixed after creation (422 on change).
 * - The card or plan must be visible (404), usable by the target's owner, available
 *   on the start date and of the right kind (422): only SELL rate cards are
 *   assigned; at INVENTORY level a card or plan must price the inventory's usage
 *   product or rental category.
 * - Two assignments of a kind at the same level and target may not share a day
 *   (409) when they would compete: rate cards of the same usage product (or rental
 *   category), the same inclusive usage plan (different plans add up), any two
 *   discount plans.
 * - An INVENTORY-level discount plan assignment needs a SITE- or CUSTOMER-level one
 *   effective at its start (422), which then cannot be removed or shortened away
 *   from under it (409).
 */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { eq, sql } from 'drizzle-orm';
import { requireVisible } from '../../db/crud';
import { columnKey } from '../../db/crud';
import {
  inclusiveUsagePlanAssignments,
  inclusiveUsagePlans,
  rentalDiscountPlanAssignments,
  rentalDiscountPlans,
  rentalProductInventories,
  rentalProducts,
  rentalRateCardAssignments,
  rentalRateCards,
  usageProductInventories,
  usageRateCardAssignments,
  usageRateCards,
} from '../../db/schema';
import { ASSIGNMENT_LEVELS } from '../../domain/assignments';
import { assignmentTargetProblems } from '../../domain/pricing';
import type { AppEnv } from '../../http/middleware';
import { filterSql } from '../../http/query';
import { outputSchema, registerResource } from '../../http/resource';
import { entityId, isoDate } from '../../http/schemas';
import { type AssignmentKind, type AssignmentRow, assertAvailable, assignmentService, type Target } from '../../services/pricing-assignments';
import { requireVisibleShared, rule } from '../../services/pricing-checks';
import { addProblems } from '../v2/pricing-fields';
import { rentalRateCardOwnerLink } from '../v2/rental-rates';
import { usageRateCardOwnerLink } from '../v2/usage-rates';

type UsageCard = typeof usageRateCards.$inferSelect;
type RentalCard = typeof rentalRateCards.$inferSelect;
type Plan = typeof inclusiveUsagePlans.$inferSelect;
type DiscountPlan = typeof rentalDiscountPlans.$inferSelect;

/** A shared rate card reaches the target: SELL, one of its owners is the target's, available at the start. */
function assertSellCardFor(card: { rateCardType?: string; rentalRateCardType?: string; availableFrom: string; availableTo: string | null }, owners: readonly number[], target: Target, field: string, label: string, startDate: string) {
  const type = card.rateCardType ?? card.rentalRateCardType;
  if (type !== 'SELL') throw rule(field, `is a ${type} card; only SELL cards are assigned to customers`);
  if (!owners.includes(target.ownerId)) throw rule(field, `the ${label} is not available to contract owner ${target.ownerId}`);
  assertAvailable(card, startDate, label);
}

const usageRateCardKind: AssignmentKind = {
  singular: 'usage rate card assignment',
  table: usageRateCardAssignments,
  inventoryField: 'usageProductInventoryId',
  inventoryColumn: usageRateCardAssignments.usageProductInventoryId,
  inventoryTable: usageProductInventories,
  inventoryLabel: 'usage product inventory',
  pricedField: 'usageRateCardId',
  pricedColumn: usageRateCardAssignments.usageRateCardId,
  async usable(ctx, id, target, startDate) {
    const { row: card, owners } = await requireVisibleShared<UsageCard>(ctx, usageRateCards, usageRateCardOwnerLink, id, '/usageRateCardId', 'usage rate card');
    assertSellCardFor(card, owners, target, '/usageRateCardId', 'usage rate card', startDate);
    if (target.inventory && target.inventory.usageProductId !== card.usageProductId) {
      throw rule('/usageRateCardId', `the card prices usage product ${card.usageProductId}; the inventory is of usage product ${String(target.inventory.usageProductId)}`);
    }
    return {
      values: { usageProductId: card.usageProductId },
      overlapScope: { column: usageRateCardAssignments.usageProductId, value: card.usageProductId, label: 'usage product' },
    };
  },
};

const rentalRateCardKind: AssignmentKind = {
  singular: 'rental rate card assignment',
  table: rentalRateCardAssignments,
  inventoryField: 'rentalProductInventoryId',
  inventoryColumn: rentalRateCardAssignments.rentalProductInventoryId,
  inventoryTable: rentalProductInventories,
  inventoryLabel: 'rental product inventory',
  pricedField: 'rentalRateCardId',
  pricedColumn: rentalRateCardAssignments.rentalRateCardId,
  async usable(ctx, id, target, startDate) {
    const { row: card, owners } = await requireVisibleShared<RentalCard>(ctx, rentalRateCards, rentalRateCardOwnerLink, id, '/rentalRateCardId', 'rental rate card');
    assertSellCardFor(card, owners, target, '/rentalRateCardId', 'rental rate card', startDate);
    if (target.inventory) {
      const [product] = await ctx.db.select().from(rentalProducts).where(eq(rentalProducts.id, target.inventory.rentalProductId as number));
      if (product && product.rentalProductCategoryId !== card.rentalProductCategoryId) {
        throw rule('/rentalRateCardId', `the card prices category ${card.rentalProductCategoryId}; the inventory's product is in category ${product.rentalProductCategoryId}`);
      }
    }
    return {
      values: { rentalProductCategoryId: card.rentalProductCategoryId },
      overlapScope: { column: rentalRateCardAssignments.rentalProductCategoryId, value: card.rentalProductCategoryId, label: 'rental product category' },
    };
  },
};

const inclusiveUsagePlanKind: AssignmentKind = {
  singular: 'inclusive usage plan assignment',
  table: inclusiveUsagePlanAssignments,
  inventoryField: 'usageProductInventoryId',
  inventoryColumn: inclusiveUsagePlanAssignments.usageProductInventoryId,
  inventoryTable: usageProductInventories,
  inventoryLabel: 'usage product inventory',
  pricedField: 'inclusiveUsagePlanId',
  pricedColumn: inclusiveUsagePlanAssignments.inclusiveUsagePlanId,
  async usable(ctx, id, target, startDate) {
    const plan = await requireVisible<Plan>(ctx, inclusiveUsagePlans, id, '/inclusiveUsagePlanId', 'inclusive usage plan');
    if (plan.contractOwnerId !== target.ownerId) throw rule('/inclusiveUsagePlanId', `the plan belongs to contract owner ${plan.contractOwnerId}, the target to ${target.ownerId}`);
    assertAvailable(plan, startDate, 'inclusive usage plan');
    if (target.inventory && target.inventory.usageProductId !== plan.usageProductId) {
      throw rule('/inclusiveUsagePlanId', `the plan is for usage product ${plan.usageProductId}; the inventory is of usage product ${String(target.inventory.usageProductId)}`);
    }
    return {
      values: { usageProductId: plan.usageProductId },
      overlapScope: { column: inclusiveUsagePlanAssignments.inclusiveUsagePlanId, value: plan.id, label: 'inclusive usage plan' },
    };
  },
};

const rentalDiscountPlanKind: AssignmentKind = {
  singular: 'rental discount plan assignment',
  table: rentalDiscountPlanAssignments,
  inventoryField: 'rentalProductInventoryId',
  inventoryColumn: rentalDiscountPlanAssignments.rentalProductInventoryId,
  inventoryTable: rentalProductInventories,
  inventoryLabel: 'rental product inventory',
  pricedField: 'rentalDiscountPlanId',
  pricedColumn: rentalDiscountPlanAssignments.rentalDiscountPlanId,
  inventoryNeedsCover: true,
  async usable(ctx, id, target, startDate) {
    const plan = await requireVisible<DiscountPlan>(ctx, rentalDiscountPlans, id, '/rentalDiscountPlanId', 'rental discount plan');
    if (plan.contractOwnerId !== target.ownerId) throw rule('/rentalDiscountPlanId', `the plan belongs to contract owner ${plan.contractOwnerId}, the target to ${target.ownerId}`);
    assertAvailable(plan, startDate, 'rental discount plan');
    return { values: {}, overlapScope: null };
  },
};

function register(app: OpenAPIHono<AppEnv>, kind: AssignmentKind, path: string, pricedLabel: string, tag: string, plural: string) {
  const t = kind.table;
  const inventoryKey = columnKey(t, kind.inventoryColumn);
  const pricedKey = columnKey(t, kind.pricedColumn);
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

  const render = (r: AssignmentRow) => ({
    id: r.id,
    assignmentLevel: r.assignmentLevel,
    customerId: r.assignmentLevel === 'CUSTOMER' ? r.customerId : null,
    siteId: r.assignmentLevel === 'SITE' ? r.siteId : null,
    [kind.inventoryField]: r.assignmentLevel === 'INVENTORY' ? r[inventoryKey] : null,
    [kind.pricedField]: r[pricedKey],
    startDate: r.startDate,
    endDate: r.endDate,
    contractOwnerId: r.contractOwnerId,
    createdDate: r.createdDate,
    updatedDate: r.updatedDate,
    createdBy: r.createdBy,
    updatedBy: r.updatedBy,
    version: r.version,
  });

  registerResource(app, {
    path,
    tag,
    singular: kind.singular,
    plural,
    area: 'pricing',
    input,
    output,
    immutable: ['assignmentLevel', 'customerId', 'siteId', kind.inventoryField],
    filters: {
      id: { type: 'id', column: t.id },
      assignmentLevel: { type: 'string', column: t.assignmentLevel },
      customerId: { type: 'id', build: (f) => sql`(${t.assignmentLevel} = 'CUSTOMER' and ${filterSql(t.customerId, f)})`, description: 'CUSTOMER-level assignments of the customer' },
      siteId: { type: 'id', build: (f) => sql`(${t.assignmentLevel} = 'SITE' and ${filterSql(t.siteId, f)})`, description: 'SITE-level assignments of the site' },
      [kind.inventoryField]: { type: 'id', column: kind.inventoryColumn },
      [kind.pricedField]: { type: 'id', column: kind.pricedColumn },
      startDate: { type: 'date', column: t.startDate },
      endDate: { type: 'date', column: t.endDate },
    },
    sorts: { id: t.id, assignmentLevel: t.assignmentLevel, startDate: t.startDate, endDate: t.endDate, [kind.pricedField]: kind.pricedColumn },
    service: assignmentService(kind, render),
    createExample: { assignmentLevel: 'CUSTOMER', customerId: 1, [kind.pricedField]: 1, startDate: '2025-01-01' },
    notes: {
      create: `Exactly the id of the level: customerId (CUSTOMER), siteId (SITE) or ${kind.inventoryField} (INVENTORY) — 400 otherwise; the target must be visible (404). The ${pricedLabel} must be visible (404), usable by the target's owner and available on startDate (422). Overlapping assignments of the same level and target: 409.`,
    },
  });
}

export function registerPricingAssignments(app: OpenAPIHono<AppEnv>) {
  register(app, usageRateCardKind, '/v1/usage-rate-card-assignments', 'usage rate card (a SELL card; at INVENTORY level, of the inventory’s usage product)', 'Pricing assignments', 'usage rate card assignments');
  register(app, rentalRateCardKind, '/v1/rental-rate-card-assignments', 'rental rate card (a SELL card; at INVENTORY level, of the inventory’s product category)', 'Pricing assignments', 'rental rate card assignments');
  register(app, inclusiveUsagePlanKind, '/v1/inclusive-usage-plan-assignments', 'inclusive usage plan (of the target’s owner; at INVENTORY level, of the inventory’s usage product)', 'Pricing assignments', 'inclusive usage plan assignments');
  register(app, rentalDiscountPlanKind, '/v1/rental-discount-plan-assignments', 'rental discount plan (of the target’s owner; an INVENTORY-level assignment needs a SITE- or CUSTOMER-level one at its start)', 'Pricing assignments', 'rental discount plan assignments');
}
