/** /v1/sites: a customer's locations. */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../http/middleware';
import { outputSchema, registerResource } from '../../http/resource';
import { entityId, name, text } from '../../http/schemas';
import { type SiteInput as SiteFields, siteService } from '../../services/sites';

export const SiteInput = z
  .object({
    customerId: entityId('The customer the site belongs to; fixed after creation'),
    siteName: name(100, 'Head office'),
    siteReference: text(100, 'SITE-0042').min(1).nullish(),
  })
  .strict() satisfies z.ZodType<SiteFields>;

export const Site = outputSchema(SiteInput, { contractOwnerId: entityId("read-only: the customer's contract owner") }, 'Site');

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
    service: siteService,
    createExample: { customerId: 1, siteName: 'Head office', siteReference: 'SITE-0042' },
    notes: {
      create: 'The customer must be visible to the token (404 naming `customerId` otherwise); the site belongs to its contract owner.',
      delete: 'Refused (409, with counts) while inventories, customer contracts, pricing assignments or usage records use the site.',
    },
  });
}
