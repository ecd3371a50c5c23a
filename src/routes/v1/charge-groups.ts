/** Charge groups: destinations or classes of usage (national calls, local calls, data) that usage rates price. */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { assertUnreferenced, pickFields, requireVisible, tableService } from '../../db/crud';
import { chargeGroupCategories, chargeGroups } from '../../db/schema';
import type { AppEnv } from '../../http/middleware';
import { outputSchema, registerResource } from '../../http/resource';
import { PRICING_REFERENCES } from '../../services/pricing-references';
import { entityId, isoDate, name } from '../../http/schemas';

export const CHARGE_GROUP_TYPES = ['NATIONAL', 'LOCAL', 'GENERAL'] as const;

export const ChargeGroupInput = z
  .object({
    chargeGroupCategoryId: entityId('The category; fixed after creation'),
    name: name(255, 'UK national calls'),
    type: z.enum(CHARGE_GROUP_TYPES).default('GENERAL'),
    startDate: isoDate('2025-01-01'),
    endDate: isoDate('2030-12-31').nullish(),
  })
  .strict();

export const ChargeGroup = outputSchema(ChargeGroupInput, { contractOwnerId: entityId("read-only: the category's contract owner") }, 'ChargeGroup');

type Input = z.infer<typeof ChargeGroupInput>;
type Row = typeof chargeGroups.$inferSelect;

export const chargeGroupService = tableService<Row, Record<string, unknown>, Input>({
  singular: 'charge group',
  table: chargeGroups,
  ownerColumn: chargeGroups.contractOwnerId,
  ownerOf: (r) => r.contractOwnerId,
  dateOrder: ['startDate', 'endDate'],
  async toInsert(ctx, input) {
    const category = await requireVisible<typeof chargeGroupCategories.$inferSelect>(
      ctx,
      chargeGroupCategories,
      input.chargeGroupCategoryId,
      '/chargeGroupCategoryId',
      'charge group category',
    );
    return { ...input, contractOwnerId: category.contractOwnerId };
  },
  async beforeDelete(ctx, row) {
    await assertUnreferenced(ctx, 'charge group', row.id, PRICING_REFERENCES.chargeGroup);
  },
  toOutput: pickFields(ChargeGroup),
});

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
    filters: {
      id: { type: 'id', column: chargeGroups.id },
      chargeGroupCategoryId: { type: 'id', column: chargeGroups.chargeGroupCategoryId },
      contractOwnerId: { type: 'id', column: chargeGroups.contractOwnerId },
      name: { type: 'string', column: chargeGroups.name },
      type: { type: 'string', column: chargeGroups.type },
    },
    sorts: {
      id: chargeGroups.id,
      name: chargeGroups.name,
      type: chargeGroups.type,
      startDate: chargeGroups.startDate,
      endDate: chargeGroups.endDate,
    },
    service: chargeGroupService,
    createExample: { chargeGroupCategoryId: 1, name: 'UK national calls', type: 'NATIONAL', startDate: '2025-01-01' },
    notes: {
      create: 'The category must be visible to the token (404 naming `chargeGroupCategoryId` otherwise); the group belongs to its contract owner.',
      delete: 'Refused (409, with counts) while usage rates, inclusive usage components or usage records use the group.',
    },
  });
}
