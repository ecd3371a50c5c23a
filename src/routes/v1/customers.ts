/** Customers of a contract owner. */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../http/middleware';
import { outputSchema, registerResource } from '../../http/resource';
import { email, entityId, externalRef, isoDate, name, text } from '../../http/schemas';
import { CUSTOMER_TYPES, type CustomerInput as CustomerFields, customerService } from '../../services/customers';

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
  .strict() satisfies z.ZodType<CustomerFields>;

export const Customer = outputSchema(CustomerInput, {}, 'Customer');

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
    service: customerService,
    createExample: { contractOwnerId: 1, customerName: 'Northwind Trading Ltd', customerAccountNumber: 'ACC-000123' },
    notes: {
      create: '`customerAccountNumber` and `externalRef` are unique per contract owner (409 on a duplicate).',
      delete: 'Refused (409, with counts) while sites, contracts, inventories, pricing assignments or usage records belong to the customer.',
    },
  });
}
