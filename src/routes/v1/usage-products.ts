/** Usage products: what is charged by usage (calls, data, events); priced by usage rate cards. */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { assertUnreferenced, pickFields, requireOwner, tableService } from '../../db/crud';
import { usageProductInventories, usageProducts } from '../../db/schema';
import type { AppEnv } from '../../http/middleware';
import { outputSchema, registerResource } from '../../http/resource';
import { entityId, isoDate, name } from '../../http/schemas';
import { PRICING_REFERENCES } from '../../services/pricing-references';

export const USAGE_DIRECTIONS = ['INBOUND', 'OUTBOUND'] as const;
export const CHARGING_UNITS = ['SECOND', 'MEGABYTE', 'EVENT'] as const;

export const UsageProductInput = z
  .object({
    contractOwnerId: entityId('The contract owner; fixed after creation'),
    name: name(100, 'Outbound calls'),
    direction: z.enum(USAGE_DIRECTIONS).nullish(),
    chargingUnit: z.enum(CHARGING_UNITS).default('SECOND'),
    availableFrom: isoDate('2025-01-01'),
    availableTo: isoDate('2030-12-31').nullish(),
  })
  .strict();

export const UsageProduct = outputSchema(UsageProductInput, {}, 'UsageProduct');

type Input = z.infer<typeof UsageProductInput>;
type Row = typeof usageProducts.$inferSelect;

export const usageProductService = tableService<Row, Record<string, unknown>, Input>({
  singular: 'usage product',
  table: usageProducts,
  ownerColumn: usageProducts.contractOwnerId,
  ownerOf: (r) => r.contractOwnerId,
  dateOrder: ['availableFrom', 'availableTo'],
  async toInsert(ctx, input) {
    await requireOwner(ctx, input.contractOwnerId);
    return { ...input };
  },
  async beforeDelete(ctx, row) {
    await assertUnreferenced(ctx, 'usage product', row.id, [
      { table: usageProductInventories, column: usageProductInventories.usageProductId, label: 'usage product inventories' },
      ...PRICING_REFERENCES.usageProduct,
    ]);
  },
  toOutput: pickFields(UsageProduct),
});

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
    filters: {
      id: { type: 'id', column: usageProducts.id },
      contractOwnerId: { type: 'id', column: usageProducts.contractOwnerId },
      name: { type: 'string', column: usageProducts.name },
    },
    sorts: {
      id: usageProducts.id,
      name: usageProducts.name,
      availableFrom: usageProducts.availableFrom,
      availableTo: usageProducts.availableTo,
    },
    service: usageProductService,
    createExample: { contractOwnerId: 1, name: 'Outbound calls', direction: 'OUTBOUND', chargingUnit: 'SECOND', availableFrom: '2025-01-01' },
    notes: { delete: 'Refused (409, with counts) while inventories, usage rate cards or inclusive usage plans use the product.' },
  });
}
