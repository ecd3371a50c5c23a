/** Charge group categories: group charge groups by what they measure (duration, data, events). */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { CHARGING_TYPES } from '../../domain/allowances/model';
import type { AppEnv } from '../../http/middleware';
import { outputSchema, registerResource } from '../../http/resource';
import { entityId, name } from '../../http/schemas';
import {
  type ChargeGroupCategoryInput as ChargeGroupCategoryFields,
  chargeGroupCategoryService,
} from '../../services/charge-group-categories';

export const ChargeGroupCategoryInput = z
  .object({
    contractOwnerId: entityId('The contract owner; fixed after creation'),
    name: name(100, 'Voice'),
    chargingUnitType: z.enum(CHARGING_TYPES).default('DURATION'),
  })
  .strict() satisfies z.ZodType<ChargeGroupCategoryFields>;

export const ChargeGroupCategory = outputSchema(ChargeGroupCategoryInput, {}, 'ChargeGroupCategory');

export function registerChargeGroupCategories(app: OpenAPIHono<AppEnv>) {
  registerResource(app, {
    path: '/v1/charge-group-categories',
    tag: 'Charge group categories',
    singular: 'charge group category',
    plural: 'charge group categories',
    area: 'customers',
    input: ChargeGroupCategoryInput,
    output: ChargeGroupCategory,
    immutable: ['contractOwnerId'],
    service: chargeGroupCategoryService,
    createExample: { contractOwnerId: 1, name: 'Voice', chargingUnitType: 'DURATION' },
    notes: { delete: 'Refused (409, with counts) while charge groups or inclusive usage components use the category.' },
  });
}
