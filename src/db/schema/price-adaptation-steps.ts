/**
 * Steps of price adaptations on contracts: the explicit dated steps of one
 * contract (simPRO's inflation items), and every step the lifecycle job has
 * applied — one row per contract, effective date and source, which is what makes
 * a step apply exactly once (a second insert hits the unique index and is
 * treated as done).
 */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { audit, id } from './common';
import { customerContracts } from './contracts';
import { contractOwners } from './reference';

/** A dated price change of one contract: `percentage` in millionths of the whole (3 % = 30000). */
export const contractPriceSteps = sqliteTable(
  'contract_price_steps',
  {
    id: id(),
    contractOwnerId: integer('contract_owner_id')
      .notNull()
      .references(() => contractOwners.id),
    customerContractId: integer('customer_contract_id')
      .notNull()
      .references(() => customerContracts.id, { onDelete: 'cascade' }),
    date: text('date').notNull(),
    percentage: integer('percentage').notNull(),
    ...audit(),
  },
  (t) => [index('contract_price_steps_contract').on(t.customerContractId, t.date), index('contract_price_steps_owner').on(t.contractOwnerId)],
);

/**
 * A step applied to a contract by the lifecycle job. The factor is the exact
 * fraction numerator/denominator; the other columns say where it came from
 * (the adaptation, or the explicit step, as they were when it was applied).
 */
export const appliedPriceAdaptations = sqliteTable(
  'applied_price_adaptations',
  {
    id: id(),
    contractOwnerId: integer('contract_owner_id')
      .notNull()
      .references(() => contractOwners.id),
    customerContractId: integer('customer_contract_id')
      .notNull()
      .references(() => customerContracts.id, { onDelete: 'cascade' }),
    effectiveDate: text('effective_date').notNull(),
    /** RENEWAL, ANNIVERSARY (the adaptation's schedule) or STEP (an explicit dated step) */
    source: text('source', { enum: ['RENEWAL', 'ANNIVERSARY', 'STEP'] }).notNull(),
    /** SCHEDULE, or STEP:<id>: with the contract and date, the step's identity */
    sourceKey: text('source_key').notNull(),
    /** history, not references: the adaptation or step may change or go later */
    priceAdaptationId: integer('price_adaptation_id'),
    contractPriceStepId: integer('contract_price_step_id'),
    percentage: integer('percentage'),
    indexMonth: text('index_month'),
    indexValue: integer('index_value'),
    previousIndexMonth: text('previous_index_month'),
    previousIndexValue: integer('previous_index_value'),
    factorNumerator: integer('factor_numerator').notNull(),
    factorDenominator: integer('factor_denominator').notNull(),
    appliedAt: text('applied_at').notNull(),
    appliedBy: text('applied_by'),
  },
  (t) => [
    /** exactly once: one step per contract, effective date and source */
    uniqueIndex('applied_price_adaptations_once').on(t.customerContractId, t.effectiveDate, t.sourceKey),
    index('applied_price_adaptations_owner').on(t.contractOwnerId),
    index('applied_price_adaptations_step').on(t.contractPriceStepId),
    index('applied_price_adaptations_adaptation').on(t.priceAdaptationId),
  ],
);
