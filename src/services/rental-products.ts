/** Rental products: what a site rents (a line, a broadband service, a handset); priced by rental rate cards. */
import { assertUnreferenced, pickFields, requireVisible, tableService } from '../db/crud';
import { rentalProductCategories, rentalProductInventories, rentalProducts } from '../db/schema';
import { PRICING_REFERENCES } from './pricing-references';

export const RENTAL_PRODUCT_TYPES = ['PRODUCT', 'FEATURE', 'EVENT'] as const;
export type RentalProductType = (typeof RENTAL_PRODUCT_TYPES)[number];

export interface RentalProductInput {
  rentalProductCategoryId: number;
  name: string;
  invoicePresentationName?: string | null;
  productType: RentalProductType;
  availableFrom: string;
  availableTo?: string | null;
}

type Row = typeof rentalProducts.$inferSelect;

/** The public fields in the order they have always been rendered: the derived owner after the input fields. */
const FIELDS = [
  'id',
  'rentalProductCategoryId',
  'name',
  'invoicePresentationName',
  'productType',
  'availableFrom',
  'availableTo',
  'contractOwnerId',
  'createdDate',
  'updatedDate',
  'createdBy',
  'updatedBy',
  'version',
] as const satisfies readonly (keyof Row)[];

export const rentalProductService = tableService<Row, Record<string, unknown>, RentalProductInput>({
  singular: 'rental product',
  table: rentalProducts,
  ownerColumn: rentalProducts.contractOwnerId,
  ownerOf: (r) => r.contractOwnerId,
  query: {
    filters: {
      id: { type: 'id', column: rentalProducts.id },
      rentalProductCategoryId: { type: 'id', column: rentalProducts.rentalProductCategoryId },
      contractOwnerId: { type: 'id', column: rentalProducts.contractOwnerId },
      name: { type: 'string', column: rentalProducts.name },
      productType: { type: 'string', column: rentalProducts.productType },
    },
    sorts: {
      id: rentalProducts.id,
      name: rentalProducts.name,
      productType: rentalProducts.productType,
      availableFrom: rentalProducts.availableFrom,
      availableTo: rentalProducts.availableTo,
    },
  },
  dateOrder: ['availableFrom', 'availableTo'],
  async toInsert(ctx, input) {
    const category = await requireVisible<typeof rentalProductCategories.$inferSelect>(
      ctx,
      rentalProductCategories,
      input.rentalProductCategoryId,
      '/rentalProductCategoryId',
      'rental product category',
    );
    return { ...input, contractOwnerId: category.contractOwnerId };
  },
  async beforeDelete(ctx, row) {
    await assertUnreferenced(ctx, 'rental product', row.id, [
      { table: rentalProductInventories, column: rentalProductInventories.rentalProductId, label: 'rental product inventories' },
      ...PRICING_REFERENCES.rentalProduct,
    ]);
  },
  toOutput: pickFields(FIELDS),
});
