/**
 * Explicit dated price steps of one contract (/v2/contract-price-steps, and
 * simPRO's `…/contracts/{contractID}/inflation/` items): on `date` the
 * contract's rental prices change by `percentage` (compounding with every other
 * step of the contract and its renewal chain). The lifecycle job applies each
 * step on its date, exactly once (jobs/price-adaptations.ts), whether or not the
 * contract has a price adaptation.
 *
 * Rules: a step belongs to a visible contract (its owner's); percentage
 * greater than −100 and at most 1000, up to 4 decimals (the route schema checks
 * it with domain/price-adaptation.ts); a step already applied can no longer be
 * changed or deleted (409: its price change has happened — add another step to
 * correct it). Every write makes the job look at the contract at its next run, in
 * the same batch, so a step dated today or earlier applies at the next run.
 */
import { and, eq, notExists, sql } from 'drizzle-orm';
import type { Ctx } from '../db/context';
import { abortUnlessChanged, isGuardAbort } from '../db/client';
import { auditOnInsert, concurrentChange, requireVisible, tableService } from '../db/crud';
import { scaledNumberFilter } from '../db/query';
import { appliedPriceAdaptations, contractPriceSteps, customerContracts } from '../db/schema';
import { assertMayActFor } from '../db/tenancy';
import { MIN_DATE } from '../domain/dates';
import { toScaled } from '../domain/money';
import { percentageToStored, storedToPercentage } from '../domain/price-adaptation';
import { conflict } from '../errors';

export interface ContractPriceStepInput {
  customerContractId: number;
  date: string;
  /** percent: 3 = prices × 1.03 */
  percentage: number;
}

export type ContractPriceStepRow = typeof contractPriceSteps.$inferSelect;

/** Whether the job has applied the step (loaded by prepareOutput). */
const appliedSteps = new WeakMap<object, boolean>();

export function contractPriceStepOutput(r: ContractPriceStepRow) {
  return {
    id: r.id,
    contractOwnerId: r.contractOwnerId,
    customerContractId: r.customerContractId,
    date: r.date,
    percentage: storedToPercentage(r.percentage),
    applied: appliedSteps.get(r) ?? false,
    createdDate: r.createdDate,
    updatedDate: r.updatedDate,
    createdBy: r.createdBy,
    updatedBy: r.updatedBy,
    version: r.version,
  };
}

export type ContractPriceStepOutput = ReturnType<typeof contractPriceStepOutput>;

async function loadApplied(ctx: Ctx, rows: ContractPriceStepRow[]): Promise<void> {
  if (rows.length === 0) return;
  const applied = await ctx.db.values<[number]>(
    sql`select contract_price_step_id from applied_price_adaptations
      where contract_price_step_id in (select value from json_each(${JSON.stringify(rows.map((r) => r.id))}))`,
  );
  const done = new Set(applied.map(([id]) => id));
  for (const r of rows) appliedSteps.set(r, done.has(r.id));
}

/** Makes the lifecycle job look at the contract at its next run. */
const recheck = (ctx: Ctx, contractId: number) =>
  ctx.db.update(customerContracts).set({ priceAdaptationCheckDate: MIN_DATE }).where(eq(customerContracts.id, contractId));

const notApplied = (ctx: Ctx, stepId: number) =>
  notExists(ctx.db.select({ id: appliedPriceAdaptations.id }).from(appliedPriceAdaptations).where(eq(appliedPriceAdaptations.contractPriceStepId, stepId)));

/** 409 naming when a step was applied, or the concurrent-change 409. */
async function refusal(ctx: Ctx, row: ContractPriceStepRow) {
  const [applied] = await ctx.db
    .select({ id: appliedPriceAdaptations.id, effectiveDate: appliedPriceAdaptations.effectiveDate })
    .from(appliedPriceAdaptations)
    .where(eq(appliedPriceAdaptations.contractPriceStepId, row.id))
    .limit(1);
  if (applied) {
    return conflict(`Contract price step ${row.id} was applied on ${applied.effectiveDate} (applied price adaptation ${applied.id}); it can no longer change — add another step instead`);
  }
  return concurrentChange('contract price step');
}

const base = tableService<ContractPriceStepRow, ContractPriceStepOutput, ContractPriceStepInput>({
  singular: 'contract price step',
  table: contractPriceSteps,
  ownerColumn: contractPriceSteps.contractOwnerId,
  ownerOf: (r) => r.contractOwnerId,
  query: {
    filters: {
      id: { type: 'id', column: contractPriceSteps.id },
      contractOwnerId: { type: 'id', column: contractPriceSteps.contractOwnerId },
      customerContractId: { type: 'id', column: contractPriceSteps.customerContractId },
      date: { type: 'date', column: contractPriceSteps.date },
      // stored in millionths of the whole (4 places of a percent): compared at 6 places, so any number the grammar takes is exact
      percentage: { type: 'number', build: scaledNumberFilter(sql`(${contractPriceSteps.percentage} * 100)`, (v) => toScaled(v, 6)) },
    },
    sorts: { id: contractPriceSteps.id, date: contractPriceSteps.date, percentage: contractPriceSteps.percentage, customerContractId: contractPriceSteps.customerContractId },
  },
  async toInsert() {
    throw new Error('contract price steps are created by createContractPriceStep');
  },
  prepareOutput: loadApplied,
  toOutput: (_ctx, row) => contractPriceStepOutput(row),
});

/** Creates a step of a visible contract (404 naming `field` otherwise; 403 for an owner outside the token). */
export async function createContractPriceStep(ctx: Ctx, input: ContractPriceStepInput, field = '/customerContractId'): Promise<ContractPriceStepRow> {
  const contract = await requireVisible<typeof customerContracts.$inferSelect>(ctx, customerContracts, input.customerContractId, field, 'customer contract');
  assertMayActFor(ctx.tenant, contract.contractOwnerId);
  const insert = ctx.db
    .insert(contractPriceSteps)
    .values({
      contractOwnerId: contract.contractOwnerId,
      customerContractId: contract.id,
      date: input.date,
      percentage: percentageToStored(input.percentage),
      ...auditOnInsert(ctx),
    })
    .returning();
  const [rows] = (await ctx.deps.database.batch([insert, recheck(ctx, contract.id)])) as [ContractPriceStepRow[]];
  return rows[0]!;
}

/** Changes a step not yet applied (the contract is fixed: 422 from the route's immutable fields). */
export async function updateContractPriceStep(ctx: Ctx, row: ContractPriceStepRow, changes: Partial<Pick<ContractPriceStepInput, 'date' | 'percentage'>>): Promise<ContractPriceStepRow> {
  const values: Record<string, unknown> = { version: row.version + 1, updatedDate: ctx.nowIso, updatedBy: ctx.actor };
  if (changes.date !== undefined) values.date = changes.date;
  if (changes.percentage !== undefined) values.percentage = percentageToStored(changes.percentage);
  const update = ctx.db
    .update(contractPriceSteps)
    .set(values)
    .where(and(eq(contractPriceSteps.id, row.id), eq(contractPriceSteps.version, row.version), notApplied(ctx, row.id)))
    .returning();
  try {
    const [rows] = (await ctx.deps.database.batch([update, abortUnlessChanged(), recheck(ctx, row.customerContractId)])) as [ContractPriceStepRow[]];
    return rows[0]!;
  } catch (error) {
    if (isGuardAbort(error)) throw await refusal(ctx, row);
    throw error;
  }
}

/** Deletes a step not yet applied. */
export async function removeContractPriceStep(ctx: Ctx, row: ContractPriceStepRow): Promise<void> {
  const remove = ctx.db
    .delete(contractPriceSteps)
    .where(and(eq(contractPriceSteps.id, row.id), eq(contractPriceSteps.version, row.version), notApplied(ctx, row.id)));
  try {
    await ctx.deps.database.batch([remove, abortUnlessChanged(), recheck(ctx, row.customerContractId)]);
  } catch (error) {
    if (isGuardAbort(error)) throw await refusal(ctx, row);
    throw error;
  }
}

export const contractPriceStepService = {
  ...base,
  create: (ctx: Ctx, input: ContractPriceStepInput) => createContractPriceStep(ctx, input),
  async update(ctx: Ctx, row: ContractPriceStepRow, input: ContractPriceStepInput, changed: ReadonlySet<string>) {
    return {
      row: await updateContractPriceStep(ctx, row, {
        ...(changed.has('date') ? { date: input.date } : {}),
        ...(changed.has('percentage') ? { percentage: input.percentage } : {}),
      }),
    };
  },
  remove: removeContractPriceStep,
};

/** A step of this contract by id, or null. */
export async function contractPriceStepOf(ctx: Ctx, contractId: number, stepId: number): Promise<ContractPriceStepRow | null> {
  const row = await base.find(ctx, stepId);
  return row && row.customerContractId === contractId ? row : null;
}
