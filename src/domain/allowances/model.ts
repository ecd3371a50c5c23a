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
 */
import type { DatedAssignment } from '../assignments';
import type { IsoDate } from '../dates';
import type { Micros } from '../money';
import type { RentalRateFrequency } from '../rental-charges/model';
import type { Timeband } from '../timebands';

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
