/**
 * Usage records as stored and shown: what was posted, its rating on the wire, and
 * GET /v2/usage-records. Rating a posted batch: batch.ts.
 */
import { tableService } from '../../db/crud';
import { usageRecords } from '../../db/schema';
import { microsToMinor } from '../../domain/money';
import { fromQuantityUnits } from '../../domain/quantity';
import { TenorError } from '../../errors';

export type UsageRecordRow = typeof usageRecords.$inferSelect;

/** One record as posted (validated: a real instant, a quantity of ≤ 6 places, cost in pence). */
export interface UsageRecordInput {
  reference: string;
  usageProductInventoryId: number;
  chargeGroupId: number;
  startTime: string;
  quantity: number;
  cost?: number | null;
}

/** The rating of one record on the wire: quantities in the product's unit, money in pence. */
export interface UsageRecordResult {
  id: number;
  reference: string;
  status: 'RATED' | 'UNRATED';
  reason: string | null;
  usageRateCardId: number | null;
  usageRateId: number | null;
  timeband: 'PEAK' | 'OFFPEAK' | 'WEEKEND';
  quantity: number;
  chargeableQuantity: number | null;
  inclusiveQuantity: number | null;
  inclusiveValue: number | null;
  charge: number | null;
  currencyCode: string;
}

/** A stored record → its rating on the wire. */
export function resultOf(r: UsageRecordRow): UsageRecordResult {
  const quantity = (units: number | null) => (units === null ? null : fromQuantityUnits(BigInt(units)));
  const pence = (micros: number | null) => (micros === null ? null : microsToMinor(micros));
  return {
    id: r.id,
    reference: r.reference,
    status: r.status,
    reason: r.reason,
    usageRateCardId: r.usageRateCardId,
    usageRateId: r.usageRateId,
    timeband: r.timeband,
    quantity: quantity(r.quantity)!,
    chargeableQuantity: quantity(r.chargeableQuantity),
    inclusiveQuantity: quantity(r.inclusiveQuantity),
    inclusiveValue: pence(r.inclusiveValue),
    charge: pence(r.charge),
    currencyCode: r.currencyCode,
  };
}

/** Stored records as GET /v2/usage-records shows them: what was posted, and its rating. */
export const usageRecordService = tableService<UsageRecordRow, Record<string, unknown>, Record<string, never>>({
  singular: 'usage record',
  table: usageRecords,
  ownerColumn: usageRecords.contractOwnerId,
  ownerOf: (r) => r.contractOwnerId,
  query: {
    filters: {
      id: { type: 'id', column: usageRecords.id },
      customerId: { type: 'id', column: usageRecords.customerId },
      siteId: { type: 'id', column: usageRecords.siteId },
      usageProductInventoryId: { type: 'id', column: usageRecords.usageProductInventoryId },
      chargeGroupId: { type: 'id', column: usageRecords.chargeGroupId },
      reference: { type: 'string', column: usageRecords.reference },
      startTime: { type: 'instant', column: usageRecords.startTime },
      status: { type: 'string', column: usageRecords.status },
    },
    sorts: { id: usageRecords.id, startTime: usageRecords.startTime, reference: usageRecords.reference, usageProductInventoryId: usageRecords.usageProductInventoryId },
  },
  async toInsert() {
    throw new TenorError('method-not-allowed', 'Usage records are created by POST /v2/usage-records with a batch');
  },
  toOutput: (_ctx, r) => {
    const { id, reference, ...rating } = resultOf(r);
    return {
      id,
      reference,
      usageProductInventoryId: r.usageProductInventoryId,
      customerId: r.customerId,
      siteId: r.siteId,
      chargeGroupId: r.chargeGroupId,
      startTime: r.startTime,
      receivedQuantity: fromQuantityUnits(BigInt(r.receivedQuantity)),
      cost: r.cost === null ? null : microsToMinor(r.cost),
      ...rating,
      createdDate: r.createdDate,
      updatedDate: r.updatedDate,
      createdBy: r.createdBy,
      updatedBy: r.updatedBy,
      version: r.version,
    };
  },
});
