/**
 * The recurring (RENTAL) schedule of one RPI: which periods are charged, from
 * which day, at which price.
 *
 * - RENTAL periods are anchored on the RPI start (period k = [start + k·n months,
 *   start + (k+1)·n months − 1 day], months clamped, never drifting; weeks of 7
 *   days; single days). The card and rate in force at the PERIOD START price the
 *   whole period, so a change mid-period applies from the next period.
 * - If the RPI has no price on some day and one begins mid-period (a card assigned
 *   after the RPI started, a gap between rates), that period is charged from the
 *   first priced day, prorated; the schedule stays anchored on the RPI start. If the
 *   frequency itself changes, a new schedule is anchored on the first day of the new
 *   frequency (the only way to tile days that belong to differently sized periods).
 */
import { addDays, type IsoDate, MAX_DATE, minDate } from '../dates';
import type { RentalProductInventory, RentalRateFrequency } from './model';
import { type ChargingPeriod, chargingPeriodAt, periodIndexContaining, periodStartAt } from './periods';
import type { ResolvedPrice, RpiPricing } from './price-resolution';

interface Segment {
  anchor: IsoDate;
  frequency: RentalRateFrequency;
  index: number;
}

export interface ScheduledPeriod extends Segment {
  period: ChargingPeriod;
  chargedFrom: IsoDate;
  chargedTo: IsoDate;
  price: ResolvedPrice;
}

/**
 * The RPI's priced RENTAL periods whose charged days overlap [from, to], walking
 * from the RPI start (the anchor) and skipping, without visiting each one, the
 * periods before `from` during which the price cannot change.
 */
export function* recurringSchedule(rpi: RentalProductInventory, pricing: RpiPricing, from: IsoDate, to: IsoDate): Generator<ScheduledPeriod> {
  const last = rpi.endDate ?? MAX_DATE;
  const stop = minDate(to, last);
  let segment: Segment | null = null;
  let cursor = rpi.startDate; // first day not yet dealt with; inside the segment's current period

  while (cursor <= stop) {
    if (segment === null) {
      const first = pricing.firstRecurringPrice(cursor, stop);
      if (!first) return;
      const frequency = first.price.rate.rentalRateFrequency!;
      segment = { anchor: rpi.startDate, frequency, index: periodIndexContaining(rpi.startDate, frequency, first.date) };
      cursor = first.date;
    }
    const period = chargingPeriodAt(segment.anchor, segment.frequency, segment.index);

    // Before `from`, skip whole periods while the price cannot change (constant from the
    // cursor to the next change), unless a new frequency starts right at the cursor.
    const here = period.end < from ? pricing.priceAt(cursor, 'RENTAL') : null;
    if (period.end < from && (here === null || here.rate.rentalRateFrequency === segment.frequency)) {
      const target = minDate(from, pricing.nextChangeAfter(cursor) ?? MAX_DATE);
      const index = periodIndexContaining(segment.anchor, segment.frequency, target);
      if (index > segment.index) {
        segment.index = index;
        cursor = periodStartAt(segment.anchor, segment.frequency, index);
        continue;
      }
    }

    const priced = pricing.firstRecurringPrice(cursor, minDate(period.end, stop));
    if (!priced) {
      // nothing priced in this period: go straight to the period where the price may change next
      const change = pricing.nextChangeAfter(period.end);
      if (change === null || change > stop) return;
      segment.index = periodIndexContaining(segment.anchor, segment.frequency, change);
      cursor = periodStartAt(segment.anchor, segment.frequency, segment.index);
      continue;
    }
    const frequency = priced.price.rate.rentalRateFrequency!;
    if (frequency !== segment.frequency) {
      segment = { anchor: priced.date, frequency, index: 0 };
      cursor = priced.date;
      continue;
    }
    const chargedTo = minDate(period.end, last);
    if (chargedTo >= from) yield { ...segment, period, chargedFrom: priced.date, chargedTo, price: priced.price };
    if (period.end >= stop) return;
    segment.index += 1;
    cursor = addDays(period.end, 1);
  }
}
