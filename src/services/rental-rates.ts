/**
 * Rental rates: the price of a rental product on a rental rate card over a date
 * range — recurring (RENTAL, at a frequency, in advance or arrears) or ONEOFF.
 * Rates are added through their card; as their own resource they are listed (by
 * card), read, changed and deleted. A card has at most one rate per product and
 * price type effective on any day (409): a product may have a recurring rental and
 * a one-off charge at once.
 *
 * `price` is in major units on the wire, micros in the table.
 */
import { sql } from 'drizzle-orm';
import type { OwnerLink } from '../db/owner-sets';
import { filterSql, scaledNumberFilter } from '../db/query';
import { rentalProducts, rentalRateCardOwners, rentalRateCards, rentalRates } from '../db/schema';
import { majorToMicros } from '../domain/money';
import type { PeriodsInAdvance, RentalRateFrequency, RentalRatePriceType, RentalRateType } from '../domain/rental-charges/model';
import { type CheckedList, nestedItemService } from './nested-resources';
import { assertNoOverlap, requireUsableRefs, rule } from './pricing-checks';
import { majorIn, majorOut } from './pricing-fields';

/** The writable fields of a rate; price in major units. */
export interface RentalRateFields {
  rentalProductId: number;
  price: number;
  rentalRatePriceType: RentalRatePriceType;
  /** required when rentalRatePriceType is RENTAL */
  rentalRateType?: RentalRateType | null;
  /** required when rentalRateType is ADVANCE */
  periodsInAdvance?: PeriodsInAdvance | null;
  /** required when rentalRatePriceType is RENTAL */
  rentalRateFrequency?: RentalRateFrequency | null;
  startDate: string;
  endDate?: string | null;
  showOnInvoice: boolean;
}

/** A rate inside its card: with its id when it exists. */
export interface RentalRateItemFields extends RentalRateFields {
  id?: number | null;
}

type Row = typeof rentalRates.$inferSelect;

function renderRate(r: Row): Record<string, unknown> {
  return {
    id: r.id,
    rentalProductId: r.rentalProductId,
    price: majorOut(r.price),
    rentalRatePriceType: r.rentalRatePriceType,
    rentalRateType: r.rentalRateType,
    periodsInAdvance: r.periodsInAdvance,
    rentalRateFrequency: r.rentalRateFrequency,
    startDate: r.startDate,
    endDate: r.endDate,
    showOnInvoice: r.showOnInvoice,
  };
}

/** A card's rates: products of the card's category, one rate per product and price type on any day. */
export const rentalRateList: CheckedList = {
  field: 'rentalRates',
  table: rentalRates,
  parentColumn: rentalRates.rentalRateCardId,
  audited: true,
  render: (r) => renderRate(r as Row),
  values: (i) => ({
    rentalProductId: i.rentalProductId,
    price: majorIn(i.price),
    rentalRatePriceType: i.rentalRatePriceType ?? 'RENTAL',
    rentalRateType: i.rentalRateType ?? null,
    periodsInAdvance: i.periodsInAdvance ?? null,
    rentalRateFrequency: i.rentalRateFrequency ?? null,
    startDate: i.startDate,
    endDate: i.endDate ?? null,
    showOnInvoice: i.showOnInvoice ?? true,
  }),
  async check(ctx, scope, items, pathOf) {
    const refs = items.flatMap((item, index) => {
      const path = pathOf(index);
      return path === null ? [] : [{ id: item.rentalProductId as number, path: `${path}/rentalProductId` }];
    });
    const products = await requireUsableRefs<typeof rentalProducts.$inferSelect>(ctx, rentalProducts, 'rental product', refs, scope.owners);
    const categoryId = scope.fields.rentalProductCategoryId;
    for (const ref of refs) {
      const product = products.get(ref.id)!;
      if (product.rentalProductCategoryId !== categoryId) {
        throw rule(ref.path, `rental product ${ref.id} is in category ${product.rentalProductCategoryId}, not the card's category ${String(categoryId)}`);
      }
    }
    assertNoOverlap(
      items,
      (i) => `${String(i.rentalProductId)}:${String(i.rentalRatePriceType ?? 'RENTAL')}`,
      pathOf,
      (i) => `rental product ${String(i.rentalProductId)} already has a ${String(i.rentalRatePriceType ?? 'RENTAL')} rate on this card on some of these days`,
      'rental rate',
    );
  },
};

/** The owners of a rental rate card (defined here, beside the rates, so the card's module can import it). */
export const rentalRateCardOwnerLink: OwnerLink = {
  table: rentalRateCardOwners,
  objectId: rentalRateCardOwners.rentalRateCardId,
  ownerId: rentalRateCardOwners.contractOwnerId,
};

export const rentalRateService = nestedItemService<Row, RentalRateFields>({
  singular: 'rental rate',
  query: {
    filters: {
      id: { type: 'id', column: rentalRates.id },
      rentalRateCardId: { type: 'id', column: rentalRates.rentalRateCardId, required: true, description: 'The card whose rates to list' },
      rentalProductId: { type: 'id', column: rentalRates.rentalProductId },
      rentalProductName: {
        type: 'string',
        build: (f) => sql`${rentalRates.rentalProductId} in (select ${rentalProducts.id} from ${rentalProducts} where ${filterSql(rentalProducts.name, f)})`,
        description: 'The rental product’s name',
      },
      price: { type: 'number', build: scaledNumberFilter(rentalRates.price, majorToMicros), description: 'In major units' },
      rentalRatePriceType: { type: 'string', column: rentalRates.rentalRatePriceType },
      rentalRateType: { type: 'string', column: rentalRates.rentalRateType },
      periodsInAdvance: { type: 'string', column: rentalRates.periodsInAdvance },
      rentalRateFrequency: { type: 'string', column: rentalRates.rentalRateFrequency },
      showOnInvoice: { type: 'boolean', column: rentalRates.showOnInvoice },
      startDate: { type: 'date', column: rentalRates.startDate },
      endDate: { type: 'date', column: rentalRates.endDate },
    },
    sorts: {
      id: rentalRates.id,
      rentalProductId: rentalRates.rentalProductId,
      price: rentalRates.price,
      startDate: rentalRates.startDate,
      endDate: rentalRates.endDate,
    },
  },
  list: rentalRateList,
  parent: { singular: 'rental rate card', table: rentalRateCards, ownership: { link: rentalRateCardOwnerLink } },
  renderFields: (r) => {
    const { id, ...rest } = renderRate(r);
    return { id, rentalRateCardId: r.rentalRateCardId, ...rest };
  },
});
