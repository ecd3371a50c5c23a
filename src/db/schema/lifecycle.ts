/** The lifecycle job's records: alerts already sent, and the runs themselves. */
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { customerContracts } from './contracts';

/**
 * One row per contract, kind and end date: an alert fires once however often the
 * job runs, and again only if the contract's end date changes.
 */
export const contractAlerts = sqliteTable(
  'contract_alerts',
  {
    customerContractId: integer('customer_contract_id')
      .notNull()
      .references(() => customerContracts.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['renewal_alert', 'notice_period'] }).notNull(),
    endDate: text('end_date').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.customerContractId, t.kind, t.endDate] })],
);

export const jobRuns = sqliteTable(
  'job_runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    job: text('job').notNull(),
    /** cron, timer, or api */
    trigger: text('trigger').notNull(),
    /** the owners the run acted for: JSON ids, or ["*"] */
    owners: text('owners', { mode: 'json' }).$type<Array<number | '*'>>().notNull(),
    startedAt: text('started_at').notNull(),
    finishedAt: text('finished_at'),
    /** the date the run acted as if it were today (null: each owner's own today) */
    asOf: text('as_of'),
    renewed: integer('renewed').notNull().default(0),
    expired: integer('expired').notNull().default(0),
    terminated: integer('terminated').notNull().default(0),
    alerts: integer('alerts').notNull().default(0),
    errors: integer('errors').notNull().default(0),
    /** RUNNING, COMPLETED (all due work done), PARTIAL (budget reached; the next run continues), FAILED */
    outcome: text('outcome').notNull(),
    report: text('report', { mode: 'json' }).$type<Record<string, unknown>>(),
    /**
     * epoch ms until which a RUNNING run is known to be alive (renewed while it runs); the
     * next run marks a RUNNING run whose lease has passed as FAILED (its process died)
     */
    leaseExpiresAt: integer('lease_expires_at'),
    /** 1 while running, 2 once finished (the ETag) */
    version: integer('version').notNull().default(1),
  },
  (t) => [index('job_runs_started').on(t.startedAt)],
);
