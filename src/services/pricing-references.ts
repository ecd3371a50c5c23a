/**
 * What pricing objects and rated usage reference in the reference data, so deleting a contract
 * owner, customer, site, inventory, product, category or charge group that prices or assignments
 * still use is a 409 naming them (the reference data's own deletes spread these in).
 */
import type { Reference } from '../db/crud';
import {
  inclusiveUsageComponentChargeGroupCategories,
  inclusiveUsageComponentChargeGroups,
  inclusiveUsagePlanAssignments,
  inclusiveUsagePlans,
  priceAdaptations,
  rentalDiscountPlanAssignments,
  rentalDiscountPlanRules,
  rentalDiscountPlans,
  rentalRateCardAssignments,
  rentalRateCardOwners,
  rentalRateCards,
  rentalRates,
  timeBandPlans,
  usageRateCardAssignments,
  usageRateCardOwners,
  usageRateCards,
  usageRates,
  usageRecords,
} from '../db/schema';

const assignmentTables = [
  [usageRateCardAssignments, 'usage rate card assignments'],
  [rentalRateCardAssignments, 'rental rate card assignments'],
  [inclusiveUsagePlanAssignments, 'inclusive usage plan assignments'],
  [rentalDiscountPlanAssignments, 'rental discount plan assignments'],
] as const;

export const PRICING_REFERENCES = {
  /** pricing objects of an owner that nothing else of the owner blocks (plans need its usage products, assignments its customers) */
  contractOwner: [
    { table: timeBandPlans, column: timeBandPlans.contractOwnerId, label: 'time band plans' },
    { table: usageRateCardOwners, column: usageRateCardOwners.contractOwnerId, label: 'usage rate cards' },
    { table: rentalRateCardOwners, column: rentalRateCardOwners.contractOwnerId, label: 'rental rate cards' },
    { table: rentalDiscountPlans, column: rentalDiscountPlans.contractOwnerId, label: 'rental discount plans' },
    { table: priceAdaptations, column: priceAdaptations.contractOwnerId, label: 'price adaptations' },
  ] satisfies Reference[],
  customer: [
    ...assignmentTables.map(([table, label]): Reference => ({ table, column: table.customerId, label })),
    { table: usageRecords, column: usageRecords.customerId, label: 'usage records' },
  ],
  site: [
    ...assignmentTables.map(([table, label]): Reference => ({ table, column: table.siteId, label })),
    { table: usageRecords, column: usageRecords.siteId, label: 'usage records' },
  ],
  usageProductInventory: [
    { table: usageRecords, column: usageRecords.usageProductInventoryId, label: 'usage records' },
    { table: usageRateCardAssignments, column: usageRateCardAssignments.usageProductInventoryId, label: 'usage rate card assignments' },
    { table: inclusiveUsagePlanAssignments, column: inclusiveUsagePlanAssignments.usageProductInventoryId, label: 'inclusive usage plan assignments' },
  ] satisfies Reference[],
  rentalProductInventory: [
    { table: rentalRateCardAssignments, column: rentalRateCardAssignments.rentalProductInventoryId, label: 'rental rate card assignments' },
    { table: rentalDiscountPlanAssignments, column: rentalDiscountPlanAssignments.rentalProductInventoryId, label: 'rental discount plan assignments' },
  ] satisfies Reference[],
  usageProduct: [
    { table: usageRateCards, column: usageRateCards.usageProductId, label: 'usage rate cards' },
    { table: inclusiveUsagePlans, column: inclusiveUsagePlans.usageProductId, label: 'inclusive usage plans' },
  ] satisfies Reference[],
  rentalProduct: [
    { table: rentalRates, column: rentalRates.rentalProductId, label: 'rental rates' },
    { table: rentalDiscountPlanRules, column: rentalDiscountPlanRules.rentalProductId, label: 'rental discount plan rules' },
    { table: inclusiveUsagePlans, column: inclusiveUsagePlans.triggerChargeId, label: 'inclusive usage plans (trigger charge)' },
  ] satisfies Reference[],
  rentalProductCategory: [
    { table: rentalRateCards, column: rentalRateCards.rentalProductCategoryId, label: 'rental rate cards' },
    { table: rentalDiscountPlanRules, column: rentalDiscountPlanRules.productCategoryId, label: 'rental discount plan rules' },
  ] satisfies Reference[],
  chargeGroup: [
    { table: usageRecords, column: usageRecords.chargeGroupId, label: 'usage records' },
    { table: usageRates, column: usageRates.chargeGroupId, label: 'usage rates' },
    { table: inclusiveUsageComponentChargeGroups, column: inclusiveUsageComponentChargeGroups.chargeGroupId, label: 'inclusive usage components' },
  ] satisfies Reference[],
  chargeGroupCategory: [
    { table: inclusiveUsageComponentChargeGroupCategories, column: inclusiveUsageComponentChargeGroupCategories.chargeGroupCategoryId, label: 'inclusive usage components' },
  ] satisfies Reference[],
};
