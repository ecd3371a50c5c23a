/**
 * Inclusive usage balances: what is left of each allowance, for the balances
 * endpoint.
 *
 * API
 * - `componentBalanceAt(assignment, component, buckets, date)` and
 *   `inclusiveUsageBalanceView({...})` → the balances endpoint (research elevate.md §3.6).
 */
import { byPrecedence, isEffective, type AssignmentLevel } from '../assignments';
import type { IsoDate } from '../dates';
import { microsToMinor } from '../money';
import { fromQuantityUnits } from '../quantity';
import { indexBuckets, remainingOf, usableBuckets } from './buckets';
import type { AllowanceBucket, ChargingType, ComponentType, InclusiveUsageComponent, PlanAssignment } from './model';
import { planPeriodAt } from './periods';

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
