/** A manual retry of one delivery (POST …/deliveries/{id}/retry). */
import { eq } from 'drizzle-orm';
import type { Deps } from '../../db/context';
import { outboxEvents, webhookDeliveries } from '../../db/schema';
import { attemptAndRecord, failMissingEvent, record } from './attempts';
import { claim, release, releaseUnlessRerun } from './lease';
import { type Delivery, Run } from './run';
import { send } from './send';

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
