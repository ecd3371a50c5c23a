/**
 * The lifecycle job's price adaptation step (run after renewals, before
 * alerts): applies every price adaptation step that has fallen due, exactly
 * once, with a `customer_contract.price_adapted` event in the same batch.
 *
 * Which contracts: those whose `price_adaptation_check_date` has come (a partial
 * index holds only contracts with something to look at). Writes that may make
 * steps due set it to 0001-01-01 (a contract given an adaptation or new dates, a
 * changed adaptation, a simPRO inflation item, a renewal of an adapted
 * contract: its start); the job moves it to the next day a step can fall due,
 * or clears it.
 *
 * Exactly once, as renewals: one row per contract, effective date and source
 * (unique index applied_price_adaptations_once); the steps are inserted with
 * INSERT OR IGNORE under ids reserved for this run, and the events are written
 * only for rows that carry those ids, so a second run — at the same time, after
 * a crash, or on the same day — applies and announces nothing twice. What a step
 * was computed from is checked in the same batch: if the contract, its
 * adaptation or its explicit steps changed since they were read (a fingerprint
 * of their versions), the batch is abandoned and the contract is looked at
 * again.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Ctx } from '../db/context';
import { changesOf, isGuardAbort, reserveIds } from '../db/client';
import type { OwnerToday } from '../db/today';
import {
  type AdaptationPlan,
  type ExplicitStep,
  factorToNumber,
  type IndexValue,
  planAdaptation,
  type PlannedStep,
  type PriceAdaptationDefinition,
  storedToIndexValue,
  storedToPercentage,
} from '../domain/price-adaptation';
import { appliedStep, chainSteps, PRICE_ADAPTED_EVENT } from '../services/applied-price-adaptations';

/** What this step needs of the lifecycle run (jobs/lifecycle.ts `Run`). */
export interface AdaptationRun {
  readonly ctx: Ctx;
  readonly today: OwnerToday;
  readonly options: { chunkSize: number };
  statements: number;
  readonly report: { priceAdapted: number; priceAdaptationsPending: number };
  canContinue(): boolean;
  attempt(id: number, step: string): boolean;
  fail(id: number, step: string, error: unknown): void;
  todayOf(ownerId: number): string;
  scope(byEndDate: boolean): SQL;
  excluded(): SQL;
}

const STEP = 'price-adaptation';
/** Contracts per chunk: each brings its chain and steps along. */
const MAX_CHUNK = 1000;

/** A fingerprint of everything a contract's steps are computed from: its version, its adaptation's, its explicit steps'. */
const FINGERPRINT = sql`(c.version || '/' || coalesce((select a.version from price_adaptations a where a.id = c.price_adaptation_id), '-') || '/' ||
  coalesce((select group_concat(s.id || ':' || s.version, ',') from (select id, version from contract_price_steps where customer_contract_id = c.id order by id) s), ''))`;

interface Candidate {
  id: number;
  ownerId: number;
  startDate: string;
  endDate: string | null;
  previousId: number | null;
  priceAdaptationId: number | null;
  fingerprint: string;
}

interface AppliedPlan {
  candidate: Candidate;
  plan: AdaptationPlan;
}

/** One row of the insert plan (short keys: the plan travels as one JSON parameter). */
interface StepRow {
  id: number;
  o: number;
  c: number;
  d: string;
  s: string;
  k: string;
  pa: number | null;
  ps: number | null;
  p: number | null;
  im: string | null;
  iv: number | null;
  pm: string | null;
  pv: number | null;
  fn: number;
  fd: number;
}

/** The event a step announces: the applied step and the factor in force from its date on. */
function eventData(ctx: Ctx, row: StepRow, step: PlannedStep) {
  return {
    id: row.id,
    contractOwnerId: row.o,
    customerContractId: row.c,
    effectiveDate: row.d,
    source: row.s,
    priceAdaptationId: row.pa,
    contractPriceStepId: row.ps,
    percentage: row.p === null ? null : storedToPercentage(row.p),
    indexMonth: row.im,
    indexValue: row.iv === null ? null : storedToIndexValue(row.iv),
    previousIndexMonth: row.pm,
    previousIndexValue: row.pv === null ? null : storedToIndexValue(row.pv),
    factor: factorToNumber(step.factor),
    cumulativeFactor: factorToNumber(step.cumulativeFactor),
    appliedAt: ctx.nowIso,
    appliedBy: ctx.actor,
  };
}

async function selectDue(run: AdaptationRun): Promise<Candidate[]> {
  run.statements += 1;
  const limit = Math.min(run.options.chunkSize, MAX_CHUNK);
  const rows = await run.ctx.db.values<[number, number, string, string | null, number | null, number | null, string]>(sql`
    select c.id, c.contract_owner_id, c.start_date, c.end_date, c.previous_customer_contract_id, c.price_adaptation_id, ${FINGERPRINT}
    from customer_contracts c
    where c.price_adaptation_check_date is not null and c.price_adaptation_check_date <= ${run.today.max}
      and c.price_adaptation_check_date <= ${run.today.expr}${run.scope(true)}${run.excluded()}
    order by c.price_adaptation_check_date, c.id
    limit ${limit}`);
  return rows.map(([id, ownerId, startDate, endDate, previousId, priceAdaptationId, fingerprint]) => ({
    id,
    ownerId,
    startDate,
    endDate,
    previousId,
    priceAdaptationId,
    fingerprint,
  }));
}

/** The steps due for each contract of the chunk, from their chains, adaptations and explicit steps. */
async function planChunk(run: AdaptationRun, candidates: Candidate[]): Promise<AppliedPlan[]> {
  const ctx = run.ctx;
  const ids = candidates.map((c) => c.id);
  const adaptationIds = [...new Set(candidates.flatMap((c) => (c.priceAdaptationId === null ? [] : [c.priceAdaptationId])))];
  run.statements += 4;
  const [{ chains, steps }, adaptations, explicit] = await Promise.all([
    chainSteps(ctx.db, ids),
    adaptationIds.length
      ? ctx.db.values<[number, string, number | null, string, string]>(
          sql`select id, type, percentage, index_values, schedule from price_adaptations where id in (select value from json_each(${JSON.stringify(adaptationIds)}))`,
        )
      : [],
    ctx.db.values<[number, number, string, number]>(
      sql`select id, customer_contract_id, date, percentage from contract_price_steps where customer_contract_id in (select value from json_each(${JSON.stringify(ids)}))`,
    ),
  ]);
  const definitions = new Map<number, PriceAdaptationDefinition>(
    adaptations.map(([id, type, percentage, indexValues, schedule]) => [
      id,
      {
        id,
        type: type as PriceAdaptationDefinition['type'],
        percentage,
        indexValues: JSON.parse(indexValues) as IndexValue[],
        schedule: schedule as PriceAdaptationDefinition['schedule'],
      },
    ]),
  );
  const explicitOf = new Map<number, ExplicitStep[]>();
  for (const [id, contractId, date, percentage] of explicit) {
    const list = explicitOf.get(contractId);
    if (list) list.push({ id, date, percentage });
    else explicitOf.set(contractId, [{ id, date, percentage }]);
  }
  const out: AppliedPlan[] = [];
  for (const candidate of candidates) {
    try {
      const chain = chains.get(candidate.id);
      if (!chain) continue; // deleted since it was selected
      const plan = planAdaptation({
        customerContractId: candidate.id,
        contract: { chainStartDate: chain.chainStartDate, startDate: candidate.startDate, endDate: candidate.endDate, isRenewal: candidate.previousId !== null },
        adaptation: candidate.priceAdaptationId === null ? null : definitions.get(candidate.priceAdaptationId) ?? null,
        explicitSteps: explicitOf.get(candidate.id) ?? [],
        applied: (steps.get(candidate.id) ?? []).map(appliedStep),
        through: run.todayOf(candidate.ownerId),
      });
      out.push({ candidate, plan });
    } catch (error) {
      run.fail(candidate.id, STEP, error);
    }
  }
  return out;
}

/** The batch applying a chunk's plans: a guard, the steps, their events, the next check dates. */
function applyStatements(ctx: Ctx, plans: readonly AppliedPlan[], rows: readonly StepRow[], events: readonly unknown[]): SQL[] {
  const fingerprints = JSON.stringify(plans.map((p) => [p.candidate.id, p.candidate.fingerprint]));
  const checks = JSON.stringify(plans.map((p) => [p.candidate.id, p.plan.nextCheckDate]));
  return [
    // abandon the batch if anything a step was computed from changed since it was read
    sql`select case when (select count(*) from json_each(${fingerprints}) f
        join customer_contracts c on c.id = f.value ->> 0 and ${FINGERPRINT} = f.value ->> 1) <> ${plans.length}
      then json('tenor: price adaptation inputs changed') end`,
    sql`insert or ignore into applied_price_adaptations (id, contract_owner_id, customer_contract_id, effective_date, source, source_key,
        price_adaptation_id, contract_price_step_id, percentage, index_month, index_value, previous_index_month, previous_index_value,
        factor_numerator, factor_denominator, applied_at, applied_by)
      select r.value ->> 'id', r.value ->> 'o', r.value ->> 'c', r.value ->> 'd', r.value ->> 's', r.value ->> 'k',
        r.value ->> 'pa', r.value ->> 'ps', r.value ->> 'p', r.value ->> 'im', r.value ->> 'iv', r.value ->> 'pm', r.value ->> 'pv',
        r.value ->> 'fn', r.value ->> 'fd', ${ctx.nowIso}, ${ctx.actor}
      from json_each(${JSON.stringify(rows)}) r`,
    // events only for the steps this run inserted (the reserved ids are this run's alone)
    sql`insert into outbox_events (contract_owner_id, type, object_type, object_id, data, actor, created_at)
      select a.contract_owner_id, ${PRICE_ADAPTED_EVENT.type}, ${PRICE_ADAPTED_EVENT.objectType}, a.customer_contract_id,
        json_extract(e.value, '$[1]'), ${ctx.actor}, ${ctx.nowIso}
      from json_each(${JSON.stringify(events)}) e join applied_price_adaptations a on a.id = e.value ->> 0
      order by a.effective_date, a.id`,
    sql`update customer_contracts set price_adaptation_check_date = f.value ->> 1
      from json_each(${checks}) f where customer_contracts.id = f.value ->> 0`,
  ];
}

/** Applies one chunk's plans; a guard abort (inputs changed) leaves the contracts due, to be read again. */
async function applyChunk(run: AdaptationRun, plans: AppliedPlan[]): Promise<void> {
  const ctx = run.ctx;
  const total = plans.reduce((n, p) => n + p.plan.steps.length, 0);
  let id = 0;
  if (total > 0) {
    run.statements += 1;
    id = await reserveIds(ctx.db, 'applied_price_adaptations', total);
  }
  const rows: StepRow[] = [];
  const events: Array<[number, unknown]> = [];
  for (const { candidate, plan } of plans) {
    for (const step of plan.steps) {
      const row: StepRow = {
        id: id++,
        o: candidate.ownerId,
        c: candidate.id,
        d: step.effectiveDate,
        s: step.source,
        k: step.sourceKey,
        pa: step.priceAdaptationId,
        ps: step.contractPriceStepId,
        p: step.percentage,
        im: step.indexMonth,
        iv: step.indexValue,
        pm: step.previousIndexMonth,
        pv: step.previousIndexValue,
        fn: safe(step.factor.numerator),
        fd: safe(step.factor.denominator),
      };
      rows.push(row);
      events.push([row.id, eventData(ctx, row, step)]);
    }
  }
  run.statements += 4;
  const [, inserted] = await ctx.deps.database.batch(applyStatements(ctx, plans, rows, events));
  run.report.priceAdapted += changesOf(inserted);
  run.report.priceAdaptationsPending += plans.reduce((n, p) => n + p.plan.pending.length, 0);
}

function safe(n: bigint): number {
  const value = Number(n);
  if (!Number.isSafeInteger(value)) throw new RangeError('a step factor is too large to store exactly');
  return value;
}

/** Applies the price adaptation steps due for the run's owners, chunk by chunk. */
export async function applyPriceAdaptations(run: AdaptationRun): Promise<void> {
  while (run.canContinue()) {
    const candidates = (await selectDue(run)).filter((c) => run.attempt(c.id, STEP));
    if (candidates.length === 0) return;
    const plans = await planChunk(run, candidates);
    if (plans.length === 0) continue;
    try {
      await applyChunk(run, plans);
    } catch (error) {
      if (isGuardAbort(error)) continue; // read again: the attempts per contract bound the retries
      // one bad contract must not block the others: one contract at a time
      for (const plan of plans) {
        try {
          await applyChunk(run, [plan]);
        } catch (single) {
          if (!isGuardAbort(single)) run.fail(plan.candidate.id, STEP, single);
        }
      }
    }
  }
}
