/**
 * Webhook subscriptions of a contract owner and the history of their deliveries.
 * Sending (and retrying) a delivery is the delivery job's (jobs/webhooks/).
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Ctx } from '../db/context';
import { inList } from '../db/client';
import { findOr404, pickFields, queryPage, requireOwner, tableService } from '../db/crud';
import { compileWhere, type QuerySpec } from '../db/query';
import { webhookDeliveries, webhookDeliveryAttempts, webhookSubscriptions } from '../db/schema';
import { generateWebhookSecret } from '../domain/webhook-signing';
import { webhookMessageId } from '../domain/webhooks';
import { notFound } from '../errors';
import type { ListQuery } from '../list-query';


export interface WebhookSubscriptionInput {
  contractOwnerId: number;
  url: string;
  /** known event types, or ['*'] for all */
  eventTypes: string[];
  active: boolean;
  description?: string | null;
}

export type WebhookSubscriptionRow = typeof webhookSubscriptions.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;

/** The public fields, in the order they have always been rendered; the secret is shown only by create. */
const FIELDS = [
  'id',
  'contractOwnerId',
  'url',
  'eventTypes',
  'active',
  'description',
  'createdDate',
  'updatedDate',
  'createdBy',
  'updatedBy',
  'version',
] as const satisfies readonly (keyof WebhookSubscriptionRow)[];

export const webhookSubscriptionService = tableService<WebhookSubscriptionRow, Record<string, unknown>, WebhookSubscriptionInput>({
  singular: 'webhook subscription',
  table: webhookSubscriptions,
  ownerColumn: webhookSubscriptions.contractOwnerId,
  ownerOf: (r) => r.contractOwnerId,
  query: {
    filters: {
      id: { type: 'id', column: webhookSubscriptions.id },
      contractOwnerId: { type: 'id', column: webhookSubscriptions.contractOwnerId },
      url: { type: 'string', column: webhookSubscriptions.url },
      active: { type: 'boolean', column: webhookSubscriptions.active },
    },
    sorts: { id: webhookSubscriptions.id, url: webhookSubscriptions.url, createdDate: webhookSubscriptions.createdDate },
  },
  async toInsert(ctx, input) {
    await requireOwner(ctx, input.contractOwnerId);
    return {
      ...input,
      description: input.description ?? null,
      secret: generateWebhookSecret(),
      // starts after the newest event: a new subscription receives what happens from now on, not history
      cursor: sql`(select coalesce(max(id), 0) from outbox_events)`,
    };
  },
  toOutput: pickFields(FIELDS),
});

/** The subscription, or 404 when it does not exist or is not visible. */
export function findWebhookSubscription(ctx: Ctx, id: number): Promise<WebhookSubscriptionRow> {
  return findOr404<WebhookSubscriptionRow>(webhookSubscriptionService as never, ctx, id);
}

const d = webhookDeliveries;

/** The filters and sorts of a subscription's delivery list. */
export const webhookDeliveryQuery: QuerySpec = {
  filters: {
    id: { type: 'id', column: d.id },
    eventId: { type: 'id', column: d.eventId },
    eventType: { type: 'string', column: d.eventType },
    status: { type: 'string', column: d.status, description: 'PENDING, SUCCEEDED or FAILED' },
    lastStatusCode: { type: 'number', column: d.lastStatusCode },
    lastAttemptAt: { type: 'date', column: sql`substr(${d.lastAttemptAt}, 1, 10)`, description: 'UTC date of the last attempt' },
  },
  sorts: { id: d.id, eventId: d.eventId, lastAttemptAt: d.lastAttemptAt, createdDate: d.createdDate },
};

/** One page of the subscription's deliveries matching the query, and the total. */
export function listWebhookDeliveries(ctx: Ctx, subscription: WebhookSubscriptionRow, query: ListQuery) {
  return queryPage<WebhookDeliveryRow>(ctx, d, webhookDeliveryQuery, [eq(d.subscriptionId, subscription.id)], query);
}

/** Whether any of the subscription's deliveries matches the query (HEAD). */
export async function anyWebhookDelivery(ctx: Ctx, subscription: WebhookSubscriptionRow, query: ListQuery): Promise<boolean> {
  // deliveries carry no version column, which queryExists asks of its tables
  const where = and(eq(d.subscriptionId, subscription.id), await compileWhere(ctx, webhookDeliveryQuery, query.where));
  const any = await ctx.db.select({ id: d.id }).from(d).where(where).limit(1);
  return any.length > 0;
}

/** A delivery of this subscription, or 404. */
export async function findWebhookDelivery(ctx: Ctx, subscription: WebhookSubscriptionRow, deliveryId: number): Promise<WebhookDeliveryRow> {
  const [delivery] = await ctx.db
    .select()
    .from(d)
    .where(and(eq(d.id, deliveryId), eq(d.subscriptionId, subscription.id)));
  if (!delivery) throw notFound(`Delivery ${deliveryId} of webhook subscription ${subscription.id} was not found`);
  return delivery;
}

type AttemptRow = typeof webhookDeliveryAttempts.$inferSelect;
export type WebhookDeliveryAttemptOutput = Omit<AttemptRow, 'id' | 'deliveryId'>;

/** Deliveries as the API shows them, each with every attempt, oldest first. */
export async function renderWebhookDeliveries(ctx: Ctx, rows: WebhookDeliveryRow[]) {
  const attemptsByDelivery = new Map<number, WebhookDeliveryAttemptOutput[]>();
  const attempts = rows.length
    ? await ctx.db
        .select()
        .from(webhookDeliveryAttempts)
        .where(inList(webhookDeliveryAttempts.deliveryId, rows.map((r) => r.id)))
        .orderBy(webhookDeliveryAttempts.deliveryId, webhookDeliveryAttempts.attemptNumber)
    : [];
  for (const { id: _id, deliveryId, ...attempt } of attempts) {
    const list = attemptsByDelivery.get(deliveryId) ?? [];
    list.push(attempt);
    attemptsByDelivery.set(deliveryId, list);
  }
  return rows.map((r) => ({
    id: r.id,
    subscriptionId: r.subscriptionId,
    contractOwnerId: r.contractOwnerId,
    eventId: r.eventId,
    eventType: r.eventType,
    webhookId: webhookMessageId(r.eventId, r.subscriptionId),
    status: r.status,
    attemptCount: r.attemptCount,
    lastStatusCode: r.lastStatusCode,
    lastError: r.lastError,
    lastAttemptAt: r.lastAttemptAt,
    nextAttemptAt: r.nextAttemptAt,
    createdDate: r.createdDate,
    updatedDate: r.updatedDate,
    attempts: attemptsByDelivery.get(r.id) ?? [],
  }));
}
