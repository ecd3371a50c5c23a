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
import type { OwnerLink } from '../../db/owner-sets';
import { chargeGroups, usageRateCardOwners, usageRateCards, usageRates } from '../../db/schema';
import { microsToMinor, minorToMicros } from '../../domain/money';
import { USAGE_RATE_TYPES } from '../../domain/rating';
import type { AppEnv } from '../../http/middleware';
import { outputSchema, registerResource } from '../../http/resource';
import { entityId, money } from '../../http/schemas';
import { type CheckedList, nestedItemService } from '../../services/nested-resources';
import { assertNoOverlap, requireUsableRefs } from '../../services/pricing-checks';
import { addProblems, endDate, itemId, pence, penceIn, penceOut, quantity, quantityIn, quantityOut, startDate, wholeUnits } from './pricing-fields';

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
export const UsageRateInput = z.object(usageRateShape).strict().superRefine(dateOrder);
/** A rate inside its card: with its id when it exists. */
export const UsageRateItem = z
  .object({ id: itemId(), ...usageRateShape })
  .strict()
  .superRefine(dateOrder)
  .openapi('UsageRateItem');

export const UsageRate = outputSchema(UsageRateInput, { usageRateCardId: entityId('read-only: the card') }, 'UsageRate');
export const UsageRateInCard = outputSchema(UsageRateItem, {}, 'UsageRateInCard', { audit: false });

type Row = typeof usageRates.$inferSelect;

const PENCE_FIELDS = [
  'peakInitialCharge',
  'peakMinimum',
  'offPeakInitialCharge',
  'offPeakMinimum',
  'weekendInitialCharge',
  'weekendMinimum',
  'surchargeInitialCharge',
  'surchargeMinimum',
] as const;
const VALUE_FIELDS = ['peakValue', 'offPeakValue', 'weekendValue', 'surchargeValue'] as const;
const UNIT_FIELDS = ['peakInitialPeriod', 'offPeakInitialPeriod', 'weekendInitialPeriod', 'surchargeInitialPeriod', 'variableChargeUnitSize'] as const;

function renderRate(r: Row): Record<string, unknown> {
  const out: Record<string, unknown> = { id: r.id, chargeGroupId: r.chargeGroupId, usageRateType: r.usageRateType };
  for (const band of ['peak', 'offPeak', 'weekend', 'surcharge'] as const) {
    out[`${band}InitialCharge`] = penceOut(r[`${band}InitialCharge`]);
    out[`${band}InitialPeriod`] = r[`${band}InitialPeriod`];
    out[`${band}Value`] = r[`${band}Value`] == null ? null : microsToMinor(r[`${band}Value`]!);
    out[`${band}Minimum`] = penceOut(r[`${band}Minimum`]);
  }
  out.quantityRoundingIncrement = quantityOut(r.quantityRoundingIncrement);
  out.variableChargeUnitSize = r.variableChargeUnitSize;
  out.startDate = r.startDate;
  out.endDate = r.endDate;
  return out;
}

function rateValues(i: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { chargeGroupId: i.chargeGroupId, usageRateType: i.usageRateType };
  for (const f of PENCE_FIELDS) out[f] = penceIn(i[f] as number | null | undefined);
  // pence → micros, and a MARKUP percentage the same way (percent × 10^4), as rating.ts reads them
  for (const f of VALUE_FIELDS) out[f] = i[f] == null ? null : minorToMicros(i[f] as number);
  for (const f of UNIT_FIELDS) out[f] = i[f] ?? null;
  out.peakInitialPeriod ??= 0;
  out.quantityRoundingIncrement = quantityIn(i.quantityRoundingIncrement as number | null | undefined);
  out.startDate = i.startDate;
  out.endDate = i.endDate ?? null;
  return out;
}

/** A card's rates: charge groups of the card's owners, one rate per charge group on any day. */
export const usageRateList: CheckedList = {
  field: 'usageRates',
  table: usageRates,
  parentColumn: usageRates.usageRateCardId,
  audited: true,
  render: (r) => renderRate(r as Row),
  values: rateValues,
  async check(ctx, scope, items, pathOf) {
    const refs = items.flatMap((item, index) => {
      const path = pathOf(index);
      return path === null ? [] : [{ id: item.chargeGroupId as number, path: `${path}/chargeGroupId` }];
    });
    await requireUsableRefs(ctx, chargeGroups, 'charge group', refs, scope.owners);
    assertNoOverlap(
      items,
      (i) => String(i.chargeGroupId),
      pathOf,
      (i) => `charge group ${String(i.chargeGroupId)} already has a rate on this card on some of these days`,
      'usage rate',
    );
  },
};

/** The owners of a usage rate card (defined here, beside the rates, so the card's module can import it). */
export const usageRateCardOwnerLink: OwnerLink = {
  table: usageRateCardOwners,
  objectId: usageRateCardOwners.usageRateCardId,
  ownerId: usageRateCardOwners.contractOwnerId,
};

const service = nestedItemService<Row, z.infer<typeof UsageRateInput>>({
  singular: 'usage rate',
  list: usageRateList,
  parent: { singular: 'usage rate card', table: usageRateCards, ownership: { link: usageRateCardOwnerLink } },
  renderFields: (r) => {
    const { id, ...rest } = renderRate(r);
    return { id, usageRateCardId: r.usageRateCardId, ...rest };
  },
});

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
    filters: {
      id: { type: 'id', column: usageRates.id },
      usageRateCardId: { type: 'id', column: usageRates.usageRateCardId, required: true, description: 'The card whose rates to list' },
      chargeGroupId: { type: 'id', column: usageRates.chargeGroupId },
      usageRateType: { type: 'string', column: usageRates.usageRateType },
      availableFrom: { type: 'date', column: usageRates.startDate, description: 'The rate’s startDate (Elevate’s name)' },
      availableTo: { type: 'date', column: usageRates.endDate, description: 'The rate’s endDate (Elevate’s name)' },
      startDate: { type: 'date', column: usageRates.startDate },
      endDate: { type: 'date', column: usageRates.endDate },
    },
    sorts: {
      id: usageRates.id,
      chargeGroupId: usageRates.chargeGroupId,
      usageRateType: usageRates.usageRateType,
      startDate: usageRates.startDate,
      endDate: usageRates.endDate,
    },
    service,
    createExample: {},
    notes: {
      list: '`usageRateCardId` is required (400 without it). Rates are visible when their card is.',
      update:
        'Rates are added through PATCH on their usage rate card (`add /usageRates/-`). Changing a rate needs a token acting for every owner of its card (403), and the card’s version moves with it. Another rate of the same charge group on the card on a common day: 409.',
      delete: 'Needs a token acting for every owner of the card.',
    },
  });
}
