/** Reference data: contract owners, customers, sites, products, inventories, charge groups, app clients. */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { CHARGING_TYPES } from '../../domain/allowances/model';
import { audit, id } from './common';

export const contractOwners = sqliteTable(
  'contract_owners',
  {
    id: id(),
    name: text('name').notNull(),
    currencyCode: text('currency_code').notNull().default('GBP'),
    timezone: text('timezone').notNull().default('Europe/London'),
    availableFrom: text('available_from').notNull(),
    availableTo: text('available_to'),
    ...audit(),
  },
  (t) => [index('contract_owners_name').on(t.name)],
);

const owner = () =>
  integer('contract_owner_id')
    .notNull()
    .references(() => contractOwners.id);

export const customers = sqliteTable(
  'customers',
  {
    id: id(),
    contractOwnerId: owner(),
    customerName: text('customer_name').notNull(),
    customerAccountNumber: text('customer_account_number'),
    customerType: text('customer_type', { enum: ['BUSINESS', 'RESIDENTIAL'] }).notNull().default('BUSINESS'),
    externalRef: text('external_ref'),
    startDate: text('start_date'),
    endDate: text('end_date'),
    email: text('email'),
    language: text('language'),
    ...audit(),
  },
  (t) => [
    /** a token's own rows in id order: the default list */
    index('customers_owner').on(t.contractOwnerId),
    uniqueIndex('customers_owner_account').on(t.contractOwnerId, t.customerAccountNumber),
    uniqueIndex('customers_owner_external_ref').on(t.contractOwnerId, t.externalRef),
    index('customers_owner_name').on(t.contractOwnerId, t.customerName),
    index('customers_start_date').on(t.startDate),
    index('customers_end_date').on(t.endDate),
  ],
);

export const sites = sqliteTable(
  'sites',
  {
    id: id(),
    contractOwnerId: owner(),
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id),
    siteName: text('site_name').notNull(),
    siteReference: text('site_reference'),
    ...audit(),
  },
  (t) => [
    index('sites_customer').on(t.customerId),
    index('sites_owner_name').on(t.contractOwnerId, t.siteName),
    index('sites_reference').on(t.siteReference),
  ],
);

export const rentalProductCategories = sqliteTable(
  'rental_product_categories',
  {
    id: id(),
    contractOwnerId: owner(),
    name: text('name').notNull(),
    startDate: text('start_date').notNull(),
    endDate: text('end_date'),
    ...audit(),
  },
  (t) => [index('rental_product_categories_owner_name').on(t.contractOwnerId, t.name)],
);

export const rentalProducts = sqliteTable(
  'rental_products',
  {
    id: id(),
    contractOwnerId: owner(),
    rentalProductCategoryId: integer('rental_product_category_id')
      .notNull()
      .references(() => rentalProductCategories.id),
    name: text('name').notNull(),
    invoicePresentationName: text('invoice_presentation_name'),
    productType: text('product_type', { enum: ['PRODUCT', 'FEATURE', 'EVENT'] }).notNull().default('PRODUCT'),
    availableFrom: text('available_from').notNull(),
    availableTo: text('available_to'),
    ...audit(),
  },
  (t) => [
    index('rental_products_category').on(t.rentalProductCategoryId),
    index('rental_products_owner_name').on(t.contractOwnerId, t.name),
  ],
);

export const rentalProductInventories = sqliteTable(
  'rental_product_inventories',
  {
    id: id(),
    contractOwnerId: owner(),
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id),
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id),
    rentalProductId: integer('rental_product_id')
      .notNull()
      .references(() => rentalProducts.id),
    quantity: integer('quantity').notNull(),
    startDate: text('start_date').notNull(),
    endDate: text('end_date'),
    label: text('label'),
    productReference: text('product_reference'),
    /** the plan option (contract_profile_options) the RPI was created for by an instellix contract */
    planOptionId: integer('plan_option_id'),
    ...audit(),
  },
  (t) => [
    index('rpis_owner').on(t.contractOwnerId),
    index('rpis_plan_option').on(t.planOptionId),
    index('rpis_customer').on(t.customerId),
    index('rpis_site').on(t.siteId),
    index('rpis_product').on(t.rentalProductId),
    index('rpis_end_date').on(t.endDate),
  ],
);

export const usageProducts = sqliteTable(
  'usage_products',
  {
    id: id(),
    contractOwnerId: owner(),
    name: text('name').notNull(),
    direction: text('direction', { enum: ['INBOUND', 'OUTBOUND'] }),
    chargingUnit: text('charging_unit', { enum: ['SECOND', 'MEGABYTE', 'EVENT'] }).notNull().default('SECOND'),
    availableFrom: text('available_from').notNull(),
    availableTo: text('available_to'),
    ...audit(),
  },
  (t) => [index('usage_products_owner_name').on(t.contractOwnerId, t.name)],
);

export const usageProductInventories = sqliteTable(
  'usage_product_inventories',
  {
    id: id(),
    contractOwnerId: owner(),
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id),
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id),
    usageProductId: integer('usage_product_id')
      .notNull()
      .references(() => usageProducts.id),
    reference: text('reference').notNull(),
    startDate: text('start_date').notNull(),
    endDate: text('end_date'),
    ...audit(),
  },
  (t) => [
    index('upis_owner').on(t.contractOwnerId),
    index('upis_customer').on(t.customerId),
    index('upis_site').on(t.siteId),
    index('upis_product').on(t.usageProductId),
    index('upis_owner_reference').on(t.contractOwnerId, t.reference),
  ],
);

export const chargeGroupCategories = sqliteTable(
  'charge_group_categories',
  {
    id: id(),
    contractOwnerId: owner(),
    name: text('name').notNull(),
    chargingUnitType: text('charging_unit_type', { enum: CHARGING_TYPES }).notNull().default('DURATION'),
    ...audit(),
  },
  (t) => [index('charge_group_categories_owner_name').on(t.contractOwnerId, t.name)],
);

export const chargeGroups = sqliteTable(
  'charge_groups',
  {
    id: id(),
    contractOwnerId: owner(),
    chargeGroupCategoryId: integer('charge_group_category_id')
      .notNull()
      .references(() => chargeGroupCategories.id),
    name: text('name').notNull(),
    type: text('type', { enum: ['NATIONAL', 'LOCAL', 'GENERAL'] }).notNull().default('GENERAL'),
    startDate: text('start_date').notNull(),
    endDate: text('end_date'),
    ...audit(),
  },
  (t) => [
    index('charge_groups_category').on(t.chargeGroupCategoryId),
    index('charge_groups_owner_name').on(t.contractOwnerId, t.name),
  ],
);

/** Service identities that exchange a client id and secret for a 15-minute token. */
export const appClients = sqliteTable(
  'app_clients',
  {
    id: id(),
    name: text('name').notNull(),
    clientId: text('client_id').notNull(),
    /** base64url SHA-256 of salt + secret; the secret itself is never stored */
    secretHash: text('secret_hash').notNull(),
    secretSalt: text('secret_salt').notNull(),
    /** JSON array of owner ids, or ["*"] */
    owners: text('owners', { mode: 'json' }).$type<Array<number | '*'>>().notNull(),
    scope: text('scope').notNull(),
    ...audit(),
  },
  (t) => [uniqueIndex('app_clients_client_id').on(t.clientId), index('app_clients_name').on(t.name)],
);
