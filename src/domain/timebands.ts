/**
 * Time bands (v2-pricing.md §Usage rating step 2): which band — PEAK, OFFPEAK or
 * WEEKEND — an instant falls in, on the wall clock of the contract owner's time
 * zone. Plain functions: no HTTP, no database.
 *
 * API
 * - `validateTimeBandPlan(bands, path?)` → `{path, message}[]` (empty = valid): each
 *   band's shape, then coverage — every minute of the week covered exactly once,
 *   gaps and overlaps named by day and time. Use it on create/PATCH of
 *   `/v2/time-band-plans`; the issues are FieldError-shaped.
 * - `compileTimeBands(bands)` → `CompiledTimeBands` (throws RangeError when invalid);
 *   compile once per plan and reuse it for every record. `DEFAULT_TIME_BANDS` is the
 *   owner default (PEAK Mon–Fri 08:00–18:00, OFFPEAK other weekday hours, WEEKEND
 *   Sat–Sun), already compiled.
 * - `timebandAt(epochMs, timeZone, plan?)` → `Timeband`; `timebandOfClock(wallClock, plan?)`.
 * - `splitByTimeband(startMs, endMs, timeZone, plan?)` → the band segments of a call
 *   (for `applyCrossTimeBandCharging`), adjacent same-band segments merged.
 * - `timeBandPlanAt(datedPlans, date)` → the card's time band plan entry effective on
 *   a date, or null (then the owner default applies).
 *
 * Times are `HH:MM` on a 24-hour clock. `from` is 00:00..23:59; `to` is 00:01..24:00
 * and is exclusive, so a band running to midnight ends at `24:00`. A band must end
 * after it starts: one that crosses midnight is written as two bands.
 */
import { nextOffsetChange, wallClock, wallTimeInstant, type IsoDate, type WallClock } from './dates';

export const TIMEBANDS = ['PEAK', 'OFFPEAK', 'WEEKEND'] as const;
export type Timeband = (typeof TIMEBANDS)[number];

/** Index + 1 is the ISO weekday (Monday = 1 … Sunday = 7) that dates.ts uses. */
export const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface TimeBand {
  timeband: Timeband;
  days: readonly Weekday[];
  /** `HH:MM`, inclusive */
  from: string;
  /** `HH:MM`, exclusive; `24:00` = end of the day */
  to: string;
}

export interface TimeBandIssue {
  /** JSON Pointer of the offending entry or field (`/bands/2/to`), or of the plan for a gap */
  path: string;
  message: string;
}

/** Plans longer than this are refused before the coverage check (which is quadratic per day). */
export const MAX_TIME_BANDS = 200;

const MINUTES_PER_DAY = 1440;
const FROM_SHAPE = /^([01]\d|2[0-3]):([0-5]\d)$/;
const TO_SHAPE = /^(([01]\d|2[0-3]):([0-5]\d)|24:00)$/;

function parseTime(text: string): number {
  return Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5));
}

function formatTime(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

function span(day: number, from: number, to: number): string {
  return `${WEEKDAYS[day]} ${formatTime(from)}–${formatTime(to)}`;
}

interface Interval {
  from: number;
  to: number;
  timeband: Timeband;
  entry: number;
}

/**
 * Checks a plan. Shape problems are reported per field; coverage is checked only
 * when every entry is well formed, and reports each uncovered stretch and each
 * stretch covered twice, per day.
 */
export function validateTimeBandPlan(bands: unknown, path = '/bands'): TimeBandIssue[] {
  if (!Array.isArray(bands) || bands.length === 0) {
    return [{ path, message: 'must be a non-empty array of time bands covering the week' }];
  }
  if (bands.length > MAX_TIME_BANDS) return [{ path, message: `must have at most ${MAX_TIME_BANDS} bands` }];
  const issues: TimeBandIssue[] = [];
  bands.forEach((band: unknown, i) => {
    const at = `${path}/${i}`;
    if (typeof band !== 'object' || band === null) {
      issues.push({ path: at, message: 'must be an object {timeband, days, from, to}' });
      return;
    }
    const b = band as Record<string, unknown>;
    if (!TIMEBANDS.includes(b.timeband as Timeband)) {
      issues.push({ path: `${at}/timeband`, message: `must be one of ${TIMEBANDS.join(', ')}` });
    }
    if (!Array.isArray(b.days) || b.days.length === 0) {
      issues.push({ path: `${at}/days`, message: `must be a non-empty array of ${WEEKDAYS.join(', ')}` });
    } else {
      const days: unknown[] = b.days;
      days.forEach((day, j) => {
        if (!WEEKDAYS.includes(day as Weekday)) {
          issues.push({ path: `${at}/days/${j}`, message: `must be one of ${WEEKDAYS.join(', ')}` });
        } else if (days.indexOf(day) !== j) {
          issues.push({ path: `${at}/days/${j}`, message: `repeats ${String(day)}` });
        }
      });
    }
    const fromOk = typeof b.from === 'string' && FROM_SHAPE.test(b.from);
    const toOk = typeof b.to === 'string' && TO_SHAPE.test(b.to);
    if (!fromOk) issues.push({ path: `${at}/from`, message: 'must be a time HH:MM from 00:00 to 23:59' });
    if (!toOk) issues.push({ path: `${at}/to`, message: 'must be a time HH:MM from 00:01 to 24:00 (24:00 = midnight at the end of the day)' });
    if (fromOk && toOk && parseTime(b.to as string) <= parseTime(b.from as string)) {
      issues.push({
        path: `${at}/to`,
        message: 'must be after from; a band crossing midnight is written as two bands, one ending at 24:00 and one starting at 00:00',
      });
    }
  });
  if (issues.length > 0) return issues;
  return coverageIssues(intervalsByDay(bands as TimeBand[]), path);
}

function intervalsByDay(bands: readonly TimeBand[]): Interval[][] {
  const days: Interval[][] = WEEKDAYS.map(() => []);
  bands.forEach((band, entry) => {
    for (const day of band.days) {
      days[WEEKDAYS.indexOf(day)]!.push({ from: parseTime(band.from), to: parseTime(band.to), timeband: band.timeband, entry });
    }
  });
  for (const list of days) list.sort((a, b) => a.from - b.from || a.entry - b.entry);
  return days;
}

function coverageIssues(days: Interval[][], path: string): TimeBandIssue[] {
  const issues: TimeBandIssue[] = [];
  days.forEach((intervals, day) => {
    let coveredTo = 0;
    intervals.forEach((current, i) => {
      if (current.from > coveredTo) {
        issues.push({ path, message: `${span(day, coveredTo, current.from)} is not covered by any band` });
      }
      for (const earlier of intervals.slice(0, i)) {
        const from = Math.max(earlier.from, current.from);
        const to = Math.min(earlier.to, current.to);
        if (from < to) {
          // Blame the band written later in the plan.
          const [first, second] = earlier.entry < current.entry ? [earlier, current] : [current, earlier];
          issues.push({
            path: `${path}/${second.entry}`,
            message: `${span(day, from, to)} is also covered by ${path}/${first.entry}`,
          });
        }
      }
      coveredTo = Math.max(coveredTo, current.to);
    });
    if (coveredTo < MINUTES_PER_DAY) {
      const hint = coveredTo === MINUTES_PER_DAY - 1 ? ' (a band running to midnight ends at 24:00, not 23:59)' : '';
      issues.push({ path, message: `${span(day, coveredTo, MINUTES_PER_DAY)} is not covered by any band${hint}` });
    }
  });
  return issues;
}

/** A validated plan, indexed by ISO weekday for fast lookup. */
export interface CompiledTimeBands {
  readonly bands: readonly TimeBand[];
  /** index 0 = Monday; each day's intervals sorted and tiling 0..1440 */
  readonly days: readonly (readonly Interval[])[];
}

/** Validates and indexes a plan; throws RangeError naming the first issue. */
export function compileTimeBands(bands: readonly TimeBand[]): CompiledTimeBands {
  const issues = validateTimeBandPlan(bands);
  if (issues.length > 0) throw new RangeError(`invalid time band plan: ${issues[0]!.path} ${issues[0]!.message}`);
  return { bands, days: intervalsByDay(bands) };
}

const WEEKDAYS_MON_FRI: Weekday[] = ['MON', 'TUE', 'WED', 'THU', 'FRI'];

/** The owner default: PEAK Mon–Fri 08:00–18:00, OFFPEAK other weekday hours, WEEKEND Sat–Sun. */
export const DEFAULT_TIME_BANDS: CompiledTimeBands = compileTimeBands([
  { timeband: 'OFFPEAK', days: WEEKDAYS_MON_FRI, from: '00:00', to: '08:00' },
  { timeband: 'PEAK', days: WEEKDAYS_MON_FRI, from: '08:00', to: '18:00' },
  { timeband: 'OFFPEAK', days: WEEKDAYS_MON_FRI, from: '18:00', to: '24:00' },
  { timeband: 'WEEKEND', days: ['SAT', 'SUN'], from: '00:00', to: '24:00' },
]);

function intervalAt(plan: CompiledTimeBands, dayOfWeek: number, minuteOfDay: number): Interval {
  const day = plan.days[dayOfWeek - 1]!;
  for (const interval of day) if (minuteOfDay < interval.to) return interval;
  return day[day.length - 1]!; // unreachable for a compiled plan: the last interval ends at 1440
}

/** The band of an instant on the owner's wall clock. */
export function timebandAt(epochMs: number, timeZone: string, plan: CompiledTimeBands = DEFAULT_TIME_BANDS): Timeband {
  return timebandOfClock(wallClock(epochMs, timeZone), plan);
}

/** The band of a wall-clock reading (when the caller already has one from `wallClock`). */
export function timebandOfClock(clock: WallClock, plan: CompiledTimeBands = DEFAULT_TIME_BANDS): Timeband {
  return intervalAt(plan, clock.dayOfWeek, clock.minuteOfDay).timeband;
}

export interface BandSegment {
  timeband: Timeband;
  startMs: number;
  endMs: number;
}

/**
 * Cuts [startMs, endMs) where the band changes on the owner's wall clock (DST-safe:
 * the wall clock is re-read at every boundary and at every change of UTC offset). Adjacent segments of the same band
 * are merged, so a call from Monday 19:00 to Tuesday 07:00 is one OFFPEAK segment.
 * Stops with what it has when `maxSegments` would be exceeded; the caller checks.
 */
export function splitByTimeband(
  startMs: number,
  endMs: number,
  timeZone: string,
  plan: CompiledTimeBands = DEFAULT_TIME_BANDS,
  maxSegments = 1000,
): BandSegment[] {
  const segments: BandSegment[] = [];
  let cursor = startMs;
  let offsetChange = nextOffsetChange(startMs, timeZone) ?? Infinity;
  while (cursor < endMs) {
    const clock = wallClock(cursor, timeZone);
    const interval = intervalAt(plan, clock.dayOfWeek, clock.minuteOfDay);
    let boundary = wallTimeInstant(clock.date, interval.to, timeZone, cursor);
    // When clocks go back the wall clock can re-enter an earlier band: cut there too.
    if (offsetChange <= cursor) offsetChange = nextOffsetChange(cursor, timeZone) ?? Infinity;
    if (offsetChange < boundary) boundary = offsetChange;
    // Guards progress whatever a time zone does; transitions fall on whole minutes.
    if (boundary <= cursor) boundary = (Math.floor(cursor / 60_000) + 1) * 60_000;
    const segmentEnd = Math.min(boundary, endMs);
    const last = segments[segments.length - 1];
    if (last && last.timeband === interval.timeband) last.endMs = segmentEnd;
    else {
      if (segments.length === maxSegments) return segments;
      segments.push({ timeband: interval.timeband, startMs: cursor, endMs: segmentEnd });
    }
    cursor = segmentEnd;
  }
  return segments;
}

export interface DatedTimeBandPlan {
  timeBandPlanId: number;
  startDate: IsoDate | null;
  endDate: IsoDate | null;
}

/** The card's time band plan effective on `date` (latest start wins), or null for the owner default. */
export function timeBandPlanAt<T extends DatedTimeBandPlan>(plans: readonly T[], date: IsoDate): T | null {
  let best: T | null = null;
  for (const p of plans) {
    if ((p.startDate === null || p.startDate <= date) && (p.endDate === null || date <= p.endDate)) {
      if (best === null || (p.startDate ?? '') > (best.startDate ?? '')) best = p;
    }
  }
  return best;
}
