/**
 * The one calendar module. Every date computation in Tenor goes through here.
 *
 * Dates are ISO `YYYY-MM-DD` strings (years 0001..9999), which sort and compare
 * correctly as strings; instants are epoch milliseconds or ISO-8601 UTC strings.
 * Time-zone work is done by the Temporal polyfill. Plain-date day and month
 * arithmetic runs on the platform's proleptic-Gregorian UTC calendar (Date), which
 * is some fifty times faster on hot paths (renewing contracts in bulk, statuses of
 * a list); test/unit/dates.test.ts checks it against Temporal.
 */
import { Temporal } from 'temporal-polyfill';

export type IsoDate = string;

export const MIN_DATE: IsoDate = '0001-01-01';
export const MAX_DATE: IsoDate = '9999-12-31';

/**
 * Every date the API accepts lies in this range (lifecycle.md, settled questions):
 * far enough from the calendar's ends that no term, renewal or window computed
 * from an accepted date reaches them. Computed term ends past it are clamped.
 */
export const API_MIN_DATE: IsoDate = '1900-01-01';
export const API_MAX_DATE: IsoDate = '2199-12-31';
export const API_DATE_RANGE = `${API_MIN_DATE} … ${API_MAX_DATE}`;

const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;

function plain(date: IsoDate): Temporal.PlainDate {
  return Temporal.PlainDate.from(date, { overflow: 'reject' });
}

const DAY_MS = 86_400_000;

/**
 * Epoch day of a civil date (proleptic Gregorian, as Date and Temporal count),
 * by integer arithmetic: listing contracts computes a status per row, and Date
 * objects made that a tenth of the list's CPU. Years are taken literally.
 */
function epochDayOf(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function lastDayOf(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : MONTH_DAYS[month - 1]!;
}

/** [year, month, day] of a valid ISO date; RangeError otherwise. */
function partsOf(date: IsoDate): [number, number, number] {
  if (typeof date === 'string' && DATE_SHAPE.test(date)) {
    const y = Number(date.slice(0, 4));
    const m = Number(date.slice(5, 7));
    const d = Number(date.slice(8, 10));
    if (y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= lastDayOf(y, m)) return [y, m, d];
  }
  throw new RangeError(`not a date: ${String(date)}`);
}

const EPOCH_DAY_MIN = epochDayOf(1, 1, 1);
const EPOCH_DAY_MAX = epochDayOf(9999, 12, 31);

function toEpochDay(date: IsoDate): number {
  const [y, m, d] = partsOf(date);
  return epochDayOf(y, m, d);
}

function fromEpochDay(epochDay: number): IsoDate {
  if (epochDay <= EPOCH_DAY_MIN) return MIN_DATE;
  if (epochDay >= EPOCH_DAY_MAX) return MAX_DATE;
  const z = epochDay + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shifted = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shifted + 2) / 5) + 1;
  const month = shifted < 10 ? shifted + 3 : shifted - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

/** True for a real calendar date in `YYYY-MM-DD` form (2025-02-29 is not one). */
export function isIsoDate(value: unknown): value is IsoDate {
  try {
    partsOf(value as IsoDate);
    return true;
  } catch {
    return false;
  }
}

/** A real calendar date within the API's range (API_MIN_DATE … API_MAX_DATE). */
export function isApiDate(value: unknown): value is IsoDate {
  return isIsoDate(value) && value >= API_MIN_DATE && value <= API_MAX_DATE;
}

/**
 * Adds calendar months keeping the day of month, clamped to the last day of a
 * shorter month: 2025-01-31 + 1 month = 2025-02-28. Clamped to 0001..9999.
 */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const [y, m, d] = partsOf(date);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  if (year < 1) return MIN_DATE;
  if (year > 9999) return MAX_DATE;
  const day = Math.min(d, lastDayOf(year, month));
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Adds (or with a negative count, subtracts) days, clamped to 0001-01-01..9999-12-31. */
export function addDays(date: IsoDate, days: number): IsoDate {
  return fromEpochDay(toEpochDay(date) + days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toEpochDay(to) - toEpochDay(from);
}

/** Inclusive count of days in [start, end]. */
export function daysInclusive(start: IsoDate, end: IsoDate): number {
  return daysBetween(start, end) + 1;
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

/** Monday = 1 … Sunday = 7 (1970-01-01 was a Thursday). */
export function dayOfWeek(date: IsoDate): number {
  return ((((toEpochDay(date) + 3) % 7) + 7) % 7) + 1;
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

const todayCache = new Map<string, IsoDate>();

/**
 * The calendar date at instant `at` (epoch ms) in `timeZone`. Cached to the
 * minute per zone because list handlers ask for it on every request.
 */
export function todayIn(timeZone: string, at: number = Date.now()): IsoDate {
  const minute = Math.floor(at / 60_000);
  const key = `${timeZone}|${minute}`;
  const hit = todayCache.get(key);
  if (hit) return hit;
  const date = Temporal.Instant.fromEpochMilliseconds(at).toZonedDateTimeISO(timeZone).toPlainDate().toString();
  if (todayCache.size > 1000) todayCache.clear();
  todayCache.set(key, date);
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
  const offset = utcOffsetAt(epochMs, timeZone);
  if (offset === null) {
    const z = Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(timeZone);
    return { date: z.toPlainDate().toString(), dayOfWeek: z.dayOfWeek, minuteOfDay: z.hour * 60 + z.minute };
  }
  const localMs = epochMs + offset;
  const epochDay = Math.floor(localMs / DAY_MS);
  const minuteOfDay = Math.floor((localMs - epochDay * DAY_MS) / 60_000);
  // 1970-01-01 was a Thursday
  const dayOfWeek = ((((epochDay + 3) % 7) + 7) % 7) + 1;
  return { date: localDateOf(epochDay), dayOfWeek, minuteOfDay };
}

/**
 * The date of an epoch day, remembered: rating asks for the local date of every
 * usage record twice, and a batch's records fall on a handful of days.
 */
const localDates = new Map<number, IsoDate>();

function localDateOf(epochDay: number): IsoDate {
  let date = localDates.get(epochDay);
  if (date === undefined) {
    // fromEpochDay clamps to 0001..9999; a local day past either end is printed as it is
    if (epochDay > EPOCH_DAY_MIN && epochDay < EPOCH_DAY_MAX) date = fromEpochDay(epochDay);
    else {
      const local = new Date(epochDay * DAY_MS);
      date = `${String(local.getUTCFullYear()).padStart(4, '0')}-${String(local.getUTCMonth() + 1).padStart(2, '0')}-${String(local.getUTCDate()).padStart(2, '0')}`;
    }
    if (localDates.size >= 4096) localDates.clear();
    localDates.set(epochDay, date);
  }
  return date;
}

interface OffsetSpan {
  from: number;
  until: number;
  offsetMs: number;
}

const offsetSpans = new Map<string, OffsetSpan[]>();

/**
 * The zone's UTC offset at an instant, from a small per-zone cache of the spans
 * between offset changes (rating reads the wall clock of every usage record, and a
 * Temporal conversion per record is the slowest step). Null outside years 1..9999.
 */
function utcOffsetAt(epochMs: number, timeZone: string): number | null {
  const spans = offsetSpans.get(timeZone);
  if (spans) for (const s of spans) if (epochMs >= s.from && epochMs < s.until) return s.offsetMs;
  const zoned = Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(timeZone);
  if (zoned.year < 1 || zoned.year > 9999) return null;
  const offsetMs = zoned.offsetNanoseconds / 1e6;
  const next = zoned.getTimeZoneTransition('next');
  const previous = zoned.getTimeZoneTransition('previous');
  // `previous` is strictly before the instant; if the instant is itself a change, the span starts here.
  let from = previous ? previous.epochMilliseconds : -Infinity;
  if (from !== -Infinity && Temporal.Instant.fromEpochMilliseconds(from).toZonedDateTimeISO(timeZone).offsetNanoseconds / 1e6 !== offsetMs) {
    from = epochMs;
  }
  const span = { from, until: next ? next.epochMilliseconds : Infinity, offsetMs };
  const list = spans ?? [];
  if (list.length >= 16) list.shift();
  list.push(span);
  if (!spans) {
    if (offsetSpans.size > 200) offsetSpans.clear();
    offsetSpans.set(timeZone, list);
  }
  return offsetMs;
}

const INSTANT_SHAPE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;
const INSTANT_PARTS = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):(\d{2}))$/i;

/**
 * The common instant (years 0001..9999, hours 00..23, seconds 00..59) computed
 * directly: Temporal takes some 15 µs per call, and rating parses the start time
 * of every usage record. Null when the text needs Temporal's full rules.
 */
function fastInstant(value: string): number | null {
  const m = INSTANT_PARTS.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])];
  const s = m[6] === undefined ? 0 : Number(m[6]);
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > lastDayOf(y, mo) || h > 23 || mi > 59 || s > 59) return null;
  let offsetMinutes = 0;
  if (m[8] !== undefined) {
    const oh = Number(m[9]);
    const om = Number(m[10]);
    if (oh > 23 || om > 59) return null;
    offsetMinutes = (m[8] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  // digits past the millisecond are dropped, as Temporal's epochMilliseconds floors them
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  return epochDayOf(y, mo, d) * DAY_MS + ((h * 60 + mi - offsetMinutes) * 60 + s) * 1000 + ms;
}

/** Parses an ISO-8601 instant with a `Z` or numeric offset; null when invalid. */
export function parseInstant(value: unknown): number | null {
  if (typeof value !== 'string' || !INSTANT_SHAPE.test(value)) return null;
  const fast = fastInstant(value);
  if (fast !== null) return fast;
  try {
    return Temporal.Instant.from(value).epochMilliseconds;
  } catch {
    return null;
  }
}

const API_MIN_INSTANT = Date.UTC(1900, 0, 1);
const API_MAX_INSTANT = Date.UTC(2200, 0, 1);

/** parseInstant, and null for an instant outside the API's date range (its UTC date in API_MIN_DATE … API_MAX_DATE). */
export function parseApiInstant(value: unknown): number | null {
  const epochMs = parseInstant(value);
  return epochMs !== null && epochMs >= API_MIN_INSTANT && epochMs < API_MAX_INSTANT ? epochMs : null;
}

/** ISO-8601 UTC with milliseconds: 2026-11-21T09:30:00.000Z */
export function toInstant(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

const CANONICAL_INSTANT = /^\d{4}-[01]\d-[0-3]\dT(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/**
 * toInstant of a valid instant `value` parsed to `epochMs`: `value` itself when it
 * is written that way already (as feeds usually send it), without formatting again.
 */
export function canonicalInstant(value: string, epochMs: number): string {
  return CANONICAL_INSTANT.test(value) ? value : toInstant(epochMs);
}

/**
 * Whole anchored months from `anchor` to `date`: the largest k with
 * addMonths(anchor, k) ≤ date (negative when `date` is before `anchor`). Counting
 * from the anchor keeps month-end anchors from drifting: from 2025-01-31, 2025-02-28
 * is 1 month and 2025-03-30 is still 1 month.
 */
export function monthsFromAnchor(anchor: IsoDate, date: IsoDate): number {
  const [ay, am] = partsOf(anchor);
  const [dy, dm] = partsOf(date);
  // The calendar-month difference is never too small and at most one too large.
  const k = (dy - ay) * 12 + (dm - am);
  return addMonths(anchor, k) > date ? k - 1 : k;
}

/**
 * The instant the wall clock in `timeZone` reaches `minuteOfDay` (0..1440; 1440 is
 * the next midnight) on `date`, first occurrence after `after`. A time skipped by a
 * DST jump is reached at the jump itself; a time shown twice (clocks going back)
 * gives the earlier occurrence unless that is not after `after`.
 */
export function wallTimeInstant(date: IsoDate, minuteOfDay: number, timeZone: string, after = -Infinity): number {
  const day = plain(date).add({ days: Math.floor(minuteOfDay / 1440) });
  const minute = minuteOfDay % 1440;
  const local = day.toPlainDateTime({ hour: Math.floor(minute / 60), minute: minute % 60 });
  const zoned = local.toZonedDateTime(timeZone, { disambiguation: 'compatible' });
  if (!zoned.toPlainDateTime().equals(local)) {
    const jump = zoned.getTimeZoneTransition('previous');
    if (jump) return jump.epochMilliseconds;
  }
  if (zoned.epochMilliseconds > after) return zoned.epochMilliseconds;
  return local.toZonedDateTime(timeZone, { disambiguation: 'later' }).epochMilliseconds;
}

/** The next instant after `epochMs` at which `timeZone` changes its UTC offset, or null. */
export function nextOffsetChange(epochMs: number, timeZone: string): number | null {
  const next = Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(timeZone).getTimeZoneTransition('next');
  return next ? next.epochMilliseconds : null;
}
