/**
 * The price adaptation steps applied to contracts (table
 * applied_price_adaptations, written only by the lifecycle job): reading them
 * by renewal chain for pricing and for the job's next steps, and the read-only
 * list /v2/applied-price-adaptations.
 *
 * A renewal chain is followed back through previousCustomerContractId: the
 * steps of a contract's predecessors are part of its prices (a 3 % step at the
 * first renewal still counts after the second). The rental charges of an RPI
 * use the steps of the chain of the contract it is actively assigned to.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Ctx } from '../db/context';
import type { Db } from '../db/client';
import { queryPage, type ResourceService } from '../db/crud';
import { compileWhere, type QuerySpec } from '../db/query';
import { appliedPriceAdaptations as apa } from '../db/schema';
import { ownerCondition } from '../db/tenancy';
import type { IsoDate } from '../domain/dates';
import { type AppliedStep, factorOf, factorToNumber, type PriceStep, type PriceStepSource, storedToIndexValue, storedToPercentage } from '../domain/price-adaptation';
import { TenorError } from '../errors';

export type AppliedPriceAdaptationRow = typeof apa.$inferSelect;

/** Written by the lifecycle job with each step it applies (object: the contract; data: the applied step and the factor in force from then on). */
export const PRICE_ADAPTED_EVENT = { type: 'customer_contract.price_adapted', objectType: 'customer_contract' } as const;

export interface Chain {
  /** the start date of the chain's first contract */
  chainStartDate: IsoDate;
  /** the contract and its predecessors */
  memberIds: number[];
}

/** Longer chains than this are refused (a monthly chain renewed for a century has 1,200). */
const MAX_CHAIN_LENGTH = 10_000;

/** Each contract's renewal chain back to its first contract (unknown ids are left out). */
export async function loadChains(db: Db, contractIds: readonly number[]): Promise<Map<number, Chain>> {
  const chains = new Map<number, Chain>();
  if (contractIds.length === 0) return chains;
  const rows = await db.values<[number, number, number | null, string]>(sql`
    with recursive up(origin, id, prev, start_date, depth) as (
      select c.id, c.id, c.previous_customer_contract_id, c.start_date, 0
      from customer_contracts c where c.id in (select value from json_each(${JSON.stringify([...new Set(contractIds)])}))
      union all
      select up.origin, p.id, p.previous_customer_contract_id, p.start_date, up.depth + 1
      from up join customer_contracts p on p.id = up.prev where up.depth < ${MAX_CHAIN_LENGTH}
    )
    select origin, id, prev, start_date from up`);
  for (const [origin, id, prev, startDate] of rows) {
    let chain = chains.get(origin);
    if (!chain) chains.set(origin, (chain = { chainStartDate: startDate, memberIds: [] }));
    chain.memberIds.push(id);
    if (prev === null) chain.chainStartDate = startDate;
  }
  return chains;
}

/** The steps applied to these contracts, by contract, in date order. */
export async function loadAppliedSteps(db: Db, contractIds: readonly number[]): Promise<Map<number, AppliedPriceAdaptationRow[]>> {
  const byContract = new Map<number, AppliedPriceAdaptationRow[]>();
  if (contractIds.length === 0) return byContract;
  const rows = await db
    .select()
    .from(apa)
    .where(sql`${apa.customerContractId} in (select value from json_each(${JSON.stringify([...new Set(contractIds)])}))`)
    .orderBy(apa.effectiveDate, apa.id);
  for (const row of rows) {
    const list = byContract.get(row.customerContractId);
    if (list) list.push(row);
    else byContract.set(row.customerContractId, [row]);
  }
  return byContract;
}

/** A stored step as the domain reads it. */
export function appliedStep(row: AppliedPriceAdaptationRow): AppliedStep {
  return {
    customerContractId: row.customerContractId,
    effectiveDate: row.effectiveDate,
    factor: factorOf(row.factorNumerator, row.factorDenominator),
    sourceKey: row.sourceKey,
    priceAdaptationId: row.priceAdaptationId,
    indexMonth: row.indexMonth,
    indexValue: row.indexValue,
  };
}

/** The steps of each contract's whole chain, in date order. */
export async function chainSteps(db: Db, contractIds: readonly number[]): Promise<{ chains: Map<number, Chain>; steps: Map<number, AppliedPriceAdaptationRow[]> }> {
  const chains = await loadChains(db, contractIds);
  const members = [...chains.values()].flatMap((c) => c.memberIds);
  const applied = await loadAppliedSteps(db, members);
  const steps = new Map<number, AppliedPriceAdaptationRow[]>();
  for (const [id, chain] of chains) {
    const rows = chain.memberIds.flatMap((m) => applied.get(m) ?? []);
    rows.sort((a, b) => (a.effectiveDate < b.effectiveDate ? -1 : a.effectiveDate > b.effectiveDate ? 1 : a.id - b.id));
    steps.set(id, rows);
  }
  return { chains, steps };
}

/**
 * The price steps of each RPI (by id): those of the renewal chain of the
 * contract it is actively assigned to. An RPI without an active assignment, or
 * whose contract has no steps, is left out (its prices are as listed).
 */
export async function inventoryPriceSteps(db: Db, rpiIds: readonly number[]): Promise<Map<number, PriceStep[]>> {
  const out = new Map<number, PriceStep[]>();
  if (rpiIds.length === 0) return out;
  const assigned = await db.values<[number, number]>(sql`
    select rental_product_inventory_id, customer_contract_id from customer_contract_assignments
    where active = 1 and rental_product_inventory_id in (select value from json_each(${JSON.stringify([...new Set(rpiIds)])}))`);
  if (assigned.length === 0) return out;
  const { steps } = await chainSteps(
    db,
    assigned.map(([, contractId]) => contractId),
  );
  for (const [rpiId, contractId] of assigned) {
    const rows = steps.get(contractId);
    if (rows?.length) out.set(rpiId, rows.map((r) => ({ effectiveDate: r.effectiveDate, factor: factorOf(r.factorNumerator, r.factorDenominator) })));
  }
  return out;
}

// ─── /v2/applied-price-adaptations ──────────────────────────────────────────

export function appliedPriceAdaptationOutput(r: AppliedPriceAdaptationRow) {
  return {
    id: r.id,
    contractOwnerId: r.contractOwnerId,
    customerContractId: r.customerContractId,
    effectiveDate: r.effectiveDate,
    source: r.source as PriceStepSource,
    priceAdaptationId: r.priceAdaptationId,
    contractPriceStepId: r.contractPriceStepId,
    percentage: r.percentage === null ? null : storedToPercentage(r.percentage),
    indexMonth: r.indexMonth,
    indexValue: r.indexValue === null ? null : storedToIndexValue(r.indexValue),
    previousIndexMonth: r.previousIndexMonth,
    previousIndexValue: r.previousIndexValue === null ? null : storedToIndexValue(r.previousIndexValue),
    factor: factorToNumber(factorOf(r.factorNumerator, r.factorDenominator)),
    appliedAt: r.appliedAt,
    appliedBy: r.appliedBy,
  };
}

export type AppliedPriceAdaptationOutput = ReturnType<typeof appliedPriceAdaptationOutput>;

const appliedQuery: QuerySpec = {
  filters: {
    id: { type: 'id', column: apa.id },
    contractOwnerId: { type: 'id', column: apa.contractOwnerId },
    customerContractId: { type: 'id', column: apa.customerContractId },
    priceAdaptationId: { type: 'id', column: apa.priceAdaptationId },
    contractPriceStepId: { type: 'id', column: apa.contractPriceStepId },
    effectiveDate: { type: 'date', column: apa.effectiveDate },
    source: { type: 'string', column: apa.source, description: 'RENEWAL, ANNIVERSARY or STEP' },
  },
  sorts: { id: apa.id, effectiveDate: apa.effectiveDate, customerContractId: apa.customerContractId, appliedAt: apa.appliedAt },
};

const readOnly = () => new TenorError('method-not-allowed', 'Applied price adaptations are written by the lifecycle job only');

/** Applied steps never change: their ETag is always "1". */
type VersionedRow = AppliedPriceAdaptationRow & { version: number };

export const appliedPriceAdaptationService: ResourceService<VersionedRow, AppliedPriceAdaptationOutput, Record<string, never>> = {
  singular: 'applied price adaptation',
  query: appliedQuery,
  list: (ctx, query) => queryPage<VersionedRow>(ctx, apa, appliedQuery, [ownerCondition(ctx.tenant, apa.contractOwnerId)], query),
  async exists(ctx, query) {
    const where = and(ownerCondition(ctx.tenant, apa.contractOwnerId), await compileWhere(ctx, appliedQuery, query.where));
    return (await ctx.db.select({ id: apa.id }).from(apa).where(where).limit(1)).length > 0;
  },
  async find(ctx: Ctx, id) {
    const [row] = await ctx.db
      .select()
      .from(apa)
      .where(and(eq(apa.id, id), ownerCondition(ctx.tenant, apa.contractOwnerId)));
    return row ? { ...row, version: 1 } : null;
  },
  async render(_ctx, rows) {
    return rows.map(appliedPriceAdaptationOutput);
  },
  async create() {
    throw readOnly();
  },
  async update() {
    throw readOnly();
  },
  async remove() {
    throw readOnly();
  },
};
