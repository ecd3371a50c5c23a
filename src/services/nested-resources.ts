/**
 * Services for resources that hold nested lists (rate cards, inclusive usage plans)
 * and for the items of such a list that are also resources of their own (rates).
 *
 * A parent is owned by one owner (an owner column) or by a set of owners (a link
 * table, see db/owner-sets.ts). Every write to a parent or to one of its items
 * bumps the parent's version in the same batch, guarded by the version that was
 * read: writes to one parent are serialized, so rules over the whole list (no two
 * rates of a charge group on the same day) cannot be broken by two requests at once.
 */
import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Ctx } from '../db/context';
import { abortUnlessChanged, isGuardAbort, type Statement } from '../db/client';
import { auditOnInsert, type BaseRow, columnKey, concurrentChange, queryExists, queryPage, readWhere, type RenderOptions, type ResourceService } from '../db/crud';
import { type LoadedNested, lastInsertedId, loadNested, type NestedList, nestedWrites, renderNested } from '../db/nested';
import { assertActsForAll, loadOwnerSets, type OwnerLink, ownerSetStatements, seesAny, visibleThroughOwners } from '../db/owner-sets';
import type { QuerySpec } from '../db/query';

// biome-ignore lint: drizzle tables are generic over their columns
type AnyTable = SQLiteTable & { id: SQLiteColumn; version: SQLiteColumn; [column: string]: any };
type Out = Record<string, unknown>;

/** Tenancy of a parent: one owner column, or a set of owners in a link table. */
export type ParentOwnership = { column: SQLiteColumn } | { link: OwnerLink };

/** What a nested list's rules see of its parent: the owners and the parent's fields (input or stored). */
export interface ParentScope {
  owners: readonly number[];
  fields: Record<string, unknown>;
}

/** Rules over a whole nested list (references, overlaps), given the parent; `pathOf` names an item, null when it is not in the request. */
export type ListCheck = (ctx: Ctx, scope: ParentScope, items: Array<Record<string, unknown>>, pathOf: (index: number) => string | null) => Promise<void>;

export interface CheckedList extends NestedList {
  check?: ListCheck;
}

export interface ParentSpec<Row extends BaseRow, In> {
  singular: string;
  /** the filterable and sortable fields of lists */
  query: QuerySpec;
  table: AnyTable;
  ownership: ParentOwnership;
  nested: readonly CheckedList[];
  /**
   * Checks the object as it will be (create: `existing` null) and returns its
   * column values and owners. Nested lists are checked here too (see checkNested).
   */
  prepare(ctx: Ctx, input: In, existing: { row: Row; owners: number[] } | null): Promise<{ values: Record<string, unknown>; owners: number[] }>;
  /** the public fields other than the nested lists and audit fields */
  renderFields(row: Row, owners: readonly number[]): Out;
  /** throws a 409 naming what still uses the object */
  beforeDelete?(ctx: Ctx, row: Row): Promise<void>;
}

export function auditOutput(row: BaseRow) {
  return { createdDate: row.createdDate, updatedDate: row.updatedDate, createdBy: row.createdBy, updatedBy: row.updatedBy, version: row.version };
}

/** Runs every nested list's rules on the arrays of a parent's input document. */
export async function checkNested(ctx: Ctx, lists: readonly CheckedList[], scope: ParentScope, document: Record<string, unknown>): Promise<void> {
  for (const list of lists) {
    const items = (document[list.field] ?? []) as Array<Record<string, unknown>>;
    await list.check?.(ctx, scope, items, (index) => `/${list.field}/${index}`);
  }
}

function ownerVisibility(ctx: Ctx, ownership: ParentOwnership, idColumn: SQLiteColumn | SQL): SQL | undefined {
  return 'link' in ownership ? visibleThroughOwners(ctx.tenant, ownership.link, idColumn) : readWhere(ctx.tenant, ownership.column, []);
}

async function ownersOf<Row extends BaseRow>(ctx: Ctx, ownership: ParentOwnership, table: AnyTable, rows: readonly Row[]): Promise<Map<number, number[]>> {
  if ('link' in ownership) return loadOwnerSets(ctx, ownership.link, rows.map((r) => r.id));
  const key = columnKey(table, ownership.column);
  return new Map(rows.map((r) => [r.id, [(r as unknown as Record<string, number>)[key]!]]));
}

async function runGuarded(ctx: Ctx, singular: string, statements: Statement[]): Promise<unknown[]> {
  try {
    return await ctx.deps.database.batch(statements);
  } catch (error) {
    if (isGuardAbort(error)) throw concurrentChange(singular);
    throw error;
  }
}

export function nestedParentService<Row extends BaseRow, In extends object>(spec: ParentSpec<Row, In>): ResourceService<Row, Out, In> {
  const { table, ownership } = spec;

  return {
    singular: spec.singular,
    query: spec.query,
    list: (ctx, query) => queryPage<Row>(ctx, table, spec.query, [ownerVisibility(ctx, ownership, table.id)], query),
    exists: (ctx, query) => queryExists(ctx, table, spec.query, [ownerVisibility(ctx, ownership, table.id)], query),

    async find(ctx, id) {
      const [row] = (await ctx.db.select().from(table).where(eq(table.id, id)).limit(1)) as Row[];
      if (!row) return null;
      const owners = (await ownersOf(ctx, ownership, table, [row])).get(row.id) ?? [];
      return seesAny(ctx.tenant, owners) ? row : null;
    },

    async render(ctx, rows, options: RenderOptions = {}) {
      const owners = await ownersOf(ctx, ownership, table, rows);
      const nested = options.summary ? null : await loadNested(ctx, spec.nested, rows.map((r) => r.id));
      return rows.map((row) => ({
        ...spec.renderFields(row, owners.get(row.id) ?? []),
        ...(nested ? renderNested(spec.nested, nested.get(row.id) ?? {}) : {}),
        ...auditOutput(row),
      }));
    },

    async create(ctx, input) {
      const { values, owners } = await spec.prepare(ctx, input, null);
      const newId = lastInsertedId(table);
      const statements: Statement[] = [
        ctx.db.insert(table).values({ ...values, ...auditOnInsert(ctx) }).returning(),
        ...('link' in ownership ? ownerSetStatements(ownership.link, newId, owners, false) : []),
        ...nestedWrites(ctx, spec.nested, newId, null, input as Record<string, unknown>),
      ];
      const [rows] = (await ctx.deps.database.batch(statements)) as [Row[]];
      return rows[0]!;
    },

    async update(ctx, row, input) {
      const before = (await ownersOf(ctx, ownership, table, [row])).get(row.id) ?? [];
      assertActsForAll(ctx.tenant, before, spec.singular);
      const { values, owners } = await spec.prepare(ctx, input, { row, owners: before });
      const stored: LoadedNested = (await loadNested(ctx, spec.nested, [row.id])).get(row.id) ?? {};
      const ownersChanged = 'link' in ownership && owners.join(',') !== before.join(',');
      const statements: Statement[] = [
        ctx.db
          .update(table)
          .set({ ...values, version: row.version + 1, updatedDate: ctx.nowIso, updatedBy: ctx.actor })
          .where(and(eq(table.id, row.id), eq(table.version, row.version)))
          .returning(),
        abortUnlessChanged(),
        ...(ownersChanged && 'link' in ownership ? ownerSetStatements(ownership.link, row.id, owners, true) : []),
        ...nestedWrites(ctx, spec.nested, row.id, stored, input as Record<string, unknown>),
      ];
      const [rows] = (await runGuarded(ctx, spec.singular, statements)) as [Row[]];
      return { row: rows[0]! };
    },

    async remove(ctx, row) {
      const owners = (await ownersOf(ctx, ownership, table, [row])).get(row.id) ?? [];
      assertActsForAll(ctx.tenant, owners, spec.singular);
      await spec.beforeDelete?.(ctx, row);
      const deleted = await ctx.db
        .delete(table)
        .where(and(eq(table.id, row.id), eq(table.version, row.version)))
        .returning({ id: table.id });
      if (deleted.length === 0) throw concurrentChange(spec.singular);
    },
  };
}

export interface ItemSpec<Row extends BaseRow & Record<string, unknown>, In> {
  singular: string;
  /** the filterable and sortable fields of lists */
  query: QuerySpec;
  /** the list the items belong to (its table, parent column and rules) */
  list: CheckedList;
  parent: { singular: string; table: AnyTable; ownership: ParentOwnership };
  /** the item as its own resource shows it (with its parent id; audit fields are added) */
  renderFields(row: Row): Out;
}

/**
 * Items of a nested list as their own resource: list (the route's filter by parent is required), read,
 * update and delete. New items are added through the parent. Visibility and the
 * right to write are the parent's.
 */
export function nestedItemService<Row extends BaseRow & Record<string, unknown>, In extends object>(spec: ItemSpec<Row, In>): ResourceService<Row, Out, In> {
  const { list, parent } = spec;
  const table = list.table as AnyTable;
  const parentKey = columnKey(table, list.parentColumn);

  async function parentOf(ctx: Ctx, row: Row) {
    const parentId = row[parentKey] as number;
    const [parentRow] = (await ctx.db.select().from(parent.table).where(eq(parent.table.id, parentId)).limit(1)) as BaseRow[];
    const owners = (await ownersOf(ctx, parent.ownership, parent.table, [parentRow!])).get(parentId) ?? [];
    return { parentRow: parentRow!, owners };
  }

  function parentVisibility(ctx: Ctx): SQL | undefined {
    if ('link' in parent.ownership) return visibleThroughOwners(ctx.tenant, parent.ownership.link, list.parentColumn);
    const owners = readWhere(ctx.tenant, parent.ownership.column, []);
    return owners ? sql`exists (select 1 from ${parent.table} where ${parent.table.id} = ${list.parentColumn} and ${owners})` : undefined;
  }

  /** The parent's version moves with every item write; guarded by the version read. */
  function bumpParent(ctx: Ctx, parentRow: BaseRow): Statement[] {
    return [
      ctx.db
        .update(parent.table)
        .set({ version: parentRow.version + 1, updatedDate: ctx.nowIso, updatedBy: ctx.actor })
        .where(and(eq(parent.table.id, parentRow.id), eq(parent.table.version, parentRow.version))),
      abortUnlessChanged(),
    ];
  }

  return {
    singular: spec.singular,
    query: spec.query,
    list: (ctx, query) => queryPage<Row>(ctx, table, spec.query, [parentVisibility(ctx)], query),
    exists: (ctx, query) => queryExists(ctx, table, spec.query, [parentVisibility(ctx)], query),

    async find(ctx, id) {
      const [row] = (await ctx.db.select().from(table).where(eq(table.id, id)).limit(1)) as Row[];
      if (!row) return null;
      const { owners } = await parentOf(ctx, row);
      return seesAny(ctx.tenant, owners) ? row : null;
    },

    async render(_ctx, rows) {
      return rows.map((row) => ({ ...spec.renderFields(row), ...auditOutput(row) }));
    },

    async create() {
      throw new Error(`${spec.singular}: items are added through the ${parent.singular}`);
    },

    async update(ctx, row, input) {
      const { parentRow, owners } = await parentOf(ctx, row);
      assertActsForAll(ctx.tenant, owners, parent.singular);
      const siblings = ((await loadNested(ctx, [list], [parentRow.id])).get(parentRow.id)?.[list.field] ?? []).map((i) => list.render(i.row));
      const index = siblings.findIndex((s) => s.id === row.id);
      const item = { ...(input as Record<string, unknown>), id: row.id };
      siblings[index] = item;
      await list.check?.(ctx, { owners, fields: parentRow as unknown as Record<string, unknown> }, siblings, (i) => (i === index ? '' : null));
      const [rows] = (await runGuarded(ctx, spec.singular, [
        ctx.db
          .update(table)
          .set({ ...list.values(item), version: row.version + 1, updatedDate: ctx.nowIso, updatedBy: ctx.actor })
          .where(and(eq(table.id, row.id), eq(table.version, row.version)))
          .returning(),
        abortUnlessChanged(),
        ...bumpParent(ctx, parentRow),
      ])) as [Row[]];
      return { row: rows[0]! };
    },

    async remove(ctx, row) {
      const { parentRow, owners } = await parentOf(ctx, row);
      assertActsForAll(ctx.tenant, owners, parent.singular);
      await runGuarded(ctx, spec.singular, [
        ctx.db.delete(table).where(and(eq(table.id, row.id), eq(table.version, row.version))),
        abortUnlessChanged(),
        ...bumpParent(ctx, parentRow),
      ]);
    },
  };
}
