/**
 * The hourly run fanned out into work items (the Worker: through a Cloudflare
 * Queue, so a month-end is not bound by one invocation's 1,000 D1 queries).
 *
 * planHourly only finds what is due — the due contracts of every owner, in pages
 * along the end-date index, cut into items of at most ITEM_SIZE contracts of one
 * owner; the contracts with a price adaptation step due; one alerts item per
 * owner — records a RUNNING job run whose report lists every item as pending,
 * and hands the items to `deps.work`. runWorkItem runs one item with the same job
 * functions the in-process run uses (runLifecycle restricted to the item's
 * contracts and owner, deliverWebhooks for an owner) within a statement budget.
 *
 * Exactly once: the lifecycle's own guards (the unique predecessor index, the
 * applied-steps index, the alert records) make a second run of an item change
 * nothing; the item's pending key in the run's report is removed by the same
 * statement that adds its counts, so a re-delivered item is not counted twice.
 */
import { sql } from 'drizzle-orm';
import { ctxFor, type Deps, deferLoggingFailures, systemCtx, type WorkItem } from '../db/context';
import { jobRuns } from '../db/schema';
import { ownerToday } from '../db/today';
import { toInstant } from '../domain/dates';
import { DUE, type LifecycleReport, type LifecycleStep, runLifecycle } from './lifecycle';
import { purgeIdempotencyKeys } from './maintenance';
import { startRun, type Trigger } from './runs';
import { deliverWebhooks } from './webhooks/delivery';

/** Contracts per item: renewing 1,000 takes about 50 statements (chunks of 200), so several items fit one invocation. */
export const ITEM_SIZE = 1000;
/** Contracts read per page while planning. */
const PAGE = 5000;
/** A queued run is taken to be alive this long after its last item (renewed by every item recorded). */
const QUEUED_RUN_LEASE_MS = 30 * 60_000;
const STEPS: Record<'renew' | 'price-adapt' | 'alerts', LifecycleStep[]> = {
  // the alerts of the renewals it makes too (their renewal-alert window has often begun): at month-end these are
  // nearly all of the owner's alerts, sent by the items in parallel rather than by the owner's one alerts item
  renew: ['renew', 'price', 'alerts'],
  'price-adapt': ['price'],
  alerts: ['alerts'],
};

/** Finds what is due, records the run with its items pending, and hands the items to the work queue. */
export async function planHourly(deps: Deps, now: number, trigger: Trigger = 'cron'): Promise<Record<string, unknown>> {
  const ctx = systemCtx(deps, now, 'system:lifecycle');
  const { run, abandonedRuns } = await startRun(ctx, { trigger, owners: ['*'], leaseMs: QUEUED_RUN_LEASE_MS, report: { queued: true } });
  const runId = run.id;
  const items: WorkItem[] = [];
  const add = (item: Omit<WorkItem, 'runId' | 'seq'>) => items.push({ ...item, runId, seq: items.length });
  const today = await ownerToday(ctx, sql`c.contract_owner_id`);
  await collect(ctx.db, sql`c.settled = 0 and ${DUE(today)}`, sql`c.end_date`, (ownerId, ids) => add({ kind: 'renew', ownerId, ids }));
  await collect(
    ctx.db,
    sql`c.price_adaptation_check_date is not null and c.price_adaptation_check_date <= ${today.max} and c.price_adaptation_check_date <= ${today.expr}`,
    sql`c.price_adaptation_check_date`,
    (ownerId, ids) => add({ kind: 'price-adapt', ownerId, ids }),
  );
  for (const owner of await deps.owners.all(now)) add({ kind: 'alerts', ownerId: owner.id });
  const pending = Object.fromEntries(items.map((i) => [`s${i.seq}`, 1]));
  const report = { queued: true, items: items.length, pending, ...(abandonedRuns.length ? { abandonedRuns } : {}) };
  await ctx.db
    .update(jobRuns)
    .set(
      items.length
        ? { report }
        : { report, outcome: 'COMPLETED', finishedAt: toInstant(deps.clock()), leaseExpiresAt: null, version: 2 },
    )
    .where(sql`${jobRuns.id} = ${runId}`);
  const maintenance = await purgeIdempotencyKeys(deps, now);
  // delivery of what the items write is asked for by the items; this one delivers what was waiting
  await deps.work.send([...items, { kind: 'deliver-webhooks' }]);
  return { runId, items: items.length, contracts: items.reduce((n, i) => n + (i.ids?.length ?? 0), 0), maintenance };
}

/** Pages through the contracts matching `where` in `order`, handing on each owner's ids in items of ITEM_SIZE. */
async function collect(db: Deps['database']['db'], where: ReturnType<typeof sql>, order: ReturnType<typeof sql>, emit: (ownerId: number, ids: number[]) => void) {
  const buffers = new Map<number, number[]>();
  let after: [string, number] | undefined;
  for (;;) {
    const rows = await db.values<[number, number, string]>(sql`
      select c.id, c.contract_owner_id, ${order} from customer_contracts c
      where ${where}${after ? sql` and (${order}, c.id) > (${after[0]}, ${after[1]})` : sql``}
      order by ${order}, c.id limit ${PAGE}`);
    for (const [id, ownerId] of rows) {
      let ids = buffers.get(ownerId);
      if (!ids) buffers.set(ownerId, (ids = []));
      ids.push(id);
      if (ids.length === ITEM_SIZE) {
        emit(ownerId, ids);
        buffers.delete(ownerId);
      }
    }
    if (rows.length < PAGE) break;
    const last = rows[rows.length - 1]!;
    after = [last[2], last[0]];
  }
  for (const [ownerId, ids] of buffers) emit(ownerId, ids);
}

export interface WorkResult {
  /** false: the budget ran out; `next` carries on where it stopped */
  complete: boolean;
  next?: WorkItem;
  /** an owner whose outbox has new events (delivery to ask for) */
  eventsFor?: number;
  statements: number;
}

/** Runs one item within `statementBudget` statements. Throws on a failure of the item (the queue retries it). */
export async function runWorkItem(deps: Deps, item: WorkItem, statementBudget: number, now = deps.clock()): Promise<WorkResult> {
  if (item.kind === 'deliver-webhooks') {
    const report = await deliverWebhooks(deps, now, { ownerId: item.ownerId, maxStatements: statementBudget, budgetMs: 5 * 60_000 });
    return { complete: report.complete, statements: 0, ...(report.complete ? {} : { next: item }) };
  }
  const ownerId = item.ownerId!;
  const ctx = ctxFor(deps, { tenant: { owners: [ownerId] }, scopes: new Set(['*']), actor: 'system:lifecycle' }, `job-${item.runId}-${item.seq}`, deferLoggingFailures(deps), now);
  const report = await runLifecycle(ctx, {
    statementBudget,
    chunkSize: 200,
    budgetMs: 60_000,
    ...(item.ids ? { only: item.ids } : {}),
    steps: STEPS[item.kind],
  });
  const wrote = report.renewed + report.expired + report.priceAdapted + report.alerts.renewal_alert + report.alerts.notice_period > 0;
  const eventsFor = wrote ? { eventsFor: ownerId } : {};
  if (report.outcome === 'PARTIAL') {
    // what it did so far is counted when the item completes: its continuation counts only what it does itself
    await recordItem(deps, item, report, false);
    return { complete: false, next: { ...item, ...(report.remaining ? { ids: report.remaining } : {}) }, statements: 0, ...eventsFor };
  }
  await recordItem(deps, item, report, true);
  return { complete: true, statements: 0, ...eventsFor };
}

/**
 * Adds an item's counts to its run; `done` also takes the item off the run's pending list (the
 * last one finishes the run). Guarded by the pending key: an item recorded once is not counted again.
 */
async function recordItem(deps: Deps, item: WorkItem, report: LifecycleReport, done: boolean): Promise<void> {
  if (item.runId === undefined) return;
  const key = `$.pending.s${item.seq}`;
  const errors = report.errors.slice(0, 10);
  const now = deps.clock();
  const last = sql`(select count(*) from json_each(job_runs.report, '$.pending')) = 1`;
  await deps.database.db.run(sql`
    update job_runs set renewed = renewed + ${report.renewed}, expired = expired + ${report.expired},
      terminated = terminated + ${report.terminated}, alerts = alerts + ${report.alerts.renewal_alert + report.alerts.notice_period},
      errors = errors + ${report.errors.length},
      ${done ? sql`outcome = case when ${last} then case when coalesce(report ->> '$.failedItems', 0) > 0 then 'FAILED' else 'COMPLETED' end else outcome end,
        finished_at = case when ${last} then ${toInstant(now)} else finished_at end,
        lease_expires_at = case when ${last} then null else ${now + QUEUED_RUN_LEASE_MS} end,` : sql`lease_expires_at = ${now + QUEUED_RUN_LEASE_MS},`}
      report = json_set(${done ? sql`json_remove(report, ${key})` : sql`report`},
        '$.priceAdapted', coalesce(report ->> '$.priceAdapted', 0) + ${report.priceAdapted}${
          errors.length ? sql`, ${`$.errorsByItem.s${item.seq}`}, json(${JSON.stringify(errors)})` : sql``})
    where id = ${item.runId} and outcome = 'RUNNING' and json_type(report, ${key}) is not null`);
}

/** An item that kept failing (dead-lettered): taken off its run's pending list as failed, so the run ends FAILED. */
export async function recordFailedItem(deps: Deps, item: WorkItem, error: string): Promise<void> {
  if (item.runId === undefined) {
    deps.log({ level: 'error', msg: 'work item failed', item: { kind: item.kind, ownerId: item.ownerId }, error });
    return;
  }
  const key = `$.pending.s${item.seq}`;
  const now = deps.clock();
  const last = sql`(select count(*) from json_each(job_runs.report, '$.pending')) = 1`;
  await deps.database.db.run(sql`
    update job_runs set errors = errors + 1,
      outcome = case when ${last} then 'FAILED' else outcome end,
      finished_at = case when ${last} then ${toInstant(now)} else finished_at end,
      lease_expires_at = case when ${last} then null else ${now + QUEUED_RUN_LEASE_MS} end,
      report = json_set(json_remove(report, ${key}), '$.failedItems', coalesce(report ->> '$.failedItems', 0) + 1,
        ${`$.failures.s${item.seq}`}, json_object('kind', ${item.kind}, 'ownerId', ${item.ownerId ?? null}, 'error', ${error}))
    where id = ${item.runId} and outcome = 'RUNNING' and json_type(report, ${key}) is not null`);
}
