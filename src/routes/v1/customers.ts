/** Customers of a contract owner. */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { assertUnreferenced, pickFields, requireOwner, tableService } from '../../db/crud';
import {
  customerContracts,
  customers,
  rentalProductInventories,
  sites,
  usageProductInventories,
} from '../../db/schema';
import type { AppEnv } from '../../http/middleware';
import { outputSchema, registerResource } from '../../http/resource';
import { email, entityId, externalRef, isoDate, name, text } from '../../http/schemas';
import { PRICING_REFERENCES } from '../../services/pricing-references';

export const CUSTOMER_TYPES = ['BUSINESS', 'RESIDENTIAL'] as const;

export const CustomerInput = z
  .object({
    contractOwnerId: entityId('The contract owner the customer contracts with'),
    customerName: name(100, 'Northwind Trading Ltd'),
    customerAccountNumber: text(50, 'ACC-000123').min(1).nullish(),
    customerType: z.enum(CUSTOMER_TYPES).default('BUSINESS'),
    externalRef: externalRef().nullish(),
    startDate: isoDate('2025-01-01').nullish(),
    endDate: isoDate('2027-12-31').nullish(),
    email: email().nullish(),
    language: z
      .string()
      .regex(/^[a-z]{2}$/, 'must be an ISO 639-1 code')
      .nullish()
      .openapi({ example: 'en' }),
  })
  .strict();

export const Customer = outputSchema(CustomerInput, {}, 'Customer');

type Input = z.infer<typeof CustomerInput>;
type Row = typeof customers.$inferSelect;

export const customerService = tableService<Row, Record<string, unknown>, Input>({
  singular: 'customer',
  table: customers,
  ownerColumn: customers.contractOwnerId,
  ownerOf: (r) => r.contractOwnerId,
  dateOrder: ['startDate', 'endDate'],
  async toInsert(ctx, input) {
    await requireOwner(ctx, input.contractOwnerId);
    return { ...input };
  },
  async beforeDelete(ctx, row) {
    await assertUnreferenced(ctx, 'customer', row.id, [
      { table: sites, column: sites.customerId, label: 'sites' },
      { table: customerContracts, column: customerContracts.customerId, label: 'customer contracts' },
      { table: rentalProductInventories, column: rentalProductInventories.customerId, label: 'rental product inventories' },
      { table: usageProductInventories, column: usageProductInventories.customerId, label: 'usage product inventories' },
      ...PRICING_REFERENCES.customer,
    ]);
  },
  toOutput: pickFields(Customer),
});

export function registerCustomers(app: OpenAPIHono<AppEnv>) {
  registerResource(app, {
    path: '/v1/customers',
    tag: 'Customers',
    singular: 'customer',
    plural: 'customers',
    area: 'customers',
    input: CustomerInput,
    output: Customer,
    immutable: ['contractOwnerId'],
    filters: {
      id: { type: 'id', column: customers.id },
      contractOwnerId: { type: 'id', column: customers.contractOwnerId },
      customerName: { type: 'string', column: customers.customerName },
      customerAccountNumber: { type: 'string', column: customers.customerAccountNumber },
      externalRef: { type: 'string', column: customers.externalRef },
      startDate: { type: 'date', column: customers.startDate },
      endDate: { type: 'date', column: customers.endDate },
    },
    sorts: {
      id: customers.id,
      customerName: customers.customerName,
      customerAccountNumber: customers.customerAccountNumber,
      startDate: customers.startDate,
      endDate: customers.endDate,
    },
    service: customerService,
    createExample: { contractOwnerId: 1, customerName: 'Northwind Trading Ltd', customerAccountNumber: 'ACC-000123' },
    notes: {
      create: '`customerAccountNumber` and `externalRef` are unique per contract owner (409 on a duplicate).',
      delete: 'Refused (409, with counts) while sites, contracts, inventories, pricing assignments or usage records belong to the customer.',
    },
  });
}
