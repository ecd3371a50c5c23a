/** Charge groups: destinations or classes of usage (national calls, local calls, data) that usage rates price. */
import { assertUnreferenced, pickFields, requireVisible, tableService } from '../db/crud';
import { chargeGroupCategories, chargeGroups } from '../db/schema';
import { PRICING_REFERENCES } from './pricing-references';

export const CHARGE_GROUP_TYPES = ['NATIONAL', 'LOCAL', 'GENERAL'] as const;
export type ChargeGroupType = (typeof CHARGE_GROUP_TYPES)[number];

export interface ChargeGroupInput {
  chargeGroupCategoryId: number;
  name: string;
  type: ChargeGroupType;
  startDate: string;
  endDate?: string | null;
}

type Row = typeof chargeGroups.$inferSelect;

/** The public fields in the order they have always been rendered: the derived owner after the input fields. */
const FIELDS = [
  'id',
  'chargeGroupCategoryId',
  'name',
  'type',
  'startDate',
  'endDate',
  'contractOwnerId',
  'createdDate',
  'updatedDate',
  'createdBy',
  'updatedBy',
  'version',
] as const satisfies readonly (keyof Row)[];

export const chargeGroupService = tableService<Row, Record<string, unknown>, ChargeGroupInput>({
  singular: 'charge group',
  table: chargeGroups,
  ownerColumn: chargeGroups.contractOwnerId,
  ownerOf: (r) => r.contractOwnerId,
  query: {
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
  },
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
  toOutput: pickFields(FIELDS),
});
