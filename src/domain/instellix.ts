/**
 * The instellix (formerly Nitrobox) dialect's translation rules (compat.md
 * §instellix): its units, property lists, deprecated references and option
 * quantities onto Tenor's model. Plain functions: no HTTP, no database.
 *
 * Decisions:
 * - A contract term in YEARs is 12 months each; Tenor keeps months.
 * - A notice period in MONTHs is 30 days each (the commercial 30-day month, as
 *   BGB §191 counts a month that need not run continuously); Tenor keeps days, and
 *   every notice rule (cut-offs, IN_NOTICE, alerts) counts days. So 2 MONTH = 60
 *   days, and a calendar-exact cut-off may differ by up to a day per month.
 * - The unit a plan was written with is kept for display: a value reads back in
 *   its unit when it divides evenly, else in MONTHs (terms) or DAYs (notice).
 * - Properties are `[{ident, value}]` lists on the wire and a string map in Tenor
 *   (as /v1 properties are); an ident given twice is an error, the order is kept.
 */
import { type IsoDate, isApiDate, parseApiInstant, wallClock } from './dates';

export const TERM_UNITS = ['MONTH', 'YEAR'] as const;
export type TermUnit = (typeof TERM_UNITS)[number];
export const NOTICE_UNITS = ['DAY', 'MONTH'] as const;
export type NoticeUnit = (typeof NOTICE_UNITS)[number];

export const MONTHS_PER_YEAR = 12;
/** Days a notice period of one MONTH is held to (see the module's decisions). */
export const DAYS_PER_NOTICE_MONTH = 30;

export interface Duration<U extends string> {
  value: number;
  unit: U;
}

/** A contract term in Tenor's months. */
export function termMonths(term: Duration<TermUnit>): number {
  return term.unit === 'YEAR' ? term.value * MONTHS_PER_YEAR : term.value;
}

/** A stored term (months) in the unit it was written with, when it divides evenly; else in months. */
export function termOf(months: number, unit: TermUnit | null): Duration<TermUnit> {
  if (unit === 'YEAR' && months % MONTHS_PER_YEAR === 0) return { value: months / MONTHS_PER_YEAR, unit: 'YEAR' };
  return { value: months, unit: 'MONTH' };
}

/** A notice period in Tenor's days. */
export function noticePeriodDays(period: Duration<NoticeUnit>): number {
  return period.unit === 'MONTH' ? period.value * DAYS_PER_NOTICE_MONTH : period.value;
}

/** A stored notice period (days) in the unit it was written with, when it divides evenly; else in days. */
export function noticePeriodOf(days: number, unit: NoticeUnit | null): Duration<NoticeUnit> {
  if (unit === 'MONTH' && days % DAYS_PER_NOTICE_MONTH === 0) return { value: days / DAYS_PER_NOTICE_MONTH, unit: 'MONTH' };
  return { value: days, unit: 'DAY' };
}

/** A problem with one field of a request, its path a JSON Pointer relative to the body. */
export interface FieldIssue {
  path: string;
  message: string;
}

export interface Property {
  ident: string;
  value: string;
}

/** `[{ident, value}]` → a map in the list's order; an ident given twice is an issue at its second place. */
export function propertiesToMap(list: readonly Property[], at = '/properties'): { map: Record<string, string>; issues: FieldIssue[] } {
  const map: Record<string, string> = {};
  const issues: FieldIssue[] = [];
  list.forEach((p, index) => {
    if (Object.hasOwn(map, p.ident)) issues.push({ path: `${at}/${index}/ident`, message: `"${p.ident}" is given more than once` });
    // defined, not assigned: an ident such as `__proto__` is a property like any other
    else Object.defineProperty(map, p.ident, { value: p.value, enumerable: true, writable: true, configurable: true });
  });
  return { map, issues };
}

/** A stored property map as the wire's list (empty when there is none). */
export function mapToProperties(map: Record<string, string> | null | undefined): Property[] {
  return Object.entries(map ?? {}).map(([ident, value]) => ({ ident, value }));
}

/**
 * How a contract names its debtor or plan: by ident (preferred) or by the
 * deprecated numeric id, which is Tenor's id of the customer or profile.
 */
export type Reference = { ident: string; id?: number } | { id: number; ident?: undefined };

/**
 * The reference from a body's ident field and its deprecated id field. Either
 * must be given (an issue at the ident's path otherwise); given both, the ident
 * is used and the id must name the same object (the caller checks that).
 */
export function referenceOf(ident: string | null | undefined, id: number | null | undefined, fields: { ident: string; id: string }): Reference | FieldIssue {
  if (ident != null) return id != null ? { ident, id } : { ident };
  if (id != null) return { id };
  return { path: `/${fields.ident}`, message: `is required (or the deprecated ${fields.id})` };
}

export function isIssue(value: unknown): value is FieldIssue {
  return typeof value === 'object' && value !== null && 'path' in value && 'message' in value;
}

/**
 * The contract owner a request acts for: the one given, else the token's only
 * owner. Null when it cannot be told (the token acts for several or all owners
 * and none was given); the caller answers with a 400 naming contractOwnerId.
 */
export function impliedOwner(tokenOwners: readonly number[] | '*', given: number | null | undefined): number | null {
  if (given != null) return given;
  if (tokenOwners !== '*' && tokenOwners.length === 1) return tokenOwners[0]!;
  return null;
}

/**
 * The calendar date of a date (as is) or of an instant (its date in the owner's
 * time zone). instellix sends date-times where Tenor keeps dates; null when the
 * value is neither.
 */
export function calendarDate(value: string, timeZone: string): IsoDate | null {
  if (isApiDate(value)) return value;
  const epochMs = parseApiInstant(value);
  return epochMs === null ? null : wallClock(epochMs, timeZone).date;
}

/** Whether a value is a date or an ISO-8601 instant with a zone (what calendarDate takes). */
export function isDateOrInstant(value: unknown): boolean {
  // within the API's range, 1900-01-01 … 2199-12-31 (lifecycle.md, settled questions)
  return typeof value === 'string' && (isApiDate(value) || parseApiInstant(value) !== null);
}

export interface PlanOptionRef {
  id: number;
  optionIdent: string;
}

export interface OptionQuantity {
  optionIdent: string;
  quantity: number;
}

/**
 * One RPI per option of the plan, with the quantity `optionQuantities` gives it
 * (1 for an option it leaves out). An optionIdent that is not an option of the
 * plan, or is listed twice, is an issue at its place.
 */
export function optionRentals<O extends PlanOptionRef>(
  options: readonly O[],
  quantities: readonly OptionQuantity[],
): { rentals: Array<{ option: O; quantity: number }>; unknown: FieldIssue[]; repeated: FieldIssue[] } {
  const byIdent = new Map(options.map((o) => [o.optionIdent, o]));
  const given = new Map<string, number>();
  const unknown: FieldIssue[] = [];
  const repeated: FieldIssue[] = [];
  quantities.forEach((q, index) => {
    const path = `/optionQuantities/${index}/optionIdent`;
    if (given.has(q.optionIdent)) repeated.push({ path, message: `"${q.optionIdent}" is listed more than once` });
    else if (!byIdent.has(q.optionIdent)) unknown.push({ path, message: `"${q.optionIdent}" is not an option of the plan` });
    else given.set(q.optionIdent, q.quantity);
  });
  return { rentals: options.map((option) => ({ option, quantity: given.get(option.optionIdent) ?? 1 })), unknown, repeated };
}

/** Idents that match the pattern but cannot be addressed in a URL path (`/v2/contracts/..` is normalized away). */
export function isAddressableIdent(ident: string): boolean {
  return ident !== '.' && ident !== '..';
}
