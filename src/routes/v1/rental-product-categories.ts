/** Rental product categories: how an owner groups its rental products (and what rental rate cards price). */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { assertUnreferenced, pickFields, requireOwner, tableService } from '../../db/crud';
import { rentalProductCategories, rentalProducts } from '../../db/schema';
import type { AppEnv } from '../../http/middleware';
import { outputSchema, registerResource } from '../../http/resource';
import { entityId, isoDate, name } from '../../http/schemas';
import { PRICING_REFERENCES } from '../../services/pricing-references';

export const RentalProductCategoryInput = z
  .object({
    contractOwnerId: entityId('The contract owner; fixed after creation'),
    name: name(100, 'Broadband'),
    startDate: isoDate('2025-01-01'),
    endDate: isoDate('2030-12-31').nullish(),
  })
  .strict();

export const RentalProductCategory = outputSchema(RentalProductCategoryInput, {}, 'RentalProductCategory');

type Input = z.infer<typeof RentalProductCategoryInput>;
type Row = typeof rentalProductCategories.$inferSelect;

export const rentalProductCategoryService = tableService<Row, Record<string, unknown>, Input>({
  singular: 'rental product category',
  table: rentalProductCategories,
  ownerColumn: rentalProductCategories.contractOwnerId,
  ownerOf: (r) => r.contractOwnerId,
  dateOrder: ['startDate', 'endDate'],
  async toInsert(ctx, input) {
    await requireOwner(ctx, input.contractOwnerId);
    return { ...input };
  },
  async beforeDelete(ctx, row) {
    await assertUnreferenced(ctx, 'rental product category', row.id, [
      { table: rentalProducts, column: rentalProducts.rentalProductCategoryId, label: 'rental products' },
      ...PRICING_REFERENCES.rentalProductCategory,
    ]);
  },
  toOutput: pickFields(RentalProductCategory),
});

export function registerRentalProductCategories(app: OpenAPIHono<AppEnv>) {
  registerResource(app, {
    path: '/v1/rental-product-categories',
    tag: 'Rental product categories',
    singular: 'rental product category',
    plural: 'rental product categories',
    area: 'customers',
    input: RentalProductCategoryInput,
    output: RentalProductCategory,
    immutable: ['contractOwnerId'],
    filters: {
      id: { type: 'id', column: rentalProductCategories.id },
      contractOwnerId: { type: 'id', column: rentalProductCategories.contractOwnerId },
      name: { type: 'string', column: rentalProductCategories.name },
    },
    sorts: {
      id: rentalProductCategories.id,
      name: rentalProductCategories.name,
      startDate: rentalProductCategories.startDate,
      endDate: rentalProductCategories.endDate,
    },
    service: rentalProductCategoryService,
    createExample: { contractOwnerId: 1, name: 'Broadband', startDate: '2025-01-01' },
    notes: { delete: 'Refused (409, with counts) while rental products, rental rate cards or discount plan rules use the category.' },
  });
}
