/**
 * Webhook delivery: each active subscription walks its owner's outbox events
 * after its cursor, in order, one at a time. A success or a final failure moves
 * the cursor; a failed attempt schedules the next one and holds back everything
 * newer, so a receiver sees events in the order they happened and loses none
 * while it recovers within the retry schedule. A lease (compare-and-set on the
 * subscription row) keeps two runs — the hourly job and the run after a write —
 * from ever sending to one subscription at the same time.
 */
import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import type { Ctx, Deps } from '../../db/context';
import { outboxEvents, webhookDeliveries, webhookSubscriptions } from '../../db/schema';
import { toInstant } from '../../domain/dates';
import { ALL_EVENT_TYPES } from '../../domain/webhooks';
import { attemptAndRecord, failMissingEvent } from './attempts';
import { claim, LeaseLost, release, releaseUnlessRerun } from './lease';
import { type Delivery, type DeliveryOptions, type DeliveryReport, type OutboxEvent, Run, type Subscription } from './run';

const EVENT_CHUNK = 50;
const SUBSCRIPTION_CHUNK = 100;

/**
 * Delivers due outbox events to every active subscription (or one owner's).
 * `now` is epoch ms; attempts are stamped with `now` plus the real time the run has taken.
 */
export async function deliverWebhooks(deps: Deps, now: number, options: DeliveryOptions = {}): Promise<DeliveryReport> {
  const run = new Run(deps, now, options);
  let afterId = 0;
  for (;;) {
    if (!run.canAttempt()) break;
    const ids = await subscriptionsWithWork(run, options.ownerId, afterId);
    run.count();
    for (const id of ids) {
      if (!run.canAttempt()) break;
      await deliverSubscription(run, id);
    }
    if (ids.length < SUBSCRIPTION_CHUNK) break;
    afterId = ids[ids.length - 1]!;
  }
  run.report.complete = run.complete;
  return run.report;
}

/** Runs delivery for one owner after the response (waitUntil on the Worker): called after a write that emitted an event. */
export function deliverSoon(ctx: Ctx, ownerId: number): void {
  ctx.defer(deliverWebhooks(ctx.deps, ctx.deps.clock(), { ownerId }));
}

/** deliverSoon for every owner the caller acts for (after a job run on demand). */
export function deliverSoonForTenant(ctx: Ctx): void {
  if (ctx.tenant.owners === '*') ctx.defer(deliverWebhooks(ctx.deps, ctx.deps.clock()));
  else for (const ownerId of ctx.tenant.owners) deliverSoon(ctx, ownerId);
}

type WithWorkQuery = { all(placeholders: Record<string, unknown>): Promise<Array<{ id: number }>> };
const withWorkQueries = new WeakMap<Db, Map<boolean, WithWorkQuery>>();

/**
 * The query of subscriptionsWithWork, prepared once per database handle (with and
 * without an owner): it runs after every write that emitted an event.
 */
function withWorkQuery(db: Db, byOwner: boolean): WithWorkQuery {
  let queries = withWorkQueries.get(db);
  if (!queries) withWorkQueries.set(db, (queries = new Map()));
  let query = queries.get(byOwner);
  if (!query) {
    const s = webhookSubscriptions;
    query = db
      .select({ id: s.id })
      .from(s)
      .where(
        and(
          eq(s.active, true),
          byOwner ? eq(s.contractOwnerId, sql.placeholder('owner')) : undefined,
          gt(s.id, sql.placeholder('after')),
          sql`(
            exists (select 1 from webhook_deliveries d
                    where d.subscription_id = ${s.id} and d.status = 'PENDING' and d.next_attempt_at <= ${sql.placeholder('horizon')})
            or (not exists (select 1 from webhook_deliveries d where d.subscription_id = ${s.id} and d.status = 'PENDING')
                and exists (select 1 from outbox_events e
                            where e.contract_owner_id = ${s.contractOwnerId} and e.id > ${s.cursor}
                              and exists (select 1 from json_each(${s.eventTypes}) j where j.value = ${ALL_EVENT_TYPES} or j.value = e.type))))`,
        ),
      )
      .orderBy(asc(s.id))
      .limit(SUBSCRIPTION_CHUNK)
      .prepare() as unknown as WithWorkQuery;
    queries.set(byOwner, query);
  }
  return query;
}

/** Active subscriptions with a due head delivery or, with none waiting, a subscribed event after the cursor. */
async function subscriptionsWithWork(run: Run, ownerId: number | undefined, afterId: number): Promise<number[]> {
  const horizon = toInstant(run.clock() + run.maxWaitMs);
  const rows = await withWorkQuery(run.db, ownerId !== undefined).all({ owner: ownerId, after: afterId, horizon });
  return rows.map((r) => r.id);
}

async function deliverSubscription(run: Run, subscriptionId: number): Promise<void> {
  const claimed = await claim(run, subscriptionId, true);
  if (!claimed.claimed) {
    run.report.busy++;
    return;
  }
  const { token } = claimed;
  let subscription: Subscription | null = claimed.subscription;
  run.report.subscriptions++;
  try {
    while (subscription?.active) {
      await walkEvents(run, subscription, token);
      if (!run.canAttempt()) break;
      subscription = await releaseUnlessRerun(run, subscriptionId, token);
    }
  } catch (error) {
    // a subscription that fails (deleted mid-run, bad data) is reported and never blocks the others
    const message = error instanceof LeaseLost ? 'the subscription was deleted, or another run took it over' : String(error);
    run.report.errors.push({ subscriptionId, error: message });
    run.deps.log({ level: 'error', msg: 'webhook delivery failed', subscriptionId, error: message });
  } finally {
    if (subscription) await release(run, subscriptionId, token).catch(() => undefined);
  }
}

async function walkEvents(run: Run, subscription: Subscription, token: string): Promise<void> {
  let cursor = subscription.cursor;
  const [pending] = await run.db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.subscriptionId, subscription.id), eq(webhookDeliveries.status, 'PENDING')))
    .orderBy(asc(webhookDeliveries.eventId))
    .limit(1);
  run.count();
  if (pending) {
    const [event] = await run.db.select().from(outboxEvents).where(eq(outboxEvents.id, pending.eventId));
    run.count();
    const settled = event
      ? await attemptWhileDue(run, subscription, token, event, pending)
      : await failMissingEvent(run, subscription, token, pending);
    if (!settled) return;
    cursor = Math.max(cursor, pending.eventId);
  }

  const types = subscription.eventTypes;
  for (;;) {
    if (!run.canAttempt()) return;
    const events = await run.db
      .select()
      .from(outboxEvents)
      .where(
        and(
          eq(outboxEvents.contractOwnerId, subscription.contractOwnerId),
          gt(outboxEvents.id, cursor),
          types.includes(ALL_EVENT_TYPES) ? undefined : inArray(outboxEvents.type, types),
        ),
      )
      .orderBy(asc(outboxEvents.id))
      .limit(EVENT_CHUNK);
    run.count();
    for (const event of events) {
      if (!run.canAttempt()) return;
      if (!(await attemptWhileDue(run, subscription, token, event, null))) return;
      cursor = event.id;
    }
    if (events.length < EVENT_CHUNK) return;
  }
}

/**
 * Attempts the head event while its attempt is due (waiting for a retry that
 * falls due within maxWaitMs). True when the delivery is settled (succeeded or
 * failed for good) and the walk may go on; false when it waits for a later run.
 */
async function attemptWhileDue(run: Run, subscription: Subscription, token: string, event: OutboxEvent, delivery: Delivery | null): Promise<boolean> {
  let attemptCount = delivery?.attemptCount ?? 0;
  let nextAttemptAt = delivery?.nextAttemptAt ? Date.parse(delivery.nextAttemptAt) : run.clock();
  for (;;) {
    const wait = nextAttemptAt - run.clock();
    if (wait > 0) {
      if (wait > run.maxWaitMs || run.elapsed() + wait >= run.budgetMs) return false;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    if (!run.canAttempt()) return false;
    const outcome = await attemptAndRecord(run, subscription, token, event, attemptCount, 'SCHEDULED');
    if (outcome.status !== 'PENDING') return true;
    attemptCount++;
    nextAttemptAt = outcome.nextAttemptAt;
  }
}
