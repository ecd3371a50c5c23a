/**
 * The event history: the outbox (every event the services and jobs write in the
 * same batch as a change — crud.ts eventStatement, the lifecycle job, usage
 * records) read as a list, filtered to the caller's owners. Events are
 * append-only and their ids increase in commit order (SQLite has one writer), so
 * a page continues after the last id it held: a reader that stores that id misses
 * nothing and sees nothing twice.
 */
import { eq, type SQL } from 'drizzle-orm';
import type { Ctx } from '../db/context';
import { type ListPage, queryCount, queryPage } from '../db/crud';
import type { QuerySpec } from '../db/query';
import { outboxEvents as o } from '../db/schema';
import { ownerCondition } from '../db/tenancy';
import { notFound } from '../errors';
import type { ListQuery } from '../list-query';
import { CONTRACT_EVENTS, customerContractService } from './customer-contracts';

export type EventRow = typeof o.$inferSelect;

/** An event as the API shows it. */
export interface EventOutput {
  id: number;
  type: string;
  objectType: string;
  objectId: number;
  contractOwnerId: number;
  actor: string | null;
  createdAt: string;
  data: Record<string, unknown>;
}

export function eventOutput(r: EventRow): EventOutput {
  return {
    id: r.id,
    type: r.type,
    objectType: r.objectType,
    objectId: r.objectId,
    contractOwnerId: r.contractOwnerId,
    actor: r.actor,
    createdAt: r.createdAt,
    data: r.data,
  };
}

const filters = {
  id: { type: 'id', column: o.id },
  type: { type: 'string', column: o.type, description: 'The event type, e.g. customer_contract.renewed' },
  createdAt: { type: 'instant', column: o.createdAt, description: 'When the change happened' },
} satisfies QuerySpec['filters'];

/** GET /v1/events: every visible event. Paged by keyset on the id only. */
export const eventQuery: QuerySpec = {
  filters: {
    ...filters,
    objectType: { type: 'string', column: o.objectType, description: 'The kind of object changed, e.g. customer_contract' },
    objectId: { type: 'id', column: o.objectId, description: 'The object changed (with objectType: that object’s events)' },
    contractOwnerId: { type: 'id', column: o.contractOwnerId },
  },
  sorts: { id: o.id },
};

/** A contract's events: the same list on one object. */
export const contractEventQuery: QuerySpec = { filters, sorts: { id: o.id } };

function visible(ctx: Ctx, ...more: SQL[]): SQL[] {
  const owners = ownerCondition(ctx.tenant, o.contractOwnerId);
  return owners ? [owners, ...more] : more;
}

export interface EventPageOptions {
  /** a keyset page from the first event (`after` null) counts every matching event as its total */
  count?: boolean;
}

async function page(ctx: Ctx, spec: QuerySpec, base: SQL[], query: ListQuery, options: EventPageOptions): Promise<ListPage<EventRow>> {
  const result = await queryPage<EventRow>(ctx, o, spec, base, query);
  if (options.count && query.after === null) {
    result.total = result.next === null ? result.rows.length : await queryCount(ctx, o, spec, base, query);
  }
  return result;
}

/** A page of the visible events matching the query: after its cursor (`after`), or numbered. */
export function listEvents(ctx: Ctx, query: ListQuery, options: EventPageOptions = {}): Promise<ListPage<EventRow>> {
  return page(ctx, eventQuery, visible(ctx), query, options);
}

/** A page of one customer contract's events (404 unless the contract is visible). */
export async function listContractEvents(ctx: Ctx, contractId: number, query: ListQuery, options: EventPageOptions = {}): Promise<ListPage<EventRow>> {
  const contract = await customerContractService.find(ctx, contractId);
  if (!contract) throw notFound(`Customer contract ${contractId} was not found`);
  const objectType = CONTRACT_EVENTS.created.objectType;
  return page(ctx, contractEventQuery, visible(ctx, eq(o.objectType, objectType), eq(o.objectId, contractId)), query, options);
}
