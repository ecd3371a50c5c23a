/** Sites: a customer's locations. Products are attached to sites as inventories. */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { assertUnreferenced, pickFields, requireVisible, tableService } from '../../db/crud';
import { customerContracts, customers, rentalProductInventories, sites, usageProductInventories } from '../../db/schema';
import type { AppEnv } from '../../http/middleware';
import { outputSchema, registerResource } from '../../http/resource';
import { entityId, name, text } from '../../http/schemas';
import { PRICING_REFERENCES } from '../../services/pricing-references';

export const SiteInput = z
  .object({
    customerId: entityId('The customer the site belongs to; fixed after creation'),
    siteName: name(100, 'Head office'),
    siteReference: text(100, 'SITE-0042').min(1).nullish(),
  })
  .strict();

export const Site = outputSchema(SiteInput, { contractOwnerId: entityId("read-only: the customer's contract owner") }, 'Site');

type Input = z.infer<typeof SiteInput>;
type Row = typeof sites.$inferSelect;

export const siteService = tableService<Row, Record<string, unknown>, Input>({
  singular: 'site',
  table: sites,
  ownerColumn: sites.contractOwnerId,
  ownerOf: (r) => r.contractOwnerId,
  async toInsert(ctx, input) {
    const customer = await requireVisible<typeof customers.$inferSelect>(ctx, customers, input.customerId, '/customerId', 'customer');
    return { ...input, contractOwnerId: customer.contractOwnerId };
  },
  async beforeDelete(ctx, row) {
    await assertUnreferenced(ctx, 'site', row.id, [
      { table: rentalProductInventories, column: rentalProductInventories.siteId, label: 'rental product inventories' },
      { table: usageProductInventories, column: usageProductInventories.siteId, label: 'usage product inventories' },
      { table: customerContracts, column: customerContracts.siteId, label: 'customer contracts' },
      ...PRICING_REFERENCES.site,
    ]);
  },
  toOutput: pickFields(Site),
});

export function registerSites(app: OpenAPIHono<AppEnv>) {
  registerResource(app, {
    path: '/v1/sites',
    tag: 'Sites',
    singular: 'site',
    plural: 'sites',
    area: 'customers',
    input: SiteInput,
    output: Site,
    immutable: ['customerId'],
    filters: {
      id: { type: 'id', column: sites.id },
      customerId: { type: 'id', column: sites.customerId },
      contractOwnerId: { type: 'id', column: sites.contractOwnerId },
      siteName: { type: 'string', column: sites.siteName },
      siteReference: { type: 'string', column: sites.siteReference },
    },
    sorts: { id: sites.id, customerId: sites.customerId, siteName: sites.siteName, siteReference: sites.siteReference },
    service: siteService,
    createExample: { customerId: 1, siteName: 'Head office', siteReference: 'SITE-0042' },
    notes: {
      create: 'The customer must be visible to the token (404 naming `customerId` otherwise); the site belongs to its contract owner.',
      delete: 'Refused (409, with counts) while inventories, customer contracts, pricing assignments or usage records use the site.',
    },
  });
}
