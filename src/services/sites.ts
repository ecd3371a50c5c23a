/** Sites: a customer's locations. Products are attached to sites as inventories. */
import { assertUnreferenced, columnKeys, pickFields, requireVisible, tableService } from '../db/crud';
import { customerContracts, customers, rentalProductInventories, sites, usageProductInventories } from '../db/schema';
import { PRICING_REFERENCES } from './pricing-references';

export interface SiteInput {
  customerId: number;
  siteName: string;
  siteReference?: string | null;
}

type Row = typeof sites.$inferSelect;

/** A site's column values: it belongs to its customer's contract owner. */
export function siteValues(customer: Pick<typeof customers.$inferSelect, 'id' | 'contractOwnerId'>, input: SiteInput) {
  return { ...input, customerId: customer.id, contractOwnerId: customer.contractOwnerId };
}

export const siteService = tableService<Row, Record<string, unknown>, SiteInput>({
  singular: 'site',
  table: sites,
  ownerColumn: sites.contractOwnerId,
  ownerOf: (r) => r.contractOwnerId,
  query: {
    filters: {
      id: { type: 'id', column: sites.id },
      customerId: { type: 'id', column: sites.customerId },
      contractOwnerId: { type: 'id', column: sites.contractOwnerId },
      siteName: { type: 'string', column: sites.siteName },
      siteReference: { type: 'string', column: sites.siteReference },
    },
    sorts: { id: sites.id, customerId: sites.customerId, siteName: sites.siteName, siteReference: sites.siteReference },
  },
  async toInsert(ctx, input) {
    const customer = await requireVisible<typeof customers.$inferSelect>(ctx, customers, input.customerId, '/customerId', 'customer');
    return siteValues(customer, input);
  },
  async beforeDelete(ctx, row) {
    await assertUnreferenced(ctx, 'site', row.id, [
      { table: rentalProductInventories, column: rentalProductInventories.siteId, label: 'rental product inventories' },
      { table: usageProductInventories, column: usageProductInventories.siteId, label: 'usage product inventories' },
      { table: customerContracts, column: customerContracts.siteId, label: 'customer contracts' },
      ...PRICING_REFERENCES.site,
    ]);
  },
  toOutput: pickFields(columnKeys(sites)),
});
