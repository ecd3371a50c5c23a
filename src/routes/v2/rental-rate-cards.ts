/**
 * Rental rate cards: prices of the rental products of one category. SELL cards
 * price products to customers (only they are assigned) and may be based on a
 * TEMPLATE card of the same category, whose rates apply to products the SELL card
 * has no rate for; BUY cards price a supplier's products. Rates are nested in the
 * card's JSON and changed by PATCH of the whole card, as on usage rate cards.
 *
 * Tenancy as usage rate cards: visible to any owner, written by a token acting for all.
 */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { RATE_CARD_TYPES, rentalRateCardProblems } from '../../domain/pricing';
import type { AppEnv } from '../../http/middleware';
import { outputSchema, registerResource } from '../../http/resource';
import { addProblems, entityId, isoDate, name } from '../../http/schemas';
import { type RentalRateCardFields, rentalRateCardService } from '../../services/rental-rate-cards';
import { externalId, nestedArray } from './pricing-fields';
import { RentalRateInCard, RentalRateItem } from './rental-rates';
import { ownerIds } from './usage-rate-cards';

export const RentalRateCardInput = z
  .object({
    contractOwnerIds: ownerIds('The contract owners that may use the card, all of one currency; required for SELL and TEMPLATE cards (a BUY card defaults to the category’s owner)').nullish(),
    name: name(100, 'Business broadband'),
    rentalRateCardType: z.enum(RATE_CARD_TYPES).openapi({ description: 'SELL prices products to customers (only SELL cards are assigned); TEMPLATE holds fallback rates for SELL cards based on it; BUY prices them from the supplier; fixed after creation' }),
    basedOnTemplateId: entityId('SELL cards: a TEMPLATE card of the same category whose owners include all of this card’s; its rates apply to products this card has no rate for').nullish(),
    rentalProductCategoryId: entityId('The rental product category priced, of one of the card’s owners; fixed after creation'),
    availableFrom: isoDate('2025-01-01'),
    availableTo: isoDate('2030-12-31').nullish(),
    acceptOverridesFromParents: z.boolean().default(true).openapi({ description: 'Overrides assigned higher in the customer/site/inventory hierarchy may override this card’s prices' }),
    supplierAccountId: externalId('BUY cards (required there): the supplier account').nullish(),
    rentalRates: nestedArray(RentalRateItem, 1000, 'Rates by product (at most one per product and price type on any day)'),
  })
  .strict()
  .superRefine((card, ctx) => {
    if (card.rentalRateCardType) addProblems(ctx, rentalRateCardProblems(card));
  }) satisfies z.ZodType<RentalRateCardFields>;

export const RentalRateCard = outputSchema(
  RentalRateCardInput,
  {
    contractOwnerIds: z.array(entityId()).openapi({ example: [1], description: 'The contract owners that may use the card' }),
    currencyCode: z.string().openapi({ example: 'GBP', description: 'read-only: the currency of the card’s owners' }),
    rentalRates: z.array(RentalRateInCard),
  },
  'RentalRateCard',
);

export function registerRentalRateCards(app: OpenAPIHono<AppEnv>) {
  registerResource(app, {
    path: '/v2/rental-rate-cards',
    tag: 'Rental rate cards',
    singular: 'rental rate card',
    plural: 'rental rate cards',
    area: 'pricing',
    input: RentalRateCardInput,
    output: RentalRateCard,
    immutable: ['rentalRateCardType', 'rentalProductCategoryId'],
    summary: ['rentalRates'],
    service: rentalRateCardService,
    createExample: {
      contractOwnerIds: [1],
      name: 'Business broadband',
      rentalRateCardType: 'SELL',
      rentalProductCategoryId: 1,
      availableFrom: '2025-01-01',
      rentalRates: [{ rentalProductId: 1, price: 25, rentalRatePriceType: 'RENTAL', rentalRateType: 'ADVANCE', periodsInAdvance: 'STANDARD', rentalRateFrequency: 'MONTHLY', startDate: '2025-01-01' }],
    },
    notes: {
      list: 'A card is visible when any of its owners is in the token.',
      create:
        'contractOwnerIds is required for SELL and TEMPLATE cards and supplierAccountId for BUY cards (400). Owners share one currency (422). The category must be visible (404) and belong to an owner (422); each rate’s product must be in the category (422). basedOnTemplateId: SELL cards only, a TEMPLATE card of the same category available to all the card’s owners (422).',
      update:
        'The patch applies to the whole card including `rentalRates`: `add /rentalRates/-` adds a rate, a changed rate (keeping its id) is updated, a removed one deleted — in one write. Needs a token acting for every owner (403).',
      delete: 'Refused (409) while assignments use the card or SELL cards are based on it.',
    },
  });
}
