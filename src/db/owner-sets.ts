/**
 * Objects owned by a set of contract owners rather than one (rate cards: "the
 * contract owners that can use the card"). The set lives in a link table
 * (object id, owner id). An object is visible when any of its owners is in the
 * token; changing or deleting it needs a token acting for all of them; all owners
 * share one currency.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Ctx } from './context';
import { TenorError, fieldProblem } from '../errors';
import type { FieldFilter } from '../list-query';
import { inList, type Statement } from './client';
import { filterSql } from './query';
import { canSee, ownerCondition, ownersOutside, type Tenant } from './tenancy';

export interface OwnerLink {
  table: SQLiteTable;
  /** the owned object's id column in the link table */
  objectId: SQLiteColumn;
  ownerId: SQLiteColumn;
}

/** Objects (by their id column) with at least one owner in the tenant's list; undefined when unrestricted. */
export function visibleThroughOwners(tenant: Tenant, link: OwnerLink, objectIdColumn: SQLiteColumn | SQL): SQL | undefined {
  const owners = ownerCondition(tenant, link.ownerId);
  if (!owners) return undefined;
  return sql`exists (select 1 from ${link.table} where ${link.objectId} = ${objectIdColumn} and ${owners})`;
}

/** The `contractOwnerId` list filter: objects one of whose owners matches. */
export function ownerFilter(link: OwnerLink, objectIdColumn: SQLiteColumn | SQL) {
  return (filter: FieldFilter): SQL =>
    sql`exists (select 1 from ${link.table} where ${link.objectId} = ${objectIdColumn} and ${filterSql(link.ownerId, filter)})`;
}

/** Each object's owners, ascending. */
export async function loadOwnerSets(ctx: Ctx, link: OwnerLink, objectIds: readonly number[]): Promise<Map<number, number[]>> {
  const sets = new Map<number, number[]>(objectIds.map((id) => [id, []]));
  if (objectIds.length === 0) return sets;
  const rows = (await ctx.db
    .select({ objectId: link.objectId, ownerId: link.ownerId })
    .from(link.table)
    .where(inList(link.objectId, objectIds))) as Array<{ objectId: number; ownerId: number }>;
  for (const r of rows) sets.get(r.objectId)?.push(r.ownerId);
  for (const owners of sets.values()) owners.sort((a, b) => a - b);
  return sets;
}

export function seesAny(tenant: Tenant, owners: readonly number[]): boolean {
  return tenant.owners === '*' || owners.some((o) => canSee(tenant, o));
}

/** 403 unless the token acts for every owner in `owners`. */
export function assertActsForAll(tenant: Tenant, owners: readonly number[], what: string): void {
  const outside = ownersOutside(tenant, owners);
  if (outside.length) {
    throw new TenorError('forbidden', `Changing this ${what} needs a token acting for all its owners; this one does not act for ${outside.join(', ')}`);
  }
}

/**
 * Checks a new owner set: the token acts for each (403), each exists (404 naming
 * its index) and all share one currency (422). Returns that currency.
 */
export async function checkOwnerSet(ctx: Ctx, owners: readonly number[], field = '/contractOwnerIds'): Promise<string> {
  await ctx.deps.owners.load(owners, ctx.now);
  const outside = ownersOutside(ctx.tenant, owners);
  if (outside.length) {
    throw new TenorError('forbidden', `${field}: this token does not act for contract owner ${outside.join(', ')}`, [
      { path: field, message: `names an owner this token does not act for`, value: outside },
    ]);
  }
  const currencies = new Map<string, number[]>();
  for (const [index, id] of owners.entries()) {
    const info = await ctx.deps.owners.get(id);
    if (!info) throw fieldProblem('not-found', `${field}/${index}`, `contract owner ${id} was not found`);
    currencies.set(info.currencyCode, [...(currencies.get(info.currencyCode) ?? []), id]);
  }
  if (currencies.size > 1) {
    const described = [...currencies].map(([code, ids]) => `${code} (${ids.join(', ')})`).join(', ');
    throw new TenorError('business-rule', `${field}: the owners of one object must share a currency; these use ${described}`, [
      { path: field, message: `owners use different currencies: ${described}` },
    ]);
  }
  return [...currencies.keys()][0]!;
}

/** Statements that make `owners` the object's owner set (the id may be an SQL expression, e.g. the row just inserted). */
export function ownerSetStatements(link: OwnerLink, objectId: number | SQL, owners: readonly number[], replace: boolean): Statement[] {
  const statements: Statement[] = [];
  if (replace) statements.push(sql`delete from ${link.table} where ${link.objectId} = ${objectId}`);
  // owners are few (a card's billing entities); one insert each keeps every statement far below D1's parameter limit
  for (const owner of owners) {
    statements.push(sql`insert into ${link.table} (${sql.identifier(link.objectId.name)}, ${sql.identifier(link.ownerId.name)}) values (${objectId}, ${owner})`);
  }
  return statements;
}
