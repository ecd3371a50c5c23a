/**
 * What the instellix dialect's services share: the contract owner a request acts
 * for, and finding an object by its ident among the owners the caller sees.
 */
import { and, eq, type SQL } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Ctx } from '../db/context';
import { requireOwner } from '../db/crud';
import { ownerCondition } from '../db/tenancy';
import { impliedOwner, isAddressableIdent } from '../domain/instellix';
import { conflict, invalidField } from '../errors';

/**
 * The owner a create acts for: `contractOwnerId` when given, else the token's
 * only owner (400 naming the field when the token acts for several); the caller
 * must act for it (403) and it must exist (404).
 */
export async function ownerFor(ctx: Ctx, given: number | null | undefined): Promise<number> {
  const ownerId = impliedOwner(ctx.tenant.owners, given);
  if (ownerId === null) throw invalidField('/contractOwnerId', 'is required: the token acts for more than one contract owner');
  await requireOwner(ctx, ownerId);
  return ownerId;
}

/** 400 for an ident the pattern allows but a URL path cannot carry (`.`, `..`). */
export function assertAddressable(ident: string, field: string): void {
  if (!isAddressableIdent(ident)) throw invalidField(field, 'cannot be "." or "..": the ident is part of URL paths', ident);
}

/**
 * The one row of `table` whose `identColumn` is `ident` among the owners the
 * caller sees (and `extra`); null when there is none. An ident that two of the
 * caller's owners use is a 409: a token for one owner tells them apart.
 */
export async function findByIdent<Row>(
  ctx: Ctx,
  table: SQLiteTable,
  columns: { owner: SQLiteColumn; ident: SQLiteColumn },
  ident: string,
  label: string,
  extra?: SQL,
): Promise<Row | null> {
  const rows = (await ctx.db
    .select()
    .from(table)
    .where(and(ownerCondition(ctx.tenant, columns.owner), eq(columns.ident, ident), extra))
    .limit(2)) as Row[];
  if (rows.length > 1) {
    throw conflict(`More than one of the contract owners this token acts for has a ${label} "${ident}"; use a token for one owner`);
  }
  return rows[0] ?? null;
}
