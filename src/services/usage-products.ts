/** Usage products: what is charged by usage (calls, data, events); priced by usage rate cards. */
import { assertUnreferenced, columnKeys, pickFields, requireOwner, tableService } from '../db/crud';
import { usageProductInventories, usageProducts } from '../db/schema';
import { PRICING_REFERENCES } from './pricing-references';

export const USAGE_DIRECTIONS = ['INBOUND', 'OUTBOUND'] as const;
export type UsageDirection = (typeof USAGE_DIRECTIONS)[number];
export const CHARGING_UNITS = ['SECOND', 'MEGABYTE', 'EVENT'] as const;
export type ChargingUnit = (typeof CHARGING_UNITS)[number];

export interface UsageProductInput {
  contractOwnerId: number;
  name: string;
  direction?: UsageDirection | null;
  chargingUnit: ChargingUnit;
  availableFrom: string;
  availableTo?: string | null;
}

type Row = typeof usageProducts.$inferSelect;

export const usageProductService = tableService<Row, Record<string, unknown>, UsageProductInput>({
  singular: 'usage product',
  table: usageProducts,
  ownerColumn: usageProducts.contractOwnerId,
  ownerOf: (r) => r.contractOwnerId,
  query: {
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
  },
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
  toOutput: pickFields(columnKeys(usageProducts)),
});
