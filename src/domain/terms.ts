/**
 * Contract term rules (lifecycle.md §Term dates, v1-contracts.md status and
 * windows). Plain functions: no HTTP, no database.
 */
import { addDays, addMonths, API_MAX_DATE, type IsoDate, isWithin, minDate } from './dates';

export interface ChainPosition {
  /** startDate of the first contract of the renewal chain */
  anchorDate: IsoDate;
  /** months of term before this contract in the chain (0 for the first) */
  monthsFromAnchor: number;
}

/**
 * The anchored term rule: end = plusMonths(anchor, monthsFromAnchor + term) − 1 day.
 * Measuring every term from the chain's anchor means a chain never drifts. A term
 * reaching past the API's last date (2199-12-31) ends on it: windows past the
 * range are clamped, never an error (lifecycle.md, settled questions).
 */
export function computeEndDate(position: ChainPosition, contractTerm: number): IsoDate {
  return minDate(addDays(addMonths(position.anchorDate, position.monthsFromAnchor + contractTerm), -1), API_MAX_DATE);
}

/** The position and dates of the contract that renews one ending at `endDate`. */
export function nextTerm(
  position: ChainPosition,
  previousTerm: number,
  previousEndDate: IsoDate,
  nextContractTerm: number,
): ChainPosition & { startDate: IsoDate; endDate: IsoDate } {
  const next = { anchorDate: position.anchorDate, monthsFromAnchor: position.monthsFromAnchor + previousTerm };
  return { ...next, startDate: addDays(previousEndDate, 1), endDate: computeEndDate(next, nextContractTerm) };
}

/** [endDate − days, endDate], the start clamped to 0001-01-01 however large `days` is. */
export function windowBefore(endDate: IsoDate, days: number): { from: IsoDate; to: IsoDate } {
  return { from: addDays(endDate, -days), to: endDate };
}

export function isInWindow(today: IsoDate, endDate: IsoDate, days: number): boolean {
  const { from, to } = windowBefore(endDate, days);
  return isWithin(today, from, to);
}

/** The largest notice period a profile or a contract may have (the largest 32-bit integer). */
export const MAX_NOTICE_PERIOD_DAYS = 2147483647;
/** A profile's defaults, and a contract's when it has no profile. */
export const DEFAULT_RENEWAL_ALERT_DAYS = 28;
export const DEFAULT_NOTICE_PERIOD_DAYS = 30;

export const CONTRACT_STATUSES = ['PENDING', 'ACTIVE', 'IN_NOTICE', 'EXPIRED', 'TERMINATED', 'RENEWED'] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];

export interface StatusInput {
  startDate: IsoDate;
  /** null for an open-ended contract */
  endDate: IsoDate | null;
  noticePeriodDays: number;
  terminationDate: IsoDate | null;
  renewedCustomerContractId: number | null;
}

/**
 * Status for the owner's today. Order matters: an ended early contract is
 * TERMINATED even if it renewed ("terminate and renew before roll-over").
 */
export function contractStatus(c: StatusInput, today: IsoDate): ContractStatus {
  if (endsByTermination(c) && today > c.endDate!) return 'TERMINATED';
  if (c.renewedCustomerContractId !== null) return 'RENEWED';
  if (today < c.startDate) return 'PENDING';
  if (c.endDate === null) return 'ACTIVE';
  if (today > c.endDate) return 'EXPIRED';
  if (isInWindow(today, c.endDate, c.noticePeriodDays)) return 'IN_NOTICE';
  return 'ACTIVE';
}

/**
 * True when the contract's own end is a termination (early, or regular at this
 * term's end). A regular termination set for a later term end is carried by the
 * renewals until the contract that ends on that date.
 */
export function endsByTermination(c: { terminationDate: IsoDate | null; endDate: IsoDate | null }): boolean {
  return c.terminationDate !== null && c.endDate !== null && c.terminationDate <= c.endDate;
}
