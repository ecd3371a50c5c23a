/**
 * Allowance buckets: one per assignment, component and plan period, derived with
 * nothing used when not stored; which of them are usable on a day.
 */
import { minDate, type IsoDate } from '../dates';
import { toQuantityUnits } from '../quantity';
import type { AllowanceBucket, InclusiveUsageComponent, InclusiveUsagePlan, PlanAssignment } from './model';
import { planPeriod, type PlanPeriod } from './periods';

export function bucketKey(b: { assignmentId: number; componentId: number; periodStart: IsoDate }): string {
  return `${b.assignmentId}|${b.componentId}|${b.periodStart}`;
}

/** A component's allowance per period in bucket units. */
export function componentAllowance(component: InclusiveUsageComponent): number {
  if (component.componentType === 'VALUE') return component.value ?? 0;
  return component.quantity === null ? 0 : Number(toQuantityUnits(component.quantity));
}

export function rolloverOf(plan: InclusiveUsagePlan): number {
  return Math.max(0, Math.floor(plan.rolloverPeriods ?? 0));
}

/** The bucket of period `index` as it would be created now (nothing used). */
export function newBucket(assignment: PlanAssignment, component: InclusiveUsageComponent, index: number): AllowanceBucket {
  const { plan } = assignment;
  const period = planPeriod(plan.frequency, assignment.startDate, index);
  const lastUsable = planPeriod(plan.frequency, assignment.startDate, index + rolloverOf(plan)).end;
  return {
    assignmentId: assignment.id,
    componentId: component.id,
    periodStart: period.start,
    periodEnd: cutAtEnd(period.end, assignment.endDate),
    usableUntil: cutAtEnd(lastUsable, assignment.endDate),
    allowance: componentAllowance(component),
    used: 0,
  };
}

function cutAtEnd(date: IsoDate, end: IsoDate | null): IsoDate {
  return end === null ? date : minDate(date, end);
}

export interface WorkingBucket {
  bucket: AllowanceBucket;
  stored: boolean;
  used: bigint;
}

/** Stored buckets by assignment, component and period start (no composite string keys: this is built per record). */
export type StoredBuckets = Map<number, Map<number, Map<IsoDate, AllowanceBucket>>>;

export function indexBuckets(buckets: readonly AllowanceBucket[], keep: (b: AllowanceBucket) => boolean): StoredBuckets {
  const index: StoredBuckets = new Map();
  for (const b of buckets) {
    if (!keep(b)) continue;
    let byComponent = index.get(b.assignmentId);
    if (!byComponent) index.set(b.assignmentId, (byComponent = new Map()));
    let byPeriod = byComponent.get(b.componentId);
    if (!byPeriod) byComponent.set(b.componentId, (byPeriod = new Map()));
    byPeriod.set(b.periodStart, b);
  }
  return index;
}

/** The buckets usable on `date`, oldest first: the period of `date` and up to `rolloverPeriods` before it. */
export function usableBuckets(
  assignment: PlanAssignment,
  component: InclusiveUsageComponent,
  period: PlanPeriod,
  stored: StoredBuckets,
  date: IsoDate,
): WorkingBucket[] {
  const first = Math.max(0, period.index - rolloverOf(assignment.plan));
  const result: WorkingBucket[] = [];
  const own = stored.get(assignment.id)?.get(component.id);
  for (let index = first; index <= period.index; index++) {
    const start = planPeriod(assignment.plan.frequency, assignment.startDate, index).start;
    const found = own?.get(start);
    const bucket = found ?? newBucket(assignment, component, index);
    // A stored bucket keeps the reach it was created with (the plan may have changed since).
    if (index < period.index && bucket.usableUntil < date) continue;
    result.push({ bucket, stored: found !== undefined, used: BigInt(bucket.used) });
  }
  return result;
}

export function remainingOf(buckets: readonly WorkingBucket[]): bigint {
  let total = 0n;
  for (const b of buckets) {
    const left = BigInt(b.bucket.allowance) - b.used;
    if (left > 0n) total += left;
  }
  return total;
}
