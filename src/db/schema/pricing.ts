/**
 * Pricing (v2-pricing.md): time band plans, usage and rental rate cards with their
 * rates, inclusive usage plans, rental discount plans, and the assignments that
 * bring them to customers, sites and inventories.
 *
 * Units: money columns are integer micros of the owner's currency; quantities
 * (`*_quantity*`, rounding increments) are integer millionths of a unit; discount
 * percentages are hundredths of a percent; usage rate `*_value` columns are the
 * wire value × 10^4 (micros for VARIABLE, parts per million for MARKUP).
 *
 * The indexes serve the lookups of rating and rental charges
 * (services/pricing-lookups.ts, services/rental-charges.ts): assignments by customer and start date (one
 * indexed query finds every level for an inventory), rates by (card, charge group
 * or product, start date), components and their scopes by plan and component.
 */
import { sql } from 'drizzle-orm';
import { type AnySQLiteColumn, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { CHARGING_TYPES, COMPONENT_TYPES, PLAN_FREQUENCIES } from '../../domain/allowances/model';
import { ASSIGNMENT_LEVELS } from '../../domain/assignments';
import { ROUNDING_STYLES } from '../../domain/money';
import { RATE_CARD_TYPES } from '../../domain/pricing';
import { USAGE_RATE_TYPES } from '../../domain/rating';
import { PERIODS_IN_ADVANCE, RENTAL_RATE_FREQUENCIES, RENTAL_RATE_PRICE_TYPES, RENTAL_RATE_TYPES } from '../../domain/rental-charges/model';
import { TIMEBANDS, type TimeBand } from '../../domain/timebands';
import { audit, id } from './common';
import {
  chargeGroupCategories,
  chargeGroups,
  contractOwners,
  customers,
  rentalProductCategories,
  rentalProductInventories,
  rentalProducts,
  sites,
  usageProductInventories,
  usageProducts,
} from './reference';

const owner = () =>
  integer('contract_owner_id')
    .notNull()
    .references(() => contractOwners.id);

export const timeBandPlans = sqliteTable(
  'time_band_plans',
  {
    id: id(),
    contractOwnerId: owner(),
    name: text('name').notNull(),
    /** the whole week, read at once by rating */
    bands: text('bands', { mode: 'json' }).$type<TimeBand[]>().notNull(),
    ...audit(),
  },
  (t) => [index('time_band_plans_owner_name').on(t.contractOwnerId, t.name)],
);

// ─── usage rate cards ────────────────────────────────────────────────────────

export const usageRateCards = sqliteTable(
  'usage_rate_cards',
  {
    id: id(),
    name: text('name').notNull(),
    rateCardType: text('rate_card_type', { enum: RATE_CARD_TYPES }).notNull(),
    availableFrom: text('available_from').notNull(),
    availableTo: text('available_to'),
    usageProductId: integer('usage_product_id')
      .notNull()
      .references(() => usageProducts.id),
    supplierId: integer('supplier_id'),
    /** places of a pence amount every computed charge is rounded to (0..4) */
    decimalPlaces: integer('decimal_places').notNull(),
    priceRoundingStyle: text('price_rounding_style', { enum: ROUNDING_STYLES }).notNull(),
    /** micros */
    defaultMinCharge: integer('default_min_charge').notNull(),
    roundAccessChargeFirstMinute: integer('round_access_charge_first_minute', { mode: 'boolean' }).notNull(),
    boltOn: integer('bolt_on', { mode: 'boolean' }).notNull(),
    boltOnTaxBandId: integer('bolt_on_tax_band_id'),
    nominalCode: text('nominal_code'),
    applyCrossTimeBandCharging: integer('apply_cross_time_band_charging', { mode: 'boolean' }).notNull(),
    /** millionths of a unit */
    defaultQuantityRoundingIncrement: integer('default_quantity_rounding_increment').notNull(),
    /** whole units */
    defaultVariableChargeUnitSize: integer('default_variable_charge_unit_size').notNull(),
    /** the one currency of all the card's owners */
    currencyCode: text('currency_code').notNull(),
    ...audit(),
  },
  (t) => [
    index('usage_rate_cards_product').on(t.usageProductId),
    index('usage_rate_cards_name').on(t.name),
    index('usage_rate_cards_type').on(t.rateCardType),
  ],
);

/** The owners that may use a card (one or more, one currency); a card is visible to any of them. */
export const usageRateCardOwners = sqliteTable(
  'usage_rate_card_owners',
  {
    usageRateCardId: integer('usage_rate_card_id')
      .notNull()
      .references(() => usageRateCards.id, { onDelete: 'cascade' }),
    contractOwnerId: owner(),
  },
  (t) => [primaryKey({ columns: [t.usageRateCardId, t.contractOwnerId] }), index('usage_rate_card_owners_owner').on(t.contractOwnerId, t.usageRateCardId)],
);

export const usageRates = sqliteTable(
  'usage_rates',
  {
    id: id(),
    usageRateCardId: integer('usage_rate_card_id')
      .notNull()
      .references(() => usageRateCards.id, { onDelete: 'cascade' }),
    chargeGroupId: integer('charge_group_id')
      .notNull()
      .references(() => chargeGroups.id),
    usageRateType: text('usage_rate_type', { enum: USAGE_RATE_TYPES }).notNull(),
    /** micros; null = no initial charge */
    peakInitialCharge: integer('peak_initial_charge'),
    /** whole units of the usage product */
    peakInitialPeriod: integer('peak_initial_period').notNull(),
    /** × 10^4: micros per unit size (VARIABLE) or parts per million of cost (MARKUP) */
    peakValue: integer('peak_value').notNull(),
    /** micros; null = the card's defaultMinCharge */
    peakMinimum: integer('peak_minimum'),
    /** off-peak and weekend as peak; a null value = no price in that band (rating leaves such records UNRATED) */
    offPeakInitialCharge: integer('off_peak_initial_charge'),
    offPeakInitialPeriod: integer('off_peak_initial_period'),
    offPeakValue: integer('off_peak_value'),
    offPeakMinimum: integer('off_peak_minimum'),
    weekendInitialCharge: integer('weekend_initial_charge'),
    weekendInitialPeriod: integer('weekend_initial_period'),
    weekendValue: integer('weekend_value'),
    weekendMinimum: integer('weekend_minimum'),
    /** surcharge: null = none */
    surchargeInitialCharge: integer('surcharge_initial_charge'),
    surchargeInitialPeriod: integer('surcharge_initial_period'),
    surchargeValue: integer('surcharge_value'),
    surchargeMinimum: integer('surcharge_minimum'),
    /** millionths of a unit; null = the card's default */
    quantityRoundingIncrement: integer('quantity_rounding_increment'),
    /** whole units; null = the card's default */
    variableChargeUnitSize: integer('variable_charge_unit_size'),
    startDate: text('start_date').notNull(),
    endDate: text('end_date'),
    ...audit(),
  },
  (t) => [
    /** "the rate of a card for a charge group effective at a date" */
    index('usage_rates_card_group_start').on(t.usageRateCardId, t.chargeGroupId, t.startDate),
    index('usage_rates_charge_group').on(t.chargeGroupId),
  ],
);

export const usageRateCardTimeBandPlans = sqliteTable(
  'usage_rate_card_time_band_plans',
  {
    id: id(),
    usageRateCardId: integer('usage_rate_card_id')
      .notNull()
      .references(() => usageRateCards.id, { onDelete: 'cascade' }),
    timeBandPlanId: integer('time_band_plan_id')
      .notNull()
      .references(() => timeBandPlans.id),
    startDate: text('start_date').notNull(),
    endDate: text('end_date'),
  },
  (t) => [index('urc_time_band_plans_card').on(t.usageRateCardId, t.startDate), index('urc_time_band_plans_plan').on(t.timeBandPlanId)],
);

export const usageRateCardAccessCharges = sqliteTable(
  'usage_rate_card_access_charges',
  {
    id: id(),
    usageRateCardId: integer('usage_rate_card_id')
      .notNull()
      .references(() => usageRateCards.id, { onDelete: 'cascade' }),
    /** micros */
    charge: integer('charge').notNull(),
    startDate: text('start_date').notNull(),
    endDate: text('end_date'),
  },
  (t) => [index('urc_access_charges_card').on(t.usageRateCardId, t.startDate)],
);

/** Recurring charges of a bolt-on (usage rate cards and inclusive usage plans have the same shape). */
const boltOnChargeColumns = () => ({
  id: id(),
  /** micros */
  price: integer('price').notNull(),
  rentalRateType: text('rental_rate_type', { enum: RENTAL_RATE_TYPES }).notNull(),
  periodsInAdvance: text('periods_in_advance', { enum: PERIODS_IN_ADVANCE }),
  rentalRateFrequency: text('rental_rate_frequency', { enum: RENTAL_RATE_FREQUENCIES }).notNull(),
  showOnInvoice: integer('show_on_invoice', { mode: 'boolean' }).notNull(),
  startDate: text('start_date').notNull(),
  endDate: text('end_date'),
});

export const usageRateCardBoltOnCharges = sqliteTable(
  'usage_rate_card_bolt_on_charges',
  {
    ...boltOnChargeColumns(),
    usageRateCardId: integer('usage_rate_card_id')
      .notNull()
      .references(() => usageRateCards.id, { onDelete: 'cascade' }),
  },
  (t) => [index('urc_bolt_on_charges_card').on(t.usageRateCardId, t.startDate)],
);

// ─── rental rate cards ───────────────────────────────────────────────────────

export const rentalRateCards = sqliteTable(
  'rental_rate_cards',
  {
    id: id(),
    name: text('name').notNull(),
    rentalRateCardType: text('rental_rate_card_type', { enum: RATE_CARD_TYPES }).notNull(),
    /** SELL cards: the TEMPLATE card whose rates apply to products this card has no rate for */
    basedOnTemplateId: integer('based_on_template_id').references((): AnySQLiteColumn => rentalRateCards.id),
    rentalProductCategoryId: integer('rental_product_category_id')
      .notNull()
      .references(() => rentalProductCategories.id),
    availableFrom: text('available_from').notNull(),
    availableTo: text('available_to'),
    acceptOverridesFromParents: integer('accept_overrides_from_parents', { mode: 'boolean' }).notNull(),
    supplierAccountId: integer('supplier_account_id'),
    currencyCode: text('currency_code').notNull(),
    ...audit(),
  },
  (t) => [
    index('rental_rate_cards_category').on(t.rentalProductCategoryId),
    index('rental_rate_cards_template').on(t.basedOnTemplateId),
    index('rental_rate_cards_name').on(t.name),
  ],
);

export const rentalRateCardOwners = sqliteTable(
  'rental_rate_card_owners',
  {
    rentalRateCardId: integer('rental_rate_card_id')
      .notNull()
      .references(() => rentalRateCards.id, { onDelete: 'cascade' }),
    contractOwnerId: owner(),
  },
  (t) => [primaryKey({ columns: [t.rentalRateCardId, t.contractOwnerId] }), index('rental_rate_card_owners_owner').on(t.contractOwnerId, t.rentalRateCardId)],
);

export const rentalRates = sqliteTable(
  'rental_rates',
  {
    id: id(),
    rentalRateCardId: integer('rental_rate_card_id')
      .notNull()
      .references(() => rentalRateCards.id, { onDelete: 'cascade' }),
    rentalProductId: integer('rental_product_id')
      .notNull()
      .references(() => rentalProducts.id),
    /** micros */
    price: integer('price').notNull(),
    rentalRatePriceType: text('rental_rate_price_type', { enum: RENTAL_RATE_PRICE_TYPES }).notNull(),
    rentalRateType: text('rental_rate_type', { enum: RENTAL_RATE_TYPES }),
    periodsInAdvance: text('periods_in_advance', { enum: PERIODS_IN_ADVANCE }),
    rentalRateFrequency: text('rental_rate_frequency', { enum: RENTAL_RATE_FREQUENCIES }),
    showOnInvoice: integer('show_on_invoice', { mode: 'boolean' }).notNull(),
    startDate: text('start_date').notNull(),
    endDate: text('end_date'),
    ...audit(),
  },
  (t) => [
    /** "the rental rates of a card for a product at a date" */
    index('rental_rates_card_product_start').on(t.rentalRateCardId, t.rentalProductId, t.startDate),
    index('rental_rates_product').on(t.rentalProductId),
  ],
);

// ─── inclusive usage plans ───────────────────────────────────────────────────

export const inclusiveUsagePlans = sqliteTable(
  'inclusive_usage_plans',
  {
    id: id(),
    contractOwnerId: owner(),
    name: text('name').notNull(),
    usageProductId: integer('usage_product_id')
      .notNull()
      .references(() => usageProducts.id),
    availableFrom: text('available_from').notNull(),
    availableTo: text('available_to'),
    boltOn: integer('bolt_on', { mode: 'boolean' }).notNull(),
    taxBandId: integer('tax_band_id'),
    nominalCode: text('nominal_code'),
    /** following periods in which unused allowance stays usable */
    rolloverPeriods: integer('rollover_periods'),
    /** a rental product charged on the first qualifying event of each allowance */
    triggerChargeId: integer('trigger_charge_id').references(() => rentalProducts.id),
    supplierAccountId: integer('supplier_account_id'),
    frequency: text('frequency', { enum: PLAN_FREQUENCIES }).notNull(),
    /** millionths of a unit */
    minQualifyingQuantity: integer('min_qualifying_quantity'),
    /** millionths of a unit */
    maxPerEventQuantity: integer('max_per_event_quantity'),
    ...audit(),
  },
  (t) => [index('inclusive_usage_plans_owner_name').on(t.contractOwnerId, t.name), index('inclusive_usage_plans_product').on(t.usageProductId)],
);

export const inclusiveUsageComponents = sqliteTable(
  'inclusive_usage_components',
  {
    id: id(),
    inclusiveUsagePlanId: integer('inclusive_usage_plan_id')
      .notNull()
      .references(() => inclusiveUsagePlans.id, { onDelete: 'cascade' }),
    description: text('description'),
    componentType: text('component_type', { enum: COMPONENT_TYPES }).notNull(),
    chargingType: text('charging_type', { enum: CHARGING_TYPES }).notNull(),
    /** QUANTITY: millionths of a unit (seconds, megabytes, events) */
    quantity: integer('quantity'),
    /** VALUE: micros */
    value: integer('value'),
  },
  (t) => [index('inclusive_usage_components_plan').on(t.inclusiveUsagePlanId)],
);

/** Time bands a component covers; none = every time band. */
export const inclusiveUsageComponentTimebands = sqliteTable(
  'inclusive_usage_component_timebands',
  {
    id: id(),
    componentId: integer('component_id')
      .notNull()
      .references(() => inclusiveUsageComponents.id, { onDelete: 'cascade' }),
    timeband: text('timeband', { enum: TIMEBANDS }).notNull(),
  },
  (t) => [uniqueIndex('iuc_timebands_component').on(t.componentId, t.timeband)],
);

/** Charge groups a component covers (with its categories; neither = every charge group). */
export const inclusiveUsageComponentChargeGroups = sqliteTable(
  'inclusive_usage_component_charge_groups',
  {
    id: id(),
    componentId: integer('component_id')
      .notNull()
      .references(() => inclusiveUsageComponents.id, { onDelete: 'cascade' }),
    chargeGroupId: integer('charge_group_id')
      .notNull()
      .references(() => chargeGroups.id),
  },
  (t) => [uniqueIndex('iuc_charge_groups_component').on(t.componentId, t.chargeGroupId), index('iuc_charge_groups_group').on(t.chargeGroupId)],
);

export const inclusiveUsageComponentChargeGroupCategories = sqliteTable(
  'inclusive_usage_component_charge_group_categories',
  {
    id: id(),
    componentId: integer('component_id')
      .notNull()
      .references(() => inclusiveUsageComponents.id, { onDelete: 'cascade' }),
    chargeGroupCategoryId: integer('charge_group_category_id')
      .notNull()
      .references(() => chargeGroupCategories.id),
  },
  (t) => [
    uniqueIndex('iuc_categories_component').on(t.componentId, t.chargeGroupCategoryId),
    index('iuc_categories_category').on(t.chargeGroupCategoryId),
  ],
);

export const inclusiveUsagePlanBoltOnCharges = sqliteTable(
  'inclusive_usage_plan_bolt_on_charges',
  {
    ...boltOnChargeColumns(),
    inclusiveUsagePlanId: integer('inclusive_usage_plan_id')
      .notNull()
      .references(() => inclusiveUsagePlans.id, { onDelete: 'cascade' }),
  },
  (t) => [index('iup_bolt_on_charges_plan').on(t.inclusiveUsagePlanId, t.startDate)],
);

// ─── rental discount plans ───────────────────────────────────────────────────

export const rentalDiscountPlans = sqliteTable(
  'rental_discount_plans',
  {
    id: id(),
    contractOwnerId: owner(),
    name: text('name').notNull(),
    /** coupon code */
    code: text('code'),
    durationInMonths: integer('duration_in_months').notNull(),
    availableFrom: text('available_from').notNull(),
    availableTo: text('available_to'),
    ...audit(),
  },
  (t) => [uniqueIndex('rental_discount_plans_owner_name').on(t.contractOwnerId, t.name), uniqueIndex('rental_discount_plans_owner_code').on(t.contractOwnerId, t.code)],
);

export const rentalDiscountPlanRules = sqliteTable(
  'rental_discount_plan_rules',
  {
    id: id(),
    contractOwnerId: owner(),
    rentalDiscountPlanId: integer('rental_discount_plan_id')
      .notNull()
      .references(() => rentalDiscountPlans.id),
    productCategoryId: integer('product_category_id')
      .notNull()
      .references(() => rentalProductCategories.id),
    /** narrows the rule to one product of the category; null = the whole category */
    rentalProductId: integer('rental_product_id').references(() => rentalProducts.id),
    /** hundredths of a percent (0..10 000) */
    discountPercentage: integer('discount_percentage').notNull(),
    ...audit(),
  },
  (t) => [
    /** one rule per (plan, category, product); a category rule is the one with no product */
    uniqueIndex('rental_discount_plan_rules_product_rule')
      .on(t.rentalDiscountPlanId, t.productCategoryId, t.rentalProductId)
      .where(sql`${t.rentalProductId} IS NOT NULL`),
    uniqueIndex('rental_discount_plan_rules_category_rule')
      .on(t.rentalDiscountPlanId, t.productCategoryId)
      .where(sql`${t.rentalProductId} IS NULL`),
    index('rental_discount_plan_rules_owner').on(t.contractOwnerId),
    index('rental_discount_plan_rules_category').on(t.productCategoryId),
    index('rental_discount_plan_rules_product').on(t.rentalProductId),
  ],
);

// ─── assignments (/v1) ───────────────────────────────────────────────────────

/**
 * Columns every assignment has. `customerId` is always set (the target's customer)
 * and `siteId` for SITE and INVENTORY levels, so "everything effective for this
 * inventory at a date" is one query on (customer_id, start_date).
 */
const assignmentColumns = () => ({
  id: id(),
  /** the target's owner */
  contractOwnerId: owner(),
  assignmentLevel: text('assignment_level', { enum: ASSIGNMENT_LEVELS }).notNull(),
  customerId: integer('customer_id')
    .notNull()
    .references(() => customers.id),
  siteId: integer('site_id').references(() => sites.id),
  startDate: text('start_date').notNull(),
  endDate: text('end_date'),
  ...audit(),
});

export const usageRateCardAssignments = sqliteTable(
  'usage_rate_card_assignments',
  {
    ...assignmentColumns(),
    usageProductInventoryId: integer('usage_product_inventory_id').references(() => usageProductInventories.id),
    usageRateCardId: integer('usage_rate_card_id')
      .notNull()
      .references(() => usageRateCards.id),
    /** the card's usage product: a target has one card per usage product and level at a time */
    usageProductId: integer('usage_product_id')
      .notNull()
      .references(() => usageProducts.id),
  },
  (t) => [
    index('urca_owner').on(t.contractOwnerId),
    index('urca_customer_start').on(t.customerId, t.startDate),
    index('urca_site').on(t.siteId),
    index('urca_inventory').on(t.usageProductInventoryId),
    index('urca_card').on(t.usageRateCardId),
  ],
);

export const rentalRateCardAssignments = sqliteTable(
  'rental_rate_card_assignments',
  {
    ...assignmentColumns(),
    rentalProductInventoryId: integer('rental_product_inventory_id').references(() => rentalProductInventories.id),
    rentalRateCardId: integer('rental_rate_card_id')
      .notNull()
      .references(() => rentalRateCards.id),
    /** the card's category: a target has one card per category and level at a time */
    rentalProductCategoryId: integer('rental_product_category_id')
      .notNull()
      .references(() => rentalProductCategories.id),
  },
  (t) => [
    index('rrca_owner').on(t.contractOwnerId),
    index('rrca_customer_start').on(t.customerId, t.startDate),
    index('rrca_site').on(t.siteId),
    index('rrca_inventory').on(t.rentalProductInventoryId),
    index('rrca_card').on(t.rentalRateCardId),
  ],
);

export const inclusiveUsagePlanAssignments = sqliteTable(
  'inclusive_usage_plan_assignments',
  {
    ...assignmentColumns(),
    usageProductInventoryId: integer('usage_product_inventory_id').references(() => usageProductInventories.id),
    inclusiveUsagePlanId: integer('inclusive_usage_plan_id')
      .notNull()
      .references(() => inclusiveUsagePlans.id),
    /** the plan's usage product */
    usageProductId: integer('usage_product_id')
      .notNull()
      .references(() => usageProducts.id),
  },
  (t) => [
    index('iupa_owner').on(t.contractOwnerId),
    index('iupa_customer_start').on(t.customerId, t.startDate),
    index('iupa_site').on(t.siteId),
    index('iupa_inventory').on(t.usageProductInventoryId),
    index('iupa_plan').on(t.inclusiveUsagePlanId),
  ],
);

export const rentalDiscountPlanAssignments = sqliteTable(
  'rental_discount_plan_assignments',
  {
    ...assignmentColumns(),
    rentalProductInventoryId: integer('rental_product_inventory_id').references(() => rentalProductInventories.id),
    rentalDiscountPlanId: integer('rental_discount_plan_id')
      .notNull()
      .references(() => rentalDiscountPlans.id),
  },
  (t) => [
    index('rdpa_owner').on(t.contractOwnerId),
    index('rdpa_customer_start').on(t.customerId, t.startDate),
    index('rdpa_site').on(t.siteId),
    index('rdpa_inventory').on(t.rentalProductInventoryId),
    index('rdpa_plan').on(t.rentalDiscountPlanId),
  ],
);
