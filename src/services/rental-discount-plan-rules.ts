/**
 * Rental discount plan rules: the discount percentage a plan gives on a rental
 * product category, or on one product of it. One rule per (plan, category,
 * product) — the category rule being the one without a product (409); a product
 * rule beats its category's rule when charges are computed.
 *
 * `discountPercentage` is 0..100 with up to 2 decimal places, stored in
 * hundredths of a percent.
 */
import { and, eq, isNull, ne } from 'drizzle-orm';
import type { Ctx } from '../db/context';
import { requireVisible, tableService } from '../db/crud';
import { rentalDiscountPlanRules, rentalDiscountPlans, rentalProductCategories, rentalProducts } from '../db/schema';
import { percentToStored, storedToPercent } from '../domain/pricing';
import { TenorError } from '../errors';
import { requireUsableRefs, rule } from './pricing-checks';

export interface RentalDiscountPlanRuleInput {
  rentalDiscountPlanId: number;
  productCategoryId: number;
  rentalProductId?: number | null;
  discountPercentage: number;
}

type Row = typeof rentalDiscountPlanRules.$inferSelect;
type Product = typeof rentalProducts.$inferSelect;

/** The category (and product) must be the owner's and the product in the category; one rule per (plan, category, product). */
async function checkRule(ctx: Ctx, ownerId: number, input: RentalDiscountPlanRuleInput, exceptId: number | null): Promise<void> {
  await requireUsableRefs(ctx, rentalProductCategories, 'rental product category', [{ id: input.productCategoryId, path: '/productCategoryId' }], [ownerId]);
  if (input.rentalProductId != null) {
    const products = await requireUsableRefs<Product>(ctx, rentalProducts, 'rental product', [{ id: input.rentalProductId, path: '/rentalProductId' }], [ownerId]);
    const product = products.get(input.rentalProductId)!;
    if (product.rentalProductCategoryId !== input.productCategoryId) {
      throw rule('/rentalProductId', `rental product ${product.id} is in category ${product.rentalProductCategoryId}, not ${input.productCategoryId}`);
    }
  }
  const [clash] = await ctx.db
    .select({ id: rentalDiscountPlanRules.id })
    .from(rentalDiscountPlanRules)
    .where(
      and(
        eq(rentalDiscountPlanRules.rentalDiscountPlanId, input.rentalDiscountPlanId),
        eq(rentalDiscountPlanRules.productCategoryId, input.productCategoryId),
        input.rentalProductId == null ? isNull(rentalDiscountPlanRules.rentalProductId) : eq(rentalDiscountPlanRules.rentalProductId, input.rentalProductId),
        exceptId === null ? undefined : ne(rentalDiscountPlanRules.id, exceptId),
      ),
    )
    .limit(1);
  if (clash) {
    const what = input.rentalProductId == null ? `category ${input.productCategoryId}` : `product ${input.rentalProductId} of category ${input.productCategoryId}`;
    throw new TenorError('conflict', `The plan already has rule ${clash.id} for ${what}`, [
      { path: input.rentalProductId == null ? '/productCategoryId' : '/rentalProductId', message: `already has rule ${clash.id}` },
    ]);
  }
}

function toOutput(_ctx: Ctx, r: Row) {
  return {
    id: r.id,
    rentalDiscountPlanId: r.rentalDiscountPlanId,
    productCategoryId: r.productCategoryId,
    rentalProductId: r.rentalProductId,
    discountPercentage: storedToPercent(r.discountPercentage),
    contractOwnerId: r.contractOwnerId,
    createdDate: r.createdDate,
    updatedDate: r.updatedDate,
    createdBy: r.createdBy,
    updatedBy: r.updatedBy,
    version: r.version,
  };
}

export const rentalDiscountPlanRuleService = tableService<Row, ReturnType<typeof toOutput>, RentalDiscountPlanRuleInput>({
  singular: 'rental discount plan rule',
  table: rentalDiscountPlanRules,
  ownerColumn: rentalDiscountPlanRules.contractOwnerId,
  ownerOf: (r) => r.contractOwnerId,
  query: {
    filters: {
      id: { type: 'id', column: rentalDiscountPlanRules.id },
      rentalDiscountPlanId: { type: 'id', column: rentalDiscountPlanRules.rentalDiscountPlanId },
      productCategoryId: { type: 'id', column: rentalDiscountPlanRules.productCategoryId },
      rentalProductId: { type: 'id', column: rentalDiscountPlanRules.rentalProductId },
    },
    sorts: {
      id: rentalDiscountPlanRules.id,
      rentalDiscountPlanId: rentalDiscountPlanRules.rentalDiscountPlanId,
      productCategoryId: rentalDiscountPlanRules.productCategoryId,
      discountPercentage: rentalDiscountPlanRules.discountPercentage,
    },
  },
  async toInsert(ctx, input) {
    const plan = await requireVisible<typeof rentalDiscountPlans.$inferSelect>(ctx, rentalDiscountPlans, input.rentalDiscountPlanId, '/rentalDiscountPlanId', 'rental discount plan');
    await checkRule(ctx, plan.contractOwnerId, input, null);
    return {
      contractOwnerId: plan.contractOwnerId,
      rentalDiscountPlanId: plan.id,
      productCategoryId: input.productCategoryId,
      rentalProductId: input.rentalProductId ?? null,
      discountPercentage: percentToStored(input.discountPercentage),
    };
  },
  async toUpdate(ctx, row, input, changed) {
    if (changed.has('productCategoryId') || changed.has('rentalProductId')) await checkRule(ctx, row.contractOwnerId, input, row.id);
    const changes: Record<string, unknown> = {};
    if (changed.has('productCategoryId')) changes.productCategoryId = input.productCategoryId;
    if (changed.has('rentalProductId')) changes.rentalProductId = input.rentalProductId ?? null;
    if (changed.has('discountPercentage')) changes.discountPercentage = percentToStored(input.discountPercentage);
    return changes;
  },
  toOutput,
});
