/** Contract management: profiles (versioned), customer contracts (renewal chains), assignments. */
import { sql } from 'drizzle-orm';
import { type AnySQLiteColumn, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { NOTICE_UNITS, TERM_UNITS } from '../../domain/instellix';
import { audit, id } from './common';
import { priceAdaptations } from './price-adaptations';
import { contractOwners, customers, rentalProductInventories, sites } from './reference';

export const contractProfiles = sqliteTable(
  'contract_profiles',
  {
    id: id(),
    contractOwnerId: integer('contract_owner_id')
      .notNull()
      .references(() => contractOwners.id),
    name: text('name').notNull(),
    contractTerm: integer('contract_term').notNull(),
    /** micros of the owner's currency */
    earlyTerminationFixedCharge: integer('early_termination_fixed_charge').notNull(),
    earlyTerminationPercentageCharge: integer('early_termination_percentage_charge').notNull(),
    rolloverContractProfileId: integer('rollover_contract_profile_id').references((): AnySQLiteColumn => contractProfiles.id),
    renewalAlertDays: integer('renewal_alert_days').notNull().default(28),
    noticePeriodDays: integer('notice_period_days').notNull().default(30),
    supersededByContractProfileId: integer('superseded_by_contract_profile_id').references(
      (): AnySQLiteColumn => contractProfiles.id,
    ),
    versionNumber: integer('version_number').notNull().default(1),
    /** the plan ident of the instellix surface; a new version takes it over */
    externalRef: text('external_ref'),
    properties: text('properties', { mode: 'json' }).$type<Record<string, string>>(),
    /** instellix: the units the plan's term and notice period were written in, to read them back so (null: months, days) */
    contractTermUnit: text('contract_term_unit', { enum: TERM_UNITS }),
    noticePeriodUnit: text('notice_period_unit', { enum: NOTICE_UNITS }),
    ...audit(),
  },
  (t) => [
    index('contract_profiles_owner_name').on(t.contractOwnerId, t.name),
    /** plans are addressed by ident among an owner's current versions */
    uniqueIndex('contract_profiles_owner_external_ref')
      .on(t.contractOwnerId, t.externalRef)
      .where(sql`${t.supersededByContractProfileId} IS NULL`),
    index('contract_profiles_rollover').on(t.rolloverContractProfileId),
    index('contract_profiles_superseded').on(t.supersededByContractProfileId),
    index('contract_profiles_term').on(t.contractTerm),
  ],
);

export const customerContracts = sqliteTable(
  'customer_contracts',
  {
    id: id(),
    contractOwnerId: integer('contract_owner_id')
      .notNull()
      .references(() => contractOwners.id),
    name: text('name').notNull(),
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id),
    siteId: integer('site_id').references(() => sites.id),
    contractProfileId: integer('contract_profile_id').references(() => contractProfiles.id),
    startDate: text('start_date').notNull(),
    /** null only for open-ended contracts of the simPRO surface */
    endDate: text('end_date'),
    billingStartDate: text('billing_start_date').notNull(),
    rolloverContractProfileId: integer('rollover_contract_profile_id').references(() => contractProfiles.id),
    renewalAlertDays: integer('renewal_alert_days').notNull(),
    /**
     * The first day of the renewal-alert window (endDate − renewalAlertDays), kept by
     * SQLite: the alert list and its count compare it in the index instead of working
     * out julianday() for every contract ending soon.
     */
    renewalAlertStartDate: text('renewal_alert_start_date').generatedAlwaysAs(
      sql`date(end_date, '-' || renewal_alert_days || ' days')`,
      { mode: 'stored' },
    ),
    noticePeriodDays: integer('notice_period_days').notNull(),
    /**
     * The first day of the notice period (endDate − noticePeriodDays), worked out by
     * SQLite on every write path and stored in the index of current contracts by end
     * date: the notice-period and status filters compare it there. NULL when the end
     * date is NULL or the period reaches before year 0 (the window then opened long ago).
     */
    noticeStartDate: text('notice_start_date').generatedAlwaysAs(
      sql`date(end_date, '-' || notice_period_days || ' days')`,
      { mode: 'virtual' },
    ),
    previousCustomerContractId: integer('previous_customer_contract_id').references(
      (): AnySQLiteColumn => customerContracts.id,
    ),
    renewedCustomerContractId: integer('renewed_customer_contract_id').references(
      (): AnySQLiteColumn => customerContracts.id,
    ),
    /** renewal chain: the first contract's start date and the months of term before this one */
    anchorDate: text('anchor_date').notNull(),
    monthsFromAnchor: integer('months_from_anchor').notNull().default(0),
    /** the end of the term as computed or given at signing; endDate moves earlier on termination */
    termEndDate: text('term_end_date'),
    terminationDate: text('termination_date'),
    /** EARLY (ETC charged) or REGULAR (by notice, no ETC) */
    terminationType: text('termination_type', { enum: ['EARLY', 'REGULAR'] }),
    earlyTerminationCharge: integer('early_termination_charge'),
    noticeDate: text('notice_date'),
    terminationReason: text('termination_reason'),
    contractNumber: text('contract_number'),
    value: integer('value'),
    notes: text('notes'),
    email: text('email'),
    signedDate: text('signed_date'),
    externalRef: text('external_ref'),
    properties: text('properties', { mode: 'json' }).$type<Record<string, string>>(),
    /** the signing instant (instellix `date`); signedDate is its calendar date */
    signedAt: text('signed_at'),
    language: text('language'),
    /** the coupon (a rental discount plan's code) the contract was signed with (instellix couponCode) */
    couponCode: text('coupon_code'),
    /** one-off charges recorded on the contract (instellix lineItems), as sent */
    lineItems: text('line_items', { mode: 'json' }).$type<unknown[]>(),
    /** simPRO: the pricing tier of materials (pricing_tiers), the markup (percent, micros; null: the tier's), the service fee (service_fees) */
    pricingTierId: integer('pricing_tier_id'),
    markup: integer('markup'),
    serviceFeeId: integer('service_fee_id'),
    /** simPRO's settable Expired flag (a contract also reads as expired once its end date has passed) */
    expired: integer('expired', { mode: 'boolean' }).notNull().default(false),
    /** the price adaptation that adapts this contract's rental prices (renewals carry it over) */
    priceAdaptationId: integer('price_adaptation_id').references(() => priceAdaptations.id),
    /**
     * The next day the lifecycle job looks for price adaptation steps due on this
     * contract (null: none can fall due). A change that may make steps due sets it
     * to 0001-01-01 (look at the next run); the job moves it to the next step date.
     */
    priceAdaptationCheckDate: text('price_adaptation_check_date'),
    /** 1 once the lifecycle job has nothing left to do for this contract (renewed, expired or ended); keeps its scans small */
    settled: integer('settled', { mode: 'boolean' }).notNull().default(false),
    ...audit(),
  },
  (t) => [
    /** exactly once: a contract can be renewed by one contract only */
    uniqueIndex('customer_contracts_previous').on(t.previousCustomerContractId),
    /** references are unique among current contracts; a renewal takes over its predecessor's */
    uniqueIndex('customer_contracts_owner_external_ref')
      .on(t.contractOwnerId, t.externalRef)
      .where(sql`${t.renewedCustomerContractId} IS NULL`),
    /** all of an owner's rows (includeSupersededVersions, the foreign key) */
    index('customer_contracts_owner').on(t.contractOwnerId),
    /**
     * An owner's current contracts in id order: the default list, its offsets and its
     * X-Total-Count stay in this index whatever the planner's statistics say (through
     * customer_contracts_owner the count read every row to test renewed…IS NULL).
     */
    index('customer_contracts_owner_current')
      .on(t.contractOwnerId)
      .where(sql`${t.renewedCustomerContractId} IS NULL`),
    index('customer_contracts_customer').on(t.customerId, t.startDate),
    index('customer_contracts_site').on(t.siteId),
    /** the profile and rollover filters are counted in the index: it carries the current flag and the owner */
    index('customer_contracts_profile').on(t.contractProfileId, t.renewedCustomerContractId, t.contractOwnerId),
    index('customer_contracts_rollover').on(t.rolloverContractProfileId, t.renewedCustomerContractId, t.contractOwnerId),
    index('customer_contracts_start').on(t.startDate, t.contractOwnerId, t.renewedCustomerContractId),
    index('customer_contracts_end').on(t.endDate),
    index('customer_contracts_owner_name').on(t.contractOwnerId, t.name, t.renewedCustomerContractId),
    index('customer_contracts_pricing_tier').on(t.pricingTierId),
    index('customer_contracts_service_fee').on(t.serviceFeeId),
    index('customer_contracts_price_adaptation')
      .on(t.priceAdaptationId)
      .where(sql`${t.priceAdaptationId} IS NOT NULL`),
    /** the lifecycle job's scan for due price adaptation steps */
    index('customer_contracts_price_adaptation_check')
      .on(t.priceAdaptationCheckDate)
      .where(sql`${t.priceAdaptationCheckDate} IS NOT NULL`),
    /** the lifecycle job's scans: unsettled contracts by end date */
    index('customer_contracts_unsettled_end')
      .on(t.endDate)
      .where(sql`${t.settled} = 0`),
    /**
     * One owner's current contracts by end date, then id: the renewal-alert and
     * notice windows are a range of it read in the order of sort=endDate (no sort
     * step), and it carries every column those filters and the status filter
     * compare, so their counts (X-Total-Count) never read the table.
     */
    index('customer_contracts_owner_current_end')
      .on(t.contractOwnerId, t.endDate, t.id, t.renewalAlertStartDate, t.terminationDate, t.noticeStartDate, t.startDate)
      .where(sql`${t.renewedCustomerContractId} IS NULL`),
  ],
);

export const customerContractAssignments = sqliteTable(
  'customer_contract_assignments',
  {
    id: id(),
    contractOwnerId: integer('contract_owner_id')
      .notNull()
      .references(() => contractOwners.id),
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id),
    customerContractId: integer('customer_contract_id')
      .notNull()
      .references(() => customerContracts.id),
    rentalProductInventoryId: integer('rental_product_inventory_id')
      .notNull()
      .references(() => rentalProductInventories.id),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    ...audit(),
  },
  (t) => [
    index('cca_owner').on(t.contractOwnerId),
    index('cca_contract').on(t.customerContractId, t.active),
    index('cca_rpi').on(t.rentalProductInventoryId),
    index('cca_customer').on(t.customerId),
    /** an RPI has at most one active assignment */
    uniqueIndex('cca_one_active_per_rpi')
      .on(t.rentalProductInventoryId)
      .where(sql`${t.active} = 1`),
  ],
);
