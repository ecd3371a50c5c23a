/**
 * Rental product inventories (RPIs): a quantity of a rental product at a site for
 * a period. The customer is the site's; contracts are assigned to RPIs.
 */
import { assertDateOrder, assertSameOwner, assertUnreferenced, pickFields, requireVisible, tableService } from '../db/crud';
import { customerContractAssignments, rentalProductInventories, rentalProducts, sites } from '../db/schema';
import { PRICING_REFERENCES } from './pricing-references';

export interface RentalProductInventoryInput {
  siteId: number;
  rentalProductId: number;
  quantity: number;
  startDate: string;
  endDate?: string | null;
  label?: string | null;
  productReference?: string | null;
}

type Row = typeof rentalProductInventories.$inferSelect;
type Site = Pick<typeof sites.$inferSelect, 'id' | 'customerId' | 'contractOwnerId'>;
type Product = Pick<typeof rentalProducts.$inferSelect, 'id' | 'contractOwnerId'>;

/** An RPI's column values: the product must be of the site's contract owner; the RPI is the site's customer's. */
export function rpiValues(site: Site, product: Product, input: RentalProductInventoryInput) {
  assertDateOrder(input.startDate, input.endDate, '/startDate', '/endDate');
  assertSameOwner(site.contractOwnerId, product, '/rentalProductId', 'rental product');
  return { ...input, customerId: site.customerId, contractOwnerId: site.contractOwnerId };
}

/** The public fields in the order they have always been rendered: the site's customer and owner after the input fields. */
const FIELDS = [
  'id',
  'siteId',
  'rentalProductId',
  'quantity',
  'startDate',
  'endDate',
  'label',
  'productReference',
  'customerId',
  'contractOwnerId',
  'createdDate',
  'updatedDate',
  'createdBy',
  'updatedBy',
  'version',
] as const satisfies readonly (keyof Row)[];

export const rentalProductInventoryService = tableService<Row, Record<string, unknown>, RentalProductInventoryInput>({
  singular: 'rental product inventory',
  table: rentalProductInventories,
  ownerColumn: rentalProductInventories.contractOwnerId,
  ownerOf: (r) => r.contractOwnerId,
  query: {
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
  },
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
    return rpiValues(site, product, input);
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
  toOutput: pickFields(FIELDS),
});
