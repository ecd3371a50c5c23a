/** Links a rental product inventory (RPI) to a customer contract; an RPI has at most one active assignment. */
import type { Ctx } from '../db/context';
import { isUniqueViolation } from '../db/client';
import { changedValues, pickFields, requireVisible, tableService } from '../db/crud';
import { customerContractAssignments as cca, customerContracts, rentalProductInventories } from '../db/schema';
import { conflict, TenorError } from '../errors';

export interface CustomerContractAssignmentInput {
  rentalProductInventoryId: number;
  customerContractId: number;
  active: boolean;
}

type Row = typeof cca.$inferSelect;
type Contract = typeof customerContracts.$inferSelect;
type Rpi = typeof rentalProductInventories.$inferSelect;

/** The public fields in the order they have always been rendered: the derived customer after the input fields. */
const FIELDS = [
  'id',
  'rentalProductInventoryId',
  'customerContractId',
  'active',
  'customerId',
  'createdDate',
  'updatedDate',
  'createdBy',
  'updatedBy',
  'version',
] as const satisfies readonly (keyof Row)[];

/** The RPI and the contract must belong together, and a renewed contract takes no new assignments (422 otherwise). */
export function assertAssignable(
  rpi: Pick<Rpi, 'customerId' | 'siteId'>,
  contract: Pick<Contract, 'customerId' | 'siteId' | 'renewedCustomerContractId'>,
): void {
  const rule = (message: string) => new TenorError('business-rule', `/customerContractId: ${message}`, [{ path: '/customerContractId', message }]);
  if (rpi.customerId !== contract.customerId) throw rule(`the contract belongs to customer ${contract.customerId}, the RPI to customer ${rpi.customerId}`);
  if (contract.siteId !== null && contract.siteId !== rpi.siteId) throw rule(`the contract is limited to site ${contract.siteId}; the RPI is at site ${rpi.siteId}`);
  if (contract.renewedCustomerContractId !== null) throw rule(`the contract has been renewed as ${contract.renewedCustomerContractId}; assign to the renewal`);
}

/** An assignment's column values, after the pair's rules. */
export function assignmentValues(
  rpi: Pick<Rpi, 'id' | 'customerId' | 'siteId'>,
  contract: Pick<Contract, 'id' | 'contractOwnerId' | 'customerId' | 'siteId' | 'renewedCustomerContractId'>,
  active: boolean,
) {
  assertAssignable(rpi, contract);
  return { rentalProductInventoryId: rpi.id, customerContractId: contract.id, active, contractOwnerId: contract.contractOwnerId, customerId: rpi.customerId };
}

async function checkPair(ctx: Ctx, rpiId: number, contractId: number): Promise<{ rpi: Rpi; contract: Contract }> {
  const rpi = await requireVisible<Rpi>(ctx, rentalProductInventories, rpiId, '/rentalProductInventoryId', 'rental product inventory');
  const contract = await requireVisible<Contract>(ctx, customerContracts, contractId, '/customerContractId', 'customer contract');
  assertAssignable(rpi, contract);
  return { rpi, contract };
}

function oneActive<T>(work: Promise<T>, rpiId: number): Promise<T> {
  return work.catch((error) => {
    if (isUniqueViolation(error)) throw conflict(`Rental product inventory ${rpiId} already has an active assignment`);
    throw error;
  });
}

const base = tableService<Row, Record<string, unknown>, CustomerContractAssignmentInput>({
  singular: 'customer contract assignment',
  table: cca,
  ownerColumn: cca.contractOwnerId,
  ownerOf: (r) => r.contractOwnerId,
  query: {
    filters: {
      id: { type: 'id', column: cca.id },
      customerContractId: { type: 'id', column: cca.customerContractId },
      rentalProductInventoryId: { type: 'id', column: cca.rentalProductInventoryId },
      active: { type: 'boolean', column: cca.active },
      customerId: { type: 'id', column: cca.customerId },
    },
    sorts: { id: cca.id, customerContractId: cca.customerContractId, rentalProductInventoryId: cca.rentalProductInventoryId, createdDate: cca.createdDate },
  },
  async toInsert(ctx, input) {
    const rpi = await requireVisible<Rpi>(ctx, rentalProductInventories, input.rentalProductInventoryId, '/rentalProductInventoryId', 'rental product inventory');
    const contract = await requireVisible<Contract>(ctx, customerContracts, input.customerContractId, '/customerContractId', 'customer contract');
    return assignmentValues(rpi, contract, input.active);
  },
  async toUpdate(ctx, row, input, changed) {
    // a move or a reactivation makes a new active link, so the pair is checked as on create
    if (changed.has('customerContractId') || (changed.has('active') && input.active)) {
      await checkPair(ctx, row.rentalProductInventoryId, input.customerContractId);
    }
    return changedValues(input, changed);
  },
  toOutput: pickFields(FIELDS),
});

export const customerContractAssignmentService: typeof base = {
  ...base,
  create: (ctx, input) => oneActive(base.create(ctx, input), input.rentalProductInventoryId),
  update: (ctx, row, input, changed) => oneActive(base.update(ctx, row, input, changed), row.rentalProductInventoryId),
};
