/**
 * The drawdown of one record: the allowances that can pay for it, what it takes
 * from them, and the draws to persist.
 *
 * API
 * - `openDrawdown(assignments, buckets, scope)` → a working `Drawdown` for one record:
 *   the components of the plans effective on the record's date that cover its charge
 *   group (or category) and charging type, most specific assignment first
 *   (`byPrecedence`), each with its usable buckets, oldest first.
 *   `drawQuantity(d, band, units)` and `drawValue(d, band, price)` absorb from it;
 *   `closeDrawdown(d)` → `{draws, exhausted}`. rating.ts drives these; most callers
 *   want `rateUsageRecord` there instead.
 * - `applyDraws(buckets, draws)` → the buckets after the draws (for rating a batch in
 *   memory, record after record).
 */
import { byPrecedence } from '../assignments';
import type { IsoDate } from '../dates';
import { toQuantityUnits } from '../quantity';
import type { Timeband } from '../timebands';
import { bucketKey, indexBuckets, remainingOf, usableBuckets, type WorkingBucket } from './buckets';
import type { AllowanceBucket, BucketDraw, ChargingType, ExhaustedBalance, InclusiveUsageComponent, PlanAssignment } from './model';
import { type PlanPeriod, planPeriodAt } from './periods';

export interface RecordScope {
  /** the record's date on the owner's wall clock */
  date: IsoDate;
  chargeGroupId: number;
  chargeGroupCategoryId: number | null;
  chargingType: ChargingType;
  /** the record's quantity before rounding, in quantity units (for minQualifyingQuantity) */
  rawQuantity: bigint;
}

interface PlanLimit {
  /** what the plan's QUANTITY components may still absorb from this record; null = no limit */
  remaining: bigint | null;
}

interface OpenComponent {
  assignment: PlanAssignment;
  component: InclusiveUsageComponent;
  period: PlanPeriod;
  buckets: WorkingBucket[];
  remainingBefore: bigint;
  limit: PlanLimit;
  qualifies: boolean;
}

export interface Drawdown {
  readonly components: readonly OpenComponent[];
}

function covers(component: InclusiveUsageComponent, scope: RecordScope): boolean {
  if (component.chargingType !== null && component.chargingType !== scope.chargingType) return false;
  const groups = component.chargeGroupIds;
  const categories = component.chargeGroupCategoryIds;
  if (groups.length === 0 && categories.length === 0) return true;
  return (
    groups.includes(scope.chargeGroupId) ||
    (scope.chargeGroupCategoryId !== null && categories.includes(scope.chargeGroupCategoryId))
  );
}

function coversBand(component: InclusiveUsageComponent, band: Timeband): boolean {
  return component.timebands.length === 0 || component.timebands.includes(band);
}

/**
 * Opens the allowances that can pay for one record. `buckets` are the stored
 * buckets (any superset of those of these assignments will do).
 */
export function openDrawdown(
  assignments: readonly PlanAssignment[],
  buckets: readonly AllowanceBucket[],
  scope: RecordScope,
): Drawdown {
  const effective = byPrecedence(assignments, scope.date);
  if (effective.length === 0) return { components: [] };
  const ids = new Set(effective.map((a) => a.id));
  const stored = indexBuckets(buckets, (b) => ids.has(b.assignmentId));
  const components: OpenComponent[] = [];
  for (const assignment of effective) {
    const { plan } = assignment;
    const limit: PlanLimit = {
      remaining: plan.maxPerEventQuantity === null ? null : toQuantityUnits(plan.maxPerEventQuantity),
    };
    const qualifies =
      plan.minQualifyingQuantity === null || scope.rawQuantity >= toQuantityUnits(plan.minQualifyingQuantity);
    const period = planPeriodAt(plan.frequency, assignment.startDate, scope.date);
    for (const component of plan.components) {
      if (!covers(component, scope)) continue;
      const usable = usableBuckets(assignment, component, period, stored, scope.date);
      components.push({
        assignment,
        component,
        period,
        buckets: usable,
        remainingBefore: remainingOf(usable),
        limit,
        qualifies,
      });
    }
  }
  return { components };
}

/** Takes up to `amount` from a component's buckets, oldest first; returns what it took. */
function take(open: OpenComponent, amount: bigint): bigint {
  let taken = 0n;
  for (const b of open.buckets) {
    if (taken === amount) break;
    const left = BigInt(b.bucket.allowance) - b.used;
    if (left <= 0n) continue;
    const part = left < amount - taken ? left : amount - taken;
    b.used += part;
    taken += part;
  }
  return taken;
}

/**
 * QUANTITY components covering `band` absorb up to `units` (quantity units), most
 * specific first, honouring each plan's minQualifyingQuantity and
 * maxPerEventQuantity. Returns the units absorbed.
 */
export function drawQuantity(d: Drawdown, band: Timeband, units: bigint): bigint {
  let absorbed = 0n;
  for (const open of d.components) {
    if (absorbed === units) break;
    if (open.component.componentType !== 'QUANTITY' || !open.qualifies || !coversBand(open.component, band)) continue;
    let want = units - absorbed;
    if (open.limit.remaining !== null && open.limit.remaining < want) want = open.limit.remaining;
    if (want <= 0n) continue;
    const got = take(open, want);
    if (open.limit.remaining !== null) open.limit.remaining -= got;
    absorbed += got;
  }
  return absorbed;
}

/** VALUE components covering `band` pay up to `price` (micros), most specific first. Returns the money absorbed. */
export function drawValue(d: Drawdown, band: Timeband, price: bigint): bigint {
  let absorbed = 0n;
  for (const open of d.components) {
    if (absorbed === price) break;
    if (open.component.componentType !== 'VALUE' || !coversBand(open.component, band)) continue;
    absorbed += take(open, price - absorbed);
  }
  return absorbed;
}

/** The draws to persist and the balances this record brought to zero. */
export function closeDrawdown(d: Drawdown): { draws: BucketDraw[]; exhausted: ExhaustedBalance[] } {
  const draws: BucketDraw[] = [];
  const exhausted: ExhaustedBalance[] = [];
  for (const open of d.components) {
    let drew = false;
    for (const b of open.buckets) {
      const amount = b.used - BigInt(b.bucket.used);
      if (amount === 0n) continue;
      drew = true;
      const { assignmentId, componentId, periodStart, periodEnd, usableUntil, allowance } = b.bucket;
      draws.push({
        assignmentId,
        componentId,
        periodStart,
        periodEnd,
        usableUntil,
        allowance,
        amount: Number(amount),
        usedBefore: b.bucket.used,
        used: Number(b.used),
        stored: b.stored,
      });
    }
    if (drew && open.remainingBefore > 0n && remainingOf(open.buckets) === 0n) {
      exhausted.push({
        assignmentId: open.assignment.id,
        inclusiveUsagePlanId: open.assignment.plan.id,
        componentId: open.component.id,
        componentType: open.component.componentType,
        periodStart: open.period.start,
        periodEnd: open.buckets[open.buckets.length - 1]!.bucket.periodEnd,
      });
    }
  }
  return { draws, exhausted };
}

/** The buckets after applying draws (new buckets appended), for rating a batch record by record. */
export function applyDraws(buckets: readonly AllowanceBucket[], draws: readonly BucketDraw[]): AllowanceBucket[] {
  if (draws.length === 0) return buckets.slice();
  const byKey = new Map<string, AllowanceBucket>();
  for (const b of buckets) byKey.set(bucketKey(b), b);
  for (const draw of draws) {
    const key = bucketKey(draw);
    const current = byKey.get(key);
    byKey.set(
      key,
      current
        ? { ...current, used: current.used + draw.amount }
        : {
            assignmentId: draw.assignmentId,
            componentId: draw.componentId,
            periodStart: draw.periodStart,
            periodEnd: draw.periodEnd,
            usableUntil: draw.usableUntil,
            allowance: draw.allowance,
            used: draw.usedBefore + draw.amount,
          },
    );
  }
  return [...byKey.values()];
}
