/**
 * Time band plans (v2-pricing.md): bands of the week — `{timeband, days, from, to}`
 * in local wall-clock time — that together cover every minute of the week exactly
 * once. `from` is inclusive and `to` exclusive; `to` may be "24:00" (end of day);
 * a band does not wrap past midnight (an overnight OFFPEAK is two bands).
 */

export const TIMEBANDS = ['PEAK', 'OFFPEAK', 'WEEKEND'] as const;
export type Timeband = (typeof TIMEBANDS)[number];

/** Monday first, as Temporal's dayOfWeek 1..7. */
export const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface TimeBandPlanBand {
  timeband: Timeband;
  days: Weekday[];
  /** "HH:MM", inclusive */
  from: string;
  /** "HH:MM", exclusive; "24:00" ends the day */
  to: string;
}

export const MINUTES_PER_DAY = 24 * 60;

const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

/** Minutes since midnight of "HH:MM" ("24:00" = 1440), or null when not a wall-clock time. */
export function clockMinutes(text: string): number | null {
  if (!CLOCK.test(text)) return null;
  const [h, m] = text.split(':').map(Number);
  return h! * 60 + m!;
}

export function formatClock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

export interface BandProblem {
  /** JSON Pointer relative to the plan: `/bands`, `/bands/2`, `/bands/2/to` */
  path: string;
  message: string;
}

/**
 * Everything wrong with a set of bands: malformed times, a band that ends before it
 * starts, a day listed twice, and every gap or overlap in the week (by day, in
 * order). An empty list means the bands cover the week exactly once.
 */
export function bandCoverageProblems(bands: readonly TimeBandPlanBand[]): BandProblem[] {
  const problems: BandProblem[] = [];
  const spans: Array<{ band: number; from: number; to: number }[]> = WEEKDAYS.map(() => []);

  bands.forEach((band, index) => {
    const from = clockMinutes(band.from);
    const to = clockMinutes(band.to);
    if (from === null || from === MINUTES_PER_DAY) problems.push({ path: `/bands/${index}/from`, message: 'must be a time HH:MM from 00:00 to 23:59' });
    if (to === null || to === 0) problems.push({ path: `/bands/${index}/to`, message: 'must be a time HH:MM from 00:01 to 24:00' });
    if (from === null || to === null || from === MINUTES_PER_DAY || to === 0) return;
    if (to <= from) {
      problems.push({ path: `/bands/${index}/to`, message: `must be after from (${band.from}); split a band that crosses midnight in two` });
      return;
    }
    if (band.days.length === 0) problems.push({ path: `/bands/${index}/days`, message: 'must name at least one day' });
    const seen = new Set<string>();
    for (const day of band.days) {
      if (seen.has(day)) {
        problems.push({ path: `/bands/${index}/days`, message: `lists ${day} twice` });
        continue;
      }
      seen.add(day);
      const d = WEEKDAYS.indexOf(day);
      if (d >= 0) spans[d]!.push({ band: index, from, to });
    }
  });
  if (problems.length) return problems;

  WEEKDAYS.forEach((day, d) => {
    const daySpans = spans[d]!.sort((a, b) => a.from - b.from || a.band - b.band);
    let cursor = 0;
    let previous: number | null = null;
    for (const span of daySpans) {
      if (span.from > cursor) {
        problems.push({ path: '/bands', message: `${day} ${formatClock(cursor)}–${formatClock(span.from)} is not covered by any band` });
      } else if (span.from < cursor && previous !== null) {
        const end = Math.min(cursor, span.to);
        problems.push({
          path: `/bands/${span.band}`,
          message: `overlaps band ${previous} on ${day} ${formatClock(span.from)}–${formatClock(end)}`,
        });
      }
      if (span.to > cursor) {
        cursor = span.to;
        previous = span.band;
      }
    }
    if (cursor < MINUTES_PER_DAY) {
      problems.push({ path: '/bands', message: `${day} ${formatClock(cursor)}–24:00 is not covered by any band` });
    }
  });
  return problems;
}
