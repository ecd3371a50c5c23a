/** Rental products: what a site rents (a line, a broadband service, a handset); priced by rental rate cards. */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../http/middleware';
import { outputSchema, registerResource } from '../../http/resource';
import { entityId, isoDate, name } from '../../http/schemas';
import { RENTAL_PRODUCT_TYPES, type RentalProductInput as RentalProductFields, rentalProductService } from '../../services/rental-products';

export const RentalProductInput = z
  .object({
    rentalProductCategoryId: entityId('The category; fixed after creation'),
    name: name(100, 'FTTP 500'),
    invoicePresentationName: name(100, 'Fibre broadband 500 Mb/s').nullish(),
    productType: z.enum(RENTAL_PRODUCT_TYPES).default('PRODUCT'),
    availableFrom: isoDate('2025-01-01'),
    availableTo: isoDate('2030-12-31').nullish(),
  })
  .strict() satisfies z.ZodType<RentalProductFields>;

export const RentalProduct = outputSchema(
  RentalProductInput,
  { contractOwnerId: entityId("read-only: the category's contract owner") },
  'RentalProduct',
);

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
    service: rentalProductService,
    createExample: { rentalProductCategoryId: 1, name: 'FTTP 500', productType: 'PRODUCT', availableFrom: '2025-01-01' },
    notes: {
      create: 'The category must be visible to the token (404 naming `rentalProductCategoryId` otherwise); the product belongs to its contract owner.',
      delete: 'Refused (409, with counts) while inventories, rental rates, discount plan rules or inclusive usage plans (as trigger charge) use the product.',
    },
  });
}
