/**
 * Usage product inventories (UPIs): a usage product at a site under a reference
 * (e.g. a phone number) for a period. The customer is the site's; usage is rated per UPI.
 */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../http/middleware';
import { outputSchema, registerResource } from '../../http/resource';
import { entityId, isoDate } from '../../http/schemas';
import {
  type UsageProductInventoryInput as UsageProductInventoryFields,
  usageProductInventoryService,
} from '../../services/usage-product-inventories';

export const UsageProductInventoryInput = z
  .object({
    siteId: entityId('The site; fixed after creation'),
    usageProductId: entityId('A usage product of the same contract owner as the site; fixed after creation'),
    reference: z.string().trim().min(1).max(100).openapi({ example: '01632960001', description: 'e.g. a phone number' }),
    startDate: isoDate('2025-01-01'),
    endDate: isoDate('2027-12-31').nullish(),
  })
  .strict() satisfies z.ZodType<UsageProductInventoryFields>;

export const UsageProductInventory = outputSchema(
  UsageProductInventoryInput,
  {
    customerId: entityId("read-only: the site's customer"),
    contractOwnerId: entityId("read-only: the site's contract owner"),
  },
  'UsageProductInventory',
);

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
    service: usageProductInventoryService,
    createExample: { siteId: 1, usageProductId: 1, reference: '01632960001', startDate: '2025-01-01' },
    notes: {
      create:
        'Site and usage product must be visible to the token (404 naming the field otherwise) and belong to the same contract owner (422 otherwise). `customerId` is the site\'s.',
      delete: 'Refused (409, with counts) while pricing assignments or usage records reference the inventory.',
    },
  });
}
