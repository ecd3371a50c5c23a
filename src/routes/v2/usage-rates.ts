/**
 * Usage rates: what a usage rate card charges for one charge group over a date
 * range, per time band. Rates are added through their card (`add /usageRates/-`);
 * here they are listed (by card), read, changed and deleted. A card has at most
 * one rate per charge group effective on any day (409).
 *
 * Units: charges, values and minimums in pence (≤ 4 places); a MARKUP value is a
 * percentage of the record's buy cost (≤ 4 places); periods are whole units of
 * the usage product (seconds, megabytes, events). Per band (peak, off-peak,
 * weekend): a null value means the rate has no price in that band (records in it
 * are not rated), a null initial charge means none, a null minimum means the
 * card's defaultMinCharge. Surcharge fields left null add no surcharge.
 */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { USAGE_RATE_TYPES } from '../../domain/rating';
import type { AppEnv } from '../../http/middleware';
import { outputSchema, registerResource } from '../../http/resource';
import { addProblems, entityId, money } from '../../http/schemas';
import { type UsageRateFields, type UsageRateItemFields, usageRateService } from '../../services/usage-rates';
import { endDate, itemId, pence, quantity, startDate, wholeUnits } from './pricing-fields';

const rateValue = (example: number, band: string, whenNull = '') =>
  money(example, 4, 0).openapi({
    description: `${band} value: VARIABLE — pence per started variableChargeUnitSize units; MARKUP — a percentage added to the record's buy cost. Up to 4 decimal places.${whenNull ? ` ${whenNull}` : ''}`,
  });

const bandFields = (band: 'peak' | 'offPeak' | 'weekend' | 'surcharge', label: string) => {
  const surcharge = band === 'surcharge';
  return {
    [`${band}InitialCharge`]: pence(10, `${label} charge covering the initial period; null = none.`).nullish(),
    [`${band}InitialPeriod`]: wholeUnits(30, `${label} initial period in units (e.g. 60 seconds) covered by the initial charge; null = 0.`).nullish(),
    [`${band}Value`]: rateValue(1, label, surcharge ? 'null = no surcharge.' : 'null = no price in this band: records in it are not rated.').nullish(),
    [`${band}Minimum`]: pence(1, `${label} minimum charge per record; null = ${surcharge ? 'none' : 'the card’s defaultMinCharge'}.`).nullish(),
  };
};

const usageRateShape = {
  chargeGroupId: entityId('The charge group priced; of one of the card’s owners'),
  usageRateType: z.enum(USAGE_RATE_TYPES).openapi({ description: 'VARIABLE: price per unit; MARKUP: percentage on the buy cost' }),
  ...bandFields('peak', 'Peak'),
  peakValue: rateValue(1.5, 'Peak'),
  ...bandFields('offPeak', 'Off-peak'),
  ...bandFields('weekend', 'Weekend'),
  ...bandFields('surcharge', 'Surcharge'),
  quantityRoundingIncrement: quantity(1, 'Quantities are rounded up to a multiple of this; null = the card’s default.', { positive: true }).nullish(),
  variableChargeUnitSize: wholeUnits(60, 'Units per charged step of the value (60 = per started minute); null = the card’s default.', 1).nullish(),
  startDate: startDate(),
  endDate: endDate(),
};

function dateOrder(v: { startDate?: string; endDate?: string | null }, ctx: z.core.$RefinementCtx) {
  if (v.startDate && v.endDate && v.endDate < v.startDate) addProblems(ctx, [{ path: '/endDate', message: 'must not be before startDate' }]);
}

/** The writable fields of a rate (its own PATCH). */
export const UsageRateInput = z.object(usageRateShape).strict().superRefine(dateOrder) satisfies z.ZodType<UsageRateFields>;
/** A rate inside its card: with its id when it exists. */
export const UsageRateItem = z
  .object({ id: itemId(), ...usageRateShape })
  .strict()
  .superRefine(dateOrder)
  .openapi('UsageRateItem') satisfies z.ZodType<UsageRateItemFields>;

export const UsageRate = outputSchema(UsageRateInput, { usageRateCardId: entityId('read-only: the card') }, 'UsageRate');
export const UsageRateInCard = outputSchema(UsageRateItem, {}, 'UsageRateInCard', { audit: false });

export function registerUsageRates(app: OpenAPIHono<AppEnv>) {
  registerResource(app, {
    path: '/v2/usage-rates',
    tag: 'Usage rates',
    singular: 'usage rate',
    plural: 'usage rates',
    area: 'pricing',
    input: UsageRateInput,
    output: UsageRate,
    operations: ['list', 'get', 'update', 'delete'],
    service: usageRateService,
    createExample: {},
    notes: {
      list: '`usageRateCardId` is required (400 without it). Rates are visible when their card is.',
      update:
        'Rates are added through PATCH on their usage rate card (`add /usageRates/-`). Changing a rate needs a token acting for every owner of its card (403), and the card’s version moves with it. Another rate of the same charge group on the card on a common day: 409.',
      delete: 'Needs a token acting for every owner of the card.',
    },
  });
}
