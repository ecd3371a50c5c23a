/**
 * Price adaptations (the definitions contracts refer to): a fixed percentage or
 * an index series, applied on a schedule. Kept apart from the steps applied to
 * contracts (price-adaptation-steps.ts), which refer to contracts, so that the
 * contract table can refer to this one without a cycle.
 */
import { sql } from 'drizzle-orm';
import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { audit, id } from './common';
import { contractOwners } from './reference';

export const priceAdaptations = sqliteTable(
  'price_adaptations',
  {
    id: id(),
    contractOwnerId: integer('contract_owner_id')
      .notNull()
      .references(() => contractOwners.id),
    name: text('name').notNull(),
    description: text('description'),
    /** the ident other surfaces refer to it by (instellix); unique per owner */
    externalRef: text('external_ref'),
    type: text('type', { enum: ['PERCENTAGE', 'INDEX'] }).notNull(),
    /** PERCENTAGE: the change per step in millionths of the whole (3 % = 30000); null for INDEX */
    percentage: integer('percentage'),
    /** INDEX: [{month: 'YYYY-MM', value}] by month, values with 6 decimals as integers; [] for PERCENTAGE */
    indexValues: text('index_values', { mode: 'json' }).$type<Array<{ month: string; value: number }>>().notNull(),
    schedule: text('schedule', { enum: ['RENEWAL', 'ANNIVERSARY'] }).notNull(),
    ...audit(),
  },
  (t) => [
    uniqueIndex('price_adaptations_owner_name').on(t.contractOwnerId, t.name),
    uniqueIndex('price_adaptations_owner_external_ref')
      .on(t.contractOwnerId, t.externalRef)
      .where(sql`${t.externalRef} IS NOT NULL`),
  ],
);
