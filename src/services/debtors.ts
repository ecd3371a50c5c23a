/**
 * instellix debtors (compat.md §instellix): customers addressed by their
 * external reference (the debtor ident, unique per contract owner). A debtor is
 * created through the customer service, so its rules are the customers'.
 * Customers without an external reference have no ident and are not listed here.
 */
import { and, eq, isNotNull } from 'drizzle-orm';
import type { Ctx } from '../db/context';
import { type ListPage, queryPage, readWhere } from '../db/crud';
import type { QuerySpec } from '../db/query';
import { customers } from '../db/schema';
import { notFound, TenorError } from '../errors';
import type { ListQuery } from '../list-query';
import { customerService } from './customers';
import { assertAddressable, findByIdent, ownerFor } from './instellix-common';

export type DebtorRow = typeof customers.$inferSelect;

export interface DebtorInput {
  debtorIdent: string;
  name: string;
  /** left out: the token's only owner */
  contractOwnerId?: number | null;
  email?: string | null;
  language?: string | null;
}

export function debtorOutput(row: DebtorRow) {
  return {
    debtorIdent: row.externalRef,
    debtorId: row.id,
    contractOwnerId: row.contractOwnerId,
    name: row.customerName,
    email: row.email,
    language: row.language,
    createdDate: row.createdDate,
    updatedDate: row.updatedDate,
  };
}

export type DebtorOutput = ReturnType<typeof debtorOutput>;

/** The debtor with this ident among the caller's owners (null: none). */
export function findDebtor(ctx: Ctx, ident: string): Promise<DebtorRow | null> {
  return findByIdent<DebtorRow>(ctx, customers, { owner: customers.contractOwnerId, ident: customers.externalRef }, ident, 'debtor');
}

export async function getDebtor(ctx: Ctx, ident: string): Promise<DebtorRow> {
  const row = await findDebtor(ctx, ident);
  if (!row) throw notFound(`Debtor ${ident} was not found`);
  return row;
}

export async function createDebtor(ctx: Ctx, input: DebtorInput): Promise<DebtorRow> {
  assertAddressable(input.debtorIdent, '/debtorIdent');
  const ownerId = await ownerFor(ctx, input.contractOwnerId);
  const [clash] = await ctx.db
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.contractOwnerId, ownerId), eq(customers.externalRef, input.debtorIdent)))
    .limit(1);
  if (clash) {
    throw new TenorError('conflict', `/debtorIdent: the contract owner already has a debtor "${input.debtorIdent}" (customer ${clash.id})`, [
      { path: '/debtorIdent', message: 'is already used by another debtor of the contract owner', value: input.debtorIdent },
    ]);
  }
  return customerService.create(ctx, {
    contractOwnerId: ownerId,
    customerName: input.name,
    customerType: 'BUSINESS',
    externalRef: input.debtorIdent,
    email: input.email ?? null,
    language: input.language ?? null,
  });
}

/** Debtor lists page by id alone (no filters, no other order). */
const debtorListQuery: QuerySpec = { filters: {}, sorts: { id: customers.id } };

/** A page of the caller's debtors (customers with an ident), by id (a keyset page after `query.after`). */
export function listDebtors(ctx: Ctx, query: ListQuery): Promise<ListPage<DebtorRow>> {
  const where = readWhere(ctx.tenant, customers.contractOwnerId, [isNotNull(customers.externalRef)]);
  return queryPage<DebtorRow>(ctx, customers, debtorListQuery, [where], query);
}
