/**
 * Usage rates: what a usage rate card charges for one charge group over a date
 * range, per time band. Rates are added through their card; as their own resource
 * they are listed (by card), read, changed and deleted. A card has at most one rate
 * per charge group effective on any day (409).
 *
 * Stored units: charges, values and minimums in micros (pence on the wire); a MARKUP
 * value is a percentage stored the same way (percent × 10^4), as rating.ts reads it.
 */
import type { OwnerLink } from '../db/owner-sets';
import { chargeGroups, usageRateCardOwners, usageRateCards, usageRates } from '../db/schema';
import { microsToMinor, minorToMicros } from '../domain/money';
import type { UsageRateType } from '../domain/rating';
import { type CheckedList, nestedItemService } from './nested-resources';
import { assertNoOverlap, requireUsableRefs } from './pricing-checks';
import { penceIn, penceOut, quantityIn, quantityOut } from './pricing-fields';

type Band = 'peak' | 'offPeak' | 'weekend' | 'surcharge';

/**
 * Per band: a charge covering the initial period (null = none), that period in units
 * (null = 0), the value (null = no price in the band; no surcharge) and the minimum
 * per record (null = the card's defaultMinCharge; no surcharge minimum).
 */
type BandFields = { [K in `${Band}InitialCharge` | `${Band}InitialPeriod` | `${Band}Value` | `${Band}Minimum`]?: number | null };

/** The writable fields of a rate; money in pence. */
export interface UsageRateFields extends BandFields {
  chargeGroupId: number;
  usageRateType: UsageRateType;
  peakValue: number;
  /** null = the card's defaultQuantityRoundingIncrement */
  quantityRoundingIncrement?: number | null;
  /** null = the card's defaultVariableChargeUnitSize */
  variableChargeUnitSize?: number | null;
  startDate: string;
  endDate?: string | null;
}

/** A rate inside its card: with its id when it exists. */
export interface UsageRateItemFields extends UsageRateFields {
  id?: number | null;
}

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

export const usageRateService = nestedItemService<Row, UsageRateFields>({
  singular: 'usage rate',
  query: {
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
  },
  list: usageRateList,
  parent: { singular: 'usage rate card', table: usageRateCards, ownership: { link: usageRateCardOwnerLink } },
  renderFields: (r) => {
    const { id, ...rest } = renderRate(r);
    return { id, usageRateCardId: r.usageRateCardId, ...rest };
  },
});
