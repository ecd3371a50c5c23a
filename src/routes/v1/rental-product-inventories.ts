/**
 * Rental product inventories (RPIs): a quantity of a rental product at a site for
 * a period. The customer is the site's; contracts are assigned to RPIs.
 */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../http/middleware';
import { outputSchema, registerResource } from '../../http/resource';
import { entityId, isoDate, text } from '../../http/schemas';
import {
  type RentalProductInventoryInput as RentalProductInventoryFields,
  rentalProductInventoryService,
} from '../../services/rental-product-inventories';

export const RentalProductInventoryInput = z
  .object({
    siteId: entityId('The site; fixed after creation'),
    rentalProductId: entityId('A rental product of the same contract owner as the site; fixed after creation'),
    quantity: z.number().int().min(1).max(1_000_000_000).openapi({ example: 1 }),
    startDate: isoDate('2025-01-01'),
    endDate: isoDate('2027-12-31').nullish(),
    label: text(100, 'Reception line').min(1).nullish(),
    productReference: text(100, '01632960001').min(1).nullish(),
  })
  .strict() satisfies z.ZodType<RentalProductInventoryFields>;

export const RentalProductInventory = outputSchema(
  RentalProductInventoryInput,
  {
    customerId: entityId("read-only: the site's customer"),
    contractOwnerId: entityId("read-only: the site's contract owner"),
  },
  'RentalProductInventory',
);

export function registerRentalProductInventories(app: OpenAPIHono<AppEnv>) {
  registerResource(app, {
    path: '/v1/rental-product-inventories',
    tag: 'Rental product inventories',
    singular: 'rental product inventory',
    plural: 'rental product inventories',
    area: 'customers',
    input: RentalProductInventoryInput,
    output: RentalProductInventory,
    immutable: ['siteId', 'rentalProductId'],
    service: rentalProductInventoryService,
    createExample: { siteId: 1, rentalProductId: 1, quantity: 1, startDate: '2025-01-01', label: 'Reception line' },
    notes: {
      create:
        'Site and rental product must be visible to the token (404 naming the field otherwise) and belong to the same contract owner (422 otherwise). `customerId` is the site\'s.',
      delete: 'Refused (409, with counts) while customer contract assignments (active or not) or pricing assignments reference the inventory.',
    },
  });
}
