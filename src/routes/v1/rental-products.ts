/** Rental products: what a site rents (a line, a broadband service, a handset); priced by rental rate cards. */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { assertUnreferenced, pickFields, requireVisible, tableService } from '../../db/crud';
import { rentalProductCategories, rentalProductInventories, rentalProducts } from '../../db/schema';
import type { AppEnv } from '../../http/middleware';
import { outputSchema, registerResource } from '../../http/resource';
import { entityId, isoDate, name } from '../../http/schemas';
import { PRICING_REFERENCES } from '../../services/pricing-references';

export const RENTAL_PRODUCT_TYPES = ['PRODUCT', 'FEATURE', 'EVENT'] as const;

export const RentalProductInput = z
  .object({
    rentalProductCategoryId: entityId('The category; fixed after creation'),
    name: name(100, 'FTTP 500'),
    invoicePresentationName: name(100, 'Fibre broadband 500 Mb/s').nullish(),
    productType: z.enum(RENTAL_PRODUCT_TYPES).default('PRODUCT'),
    availableFrom: isoDate('2025-01-01'),
    availableTo: isoDate('2030-12-31').nullish(),
  })
  .strict();

export const RentalProduct = outputSchema(
  RentalProductInput,
  { contractOwnerId: entityId("read-only: the category's contract owner") },
  'RentalProduct',
);

type Input = z.infer<typeof RentalProductInput>;
type Row = typeof rentalProducts.$inferSelect;

export const rentalProductService = tableService<Row, Record<string, unknown>, Input>({
  singular: 'rental product',
  table: rentalProducts,
  ownerColumn: rentalProducts.contractOwnerId,
  ownerOf: (r) => r.contractOwnerId,
  dateOrder: ['availableFrom', 'availableTo'],
  async toInsert(ctx, input) {
    const category = await requireVisible<typeof rentalProductCategories.$inferSelect>(
      ctx,
      rentalProductCategories,
      input.rentalProductCategoryId,
      '/rentalProductCategoryId',
      'rental product category',
    );
    return { ...input, contractOwnerId: category.contractOwnerId };
  },
  async beforeDelete(ctx, row) {
    await assertUnreferenced(ctx, 'rental product', row.id, [
      { table: rentalProductInventories, column: rentalProductInventories.rentalProductId, label: 'rental product inventories' },
      ...PRICING_REFERENCES.rentalProduct,
    ]);
  },
  toOutput: pickFields(RentalProduct),
});

export function registerRentalProducts(app: OpenAPIHono<AppEnv>) {
  registerResource(app, {
    path: '/v1/rental-products',
    tag: 'Rental products',
    singular: 'rental product',
    plural: 'rental products',
    area: 'customers',
    input: RentalProductInput,
    output: RentalProduct,
    immutable: ['rentalProductCategoryId'],
    filters: {
      id: { type: 'id', column: rentalProducts.id },
      rentalProductCategoryId: { type: 'id', column: rentalProducts.rentalProductCategoryId },
      contractOwnerId: { type: 'id', column: rentalProducts.contractOwnerId },
      name: { type: 'string', column: rentalProducts.name },
      productType: { type: 'string', column: rentalProducts.productType },
    },
    sorts: {
      id: rentalProducts.id,
      name: rentalProducts.name,
      productType: rentalProducts.productType,
      availableFrom: rentalProducts.availableFrom,
      availableTo: rentalProducts.availableTo,
    },
    service: rentalProductService,
    createExample: { rentalProductCategoryId: 1, name: 'FTTP 500', productType: 'PRODUCT', availableFrom: '2025-01-01' },
    notes: {
      create: 'The category must be visible to the token (404 naming `rentalProductCategoryId` otherwise); the product belongs to its contract owner.',
      delete: 'Refused (409, with counts) while inventories, rental rates, discount plan rules or inclusive usage plans (as trigger charge) use the product.',
    },
  });
}
