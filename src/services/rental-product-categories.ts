/** Rental product categories: how an owner groups its rental products (and what rental rate cards price). */
import { assertUnreferenced, columnKeys, pickFields, requireOwner, tableService } from '../db/crud';
import { rentalProductCategories, rentalProducts } from '../db/schema';
import { PRICING_REFERENCES } from './pricing-references';

export interface RentalProductCategoryInput {
  contractOwnerId: number;
  name: string;
  startDate: string;
  endDate?: string | null;
}

type Row = typeof rentalProductCategories.$inferSelect;

export const rentalProductCategoryService = tableService<Row, Record<string, unknown>, RentalProductCategoryInput>({
  singular: 'rental product category',
  table: rentalProductCategories,
  ownerColumn: rentalProductCategories.contractOwnerId,
  ownerOf: (r) => r.contractOwnerId,
  query: {
    filters: {
      id: { type: 'id', column: rentalProductCategories.id },
      contractOwnerId: { type: 'id', column: rentalProductCategories.contractOwnerId },
      name: { type: 'string', column: rentalProductCategories.name },
    },
    sorts: {
      id: rentalProductCategories.id,
      name: rentalProductCategories.name,
      startDate: rentalProductCategories.startDate,
      endDate: rentalProductCategories.endDate,
    },
  },
  dateOrder: ['startDate', 'endDate'],
  async toInsert(ctx, input) {
    await requireOwner(ctx, input.contractOwnerId);
    return { ...input };
  },
  async beforeDelete(ctx, row) {
    await assertUnreferenced(ctx, 'rental product category', row.id, [
      { table: rentalProducts, column: rentalProducts.rentalProductCategoryId, label: 'rental products' },
      ...PRICING_REFERENCES.rentalProductCategory,
    ]);
  },
  toOutput: pickFields(columnKeys(rentalProductCategories)),
});
