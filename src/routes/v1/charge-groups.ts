/** Charge groups: destinations or classes of usage (national calls, local calls, data) that usage rates price. */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../http/middleware';
import { outputSchema, registerResource } from '../../http/resource';
import { entityId, isoDate, name } from '../../http/schemas';
import { CHARGE_GROUP_TYPES, type ChargeGroupInput as ChargeGroupFields, chargeGroupService } from '../../services/charge-groups';

export const ChargeGroupInput = z
  .object({
    chargeGroupCategoryId: entityId('The category; fixed after creation'),
    name: name(255, 'UK national calls'),
    type: z.enum(CHARGE_GROUP_TYPES).default('GENERAL'),
    startDate: isoDate('2025-01-01'),
    endDate: isoDate('2030-12-31').nullish(),
  })
  .strict() satisfies z.ZodType<ChargeGroupFields>;

export const ChargeGroup = outputSchema(ChargeGroupInput, { contractOwnerId: entityId("read-only: the category's contract owner") }, 'ChargeGroup');

export function registerChargeGroups(app: OpenAPIHono<AppEnv>) {
  registerResource(app, {
    path: '/v1/charge-groups',
    tag: 'Charge groups',
    singular: 'charge group',
    plural: 'charge groups',
    area: 'customers',
    input: ChargeGroupInput,
    output: ChargeGroup,
    immutable: ['chargeGroupCategoryId'],
    service: chargeGroupService,
    createExample: { chargeGroupCategoryId: 1, name: 'UK national calls', type: 'NATIONAL', startDate: '2025-01-01' },
    notes: {
      create: 'The category must be visible to the token (404 naming `chargeGroupCategoryId` otherwise); the group belongs to its contract owner.',
      delete: 'Refused (409, with counts) while usage rates, inclusive usage components or usage records use the group.',
    },
  });
}
