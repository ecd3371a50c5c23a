/** Small builders for rental pricing unit tests: a product in a category, cards, rates, plans, assignments. */
import type { AssignmentLevel } from '../../src/domain/assignments';
import { majorToMicros } from '../../src/domain/money';
import type {
  RentalDiscountPlan,
  RentalDiscountPlanAssignment,
  RentalDiscountPlanRule,
  RentalPricing,
  RentalProductInventory,
  RentalRate,
  RentalRateCard,
  RentalRateCardAssignment,
} from '../../src/domain/rental-charges/model';

export const CATEGORY = 10;
export const OTHER_CATEGORY = 20;
export const PRODUCT = 100;
export const OTHER_PRODUCT = 101;

export const gbp = majorToMicros;

let ids = 1000;
export const nextId = () => ++ids;

export function rpi(over: Partial<RentalProductInventory> = {}): RentalProductInventory {
  return { id: 1, rentalProductId: PRODUCT, rentalProductCategoryId: CATEGORY, quantity: 1, startDate: '2025-01-01', endDate: null, ...over };
}

export function rate(over: Partial<RentalRate> = {}): RentalRate {
  return {
    id: nextId(),
    rentalProductId: PRODUCT,
    price: gbp(10),
    rentalRatePriceType: 'RENTAL',
    rentalRateFrequency: 'MONTHLY',
    startDate: '2000-01-01',
    endDate: null,
    ...over,
  };
}

export function card(rentalRates: RentalRate[], over: Partial<RentalRateCard> = {}): RentalRateCard {
  return { id: nextId(), rentalRateCardType: 'SELL', rentalProductCategoryId: CATEGORY, basedOnTemplateId: null, rentalRates, ...over };
}

export function cardAssignment(
  rateCard: RentalRateCard,
  assignmentLevel: AssignmentLevel = 'CUSTOMER',
  startDate = '2000-01-01',
  endDate: string | null = null,
): RentalRateCardAssignment {
  return { id: nextId(), assignmentLevel, startDate, endDate, rentalRateCardId: rateCard.id };
}

export function rule(discountPercentage: number, over: Partial<RentalDiscountPlanRule> = {}): RentalDiscountPlanRule {
  return { id: nextId(), productCategoryId: CATEGORY, rentalProductId: null, discountPercentage, ...over };
}

export function plan(durationInMonths: number, rules: RentalDiscountPlanRule[]): RentalDiscountPlan {
  return { id: nextId(), durationInMonths, rules };
}

export function planAssignment(
  discountPlan: RentalDiscountPlan,
  assignmentLevel: AssignmentLevel = 'CUSTOMER',
  startDate = '2000-01-01',
  endDate: string | null = null,
): RentalDiscountPlanAssignment {
  return { id: nextId(), assignmentLevel, startDate, endDate, rentalDiscountPlanId: discountPlan.id };
}

export function pricing(over: Partial<RentalPricing> = {}): RentalPricing {
  return { rateCardAssignments: [], rateCards: [], discountPlanAssignments: [], discountPlans: [], ...over };
}

/** One SELL card assigned at CUSTOMER level from 2000 holding `rates`. */
export function simplePricing(...rates: RentalRate[]): RentalPricing {
  const c = card(rates);
  return pricing({ rateCards: [c], rateCardAssignments: [cardAssignment(c)] });
}
