/**
 * Inclusive usage allowances (v2-pricing.md §Usage rating step 4, §Inclusive usage
 * balances). Plain functions: no HTTP, no database.
 *
 * Model. An inclusive usage plan assigned at CUSTOMER, SITE or INVENTORY level gives,
 * for each of its components and each plan period, one **bucket**: an allowance
 * (units for a QUANTITY component, money for a VALUE one), what has been used of it,
 * and the last day it can be used (`usableUntil`: the end of its own period plus
 * `rolloverPeriods` following periods, cut at the assignment's end). Buckets are
 * identified by (assignmentId, componentId, periodStart). A caller loads the stored
 * buckets of the effective assignments, rates, and persists the returned draws
 * (`used += amount`, inserting buckets that were not stored yet — a draw carries
 * every column of its bucket). Buckets that were never drawn need not be stored:
 * they are derived on the fly with nothing used.
 *
 * Amounts in buckets and draws are integers: micros of money (1p = 10,000) for
 * VALUE components, millionths of a unit for QUANTITY components (quantity.ts).
 *
 * Periods are anchored on the assignment start, computed as rental charging periods
 * are (rental-charges.ts): MONTHLY period k is [addMonths(start, k),
 * addMonths(start, k + 1) − 1 day] — measured from the anchor, so a plan assigned on
 * the 31st never drifts; WEEKLY period k is 7 days from start + 7k; DAILY period k is
 * start + k days. A plan without a frequency is MONTHLY.
 *
 * API
 * - `planPeriodAt(frequency, anchor, date)`, `planPeriod(frequency, anchor, index)`.
 * - `openDrawdown(assignments, buckets, scope)` → a working `Drawdown` for one record:
 *   the components of the plans effective on the record's date that cover its charge
 *   group (or category) and charging type, most specific assignment first
 *   (`byPrecedence`), each with its usable buckets, oldest first.
 *   `drawQuantity(d, band, units)` and `drawValue(d, band, price)` absorb from it;
 *   `closeDrawdown(d)` → `{draws, exhausted}`. rating.ts drives these; most callers
 *   want `rateUsageRecord` there instead.
 * - `applyDraws(buckets, draws)` → the buckets after the draws (for rating a batch in
 *   memory, record after record).
 * - `componentBalanceAt(assignment, component, buckets, date)` and
 *   `inclusiveUsageBalanceView({...})` → the balances endpoint (research elevate.md §3.6).
 */
import { byPrecedence, isEffective, type AssignmentLevel, type DatedAssignment } from './assignments';
import { minDate, type IsoDate } from './dates';
import { microsToMinor, type Micros } from './money';
import { fromQuantityUnits, toQuantityUnits } from './quantity';
import type { RentalRateFrequency } from './rental-charges/model';
import { chargingPeriodAt, periodIndexContaining } from './rental-charges/periods';
import type { Timeband } from './timebands';

export const COMPONENT_TYPES = ['VALUE', 'QUANTITY'] as const;
export type ComponentType = (typeof COMPONENT_TYPES)[number];
/** DURATION in seconds, DATA in megabytes, EVENT a count. */
export const CHARGING_TYPES = ['DURATION', 'DATA', 'EVENT'] as const;
export type ChargingType = (typeof CHARGING_TYPES)[number];
export const PLAN_FREQUENCIES = ['MONTHLY', 'WEEKLY', 'DAILY'] as const satisfies readonly RentalRateFrequency[];
export type PlanFrequency = (typeof PLAN_FREQUENCIES)[number];

export interface InclusiveUsageComponent {
  id: number;
  componentType: ComponentType;
  /** Records of another charging type are not covered; null covers every type. */
  chargingType: ChargingType | null;
  /** QUANTITY: units per period (wire number, ≤ 6 decimal places) */
  quantity: number | null;
  /** VALUE: money per period in micros (the wire `valueInPence` through minorToMicros) */
  value: Micros | null;
  /** Bands covered; empty = every band. */
  timebands: readonly Timeband[];
  /** Charge groups and categories covered; both empty = every charge group. */
  chargeGroupIds: readonly number[];
  chargeGroupCategoryIds: readonly number[];
}

export interface InclusiveUsagePlan {
  id: number;
  frequency: PlanFrequency | null;
  rolloverPeriods: number | null;
  /** QUANTITY components skip records whose quantity (before rounding) is below this. */
  minQualifyingQuantity: number | null;
  /** QUANTITY components of the plan absorb at most this much of one record together. */
  maxPerEventQuantity: number | null;
  components: readonly InclusiveUsageComponent[];
}

/** An inclusive-usage-plan assignment with its plan. */
export interface PlanAssignment extends DatedAssignment {
  plan: InclusiveUsagePlan;
}

export interface AllowanceBucket {
  assignmentId: number;
  componentId: number;
  periodStart: IsoDate;
  periodEnd: IsoDate;
  usableUntil: IsoDate;
  /** micros (VALUE) or millionths of a unit (QUANTITY) */
  allowance: number;
  used: number;
}

/**
 * One change to one bucket: persist as `used = used + amount` (insert the bucket
 * first if new). A record's draws come most specific assignment first, then oldest
 * bucket first. `used` is the value after the draw.
 */
export interface BucketDraw extends AllowanceBucket {
  amount: number;
  /** `used` before this record's draw (the bucket as loaded, or 0 for a new one) */
  usedBefore: number;
  /** false when the bucket was derived, not loaded: the caller inserts it */
  stored: boolean;
}

/** A component's usable balance reached zero with this record: emit `inclusive_usage_balance.exhausted`. */
export interface ExhaustedBalance {
  assignmentId: number;
  inclusiveUsagePlanId: number;
  componentId: number;
  componentType: ComponentType;
  /** the plan period of the record's date */
  periodStart: IsoDate;
  periodEnd: IsoDate;
}

// ── periods ─────────────────────────────────────────────────────────────────

export interface PlanPeriod {
  /** 0 for the period starting on the anchor */
  index: number;
  start: IsoDate;
  end: IsoDate;
}

/** The periods of one (frequency, anchor): by index, and by a date they hold. */
interface AnchorPeriods {
  byIndex: Map<number, PlanPeriod>;
  byDate: Map<IsoDate, PlanPeriod>;
}

/**
 * Memoised by frequency, then anchor, then index or date (rating a batch asks the
 * same few questions thousands of times).
 */
const periodCache = new Map<PlanFrequency, Map<IsoDate, AnchorPeriods>>();
let cachedPeriods = 0;

function periodsOf(frequency: PlanFrequency, anchor: IsoDate): AnchorPeriods {
  if (cachedPeriods > 20_000) {
    periodCache.clear();
    cachedPeriods = 0;
  }
  let byAnchor = periodCache.get(frequency);
  if (!byAnchor) periodCache.set(frequency, (byAnchor = new Map()));
  let periods = byAnchor.get(anchor);
  if (!periods) byAnchor.set(anchor, (periods = { byIndex: new Map(), byDate: new Map() }));
  return periods;
}

export function planPeriod(frequency: PlanFrequency | null, anchor: IsoDate, index: number): PlanPeriod {
  const f = frequency ?? 'MONTHLY';
  const periods = periodsOf(f, anchor);
  let period = periods.byIndex.get(index);
  if (!period) {
    period = { index, ...chargingPeriodAt(anchor, f, index) };
    periods.byIndex.set(index, period);
    cachedPeriods += 1;
  }
  return period;
}

/** The period holding `date` (on or after `anchor`). */
export function planPeriodAt(frequency: PlanFrequency | null, anchor: IsoDate, date: IsoDate): PlanPeriod {
  const f = frequency ?? 'MONTHLY';
  const periods = periodsOf(f, anchor);
  let period = periods.byDate.get(date);
  if (!period) {
    period = planPeriod(f, anchor, periodIndexContaining(anchor, f, date));
    periods.byDate.set(date, period);
    cachedPeriods += 1;
  }
  return period;
}

// ── buckets ─────────────────────────────────────────────────────────────────

export function bucketKey(b: { assignmentId: number; componentId: number; periodStart: IsoDate }): string {
  return `${b.assignmentId}|${b.componentId}|${b.periodStart}`;
}

/** A component's allowance per period in bucket units. */
export function componentAllowance(component: InclusiveUsageComponent): number {
  if (component.componentType === 'VALUE') return component.value ?? 0;
  return component.quantity === null ? 0 : Number(toQuantityUnits(component.quantity));
}

function rolloverOf(plan: InclusiveUsagePlan): number {
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

interface WorkingBucket {
  bucket: AllowanceBucket;
  stored: boolean;
  used: bigint;
}

/** Stored buckets by assignment, component and period start (no composite string keys: this is built per record). */
type StoredBuckets = Map<number, Map<number, Map<IsoDate, AllowanceBucket>>>;

function indexBuckets(buckets: readonly AllowanceBucket[], keep: (b: AllowanceBucket) => boolean): StoredBuckets {
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
function usableBuckets(
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

function remainingOf(buckets: readonly WorkingBucket[]): bigint {
  let total = 0n;
  for (const b of buckets) {
    const left = BigInt(b.bucket.allowance) - b.used;
    if (left > 0n) total += left;
  }
  return total;
}

// ── drawdown of one record ──────────────────────────────────────────────────

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

// ── balances view ───────────────────────────────────────────────────────────

export interface ComponentBalance {
  assignmentId: number;
  componentId: number;
  componentType: ComponentType;
  chargingType: ChargingType | null;
  periodStart: IsoDate;
  periodEnd: IsoDate;
  /** this period's own allowance */
  allowance: number;
  /** used of this period's own allowance */
  used: number;
  /** unused allowance of earlier periods still usable in this period (what rolled over and is left) */
  rolledOver: number;
  /** everything usable now: allowance − used + rolledOver */
  remaining: number;
}

/**
 * A component's balance for the period holding `date`, or null when the assignment
 * is not effective on `date`. Amounts in bucket units.
 */
export function componentBalanceAt(
  assignment: PlanAssignment,
  component: InclusiveUsageComponent,
  buckets: readonly AllowanceBucket[],
  date: IsoDate,
): ComponentBalance | null {
  if (!isEffective(assignment, date)) return null;
  const stored = indexBuckets(buckets, (b) => b.assignmentId === assignment.id && b.componentId === component.id);
  const period = planPeriodAt(assignment.plan.frequency, assignment.startDate, date);
  const usable = usableBuckets(assignment, component, period, stored, date);
  const own = usable[usable.length - 1]!;
  const ownLeft = BigInt(own.bucket.allowance) - own.used;
  const total = remainingOf(usable);
  return {
    assignmentId: assignment.id,
    componentId: component.id,
    componentType: component.componentType,
    chargingType: component.chargingType,
    periodStart: own.bucket.periodStart,
    periodEnd: own.bucket.periodEnd,
    allowance: own.bucket.allowance,
    used: own.bucket.used,
    rolledOver: Number(total - (ownLeft > 0n ? ownLeft : 0n)),
    remaining: Number(total),
  };
}

/** Bucket units → the wire: pence for VALUE, units for QUANTITY. */
export function bucketAmountToWire(componentType: ComponentType, amount: number): number {
  return componentType === 'VALUE' ? microsToMinor(amount) : fromQuantityUnits(BigInt(amount));
}

export interface InclusiveUsageBalanceComponent {
  componentId: number;
  byValue: boolean;
  chargingType: ChargingType | null;
  allowance: number;
  used: number;
  rolledOver: number;
  remaining: number;
  startDate: IsoDate;
  endDate: IsoDate;
}

export interface InclusiveUsageBalanceAssignment {
  assignmentId: number;
  assignmentLevel: AssignmentLevel;
  assignmentStartDate: IsoDate;
  assignmentEndDate: IsoDate | null;
  inclusiveUsagePlanId: number;
  components: InclusiveUsageBalanceComponent[];
}

/** One item of `GET /v2/inclusive-usage-balances` (elevate.md §3.6), wire units. */
export interface InclusiveUsageBalance {
  billRunId: number | null;
  periodStartDate: IsoDate;
  periodEndDate: IsoDate;
  usageProductInventoryId: number;
  inclusiveUsageBalanceAssignments: InclusiveUsageBalanceAssignment[];
}

/**
 * The balances of the plans reaching one UPI on `asOf`, most specific first, in
 * the Elevate shape. Each component carries its own plan period (startDate/endDate);
 * the item's period spans them all. Null when no plan is effective. There are no
 * bill runs in Tenor: billRunId is null.
 */
export function inclusiveUsageBalanceView(input: {
  usageProductInventoryId: number;
  assignments: readonly PlanAssignment[];
  buckets: readonly AllowanceBucket[];
  asOf: IsoDate;
}): InclusiveUsageBalance | null {
  const entries: InclusiveUsageBalanceAssignment[] = [];
  let start: IsoDate | null = null;
  let end: IsoDate | null = null;
  for (const assignment of byPrecedence(input.assignments, input.asOf)) {
    const components: InclusiveUsageBalanceComponent[] = [];
    for (const component of assignment.plan.components) {
      const balance = componentBalanceAt(assignment, component, input.buckets, input.asOf);
      if (balance === null) continue;
      const wire = (amount: number) => bucketAmountToWire(component.componentType, amount);
      components.push({
        componentId: component.id,
        byValue: component.componentType === 'VALUE',
        chargingType: component.chargingType,
        allowance: wire(balance.allowance),
        used: wire(balance.used),
        rolledOver: wire(balance.rolledOver),
        remaining: wire(balance.remaining),
        startDate: balance.periodStart,
        endDate: balance.periodEnd,
      });
      if (start === null || balance.periodStart < start) start = balance.periodStart;
      if (end === null || balance.periodEnd > end) end = balance.periodEnd;
    }
    entries.push({
      assignmentId: assignment.id,
      assignmentLevel: assignment.assignmentLevel,
      assignmentStartDate: assignment.startDate,
      assignmentEndDate: assignment.endDate,
      inclusiveUsagePlanId: assignment.plan.id,
      components,
    });
  }
  if (entries.length === 0 || start === null || end === null) return null;
  return {
    billRunId: null,
    periodStartDate: start,
    periodEndDate: end,
    usageProductInventoryId: input.usageProductInventoryId,
    inclusiveUsageBalanceAssignments: entries,
  };
}
