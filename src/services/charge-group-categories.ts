/** Charge group categories: group charge groups by what they measure (duration, data, events). */
import { assertUnreferenced, columnKeys, pickFields, requireOwner, tableService } from '../db/crud';
import { chargeGroupCategories, chargeGroups } from '../db/schema';
import type { ChargingType } from '../domain/allowances/model';
import { PRICING_REFERENCES } from './pricing-references';

export interface ChargeGroupCategoryInput {
  contractOwnerId: number;
  name: string;
  chargingUnitType: ChargingType;
}

type Row = typeof chargeGroupCategories.$inferSelect;

export const chargeGroupCategoryService = tableService<Row, Record<string, unknown>, ChargeGroupCategoryInput>({
  singular: 'charge group category',
  table: chargeGroupCategories,
  ownerColumn: chargeGroupCategories.contractOwnerId,
  ownerOf: (r) => r.contractOwnerId,
  query: {
    filters: {
      id: { type: 'id', column: chargeGroupCategories.id },
      contractOwnerId: { type: 'id', column: chargeGroupCategories.contractOwnerId },
      name: { type: 'string', column: chargeGroupCategories.name },
    },
    sorts: { id: chargeGroupCategories.id, name: chargeGroupCategories.name },
  },
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
  toOutput: pickFields(columnKeys(chargeGroupCategories)),
});
