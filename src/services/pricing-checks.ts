/**
 * Checks the pricing resources share: references inside nested items (visible to
 * the token, usable by the object's owners) and dated items that must not overlap.
 */
import { and, count, eq, inArray } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Ctx } from '../db/context';
import { loadOwnerSets, type OwnerLink, seesAny } from '../db/owner-sets';
import { canSee } from '../db/tenancy';
import { type Dated, firstOverlap } from '../domain/pricing';
import { TenorError, conflict } from '../errors';

// biome-ignore lint: drizzle tables are generic over their columns
type AnyTable = SQLiteTable & { id: SQLiteColumn; [column: string]: any };

/** 422 naming the field: `${path}: ${message}` as detail, `message` at the path. */
export function rule(path: string, message: string): TenorError {
  return new TenorError('business-rule', `${path}: ${message}`, [{ path, message }]);
}

export interface Ref {
  id: number;
  /** JSON Pointer of the id field in the request */
  path: string;
}

/**
 * Loads referenced rows at once: each must be visible to the token (404 naming its
 * path) and belong to one of `owners` (422 naming its path).
 */
export async function requireUsableRefs<Row extends { id: number; contractOwnerId: number }>(
  ctx: Ctx,
  table: AnyTable,
  label: string,
  refs: readonly Ref[],
  owners: readonly number[],
): Promise<Map<number, Row>> {
  const ids = [...new Set(refs.map((r) => r.id))];
  const rows = new Map<number, Row>();
  for (let i = 0; i < ids.length; i += 90) {
    for (const row of (await ctx.db.select().from(table).where(inArray(table.id, ids.slice(i, i + 90)))) as Row[]) rows.set(row.id, row);
  }
  for (const ref of refs) {
    const row = rows.get(ref.id);
    if (!row || !canSee(ctx.tenant, row.contractOwnerId)) {
      throw new TenorError('not-found', `${ref.path}: ${label} ${ref.id} was not found`, [{ path: ref.path, message: `${label} ${ref.id} was not found` }]);
    }
    if (!owners.includes(row.contractOwnerId)) {
      throw new TenorError('business-rule', `${ref.path}: the ${label} belongs to contract owner ${row.contractOwnerId}, not to an owner of this object`, [
        { path: ref.path, message: `the ${label} belongs to another contract owner` },
      ]);
    }
  }
  return rows;
}

/**
 * 409 when two items with the same key are effective on a common day. `pathOf`
 * names items of the request (null for stored items not in it).
 */
export function assertNoOverlap<T extends Record<string, unknown>>(
  items: readonly T[],
  keyOf: (item: T) => string,
  pathOf: (index: number) => string | null,
  describe: (item: T) => string,
  noun = 'item',
): void {
  // items from a request may leave endDate out: open-ended, like null
  const dated = items.map((item) => ({ item, startDate: item.startDate as string, endDate: (item.endDate as string | null | undefined) ?? null }));
  const pair = firstOverlap<Dated & { item: T }>(dated, (d) => keyOf(d.item));
  if (!pair) return;
  const [a, b] = pair;
  // report on an item of the request, naming the other one by path or stored id
  const [at, other] = pathOf(b) !== null ? [b, a] : [a, b];
  const path = pathOf(at) ?? '';
  const otherItem = items[other]!;
  const otherName = pathOf(other) ?? `${noun} ${String(otherItem.id)}`;
  const message = `${describe(items[at]!)}: overlaps ${otherName} (${String(otherItem.startDate)} to ${String(otherItem.endDate ?? 'open')})`;
  throw new TenorError('conflict', `${path ? `${path}: ` : ''}${message}`, [{ path, message }]);
}

/** 409 when owners leaving a shared card still have assignments that use it. */
export async function assertLeavingOwnersUnassigned(
  ctx: Ctx,
  assignments: AnyTable,
  cardColumn: SQLiteColumn,
  cardId: number,
  before: readonly number[],
  after: readonly number[],
  singular: string,
): Promise<void> {
  const leaving = before.filter((o) => !after.includes(o));
  if (leaving.length === 0) return;
  const [r] = await ctx.db
    .select({ n: count() })
    .from(assignments)
    .where(and(eq(cardColumn, cardId), inArray(assignments.contractOwnerId, leaving)));
  const n = r?.n ?? 0;
  if (n > 0) throw conflict(`Contract owner ${leaving.join(', ')} cannot leave the ${singular}: ${n} of its assignments use it`);
}

/**
 * Loads an object shared by a set of owners (a rate card) that the token must be
 * able to see: not found and not visible are the same 404 naming the field.
 */
export async function requireVisibleShared<Row extends { id: number }>(
  ctx: Ctx,
  table: AnyTable,
  link: OwnerLink,
  id: number,
  field: string,
  label: string,
): Promise<{ row: Row; owners: number[] }> {
  const [row] = (await ctx.db.select().from(table).where(eq(table.id, id)).limit(1)) as Row[];
  const owners = row ? ((await loadOwnerSets(ctx, link, [row.id])).get(row.id) ?? []) : [];
  if (!row || !seesAny(ctx.tenant, owners)) {
    throw new TenorError('not-found', `${field}: ${label} ${id} was not found`, [{ path: field, message: `${label} ${id} was not found` }]);
  }
  return { row, owners };
}
