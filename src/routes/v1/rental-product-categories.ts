/** Rental product categories: how an owner groups its rental products (and what rental rate cards price). */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../http/middleware';
import { outputSchema, registerResource } from '../../http/resource';
import { entityId, isoDate, name } from '../../http/schemas';
import {
  type RentalProductCategoryInput as RentalProductCategoryFields,
  rentalProductCategoryService,
} from '../../services/rental-product-categories';

export const RentalProductCategoryInput = z
  .object({
    contractOwnerId: entityId('The contract owner; fixed after creation'),
    name: name(100, 'Broadband'),
    startDate: isoDate('2025-01-01'),
    endDate: isoDate('2030-12-31').nullish(),
  })
  .strict() satisfies z.ZodType<RentalProductCategoryFields>;

export const RentalProductCategory = outputSchema(RentalProductCategoryInput, {}, 'RentalProductCategory');

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
    service: rentalProductCategoryService,
    createExample: { contractOwnerId: 1, name: 'Broadband', startDate: '2025-01-01' },
    notes: { delete: 'Refused (409, with counts) while rental products, rental rate cards or discount plan rules use the category.' },
  });
}
