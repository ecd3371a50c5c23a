/**
 * What the compatibility surfaces need beyond the core model (spec compat.md):
 * simPRO's setup lists (contract custom fields, pricing tiers, service fees,
 * service levels, asset types and their links), a contract's values and prices
 * against them, and instellix's plan options. Decimal amounts are integer
 * micro-units (1 = 0.000001), as money is everywhere.
 */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { audit, id } from './common';
import { contractProfiles, customerContracts } from './contracts';
import { contractOwners, rentalProducts } from './reference';
import { CUSTOM_FIELD_TYPES } from '../../domain/contract-setup';

const owner = () =>
  integer('contract_owner_id')
    .notNull()
    .references(() => contractOwners.id);

/** simPRO setup: the custom fields every customer contract of an owner has. */
export const contractCustomFields = sqliteTable(
  'contract_custom_fields',
  {
    id: id(),
    contractOwnerId: owner(),
    name: text('name').notNull(),
    type: text('type', { enum: CUSTOM_FIELD_TYPES }).notNull(),
    /** the choices of a List field */
    listItems: text('list_items', { mode: 'json' }).$type<string[]>(),
    isMandatory: integer('is_mandatory', { mode: 'boolean' }).notNull().default(false),
    displayOrder: integer('display_order').notNull().default(0),
    archived: integer('archived', { mode: 'boolean' }).notNull().default(false),
    locked: integer('locked', { mode: 'boolean' }).notNull().default(false),
    ...audit(),
  },
  (t) => [index('contract_custom_fields_owner_order').on(t.contractOwnerId, t.displayOrder)],
);

/** A contract's value of a custom field (no row: not set). */
export const contractCustomFieldValues = sqliteTable(
  'contract_custom_field_values',
  {
    id: id(),
    contractOwnerId: owner(),
    customerContractId: integer('customer_contract_id')
      .notNull()
      .references(() => customerContracts.id, { onDelete: 'cascade' }),
    customFieldId: integer('custom_field_id')
      .notNull()
      .references(() => contractCustomFields.id),
    value: text('value'),
    ...audit(),
  },
  (t) => [
    uniqueIndex('contract_custom_field_values_contract_field').on(t.customerContractId, t.customFieldId),
    index('contract_custom_field_values_field').on(t.customFieldId),
  ],
);

/** simPRO setup: pricing tiers of materials (a contract names one; its markup defaults to the tier's). */
export const pricingTiers = sqliteTable(
  'pricing_tiers',
  {
    id: id(),
    contractOwnerId: owner(),
    name: text('name').notNull(),
    /** percent, micro-units */
    defaultMarkup: integer('default_markup').notNull().default(0),
    priceBased: text('price_based'),
    tierType: text('tier_type'),
    /** true when the tier prices by the scaled steps below */
    scaledTierPricing: integer('scaled_tier_pricing', { mode: 'boolean' }).notNull().default(false),
    /** simPRO's ScaledTierPricing: markups (percent) by scaled price (currency), both micro-units, ascending */
    scaledTierSteps: text('scaled_tier_steps', { mode: 'json' }).$type<Array<{ scaledPrice: number; markup: number }>>(),
    displayOrder: integer('display_order').notNull().default(0),
    archived: integer('archived', { mode: 'boolean' }).notNull().default(false),
    ...audit(),
  },
  (t) => [index('pricing_tiers_owner_order').on(t.contractOwnerId, t.displayOrder)],
);

/** simPRO setup: service fees (e.g. a call-out fee) a contract may charge on its jobs. */
export const serviceFees = sqliteTable(
  'service_fees',
  {
    id: id(),
    contractOwnerId: owner(),
    name: text('name').notNull(),
    /** micros of the owner's currency */
    price: integer('price').notNull().default(0),
    /** hours, micro-units */
    laborTime: integer('labor_time').notNull().default(0),
    displayOrder: integer('display_order').notNull().default(0),
    archived: integer('archived', { mode: 'boolean' }).notNull().default(false),
    ...audit(),
  },
  (t) => [index('service_fees_owner_order').on(t.contractOwnerId, t.displayOrder)],
);

/** simPRO setup: maintenance service levels (how often an asset is serviced). */
export const serviceLevels = sqliteTable(
  'service_levels',
  {
    id: id(),
    contractOwnerId: owner(),
    name: text('name').notNull(),
    years: integer('years').notNull(),
    months: integer('months').notNull(),
    days: integer('days').notNull(),
    archived: integer('archived', { mode: 'boolean' }).notNull().default(false),
    ...audit(),
  },
  (t) => [index('service_levels_owner_name').on(t.contractOwnerId, t.name)],
);

/** simPRO setup: kinds of asset a maintenance contract covers. */
export const assetTypes = sqliteTable(
  'asset_types',
  {
    id: id(),
    contractOwnerId: owner(),
    name: text('name').notNull(),
    referenceSection: text('reference_section'),
    referenceStandard: text('reference_standard'),
    description: text('description'),
    archived: integer('archived', { mode: 'boolean' }).notNull().default(false),
    ...audit(),
  },
  (t) => [index('asset_types_owner_name').on(t.contractOwnerId, t.name)],
);

/** simPRO setup: the service levels an asset type offers. */
export const assetTypeServiceLevels = sqliteTable(
  'asset_type_service_levels',
  {
    id: id(),
    contractOwnerId: owner(),
    assetTypeId: integer('asset_type_id')
      .notNull()
      .references(() => assetTypes.id),
    serviceLevelId: integer('service_level_id')
      .notNull()
      .references(() => serviceLevels.id),
    displayOrder: integer('display_order').notNull().default(0),
    isDefault: integer('is_default', { mode: 'boolean' }).notNull().default(false),
    ...audit(),
  },
  (t) => [
    uniqueIndex('asset_type_service_levels_pair').on(t.assetTypeId, t.serviceLevelId),
    index('asset_type_service_levels_level').on(t.serviceLevelId),
  ],
);

/** A contract's price for servicing one asset type at one service level (no row: not priced yet). */
export const contractServiceLevelPrices = sqliteTable(
  'contract_service_level_prices',
  {
    id: id(),
    contractOwnerId: owner(),
    customerContractId: integer('customer_contract_id')
      .notNull()
      .references(() => customerContracts.id, { onDelete: 'cascade' }),
    serviceLevelId: integer('service_level_id')
      .notNull()
      .references(() => serviceLevels.id),
    assetTypeId: integer('asset_type_id')
      .notNull()
      .references(() => assetTypes.id),
    /** micros of the owner's currency */
    chargeRate: integer('charge_rate'),
    /** hours, micro-units */
    estimatedTime: integer('estimated_time'),
    ...audit(),
  },
  (t) => [
    uniqueIndex('contract_service_level_prices_triple').on(t.customerContractId, t.serviceLevelId, t.assetTypeId),
    index('contract_service_level_prices_level').on(t.serviceLevelId),
    index('contract_service_level_prices_asset_type').on(t.assetTypeId),
  ],
);

/** instellix: the options of a plan (a contract profile): what a contract of the plan rents, by option ident. */
export const contractProfileOptions = sqliteTable(
  'contract_profile_options',
  {
    id: id(),
    contractOwnerId: owner(),
    contractProfileId: integer('contract_profile_id')
      .notNull()
      .references(() => contractProfiles.id),
    optionIdent: text('option_ident').notNull(),
    rentalProductId: integer('rental_product_id')
      .notNull()
      .references(() => rentalProducts.id),
    name: text('name'),
    displayOrder: integer('display_order').notNull().default(0),
    ...audit(),
  },
  (t) => [
    uniqueIndex('contract_profile_options_profile_ident').on(t.contractProfileId, t.optionIdent),
    index('contract_profile_options_product').on(t.rentalProductId),
  ],
);
