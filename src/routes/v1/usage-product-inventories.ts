/**
 * Usage product inventories (UPIs): a usage product at a site under a reference
 * (e.g. a phone number) for a period. The customer is the site's; usage is rated per UPI.
 */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  assertSameOwner,
  assertUnreferenced,
  pickFields,
  requireVisible,
  tableService,
} from '../../db/crud';
import { sites, usageProductInventories, usageProducts } from '../../db/schema';
import type { AppEnv } from '../../http/middleware';
import { outputSchema, registerResource } from '../../http/resource';
import { PRICING_REFERENCES } from '../../services/pricing-references';
import { entityId, isoDate } from '../../http/schemas';

export const UsageProductInventoryInput = z
  .object({
    siteId: entityId('The site; fixed after creation'),
    usageProductId: entityId('A usage product of the same contract owner as the site; fixed after creation'),
    reference: z.string().trim().min(1).max(100).openapi({ example: '01632960001', description: 'e.g. a phone number' }),
    startDate: isoDate('2025-01-01'),
    endDate: isoDate('2027-12-31').nullish(),
  })
  .strict();

export const UsageProductInventory = outputSchema(
  UsageProductInventoryInput,
  {
    customerId: entityId("read-only: the site's customer"),
    contractOwnerId: entityId("read-only: the site's contract owner"),
  },
  'UsageProductInventory',
);

type Input = z.infer<typeof UsageProductInventoryInput>;
type Row = typeof usageProductInventories.$inferSelect;

export const usageProductInventoryService = tableService<Row, Record<string, unknown>, Input>({
  singular: 'usage product inventory',
  table: usageProductInventories,
  ownerColumn: usageProductInventories.contractOwnerId,
  ownerOf: (r) => r.contractOwnerId,
  dateOrder: ['startDate', 'endDate'],
  async toInsert(ctx, input) {
    const site = await requireVisible<typeof sites.$inferSelect>(ctx, sites, input.siteId, '/siteId', 'site');
    const product = await requireVisible<typeof usageProducts.$inferSelect>(
      ctx,
      usageProducts,
      input.usageProductId,
      '/usageProductId',
      'usage product',
    );
    assertSameOwner(site.contractOwnerId, product, '/usageProductId', 'usage product');
    return { ...input, customerId: site.customerId, contractOwnerId: site.contractOwnerId };
  },
  async beforeDelete(ctx, row) {
    await assertUnreferenced(ctx, 'usage product inventory', row.id, PRICING_REFERENCES.usageProductInventory);
  },
  toOutput: pickFields(UsageProductInventory),
});

export function registerUsageProductInventories(app: OpenAPIHono<AppEnv>) {
  registerResource(app, {
    path: '/v1/usage-product-inventories',
    tag: 'Usage product inventories',
    singular: 'usage product inventory',
    plural: 'usage product inventories',
    area: 'customers',
    input: UsageProductInventoryInput,
    output: UsageProductInventory,
    immutable: ['siteId', 'usageProductId'],
    filters: {
      id: { type: 'id', column: usageProductInventories.id },
      siteId: { type: 'id', column: usageProductInventories.siteId },
      customerId: { type: 'id', column: usageProductInventories.customerId },
      usageProductId: { type: 'id', column: usageProductInventories.usageProductId },
      reference: { type: 'string', column: usageProductInventories.reference },
    },
    sorts: {
      id: usageProductInventories.id,
      siteId: usageProductInventories.siteId,
      customerId: usageProductInventories.customerId,
      reference: usageProductInventories.reference,
      startDate: usageProductInventories.startDate,
      endDate: usageProductInventories.endDate,
    },
    service: usageProductInventoryService,
    createExample: { siteId: 1, usageProductId: 1, reference: '01632960001', startDate: '2025-01-01' },
    notes: {
      create:
        'Site and usage product must be visible to the token (404 naming the field otherwise) and belong to the same contract owner (422 otherwise). `customerId` is the site\'s.',
      delete: 'Refused (409, with counts) while pricing assignments or usage records reference the inventory.',
    },
  });
}
