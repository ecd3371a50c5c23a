/**
 * Usage product inventories (UPIs): a usage product at a site under a reference
 * (e.g. a phone number) for a period. The customer is the site's; usage is rated per UPI.
 */
import { assertSameOwner, assertUnreferenced, pickFields, requireVisible, tableService } from '../db/crud';
import { sites, usageProductInventories, usageProducts } from '../db/schema';
import { PRICING_REFERENCES } from './pricing-references';

export interface UsageProductInventoryInput {
  siteId: number;
  usageProductId: number;
  reference: string;
  startDate: string;
  endDate?: string | null;
}

type Row = typeof usageProductInventories.$inferSelect;

/** The public fields in the order they have always been rendered: the site's customer and owner after the input fields. */
const FIELDS = [
  'id',
  'siteId',
  'usageProductId',
  'reference',
  'startDate',
  'endDate',
  'customerId',
  'contractOwnerId',
  'createdDate',
  'updatedDate',
  'createdBy',
  'updatedBy',
  'version',
] as const satisfies readonly (keyof Row)[];

export const usageProductInventoryService = tableService<Row, Record<string, unknown>, UsageProductInventoryInput>({
  singular: 'usage product inventory',
  table: usageProductInventories,
  ownerColumn: usageProductInventories.contractOwnerId,
  ownerOf: (r) => r.contractOwnerId,
  query: {
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
  },
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
  toOutput: pickFields(FIELDS),
});
