/**
 * How prices reach a customer (v2-pricing.md §Assignments): a rate card or plan is
 * assigned at CUSTOMER, SITE or INVENTORY level for a date range. The most specific
 * effective assignment wins for rate cards; inclusive plans add up, drawn most
 * specific first.
 */
import { type IsoDate, isWithin } from './dates';

export const ASSIGNMENT_LEVELS = ['CUSTOMER', 'SITE', 'INVENTORY'] as const;
export type AssignmentLevel = (typeof ASSIGNMENT_LEVELS)[number];

const SPECIFICITY: Record<AssignmentLevel, number> = { INVENTORY: 3, SITE: 2, CUSTOMER: 1 };

export interface DatedAssignment {
  id: number;
  assignmentLevel: AssignmentLevel;
  startDate: IsoDate;
  endDate: IsoDate | null;
}

export function isEffective(a: Pick<DatedAssignment, 'startDate' | 'endDate'>, date: IsoDate): boolean {
  return isWithin(date, a.startDate, a.endDate);
}

/** Effective assignments on `date`, most specific first; within a level the latest start, then the highest id. */
export function byPrecedence<T extends DatedAssignment>(assignments: readonly T[], date: IsoDate): T[] {
  return assignments
    .filter((a) => isEffective(a, date))
    .sort(
      (a, b) =>
        SPECIFICITY[b.assignmentLevel] - SPECIFICITY[a.assignmentLevel] ||
        (a.startDate < b.startDate ? 1 : a.startDate > b.startDate ? -1 : 0) ||
        b.id - a.id,
    );
}

/** The winning assignment on `date` (rate cards, discount plans), or null. */
export function mostSpecific<T extends DatedAssignment>(assignments: readonly T[], date: IsoDate): T | null {
  return byPrecedence(assignments, date)[0] ?? null;
}

/** True when two date ranges (null end = open) share at least one day. */
export function rangesOverlap(
  a: { startDate: IsoDate; endDate: IsoDate | null },
  b: { startDate: IsoDate; endDate: IsoDate | null },
): boolean {
  return (a.endDate === null || b.startDate <= a.endDate) && (b.endDate === null || a.startDate <= b.endDate);
}
