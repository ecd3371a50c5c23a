/**
 * Nested lists: child rows shown as an array inside their parent's JSON (a card's
 * rates, a plan's components and a component's charge groups) and written through
 * the parent — on create, and by a PATCH of the parent's whole JSON, where an item
 * without an id is added, an item with its id is updated when it differs, and an
 * item left out is removed. Children are deleted with their parent (ON DELETE CASCADE).
 */
import { eq, type SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { describeErrors, type FieldError, invalid } from '../errors';
import type { Ctx } from './context';
import { inList, type Statement } from './client';
import { auditOnInsert, columnKey } from './crud';

// biome-ignore lint: drizzle tables are generic over their columns
type AnyTable = SQLiteTable & { id: SQLiteColumn; [column: string]: any };
// biome-ignore lint: rows and items are the resource's own shapes
type Item = Record<string, any>;

export interface NestedList {
  /** the array's field in the parent's JSON */
  field: string;
  table: AnyTable;
  parentColumn: SQLiteColumn;
  /** a stored row → the item as shown (with its id, without its own nested lists) */
  render(row: Item): Item;
  /** a validated item → its column values (without id, parent and audit columns) */
  values(item: Item): Record<string, unknown>;
  /** rows carry audit columns because they are also a resource of their own (rates) */
  audited?: boolean;
  /** lists nested in each item */
  children?: readonly NestedList[];
  /** loads the rows of some parents when they show more than their own columns (e.g. a referenced name); default: the table's rows. Bind the ids with inList: they may be many */
  load?(ctx: Ctx, parentIds: readonly number[]): Promise<Item[]>;
}

export interface LoadedItem {
  row: Item & { id: number };
  nested: LoadedNested;
}
/** A parent's stored items, by list field. */
export type LoadedNested = Record<string, LoadedItem[]>;

/** Every parent's stored items of `lists` (and theirs, recursively), in id order. */
export async function loadNested(ctx: Ctx, lists: readonly NestedList[], parentIds: readonly number[]): Promise<Map<number, LoadedNested>> {
  const byParent = new Map<number, LoadedNested>(parentIds.map((id) => [id, Object.fromEntries(lists.map((l) => [l.field, []]))]));
  if (parentIds.length === 0) return byParent;
  const unique = [...new Set(parentIds)];
  await Promise.all(
    lists.map(async (list) => {
      const parentKey = columnKey(list.table, list.parentColumn);
      const rows = (
        list.load ? await list.load(ctx, unique) : await ctx.db.select().from(list.table).where(inList(list.parentColumn, unique)).orderBy(list.table.id)
      ) as Array<Item & { id: number }>;
      const children = list.children?.length ? await loadNested(ctx, list.children, rows.map((r) => r.id)) : null;
      for (const row of rows) {
        byParent.get(row[parentKey] as number)?.[list.field]?.push({ row, nested: children?.get(row.id) ?? {} });
      }
    }),
  );
  return byParent;
}

/** The nested arrays of one parent as shown in its JSON. */
export function renderNested(lists: readonly NestedList[], loaded: LoadedNested): Record<string, Item[]> {
  const out: Record<string, Item[]> = {};
  for (const list of lists) {
    out[list.field] = (loaded[list.field] ?? []).map((item) => ({
      ...list.render(item.row),
      ...(list.children ? renderNested(list.children, item.nested) : {}),
    }));
  }
  return out;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** The id of the row the previous insert into `table` made (ids only grow, and a batch is one transaction). */
export function lastInsertedId(table: AnyTable): SQL {
  return sql`(select max(${table.id}) from ${table})`;
}

/**
 * Statements that bring a parent's lists to the arrays in `document` (absent = empty).
 * `stored` is null for a new parent (every item is new; an item naming an id is a
 * 400). The parent id may be SQL for a parent inserted earlier in the same batch.
 */
export function nestedWrites(
  ctx: Ctx,
  lists: readonly NestedList[],
  parentId: number | SQL,
  stored: LoadedNested | null,
  document: Item,
  basePath = '',
): Statement[] {
  const statements: Statement[] = [];
  const audit = auditOnInsert(ctx);
  for (const list of lists) {
    const path = `${basePath}/${list.field}`;
    const items = (document[list.field] ?? []) as Item[];
    const existing = stored?.[list.field] ?? [];
    const byId = new Map(existing.map((e) => [e.row.id, e]));
    const match = matchNestedItems(
      existing.map((e) => e.row.id),
      items,
      path,
    );
    const parentKey = columnKey(list.table, list.parentColumn);

    if (match.deletes.length) statements.push(ctx.db.delete(list.table).where(inList(list.table.id, match.deletes)));
    // items are written in document order so new children follow the item they belong to
    const updates = new Map(match.updates.map((u) => [u.index, u]));
    items.forEach((item, index) => {
      const update = updates.get(index);
      if (!update) {
        statements.push(
          ctx.db.insert(list.table).values({ ...list.values(item), [parentKey]: parentId, ...(list.audited ? audit : {}) }),
        );
        if (list.children?.length) statements.push(...nestedWrites(ctx, list.children, lastInsertedId(list.table), null, item, `${path}/${index}`));
        return;
      }
      const current = byId.get(update.id)!;
      const values = list.values(item);
      const changes = Object.fromEntries(Object.entries(values).filter(([key, value]) => !same(current.row[key], value)));
      if (Object.keys(changes).length) {
        const stamp = list.audited ? { version: sql`${list.table.version} + 1`, updatedDate: ctx.nowIso, updatedBy: ctx.actor } : {};
        statements.push(ctx.db.update(list.table).set({ ...changes, ...stamp }).where(eq(list.table.id, update.id)));
      }
      if (list.children?.length) statements.push(...nestedWrites(ctx, list.children, update.id, current.nested, item, `${path}/${index}`));
    });
  }
  return statements;
}

export interface NestedMatch<T> {
  /** items without an id: new */
  inserts: Array<{ index: number; item: T }>;
  /** items naming a stored id: kept, possibly changed */
  updates: Array<{ index: number; id: number; item: T }>;
  /** stored ids no item names: removed */
  deletes: number[];
}

/**
 * A nested array of an object (a card's rates, a plan's components) after a PATCH
 * or in a POST, matched against the stored items by `id`: an item without an id is
 * new, one with a stored id keeps that item, and stored items left out are removed.
 * An id that is not one of the stored items, or that appears twice, is a 400 naming it.
 */
export function matchNestedItems<T extends { id?: number | null }>(
  storedIds: readonly number[],
  items: readonly T[],
  path: string,
): NestedMatch<T> {
  const stored = new Set(storedIds);
  const seen = new Set<number>();
  const match: NestedMatch<T> = { inserts: [], updates: [], deletes: [] };
  const errors: FieldError[] = [];
  items.forEach((item, index) => {
    const id = item.id;
    if (id == null) {
      match.inserts.push({ index, item });
    } else if (!stored.has(id)) {
      errors.push({ path: `${path}/${index}/id`, message: `${id} is not an item of this object; leave id out to add an item`, value: id });
    } else if (seen.has(id)) {
      errors.push({ path: `${path}/${index}/id`, message: `${id} appears more than once`, value: id });
    } else {
      seen.add(id);
      match.updates.push({ index, id, item });
    }
  });
  if (errors.length) throw invalid(describeErrors(errors), errors);
  match.deletes = storedIds.filter((id) => !seen.has(id));
  return match;
}
