/** Rules about contract profiles that other services (contracts, renewals) share. */
import type { Ctx } from '../context';
import { assertSameOwner, requireVisible } from '../db/crud';
import { contractProfiles } from '../db/schema';
import { ApiError } from '../http/problem';

export type ContractProfileRow = typeof contractProfiles.$inferSelect;

/** A profile a contract (or another profile's rollover) may use: visible, same owner, current. */
export async function usableProfile(ctx: Ctx, id: number, ownerId: number, field: string): Promise<ContractProfileRow> {
  const profile = await requireVisible<ContractProfileRow>(ctx, contractProfiles, id, field, 'contract profile');
  assertSameOwner(ownerId, profile, field, 'contract profile');
  if (profile.supersededByContractProfileId !== null) {
    throw new ApiError('business-rule', `${field}: contract profile ${id} has been superseded by ${profile.supersededByContractProfileId}`, [
      { path: field, message: `superseded by contract profile ${profile.supersededByContractProfileId}` },
    ]);
  }
  return profile;
}

