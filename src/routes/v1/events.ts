/**
 * The event history (`GET /v1/events`, `GET /v1/customer-contracts/{id}/events`):
 * who changed what and when, from the outbox webhooks are delivered from, so a
 * user can read an object's history and a system that cannot receive webhooks
 * can poll. Pages continue by an opaque `cursor` (RFC 8288 `Link: rel="next"`).
 */
import { listJson } from '../../http/hygiene';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Area } from '../../domain/scopes';
import { WEBHOOK_EVENT_TYPES } from '../../domain/webhooks';
import { invalidField } from '../../errors';
import { decodeCursor, encodeCursor } from '../../http/cursor';
import { exportContent, exportList, listFormat } from '../../http/export';
import { type AppContext, type AppEnv, type Ctx, ctxOf, scope } from '../../http/middleware';
import { linkHeader, type ListSpec, parseListQuery, project } from '../../http/query';
import { describeParam, methodNotAllowed, pagingDocs, parseId, possiblyPartial, queryDocs } from '../../http/resource';
import { entityId, errorResponses, headErrorResponses, pathId } from '../../http/schemas';
import type { ListQuery } from '../../list-query';
import { contractEventQuery, type EventPageOptions, type EventRow, eventOutput, eventQuery, listContractEvents, listEvents } from '../../services/events';

export const Event = z
  .object({
    id: entityId('Increases with every event: the order events happened in'),
    type: z.string().openapi({ example: 'customer_contract.updated', description: `What happened. Types: ${WEBHOOK_EVENT_TYPES.join(', ')}` }),
    objectType: z.string().openapi({ example: 'customer_contract', description: 'The kind of object it happened to' }),
    objectId: entityId('The object it happened to'),
    contractOwnerId: entityId('The object’s contract owner'),
    actor: z.string().nullable().openapi({ example: 'user-42', description: 'Who: the token subject of the request, or `system` for the scheduled jobs' }),
    createdAt: z.string().openapi({ format: 'date-time', example: '2026-11-21T09:30:00.000Z', description: 'When' }),
    data: z.record(z.string(), z.unknown()).openapi({
      description: 'What: the object as the API showed it right after the change (the same `data` webhooks deliver)',
      example: { id: 12, name: 'Northwind – 24 month business fibre', endDate: '2027-12-31' },
    }),
  })
  .openapi('Event');

const FIELD_NAMES = Object.keys(Event.shape);

const EXAMPLE = [
  {
    id: 1041,
    type: 'customer_contract.updated',
    objectType: 'customer_contract',
    objectId: 12,
    contractOwnerId: 1,
    actor: 'user-42',
    createdAt: '2026-11-21T09:30:00.000Z',
    data: { id: 12, name: 'Northwind – 24 month business fibre', endDate: '2027-12-31' },
  },
];

type EventQuerySpec = typeof eventQuery;

function eventQueryDocs(spec: EventQuerySpec) {
  return queryDocs(spec.filters, false).extend({
    cursor: describeParam('cursor', 'Continue after the last event of a page: the value the `next` link carries (opaque; store it and send it back)'),
    ...pagingDocs(),
    sort: describeParam('sort', '`id` (default: oldest first) or `id:desc` (newest first)', { type: 'string', example: 'id' }),
    fields: describeParam('fields', 'Comma-separated subset of fields to return (id is always included)', { type: 'string', example: 'id,type,createdAt' }),
  });
}

interface EventList {
  path: string;
  area: Area;
  spec: EventQuerySpec;
  operationId: string;
  summary: string;
  description: string;
  params?: z.ZodObject;
  page(c: AppContext, ctx: Ctx, query: ListQuery, options?: EventPageOptions): ReturnType<typeof listEvents>;
}

const PAGING_NOTE = [
  'Oldest first by default (`sort=id:desc`: newest first). Paged by cursor: the `Link` header’s `rel="next"` carries the `cursor` of the next page. The first page (no `cursor`) carries X-Total-Count, the events matching in all pages; pages after a cursor do not count (a poller’s requests stay cheap).',
  'Oldest first there is always a `next` link, also on the last page and on an empty one: events are only ever added after the ones already read, so a poller stores that link (or its `cursor`) and follows it later to get exactly what happened since, with nothing missed or repeated.',
  'Newest first, the last page has no `next` link. With `page` instead of `cursor`, numbered pages as on every other list (X-Total-Count; Link first, prev, next, last).',
  'HEAD: 200 when an event would be listed (after `cursor`, if given), else 404.',
].join(' ');

function registerEventList(app: OpenAPIHono<AppEnv>, list: EventList): void {
  const listSpec: ListSpec = { query: list.spec, fieldNames: FIELD_NAMES, extraParams: ['cursor'] };
  const query = eventQueryDocs(list.spec);
  const params = list.params ? { params: list.params } : {};
  app.openAPIRegistry.registerPath({
    method: 'head',
    path: list.path,
    tags: ['Events'],
    operationId: `check${list.operationId.slice('list'.length)}`,
    summary: 'Check whether any event matches',
    description: '200 when at least one visible event matches (after `cursor`, if given), 404 when none does. No body.',
    security: [{ bearerAuth: [] }],
    request: { ...params, query },
    responses: { 200: { description: 'At least one matches' }, ...headErrorResponses(404, 406), 404: { description: 'None matches (or the object is not visible)' } },
  });
  app.openapi(
    createRoute({
      method: 'get',
      path: list.path,
      tags: ['Events'],
      operationId: list.operationId,
      summary: list.summary,
      description: `${list.description} ${PAGING_NOTE} With \`Accept: text/csv\` or \`application/x-ndjson\`, every matching event (after \`cursor\`, if given) streams as one file; \`data\` is JSON text in CSV.`,
      security: [{ bearerAuth: [] }],
      middleware: [scope(list.area, 'read')],
      request: { ...params, query },
      responses: {
        200: {
          description: 'The events',
          headers: {
            Link: { schema: { type: 'string' }, description: 'RFC 8288: `rel="next"`, the next page (its `cursor`); with `page`: first, prev, next, last' },
            'X-Total-Count': { schema: { type: 'integer' }, description: 'Without `cursor`: matching events in all pages' },
          },
          content: { 'application/json': { schema: z.array(possiblyPartial(Event, 'Event')).openapi({ example: EXAMPLE }) }, ...exportContent() },
        },
        ...errorResponses(404, 406),
      },
    }),
    (async (c: AppContext) => {
      const ctx = ctxOf(c);
      const url = new URL(c.req.url);
      const format = listFormat(c.req.header('accept'));
      const query = parseListQuery(url, listSpec);
      const cursor = url.searchParams.get('cursor');
      const numbered = url.searchParams.has('page');
      if (numbered && cursor !== null) throw invalidField('query.page', 'cannot be combined with cursor: a cursor page continues after an event, not at a page number', url.searchParams.get('page'));
      const after = cursor === null ? null : decodeCursor(cursor);
      if (c.req.method === 'HEAD') {
        const { rows } = await list.page(c, ctx, { ...query, pageSize: 1, after });
        return c.body(null, rows.length ? 200 : 404);
      }
      const render = (rows: EventRow[]) => Promise.resolve(rows.map((r) => project(eventOutput(r) as unknown as Record<string, unknown>, query.fields)));
      if (format !== 'json') {
        const chunk = (next: ListQuery['after'], size: number) => list.page(c, ctx, { ...query, pageSize: size, after: next ?? after });
        return exportList(ctx, format, url, query.fields ?? FIELD_NAMES, chunk, render);
      }
      if (numbered) {
        // numbered pages, as every other list: for browsing, with the total
        const { rows, total } = await list.page(c, ctx, query);
        return listJson(c, await render(rows), { 'x-total-count': String(total), link: linkHeader(url, query.page, query.pageSize, total) });
      }
      // the first page (no cursor) tells how many events match, as every list does; a poller's pages do not count
      const result = await list.page(c, ctx, { ...query, after }, { count: after === null });
      const newestFirst = query.sort.some((k) => k.descending);
      const last = result.rows[result.rows.length - 1];
      // oldest first, the feed goes on: the next page starts after the last event read (or where this one started)
      const next = result.next ?? (newestFirst ? null : last ? [last.id] : after);
      const headers: Record<string, string> = after === null ? { 'x-total-count': String(result.total) } : {};
      if (next !== null || !newestFirst) {
        const search = new URLSearchParams(url.searchParams);
        if (next === null) search.delete('cursor');
        else search.set('cursor', encodeCursor(next));
        const qs = search.toString();
        headers.link = `<${url.pathname}${qs ? `?${qs}` : ''}>; rel="next"`;
      }
      return listJson(c, await render(result.rows), headers);
    }) as never,
  );
  methodNotAllowed(app, list.path, ['GET', 'HEAD']);
}

export function registerEvents(app: OpenAPIHono<AppEnv>) {
  registerEventList(app, {
    path: '/v1/events',
    area: 'webhooks',
    spec: eventQuery,
    operationId: 'listEvents',
    summary: 'List events: who changed what, and when',
    description:
      'Every event of the token’s contract owners, from the same outbox webhooks are delivered from: the polling alternative to a webhook subscription (scope `webhooks:read`, as for subscriptions). Filter by `type` (`in:` for several), `objectType` and `objectId`, `contractOwnerId` and `createdAt` (instants, `ge:`/`lt:`…).',
    page: (_c, ctx, query, options) => listEvents(ctx, query, options),
  });
  registerEventList(app, {
    path: '/v1/customer-contracts/{id}/events',
    area: 'contracts',
    spec: contractEventQuery,
    operationId: 'listCustomerContractEvents',
    summary: 'List a customer contract’s events: its history',
    description:
      'The events of one customer contract (scope `contracts:read`): created, updated, terminated, renewal alerts, notice periods, expired — and renewed, which is an event of the renewal (the new contract; its `previousCustomerContractId` names this one). 404 when the contract does not exist or is not visible.',
    params: z.object({ id: pathId('id', 'The customer contract') }),
    page: (c, ctx, query, options) => listContractEvents(ctx, parseId(c.req.param('id')!), query, options),
  });
}
