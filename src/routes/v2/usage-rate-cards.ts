/**
 * Usage rate cards: the prices of a usage product, by charge group and time band,
 * for one or more contract owners of one currency. The card's rates, time band
 * plans, access charges and bolt-on charges are nested in its JSON: given on
 * create and changed by PATCH of the whole card (an item without an id is added,
 * one with its id changed, one left out removed), all in one write.
 *
 * Tenancy: a card is visible to a token acting for any of its owners; changing or
 * deleting it needs a token acting for all of them.
 */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { RATE_CARD_TYPES } from '../../domain/pricing';
import { ROUNDING_STYLES } from '../../domain/money';
import { MAX_DECIMAL_PLACES } from '../../domain/rating';
import type { AppEnv } from '../../http/middleware';
import { outputSchema, registerResource } from '../../http/resource';
import { entityId, isoDate, name } from '../../http/schemas';
import { type UsageRateCardFields, usageRateCardService } from '../../services/usage-rate-cards';
import {
  BoltOnChargeItem,
  BoltOnChargeOutput,
  endDate,
  externalId,
  itemId,
  nestedArray,
  nominalCode,
  pence,
  quantity,
  startDate,
  wholeUnits,
} from './pricing-fields';
import { UsageRateInCard, UsageRateItem } from './usage-rates';

/** One or more owners, none repeated. */
export const ownerIds = (description: string) =>
  z
    .array(entityId())
    .min(1)
    .max(50)
    .refine((ids) => new Set(ids).size === ids.length, { message: 'must not repeat an owner' })
    .openapi({ example: [1], description });

const TimeBandPlanEntry = z
  .object({
    id: itemId(),
    timeBandPlanId: entityId('A time band plan of one of the card’s owners'),
    // echoed back on PATCH, so it takes what a plan name may be (not any text)
    name: name(100, 'Standard business week').nullish().openapi({ description: 'read-only: the plan’s name (ignored on input)' }),
    startDate: startDate(),
    endDate: endDate(),
  })
  .strict()
  .openapi('UsageRateCardTimeBandPlan');

const AccessChargeItem = z
  .object({
    id: itemId(),
    charge: pence(2, 'Access charge per record.'),
    startDate: startDate(),
    endDate: endDate(),
  })
  .strict()
  .openapi('UsageRateCardAccessCharge');

export const UsageRateCardInput = z
  .object({
    contractOwnerIds: ownerIds('The contract owners that may use the card: one or more, all of one currency'),
    name: name(50, 'UK business calls'),
    rateCardType: z.enum(RATE_CARD_TYPES).default('SELL').openapi({ description: 'SELL prices usage to customers (only SELL cards are assigned); BUY prices it from the supplier; TEMPLATE is a card others copy' }),
    availableFrom: isoDate('2025-01-01'),
    availableTo: isoDate('2030-12-31').nullish(),
    usageProductId: entityId('The usage product priced, of one of the card’s owners; fixed after creation'),
    supplierId: externalId('The supplier').nullish(),
    decimalPlaces: z.number().int().min(0).max(MAX_DECIMAL_PLACES).openapi({ example: 4, description: 'Places of a penny every computed charge is rounded to (4 → 1.0045p)' }),
    priceRoundingStyle: z.enum(ROUNDING_STYLES).default('MATHEMATICAL').openapi({ description: 'How charges are rounded to decimalPlaces (MATHEMATICAL = half away from zero)' }),
    defaultMinCharge: pence(0, 'Minimum charge per record unless a rate has its own.'),
    roundAccessChargeFirstMinute: z.boolean().default(false),
    boltOn: z.boolean().default(false).openapi({ description: 'A bolt-on card: bought for a recurring charge (boltOnCharges) for its rates' }),
    boltOnTaxBandId: externalId('Tax band of the bolt-on charge').nullish(),
    nominalCode: nominalCode().nullish(),
    applyCrossTimeBandCharging: z.boolean().default(false).openapi({ description: 'Price a record that spans time bands per band' }),
    defaultQuantityRoundingIncrement: quantity(1, 'Default increment quantities are rounded up to.', { positive: true }).default(1),
    defaultVariableChargeUnitSize: wholeUnits(1, 'Default units per charged step of a VARIABLE value.', 1).default(1),
    usageRates: nestedArray(UsageRateItem, 1000, 'Rates by charge group (at most one per charge group on any day)'),
    timeBandPlans: nestedArray(TimeBandPlanEntry, 100, 'Time band plans by date (at most one on any day; none = the default week)'),
    accessCharges: nestedArray(AccessChargeItem, 100, 'Access charges by date (at most one on any day)'),
    boltOnCharges: nestedArray(BoltOnChargeItem, 100, 'Recurring charges of a bolt-on card (at most one on any day)'),
  })
  .strict() satisfies z.ZodType<UsageRateCardFields>;

export const UsageRateCard = outputSchema(
  UsageRateCardInput,
  {
    currencyCode: z.string().openapi({ example: 'GBP', description: 'read-only: the currency of the card’s owners' }),
    usageRates: z.array(UsageRateInCard),
    timeBandPlans: z.array(outputSchema(TimeBandPlanEntry, {}, 'UsageRateCardTimeBandPlanOut', { audit: false })),
    accessCharges: z.array(outputSchema(AccessChargeItem, {}, 'UsageRateCardAccessChargeOut', { audit: false })),
    boltOnCharges: z.array(BoltOnChargeOutput),
  },
  'UsageRateCard',
);

const EXAMPLE = {
  contractOwnerIds: [1],
  name: 'UK business calls',
  rateCardType: 'SELL',
  availableFrom: '2025-01-01',
  usageProductId: 1,
  decimalPlaces: 4,
  priceRoundingStyle: 'MATHEMATICAL',
  defaultMinCharge: 1,
  usageRates: [{ chargeGroupId: 1, usageRateType: 'VARIABLE', peakValue: 1.5, offPeakValue: 0.8, weekendValue: 0.5, variableChargeUnitSize: 60, startDate: '2025-01-01' }],
  timeBandPlans: [{ timeBandPlanId: 1, startDate: '2025-01-01' }],
  accessCharges: [{ charge: 2, startDate: '2025-01-01' }],
};

export function registerUsageRateCards(app: OpenAPIHono<AppEnv>) {
  registerResource(app, {
    path: '/v2/usage-rate-cards',
    tag: 'Usage rate cards',
    singular: 'usage rate card',
    plural: 'usage rate cards',
    area: 'pricing',
    input: UsageRateCardInput,
    output: UsageRateCard,
    immutable: ['rateCardType', 'usageProductId'],
    summary: ['usageRates', 'timeBandPlans', 'accessCharges', 'boltOnCharges'],
    service: usageRateCardService,
    createExample: EXAMPLE,
    notes: {
      list: 'A card is visible when any of its owners is in the token.',
      create:
        'All owners must share one currency (422) and the token must act for each (403). The usage product, charge groups and time band plans must be visible (404 naming the field) and belong to one of the owners (422). At most one rate per charge group, one time band plan, one access charge and one bolt-on charge effective on any day (409). Pence fields take up to 4 decimal places, bolt-on prices (major units) up to 6.',
      update:
        'The patch applies to the whole card including its nested arrays: `add /usageRates/-` with a rate (no id) adds it; a changed item (keeping its id) is updated; a removed item is deleted — all in one write. Needs a token acting for every owner (403). An owner whose assignments use the card cannot be removed (409).',
      delete: 'Needs a token acting for every owner; refused (409) while assignments use the card. Its rates and other items go with it.',
    },
  });
}
