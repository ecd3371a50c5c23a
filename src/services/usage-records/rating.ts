/** Step 3 of rating a batch (batch.ts): each record in order, against the buckets the previous ones left. */
import { getTableColumns, sql } from 'drizzle-orm';
import type { Ctx } from '../../db/context';
import { usageRecords } from '../../db/schema';
import { bucketKey } from '../../domain/allowances/buckets';
import type { AllowanceBucket, BucketDraw, ExhaustedBalance, PlanAssignment } from '../../domain/allowances/model';
import { minorToMicros } from '../../domain/money';
import { rateUsageRecord, type RatingResult } from '../../domain/rating';
import { allowanceBuckets, type InclusiveUsageBucketRow } from '../pricing-lookups';
import { type Pricing, Resolver } from './pricing';
import { resultOf, type UsageRecordResult, type UsageRecordRow } from './records';
import type { Prepared } from './references';

export interface FreshRecord {
  p: Prepared;
  result: RatingResult;
  /** assigned from the reserved range just before writing */
  id: number;
}

export interface ExhaustedEvent {
  ownerId: number;
  balance: ExhaustedBalance;
  assignment: PlanAssignment;
  record: FreshRecord;
}

export interface BucketWrite {
  bucket: AllowanceBucket;
  ownerId: number;
  /** the stored row and its `used` as read; null for a bucket this batch creates */
  stored: { id: number; used: number } | null;
}

export interface RatedBatch {
  fresh: FreshRecord[];
  buckets: BucketWrite[];
  events: ExhaustedEvent[];
  /** filled in by writeBatch for fresh records */
  results: UsageRecordResult[];
  resultOfFresh: Map<FreshRecord, number[]>;
}

export async function rateBatch(ctx: Ctx, prepared: readonly Prepared[], pricing: Pricing): Promise<RatedBatch> {
  const [existing, storedBuckets] = await Promise.all([
    storedRecords(ctx, prepared),
    allowanceBuckets(ctx.db, pricing.planAssignmentIds, pricing.from, pricing.to),
  ]);

  const buckets = new BucketState(storedBuckets);
  const events = new Map<string, ExhaustedEvent>();
  const resolver = new Resolver(pricing);

  const results: UsageRecordResult[] = new Array(prepared.length);
  const fresh: FreshRecord[] = [];
  const firstInBatch = new Map<string, FreshRecord>();
  const resultOfFresh = new Map<FreshRecord, number[]>();
  for (const p of prepared) {
    const before = existing.get(p.key);
    if (before) {
      results[p.index] = resultOf(before);
      continue;
    }
    const earlier = firstInBatch.get(p.key);
    if (earlier) {
      // the same reference twice in one batch: the second is a repeat of the first
      resultOfFresh.get(earlier)!.push(p.index);
      continue;
    }
    const plans = pricing.planAssignments.get(p.upi.id) ?? [];
    const result = rateUsageRecord(
      {
        startTime: p.epochMs,
        quantity: p.input.quantity,
        cost: p.input.cost == null ? null : minorToMicros(p.input.cost),
        chargeGroupId: p.group.id,
        chargeGroupCategoryId: p.group.chargeGroupCategoryId,
        chargingType: p.group.chargingType,
      },
      { timeZone: p.owner.timezone, ...resolver.pricingOf(p), planAssignments: plans, buckets: buckets.of(p.upi.id, plans) },
    );
    const record: FreshRecord = { p, result, id: 0 };
    fresh.push(record);
    firstInBatch.set(p.key, record);
    resultOfFresh.set(record, [p.index]);

    buckets.apply(result.draws, p.upi.contractOwnerId);
    for (const balance of result.exhausted) {
      const key = bucketKey(balance);
      const assignment = plans.find((a) => a.id === balance.assignmentId)!;
      if (!events.has(key)) events.set(key, { ownerId: p.upi.contractOwnerId, balance, assignment, record });
    }
  }
  return { fresh, buckets: [...buckets.touched.values()], events: [...events.values()], results, resultOfFresh };
}

/**
 * The batch's buckets, updated in place as records draw (what applyDraws does,
 * without copying the list per record), remembering the stored rows as read for
 * the conditional writes.
 */
class BucketState {
  private readonly byKey = new Map<string, AllowanceBucket>();
  private readonly byAssignment = new Map<number, AllowanceBucket[]>();
  /** by UPI, the buckets of its plans; rebuilt when a bucket is added */
  private readonly byInventory = new Map<number, AllowanceBucket[]>();
  private readonly stored = new Map<string, { id: number; used: number }>();
  readonly touched = new Map<string, BucketWrite>();

  constructor(rows: readonly InclusiveUsageBucketRow[]) {
    for (const row of rows) {
      const bucket = this.add(row);
      this.stored.set(bucketKey(bucket), { id: row.id, used: row.used });
    }
  }

  /** One object shape for stored and derived buckets (keeps rating's property reads fast). */
  private add(b: AllowanceBucket): AllowanceBucket {
    const bucket: AllowanceBucket = {
      assignmentId: b.assignmentId,
      componentId: b.componentId,
      periodStart: b.periodStart,
      periodEnd: b.periodEnd,
      usableUntil: b.usableUntil,
      allowance: b.allowance,
      used: b.used,
    };
    this.byKey.set(bucketKey(bucket), bucket);
    const list = this.byAssignment.get(bucket.assignmentId);
    if (list) list.push(bucket);
    else this.byAssignment.set(bucket.assignmentId, [bucket]);
    this.byInventory.clear();
    return bucket;
  }

  of(upiId: number, plans: readonly PlanAssignment[]): AllowanceBucket[] {
    let list = this.byInventory.get(upiId);
    if (!list) {
      list = plans.flatMap((a) => this.byAssignment.get(a.id) ?? []);
      this.byInventory.set(upiId, list);
    }
    return list;
  }

  apply(draws: readonly BucketDraw[], ownerId: number): void {
    for (const draw of draws) {
      const key = bucketKey(draw);
      const existing = this.byKey.get(key);
      const bucket = existing ?? this.add(draw);
      bucket.used = draw.used;
      this.touched.set(key, { bucket, ownerId, stored: this.stored.get(key) ?? null });
    }
  }
}

/** The records of the batch's (UPI, reference) pairs already stored, by `upiId|reference`. */
async function storedRecords(ctx: Ctx, prepared: readonly Prepared[]): Promise<Map<string, UsageRecordRow>> {
  const pairs = JSON.stringify(prepared.map((p) => [p.upi.id, p.input.reference]));
  // json_each first, then the unique index on (UPI, reference) for each pair
  const rows = await ctx.db
    .select(getTableColumns(usageRecords))
    .from(sql`json_each(${pairs}) j`)
    .innerJoin(usageRecords, sql`${usageRecords.usageProductInventoryId} = j.value ->> 0 and ${usageRecords.reference} = j.value ->> 1`);
  return new Map(rows.map((r) => [`${r.usageProductInventoryId}|${r.reference}`, r]));
}
