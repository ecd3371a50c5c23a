/** Webhook subscriptions of a contract owner, their deliveries, and retrying one delivery. */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { and, eq, sql } from 'drizzle-orm';
import type { Ctx } from '../../context';
import { inList } from '../../db/client';
import { findOr404, listPage, pickFields, requireOwner, tableService } from '../../db/crud';
import { ATTEMPT_TRIGGERS, DELIVERY_STATUSES, webhookDeliveries, webhookDeliveryAttempts, webhookSubscriptions } from '../../db/schema';
import { generateWebhookSecret } from '../../domain/webhook-signing';
import { ALL_EVENT_TYPES, eventTypesProblem, MAX_DELIVERY_ATTEMPTS, WEBHOOK_EVENT_TYPES, webhookMessageId, webhookUrlProblem } from '../../domain/webhooks';
import { type Delivery, deliverSoon, retryDelivery } from '../../jobs/webhooks';
import { type AppContext, type AppEnv, ctxOf, scope } from '../../http/middleware';
import { conflict, notFound } from '../../http/problem';
import { type ListSpec, linkHeader, parseListParams, project } from '../../http/query';
import { methodNotAllowed, outputSchema, parseId, queryDocs, registerResource } from '../../http/resource';
import { entityId, errorResponses, NoQuery, pathId, text } from '../../http/schemas';

const PATH = '/v1/webhook-subscriptions';

const webhookUrl = () =>
  z
    .string()
    .max(2000)
    .superRefine((value, check) => {
      const problem = webhookUrlProblem(value);
      if (problem) check.addIssue({ code: 'custom', message: problem });
    })
    .openapi({ format: 'uri', example: 'https://hooks.example.com/tenor', description: 'https, or http to localhost, 127.0.0.1 or [::1]' });

const eventTypes = () =>
  z
    .array(z.enum([...WEBHOOK_EVENT_TYPES, ALL_EVENT_TYPES], { error: `must be a known event type or "${ALL_EVENT_TYPES}"` }))
    .superRefine((types, check) => {
      const problem = eventTypesProblem(types);
      if (problem) check.addIssue({ code: 'custom', message: problem });
    })
    .openapi({
      example: ['customer_contract.renewed', 'customer_contract.terminated'],
      description: `Event types to receive, or ["*"] for all (including types added later). Known: ${WEBHOOK_EVENT_TYPES.join(', ')}.`,
    });

export const WebhookSubscriptionInput = z
  .object({
    contractOwnerId: entityId('The contract owner whose events are delivered'),
    url: webhookUrl(),
    eventTypes: eventTypes(),
    active: z.boolean().default(true).openapi({ description: 'Inactive subscriptions are paused: nothing is sent, and delivery resumes where it stopped' }),
    description: text(500, 'Renewals to the CRM').nullish(),
  })
  .strict();

export const WebhookSubscription = outputSchema(WebhookSubscriptionInput, {}, 'WebhookSubscription');

const secretField = z.string().openapi({
  example: 'whsec_OOi1KMrs1e2GpdEmdRYMgW4Ln7KDSiQDU84XMPmYsIY=',
  description: 'The signing secret (Standard Webhooks). Shown only in this response: store it now.',
});

type Input = z.infer<typeof WebhookSubscriptionInput>;
type Row = typeof webhookSubscriptions.$inferSelect;

export const webhookSubscriptionService = tableService<Row, Record<string, unknown>, Input>({
  singular: 'webhook subscription',
  table: webhookSubscriptions,
  ownerColumn: webhookSubscriptions.contractOwnerId,
  ownerOf: (r) => r.contractOwnerId,
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
  toOutput: pickFields(WebhookSubscription),
});

const DeliveryAttempt = z
  .object({
    attemptNumber: z.number().int().openapi({ example: 1 }),
    trigger: z.enum(ATTEMPT_TRIGGERS).openapi({ description: 'SCHEDULED (delivery runs) or MANUAL (the retry route)' }),
    attemptedAt: z.string().openapi({ format: 'date-time', example: '2026-11-21T09:30:00.000Z' }),
    statusCode: z.number().int().nullable().openapi({ example: 503, description: 'null when no response arrived' }),
    error: z.string().nullable().openapi({ example: 'the receiver answered 503' }),
    responseBody: z.string().nullable().openapi({ example: 'Service Unavailable', description: 'The first 1 KiB of the response' }),
    durationMs: z.number().int().openapi({ example: 84 }),
  })
  .openapi('WebhookDeliveryAttempt');

export const WebhookDelivery = z
  .object({
    id: entityId('read-only'),
    subscriptionId: entityId(),
    contractOwnerId: entityId(),
    eventId: entityId('The outbox event delivered'),
    eventType: z.string().openapi({ example: 'customer_contract.renewed' }),
    webhookId: z.string().openapi({ example: 'evt_42_7', description: 'The webhook-id header: the same on every attempt' }),
    status: z.enum(DELIVERY_STATUSES).openapi({
      description: `PENDING: waiting for its next attempt (newer events wait behind it); SUCCEEDED: a 2xx arrived; FAILED: ${MAX_DELIVERY_ATTEMPTS} attempts failed`,
    }),
    attemptCount: z.number().int().openapi({ example: 2 }),
    lastStatusCode: z.number().int().nullable().openapi({ example: 200 }),
    lastError: z.string().nullable().openapi({ example: null }),
    lastAttemptAt: z.string().nullable().openapi({ format: 'date-time', example: '2026-11-21T09:30:05.000Z' }),
    nextAttemptAt: z.string().nullable().openapi({ format: 'date-time', example: null, description: 'When PENDING: the earliest next automatic attempt' }),
    createdDate: z.string().openapi({ format: 'date-time', example: '2026-11-21T09:30:00.000Z' }),
    updatedDate: z.string().openapi({ format: 'date-time', example: '2026-11-21T09:30:05.000Z' }),
    attempts: z.array(DeliveryAttempt).openapi({ description: 'Every attempt, oldest first' }),
  })
  .openapi('WebhookDelivery');

const d = webhookDeliveries;
const deliveryList: ListSpec = {
  filters: {
    id: { type: 'id', column: d.id },
    eventId: { type: 'id', column: d.eventId },
    eventType: { type: 'string', column: d.eventType },
    status: { type: 'string', column: d.status, description: 'PENDING, SUCCEEDED or FAILED' },
    lastStatusCode: { type: 'number', column: d.lastStatusCode },
    lastAttemptAt: { type: 'date', column: sql`substr(${d.lastAttemptAt}, 1, 10)`, description: 'UTC date of the last attempt' },
  },
  sorts: { id: d.id, eventId: d.eventId, lastAttemptAt: d.lastAttemptAt, createdDate: d.createdDate },
  idColumn: d.id,
  fieldNames: Object.keys(WebhookDelivery.shape),
};

async function renderDeliveries(ctx: Ctx, rows: Delivery[]) {
  const attemptsByDelivery = new Map<number, z.infer<typeof DeliveryAttempt>[]>();
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

const subscriptionOf = (c: AppContext, ctx: Ctx) => findOr404<Row>(webhookSubscriptionService as never, ctx, parseId(c.req.param('id')!));

export function registerWebhookSubscriptions(app: OpenAPIHono<AppEnv>) {
  registerResource(app, {
    path: PATH,
    tag: 'Webhooks',
    singular: 'webhook subscription',
    plural: 'webhook subscriptions',
    area: 'webhooks',
    input: WebhookSubscriptionInput,
    output: WebhookSubscription,
    immutable: ['contractOwnerId'],
    filters: {
      id: { type: 'id', column: webhookSubscriptions.id },
      contractOwnerId: { type: 'id', column: webhookSubscriptions.contractOwnerId },
      url: { type: 'string', column: webhookSubscriptions.url },
      active: { type: 'boolean', column: webhookSubscriptions.active },
    },
    sorts: { id: webhookSubscriptions.id, url: webhookSubscriptions.url, createdDate: webhookSubscriptions.createdDate },
    service: webhookSubscriptionService,
    revealOnCreate: { fields: { secret: secretField }, values: (row) => ({ secret: row.secret }) },
    createExample: {
      contractOwnerId: 1,
      url: 'https://hooks.example.com/tenor',
      eventTypes: ['customer_contract.renewed', 'customer_contract.terminated'],
      description: 'Renewals to the CRM',
    },
    notes: {
      create:
        'The response carries `secret`, the Standard Webhooks signing secret, once; no later read shows it. ' +
        'A new subscription receives events that happen after it is created, not earlier ones. ' +
        'Each event is POSTed as `{"type", "timestamp", "data"}` with the headers `webhook-id` (the same on every attempt), ' +
        '`webhook-timestamp` and `webhook-signature: v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">`. ' +
        'Events reach a subscription one at a time in the order they happened; a failed delivery is tried again after about ' +
        '5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 24 h (8 attempts in all, each at that time or the next delivery run after it), then marked FAILED and the next event follows. ' +
        'Only a 2xx answer within 10 s counts; redirects are not followed.',
      update: 'Setting `active` to false pauses delivery; setting it back resumes with the first event not yet delivered.',
      delete: 'Also deletes the subscription\'s delivery history.',
    },
  });

  const deliveriesPath = `${PATH}/{id}/deliveries`;
  app.openapi(
    createRoute({
      method: 'get',
      path: deliveriesPath,
      tags: ['Webhooks'],
      operationId: 'listWebhookDeliveries',
      summary: 'List the deliveries of a webhook subscription',
      description:
        'One entry per event sent (or being sent) to the subscription, with every attempt and its HTTP status code. Use `sort=id:desc` for the newest first.',
      security: [{ bearerAuth: [] }],
      middleware: [scope('webhooks', 'read')],
      request: { params: z.object({ id: pathId('id', 'The webhook subscription') }), query: queryDocs(deliveryList.filters, true) },
      responses: {
        200: {
          description: 'The deliveries',
          headers: {
            'X-Total-Count': { schema: { type: 'integer' }, description: 'Matching records in all pages' },
            Link: { schema: { type: 'string' }, description: 'RFC 8288 links: first, prev, next, last' },
          },
          content: {
            'application/json': {
              schema: z.array(WebhookDelivery).openapi({
                example: [
                  {
                    id: 12,
                    subscriptionId: 7,
                    contractOwnerId: 1,
                    eventId: 42,
                    eventType: 'customer_contract.renewed',
                    webhookId: 'evt_42_7',
                    status: 'SUCCEEDED',
                    attemptCount: 2,
                    lastStatusCode: 200,
                    lastError: null,
                    lastAttemptAt: '2026-11-21T09:30:05.000Z',
                    nextAttemptAt: null,
                    createdDate: '2026-11-21T09:30:00.000Z',
                    updatedDate: '2026-11-21T09:30:05.000Z',
                    attempts: [
                      { attemptNumber: 1, trigger: 'SCHEDULED', attemptedAt: '2026-11-21T09:30:00.000Z', statusCode: 503, error: 'the receiver answered 503', responseBody: 'Service Unavailable', durationMs: 84 },
                      { attemptNumber: 2, trigger: 'SCHEDULED', attemptedAt: '2026-11-21T09:30:05.000Z', statusCode: 200, error: null, responseBody: null, durationMs: 61 },
                    ],
                  },
                ],
              }),
            },
          },
        },
        ...errorResponses(404),
      },
    }),
    (async (c: AppContext) => {
      const ctx = ctxOf(c);
      const subscription = await subscriptionOf(c, ctx);
      const params = await parseListParams(new URL(c.req.url), deliveryList, ctx);
      const where = and(eq(d.subscriptionId, subscription.id), ...params.where);
      if (c.req.method === 'HEAD') {
        const any = await ctx.db.select({ id: d.id }).from(d).where(where).limit(1);
        return c.body(null, any.length ? 200 : 404);
      }
      const { rows, total } = await listPage<typeof d.$inferSelect>(ctx, d, where, params);
      const out = (await renderDeliveries(ctx, rows)).map((o) => project(o, params.fields));
      return c.json(out, 200, { 'x-total-count': String(total), link: linkHeader(new URL(c.req.url), params.page, params.pageSize, total) });
    }) as never,
  );

  const retryPath = `${PATH}/{id}/deliveries/{deliveryId}/retry`;
  app.openapi(
    createRoute({
      method: 'post',
      path: retryPath,
      tags: ['Webhooks'],
      operationId: 'retryWebhookDelivery',
      summary: 'Send one delivery again now',
      description:
        'Makes one attempt now and returns the delivery with it. A PENDING delivery takes its next attempt now (on success the events behind it follow); ' +
        'a SUCCEEDED or FAILED one is sent once more, becomes SUCCEEDED if the receiver accepts it and otherwise keeps its status. ' +
        'The receiver sees the same `webhook-id` as before. 409 while a delivery run is sending to this subscription.',
      security: [{ bearerAuth: [] }],
      middleware: [scope('webhooks', 'write')],
      request: {
        params: z.object({ id: pathId('id', 'The webhook subscription'), deliveryId: pathId('deliveryId', 'The delivery') }),
        query: NoQuery,
      },
      responses: {
        200: { description: 'The delivery after the attempt', content: { 'application/json': { schema: WebhookDelivery } } },
        ...errorResponses(404, 409),
      },
    }),
    (async (c: AppContext) => {
      const ctx = ctxOf(c);
      const subscription = await subscriptionOf(c, ctx);
      const deliveryId = parseId(c.req.param('deliveryId')!);
      const [delivery] = await ctx.db
        .select()
        .from(d)
        .where(and(eq(d.id, deliveryId), eq(d.subscriptionId, subscription.id)));
      if (!delivery) throw notFound(`Delivery ${deliveryId} of webhook subscription ${subscription.id} was not found`);
      const result = await retryDelivery(ctx.deps, ctx.now, subscription.id, delivery.id);
      if (result.busy) throw conflict('A delivery run is sending to this subscription right now; retry in a few seconds');
      // a settled head lets the events behind it go; a run that found this retry holding the subscription left its work here
      if (result.rerun || (delivery.status === 'PENDING' && result.delivery.status !== 'PENDING')) deliverSoon(ctx, subscription.contractOwnerId);
      const [out] = await renderDeliveries(ctx, [result.delivery]);
      return c.json(out, 200);
    }) as never,
  );

  methodNotAllowed(app, deliveriesPath, ['GET', 'HEAD']);
  methodNotAllowed(app, retryPath, ['POST']);
}
