/** Webhook subscriptions of a contract owner, their deliveries, and retrying one delivery. */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  ALL_EVENT_TYPES,
  ATTEMPT_TRIGGERS,
  DELIVERY_STATUSES,
  eventTypesProblem,
  MAX_DELIVERY_ATTEMPTS,
  WEBHOOK_EVENT_TYPES,
  webhookUrlProblem,
} from '../../domain/webhooks';
import { conflict } from '../../errors';
import { type AppContext, type AppEnv, type Ctx, ctxOf, scope } from '../../http/middleware';
import { type ListSpec, pageHeaders, parseListQuery, project } from '../../http/query';
import { LIST_HEADERS, methodNotAllowed, outputSchema, parseId, possiblyPartial, queryDocs, registerResource } from '../../http/resource';
import { entityId, errorResponses, headErrorResponses, NoQuery, pathId, text } from '../../http/schemas';
import { deliverSoon } from '../../jobs/webhooks/delivery';
import { retryDelivery } from '../../jobs/webhooks/retry';
import {
  anyWebhookDelivery,
  findWebhookDelivery,
  findWebhookSubscription,
  listWebhookDeliveries,
  renderWebhookDeliveries,
  type WebhookSubscriptionInput as WebhookSubscriptionFields,
  webhookDeliveryQuery,
  webhookSubscriptionService,
} from '../../services/webhook-subscriptions';

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
  .strict() satisfies z.ZodType<WebhookSubscriptionFields>;

export const WebhookSubscription = outputSchema(WebhookSubscriptionInput, {}, 'WebhookSubscription');

const secretField = z.string().openapi({
  example: 'whsec_OOi1KMrs1e2GpdEmdRYMgW4Ln7KDSiQDU84XMPmYsIY=',
  description: 'The signing secret (Standard Webhooks). Shown only in this response: store it now.',
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

const deliveryList: ListSpec = { query: webhookDeliveryQuery, fieldNames: Object.keys(WebhookDelivery.shape), keyset: true };

const subscriptionOf = (c: AppContext, ctx: Ctx) => findWebhookSubscription(ctx, parseId(c.req.param('id')!));

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
  const deliveriesParams = z.object({ id: pathId('id', 'The webhook subscription') });
  app.openAPIRegistry.registerPath({
    method: 'head',
    path: deliveriesPath,
    tags: ['Webhooks'],
    operationId: 'checkWebhookDeliveries',
    summary: 'Check whether any delivery of a webhook subscription matches',
    description: '200 when at least one delivery matches the filters, 404 when none does (or the subscription is not visible). No body.',
    security: [{ bearerAuth: [] }],
    request: { params: deliveriesParams, query: queryDocs(webhookDeliveryQuery.filters, false) },
    responses: { 200: { description: 'At least one matches' }, ...headErrorResponses(), 404: { description: 'None matches' } },
  });
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
      request: { params: deliveriesParams, query: queryDocs(webhookDeliveryQuery.filters, true, true) },
      responses: {
        200: {
          description: 'The deliveries',
          headers: LIST_HEADERS,
          content: {
            'application/json': {
              schema: z.array(possiblyPartial(WebhookDelivery, 'WebhookDelivery')).openapi({
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
      const url = new URL(c.req.url);
      const query = parseListQuery(url, deliveryList);
      if (c.req.method === 'HEAD') return c.body(null, (await anyWebhookDelivery(ctx, subscription, query)) ? 200 : 404);
      const page = await listWebhookDeliveries(ctx, subscription, query);
      const out = (await renderWebhookDeliveries(ctx, page.rows)).map((o) => project(o, query.fields));
      return c.json(out, 200, pageHeaders(url, query, page));
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
      const delivery = await findWebhookDelivery(ctx, subscription, parseId(c.req.param('deliveryId')!));
      const result = await retryDelivery(ctx.deps, ctx.now, subscription.id, delivery.id);
      if (result.busy) throw conflict('A delivery run is sending to this subscription right now; retry in a few seconds');
      // a settled head lets the events behind it go; a run that found this retry holding the subscription left its work here
      if (result.rerun || (delivery.status === 'PENDING' && result.delivery.status !== 'PENDING')) deliverSoon(ctx, subscription.contractOwnerId);
      const [out] = await renderWebhookDeliveries(ctx, [result.delivery]);
      return c.json(out, 200);
    }) as never,
  );

  methodNotAllowed(app, deliveriesPath, ['GET', 'HEAD']);
  methodNotAllowed(app, retryPath, ['POST']);
}
