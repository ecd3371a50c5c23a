/**
 * Rules of a maintenance contract's setup (compat.md, simPRO): when a contract
 * reads as expired or archived, which markup applies, and what a custom field
 * accepts. Plain functions: no HTTP, no database.
 */
import { addDays, type IsoDate, isIsoDate } from './dates';

/** A contract reads as archived once it has ended more than this many days ago. */
export const ARCHIVED_AFTER_DAYS = 90;

/** Expired: set on the contract, or its end date has passed (an open-ended contract never expires by date). */
export function isExpired(flag: boolean, endDate: IsoDate | null, today: IsoDate): boolean {
  return flag || (endDate !== null && endDate < today);
}

/** Archived: the contract ended more than ARCHIVED_AFTER_DAYS days before today. */
export function isArchived(endDate: IsoDate | null, today: IsoDate): boolean {
  return endDate !== null && addDays(endDate, ARCHIVED_AFTER_DAYS) < today;
}

/** The markup a contract applies: its own, else its pricing tier's default, else none (0). */
export function effectiveMarkup(markup: number | null, tierDefault: number | null): number {
  return markup ?? tierDefault ?? 0;
}

export const CUSTOM_FIELD_TYPES = ['Text', 'Date', 'List', 'Numeric', 'Hyperlink'] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

export const MAX_CUSTOM_FIELD_VALUE_LENGTH = 1000;
const NUMERIC = /^-?\d{1,15}(\.\d{1,6})?$/;

/**
 * Why a value does not suit a custom field, or null when it does: a Date field
 * takes YYYY-MM-DD, a Numeric one a decimal number, a List one one of its items;
 * Text and Hyperlink take any text up to 1,000 characters.
 */
export function customFieldValueProblem(field: { type: CustomFieldType; listItems: readonly string[] | null }, value: string): string | null {
  if (value.length > MAX_CUSTOM_FIELD_VALUE_LENGTH) return `must be at most ${MAX_CUSTOM_FIELD_VALUE_LENGTH} characters`;
  switch (field.type) {
    case 'Date':
      return isIsoDate(value) ? null : 'must be a date (YYYY-MM-DD) for a Date field';
    case 'Numeric':
      return NUMERIC.test(value) ? null : 'must be a number for a Numeric field';
    case 'List': {
      const items = field.listItems ?? [];
      return items.includes(value) ? null : `must be one of the field's list items (${items.join(', ') || 'none'})`;
    }
    default:
      return null;
  }
}

/** The list items a field keeps: a List field its items (trimmed, without blanks and repeats), any other none. */
export function keptListItems(type: CustomFieldType, items: readonly string[] | null | undefined): string[] | null {
  if (type !== 'List') return null;
  return [...new Set((items ?? []).map((i) => i.trim()).filter((i) => i !== ''))];
}
