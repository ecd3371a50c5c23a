/**
 * The lifecycle job (lifecycle.md): ended contracts are settled, due contracts
 * renew (catching up over missed terms), contracts without a rollover profile
 * expire, and renewal-alert and notice-period events fire once each.
 *
 * Work runs in chunks; each chunk is one batch (a transaction) built from
 * set-based statements over a JSON plan, so a chunk of hundreds of contracts is a
 * handful of statements — inside D1's limits of 100 bound parameters and 1,000
 * statements per invocation. Exactly once comes from the database, not from
 * locks: a unique index on previousCustomerContractId makes a second renewal of
 * a contract impossible (INSERT OR IGNORE treats it as done), and every dependent
 * statement only touches (old, new) pairs that were really inserted. Two runs at
 * once, a run killed half-way and run again, or a run repeated for the same day
 * all leave exactly one renewal per term.
 */
import { and, eq, type SQL, sql } from 'drizzle-orm';
import { type Ctx, yieldToEventLoop } from '../db/context';
import { changesOf, reserveIds } from '../db/client';
import { customerContracts } from '../db/schema';
import { ownerToday, type OwnerToday } from '../db/today';
import { ownerCondition } from '../db/tenancy';
import { alertDue, type AlertKind, endingWithoutRenewal, planRenewal, type RenewalSource } from '../domain/renewal';
import { CONTRACT_EVENTS, contractOutput, type CustomerContractRow } from '../services/customer-contracts';
import { applyPriceAdaptations } from './price-adaptations';

export interface LifecycleOptions {
  /** act as if this date were every owner's today (backfills and tests) */
  asOf?: string;
  /** stop starting new chunks after this long; the next run continues */
  budgetMs: number;
  /** at most this many statements (D1 allows 1,000 per invocation) */
  statementBudget: number;
  /** the most contracts one chunk takes */
  chunkSize: number;
  /**
   * Node: the time one chunk may hold the event loop (its statements run synchronously on the
   * embedded database): chunks are sized, from the time the previous ones took, to about this long,
   * between MIN_CHUNK and chunkSize, so requests are served between them. Unset: always chunkSize.
   */
  sliceMs?: number;
  /** only these contracts (and the renewals this run makes of them): a queued work item's (jobs/work.ts) */
  only?: readonly number[];
  /** the steps to run (all by default): 'renew' settles and renews, 'price' applies price adaptation steps, 'alerts' sends alerts */
  steps?: ReadonlyArray<LifecycleStep>;
}

export type LifecycleStep = 'renew' | 'price' | 'alerts';

export interface LifecycleReport {
  asOf: string | null;
  terminated: number;
  renewed: number;
  expired: number;
  alerts: Record<AlertKind, number>;
  /** price adaptation steps applied (jobs/price-adaptations.ts) */
  priceAdapted: number;
  /** steps due that could not be computed yet (an index without a value at the chain's start) */
  priceAdaptationsPending: number;
  errors: Array<{ customerContractId: number; step: string; error: string }>;
  /** COMPLETED: nothing due is left; PARTIAL: the budget ran out first */
  outcome: 'COMPLETED' | 'PARTIAL';
  /** a PARTIAL run over `only`: the contracts still to look at (with the renewals it made), for the run that continues it */
  remaining?: number[];
}

const MAX_ATTEMPTS_PER_CONTRACT = 3;
const MAX_REPORTED_ERRORS = 100;
/** A chain renewing more often in one run is an error of the run, and skipped (lifecycle.md, settled questions). */
export const MAX_RENEWALS_PER_CHAIN = 1200;
const MIN_CHUNK = 20;

export class Run {
  readonly started = Date.now();
  statements = 0;
  exhausted = false;
  readonly failed = new Set<number>();
  readonly attempts = new Map<number, number>();
  /** renewals made in this run so far, by the id of the newest contract of each chain */
  readonly chainRenewals = new Map<number, number>();
  readonly report: LifecycleReport;
  /** contracts the next chunk takes (sized to options.sliceMs when set) */
  chunkSize: number;
  private sliceStarted = 0;
  /** options.only as a set that grows with the renewals made (a catch-up renews them in turn) */
  readonly only: Set<number> | null;

  constructor(
    readonly ctx: Ctx,
    readonly options: LifecycleOptions,
    readonly today: OwnerToday,
  ) {
    this.report = {
      asOf: options.asOf ?? null,
      terminated: 0,
      renewed: 0,
      expired: 0,
      alerts: { renewal_alert: 0, notice_period: 0 },
      priceAdapted: 0,
      priceAdaptationsPending: 0,
      errors: [],
      outcome: 'COMPLETED',
    };
    this.chunkSize = options.sliceMs ? Math.min(options.chunkSize, 200) : options.chunkSize;
    this.only = options.only ? new Set(options.only) : null;
  }

  /** Before a chunk: yields to other work, then starts timing the chunk. */
  async startChunk(): Promise<void> {
    await yieldToEventLoop();
    this.sliceStarted = performance.now();
  }

  /** After a chunk of `rows` contracts: sizes the next one to the slice, from this one's time per contract. */
  endChunk(rows: number): void {
    const slice = this.options.sliceMs;
    if (!slice || rows === 0) return;
    const perRow = Math.max(0.001, (performance.now() - this.sliceStarted) / rows);
    // a full chunk says how fast contracts go; a short one (the last of a step) only that it fit
    const target = rows < this.chunkSize ? Math.max(this.chunkSize, Math.floor(slice / perRow)) : Math.floor(slice / perRow);
    this.chunkSize = Math.max(MIN_CHUNK, Math.min(this.options.chunkSize, Math.floor(this.chunkSize / 2 + target / 2)));
  }

  /** True while there is budget for another chunk (a select and a batch of up to 8 statements). */
  canContinue(): boolean {
    if (Date.now() - this.started > this.options.budgetMs || this.statements + 10 > this.options.statementBudget) {
      this.exhausted = true;
      this.report.outcome = 'PARTIAL';
    }
    return !this.exhausted;
  }

  fail(id: number, step: string, error: unknown) {
    this.failed.add(id);
    if (this.report.errors.length < MAX_REPORTED_ERRORS) {
      this.report.errors.push({ customerContractId: id, step, error: error instanceof Error ? error.message : String(error) });
    }
  }

  /** Counts a selection of a contract; one selected too often without progress is given up for this run. */
  attempt(id: number, step: string): boolean {
    const n = (this.attempts.get(id) ?? 0) + 1;
    this.attempts.set(id, n);
    if (n > MAX_ATTEMPTS_PER_CONTRACT) {
      this.fail(id, step, new Error(`still due after ${MAX_ATTEMPTS_PER_CONTRACT} attempts in this run`));
      return false;
    }
    return true;
  }

  /** The owner's today for this run (as of, or the owner's own date). */
  todayOf(ownerId: number): string {
    return this.options.asOf ?? this.ctx.deps.owners.today(ownerId, this.ctx.now);
  }

  excluded(): SQL {
    return this.failed.size ? sql` and c.id not in (select value from json_each(${JSON.stringify([...this.failed])}))` : sql``;
  }

  /** The run's owners; `byEndDate` keeps the owner column from the planner, so the scan follows the end-date index. */
  scope(byEndDate: boolean): SQL {
    const owners = ownerCondition(this.ctx.tenant, byEndDate ? sql`+c.contract_owner_id` : sql`c.contract_owner_id`);
    const scope = owners ? sql` and ${owners}` : sql``;
    return this.only ? sql`${scope} and c.id in (select value from json_each(${JSON.stringify([...this.only])}))` : scope;
  }
}

type ContractWithTerms = CustomerContractRow & {
  signedTerm: number | null;
  rolloverTerm: number | null;
  rolloverNext: number | null;
  rolloverAlertDays: number | null;
  rolloverNoticeDays: number | null;
  rolloverSupersededBy: number | null;
};

/**
 * A chunk of unsettled contracts in end-date order. `byEndDate` (the due scans): walk the unsettled end-date
 * index in order and stop at the chunk size, even for a run limited to some owners — on the owner index the
 * planner would sort every contract of those owners due so far, for each chunk (measured: 20 instead of
 * 150 ms per chunk of 1,000, with 100,000 due).
 */
async function select(run: Run, where: SQL, byEndDate = false): Promise<ContractWithTerms[]> {
  run.statements += 1;
  const rows = await run.ctx.db.all<Record<string, unknown>>(sql`
    select c.*, p.contract_term as signed_term, r.contract_term as rollover_term,
      r.rollover_contract_profile_id as rollover_next, r.renewal_alert_days as rollover_alert_days,
      r.notice_period_days as rollover_notice_days, r.superseded_by_contract_profile_id as rollover_superseded_by
    from customer_contracts c
    left join contract_profiles p on p.id = c.contract_profile_id
    left join contract_profiles r on r.id = c.rollover_contract_profile_id
    where c.settled = 0 and ${where}${run.scope(byEndDate)}${run.excluded()}
    order by c.end_date, c.id
    limit ${run.chunkSize}`);
  return rows.map(fromRaw);
}

const camelNames = new Map<string, string>();
function camel(column: string): string {
  let name = camelNames.get(column);
  if (name === undefined) {
    name = column.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase());
    camelNames.set(column, name);
  }
  return name;
}

/** Raw snake_case rows → the drizzle row shape the services use. */
function fromRaw(r: Record<string, unknown>): ContractWithTerms {
  const row: Record<string, unknown> = {};
  for (const column in r) row[camel(column)] = r[column];
  row.settled = Boolean(row.settled);
  if (typeof row.properties === 'string') row.properties = JSON.parse(row.properties);
  return row as ContractWithTerms;
}

export const DUE = (today: OwnerToday) => sql`c.end_date < ${today.max} and c.end_date < ${today.expr} and c.renewed_customer_contract_id is null`;

/** Terminations due: contracts ended by a termination, with no renewal to come. Settled without another event. */
async function settleEnded(run: Run): Promise<void> {
  const ctx = run.ctx;
  while (run.canContinue()) {
    await run.startChunk();
    const rows = await select(run, sql`${DUE(run.today)} and c.rollover_contract_profile_id is null`, true);
    const items = rows.filter((r) => run.attempt(r.id, 'settle'));
    if (items.length === 0) return;
    const ended = items.map((r) => ({ r, kind: endingWithoutRenewal(r, run.todayOf(r.contractOwnerId)) }));
    await ctx.deps.owners.load(items.map((r) => r.contractOwnerId), ctx.now);
    const expired = ended.filter((e) => e.kind === 'expired').map(({ r }) => ({ id: r.id, o: r.contractOwnerId, d: contractOutput(ctx, r) }));
    const plan = JSON.stringify(expired);
    const ids = JSON.stringify(ended.filter((e) => e.kind !== null).map(({ r }) => r.id));
    run.statements += 2;
    const [expiredEvents, settled] = await ctx.deps.database.batch([
      // the expired event only for a contract not settled yet: a second run finds it settled and adds nothing
      sql`insert into outbox_events (contract_owner_id, type, object_type, object_id, data, actor, created_at)
        select json_extract(p.value, '$.o'), ${CONTRACT_EVENTS.expired.type}, ${CONTRACT_EVENTS.expired.objectType}, c.id,
          json_extract(p.value, '$.d'), ${ctx.actor}, ${ctx.nowIso}
        from json_each(${plan}) p join customer_contracts c on c.id = json_extract(p.value, '$.id') and c.settled = 0`,
      // counted by the ids it returns (D1 counts the list generation its trigger raises among the changes)
      ctx.db
        .update(customerContracts)
        .set({ settled: true })
        .where(and(eq(customerContracts.settled, false), sql`${customerContracts.id} in (select value from json_each(${ids}))`))
        .returning({ id: customerContracts.id }),
    ]);
    // what this batch settled: a run at the same time may have settled some of them first
    const expiredNow = changesOf(expiredEvents);
    run.report.expired += expiredNow;
    run.report.terminated += Math.max(0, (settled as unknown[]).length - expiredNow);
    run.endChunk(rows.length);
  }
}

interface PlannedRenewal {
  o: number;
  n: number;
  p: number;
  r: number | null;
  ra: number;
  np: number;
  s: string;
  e: string;
  a: string;
  m: number;
  te: string;
  tt: string | null;
  td: string | null;
  nd: string | null;
  w: number;
}

interface RenewalEvent {
  n: number;
  w: number;
  d: unknown;
}

interface PlannedChunk {
  plans: PlannedRenewal[];
  events: RenewalEvent[];
}

/** Follows supersededBy so a renewal is signed on the current version of the rollover profile. */
async function currentProfile(ctx: Ctx, id: number) {
  for (let hops = 0; hops < 100; hops++) {
    const [p] = await ctx.db.all<{ id: number; contract_term: number; rollover_contract_profile_id: number | null; renewal_alert_days: number; notice_period_days: number; superseded_by_contract_profile_id: number | null }>(
      sql`select id, contract_term, rollover_contract_profile_id, renewal_alert_days, notice_period_days, superseded_by_contract_profile_id from contract_profiles where id = ${id}`,
    );
    if (!p) throw new Error(`rollover profile ${id} not found`);
    if (p.superseded_by_contract_profile_id === null) return p;
    id = p.superseded_by_contract_profile_id;
  }
  throw new Error(`rollover profile ${id} has too many versions`);
}

export async function planChunk(run: Run, rows: ContractWithTerms[]): Promise<PlannedChunk> {
  const ctx = run.ctx;
  await ctx.deps.owners.load(rows.map((r) => r.contractOwnerId), ctx.now);
  // reserved ids: concurrent runs get disjoint ranges, so an (old, new) pair in the database is always this run's own
  let id = await reserveIds(ctx.db, 'customer_contracts', rows.length);
  run.statements += 1;
  const plans: PlannedRenewal[] = [];
  const events: RenewalEvent[] = [];
  for (const r of rows) {
    try {
      let terms = {
        contractProfileId: r.rolloverContractProfileId!,
        contractTerm: r.rolloverTerm!,
        rolloverContractProfileId: r.rolloverNext,
        renewalAlertDays: r.rolloverAlertDays!,
        noticePeriodDays: r.rolloverNoticeDays!,
      };
      if (r.rolloverSupersededBy !== null || r.rolloverTerm === null) {
        const p = await currentProfile(ctx, r.rolloverContractProfileId!);
        terms = {
          contractProfileId: p.id,
          contractTerm: p.contract_term,
          rolloverContractProfileId: p.rollover_contract_profile_id,
          renewalAlertDays: p.renewal_alert_days,
          noticePeriodDays: p.notice_period_days,
        };
      }
      const source: RenewalSource = {
        startDate: r.startDate,
        endDate: r.endDate!,
        anchorDate: r.anchorDate,
        monthsFromAnchor: r.monthsFromAnchor,
        contractTerm: r.signedTerm,
        terminationType: r.terminationType,
        terminationDate: r.terminationDate,
        noticeDate: r.noticeDate,
      };
      const plan = planRenewal(source, terms);
      // defence in depth: a renewal must start after its predecessor ends and end no earlier than it starts
      // (at the calendar's end an end date clamps, and a chain that does not move forward would renew forever)
      if (!(plan.startDate > source.endDate && plan.endDate >= plan.startDate)) {
        throw new Error(`the renewal would not move forward (from ${plan.startDate} to ${plan.endDate}, after an end on ${source.endDate})`);
      }
      const newId = id++;
      const renewal: CustomerContractRow = {
        ...r,
        ...plan,
        id: newId,
        previousCustomerContractId: r.id,
        renewedCustomerContractId: null,
        earlyTerminationCharge: null,
        terminationReason: null,
        settled: false,
        createdDate: ctx.nowIso,
        updatedDate: ctx.nowIso,
        createdBy: ctx.actor,
        updatedBy: ctx.actor,
        version: 1,
      };
      plans.push({
        o: r.id,
        n: newId,
        p: plan.contractProfileId,
        r: plan.rolloverContractProfileId,
        ra: plan.renewalAlertDays,
        np: plan.noticePeriodDays,
        s: plan.startDate,
        e: plan.endDate,
        a: plan.anchorDate,
        m: plan.monthsFromAnchor,
        te: plan.termEndDate,
        tt: plan.terminationType,
        td: plan.terminationDate,
        nd: plan.noticeDate,
        w: r.contractOwnerId,
      });
      events.push({ n: newId, w: r.contractOwnerId, d: contractOutput(ctx, renewal) });
    } catch (error) {
      run.fail(r.id, 'renew', error);
    }
  }
  return { plans, events };
}

/** The statements renewing one chunk; every one after the insert touches only pairs actually inserted. */
export function renewalStatements(ctx: Ctx, { plans, events }: PlannedChunk): SQL[] {
  const plan = JSON.stringify(plans);
  // materialized: each CTE is computed once per statement, not once per row that refers to it; the
  // event data travels separately so the plan elements stay small to parse, and the statements after
  // the insert get only the (old, new) pairs (a twentieth of the plan's text to parse, each); the plan
  // elements are kept as JSONB, which the insert's fifteen json_extract calls read without parsing text
  const p = sql`plan as materialized (select json_extract(value, '$.o') as o, json_extract(value, '$.n') as n, jsonb(value) as v from json_each(${plan}))`;
  const pairs = sql`pairs as materialized (select value ->> 0 as o, value ->> 1 as n from json_each(${JSON.stringify(plans.map((x) => [x.o, x.n]))}))`;
  const done = sql`${pairs}, done as materialized (select pairs.* from pairs join customer_contracts nc on nc.id = pairs.n and nc.previous_customer_contract_id = pairs.o)`;
  const now = ctx.nowIso;
  const actor = ctx.actor;
  return [
    sql`with ${p}
      insert or ignore into customer_contracts (id, contract_owner_id, name, customer_id, site_id, contract_profile_id, start_date, end_date,
        billing_start_date, rollover_contract_profile_id, renewal_alert_days, notice_period_days, previous_customer_contract_id,
        anchor_date, months_from_anchor, term_end_date, termination_date, termination_type, notice_date,
        contract_number, value, notes, email, signed_date, external_ref, properties, settled,
        price_adaptation_id, price_adaptation_check_date,
        created_date, updated_date, created_by, updated_by, version)
      select plan.n, o.contract_owner_id, o.name, o.customer_id, o.site_id, json_extract(plan.v, '$.p'), json_extract(plan.v, '$.s'),
        json_extract(plan.v, '$.e'), json_extract(plan.v, '$.s'), json_extract(plan.v, '$.r'), json_extract(plan.v, '$.ra'),
        json_extract(plan.v, '$.np'), o.id, json_extract(plan.v, '$.a'), json_extract(plan.v, '$.m'), json_extract(plan.v, '$.te'),
        json_extract(plan.v, '$.td'), json_extract(plan.v, '$.tt'), json_extract(plan.v, '$.nd'),
        o.contract_number, o.value, o.notes, o.email, o.signed_date, null, o.properties, 0,
        o.price_adaptation_id, case when o.price_adaptation_id is null then null else json_extract(plan.v, '$.s') end,
        ${now}, ${now}, ${actor}, ${actor}, 1
      from plan join customer_contracts o on o.id = plan.o
      where o.renewed_customer_contract_id is null`,
    sql`with ${done}
      update customer_contracts set renewed_customer_contract_id = done.n,
        settled = 1, version = customer_contracts.version + 1, updated_date = ${now}, updated_by = ${actor}
      from done where customer_contracts.id = done.o and customer_contracts.renewed_customer_contract_id is null`,
    // the renewal takes over its predecessor's external reference (unique among current contracts)
    sql`with ${done}
      update customer_contracts set external_ref = o.external_ref
      from done join customer_contracts o on o.id = done.o
      where customer_contracts.id = done.n and o.external_ref is not null`,
    // active assignments move: copied inactive, the old ones deactivated, then the copies activated (one active per RPI)
    sql`with ${done}
      insert into customer_contract_assignments (contract_owner_id, customer_id, customer_contract_id, rental_product_inventory_id, active,
        created_date, updated_date, created_by, updated_by, version)
      select a.contract_owner_id, a.customer_id, done.n, a.rental_product_inventory_id, 0, ${now}, ${now}, ${actor}, ${actor}, 1
      from done join customer_contract_assignments a on a.customer_contract_id = done.o and a.active = 1`,
    sql`with ${done}
      update customer_contract_assignments set active = 0, version = version + 1, updated_date = ${now}, updated_by = ${actor}
      where active = 1 and customer_contract_id in (select o from done)`,
    sql`with ${done}
      update customer_contract_assignments set active = 1 where active = 0 and customer_contract_id in (select n from done)`,
    sql`with ${done}, e as materialized (select json_extract(value, '$.n') as n, value as v from json_each(${JSON.stringify(events)}))
      insert into outbox_events (contract_owner_id, type, object_type, object_id, data, actor, created_at)
      select json_extract(e.v, '$.w'), ${CONTRACT_EVENTS.renewed.type}, ${CONTRACT_EVENTS.renewed.objectType}, e.n,
        json_extract(e.v, '$.d'), ${actor}, ${now}
      from e join done on done.n = e.n`,
  ];
}

/**
 * How many contracts a batch of renewalStatements renewed: the events it wrote, one per
 * renewal (D1 counts the rows triggers write among an insert's changes, and the contract
 * insert raises the owner's list generation; outbox_events has no trigger).
 */
function renewedBy(results: readonly unknown[]): number {
  return changesOf(results[results.length - 1]);
}

/** Renews due contracts, chunk by chunk, until none is due (renewals that are themselves due renew in later chunks). */
async function renewDue(run: Run): Promise<void> {
  const ctx = run.ctx;
  while (run.canContinue()) {
    await run.startChunk();
    const selected = await select(run, sql`${DUE(run.today)} and c.rollover_contract_profile_id is not null`, true);
    const rows = selected.filter((r) => run.attempt(r.id, 'renew') && withinCatchUp(run, r.id));
    if (selected.length === 0) return;
    if (rows.length === 0) continue;
    const chunk = await planChunk(run, rows);
    if (chunk.plans.length === 0) continue;
    try {
      run.statements += 7;
      run.report.renewed += renewedBy(await ctx.deps.database.batch(renewalStatements(ctx, chunk)));
    } catch {
      // one bad contract must not block the others: apply the chunk one contract at a time
      for (const [i, plan] of chunk.plans.entries()) {
        try {
          run.statements += 7;
          run.report.renewed += renewedBy(await ctx.deps.database.batch(renewalStatements(ctx, { plans: [plan], events: [chunk.events[i]!] })));
        } catch (error) {
          run.fail(plan.o, 'renew', error);
        }
      }
    }
    // each chain's count moves to its newest contract
    for (const plan of chunk.plans) {
      run.only?.add(plan.n);
      run.chainRenewals.set(plan.n, (run.chainRenewals.get(plan.o) ?? 0) + 1);
      run.chainRenewals.delete(plan.o);
    }
    run.endChunk(rows.length);
  }
}

/** False (recorded as an error, the chain skipped for the rest of the run) once a chain has renewed MAX_RENEWALS_PER_CHAIN times in this run. */
function withinCatchUp(run: Run, id: number): boolean {
  if ((run.chainRenewals.get(id) ?? 0) < MAX_RENEWALS_PER_CHAIN) return true;
  run.fail(
    id,
    'renew',
    new Error(`its chain renewed ${MAX_RENEWALS_PER_CHAIN.toLocaleString('en')} times in this run; the rest of its catch-up is left to the next run`),
  );
  run.chainRenewals.delete(id);
  return false;
}

/** Renewal-alert and notice-period events, once per contract, kind and end date. */
async function sendAlerts(run: Run, kind: AlertKind): Promise<void> {
  const ctx = run.ctx;
  // the renewal alert's first day is stored (renewal_alert_start_date); the notice period's is worked out
  const started =
    kind === 'renewal_alert'
      ? sql`c.renewal_alert_start_date <= ${run.today.expr}`
      : sql`julianday(c.end_date) - c.notice_period_days <= julianday(${run.today.expr})`;
  const upper = kind === 'renewal_alert' ? sql` and c.end_date <= date(${run.today.max}, '+28 days')` : sql``;
  const where = sql`c.renewed_customer_contract_id is null and c.end_date >= ${run.today.min} and c.end_date >= ${run.today.expr}${upper}
    and ${started}
    and not exists (select 1 from contract_alerts x where x.customer_contract_id = c.id and x.kind = ${kind} and x.end_date = c.end_date)`;
  const type = `customer_contract.${kind}`;
  while (run.canContinue()) {
    await run.startChunk();
    const rows = (await select(run, where)).filter((r) => run.attempt(r.id, kind));
    if (rows.length === 0) return;
    await ctx.deps.owners.load(rows.map((r) => r.contractOwnerId), ctx.now);
    const due = rows.filter((r) => alertDue(kind, r, run.todayOf(r.contractOwnerId)));
    const plan = JSON.stringify(due.map((r) => ({ id: r.id, o: r.contractOwnerId, e: r.endDate, d: contractOutput(ctx, r) })));
    const all = JSON.stringify(rows.map((r) => ({ id: r.id, e: r.endDate })));
    run.statements += 2;
    const [inserted] = await ctx.deps.database.batch([
      sql`insert into outbox_events (contract_owner_id, type, object_type, object_id, data, actor, created_at)
        select json_extract(p.value, '$.o'), ${type}, 'customer_contract', json_extract(p.value, '$.id'), json_extract(p.value, '$.d'), ${ctx.actor}, ${ctx.nowIso}
        from json_each(${plan}) p
        where not exists (select 1 from contract_alerts x where x.customer_contract_id = json_extract(p.value, '$.id') and x.kind = ${kind} and x.end_date = json_extract(p.value, '$.e'))`,
      // selected contracts outside the window (a terminated one, say) are recorded too, so they are not selected again
      sql`insert or ignore into contract_alerts (customer_contract_id, kind, end_date, created_at)
        select json_extract(p.value, '$.id'), ${kind}, json_extract(p.value, '$.e'), ${ctx.nowIso} from json_each(${all}) p`,
    ]);
    // what this batch inserted: a run at the same time may have sent some of the same alerts first
    run.report.alerts[kind] += changesOf(inserted);
    run.endChunk(rows.length);
  }
}

/** Terminations due today, then renewals, then expiries, then price adaptation steps, then alerts. */
export async function runLifecycle(ctx: Ctx, options: LifecycleOptions): Promise<LifecycleReport> {
  const today: OwnerToday = options.asOf
    ? { expr: sql`${options.asOf}`, min: options.asOf, max: options.asOf }
    : await ownerToday(ctx, sql`c.contract_owner_id`);
  const run = new Run(ctx, options, today);
  const steps = new Set(options.steps ?? ['renew', 'price', 'alerts']);
  if (steps.has('renew')) {
    await settleEnded(run);
    await renewDue(run);
    await settleEnded(run);
  }
  if (steps.has('price')) await applyPriceAdaptations(run);
  if (steps.has('alerts')) {
    await sendAlerts(run, 'renewal_alert');
    await sendAlerts(run, 'notice_period');
  }
  if (run.only && run.report.outcome === 'PARTIAL') run.report.remaining = [...run.only];
  return run.report;
}
