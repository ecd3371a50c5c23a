/**
 * Rental product inventories (RPIs): a quantity of a rental product at a site for
 * a period. The customer is the site's; contracts are assigned to RPIs.
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
import { customerContractAssignments, rentalProductInventories, rentalProducts, sites } from '../../db/schema';
import type { AppEnv } from '../../http/middleware';
import { outputSchema, registerResource } from '../../http/resource';
import { entityId, isoDate, text } from '../../http/schemas';
import { PRICING_REFERENCES } from '../../services/pricing-references';

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
  .strict();

export const RentalProductInventory = outputSchema(
  RentalProductInventoryInput,
  {
    customerId: entityId("read-only: the site's customer"),
    contractOwnerId: entityId("read-only: the site's contract owner"),
  },
  'RentalProductInventory',
);

type Input = z.infer<typeof RentalProductInventoryInput>;
type Row = typeof rentalProductInventories.$inferSelect;

export const rentalProductInventoryService = tableService<Row, Record<string, unknown>, Input>({
  singular: 'rental product inventory',
  table: rentalProductInventories,
  ownerColumn: rentalProductInventories.contractOwnerId,
  ownerOf: (r) => r.contractOwnerId,
  dateOrder: ['startDate', 'endDate'],
  async toInsert(ctx, input) {
    const site = await requireVisible<typeof sites.$inferSelect>(ctx, sites, input.siteId, '/siteId', 'site');
    const product = await requireVisible<typeof rentalProducts.$inferSelect>(
      ctx,
      rentalProducts,
      input.rentalProductId,
      '/rentalProductId',
      'rental product',
    );
    assertSameOwner(site.contractOwnerId, product, '/rentalProductId', 'rental product');
    return { ...input, customerId: site.customerId, contractOwnerId: site.contractOwnerId };
  },
  async beforeDelete(ctx, row) {
    await assertUnreferenced(ctx, 'rental product inventory', row.id, [
      {
        table: customerContractAssignments,
        column: customerContractAssignments.rentalProductInventoryId,
        label: 'customer contract assignments',
      },
      ...PRICING_REFERENCES.rentalProductInventory,
    ]);
  },
  toOutput: pickFields(RentalProductInventory),
});

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
    filters: {
      id: { type: 'id', column: rentalProductInventories.id },
      siteId: { type: 'id', column: rentalProductInventories.siteId },
      customerId: { type: 'id', column: rentalProductInventories.customerId },
      rentalProductId: { type: 'id', column: rentalProductInventories.rentalProductId },
      startDate: { type: 'date', column: rentalProductInventories.startDate },
      endDate: { type: 'date', column: rentalProductInventories.endDate },
    },
    sorts: {
      id: rentalProductInventories.id,
      siteId: rentalProductInventories.siteId,
      customerId: rentalProductInventories.customerId,
      startDate: rentalProductInventories.startDate,
      endDate: rentalProductInventories.endDate,
    },
    service: rentalProductInventoryService,
    createExample: { siteId: 1, rentalProductId: 1, quantity: 1, startDate: '2025-01-01', label: 'Reception line' },
    notes: {
      create:
        'Site and rental product must be visible to the token (404 naming the field otherwise) and belong to the same contract owner (422 otherwise). `customerId` is the site\'s.',
      delete: 'Refused (409, with counts) while customer contract assignments (active or not) or pricing assignments reference the inventory.',
    },
  });
}
