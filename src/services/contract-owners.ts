/** Contract owners: the billing entities every other object belongs to. */
import { assertUnreferenced, changedValues, columnKeys, pickFields, tableService } from '../db/crud';
import {
  assetTypes,
  chargeGroupCategories,
  contractCustomFields,
  contractOwners,
  contractProfiles,
  customers,
  pricingTiers,
  rentalProductCategories,
  serviceFees,
  serviceLevels,
  usageProducts,
  webhookSubscriptions,
} from '../db/schema';
import { forbidden } from '../errors';
import { PRICING_REFERENCES } from './pricing-references';

export interface ContractOwnerInput {
  name: string;
  currencyCode: string;
  timezone: string;
  availableFrom: string;
  availableTo?: string | null;
}

type Row = typeof contractOwners.$inferSelect;

export const contractOwnerService = tableService<Row, Record<string, unknown>, ContractOwnerInput>({
  singular: 'contract owner',
  table: contractOwners,
  ownerColumn: contractOwners.id,
  ownerOf: (r) => r.id,
  query: {
    filters: {
      id: { type: 'id', column: contractOwners.id },
      name: { type: 'string', column: contractOwners.name },
    },
    sorts: { id: contractOwners.id, name: contractOwners.name, availableFrom: contractOwners.availableFrom },
  },
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
      // the simPRO surface's setup lists
      { table: contractCustomFields, column: contractCustomFields.contractOwnerId, label: 'contract custom fields' },
      { table: pricingTiers, column: pricingTiers.contractOwnerId, label: 'pricing tiers' },
      { table: serviceFees, column: serviceFees.contractOwnerId, label: 'service fees' },
      { table: serviceLevels, column: serviceLevels.contractOwnerId, label: 'service levels' },
      { table: assetTypes, column: assetTypes.contractOwnerId, label: 'asset types' },
      ...PRICING_REFERENCES.contractOwner,
    ]);
    ctx.deps.owners.forget(row.id);
  },
  toOutput: pickFields(columnKeys(contractOwners)),
});
