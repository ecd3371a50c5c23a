/**
 * Inclusive usage plans: bundles of included usage for one usage product, as
 * components, each covering some charge groups (or whole charge group categories)
 * and time bands. Components (with their sub-lists) and bolt-on charges are nested
 * lists written with the plan.
 *
 * A component covers the union of its chargeGroups and chargeGroupCategories (both
 * empty = every charge group) in its timebands (empty = every time band). A
 * QUANTITY component allows `quantity` units; a VALUE component allows
 * `valueInPence` of charges (stored as micros in `value`).
 */
import { assertDateOrder, assertUnreferenced, requireOwner } from '../db/crud';
import type { NestedList } from '../db/nested';
import {
  chargeGroupCategories,
  chargeGroups,
  inclusiveUsageComponentChargeGroupCategories,
  inclusiveUsageComponentChargeGroups,
  inclusiveUsageComponents,
  inclusiveUsageComponentTimebands,
  inclusiveUsagePlanAssignments,
  inclusiveUsagePlanBoltOnCharges,
  inclusiveUsagePlans,
  rentalProducts,
  usageProducts,
} from '../db/schema';
import type { ChargingType, ComponentType, PlanFrequency } from '../domain/allowances/model';
import type { Timeband } from '../domain/timebands';
import { type CheckedList, checkNested, nestedParentService } from './nested-resources';
import { requireUsableRefs } from './pricing-checks';
import { type BoltOnChargeFields, boltOnChargeList, penceIn, penceOut, quantityIn, quantityOut } from './pricing-fields';

/** An allowance; each of its sub-lists names a value at most once. */
export interface InclusiveUsageComponentFields {
  id?: number | null;
  description?: string | null;
  componentType: ComponentType;
  chargingType: ChargingType;
  /** QUANTITY components: units allowed per period */
  quantity?: number | null;
  /** VALUE components: charges allowed per period, in pence */
  valueInPence?: number | null;
  /** empty = every time band */
  timebands: Array<{ id?: number | null; timeband: Timeband }>;
  /** with chargeGroupCategories; both empty = every charge group */
  chargeGroups: Array<{ id?: number | null; chargeGroupId: number }>;
  chargeGroupCategories: Array<{ id?: number | null; chargeGroupCategoryId: number }>;
}

/** The writable fields of a plan with its nested lists. */
export interface InclusiveUsagePlanFields {
  contractOwnerId: number;
  name: string;
  usageProductId: number;
  availableFrom: string;
  availableTo?: string | null;
  boltOn: boolean;
  taxBandId?: number | null;
  nominalCode?: string | null;
  inclusiveUsageComponents: InclusiveUsageComponentFields[];
  boltOnCharges: BoltOnChargeFields[];
  /** following periods in which unused allowance stays usable; null = none */
  rolloverPeriods?: number | null;
  /** a rental product charged on the first qualifying event of each allowance */
  triggerChargeId?: number | null;
  /** required with triggerChargeId */
  supplierAccountId?: number | null;
  frequency: PlanFrequency;
  minQualifyingQuantity?: number | null;
  maxPerEventQuantity?: number | null;
}

type Row = typeof inclusiveUsagePlans.$inferSelect;

const componentSubLists: readonly NestedList[] = [
  {
    field: 'timebands',
    table: inclusiveUsageComponentTimebands,
    parentColumn: inclusiveUsageComponentTimebands.componentId,
    render: (r) => ({ id: r.id, timeband: r.timeband }),
    values: (i) => ({ timeband: i.timeband }),
  },
  {
    field: 'chargeGroups',
    table: inclusiveUsageComponentChargeGroups,
    parentColumn: inclusiveUsageComponentChargeGroups.componentId,
    render: (r) => ({ id: r.id, chargeGroupId: r.chargeGroupId }),
    values: (i) => ({ chargeGroupId: i.chargeGroupId }),
  },
  {
    field: 'chargeGroupCategories',
    table: inclusiveUsageComponentChargeGroupCategories,
    parentColumn: inclusiveUsageComponentChargeGroupCategories.componentId,
    render: (r) => ({ id: r.id, chargeGroupCategoryId: r.chargeGroupCategoryId }),
    values: (i) => ({ chargeGroupCategoryId: i.chargeGroupCategoryId }),
  },
];

const componentList: CheckedList = {
  field: 'inclusiveUsageComponents',
  table: inclusiveUsageComponents,
  parentColumn: inclusiveUsageComponents.inclusiveUsagePlanId,
  children: componentSubLists,
  render: (r) => ({
    id: r.id,
    description: r.description,
    componentType: r.componentType,
    chargingType: r.chargingType,
    quantity: quantityOut(r.quantity),
    valueInPence: penceOut(r.value),
  }),
  values: (i) => ({
    description: i.description ?? null,
    componentType: i.componentType,
    chargingType: i.chargingType,
    quantity: quantityIn(i.quantity),
    value: penceIn(i.valueInPence),
  }),
  async check(ctx, scope, items, pathOf) {
    const groups: Array<{ id: number; path: string }> = [];
    const categories: Array<{ id: number; path: string }> = [];
    items.forEach((item, index) => {
      const path = pathOf(index);
      if (path === null) return;
      ((item.chargeGroups ?? []) as Array<{ chargeGroupId: number }>).forEach((g, k) => groups.push({ id: g.chargeGroupId, path: `${path}/chargeGroups/${k}/chargeGroupId` }));
      ((item.chargeGroupCategories ?? []) as Array<{ chargeGroupCategoryId: number }>).forEach((c, k) =>
        categories.push({ id: c.chargeGroupCategoryId, path: `${path}/chargeGroupCategories/${k}/chargeGroupCategoryId` }),
      );
    });
    await requireUsableRefs(ctx, chargeGroups, 'charge group', groups, scope.owners);
    await requireUsableRefs(ctx, chargeGroupCategories, 'charge group category', categories, scope.owners);
  },
};

const planLists: readonly CheckedList[] = [componentList, boltOnChargeList(inclusiveUsagePlanBoltOnCharges, inclusiveUsagePlanBoltOnCharges.inclusiveUsagePlanId)];

export const inclusiveUsagePlanService = nestedParentService<Row, InclusiveUsagePlanFields>({
  singular: 'inclusive usage plan',
  query: {
    filters: {
      id: { type: 'id', column: inclusiveUsagePlans.id },
      contractOwnerId: { type: 'id', column: inclusiveUsagePlans.contractOwnerId },
      usageProductId: { type: 'id', column: inclusiveUsagePlans.usageProductId },
      taxBandId: { type: 'id', column: inclusiveUsagePlans.taxBandId },
      name: { type: 'string', column: inclusiveUsagePlans.name },
      availableFrom: { type: 'date', column: inclusiveUsagePlans.availableFrom },
      availableTo: { type: 'date', column: inclusiveUsagePlans.availableTo },
    },
    sorts: {
      id: inclusiveUsagePlans.id,
      name: inclusiveUsagePlans.name,
      availableFrom: inclusiveUsagePlans.availableFrom,
      availableTo: inclusiveUsagePlans.availableTo,
    },
  },
  table: inclusiveUsagePlans,
  ownership: { column: inclusiveUsagePlans.contractOwnerId },
  nested: planLists,
  async prepare(ctx, input) {
    await requireOwner(ctx, input.contractOwnerId);
    const owners = [input.contractOwnerId];
    assertDateOrder(input.availableFrom, input.availableTo, '/availableFrom', '/availableTo');
    await requireUsableRefs(ctx, usageProducts, 'usage product', [{ id: input.usageProductId, path: '/usageProductId' }], owners);
    if (input.triggerChargeId != null) {
      await requireUsableRefs(ctx, rentalProducts, 'rental product', [{ id: input.triggerChargeId, path: '/triggerChargeId' }], owners);
    }
    // the lists' rules see the input as a plain record (a plan's fields by name)
    const document: Record<string, unknown> = { ...input };
    await checkNested(ctx, planLists, { owners, fields: document }, document);
    return {
      owners,
      values: {
        contractOwnerId: input.contractOwnerId,
        name: input.name,
        usageProductId: input.usageProductId,
        availableFrom: input.availableFrom,
        availableTo: input.availableTo ?? null,
        boltOn: input.boltOn,
        taxBandId: input.taxBandId ?? null,
        nominalCode: input.nominalCode ?? null,
        rolloverPeriods: input.rolloverPeriods ?? null,
        triggerChargeId: input.triggerChargeId ?? null,
        supplierAccountId: input.supplierAccountId ?? null,
        frequency: input.frequency,
        minQualifyingQuantity: quantityIn(input.minQualifyingQuantity),
        maxPerEventQuantity: quantityIn(input.maxPerEventQuantity),
      },
    };
  },
  renderFields: (r) => ({
    id: r.id,
    contractOwnerId: r.contractOwnerId,
    name: r.name,
    usageProductId: r.usageProductId,
    availableFrom: r.availableFrom,
    availableTo: r.availableTo,
    boltOn: r.boltOn,
    taxBandId: r.taxBandId,
    nominalCode: r.nominalCode,
    rolloverPeriods: r.rolloverPeriods,
    triggerChargeId: r.triggerChargeId,
    supplierAccountId: r.supplierAccountId,
    frequency: r.frequency,
    minQualifyingQuantity: quantityOut(r.minQualifyingQuantity),
    maxPerEventQuantity: quantityOut(r.maxPerEventQuantity),
  }),
  async beforeDelete(ctx, row) {
    await assertUnreferenced(ctx, 'inclusive usage plan', row.id, [
      { table: inclusiveUsagePlanAssignments, column: inclusiveUsagePlanAssignments.inclusiveUsagePlanId, label: 'inclusive usage plan assignments' },
    ]);
  },
});

