/** Charge group categories: group charge groups by what they measure (duration, data, events). */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { assertUnreferenced, pickFields, requireOwner, tableService } from '../../db/crud';
import { chargeGroupCategories, chargeGroups } from '../../db/schema';
import { CHARGING_TYPES } from '../../domain/allowances';
import type { AppEnv } from '../../http/middleware';
import { outputSchema, registerResource } from '../../http/resource';
import { entityId, name } from '../../http/schemas';
import { PRICING_REFERENCES } from '../../services/pricing-references';

export const ChargeGroupCategoryInput = z
  .object({
    contractOwnerId: entityId('The contract owner; fixed after creation'),
    name: name(100, 'Voice'),
    chargingUnitType: z.enum(CHARGING_TYPES).default('DURATION'),
  })
  .strict();

export const ChargeGroupCategory = outputSchema(ChargeGroupCategoryInput, {}, 'ChargeGroupCategory');

type Input = z.infer<typeof ChargeGroupCategoryInput>;
type Row = typeof chargeGroupCategories.$inferSelect;

export const chargeGroupCategoryService = tableService<Row, Record<string, unknown>, Input>({
  singular: 'charge group category',
  table: chargeGroupCategories,
  ownerColumn: chargeGroupCategories.contractOwnerId,
  ownerOf: (r) => r.contractOwnerId,
  async toInsert(ctx, input) {
    await requireOwner(ctx, input.contractOwnerId);
    return { ...input };
  },
  async beforeDelete(ctx, row) {
    await assertUnreferenced(ctx, 'charge group category', row.id, [
      { table: chargeGroups, column: chargeGroups.chargeGroupCategoryId, label: 'charge groups' },
      ...PRICING_REFERENCES.chargeGroupCategory,
    ]);
  },
  toOutput: pickFields(ChargeGroupCategory),
});

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
    filters: {
      id: { type: 'id', column: chargeGroupCategories.id },
      contractOwnerId: { type: 'id', column: chargeGroupCategories.contractOwnerId },
      name: { type: 'string', column: chargeGroupCategories.name },
    },
    sorts: { id: chargeGroupCategories.id, name: chargeGroupCategories.name },
    service: chargeGroupCategoryService,
    createExample: { contractOwnerId: 1, name: 'Voice', chargingUnitType: 'DURATION' },
    notes: { delete: 'Refused (409, with counts) while charge groups or inclusive usage components use the category.' },
  });
}
