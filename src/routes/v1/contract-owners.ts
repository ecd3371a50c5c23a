/** Contract owners: the billing entities every other object belongs to (admin). */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../http/middleware';
import { outputSchema, registerResource } from '../../http/resource';
import { currencyCode, isoDate, name, timeZone } from '../../http/schemas';
import { type ContractOwnerInput as ContractOwnerFields, contractOwnerService } from '../../services/contract-owners';

export const ContractOwnerInput = z
  .object({
    name: name(100, 'Acme Telecom'),
    currencyCode: currencyCode().default('GBP'),
    timezone: timeZone().default('Europe/London'),
    availableFrom: isoDate('2025-01-01'),
    availableTo: isoDate('2030-12-31').nullish(),
  })
  .strict() satisfies z.ZodType<ContractOwnerFields>;

export const ContractOwner = outputSchema(ContractOwnerInput, {}, 'ContractOwner');

export function registerContractOwners(app: OpenAPIHono<AppEnv>) {
  registerResource(app, {
    path: '/v1/contract-owners',
    tag: 'Contract owners',
    singular: 'contract owner',
    plural: 'contract owners',
    area: 'admin',
    input: ContractOwnerInput,
    output: ContractOwner,
    service: contractOwnerService,
    createExample: { name: 'Acme Telecom', currencyCode: 'GBP', timezone: 'Europe/London', availableFrom: '2025-01-01' },
    notes: {
      create: 'Needs a token for all owners (`"owners": ["*"]`), since the new owner is in no explicit list.',
      delete:
        'Refused (409, with counts) while customers, profiles, products, charge group categories, webhook subscriptions, time band plans, rate cards or rental discount plans belong to the owner.',
    },
  });
}
