/** Contract owners: the billing entities every other object belongs to (admin). */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { assertUnreferenced, changedValues, pickFields, tableService } from '../../db/crud';
import {
  chargeGroupCategories,
  contractOwners,
  contractProfiles,
  customers,
  rentalProductCategories,
  usageProducts,
  webhookSubscriptions,
} from '../../db/schema';
import { forbidden } from '../../http/problem';
import type { AppEnv } from '../../http/middleware';
import { outputSchema, registerResource } from '../../http/resource';
import { currencyCode, isoDate, name, timeZone } from '../../http/schemas';
import { PRICING_REFERENCES } from '../../services/pricing-references';

export const ContractOwnerInput = z
  .object({
    name: name(100, 'Acme Telecom'),
    currencyCode: currencyCode().default('GBP'),
    timezone: timeZone().default('Europe/London'),
    availableFrom: isoDate('2025-01-01'),
    availableTo: isoDate('2030-12-31').nullish(),
  })
  .strict();

export const ContractOwner = outputSchema(ContractOwnerInput, {}, 'ContractOwner');

type Input = z.infer<typeof ContractOwnerInput>;
type Row = typeof contractOwners.$inferSelect;

const service = tableService<Row, Record<string, unknown>, Input>({
  singular: 'contract owner',
  table: contractOwners,
  ownerColumn: contractOwners.id,
  ownerOf: (r) => r.id,
  dateOrder: ['availableFrom', 'availableTo'],
  async toInsert(ctx, input) {
    // a new owner is outside every explicit owner list: only a token for all owners may create one
    if (ctx.tenant.owners !== '*') throw forbidden('Only a token for all owners ("owners": ["*"]) may create contract owners');
    return { ...input, availableTo: input.availableTo ?? null };
  },
  async toUpdate(ctx, row, input, changed) {
    ctx.deps.owners.forget(row.id);
    return changedValues(input, changed);
  },
  async beforeDelete(ctx, row) {
    await assertUnreferenced(ctx, 'contract owner', row.id, [
      { table: customers, column: customers.contractOwnerId, label: 'customers' },
      { table: contractProfiles, column: contractProfiles.contractOwnerId, label: 'contract profiles' },
      { table: rentalProductCategories, column: rentalProductCategories.contractOwnerId, label: 'rental product categories' },
      { table: usageProducts, column: usageProducts.contractOwnerId, label: 'usage products' },
      { table: chargeGroupCategories, column: chargeGroupCategories.contractOwnerId, label: 'charge group categories' },
      { table: webhookSubscriptions, column: webhookSubscriptions.contractOwnerId, label: 'webhook subscriptions' },
      ...PRICING_REFERENCES.contractOwner,
    ]);
    ctx.deps.owners.forget(row.id);
  },
  toOutput: pickFields(ContractOwner),
});

export function registerContractOwners(app: OpenAPIHono<AppEnv>) {
  registerResource(app, {
    path: '/v1/contract-owners',
    tag: 'Contract owners',
    singular: 'contract owner',
    plural: 'contract owners',
    area: 'admin',
    input: ContractOwnerInput,
    output: ContractOwner,
    filters: {
      id: { type: 'id', column: contractOwners.id },
      name: { type: 'string', column: contractOwners.name },
    },
    sorts: { id: contractOwners.id, name: contractOwners.name, availableFrom: contractOwners.availableFrom },
    service,
    createExample: { name: 'Acme Telecom', currencyCode: 'GBP', timezone: 'Europe/London', availableFrom: '2025-01-01' },
    notes: {
      create: 'Needs a token for all owners (`"owners": ["*"]`), since the new owner is in no explicit list.',
      delete:
        'Refused (409, with counts) while customers, profiles, products, charge group categories, webhook subscriptions, time band plans, rate cards or rental discount plans belong to the owner.',
    },
  });
}
