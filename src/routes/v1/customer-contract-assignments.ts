/** Links a rental product inventory (RPI) to a customer contract; an RPI has at most one active assignment. */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../http/middleware';
import { outputSchema, registerResource } from '../../http/resource';
import { entityId } from '../../http/schemas';
import { type CustomerContractAssignmentInput, customerContractAssignmentService } from '../../services/customer-contract-assignments';

export const AssignmentInput = z
  .object({
    rentalProductInventoryId: entityId('The RPI to assign'),
    customerContractId: entityId('The contract; same customer as the RPI, and same site if the contract is site-level'),
    active: z.boolean().default(true).openapi({ example: true }),
  })
  .strict() satisfies z.ZodType<CustomerContractAssignmentInput>;

export const Assignment = outputSchema(
  AssignmentInput,
  { customerId: entityId('read-only: the customer of the RPI and the contract') },
  'CustomerContractAssignment',
);

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
    // the documented example sends [{"op":"replace","path":"/active","value":"false"}]
    patchStringBooleans: ['active'],
    service: customerContractAssignmentService,
    createExample: { rentalProductInventoryId: 1, customerContractId: 1, active: true },
    notes: {
      create: 'An RPI has at most one active assignment (409). A rollover moves active assignments to the renewal.',
      update:
        'Deactivate with `replace /active false` (the strings "true" and "false" are accepted too, as the documented example sends them). Moving to another contract or reactivating re-checks customer, site and that the contract has not been renewed (422).',
    },
  });
}
