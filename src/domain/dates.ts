/**
 * The one calendar module. Every date computation in Tenor goes through here.
 *
 * Dates are ISO `YYYY-MM-DD` strings (years 0001..9999), which sort and compare
 * correctly as strings; instants are epoch milliseconds or ISO-8601 UTC strings.
 * Plain-date day and month arithmetic is integer arithmetic on the proleptic
 * Gregorian calendar, fast on hot paths (renewing contracts in bulk, statuses of
 * a list); time zones are read from the platform's Intl.DateTimeFormat (the Worker
 * runtime has no Temporal). test/unit/dates.test.ts checks all of it against the
 * Temporal polyfill, a test dependency only.
 */

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

/*
 * Time zones, read from the platform's Intl.DateTimeFormat (Node and workerd
 * both carry the IANA database through ICU). A zone's offset is sampled at the
 * ends of fixed periods of days and a change inside a period is bisected to the
 * second (offsets and transitions are whole seconds), the way the Temporal
 * polyfill reads a zone: test/unit/dates.test.ts checks offsets, transitions and
 * instants of local times against it. A period is short enough that no zone
 * changes its offset twice within one.
 */

interface Zone {
  /** the offset of a fixed zone (UTC, +05:30), in seconds; null for a named zone */
  fixedSec: number | null;
  format: Intl.DateTimeFormat | null;
  periodSec: number;
  /** offset (s) at a period's start, by that start (epoch s) */
  samples: Map<number, number>;
  /** the change inside a period whose ends differ, by the period's start */
  changes: Map<number, number>;
}

/** ±HH, ±HHMM or ±HH:MM: a fixed offset as a zone */
const OFFSET_ZONE = /^([+-])([01]\d|2[0-3])(?::?([0-5]\d))?$/;
/** three-letter ICU abbreviations that are no IANA zone (PST, CST, …) */
const ICU_ONLY_ZONE = /^(AC|AE|AG|AR|AS|BE|BS|CA|CN|CS|CT|EA|EC|IE|IS|JS|MI|NE|NS|PL|PN|PR|PS|SS|VS)T$/;
const ZONE_CHARACTERS = /^[\w/:+-]+$/;
/** zones whose offsets changed twice within the usual period at some time, by the last part of their name */
const SHORT_PERIOD_DAYS: Record<string, number> = {
  el_aaiun: 16, tucuman: 12, tirane: 11, riga: 10, simferopol: 9, vienna: 9, tunis: 8,
  boa_vista: 6, fortaleza: 6, maceio: 6, noronha: 6, recife: 6, gaza: 6, hebron: 6, denoronha: 6,
};
const PERIOD_DAYS = 19;
/** Intl is asked about instants between these (epoch s: 1653 and the end of Date's range) */
const SAMPLE_MIN_SEC = -1e10;
const SAMPLE_MAX_SEC = 864e10;
/** no offset change is looked for before this (epoch s, 1843) */
const FIRST_CHANGE_SEC = -4e9;
/** 4e9 s is 2096: back from later instants, a change is looked for in the three years before first */
const LATE_SEC = 4e9;
/** three years (s): forward, a change is looked for up to this far past the later of the instant and now */
const SEARCH_AHEAD_SEC = 94_867_200;

const zones = new Map<string, Zone>();

/** The zone named `timeZone`; RangeError for a name no zone has. */
function zoneOf(timeZone: string): Zone {
  let zone = zones.get(timeZone);
  if (zone) return zone;
  if (typeof timeZone !== 'string') throw new TypeError('a time zone is a string');
  const upper = timeZone.toUpperCase();
  const offset = OFFSET_ZONE.exec(upper);
  let fixedSec: number | null = null;
  let format: Intl.DateTimeFormat | null = null;
  if (offset) fixedSec = (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 3600 + Number(offset[3] ?? 0) * 60) || 0;
  else if (upper === 'UTC') fixedSec = 0;
  else {
    if (!ZONE_CHARACTERS.test(timeZone) || ICU_ONLY_ZONE.test(upper)) throw new RangeError(`not a time zone: ${timeZone}`);
    // RangeError for a name Intl does not know
    format = new Intl.DateTimeFormat('en-u-hc-h23', {
      calendar: 'iso8601',
      timeZone: upper,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }
  const lastPart = timeZone.split('/').pop()!.toLowerCase();
  zone = { fixedSec, format, periodSec: 86_400 * (SHORT_PERIOD_DAYS[lastPart] ?? PERIOD_DAYS), samples: new Map(), changes: new Map() };
  if (zones.size >= 256) zones.clear();
  zones.set(timeZone, zone);
  return zone;
}

/** The offset (s) Intl gives a named zone at `epochSec` (inside SAMPLE_MIN_SEC … SAMPLE_MAX_SEC). */
function intlOffsetSec(format: Intl.DateTimeFormat, epochSec: number): number {
  let year = 0;
  let month = 0;
  let day = 0;
  let time = 0;
  for (const part of format.formatToParts(epochSec * 1000)) {
    switch (part.type) {
      case 'year': year = Number(part.value); break;
      case 'month': month = Number(part.value); break;
      case 'day': day = Number(part.value); break;
      case 'hour': time += Number(part.value) * 3600; break;
      case 'minute': time += Number(part.value) * 60; break;
      case 'second': time += Number(part.value); break;
    }
  }
  return epochDayOf(year, month, day) * 86_400 + time - epochSec;
}

/** The offset (s) at the start of a period (epoch s), remembered. */
function sampleSec(zone: Zone, epochSec: number): number {
  const at = Math.min(Math.max(epochSec, SAMPLE_MIN_SEC), SAMPLE_MAX_SEC);
  let offset = zone.samples.get(at);
  if (offset === undefined) {
    offset = intlOffsetSec(zone.format!, at);
    if (zone.samples.size >= 16_384) zone.samples.clear();
    zone.samples.set(at, offset);
  }
  return offset;
}

/** The instant (epoch s) the offset changes to `endOffset` inside the period starting at `start`, bisected. */
function changeIn(zone: Zone, start: number, endOffset: number): number {
  let change = zone.changes.get(start);
  if (change === undefined) {
    let low = Math.min(Math.max(start, SAMPLE_MIN_SEC), SAMPLE_MAX_SEC);
    let high = Math.min(Math.max(start + zone.periodSec, SAMPLE_MIN_SEC), SAMPLE_MAX_SEC);
    while (high > low) {
      const middle = low + Math.floor((high - low) / 2);
      if (intlOffsetSec(zone.format!, middle) === endOffset) high = middle;
      else low = middle + 1;
    }
    change = low;
    if (zone.changes.size >= 4096) zone.changes.clear();
    zone.changes.set(start, change);
  }
  return change;
}

/** The zone's UTC offset (s) at `epochSec`. */
function offsetSecAt(zone: Zone, epochSec: number): number {
  if (zone.fixedSec !== null) return zone.fixedSec;
  const start = Math.floor(epochSec / zone.periodSec) * zone.periodSec;
  const before = sampleSec(zone, start);
  const after = sampleSec(zone, start + zone.periodSec);
  if (before === after) return before;
  return epochSec < changeIn(zone, start, after) ? before : after;
}

/**
 * The first offset change (epoch s) in `direction` from the period of `searchSec`
 * on, up to `limit`, that lies after `epochSec` (at or after, forward) or before it (backward).
 */
function searchChange(zone: Zone, searchSec: number, direction: 1 | -1, limit: number, epochSec = searchSec): number | undefined {
  const period = zone.periodSec;
  for (let start = Math.floor(searchSec / period) * period; direction < 0 ? start + period > limit : start < limit; start += direction * period) {
    const before = sampleSec(zone, start);
    const after = sampleSec(zone, start + period);
    if (before !== after) {
      const change = changeIn(zone, start, after);
      if ((Math.sign(change - epochSec) || 1) === direction) return change;
    }
  }
  return undefined;
}

/**
 * The zone's next offset change strictly after the instant `epochMs` (direction 1)
 * or its last strictly before it (-1); null when there is none in the searched
 * range: back to 1843, forward to three years past the later of the instant and now.
 */
function offsetChange(zone: Zone, epochMs: number, direction: 1 | -1): number | null {
  if (zone.fixedSec !== null) return null;
  const floorSec = Math.floor(epochMs / 1000);
  const epochSec = floorSec + (direction > 0 || epochMs !== floorSec * 1000 ? 1 : 0);
  let change: number | undefined;
  if (direction > 0) {
    if (epochSec < SAMPLE_MAX_SEC) {
      const limit = Math.max(epochSec, Math.floor(Date.now() / 1000)) + SEARCH_AHEAD_SEC;
      change = searchChange(zone, Math.max(epochSec, FIRST_CHANGE_SEC) - 1, 1, limit, epochSec);
    }
  } else if (epochSec > FIRST_CHANGE_SEC) {
    change =
      epochSec > LATE_SEC
        ? (searchChange(zone, epochSec, -1, epochSec - SEARCH_AHEAD_SEC) ?? searchChange(zone, LATE_SEC, -1, FIRST_CHANGE_SEC))
        : searchChange(zone, epochSec, -1, FIRST_CHANGE_SEC);
  }
  return change === undefined ? null : change * 1000;
}

/** The instants (epoch s) at which the zone's clocks show `localSec` (local time as epoch s): one, two (clocks going back) or none (a skipped time). */
function instantsAt(zone: Zone, localSec: number): number[] {
  if (zone.fixedSec !== null) return [localSec - zone.fixedSec];
  const dayBefore = offsetSecAt(zone, localSec - 86_400);
  const dayAfter = offsetSecAt(zone, localSec + 86_400);
  if (dayBefore === dayAfter) return [localSec - dayBefore];
  const offset = offsetSecAt(zone, localSec - dayBefore);
  if (offset === offsetSecAt(zone, localSec - dayAfter)) return [localSec - offset];
  return dayBefore > dayAfter ? [localSec - dayBefore, localSec - dayAfter] : [];
}

/**
 * The instant (epoch s) of local time `localSec`: of a repeated time the earlier
 * (or with `later` the later) occurrence; a skipped time is moved forward by the
 * length of the gap, as Temporal's 'compatible' and 'later' disambiguations do.
 */
function instantOfLocal(zone: Zone, localSec: number, later: boolean): number {
  const instants = instantsAt(zone, localSec);
  if (instants.length === 1) return instants[0]!;
  if (instants.length > 1) return instants[later ? 1 : 0]!;
  const gap = offsetSecAt(zone, localSec + 86_400) - offsetSecAt(zone, localSec - 86_400);
  const shifted = instantsAt(zone, localSec + gap);
  if (shifted.length === 0) throw new RangeError(`no instant shows that local time in ${String(zone.format?.resolvedOptions().timeZone)}`);
  return shifted[shifted.length - 1]!;
}

/** Temporal's instant range: ±10⁸ days from the epoch, whole milliseconds. */
function checkInstant(epochMs: number): void {
  if (!Number.isInteger(epochMs) || Math.abs(epochMs) > 8.64e15) throw new RangeError(`not an instant: ${epochMs}`);
}

/** An epoch day as Temporal prints a date: years 0000..9999 with four digits, others signed with six. */
function printDay(epochDay: number): IsoDate {
  if (epochDay > EPOCH_DAY_MIN && epochDay < EPOCH_DAY_MAX) return fromEpochDay(epochDay);
  const at = new Date(epochDay * DAY_MS);
  const year = at.getUTCFullYear();
  if (Number.isNaN(year)) throw new RangeError(`no date for epoch day ${epochDay}`);
  const printedYear = year >= 0 && year <= 9999 ? String(year).padStart(4, '0') : `${year < 0 ? '-' : '+'}${String(Math.abs(year)).padStart(6, '0')}`;
  return `${printedYear}-${String(at.getUTCMonth() + 1).padStart(2, '0')}-${String(at.getUTCDate()).padStart(2, '0')}`;
}

/** Whether `timeZone` names a zone (an IANA name such as Europe/Berlin, UTC, or a fixed offset such as +05:30). */
export function isValidTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== 'string' || timeZone.length === 0 || timeZone.length > 64) return false;
  try {
    zoneOf(timeZone);
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
  const zone = zoneOf(timeZone);
  checkInstant(at);
  const date = printDay(Math.floor((at + offsetSecAt(zone, Math.floor(at / 1000)) * 1000) / DAY_MS));
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
  const localMs = epochMs + (offset ?? offsetSecAt(zoneOf(timeZone), Math.floor(epochMs / 1000)) * 1000);
  const epochDay = Math.floor(localMs / DAY_MS);
  const minuteOfDay = Math.floor((localMs - epochDay * DAY_MS) / 60_000);
  // 1970-01-01 was a Thursday
  const dayOfWeek = ((((epochDay + 3) % 7) + 7) % 7) + 1;
  return { date: offset === null ? printDay(epochDay) : localDateOf(epochDay), dayOfWeek, minuteOfDay };
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
 * The zone's UTC offset (ms) at an instant, from a small per-zone cache of the
 * spans between offset changes (rating reads the wall clock of every usage record,
 * and finding an offset through Intl per record is the slowest step). Null when
 * the local date is outside years 1..9999.
 */
function utcOffsetAt(epochMs: number, timeZone: string): number | null {
  const spans = offsetSpans.get(timeZone);
  if (spans) for (const s of spans) if (epochMs >= s.from && epochMs < s.until) return s.offsetMs;
  const zone = zoneOf(timeZone);
  checkInstant(epochMs);
  const offsetMs = offsetSecAt(zone, Math.floor(epochMs / 1000)) * 1000;
  const localDay = Math.floor((epochMs + offsetMs) / DAY_MS);
  if (localDay < EPOCH_DAY_MIN || localDay > EPOCH_DAY_MAX) return null;
  const next = offsetChange(zone, epochMs, 1);
  const previous = offsetChange(zone, epochMs, -1);
  // `previous` is strictly before the instant; if the instant is itself a change (the zone's first
  // included, which has no previous), the span starts here.
  const changesHere = offsetSecAt(zone, Math.floor((epochMs - 1) / 1000)) * 1000 !== offsetMs;
  const span = { from: changesHere ? epochMs : (previous ?? -Infinity), until: next ?? Infinity, offsetMs };
  const list = spans ?? [];
  if (list.length >= 16) list.shift();
  list.push(span);
  if (!spans) {
    if (offsetSpans.size > 200) offsetSpans.clear();
    offsetSpans.set(timeZone, list);
  }
  return offsetMs;
}

const INSTANT_PARTS = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):(\d{2}))$/i;

/**
 * Parses an ISO-8601 instant with a `Z` or numeric offset (±HH:MM); null when
 * invalid. Accepted as Temporal.Instant.from accepts them (test/unit/dates.test.ts
 * checks it): years 0000..9999, hours 00..23, a leap second :60 read as :59,
 * offsets up to ±23:59; digits past the millisecond are dropped, as Temporal's
 * epochMilliseconds floors them. Computed directly, as rating parses the start
 * time of every usage record.
 */
export function parseInstant(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const m = INSTANT_PARTS.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])];
  const s = m[6] === undefined ? 0 : Number(m[6]);
  if (mo < 1 || mo > 12 || d < 1 || d > lastDayOf(y, mo) || h > 23 || mi > 59 || s > 60) return null;
  let offsetMinutes = 0;
  if (m[8] !== undefined) {
    const oh = Number(m[9]);
    const om = Number(m[10]);
    if (oh > 23 || om > 59) return null;
    offsetMinutes = (m[8] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  return epochDayOf(y, mo, d) * DAY_MS + ((h * 60 + mi - offsetMinutes) * 60 + Math.min(s, 59)) * 1000 + ms;
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

/** [year, month, day] of a date as Temporal's PlainDate reads one: YYYY-MM-DD (years 0000..9999) or ±YYYYYY-MM-DD. */
function plainDateParts(date: IsoDate): [number, number, number] {
  const m = typeof date === 'string' ? /^([+-]\d{6}|\d{4})-(\d{2})-(\d{2})$/.exec(date) : null;
  if (m && m[1] !== '-000000') {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (mo >= 1 && mo <= 12 && d >= 1 && d <= lastDayOf(y, mo)) return [y, mo, d];
  }
  throw new RangeError(`not a date: ${String(date)}`);
}

/**
 * The instant the wall clock in `timeZone` reaches `minuteOfDay` (0..1440; 1440 is
 * the next midnight) on `date`, first occurrence after `after`. A time skipped by a
 * DST jump is reached at the jump itself; a time shown twice (clocks going back)
 * gives the earlier occurrence unless that is not after `after`.
 */
export function wallTimeInstant(date: IsoDate, minuteOfDay: number, timeZone: string, after = -Infinity): number {
  const [y, m, d] = plainDateParts(date);
  const zone = zoneOf(timeZone);
  const minute = minuteOfDay % 1440;
  // hour and minute as Temporal constrains them
  const hour = Math.min(Math.max(Math.trunc(Math.floor(minute / 60)), 0), 23);
  const minutes = Math.min(Math.max(Math.trunc(minute % 60), 0), 59);
  const localSec = (epochDayOf(y, m, d) + Math.floor(minuteOfDay / 1440)) * 86_400 + hour * 3600 + minutes * 60;
  const zonedSec = instantOfLocal(zone, localSec, false);
  if (zonedSec + offsetSecAt(zone, zonedSec) !== localSec) {
    const jump = offsetChange(zone, zonedSec * 1000, -1);
    if (jump !== null) return jump;
  }
  if (zonedSec * 1000 > after) return zonedSec * 1000;
  return instantOfLocal(zone, localSec, true) * 1000;
}

/** The next instant after `epochMs` at which `timeZone` changes its UTC offset, or null. */
export function nextOffsetChange(epochMs: number, timeZone: string): number | null {
  const zone = zoneOf(timeZone);
  checkInstant(epochMs);
  return offsetChange(zone, epochMs, 1);
}

/** The last instant before `epochMs` at which `timeZone` changed its UTC offset, or null. */
export function previousOffsetChange(epochMs: number, timeZone: string): number | null {
  const zone = zoneOf(timeZone);
  checkInstant(epochMs);
  return offsetChange(zone, epochMs, -1);
}

/** The UTC offset of `timeZone` at the instant `epochMs`, in milliseconds (whole seconds). */
export function utcOffset(epochMs: number, timeZone: string): number {
  const zone = zoneOf(timeZone);
  checkInstant(epochMs);
  return offsetSecAt(zone, Math.floor(epochMs / 1000)) * 1000;
}
