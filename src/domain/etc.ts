/**
 * Early termination charges (lifecycle.md §Termination and early termination
 * charges) as plain functions: no HTTP, no database.
 *
 * API
 * - `earlyTerminationCharge({ fixedCharge, percentage, remainingRental })` → micros:
 *   fixed + percentage/100 × remainingRental, rounded ONCE, from the exact value, to
 *   2 decimal places of the major unit, MATHEMATICAL (half away from zero).
 * - `rentalEarlyTerminationCharge({ rpi, pricing, contract, calculationDate })` →
 *   `RentalEtc`: the ETC of one RPI on date D (one row of `GET /v1/rental-etcs`),
 *   remainingRental from rental-charges/charges.ts over [D + 1, contract end].
 * - `contractEarlyTerminationCharge({ contract, calculationDate, inventories })` →
 *   `{ amount, items }`: the sum of the contract's RPIs' ETCs on D (each already
 *   rounded, so the sum equals the rows `GET /v1/rental-etcs` shows), stored as the
 *   contract's `earlyTerminationCharge` when it is ended early.
 *
 * The caller picks the RPIs actively assigned to the contract whose term covers D;
 * a D on or after the contract's last day leaves no remaining rental (fixed only).
 * As the spec states it, the fixed charge is per RPI, so a contract with three RPIs
 * carries it three times and one with none has an ETC of 0.
 */
import type { IsoDate } from './dates';
import { type Micros, roundMicros } from './money';
import { remainingRental } from './rental-charges/charges';
import type { RentalPricing, RentalProductInventory } from './rental-charges/model';

export const MAX_ETC_PERCENTAGE = 1000;
/** ETCs are rounded to this many decimal places of the major unit. */
export const ETC_DECIMAL_PLACES = 2;

export interface EarlyTerminationChargeInput {
  /** the profile's earlyTerminationFixedCharge, micros */
  fixedCharge: Micros;
  /** the profile's earlyTerminationPercentageCharge, an integer 0..1000 */
  percentage: number;
  /** micros */
  remainingRental: Micros;
}

export function earlyTerminationCharge({ fixedCharge, percentage, remainingRental }: EarlyTerminationChargeInput): Micros {
  if (!Number.isInteger(percentage) || percentage < 0 || percentage > MAX_ETC_PERCENTAGE) {
    throw new RangeError(`percentage must be an integer 0..${MAX_ETC_PERCENTAGE}, got ${percentage}`);
  }
  // the exact value in hundredths of a micro, rounded once
  const hundredths = BigInt(fixedCharge) * 100n + BigInt(remainingRental) * BigInt(percentage);
  const n = Number(roundMicros(hundredths, 100n, ETC_DECIMAL_PLACES, 'MATHEMATICAL'));
  if (!Number.isSafeInteger(n)) throw new RangeError('early termination charge is too large to be represented exactly');
  return n;
}

/** The ETC terms of the contract the RPI is actively assigned to. */
export interface ContractEtcTerms {
  /** the contract's current term end */
  endDate: IsoDate;
  /** from its profile, micros */
  earlyTerminationFixedCharge: Micros;
  /** from its profile, integer 0..1000 */
  earlyTerminationPercentageCharge: number;
}

export interface RentalEtcInput {
  rpi: RentalProductInventory;
  pricing: RentalPricing;
  contract: ContractEtcTerms;
  /** D: the proposed (or actual) last day of the contract */
  calculationDate: IsoDate;
}

export interface RentalEtc {
  rentalProductInventoryId: number;
  calculationDate: IsoDate;
  /** micros, unrounded net rental of [D + 1, contract end] */
  remainingRental: Micros;
  /** micros, rounded to 2 places */
  amount: Micros;
}

export function rentalEarlyTerminationCharge({ rpi, pricing, contract, calculationDate }: RentalEtcInput): RentalEtc {
  const remaining = remainingRental(rpi, pricing, { calculationDate, endDate: contract.endDate }).amount;
  return {
    rentalProductInventoryId: rpi.id,
    calculationDate,
    remainingRental: remaining,
    amount: earlyTerminationCharge({
      fixedCharge: contract.earlyTerminationFixedCharge,
      percentage: contract.earlyTerminationPercentageCharge,
      remainingRental: remaining,
    }),
  };
}

export interface ContractEtcInput {
  contract: ContractEtcTerms;
  calculationDate: IsoDate;
  /** the RPIs actively assigned to the contract, each with its pricing */
  inventories: readonly { rpi: RentalProductInventory; pricing: RentalPricing }[];
}

export interface ContractEtc {
  /** micros: the sum of the items' amounts */
  amount: Micros;
  items: RentalEtc[];
}

export function contractEarlyTerminationCharge({ contract, calculationDate, inventories }: ContractEtcInput): ContractEtc {
  const items = inventories.map(({ rpi, pricing }) => rentalEarlyTerminationCharge({ rpi, pricing, contract, calculationDate }));
  return { amount: items.reduce((sum, i) => sum + i.amount, 0), items };
}
