/** Step 4 of rating a batch (batch.ts): one batch of set-based statements, conditional on what was read. */
import { sql } from 'drizzle-orm';
import type { Ctx } from '../../db/context';
import { abortUnlessChanged, type Statement } from '../../db/client';
import { bucketAmountToWire } from '../../domain/allowances/balances';
import { componentAllowance } from '../../domain/allowances/buckets';
import { microsToMinor, minorToMicros } from '../../domain/money';
import { toQuantityUnits } from '../../domain/quantity';
import type { ExhaustedEvent, FreshRecord, RatedBatch } from './rating';
import type { UsageRecordResult } from './records';

export const EXHAUSTED_EVENT = { type: 'inclusive_usage_balance.exhausted', objectType: 'inclusive_usage_plan_assignment' } as const;

/**
 * A quantity rating returned (its units / 10^6, as a double) back to stored units:
 * exact, since units < 2^53 are recovered by rounding the product.
 */
function units(quantity: number): number {
  return Math.round(quantity * 1_000_000);
}

export async function writeBatch(ctx: Ctx, batch: RatedBatch, firstId: number): Promise<void> {
  batch.fresh.forEach((f, i) => (f.id = firstId + i));

  const now = ctx.nowIso;
  const actor = ctx.actor;
  // in reserved-id order, so an element's id is the first id plus its index; owner, customer and site are the UPI's
  const rows = batch.fresh.map(({ p, result: r }) => [
    p.upi.id,
    p.input.reference,
    p.group.id,
    p.startTime,
    Number(toQuantityUnits(p.input.quantity)),
    p.input.cost == null ? null : minorToMicros(p.input.cost),
    r.status,
    r.reason,
    r.usageRateCardId,
    r.usageRateId,
    r.timeband,
    units(r.quantity),
    r.chargeableQuantity === null ? null : units(r.chargeableQuantity),
    r.inclusiveQuantity === null ? null : units(r.inclusiveQuantity),
    r.inclusiveValue,
    r.charge,
    p.owner.currencyCode,
  ]);
  const statements: Statement[] = [];

  const updates = batch.buckets.filter((b) => b.stored !== null);
  if (updates.length) {
    const json = JSON.stringify(updates.map((b) => [b.stored!.id, b.stored!.used, b.bucket.used]));
    statements.push(
      sql`update inclusive_usage_buckets set used = j.value ->> 2, version = version + 1, updated_date = ${now}, updated_by = ${actor}
        from json_each(${json}) j
        where inclusive_usage_buckets.id = j.value ->> 0 and inclusive_usage_buckets.used = j.value ->> 1`,
      abortUnlessChanged(updates.length),
    );
  }
  const inserts = batch.buckets.filter((b) => b.stored === null);
  if (inserts.length) {
    const json = JSON.stringify(
      inserts.map(({ ownerId, bucket: b }) => [ownerId, b.assignmentId, b.componentId, b.periodStart, b.periodEnd, b.usableUntil, b.allowance, b.used]),
    );
    statements.push(
      sql`insert into inclusive_usage_buckets (contract_owner_id, assignment_id, component_id, period_start, period_end, usable_until, allowance, used,
          created_date, updated_date, created_by, updated_by, version)
        select value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7, ${now}, ${now}, ${actor}, ${actor}, 1
        from json_each(${json}) where true
        on conflict do nothing`,
      abortUnlessChanged(inserts.length),
    );
  }
  // each row element as JSONB, made once: its sixteen ->> then read the binary form instead of parsing the text each
  // (measured: 6.0 → 3.5 ms per 1,000 rows)
  statements.push(
    sql`with j as materialized (select key, jsonb(value) as value from json_each(${JSON.stringify(rows)}))
      insert into usage_records (id, contract_owner_id, customer_id, site_id, usage_product_inventory_id, reference, charge_group_id, start_time,
        received_quantity, cost, status, reason, usage_rate_card_id, usage_rate_id, timeband, quantity, chargeable_quantity, inclusive_quantity,
        inclusive_value, charge, currency_code, created_date, updated_date, created_by, updated_by, version)
      select ${firstId} + j.key, u.contract_owner_id, u.customer_id, u.site_id, u.id, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4,
        j.value ->> 5, j.value ->> 6, j.value ->> 7, j.value ->> 8, j.value ->> 9, j.value ->> 10, j.value ->> 11, j.value ->> 12, j.value ->> 13,
        j.value ->> 14, j.value ->> 15, j.value ->> 16, ${now}, ${now}, ${actor}, ${actor}, 1
      from j join usage_product_inventories u on u.id = j.value ->> 0
      where true
      on conflict do nothing`,
    abortUnlessChanged(rows.length),
  );
  if (batch.events.length) {
    const events = JSON.stringify(batch.events.map((e) => [e.balance.assignmentId, e.balance.componentId, e.balance.periodStart, e.ownerId, eventData(e)]));
    // once per component and period: the marker table makes a second sighting (another batch, a retry) a no-op
    statements.push(
      sql`insert into outbox_events (contract_owner_id, type, object_type, object_id, data, actor, created_at)
        select j.value ->> 3, ${EXHAUSTED_EVENT.type}, ${EXHAUSTED_EVENT.objectType}, j.value ->> 0, j.value ->> 4, ${actor}, ${now}
        from json_each(${events}) j
        where not exists (select 1 from inclusive_usage_exhaustions x
          where x.assignment_id = j.value ->> 0 and x.component_id = j.value ->> 1 and x.period_start = j.value ->> 2)`,
      sql`insert or ignore into inclusive_usage_exhaustions (assignment_id, component_id, period_start, created_at)
        select value ->> 0, value ->> 1, value ->> 2, ${now} from json_each(${events})`,
    );
  }
  await ctx.deps.database.batch(statements);

  for (const f of batch.fresh) {
    const result = freshResult(f);
    for (const index of batch.resultOfFresh.get(f)!) batch.results[index] = result;
  }
}

function freshResult({ id, p, result: r }: FreshRecord): UsageRecordResult {
  const pence = (micros: number | null) => (micros === null ? null : microsToMinor(micros));
  return {
    id,
    reference: p.input.reference,
    status: r.status,
    reason: r.reason,
    usageRateCardId: r.usageRateCardId,
    usageRateId: r.usageRateId,
    timeband: r.timeband,
    quantity: r.quantity,
    chargeableQuantity: r.chargeableQuantity,
    inclusiveQuantity: r.inclusiveQuantity,
    inclusiveValue: pence(r.inclusiveValue),
    charge: pence(r.charge),
    currencyCode: p.owner.currencyCode,
  };
}

/** The event's data: the exhausted balance in the balances endpoint's units, and the record that used it up. */
function eventData({ balance: b, record, assignment }: ExhaustedEvent): Record<string, unknown> {
  const component = assignment.plan.components.find((c) => c.id === b.componentId)!;
  return {
    assignmentId: b.assignmentId,
    assignmentLevel: assignment.assignmentLevel,
    inclusiveUsagePlanId: b.inclusiveUsagePlanId,
    componentId: b.componentId,
    byValue: b.componentType === 'VALUE',
    chargingType: component.chargingType,
    periodStartDate: b.periodStart,
    periodEndDate: b.periodEnd,
    allowance: bucketAmountToWire(b.componentType, componentAllowance(component)),
    remaining: 0,
    customerId: record.p.upi.customerId,
    usageProductInventoryId: record.p.upi.id,
    usageRecordId: record.id,
    reference: record.p.input.reference,
    startTime: record.p.startTime,
  };
}
