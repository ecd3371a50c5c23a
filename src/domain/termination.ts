/**
 * Regular termination (lifecycle.md §Termination; compat.md `terminate`): notice
 * given on date N ends the contract at the first term end E with
 * E − noticePeriodDays ≥ N. Plain functions: no HTTP, no database. No ETC is due.
 *
 * API
 * - `regularTerminationEnd(input)` → `RegularTermination | null`.
 *
 * E is the current term end when notice is in time (given on the cut-off day
 * E − noticePeriodDays at the latest), otherwise the end of a later term: the
 * contract renews (with the rollover term) as many times as the notice period
 * needs, usually once, more when the notice period is longer than a term. Later
 * term ends come from the chain's anchor (terms.ts), so they never drift.
 * Decisions: with no rollover profile a late notice changes nothing, the contract
 * ends at its current end anyway (`noticeInTime: false`, `renewals: 0`); when no
 * term end up to 2199-12-31 (the last date of the API) can respect the notice (noticePeriodDays =
 * 2147483647), the result is null and the caller answers with a 422.
 */
import { addDays, API_MAX_DATE, daysBetween, type IsoDate, monthsFromAnchor } from './dates';
import { type ChainPosition, computeEndDate, nextTerm } from './terms';

export interface RegularTerminationInput {
  /** the current contract's place in its renewal chain */
  position: ChainPosition;
  /** the current contract's endDate */
  endDate: IsoDate;
  /** the current contract's term, months */
  contractTerm: number;
  /** the term of each renewal (the rollover profile's contractTerm), months; null without a rollover profile */
  rolloverTerm: number | null;
  noticePeriodDays: number;
  /** N: the day notice is given */
  noticeDate: IsoDate;
}

export interface RegularTermination {
  /** E: the last day of the contract that ends */
  endDate: IsoDate;
  /** E − noticePeriodDays, the last day notice could be given for E (clamped to 0001-01-01) */
  cutOffDate: IsoDate;
  /** true when the current term end is respected */
  noticeInTime: boolean;
  /** renewals still to happen before the chain ends: 0 = the current contract ends at E */
  renewals: number;
  /** the chain position of the contract that ends at E */
  position: ChainPosition;
}

function assertMonths(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive whole number of months`);
}

export function regularTerminationEnd(input: RegularTerminationInput): RegularTermination | null {
  const { position, endDate, contractTerm, rolloverTerm, noticePeriodDays, noticeDate } = input;
  if (!Number.isInteger(noticePeriodDays) || noticePeriodDays < 0) throw new RangeError('noticePeriodDays must be a whole number ≥ 0');
  assertMonths('contractTerm', contractTerm);
  if (rolloverTerm !== null) assertMonths('rolloverTerm', rolloverTerm);

  // Compared as a day count, not as E − days, which would clamp at 0001-01-01 for huge notice periods.
  const respects = (end: IsoDate) => daysBetween(noticeDate, end) >= noticePeriodDays;
  const result = (end: IsoDate, renewals: number, at: ChainPosition): RegularTermination => ({
    endDate: end,
    cutOffDate: addDays(end, -noticePeriodDays),
    noticeInTime: renewals === 0 && respects(end),
    renewals,
    position: { anchorDate: at.anchorDate, monthsFromAnchor: at.monthsFromAnchor },
  });

  if (respects(endDate) || rolloverTerm === null) return result(endDate, 0, position);
  if (daysBetween(noticeDate, API_MAX_DATE) < noticePeriodDays) return null;

  // Renewal j (j ≥ 1) ends at computeEndDate({anchor, m0 + contractTerm + (j − 1)·rolloverTerm}, rolloverTerm).
  // Jump close to the first one that can respect the notice, then step with nextTerm.
  const earliestEnd = addDays(noticeDate, noticePeriodDays);
  const firstRenewalMonths = position.monthsFromAnchor + contractTerm;
  let renewals = Math.max(1, Math.floor((monthsFromAnchor(position.anchorDate, earliestEnd) - firstRenewalMonths) / rolloverTerm));
  let at: ChainPosition = { anchorDate: position.anchorDate, monthsFromAnchor: firstRenewalMonths + (renewals - 1) * rolloverTerm };
  let end = computeEndDate(at, rolloverTerm);
  while (!respects(end)) {
    const next = nextTerm(at, rolloverTerm, end, rolloverTerm);
    if (next.endDate <= end) return null; // the API's range ran out (2199-12-31)
    at = next;
    end = next.endDate;
    renewals += 1;
  }
  return result(end, renewals, at);
}

export type RegularTerminationDecision =
  | { kind: 'ends'; termination: RegularTermination }
  /** the notice is later than the cut-off of the next term end too */
  | { kind: 'too-late'; nextEndDate: IsoDate; nextCutOffDate: IsoDate };

/**
 * The settled rule (lifecycle.md, settled questions): notice ends the chain at
 * the current term end when it is in time, else at the next term end (the
 * contract renews once more); a notice later than that next cut-off too is
 * refused rather than searching further terms.
 */
export function decideRegularTermination(input: RegularTerminationInput): RegularTerminationDecision {
  const end = regularTerminationEnd(input);
  if (end !== null && end.renewals <= 1) return { kind: 'ends', termination: end };
  // a late notice without a rollover ends at the current end (renewals 0): only chains that renew get here
  const { position, contractTerm, rolloverTerm, noticePeriodDays } = input;
  const nextEndDate = computeEndDate({ anchorDate: position.anchorDate, monthsFromAnchor: position.monthsFromAnchor + contractTerm }, rolloverTerm ?? contractTerm);
  return { kind: 'too-late', nextEndDate, nextCutOffDate: addDays(nextEndDate, -noticePeriodDays) };
}
