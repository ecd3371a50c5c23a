/**
 * The one calendar module. Every date computation in Tenor goes through here.
 *
 * Dates are ISO `YYYY-MM-DD` strings (years 0001..9999), which sort and compare
 * correctly as strings; instants are epoch milliseconds or ISO-8601 UTC strings.
 * Arithmetic is done by the Temporal polyfill, never by hand.
 */
import { Temporal } from 'temporal-polyfill';

export type IsoDate = string;

export const MIN_DATE: IsoDate = '0001-01-01';
export const MAX_DATE: IsoDate = '9999-12-31';

const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;

function plain(date: IsoDate): Temporal.PlainDate {
  return Temporal.PlainDate.from(date, { overflow: 'reject' });
}

function fromPlain(d: Temporal.PlainDate): IsoDate {
  if (d.year < 1) return MIN_DATE;
  if (d.year > 9999) return MAX_DATE;
  return d.toString();
}

/** True for a real calendar date in `YYYY-MM-DD` form (2025-02-29 is not one). */
export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string' || !DATE_SHAPE.test(value) || value < MIN_DATE) return false;
  try {
    plain(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * Adds calendar months keeping the day of month, clamped to the last day of a
 * shorter month: 2025-01-31 + 1 month = 2025-02-28.
 */
export function addMonths(date: IsoDate, months: number): IsoDate {
  return fromPlain(plain(date).add({ months }, { overflow: 'constrain' }));
}

const addDaysCache = new Map<string, IsoDate>();

/**
 * Adds (or with a negative count, subtracts) days, clamped to 0001-01-01..9999-12-31.
 * Memoised (bounded): every contract read derives its status from its end date
 * and notice period, a few thousand distinct pairs, and the polyfill takes ~15 µs a call.
 */
export function addDays(date: IsoDate, days: number): IsoDate {
  const key = `${date}|${days}`;
  const hit = addDaysCache.get(key);
  if (hit !== undefined) return hit;
  const d = plain(date);
  const epochDay = toEpochDay(d) + days;
  const result = epochDay <= EPOCH_DAY_MIN ? MIN_DATE : epochDay >= EPOCH_DAY_MAX ? MAX_DATE : fromPlain(d.add({ days }));
  if (addDaysCache.size >= 10_000) addDaysCache.clear();
  addDaysCache.set(key, result);
  return result;
}

const EPOCH = Temporal.PlainDate.from('1970-01-01');
function toEpochDay(d: Temporal.PlainDate): number {
  return EPOCH.until(d, { largestUnit: 'days' }).days;
}
const EPOCH_DAY_MIN = toEpochDay(plain(MIN_DATE));
const EPOCH_DAY_MAX = toEpochDay(plain(MAX_DATE));

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return plain(from).until(plain(to), { largestUnit: 'days' }).days;
}

/** Inclusive count of days in [start, end]. */
export function daysInclusive(start: IsoDate, end: IsoDate): number {
  return daysBetween(start, end) + 1;
}

export function compareDates(a: IsoDate, b: IsoDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function minDate(a: IsoDate, b: IsoDate): IsoDate {
  return a <= b ? a : b;
}

export function maxDate(a: IsoDate, b: IsoDate): IsoDate {
  return a >= b ? a : b;
}

/** True when `date` lies in [start, end]; a null end is open. */
export function isWithin(date: IsoDate, start: IsoDate, end: IsoDate | null | undefined): boolean {
  return date >= start && (end == null || date <= end);
}

/** Monday = 1 … Sunday = 7. */
export function dayOfWeek(date: IsoDate): number {
  return plain(date).dayOfWeek;
}

export function daysInMonth(date: IsoDate): number {
  return plain(date).daysInMonth;
}

export function isValidTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== 'string' || timeZone.length === 0 || timeZone.length > 64) return false;
  try {
    Temporal.Now.instant().toZonedDateTimeISO(timeZone);
    return true;
  } catch {
    return false;
  }
}

const todayCache = new Map<string, { until: number; date: IsoDate }>();

/**
 * The calendar date at instant `at` (epoch ms) in `timeZone`. Cached to the
 * minute per zone because list handlers ask for it on every request.
 */
export function todayIn(timeZone: string, at: number = Date.now()): IsoDate {
  const minute = Math.floor(at / 60_000);
  const key = `${timeZone}|${minute}`;
  const hit = todayCache.get(key);
  if (hit) return hit.date;
  const date = Temporal.Instant.fromEpochMilliseconds(at).toZonedDateTimeISO(timeZone).toPlainDate().toString();
  if (todayCache.size > 1000) todayCache.clear();
  todayCache.set(key, { until: (minute + 1) * 60_000, date });
  return date;
}

export interface WallClock {
  date: IsoDate;
  /** Monday = 1 … Sunday = 7 */
  dayOfWeek: number;
  /** minutes since local midnight, 0..1439 */
  minuteOfDay: number;
}

/** The local date, weekday and time of day of an instant in a time zone. */
export function wallClock(epochMs: number, timeZone: string): WallClock {
  const z = Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(timeZone);
  return { date: z.toPlainDate().toString(), dayOfWeek: z.dayOfWeek, minuteOfDay: z.hour * 60 + z.minute };
}

/** The instant local midnight starts `date` in `timeZone` (DST-safe). */
export function startOfDay(date: IsoDate, timeZone: string): number {
  return plain(date).toZonedDateTime({ timeZone }).epochMilliseconds;
}

const INSTANT_SHAPE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

/** Parses an ISO-8601 instant with a `Z` or numeric offset; null when invalid. */
export function parseInstant(value: unknown): number | null {
  if (typeof value !== 'string' || !INSTANT_SHAPE.test(value)) return null;
  try {
    return Temporal.Instant.from(value).epochMilliseconds;
  } catch {
    return null;
  }
}

/** ISO-8601 UTC with milliseconds: 2026-11-21T09:30:00.000Z */
export function toInstant(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
