/**
 * Contract rules that are not date arithmetic: profile versioning, generated
 * names, and what may change on a customer contract (v1-contracts.md §Editing).
 */
import type { IsoDate } from './dates';

/** Changing any of these on a profile creates a new version instead of editing it. */
export const VERSIONED_PROFILE_FIELDS = ['contractTerm', 'earlyTerminationFixedCharge', 'earlyTerminationPercentageCharge'] as const;

export function createsNewProfileVersion(changed: ReadonlySet<string>): boolean {
  return VERSIONED_PROFILE_FIELDS.some((f) => changed.has(f));
}

export const MAX_NAME_LENGTH = 100;

/** `<customer name> – <profile name>`, cut to 100 characters (never ending in a space). */
export function generatedContractName(customerName: string, profileName: string | null): string {
  const full = profileName ? `${customerName} – ${profileName}` : customerName;
  return [...full].slice(0, MAX_NAME_LENGTH).join('').trimEnd();
}

/** Once billing has started only these fields may change. */
export const EDITABLE_AFTER_BILLING = ['rolloverContractProfileId', 'renewalAlertDays', 'noticePeriodDays', 'endDate', 'priceAdaptationId'] as const;

export function billingHasStarted(billingStartDate: IsoDate, today: IsoDate): boolean {
  return today >= billingStartDate;
}

export interface ContractEditState {
  /** null: a contract without terms (simPRO's maintenance contracts), which no billing start locks */
  contractProfileId: number | null;
  startDate: IsoDate;
  endDate: IsoDate | null;
  billingStartDate: IsoDate;
  previousCustomerContractId: number | null;
  renewedCustomerContractId: number | null;
}

export interface EditRuleViolation {
  field: string;
  message: string;
  /** 422 business rule, or 400 invalid value */
  kind: 'business-rule' | 'validation';
}

export type ContractEdit =
  | { kind: 'edit' }
  /** endDate moved earlier than the term end of a current contract whose billing has started */
  | { kind: 'terminate'; terminationDate: IsoDate };

/**
 * Decides whether a set of changes to a contract is allowed, and whether it is an
 * early termination. Returns the first violation, or the kind of edit. A contract
 * without a profile has no term to protect: every field but customerId stays
 * editable, and its end date may move either way or be removed (open-ended).
 */
export function classifyContractEdit(
  current: ContractEditState,
  next: { startDate: IsoDate; endDate: IsoDate | null },
  changed: ReadonlySet<string>,
  today: IsoDate,
): ContractEdit | EditRuleViolation {
  if (changed.has('customerId')) {
    return { field: 'customerId', message: 'customerId cannot be changed', kind: 'business-rule' };
  }
  if (current.renewedCustomerContractId !== null) {
    const field = [...changed][0] ?? 'id';
    return { field, message: 'a renewed contract cannot be changed; change its renewal instead', kind: 'business-rule' };
  }
  const termed = current.contractProfileId !== null;
  const started = termed && billingHasStarted(current.billingStartDate, today);
  if (started) {
    const allowed: ReadonlySet<string> = new Set(EDITABLE_AFTER_BILLING);
    for (const field of changed) {
      if (!allowed.has(field)) {
        return {
          field,
          message: `${field} cannot be changed once billing has started (only ${EDITABLE_AFTER_BILLING.join(', ')} can)`,
          kind: 'business-rule',
        };
      }
    }
  } else if (changed.has('startDate') && current.previousCustomerContractId !== null) {
    return { field: 'startDate', message: "a renewal starts the day after its predecessor ends; its startDate cannot be changed", kind: 'business-rule' };
  }

  if (!changed.has('endDate')) return { kind: 'edit' };
  if (next.endDate === null) return termed ? { field: 'endDate', message: 'endDate cannot be removed', kind: 'validation' } : { kind: 'edit' };
  if (next.endDate < next.startDate) return { field: 'endDate', message: 'must not be before startDate', kind: 'validation' };
  if (!started) return { kind: 'edit' };
  if (current.endDate !== null && next.endDate > current.endDate) {
    return { field: 'endDate', message: 'endDate cannot move later than the term end; the contract renews instead', kind: 'business-rule' };
  }
  return { kind: 'terminate', terminationDate: next.endDate };
}

export function isViolation(result: ContractEdit | EditRuleViolation): result is EditRuleViolation {
  return 'field' in result;
}
