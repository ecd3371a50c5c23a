/** Service fees (simPRO setup): an extra fee on a job, such as a call-out fee; a contract may name one. */
import { assertUnreferenced, requireOwner, tableService } from '../db/crud';
import { scaledNumberFilter } from '../db/query';
import { customerContracts, serviceFees } from '../db/schema';
import { majorToMicros } from '../domain/money';

export interface ServiceFeeInput {
  contractOwnerId: number;
  name: string;
  /** major units of the owner's currency; default 0 */
  price?: number;
  /** hours; default 0 */
  laborTime?: number;
  displayOrder?: number;
  archived?: boolean;
}

export type ServiceFeeRow = typeof serviceFees.$inferSelect;
const f = serviceFees;

function columns(input: Partial<ServiceFeeInput>, fields: Iterable<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    if (field === 'name') out.name = input.name;
    else if (field === 'price') out.price = majorToMicros(input.price ?? 0);
    else if (field === 'laborTime') out.laborTime = majorToMicros(input.laborTime ?? 0);
    else if (field === 'displayOrder') out.displayOrder = input.displayOrder ?? 0;
    else if (field === 'archived') out.archived = input.archived ?? false;
  }
  return out;
}

export const serviceFeeService = tableService<ServiceFeeRow, ServiceFeeRow, ServiceFeeInput>({
  singular: 'service fee',
  table: f,
  ownerColumn: f.contractOwnerId,
  ownerOf: (r) => r.contractOwnerId,
  query: {
    filters: {
      id: { type: 'id', column: f.id },
      contractOwnerId: { type: 'id', column: f.contractOwnerId },
      name: { type: 'string', column: f.name },
      price: { type: 'number', build: scaledNumberFilter(f.price, majorToMicros) },
      laborTime: { type: 'number', build: scaledNumberFilter(f.laborTime, majorToMicros) },
      displayOrder: { type: 'number', column: f.displayOrder },
      archived: { type: 'boolean', column: f.archived },
    },
    sorts: { id: f.id, name: f.name, price: f.price, laborTime: f.laborTime, displayOrder: f.displayOrder, archived: f.archived },
  },
  async toInsert(ctx, input) {
    await requireOwner(ctx, input.contractOwnerId);
    return { contractOwnerId: input.contractOwnerId, ...columns(input, ['name', 'price', 'laborTime', 'displayOrder', 'archived']) };
  },
  async toUpdate(_ctx, _row, input, changed) {
    return columns(input, changed);
  },
  async beforeDelete(ctx, row) {
    await assertUnreferenced(ctx, 'service fee', row.id, [
      { table: customerContracts, column: customerContracts.serviceFeeId, label: 'customer contracts' },
    ]);
  },
  toOutput: (_ctx, row) => row,
});
