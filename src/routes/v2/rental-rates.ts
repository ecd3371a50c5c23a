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
import { rentalChargeProblems } from '../../domain/pricing';
import { RENTAL_RATE_PRICE_TYPES } from '../../domain/rental-charges/model';
import type { AppEnv } from '../../http/middleware';
import { outputSchema, registerResource } from '../../http/resource';
import { addProblems, entityId } from '../../http/schemas';
import { type RentalRateFields, type RentalRateItemFields, rentalRateService } from '../../services/rental-rates';
import { endDate, itemId, majorPrice, PeriodsInAdvanceField, RentalRateFrequencyField, RentalRateTypeField, startDate } from './pricing-fields';

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

export const RentalRateInput = z.object(rentalRateShape).strict().superRefine(rules) satisfies z.ZodType<RentalRateFields>;
export const RentalRateItem = z
  .object({ id: itemId(), ...rentalRateShape })
  .strict()
  .superRefine(rules)
  .openapi('RentalRateItem') satisfies z.ZodType<RentalRateItemFields>;

export const RentalRate = outputSchema(RentalRateInput, { rentalRateCardId: entityId('read-only: the card') }, 'RentalRate');
export const RentalRateInCard = outputSchema(RentalRateItem, {}, 'RentalRateInCard', { audit: false });

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
    service: rentalRateService,
    createExample: {},
    notes: {
      list: '`rentalRateCardId` is required (400 without it). Rates are visible when their card is.',
      update:
        'Rates are added through PATCH on their rental rate card (`add /rentalRates/-`). rentalRateType and rentalRateFrequency are required for RENTAL rates, periodsInAdvance for ADVANCE ones (400 naming the field). Needs a token acting for every owner of the card (403); another rate of the same product and price type on a common day: 409.',
      delete: 'Needs a token acting for every owner of the card.',
    },
  });
}
