/**
 * The lease on a subscription (compare-and-set on its row): one run at a time
 * sends to a subscription.
 */
import { and, eq, sql } from 'drizzle-orm';
import { webhookSubscriptions } from '../../db/schema';
import type { Run, Subscription } from './run';

export class LeaseLost extends Error {}

export type Claim = { claimed: true; subscription: Subscription; token: string } | { claimed: false };

/**
 * Takes the subscription for this run if no other run holds it. When another
 * run does, the same statement asks that run to walk the events once more
 * before letting go, so an event written while it was finishing is not left
 * for the next hourly run. Not claimed either when the subscription is gone (or
 * inactive, with `onlyActive`).
 */
export async function claim(run: Run, subscriptionId: number, onlyActive: boolean): Promise<Claim> {
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
export async function releaseUnlessRerun(run: Run, subscriptionId: number, token: string): Promise<Subscription | null> {
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

export async function release(run: Run, subscriptionId: number, token: string): Promise<void> {
  const s = webhookSubscriptions;
  await run.db
    .update(s)
    .set({ leaseToken: null, leaseExpiresAt: null })
    .where(and(eq(s.id, subscriptionId), eq(s.leaseToken, token)));
  run.count();
}
