/**
 * Owner tenancy, applied where data is read and written — not left to routes.
 * Every business row carries `contract_owner_id`; a caller sees only rows of the
 * owners in its token. Objects of other owners are reported as not found.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { forbidden } from '../errors';
import { inList } from './client';

export interface Tenant {
  readonly owners: readonly number[] | '*';
}

export const ALL_OWNERS: Tenant = { owners: '*' };

export function canSee(tenant: Tenant, ownerId: number): boolean {
  return tenant.owners === '*' || tenant.owners.includes(ownerId);
}

/** The owners in `owners` the tenant does not act for. */
export function ownersOutside(tenant: Tenant, owners: readonly number[]): number[] {
  return owners.filter((o) => !canSee(tenant, o));
}

/** Whether every owner in `owners` is one the tenant acts for; `*` is covered only by a tenant for all owners. */
export function coversOwners(tenant: Tenant, owners: ReadonlyArray<number | '*'>): boolean {
  if (tenant.owners === '*') return true;
  const mine = tenant.owners;
  return owners.every((o) => o !== '*' && mine.includes(o));
}

/** The WHERE fragment restricting `column` to the tenant's owners; undefined when unrestricted. */
export function ownerCondition(tenant: Tenant, column: SQLiteColumn | SQL): SQL | undefined {
  if (tenant.owners === '*') return undefined;
  if (tenant.owners.length === 0) return sql`0`;
  if (tenant.owners.length === 1) return sql`${column} = ${tenant.owners[0]}`;
  return inList(column, tenant.owners);
}

/** Creating for an owner outside the caller's list is a 403 (conventions.md). */
export function assertMayActFor(tenant: Tenant, ownerId: number): void {
  if (!canSee(tenant, ownerId)) throw forbidden(`This token may not act for contract owner ${ownerId}`);
}
