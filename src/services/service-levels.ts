/** Service levels (simPRO setup, Maintenance Planner): how often an asset is serviced. */
import { assertUnreferenced, requireOwner, tableService } from '../db/crud';
import { assetTypeServiceLevels, contractServiceLevelPrices, serviceLevels } from '../db/schema';

export interface ServiceLevelInput {
  contractOwnerId: number;
  name: string;
  years: number;
  months: number;
  days: number;
  archived?: boolean;
}

export type ServiceLevelRow = typeof serviceLevels.$inferSelect;
const s = serviceLevels;

function columns(input: Partial<ServiceLevelInput>, fields: Iterable<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    if (field === 'archived') out.archived = input.archived ?? false;
    else if (field === 'name' || field === 'years' || field === 'months' || field === 'days') out[field] = input[field];
  }
  return out;
}

export const serviceLevelService = tableService<ServiceLevelRow, ServiceLevelRow, ServiceLevelInput>({
  singular: 'service level',
  table: s,
  ownerColumn: s.contractOwnerId,
  ownerOf: (r) => r.contractOwnerId,
  query: {
    filters: {
      id: { type: 'id', column: s.id },
      contractOwnerId: { type: 'id', column: s.contractOwnerId },
      name: { type: 'string', column: s.name },
      years: { type: 'number', column: s.years },
      months: { type: 'number', column: s.months },
      days: { type: 'number', column: s.days },
      archived: { type: 'boolean', column: s.archived },
    },
    sorts: { id: s.id, name: s.name, years: s.years, months: s.months, days: s.days, archived: s.archived },
  },
  async toInsert(ctx, input) {
    await requireOwner(ctx, input.contractOwnerId);
    return { contractOwnerId: input.contractOwnerId, ...columns(input, ['name', 'years', 'months', 'days', 'archived']) };
  },
  async toUpdate(_ctx, _row, input, changed) {
    return columns(input, changed);
  },
  async beforeDelete(ctx, row) {
    await assertUnreferenced(ctx, 'service level', row.id, [
      { table: assetTypeServiceLevels, column: assetTypeServiceLevels.serviceLevelId, label: 'asset types' },
      { table: contractServiceLevelPrices, column: contractServiceLevelPrices.serviceLevelId, label: 'contract prices' },
    ]);
  },
  toOutput: (_ctx, row) => row,
});
