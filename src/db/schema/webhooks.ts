/** Webhook subscriptions and the delivery of outbox events to them. */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { ATTEMPT_TRIGGERS, DELIVERY_STATUSES } from '../../domain/webhooks';
import { audit, id } from './common';
import { contractOwners } from './reference';

export const webhookSubscriptions = sqliteTable(
  'webhook_subscriptions',
  {
    id: id(),
    contractOwnerId: integer('contract_owner_id')
      .notNull()
      .references(() => contractOwners.id),
    url: text('url').notNull(),
    /** JSON array of event types, or ["*"] */
    eventTypes: text('event_types', { mode: 'json' }).$type<string[]>().notNull(),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    description: text('description'),
    /** `whsec_` + base64 key; kept in clear because signing needs it, never rendered after create */
    secret: text('secret').notNull(),
    /** the last outbox event id handled (delivered, or failed for good); delivery resumes after it */
    cursor: integer('cursor').notNull().default(0),
    /** a delivery run holds the subscription until this epoch ms, so two runs never send concurrently */
    leaseToken: text('lease_token'),
    leaseExpiresAt: integer('lease_expires_at'),
    /** set by a run that found the lease taken: the holder walks the events once more before letting go */
    rerunRequested: integer('rerun_requested', { mode: 'boolean' }).notNull().default(false),
    ...audit(),
  },
  (t) => [index('webhook_subscriptions_owner').on(t.contractOwnerId, t.active)],
);

/** One row per (event, subscription) once a first attempt was made. */
export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    id: id(),
    contractOwnerId: integer('contract_owner_id').notNull(),
    subscriptionId: integer('subscription_id')
      .notNull()
      .references(() => webhookSubscriptions.id, { onDelete: 'cascade' }),
    /** outbox_events.id; no foreign key, so old events can be purged without touching delivery history */
    eventId: integer('event_id').notNull(),
    eventType: text('event_type').notNull(),
    status: text('status', { enum: DELIVERY_STATUSES }).notNull(),
    attemptCount: integer('attempt_count').notNull(),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    lastAttemptAt: text('last_attempt_at'),
    /** when PENDING: the earliest time of the next automatic attempt */
    nextAttemptAt: text('next_attempt_at'),
    createdDate: text('created_date').notNull(),
    updatedDate: text('updated_date').notNull(),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_subscription_event').on(t.subscriptionId, t.eventId),
    index('webhook_deliveries_subscription_status').on(t.subscriptionId, t.status, t.eventId),
  ],
);

/** Every HTTP attempt of a delivery, automatic or manual. */
export const webhookDeliveryAttempts = sqliteTable(
  'webhook_delivery_attempts',
  {
    id: id(),
    deliveryId: integer('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: 'cascade' }),
    attemptNumber: integer('attempt_number').notNull(),
    trigger: text('trigger', { enum: ATTEMPT_TRIGGERS }).notNull(),
    attemptedAt: text('attempted_at').notNull(),
    /** null when no HTTP response arrived (connection error, timeout) */
    statusCode: integer('status_code'),
    error: text('error'),
    /** the start of the receiver's response body, for diagnosis */
    responseBody: text('response_body'),
    durationMs: integer('duration_ms').notNull(),
  },
  (t) => [index('webhook_delivery_attempts_delivery').on(t.deliveryId, t.attemptNumber)],
);
