/**
 * Usage rate cards: the prices of a usage product, by charge group and time band,
 * for one or more contract owners of one currency. The card's rates, time band
 * plans, access charges and bolt-on charges are nested lists written with the card,
 * all in one batch.
 *
 * Tenancy: a card is visible to a token acting for any of its owners; changing or
 * deleting it needs a token acting for all of them.
 */
import { eq } from 'drizzle-orm';
import { inList } from '../db/client';
import { assertDateOrder, assertUnreferenced } from '../db/crud';
import { checkOwnerSet, ownerFilter } from '../db/owner-sets';
import {
  timeBandPlans,
  usageProducts,
  usageRateCardAccessCharges,
  usageRateCardAssignments,
  usageRateCardBoltOnCharges,
  usageRateCards,
  usageRateCardTimeBandPlans,
} from '../db/schema';
import type { RoundingStyle } from '../domain/money';
import type { RateCardType } from '../domain/pricing';
import { type CheckedList, checkNested, nestedParentService } from './nested-resources';
import { assertLeavingOwnersUnassigned, assertNoOverlap, requireUsableRefs } from './pricing-checks';
import { type BoltOnChargeFields, boltOnChargeList, penceIn, penceOut, quantityIn, quantityOut } from './pricing-fields';
import { type UsageRateItemFields, usageRateCardOwnerLink, usageRateList } from './usage-rates';

/** A time band plan of the card over a date range. */
export interface UsageRateCardTimeBandPlanFields {
  id?: number | null;
  timeBandPlanId: number;
  /** read-only: the plan's name (ignored on input) */
  name?: string | null;
  startDate: string;
  endDate?: string | null;
}

/** An access charge per record (pence) over a date range. */
export interface UsageRateCardAccessChargeFields {
  id?: number | null;
  charge: number;
  startDate: string;
  endDate?: string | null;
}

/** The writable fields of a card with its nested lists; money in pence, bolt-on prices in major units. */
export interface UsageRateCardFields {
  contractOwnerIds: number[];
  name: string;
  rateCardType: RateCardType;
  availableFrom: string;
  availableTo?: string | null;
  usageProductId: number;
  supplierId?: number | null;
  decimalPlaces: number;
  priceRoundingStyle: RoundingStyle;
  defaultMinCharge: number;
  roundAccessChargeFirstMinute: boolean;
  boltOn: boolean;
  boltOnTaxBandId?: number | null;
  nominalCode?: string | null;
  applyCrossTimeBandCharging: boolean;
  defaultQuantityRoundingIncrement: number;
  defaultVariableChargeUnitSize: number;
  usageRates: UsageRateItemFields[];
  timeBandPlans: UsageRateCardTimeBandPlanFields[];
  accessCharges: UsageRateCardAccessChargeFields[];
  boltOnCharges: BoltOnChargeFields[];
}

type Row = typeof usageRateCards.$inferSelect;

const timeBandPlanList: CheckedList = {
  field: 'timeBandPlans',
  table: usageRateCardTimeBandPlans,
  parentColumn: usageRateCardTimeBandPlans.usageRateCardId,
  load: (ctx, parentIds) =>
    ctx.db
      .select({
        id: usageRateCardTimeBandPlans.id,
        usageRateCardId: usageRateCardTimeBandPlans.usageRateCardId,
        timeBandPlanId: usageRateCardTimeBandPlans.timeBandPlanId,
        name: timeBandPlans.name,
        startDate: usageRateCardTimeBandPlans.startDate,
        endDate: usageRateCardTimeBandPlans.endDate,
      })
      .from(usageRateCardTimeBandPlans)
      .innerJoin(timeBandPlans, eq(timeBandPlans.id, usageRateCardTimeBandPlans.timeBandPlanId))
      .where(inList(usageRateCardTimeBandPlans.usageRateCardId, parentIds))
      .orderBy(usageRateCardTimeBandPlans.id),
  render: (r) => ({ id: r.id, timeBandPlanId: r.timeBandPlanId, name: r.name, startDate: r.startDate, endDate: r.endDate }),
  values: (i) => ({ timeBandPlanId: i.timeBandPlanId, startDate: i.startDate, endDate: i.endDate ?? null }),
  async check(ctx, scope, items, pathOf) {
    const refs = items.flatMap((item, index) => {
      const path = pathOf(index);
      return path === null ? [] : [{ id: item.timeBandPlanId as number, path: `${path}/timeBandPlanId` }];
    });
    await requireUsableRefs(ctx, timeBandPlans, 'time band plan', refs, scope.owners);
    assertNoOverlap(items, () => 'all', pathOf, () => 'another time band plan applies on some of the same days');
  },
};

const accessChargeList: CheckedList = {
  field: 'accessCharges',
  table: usageRateCardAccessCharges,
  parentColumn: usageRateCardAccessCharges.usageRateCardId,
  render: (r) => ({ id: r.id, charge: penceOut(r.charge), startDate: r.startDate, endDate: r.endDate }),
  values: (i) => ({ charge: penceIn(i.charge), startDate: i.startDate, endDate: i.endDate ?? null }),
  async check(_ctx, _scope, items, pathOf) {
    assertNoOverlap(items, () => 'all', pathOf, () => 'another access charge applies on some of the same days');
  },
};

export const usageRateCardLists: readonly CheckedList[] = [
  usageRateList,
  timeBandPlanList,
  accessChargeList,
  boltOnChargeList(usageRateCardBoltOnCharges, usageRateCardBoltOnCharges.usageRateCardId),
];

export const usageRateCardService = nestedParentService<Row, UsageRateCardFields>({
  singular: 'usage rate card',
  query: {
    filters: {
      id: { type: 'id', column: usageRateCards.id },
      contractOwnerId: { type: 'id', build: ownerFilter(usageRateCardOwnerLink, usageRateCards.id), description: 'Cards one of whose owners matches' },
      name: { type: 'string', column: usageRateCards.name },
      availableFrom: { type: 'date', column: usageRateCards.availableFrom },
      availableTo: { type: 'date', column: usageRateCards.availableTo },
      rateCardType: { type: 'string', column: usageRateCards.rateCardType },
      usageProductId: { type: 'id', column: usageRateCards.usageProductId },
      supplierId: { type: 'id', column: usageRateCards.supplierId },
    },
    sorts: {
      id: usageRateCards.id,
      name: usageRateCards.name,
      rateCardType: usageRateCards.rateCardType,
      availableFrom: usageRateCards.availableFrom,
      availableTo: usageRateCards.availableTo,
    },
  },
  table: usageRateCards,
  ownership: { link: usageRateCardOwnerLink },
  nested: usageRateCardLists,
  async prepare(ctx, input, existing) {
    const owners = [...input.contractOwnerIds].sort((a, b) => a - b);
    const currencyCode = await checkOwnerSet(ctx, owners);
    if (existing) {
      await assertLeavingOwnersUnassigned(ctx, usageRateCardAssignments, usageRateCardAssignments.usageRateCardId, existing.row.id, existing.owners, owners, 'usage rate card');
    }
    assertDateOrder(input.availableFrom, input.availableTo, '/availableFrom', '/availableTo');
    await requireUsableRefs(ctx, usageProducts, 'usage product', [{ id: input.usageProductId, path: '/usageProductId' }], owners);
    // the lists' rules see the input as a plain record (a card's fields by name)
    const document: Record<string, unknown> = { ...input };
    await checkNested(ctx, usageRateCardLists, { owners, fields: document }, document);
    return {
      owners,
      values: {
        name: input.name,
        rateCardType: input.rateCardType,
        availableFrom: input.availableFrom,
        availableTo: input.availableTo ?? null,
        usageProductId: input.usageProductId,
        supplierId: input.supplierId ?? null,
        decimalPlaces: input.decimalPlaces,
        priceRoundingStyle: input.priceRoundingStyle,
        defaultMinCharge: penceIn(input.defaultMinCharge)!,
        roundAccessChargeFirstMinute: input.roundAccessChargeFirstMinute,
        boltOn: input.boltOn,
        boltOnTaxBandId: input.boltOnTaxBandId ?? null,
        nominalCode: input.nominalCode ?? null,
        applyCrossTimeBandCharging: input.applyCrossTimeBandCharging,
        defaultQuantityRoundingIncrement: quantityIn(input.defaultQuantityRoundingIncrement)!,
        defaultVariableChargeUnitSize: input.defaultVariableChargeUnitSize,
        currencyCode,
      },
    };
  },
  renderFields: (r, owners) => ({
    id: r.id,
    contractOwnerIds: owners,
    name: r.name,
    rateCardType: r.rateCardType,
    availableFrom: r.availableFrom,
    availableTo: r.availableTo,
    usageProductId: r.usageProductId,
    supplierId: r.supplierId,
    decimalPlaces: r.decimalPlaces,
    priceRoundingStyle: r.priceRoundingStyle,
    defaultMinCharge: penceOut(r.defaultMinCharge),
    roundAccessChargeFirstMinute: r.roundAccessChargeFirstMinute,
    boltOn: r.boltOn,
    boltOnTaxBandId: r.boltOnTaxBandId,
    nominalCode: r.nominalCode,
    applyCrossTimeBandCharging: r.applyCrossTimeBandCharging,
    defaultQuantityRoundingIncrement: quantityOut(r.defaultQuantityRoundingIncrement),
    defaultVariableChargeUnitSize: r.defaultVariableChargeUnitSize,
    currencyCode: r.currencyCode,
  }),
  async beforeDelete(ctx, row) {
    await assertUnreferenced(ctx, 'usage rate card', row.id, [
      { table: usageRateCardAssignments, column: usageRateCardAssignments.usageRateCardId, label: 'usage rate card assignments' },
    ]);
  },
});
