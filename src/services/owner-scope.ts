/**
 * The contract owner and customer a request of a compatibility surface names in
 * its path (simPRO's `companyID` and `customerID`): one the caller acts for, or
 * a 404 that reveals nothing about other owners' objects.
 */
import type { Ctx } from '../db/context';
import type { OwnerInfo } from '../db/owners';
import { canSee } from '../db/tenancy';
import { invalidField, notFound } from '../errors';
import { customerService } from './customers';

export interface OwnerScopeLabels {
  /** where the id came from, for a 400 (`path.companyID`) */
  param: string;
  /** what the surface calls an owner (`Company`) */
  label: string;
}

/**
 * The owner `ownerId` names; null names the caller's only owner (400 when the
 * token acts for several or for all). An owner the caller does not act for, or
 * that does not exist, is a 404.
 */
export async function ownerInScope(ctx: Ctx, ownerId: number | null, labels: OwnerScopeLabels): Promise<OwnerInfo> {
  let id = ownerId;
  if (id === null) {
    const owners = ctx.tenant.owners;
    if (owners === '*' || owners.length !== 1) {
      const which = owners === '*' ? 'all contract owners' : `${owners.length} contract owners`;
      throw invalidField(labels.param, `0 names the caller's only contract owner, but this token acts for ${which}: give the owner's id`, 0);
    }
    id = owners[0]!;
  }
  const owner = canSee(ctx.tenant, id) ? await ctx.deps.owners.get(id) : undefined;
  if (!owner) throw notFound(`${labels.label} ${id} was not found`);
  return owner;
}

/** The owner's calendar date now. */
export async function ownerTodayOf(ctx: Ctx, ownerId: number): Promise<string> {
  await ctx.deps.owners.load([ownerId], ctx.now);
  return ctx.deps.owners.today(ownerId, ctx.now);
}

export type CustomerRow = NonNullable<Awaited<ReturnType<typeof customerService.find>>>;

/** A customer of the owner (404 when it is not one, or not visible). */
export async function customerOfOwner(ctx: Ctx, ownerId: number, customerId: number): Promise<CustomerRow> {
  const customer = await customerService.find(ctx, customerId);
  if (!customer || customer.contractOwnerId !== ownerId) throw notFound(`Customer ${customerId} was not found`);
  return customer;
}
