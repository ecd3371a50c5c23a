/**
 * Rental rates: the price of a rental product on a rental rate card over a date
 * range — recurring (RENTAL, at a frequency, in advance or arrears) or ONEOFF.
 * Rates are added through their card (`add /rentalRates/-`); here they are listed
 * (by card), read, changed and deleted. A card has at most one rate per product
 * and price type effective on any day (409): a product may have a recurring
 * rental and a one-off charge at once.
 *
 * `price` is in major units (e.g. pounds), up to 6 decimal places.
 */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { rentalProducts, rentalRateCardOwners, rentalRateCards, rentalRates } from '../../db/schema';
import { majorToMicros } from '../../domain/money';
import { rentalChargeProblems } from '../../domain/pricing';
import { RENTAL_RATE_PRICE_TYPES } from '../../domain/rental-charges';
import type { AppEnv } from '../../http/middleware';
import { filterSql, scaledNumberFilter } from '../../http/query';
import { outputSchema, registerResource } from '../../http/resource';
import { entityId } from '../../http/schemas';
import { type CheckedList, nestedItemService } from '../../services/nested-resources';
import { assertNoOverlap, requireUsableRefs, rule } from '../../services/pricing-checks';
import {
  addProblems,
  endDate,
  itemId,
  majorIn,
  majorOut,
  majorPrice,
  PeriodsInAdvanceField,
  RentalRateFrequencyField,
  RentalRateTypeField,
  startDate,
} from './pricing-fields';

/** Elevate's range for rental prices (its overrides use the same). */
export const MAX_RENTAL_PRICE = 9_999_999;

const rentalRateShape = {
  rentalProductId: entityId('A rental product of the card’s category'),
  price: majorPrice(10.5, 'The price per period (RENTAL) or once (ONEOFF).', -MAX_RENTAL_PRICE).refine((v) => v <= MAX_RENTAL_PRICE, {
    message: `must be at most ${MAX_RENTAL_PRICE}`,
  }),
  rentalRatePriceType: z.enum(RENTAL_RATE_PRICE_TYPES).default('RENTAL').openapi({ description: 'RENTAL recurs at rentalRateFrequency; ONEOFF is charged once' }),
  rentalRateType: RentalRateTypeField.openapi({ description: 'ADVANCE or ARREARS; required when rentalRatePriceType is RENTAL' }).nullish(),
  periodsInAdvance: PeriodsInAdvanceField.nullish(),
  rentalRateFrequency: RentalRateFrequencyField.openapi({ description: 'How often the rental recurs; required when rentalRatePriceType is RENTAL' }).nullish(),
  startDate: startDate(),
  endDate: endDate(),
  showOnInvoice: z.boolean().default(true).openapi({ example: true }),
};

function rules(v: Record<string, unknown>, ctx: z.core.$RefinementCtx) {
  if (v.rentalRatePriceType) addProblems(ctx, rentalChargeProblems(v as never));
  if (typeof v.startDate === 'string' && typeof v.endDate === 'string' && v.endDate < v.startDate) {
    addProblems(ctx, [{ path: '/endDate', message: 'must not be before startDate' }]);
  }
}

export const RentalRateInput = z.object(rentalRateShape).strict().superRefine(rules);
export const RentalRateItem = z
  .object({ id: itemId(), ...rentalRateShape })
  .strict()
  .superRefine(rules)
  .openapi('RentalRateItem');

export const RentalRate = outputSchema(RentalRateInput, { rentalRateCardId: entityId('read-only: the card') }, 'RentalRate');
export const RentalRateInCard = outputSchema(RentalRateItem, {}, 'RentalRateInCard', { audit: false });

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

export const rentalRateCardOwnerLink = {
  table: rentalRateCardOwners,
  objectId: rentalRateCardOwners.rentalRateCardId,
  ownerId: rentalRateCardOwners.contractOwnerId,
};

const service = nestedItemService<Row, z.infer<typeof RentalRateInput>>({
  singular: 'rental rate',
  list: rentalRateList,
  parent: { singular: 'rental rate card', table: rentalRateCards, ownership: { link: rentalRateCardOwnerLink } },
  renderFields: (r) => {
    const { id, ...rest } = renderRate(r);
    return { id, rentalRateCardId: r.rentalRateCardId, ...rest };
  },
});

export function registerRentalRates(app: OpenAPIHono<AppEnv>) {
  registerResource(app, {
    path: '/v2/rental-rates',
    tag: 'Rental rates',
    singular: 'rental rate',
    plural: 'rental rates',
    area: 'pricing',
    input: RentalRateInput,
    output: RentalRate,
    operations: ['list', 'get', 'update', 'delete'],
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
    service,
    createExample: {},
    notes: {
      list: '`rentalRateCardId` is required (400 without it). Rates are visible when their card is.',
      update:
        'Rates are added through PATCH on their rental rate card (`add /rentalRates/-`). rentalRateType and rentalRateFrequency are required for RENTAL rates, periodsInAdvance for ADVANCE ones (400 naming the field). Needs a token acting for every owner of the card (403); another rate of the same product and price type on a common day: 409.',
      delete: 'Needs a token acting for every owner of the card.',
    },
  });
}
