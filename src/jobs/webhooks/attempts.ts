/** One attempt of an event: sent, then recorded with the delivery's new state and the cursor, behind the lease. */
import { and, eq, sql } from 'drizzle-orm';
import { abortUnlessChanged, isGuardAbort, type Statement } from '../../db/client';
import { webhookDeliveries, webhookSubscriptions } from '../../db/schema';
import { toInstant } from '../../domain/dates';
import { type AttemptTrigger, deliveryOutcome } from '../../domain/webhooks';
import { LeaseLost } from './lease';
import type { Delivery, OutboxEvent, Run, Subscription } from './run';
import { type AttemptResult, send } from './send';

/** One attempt of the head event, recorded with the cursor move (if it settled) behind the lease. */
export async function attemptAndRecord(run: Run, subscription: Subscription, token: string, event: OutboxEvent, priorAttempts: number, trigger: AttemptTrigger) {
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
export async function record(run: Run, subscriptionId: number, token: string, cursorTo: number | null, event: OutboxEvent, r: Recorded): Promise<void> {
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
export async function failMissingEvent(run: Run, subscription: Subscription, token: string, delivery: Delivery): Promise<boolean> {
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
