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
import type { Ctx, Deps } from '../db/context';
import { abortUnlessChanged, type Db, isGuardAbort, type Statement } from '../db/client';
import { outboxEvents, webhookDeliveries, webhookSubscriptions } from '../db/schema';
import { toInstant } from '../domain/dates';
import { webhookBody, webhookHeaders } from '../domain/webhook-signing';
import { ALL_EVENT_TYPES, type AttemptTrigger, deliveryOutcome, isSuccessStatus, webhookMessageId } from '../domain/webhooks';

export type Subscription = typeof webhookSubscriptions.$inferSelect;
export type Delivery = typeof webhookDeliveries.$inferSelect;
type OutboxEvent = typeof outboxEvents.$inferSelect;

/** One attempt waits at most this long for the receiver's response. */
export const ATTEMPT_TIMEOUT_MS = 10_000;
/** after a write the Worker keeps waitUntil work alive for 30 s: the budget plus one last attempt fits */
const DEFAULT_BUDGET_MS = 15_000;
/** D1 allows 1,000 statements per invocation; leave room for the rest of the request or job */
const DEFAULT_MAX_STATEMENTS = 500;
/** a retry due this soon (the first one, 5 s) is awaited within the run rather than left to the next run */
const DEFAULT_MAX_WAIT_MS = 6_000;
/** statements one attempt costs at most: the event read plus the recording batch */
const STATEMENTS_PER_ATTEMPT = 5;
const EVENT_CHUNK = 50;
const SUBSCRIPTION_CHUNK = 100;
const RESPONSE_SNIPPET_BYTES = 1024;
const USER_AGENT = 'Tenor-Webhooks/1';

export interface DeliveryOptions {
  /** only this owner's subscriptions (the run after a write) */
  ownerId?: number;
  /** stop starting new attempts after this much real time */
  budgetMs?: number;
  maxStatements?: number;
  /** await a retry falling due within this many ms instead of leaving it to the next run (0: never wait) */
  maxWaitMs?: number;
}

export interface DeliveryReport {
  /** subscriptions this run worked on */
  subscriptions: number;
  /** subscriptions another run was sending to */
  busy: number;
  attempts: number;
  succeeded: number;
  /** deliveries that used their last attempt in this run */
  failed: number;
  /** failed attempts with another one scheduled */
  retrying: number;
  errors: Array<{ subscriptionId: number; error: string }>;
  /** false when the time or statement budget stopped the run; the next run carries on */
  complete: boolean;
}

interface AttemptResult {
  succeeded: boolean;
  statusCode: number | null;
  error: string | null;
  responseBody: string | null;
  durationMs: number;
}

class LeaseLost extends Error {}

/** The limits and the clock of one run. The clock is `now` advanced by the real time spent, so tests can pass any `now`. */
class Run {
  private readonly started = Date.now();
  statements = 0;
  complete = true;
  readonly report: DeliveryReport = { subscriptions: 0, busy: 0, attempts: 0, succeeded: 0, failed: 0, retrying: 0, errors: [], complete: true };
  readonly budgetMs: number;
  readonly maxStatements: number;
  readonly maxWaitMs: number;

  constructor(
    readonly deps: Deps,
    readonly now: number,
    options: DeliveryOptions,
  ) {
    this.budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
    this.maxStatements = options.maxStatements ?? DEFAULT_MAX_STATEMENTS;
    this.maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  }

  get db(): Db {
    return this.deps.database.db;
  }

  elapsed(): number {
    return Date.now() - this.started;
  }

  clock(): number {
    return this.now + this.elapsed();
  }

  /** Longer than any run can hold it (budget + a last attempt + a wait), so only a crashed run's lease ever expires. */
  leaseMs(): number {
    return this.budgetMs + ATTEMPT_TIMEOUT_MS + this.maxWaitMs + 60_000;
  }

  count(statements = 1): void {
    this.statements += statements;
  }

  /** Room for one more attempt (and the lease release after it); otherwise the run is marked incomplete. */
  canAttempt(): boolean {
    const ok = this.elapsed() < this.budgetMs && this.statements + STATEMENTS_PER_ATTEMPT + 1 <= this.maxStatements;
    if (!ok) this.complete = false;
    return ok;
  }
}

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

/** Active subscriptions with a due head delivery or, with none waiting, a subscribed event after the cursor. */
async function subscriptionsWithWork(run: Run, ownerId: number | undefined, afterId: number): Promise<number[]> {
  const s = webhookSubscriptions;
  const horizon = toInstant(run.clock() + run.maxWaitMs);
  const rows = await run.db
    .select({ id: s.id })
    .from(s)
    .where(
      and(
        eq(s.active, true),
        ownerId === undefined ? undefined : eq(s.contractOwnerId, ownerId),
        gt(s.id, afterId),
        sql`(
          exists (select 1 from webhook_deliveries d
                  where d.subscription_id = ${s.id} and d.status = 'PENDING' and d.next_attempt_at <= ${horizon})
          or (not exists (select 1 from webhook_deliveries d where d.subscription_id = ${s.id} and d.status = 'PENDING')
              and exists (select 1 from outbox_events e
                          where e.contract_owner_id = ${s.contractOwnerId} and e.id > ${s.cursor}
                            and exists (select 1 from json_each(${s.eventTypes}) j where j.value = ${ALL_EVENT_TYPES} or j.value = e.type))))`,
      ),
    )
    .orderBy(asc(s.id))
    .limit(SUBSCRIPTION_CHUNK);
  return rows.map((r) => r.id);
}

type Claim = { claimed: true; subscription: Subscription; token: string } | { claimed: false };

/**
 * Takes the subscription for this run if no other run holds it. When another
 * run does, the same statement asks that run to walk the events once more
 * before letting go, so an event written while it was finishing is not left
 * for the next hourly run. Not claimed either when the subscription is gone (or
 * inactive, with `onlyActive`).
 */
async function claim(run: Run, subscriptionId: number, onlyActive: boolean): Promise<Claim> {
  const s = webhookSubscriptions;
  const token = crypto.randomUUID();
  const at = run.clock();
  const free = sql`(${s.leaseExpiresAt} is null or ${s.leaseExpiresAt} <= ${at})`;
  const [subscription] = await run.db
    .update(s)
    .set({
      leaseToken: sql`case when ${free} then ${token} else ${s.leaseToken} end`,
      leaseExpiresAt: sql`case when ${free} then ${at + run.leaseMs()} else ${s.leaseExpiresAt} end`,
      rerunRequested: sql`case when ${free} then 0 else 1 end`,
    })
    .where(and(eq(s.id, subscriptionId), onlyActive ? eq(s.active, true) : undefined))
    .returning();
  run.count();
  return subscription?.leaseToken === token ? { claimed: true, subscription, token } : { claimed: false };
}

/** Lets go of the subscription unless another run asked for one more walk; then returns it, still held. */
async function releaseUnlessRerun(run: Run, subscriptionId: number, token: string): Promise<Subscription | null> {
  const s = webhookSubscriptions;
  const [row] = await run.db
    .update(s)
    .set({
      leaseToken: sql`case when ${s.rerunRequested} then ${s.leaseToken} else null end`,
      leaseExpiresAt: sql`case when ${s.rerunRequested} then ${s.leaseExpiresAt} else null end`,
      rerunRequested: false,
    })
    .where(and(eq(s.id, subscriptionId), eq(s.leaseToken, token)))
    .returning();
  run.count();
  return row?.leaseToken === token ? row : null;
}

async function release(run: Run, subscriptionId: number, token: string): Promise<void> {
  const s = webhookSubscriptions;
  await run.db
    .update(s)
    .set({ leaseToken: null, leaseExpiresAt: null })
    .where(and(eq(s.id, subscriptionId), eq(s.leaseToken, token)));
  run.count();
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

/** One attempt of the head event, recorded with the cursor move (if it settled) behind the lease. */
async function attemptAndRecord(run: Run, subscription: Subscription, token: string, event: OutboxEvent, priorAttempts: number, trigger: AttemptTrigger) {
  const attemptAt = run.clock();
  const result = await send(run.deps, subscription, event, attemptAt);
  const attemptNumber = priorAttempts + 1;
  const outcome = deliveryOutcome(attemptNumber, result.succeeded, attemptAt);
  const settled = outcome.status !== 'PENDING';
  await record(run, subscription.id, token, settled ? event.id : null, event, {
    attemptNumber,
    status: outcome.status,
    nextAttemptAt: outcome.nextAttemptAt === null ? null : toInstant(outcome.nextAttemptAt),
    attemptAt,
    result,
    trigger,
  });
  run.report.attempts++;
  if (outcome.status === 'SUCCEEDED') run.report.succeeded++;
  else if (outcome.status === 'FAILED') run.report.failed++;
  else run.report.retrying++;
  return outcome;
}

interface Recorded {
  attemptNumber: number;
  status: Delivery['status'];
  nextAttemptAt: string | null;
  attemptAt: number;
  result: AttemptResult;
  trigger: AttemptTrigger;
}

/** The attempt, the delivery's new state and the cursor in one batch, written only while this run holds the lease. */
async function record(run: Run, subscriptionId: number, token: string, cursorTo: number | null, event: OutboxEvent, r: Recorded): Promise<void> {
  const s = webhookSubscriptions;
  const d = webhookDeliveries;
  const at = toInstant(r.attemptAt);
  const statements: Statement[] = [
    run.db
      .update(s)
      .set(cursorTo === null ? { leaseToken: token } : { cursor: sql`max(${s.cursor}, ${cursorTo})` })
      .where(and(eq(s.id, subscriptionId), eq(s.leaseToken, token))),
    abortUnlessChanged(),
    run.db
      .insert(d)
      .values({
        contractOwnerId: event.contractOwnerId,
        subscriptionId,
        eventId: event.id,
        eventType: event.type,
        status: r.status,
        attemptCount: r.attemptNumber,
        lastStatusCode: r.result.statusCode,
        lastError: r.result.error,
        lastAttemptAt: at,
        nextAttemptAt: r.nextAttemptAt,
        createdDate: at,
        updatedDate: at,
      })
      .onConflictDoUpdate({
        target: [d.subscriptionId, d.eventId],
        set: {
          status: r.status,
          attemptCount: r.attemptNumber,
          lastStatusCode: r.result.statusCode,
          lastError: r.result.error,
          lastAttemptAt: at,
          nextAttemptAt: r.nextAttemptAt,
          updatedDate: at,
        },
      }),
    sql`insert into webhook_delivery_attempts
          (delivery_id, attempt_number, "trigger", attempted_at, status_code, error, response_body, duration_ms)
        values ((select id from webhook_deliveries where subscription_id = ${subscriptionId} and event_id = ${event.id}),
          ${r.attemptNumber}, ${r.trigger}, ${at}, ${r.result.statusCode}, ${r.result.error}, ${r.result.responseBody}, ${r.result.durationMs})`,
  ];
  run.count(statements.length);
  try {
    await run.deps.database.batch(statements);
  } catch (error) {
    if (isGuardAbort(error)) throw new LeaseLost();
    throw error;
  }
}

/** A waiting delivery whose event is gone cannot be sent: it fails for good so the subscription moves on. */
async function failMissingEvent(run: Run, subscription: Subscription, token: string, delivery: Delivery): Promise<boolean> {
  const at = toInstant(run.clock());
  const s = webhookSubscriptions;
  const statements: Statement[] = [
    run.db
      .update(s)
      .set({ cursor: sql`max(${s.cursor}, ${delivery.eventId})` })
      .where(and(eq(s.id, subscription.id), eq(s.leaseToken, token))),
    abortUnlessChanged(),
    run.db
      .update(webhookDeliveries)
      .set({ status: 'FAILED', nextAttemptAt: null, lastError: 'the event no longer exists', updatedDate: at })
      .where(eq(webhookDeliveries.id, delivery.id)),
  ];
  run.count(statements.length);
  await run.deps.database.batch(statements);
  run.report.failed++;
  return true;
}

/** `busy`: a run holds the subscription; `rerun`: a run asked for the events to be walked again (start one). */
export type RetryResult = { busy: true } | { busy: false; delivery: Delivery; rerun: boolean };

/**
 * Sends one delivery again now (POST …/deliveries/{id}/retry). A delivery
 * waiting for its next try takes that try now (success moves the subscription
 * on); a succeeded or failed one is sent once more and becomes SUCCEEDED if the
 * receiver accepts it, otherwise keeps its status. Busy when a run holds the
 * subscription, so the same event is never sent twice at once.
 */
export async function retryDelivery(deps: Deps, now: number, subscriptionId: number, deliveryId: number): Promise<RetryResult> {
  const run = new Run(deps, now, { maxWaitMs: 0 });
  const claimed = await claim(run, subscriptionId, false);
  if (!claimed.claimed) return { busy: true };
  const { subscription, token } = claimed;
  try {
    const [delivery] = await run.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId));
    if (!delivery || delivery.subscriptionId !== subscriptionId) throw new Error(`delivery ${deliveryId} is not of subscription ${subscriptionId}`);
    const [event] = await run.db.select().from(outboxEvents).where(eq(outboxEvents.id, delivery.eventId));
    if (!event) {
      if (delivery.status === 'PENDING') await failMissingEvent(run, subscription, token, delivery);
    } else if (delivery.status === 'PENDING') {
      await attemptAndRecord(run, subscription, token, event, delivery.attemptCount, 'MANUAL');
    } else {
      const attemptAt = run.clock();
      const result = await send(deps, subscription, event, attemptAt);
      await record(run, subscription.id, token, null, event, {
        attemptNumber: delivery.attemptCount + 1,
        status: result.succeeded ? 'SUCCEEDED' : delivery.status,
        nextAttemptAt: null,
        attemptAt,
        result,
        trigger: 'MANUAL',
      });
    }
    const [updated] = await run.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId));
    const rerun = (await releaseUnlessRerun(run, subscriptionId, token)) !== null;
    return { busy: false, delivery: updated!, rerun };
  } finally {
    // a no-op when already released above
    await release(run, subscriptionId, token).catch(() => undefined);
  }
}

/** One signed POST of the event; never throws. */
async function send(deps: Deps, subscription: Subscription, event: OutboxEvent, attemptAt: number): Promise<AttemptResult> {
  const body = webhookBody(event.type, event.createdAt, event.data);
  const started = Date.now();
  try {
    const headers = await webhookHeaders(subscription.secret, webhookMessageId(event.id, subscription.id), attemptAt, body);
    const response = await deps.fetch(subscription.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT, ...headers },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
    });
    const responseBody = await readSnippet(response);
    const succeeded = isSuccessStatus(response.status);
    return {
      succeeded,
      statusCode: response.status,
      error: succeeded ? null : `the receiver answered ${response.status}`,
      responseBody,
      durationMs: Date.now() - started,
    };
  } catch (error) {
    return { succeeded: false, statusCode: null, error: describeFailure(error), responseBody: null, durationMs: Date.now() - started };
  }
}

function describeFailure(error: unknown): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no response within ${ATTEMPT_TIMEOUT_MS / 1000} s`;
  const cause = e?.cause?.code ?? e?.cause?.message;
  return `request failed: ${e?.message ?? String(error)}${cause ? ` (${cause})` : ''}`.slice(0, 500);
}

/** The start of the response body (kept for diagnosis); the rest is discarded unread. */
async function readSnippet(response: Response): Promise<string | null> {
  if (!response.body) return null;
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < RESPONSE_SNIPPET_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // a body cut off by the timeout still tells something
  } finally {
    reader.cancel().catch(() => undefined);
  }
  const bytes = new Uint8Array(Math.min(size, RESPONSE_SNIPPET_BYTES));
  let offset = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, bytes.length - offset);
    bytes.set(part, offset);
    offset += part.length;
    if (offset >= bytes.length) break;
  }
  const text = new TextDecoder().decode(bytes);
  return text === '' ? null : text;
}
