/** Usage products: what is charged by usage (calls, data, events); priced by usage rate cards. */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../http/middleware';
import { outputSchema, registerResource } from '../../http/resource';
import { entityId, isoDate, name } from '../../http/schemas';
import {
  CHARGING_UNITS,
  USAGE_DIRECTIONS,
  type UsageProductInput as UsageProductFields,
  usageProductService,
} from '../../services/usage-products';

export const UsageProductInput = z
  .object({
    contractOwnerId: entityId('The contract owner; fixed after creation'),
    name: name(100, 'Outbound calls'),
    direction: z.enum(USAGE_DIRECTIONS).nullish(),
    chargingUnit: z.enum(CHARGING_UNITS).default('SECOND'),
    availableFrom: isoDate('2025-01-01'),
    availableTo: isoDate('2030-12-31').nullish(),
  })
  .strict() satisfies z.ZodType<UsageProductFields>;

export const UsageProduct = outputSchema(UsageProductInput, {}, 'UsageProduct');

export function registerUsageProducts(app: OpenAPIHono<AppEnv>) {
  registerResource(app, {
    path: '/v1/usage-products',
    tag: 'Usage products',
    singular: 'usage product',
    plural: 'usage products',
    area: 'customers',
    input: UsageProductInput,
    output: UsageProduct,
    immutable: ['contractOwnerId'],
    service: usageProductService,
    createExample: { contractOwnerId: 1, name: 'Outbound calls', direction: 'OUTBOUND', chargingUnit: 'SECOND', availableFrom: '2025-01-01' },
    notes: { delete: 'Refused (409, with counts) while inventories, usage rate cards or inclusive usage plans use the product.' },
  });
}
