/**
 * Anchored charging periods: the period arithmetic of rental charges, also used
 * for inclusive usage plan periods (allowances/periods.ts).
 */
import { addDays, addMonths, daysBetween, type IsoDate, MAX_DATE, monthsFromAnchor } from '../dates';
import type { RentalRateFrequency } from './model';

const PERIOD_LENGTH: Record<RentalRateFrequency, { unit: 'days' | 'months'; count: number }> = {
  DAILY: { unit: 'days', count: 1 },
  WEEKLY: { unit: 'days', count: 7 },
  MONTHLY: { unit: 'months', count: 1 },
  QUARTERLY: { unit: 'months', count: 3 },
  SIXMONTHS: { unit: 'months', count: 6 },
  YEARLY: { unit: 'months', count: 12 },
  TWENTYFOURMONTHS: { unit: 'months', count: 24 },
};

export interface ChargingPeriod {
  start: IsoDate;
  end: IsoDate;
}

/** Start of period `index` (0 = the anchor's period), always measured from the anchor so it never drifts. */
export function periodStartAt(anchor: IsoDate, frequency: RentalRateFrequency, index: number): IsoDate {
  const { unit, count } = PERIOD_LENGTH[frequency];
  return unit === 'months' ? addMonths(anchor, index * count) : addDays(anchor, index * count);
}

/** Period `index`: from its start to the day before the next one starts (open to 9999-12-31 at the calendar's end). */
export function chargingPeriodAt(anchor: IsoDate, frequency: RentalRateFrequency, index: number): ChargingPeriod {
  const start = periodStartAt(anchor, frequency, index);
  const next = periodStartAt(anchor, frequency, index + 1);
  return { start, end: next > start ? addDays(next, -1) : MAX_DATE };
}

/** Index of the period holding `date` (on or after the anchor). */
export function periodIndexContaining(anchor: IsoDate, frequency: RentalRateFrequency, date: IsoDate): number {
  if (date < anchor) throw new RangeError(`${date} is before the schedule's anchor ${anchor}`);
  const { unit, count } = PERIOD_LENGTH[frequency];
  if (unit === 'days') return Math.floor(daysBetween(anchor, date) / count);
  let index = Math.floor(monthsFromAnchor(anchor, date) / count);
  // only at 9999-12-31, where addMonths clamps, can the date lie past that period
  while (chargingPeriodAt(anchor, frequency, index).end < date) index += 1;
  return index;
}
