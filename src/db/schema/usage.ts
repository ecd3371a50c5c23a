/**
 * Usage rating (v2-pricing.md §Usage rating, §Inclusive usage balances): rated
 * usage records, the allowance buckets they draw from, and the exhaustions already
 * announced.
 *
 * Units as in pricing.ts: money in micros, quantities in millionths of a unit.
 */
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { USAGE_RECORD_STATUSES } from '../../domain/rating';
import { TIMEBANDS } from '../../domain/timebands';
import { audit, id } from './common';
import { inclusiveUsageComponents, inclusiveUsagePlanAssignments } from './pricing';
import { chargeGroups, contractOwners, customers, sites, usageProductInventories } from './reference';

/**
 * One usage record (a CDR) and its rating, written once: a record posted again
 * (same UPI and reference) returns this first rating. The customer and site are
 * the UPI's, copied for the list filters.
 */
export const usageRecords = sqliteTable(
  'usage_records',
  {
    id: id(),
    contractOwnerId: integer('contract_owner_id')
      .notNull()
      .references(() => contractOwners.id),
    customerId: integer('customer_id')
      .notNull()
      .references(() => customers.id),
    siteId: integer('site_id')
      .notNull()
      .references(() => sites.id),
    usageProductInventoryId: integer('usage_product_inventory_id')
      .notNull()
      .references(() => usageProductInventories.id),
    /** the caller's identifier of the record, unique per UPI */
    reference: text('reference').notNull(),
    chargeGroupId: integer('charge_group_id')
      .notNull()
      .references(() => chargeGroups.id),
    /** ISO-8601 UTC with milliseconds (sorts as text) */
    startTime: text('start_time').notNull(),
    /** as posted; millionths of a unit */
    receivedQuantity: integer('received_quantity').notNull(),
    /** buy cost, micros; null = not given */
    cost: integer('cost'),
    status: text('status', { enum: USAGE_RECORD_STATUSES }).notNull(),
    /** why a record is UNRATED */
    reason: text('reason'),
    /** no foreign keys: a record keeps the card and rate it was rated with after they change or go */
    usageRateCardId: integer('usage_rate_card_id'),
    usageRateId: integer('usage_rate_id'),
    timeband: text('timeband', { enum: TIMEBANDS }).notNull(),
    /** rounded up to the rate's increment when RATED, as posted when UNRATED; millionths */
    quantity: integer('quantity').notNull(),
    /** millionths; null when UNRATED */
    chargeableQuantity: integer('chargeable_quantity'),
    inclusiveQuantity: integer('inclusive_quantity'),
    /** micros paid by VALUE allowances; null when UNRATED */
    inclusiveValue: integer('inclusive_value'),
    /** micros; null when UNRATED */
    charge: integer('charge'),
    currencyCode: text('currency_code').notNull(),
    ...audit(),
  },
  (t) => [
    /** a reference is rated once per UPI; also serves the usageProductInventoryId filter */
    uniqueIndex('usage_records_inventory_reference').on(t.usageProductInventoryId, t.reference),
    /** the default list: an owner's records in id order */
    index('usage_records_owner').on(t.contractOwnerId),
    index('usage_records_customer').on(t.customerId),
    index('usage_records_site').on(t.siteId),
    index('usage_records_owner_start').on(t.contractOwnerId, t.startTime),
    index('usage_records_owner_status').on(t.contractOwnerId, t.status),
  ],
);

/**
 * What has been used of one component's allowance in one plan period of one
 * inclusive-usage-plan assignment (domain/allowances/). Only drawn buckets are stored;
 * the others are derived with nothing used. `used` only grows, and every write is
 * conditional on the value read, so concurrent batches never overdraw.
 */
export const inclusiveUsageBuckets = sqliteTable(
  'inclusive_usage_buckets',
  {
    id: id(),
    contractOwnerId: integer('contract_owner_id')
      .notNull()
      .references(() => contractOwners.id),
    assignmentId: integer('assignment_id')
      .notNull()
      .references(() => inclusiveUsagePlanAssignments.id, { onDelete: 'cascade' }),
    componentId: integer('component_id')
      .notNull()
      .references(() => inclusiveUsageComponents.id, { onDelete: 'cascade' }),
    periodStart: text('period_start').notNull(),
    periodEnd: text('period_end').notNull(),
    /** the last day the allowance can be drawn (its period plus the rollover periods) */
    usableUntil: text('usable_until').notNull(),
    /** micros (VALUE) or millionths of a unit (QUANTITY) */
    allowance: integer('allowance').notNull(),
    used: integer('used').notNull(),
    ...audit(),
  },
  (t) => [
    uniqueIndex('inclusive_usage_buckets_key').on(t.assignmentId, t.componentId, t.periodStart),
    index('inclusive_usage_buckets_component').on(t.componentId),
  ],
);

/**
 * One row per component and plan period whose balance reached zero: the
 * `inclusive_usage_balance.exhausted` event is written once, however many batches
 * (or retries) see it happen.
 */
export const inclusiveUsageExhaustions = sqliteTable(
  'inclusive_usage_exhaustions',
  {
    assignmentId: integer('assignment_id')
      .notNull()
      .references(() => inclusiveUsagePlanAssignments.id, { onDelete: 'cascade' }),
    componentId: integer('component_id')
      .notNull()
      .references(() => inclusiveUsageComponents.id, { onDelete: 'cascade' }),
    periodStart: text('period_start').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.assignmentId, t.componentId, t.periodStart] }), index('inclusive_usage_exhaustions_component').on(t.componentId)],
);
