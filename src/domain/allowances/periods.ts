/**
 * Inclusive usage plan periods.
 *
 * Periods are anchored on the assignment start, computed as rental charging periods
 * are (rental-charges/periods.ts): MONTHLY period k is [addMonths(start, k),
 * addMonths(start, k + 1) − 1 day] — measured from the anchor, so a plan assigned on
 * the 31st never drifts; WEEKLY period k is 7 days from start + 7k; DAILY period k is
 * start + k days. A plan without a frequency is MONTHLY.
 *
 * API
 * - `planPeriodAt(frequency, anchor, date)`, `planPeriod(frequency, anchor, index)`.
 */
import type { IsoDate } from '../dates';
import { chargingPeriodAt, periodIndexContaining } from '../rental-charges/periods';
import type { PlanFrequency } from './model';

export interface PlanPeriod {
  /** 0 for the period starting on the anchor */
  index: number;
  start: IsoDate;
  end: IsoDate;
}

/** The periods of one (frequency, anchor): by index, and by a date they hold. */
interface AnchorPeriods {
  byIndex: Map<number, PlanPeriod>;
  byDate: Map<IsoDate, PlanPeriod>;
}

/**
 * Memoised by frequency, then anchor, then index or date (rating a batch asks the
 * same few questions thousands of times).
 */
const periodCache = new Map<PlanFrequency, Map<IsoDate, AnchorPeriods>>();
let cachedPeriods = 0;

function periodsOf(frequency: PlanFrequency, anchor: IsoDate): AnchorPeriods {
  if (cachedPeriods > 20_000) {
    periodCache.clear();
    cachedPeriods = 0;
  }
  let byAnchor = periodCache.get(frequency);
  if (!byAnchor) periodCache.set(frequency, (byAnchor = new Map()));
  let periods = byAnchor.get(anchor);
  if (!periods) byAnchor.set(anchor, (periods = { byIndex: new Map(), byDate: new Map() }));
  return periods;
}

export function planPeriod(frequency: PlanFrequency | null, anchor: IsoDate, index: number): PlanPeriod {
  const f = frequency ?? 'MONTHLY';
  const periods = periodsOf(f, anchor);
  let period = periods.byIndex.get(index);
  if (!period) {
    period = { index, ...chargingPeriodAt(anchor, f, index) };
    periods.byIndex.set(index, period);
    cachedPeriods += 1;
  }
  return period;
}

/** The period holding `date` (on or after `anchor`). */
export function planPeriodAt(frequency: PlanFrequency | null, anchor: IsoDate, date: IsoDate): PlanPeriod {
  const f = frequency ?? 'MONTHLY';
  const periods = periodsOf(f, anchor);
  let period = periods.byDate.get(date);
  if (!period) {
    period = planPeriod(f, anchor, periodIndexContaining(anchor, f, date));
    periods.byDate.set(date, period);
    cachedPeriods += 1;
  }
  return period;
}
