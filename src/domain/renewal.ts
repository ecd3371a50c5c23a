/**
 * Renewal (rollover) and alert rules (lifecycle.md §Renewal, §Alerts) as plain
 * functions; the lifecycle job applies them to the database.
 */
import { addDays, type IsoDate } from './dates';
import { computeEndDate, endsByTermination, isInWindow } from './terms';

export interface RenewalSource {
  startDate: IsoDate;
  endDate: IsoDate;
  anchorDate: IsoDate;
  monthsFromAnchor: number;
  /** term of the profile the contract was signed on; null without a profile */
  contractTerm: number | null;
  terminationType: 'EARLY' | 'REGULAR' | null;
  terminationDate: IsoDate | null;
  noticeDate: IsoDate | null;
}

/** The current version of the rollover profile: the terms the renewal is signed on. */
export interface RolloverTerms {
  contractProfileId: number;
  contractTerm: number;
  rolloverContractProfileId: number | null;
  renewalAlertDays: number;
  noticePeriodDays: number;
}

export interface RenewalPlan {
  startDate: IsoDate;
  endDate: IsoDate;
  billingStartDate: IsoDate;
  anchorDate: IsoDate;
  monthsFromAnchor: number;
  termEndDate: IsoDate;
  contractProfileId: number;
  rolloverContractProfileId: number | null;
  renewalAlertDays: number;
  noticePeriodDays: number;
  terminationType: 'REGULAR' | null;
  terminationDate: IsoDate | null;
  noticeDate: IsoDate | null;
}

/** True when the contract ends where the anchored term rule puts it (so its renewal continues the chain). */
export function followsAnchor(c: Pick<RenewalSource, 'endDate' | 'anchorDate' | 'monthsFromAnchor' | 'contractTerm'>): boolean {
  return c.contractTerm !== null && computeEndDate(c, c.contractTerm) === c.endDate;
}

/**
 * The contract that renews `source`: it starts the day after `source` ends, in
 * the same chain, so consecutive contracts never overlap or leave a gap. A
 * contract whose end was moved (terminated and renewed, or given an explicit end)
 * starts a new chain anchored on the renewal's start.
 */
export function planRenewal(source: RenewalSource, terms: RolloverTerms): RenewalPlan {
  const startDate = addDays(source.endDate, 1);
  const position = followsAnchor(source)
    ? { anchorDate: source.anchorDate, monthsFromAnchor: source.monthsFromAnchor + source.contractTerm! }
    : { anchorDate: startDate, monthsFromAnchor: 0 };
  let endDate = computeEndDate(position, terms.contractTerm);
  let rolloverContractProfileId = terms.rolloverContractProfileId;
  let termination: Pick<RenewalPlan, 'terminationType' | 'terminationDate' | 'noticeDate'> = {
    terminationType: null,
    terminationDate: null,
    noticeDate: null,
  };
  // a regular termination for a later term end travels with the renewals until the contract ending on it
  if (source.terminationType === 'REGULAR' && source.terminationDate !== null && source.terminationDate > source.endDate) {
    termination = { terminationType: 'REGULAR', terminationDate: source.terminationDate, noticeDate: source.noticeDate };
    if (endDate >= source.terminationDate) {
      endDate = source.terminationDate;
      rolloverContractProfileId = null;
    }
  }
  return {
    startDate,
    endDate,
    billingStartDate: startDate,
    ...position,
    termEndDate: endDate,
    contractProfileId: terms.contractProfileId,
    rolloverContractProfileId,
    renewalAlertDays: terms.renewalAlertDays,
    noticePeriodDays: terms.noticePeriodDays,
    ...termination,
  };
}

export interface LifecycleState {
  endDate: IsoDate | null;
  renewedCustomerContractId: number | null;
  rolloverContractProfileId: number | null;
  terminationDate: IsoDate | null;
}

/** Ended before today with no renewal to come: by termination, or by expiry. */
export function endingWithoutRenewal(c: LifecycleState, today: IsoDate): 'terminated' | 'expired' | null {
  if (c.renewedCustomerContractId !== null || c.rolloverContractProfileId !== null || c.endDate === null || c.endDate >= today) return null;
  return endsByTermination(c) ? 'terminated' : 'expired';
}

export type AlertKind = 'renewal_alert' | 'notice_period';

export interface AlertState extends LifecycleState {
  renewalAlertDays: number;
  noticePeriodDays: number;
}

/** Alerts are for current contracts inside the window ending on their end date. */
export function alertDue(kind: AlertKind, c: AlertState, today: IsoDate): boolean {
  if (c.endDate === null || c.renewedCustomerContractId !== null || endsByTermination(c)) return false;
  return isInWindow(today, c.endDate, kind === 'renewal_alert' ? c.renewalAlertDays : c.noticePeriodDays);
}
