import { integer, text } from 'drizzle-orm/sqlite-core';

/** Primary key of every table: never reused (AUTOINCREMENT). */
export const id = () => integer('id').primaryKey({ autoIncrement: true });

/** Columns every business object carries: audit instants, authors and the ETag counter. */
export const audit = () => ({
  createdDate: text('created_date').notNull(),
  updatedDate: text('updated_date').notNull(),
  createdBy: text('created_by'),
  updatedBy: text('updated_by'),
  version: integer('version').notNull().default(1),
});

/** The tenancy column: every business object belongs to exactly one contract owner. */
export const ownerId = () => integer('contract_owner_id').notNull();
