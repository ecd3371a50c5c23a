/** Links a rental product inventory (RPI) to a customer contract; an RPI has at most one active assignment. */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Ctx } from '../../context';
import { isUniqueViolation } from '../../db/client';
import { changedValues, pickFields, requireVisible, tableService } from '../../db/crud';
import { customerContractAssignments as cca, customerContracts, rentalProductInventories } from '../../db/schema';
import type { AppEnv } from '../../http/middleware';
import { ApiError, conflict } from '../../http/problem';
import { outputSchema, registerResource } from '../../http/resource';
import { entityId } from '../../http/schemas';

export const AssignmentInput = z
  .object({
    rentalProductInventoryId: entityId('The RPI to assign'),
    customerContractId: entityId('The contract; same customer as the RPI, and same site if the contract is site-level'),
    active: z.boolean().default(true).openapi({ example: true }),
  })
  .strict();

export const Assignment = outputSchema(
  AssignmentInput,
  { customerId: entityId('read-only: the customer of the RPI and the contract') },
  'CustomerContractAssignment',
);

type Input = z.infer<typeof AssignmentInput>;
type Row = typeof cca.$inferSelect;
type Contract = typeof customerContracts.$inferSelect;
type Rpi = typeof rentalProductInventories.$inferSelect;

/** The RPI and the contract must belong together, and a renewed contract takes no new assignments. */
async function checkPair(ctx: Ctx, rpiId: number, contractId: number): Promise<{ rpi: Rpi; contract: Contract }> {
  const rpi = await requireVisible<Rpi>(ctx, rentalProductInventories, rpiId, '/rentalProductInventoryId', 'rental product inventory');
  const contract = await requireVisible<Contract>(ctx, customerContracts, contractId, '/customerContractId', 'customer contract');
  const rule = (message: string) => new ApiError('business-rule', `/customerContractId: ${message}`, [{ path: '/customerContractId', message }]);
  if (rpi.customerId !== contract.customerId) throw rule(`the contract belongs to customer ${contract.customerId}, the RPI to customer ${rpi.customerId}`);
  if (contract.siteId !== null && contract.siteId !== rpi.siteId) throw rule(`the contract is limited to site ${contract.siteId}; the RPI is at site ${rpi.siteId}`);
  if (contract.renewedCustomerContractId !== null) throw rule(`the contract has been renewed as ${contract.renewedCustomerContractId}; assign to the renewal`);
  return { rpi, contract };
}

function oneActive<T>(work: Promise<T>, rpiId: number): Promise<T> {
  return work.catch((error) => {
    if (isUniqueViolation(error)) throw conflict(`Rental product inventory ${rpiId} already has an active assignment`);
    throw error;
  });
}

const base = tableService<Row, Record<string, unknown>, Input>({
  singular: 'customer contract assignment',
  table: cca,
  ownerColumn: cca.contractOwnerId,
  ownerOf: (r) => r.contractOwnerId,
  async toInsert(ctx, input) {
    const { rpi, contract } = await checkPair(ctx, input.rentalProductInventoryId, input.customerContractId);
    return { ...input, contractOwnerId: contract.contractOwnerId, customerId: rpi.customerId };
  },
  async toUpdate(ctx, row, input, changed) {
    // a move or a reactivation makes a new active link, so the pair is checked as on create
    if (changed.has('customerContractId') || (changed.has('active') && input.active)) {
      await checkPair(ctx, row.rentalProductInventoryId, input.customerContractId);
    }
    return changedValues(input, changed);
  },
  toOutput: pickFields(Assignment),
});

const service: typeof base = {
  ...base,
  create: (ctx, input) => oneActive(base.create(ctx, input), input.rentalProductInventoryId),
  update: (ctx, row, input, changed) => oneActive(base.update(ctx, row, input, changed), row.rentalProductInventoryId),
};

export function registerCustomerContractAssignments(app: OpenAPIHono<AppEnv>) {
  registerResource(app, {
    path: '/v1/customer-contract-assignments',
    tag: 'Customer contracts',
    singular: 'customer contract assignment',
    plural: 'customer contract assignments',
    area: 'contracts',
    input: AssignmentInput,
    output: Assignment,
    immutable: ['rentalProductInventoryId'],
    filters: {
      id: { type: 'id', column: cca.id },
      customerContractId: { type: 'id', column: cca.customerContractId },
      rentalProductInventoryId: { type: 'id', column: cca.rentalProductInventoryId },
      active: { type: 'boolean', column: cca.active },
      customerId: { type: 'id', column: cca.customerId },
    },
    sorts: { id: cca.id, customerContractId: cca.customerContractId, rentalProductInventoryId: cca.rentalProductInventoryId, createdDate: cca.createdDate },
    service,
    createExample: { rentalProductInventoryId: 1, customerContractId: 1, active: true },
    notes: {
      create: 'An RPI has at most one active assignment (409). A rollover moves active assignments to the renewal.',
      update:
        'Deactivate with `replace /active false`. Moving to another contract or reactivating re-checks customer, site and that the contract has not been renewed (422).',
    },
  });
}
