/**
 * Time band plans: how a contract owner's week divides into PEAK, OFFPEAK and
 * WEEKEND, used by usage rate cards to pick the rate of a call.
 */
import { assertUnreferenced, changedValues, columnKeys, pickFields, requireOwner, tableService } from '../db/crud';
import { timeBandPlans, usageRateCardTimeBandPlans } from '../db/schema';
import type { TimeBand } from '../domain/timebands';

export interface TimeBandPlanFields {
  contractOwnerId: number;
  name: string;
  /** together they cover Monday 00:00 to Sunday 24:00 exactly once (checked by validateTimeBandPlan) */
  bands: TimeBand[];
}

type Row = typeof timeBandPlans.$inferSelect;

export const timeBandPlanService = tableService<Row, Record<string, unknown>, TimeBandPlanFields>({
  singular: 'time band plan',
  table: timeBandPlans,
  ownerColumn: timeBandPlans.contractOwnerId,
  ownerOf: (r) => r.contractOwnerId,
  query: {
    filters: {
      id: { type: 'id', column: timeBandPlans.id },
      contractOwnerId: { type: 'id', column: timeBandPlans.contractOwnerId },
      name: { type: 'string', column: timeBandPlans.name },
    },
    sorts: { id: timeBandPlans.id, name: timeBandPlans.name },
  },
  async toInsert(ctx, input) {
    await requireOwner(ctx, input.contractOwnerId);
    return { ...input };
  },
  async toUpdate(_ctx, _row, input, changed) {
    return changedValues(input, changed);
  },
  async beforeDelete(ctx, row) {
    await assertUnreferenced(ctx, 'time band plan', row.id, [
      { table: usageRateCardTimeBandPlans, column: usageRateCardTimeBandPlans.timeBandPlanId, label: 'usage rate card time band entries' },
    ]);
  },
  toOutput: pickFields(columnKeys(timeBandPlans)),
});
