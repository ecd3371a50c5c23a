/**
 * How the pricing resources store their wire units, and the bolt-on charge list
 * shared by usage rate cards and inclusive usage plans.
 *
 * Wire units → stored integers (see db/schema/pricing.ts):
 * - pence (≤ 4 places): usage rate charges, values and minimums, defaultMinCharge,
 *   access charges, valueInPence → micros;
 * - major units (≤ 6 places): rental rate and bolt-on prices → micros;
 * - quantities (≤ 6 places): allowances, rounding increments → quantity units (millionths, quantity.ts).
 */
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { NestedList } from '../db/nested';
import { majorToMicros, microsToMajor, microsToMinor, minorToMicros } from '../domain/money';
import { fromQuantityUnits, toQuantityUnits } from '../domain/quantity';
import type { PeriodsInAdvance, RentalRateFrequency, RentalRateType } from '../domain/rental-charges/model';
import type { CheckedList } from './nested-resources';
import { assertNoOverlap } from './pricing-checks';

export const penceIn = (v: number | null | undefined) => (v == null ? null : minorToMicros(v));
export const penceOut = (v: number | null | undefined) => (v == null ? null : microsToMinor(v));
export const majorIn = (v: number | null | undefined) => (v == null ? null : majorToMicros(v));
export const majorOut = (v: number | null | undefined) => (v == null ? null : microsToMajor(v));
/** Quantities are stored in quantity units (millionths of a unit, quantity.ts). */
export const quantityIn = (v: number | null | undefined) => (v == null ? null : Number(toQuantityUnits(v)));
export const quantityOut = (v: number | null | undefined) => (v == null ? null : fromQuantityUnits(BigInt(v)));

/** A recurring charge of a bolt-on card or plan; price in major units. */
export interface BoltOnChargeFields {
  /** the item's id: given to keep or change an item, left out to add one */
  id?: number | null;
  price: number;
  rentalRateType: RentalRateType;
  periodsInAdvance?: PeriodsInAdvance | null;
  rentalRateFrequency: RentalRateFrequency;
  showOnInvoice: boolean;
  startDate: string;
  endDate?: string | null;
}

/** Bolt-on charges of a parent: at most one effective on any day. */
export function boltOnChargeList(table: NestedList['table'], parentColumn: SQLiteColumn): CheckedList {
  return {
    field: 'boltOnCharges',
    table,
    parentColumn,
    render: (r) => ({
      id: r.id,
      price: majorOut(r.price),
      rentalRateType: r.rentalRateType,
      periodsInAdvance: r.periodsInAdvance,
      rentalRateFrequency: r.rentalRateFrequency,
      showOnInvoice: r.showOnInvoice,
      startDate: r.startDate,
      endDate: r.endDate,
    }),
    values: (i) => ({
      price: majorIn(i.price),
      rentalRateType: i.rentalRateType,
      periodsInAdvance: i.periodsInAdvance ?? null,
      rentalRateFrequency: i.rentalRateFrequency,
      showOnInvoice: i.showOnInvoice ?? true,
      startDate: i.startDate,
      endDate: i.endDate ?? null,
    }),
    async check(_ctx, _scope, items, pathOf) {
      assertNoOverlap(items, () => 'all', pathOf, () => 'another bolt-on charge applies on some of the same days');
    },
  };
}
