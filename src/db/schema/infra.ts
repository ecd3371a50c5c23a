/** Cross-cutting tables: idempotency records and the event outbox. */
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * One row per (caller, Idempotency-Key): claimed before the handler runs, completed
 * with its response. The caller is the token's sub with its owner set and app client.
 */
export const idempotencyKeys = sqliteTable(
  'idempotency_keys',
  {
    caller: text('caller').notNull(),
    key: text('key').notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    /** SHA-256 of the request body */
    bodyHash: text('body_hash').notNull(),
    /** epoch ms; records older than 24 h are expired */
    createdAt: integer('created_at').notNull(),
    /** null while the first request is still running */
    status: integer('status'),
    /**
     * epoch ms until which the running request holds the key (renewed while it runs);
     * a key whose request died with its process is free again once it has passed
     */
    leaseExpiresAt: integer('lease_expires_at'),
    responseBody: text('response_body'),
    responseHeaders: text('response_headers', { mode: 'json' }).$type<Record<string, string>>(),
  },
  (t) => [primaryKey({ columns: [t.caller, t.key] }), index('idempotency_keys_created').on(t.createdAt)],
);

/**
 * Every state change a listener could care about, written in the same batch as
 * the change. Webhook delivery reads from here.
 */
export const outboxEvents = sqliteTable(
  'outbox_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    contractOwnerId: integer('contract_owner_id').notNull(),
    type: text('type').notNull(),
    objectType: text('object_type').notNull(),
    objectId: integer('object_id').notNull(),
    /** the object as the API renders it, at the time of the event (JSON) */
    data: text('data', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    actor: text('actor'),
    createdAt: text('created_at').notNull(),
  },
  // two readers: webhook delivery and GET /v1/events (an owner's events after a cursor), and an
  // object's history (GET /v1/customer-contracts/{id}/events; the rowid ends every index, so its
  // events come in id order). Each further index would cost every event insert one more write.
  (t) => [index('outbox_events_owner_id').on(t.contractOwnerId, t.id), index('outbox_events_object').on(t.objectId, t.objectType)],
);

/**
 * A counter per contract owner, raised by triggers (migration 0007) on every insert,
 * update and delete of the owner's rows in the tables a customer-contract count may
 * read: customer_contracts, customer_contract_assignments, rental_product_inventories
 * and contract_profiles. A count cached with the counters of the owners it covered
 * holds while they are unchanged (db/crud.ts, countCache).
 */
export const listGenerations = sqliteTable(
  'list_generations',
  {
    contractOwnerId: integer('contract_owner_id').primaryKey(),
    generation: integer('generation').notNull(),
  },
  () => [],
);
