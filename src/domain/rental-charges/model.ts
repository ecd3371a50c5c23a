/**
 * Rental charges (v2-pricing.md §Rental charges): the inputs and the line the
 * charge functions (charges.ts) compute, as plain data.
 *
 * Inputs: `pricing.rateCardAssignments` and `pricing.discountPlanAssignments` are
 * every assignment (any dates) that targets this RPI, its site or its customer;
 * `pricing.rateCards` holds the assigned cards AND the templates they are based on;
 * `pricing.discountPlans` the assigned plans with their rules. Prices are integer
 * micros per unit per period; discount percentages are wire numbers (0..100).
 */
import type { DatedAssignment } from '../assignments';
import type { IsoDate } from '../dates';
import type { Micros } from '../money';
import type { Factor, PriceStep } from '../price-adaptation';

export const RENTAL_RATE_FREQUENCIES = ['DAILY', 'WEEKLY', 'MONTHLY', 'QUARTERLY', 'SIXMONTHS', 'YEARLY', 'TWENTYFOURMONTHS'] as const;
export type RentalRateFrequency = (typeof RENTAL_RATE_FREQUENCIES)[number];
export const RENTAL_RATE_PRICE_TYPES = ['RENTAL', 'ONEOFF'] as const;
export type RentalRatePriceType = (typeof RENTAL_RATE_PRICE_TYPES)[number];
/** Billing timing only: never changes an amount. */
export const RENTAL_RATE_TYPES = ['ADVANCE', 'ARREARS'] as const;
export type RentalRateType = (typeof RENTAL_RATE_TYPES)[number];
/** Billing timing only: never changes an amount. */
export const PERIODS_IN_ADVANCE = ['STANDARD', 'ADVANCEDPLUSONEMONTH'] as const;
export type PeriodsInAdvance = (typeof PERIODS_IN_ADVANCE)[number];
export const RENTAL_RATE_CARD_TYPES = ['SELL', 'TEMPLATE', 'BUY'] as const;
export type RentalRateCardType = (typeof RENTAL_RATE_CARD_TYPES)[number];

/** Discount percentages carry at most this many decimal places (validate on create). */
export const DISCOUNT_PERCENTAGE_PLACES = 2;
export const DISCOUNT_SCALE = 10n ** BigInt(DISCOUNT_PERCENTAGE_PLACES + 2); // 100 % in hundredths of a percent

export interface RentalProductInventory {
  id: number;
  rentalProductId: number;
  /** the product's category (rental_products.rental_product_category_id) */
  rentalProductCategoryId: number;
  quantity: number;
  startDate: IsoDate;
  endDate: IsoDate | null;
}

export interface RentalRate {
  id: number;
  rentalProductId: number;
  /** micros per unit per period (per charge for ONEOFF) */
  price: Micros;
  rentalRatePriceType: RentalRatePriceType;
  /** required for RENTAL */
  rentalRateFrequency: RentalRateFrequency | null;
  startDate: IsoDate;
  endDate: IsoDate | null;
}

export interface RentalRateCard {
  id: number;
  rentalRateCardType: RentalRateCardType;
  rentalProductCategoryId: number;
  basedOnTemplateId: number | null;
  rentalRates: readonly RentalRate[];
}

export interface RentalRateCardAssignment extends DatedAssignment {
  rentalRateCardId: number;
}

export interface RentalDiscountPlanRule {
  id: number;
  productCategoryId: number;
  rentalProductId: number | null;
  /** 0..100, at most 2 decimal places */
  discountPercentage: number;
}

export interface RentalDiscountPlan {
  id: number;
  durationInMonths: number;
  rules: readonly RentalDiscountPlanRule[];
}

export interface RentalDiscountPlanAssignment extends DatedAssignment {
  rentalDiscountPlanId: number;
}

export interface RentalPricing {
  rateCardAssignments: readonly RentalRateCardAssignment[];
  /** the assigned cards and the templates they are based on */
  rateCards: readonly RentalRateCard[];
  discountPlanAssignments: readonly RentalDiscountPlanAssignment[];
  discountPlans: readonly RentalDiscountPlan[];
  /** the applied price adaptation steps of the RPI's contract (none: prices as listed; see charges.ts) */
  priceSteps?: readonly PriceStep[];
}

export interface DateRange {
  from: IsoDate;
  to: IsoDate;
}

export interface RentalChargeLine {
  rentalProductInventoryId: number;
  rentalProductId: number;
  rentalRatePriceType: RentalRatePriceType;
  rentalRateFrequency: RentalRateFrequency | null;
  /** the anchored charging period (for ONEOFF: the RPI start day) */
  periodStart: IsoDate;
  periodEnd: IsoDate;
  /** the days of the period actually charged (cut by the RPI end, a price start, or the remaining-rental range) */
  chargedFrom: IsoDate;
  chargedTo: IsoDate;
  daysCharged: number;
  daysInPeriod: number;
  quantity: number;
  /** the rate's price × priceAdaptationFactor (rounded to the micro, MATHEMATICAL) */
  unitPrice: Micros;
  /** the rate's own price */
  baseUnitPrice: Micros;
  /** the price adaptation in force on the period start (1 when none; ONEOFF lines are not adapted) */
  priceAdaptationFactor: Factor;
  grossAmount: Micros;
  rentalRateCardAssignmentId: number;
  rentalRateCardId: number;
  rentalRateId: number;
  rentalDiscountPlanAssignmentId: number | null;
  rentalDiscountPlanId: number | null;
  discountPercentage: number | null;
  discountAmount: Micros;
  netAmount: Micros;
}
