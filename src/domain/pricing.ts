/**
 * Rules of the pricing objects themselves (v2-pricing.md, elevate.md §3): which
 * fields a rental charge, an inclusive usage plan or component and an assignment
 * need, when dated items collide, and how the non-money numbers are stored.
 * Money goes through money.ts; these are the other scaled numbers.
 */
import type { AssignmentLevel } from './assignments';
import { isEffective, rangesOverlap } from './assignments';
import type { ComponentType } from './allowances/model';
import type { IsoDate } from './dates';
import { toScaled } from './money';
import {
  DISCOUNT_PERCENTAGE_PLACES,
  type PeriodsInAdvance,
  RENTAL_RATE_CARD_TYPES,
  type RentalRateCardType,
  type RentalRateFrequency,
  type RentalRatePriceType,
  type RentalRateType,
} from './rental-charges/model';

export interface FieldProblem {
  /** JSON Pointer relative to the object checked, e.g. `/rentalRateType` */
  path: string;
  message: string;
}

export interface RentalChargeTerms {
  rentalRatePriceType: RentalRatePriceType;
  rentalRateType?: RentalRateType | null;
  periodsInAdvance?: PeriodsInAdvance | null;
  rentalRateFrequency?: RentalRateFrequency | null;
}

/**
 * A recurring (RENTAL) charge needs its billing type and frequency, and one billed
 * in ADVANCE needs how many periods; a ONEOFF charge needs neither (elevate.md §3.4).
 * Bolt-on charges are recurring charges of this shape.
 */
export function rentalChargeProblems(terms: RentalChargeTerms): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (terms.rentalRatePriceType === 'RENTAL') {
    if (terms.rentalRateType == null) problems.push({ path: '/rentalRateType', message: 'is required when rentalRatePriceType is RENTAL' });
    if (terms.rentalRateFrequency == null) problems.push({ path: '/rentalRateFrequency', message: 'is required when rentalRatePriceType is RENTAL' });
  }
  if (terms.rentalRateType === 'ADVANCE' && terms.periodsInAdvance == null) {
    problems.push({ path: '/periodsInAdvance', message: 'is required when rentalRateType is ADVANCE' });
  }
  return problems;
}

/** Usage and rental rate cards have the same types. */
export const RATE_CARD_TYPES = RENTAL_RATE_CARD_TYPES;
export type RateCardType = RentalRateCardType;

/**
 * A rental rate card's fields by type (elevate.md §3.3): SELL and TEMPLATE cards
 * name their owners; a BUY card prices a supplier's products and names the
 * supplier account (its owner defaults to the category's); only a SELL card is
 * based on a template.
 */
export function rentalRateCardProblems(card: {
  rentalRateCardType: RateCardType;
  contractOwnerIds?: readonly number[] | null;
  supplierAccountId?: number | null;
  basedOnTemplateId?: number | null;
}): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const type = card.rentalRateCardType;
  if (type !== 'BUY' && !card.contractOwnerIds?.length) problems.push({ path: '/contractOwnerIds', message: `is required for a ${type} card` });
  if (type === 'BUY' && card.supplierAccountId == null) problems.push({ path: '/supplierAccountId', message: 'is required for a BUY card' });
  if (type !== 'BUY' && card.supplierAccountId != null) problems.push({ path: '/supplierAccountId', message: 'applies to BUY cards only' });
  if (type !== 'SELL' && card.basedOnTemplateId != null) problems.push({ path: '/basedOnTemplateId', message: 'only a SELL card is based on a template' });
  return problems;
}

/** A plan that triggers a rental charge needs the supplier account to charge it through and a period (elevate.md §3.5). */
export function inclusiveUsagePlanProblems(plan: {
  triggerChargeId?: number | null;
  supplierAccountId?: number | null;
  frequency?: string | null;
}): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (plan.triggerChargeId != null) {
    if (plan.supplierAccountId == null) problems.push({ path: '/supplierAccountId', message: 'is required when triggerChargeId is set' });
    if (plan.frequency == null) problems.push({ path: '/frequency', message: 'is required when triggerChargeId is set' });
  }
  return problems;
}

/** A QUANTITY component allows units, a VALUE component an amount: each needs its own figure. */
export function componentProblems(component: {
  componentType: ComponentType;
  quantity?: number | null;
  valueInPence?: number | null;
}): FieldProblem[] {
  if (component.componentType === 'QUANTITY' && component.quantity == null) {
    return [{ path: '/quantity', message: 'is required when componentType is QUANTITY' }];
  }
  if (component.componentType === 'VALUE' && component.valueInPence == null) {
    return [{ path: '/valueInPence', message: 'is required when componentType is VALUE' }];
  }
  return [];
}

/** The id field that names an assignment's target at each level. */
export function targetFieldOf(level: AssignmentLevel, inventoryField: string): string {
  return level === 'CUSTOMER' ? 'customerId' : level === 'SITE' ? 'siteId' : inventoryField;
}

/**
 * An assignment names exactly the target of its level: customerId for CUSTOMER,
 * siteId for SITE, the inventory id for INVENTORY — and none of the others.
 */
export function assignmentTargetProblems(
  level: AssignmentLevel,
  ids: Record<string, number | null | undefined>,
  inventoryField: string,
): FieldProblem[] {
  const wanted = targetFieldOf(level, inventoryField);
  const problems: FieldProblem[] = [];
  for (const field of ['customerId', 'siteId', inventoryField]) {
    const given = ids[field] != null;
    if (field === wanted && !given) problems.push({ path: `/${field}`, message: `is required for a ${level}-level assignment` });
    if (field !== wanted && given) problems.push({ path: `/${field}`, message: `must not be given for a ${level}-level assignment` });
  }
  return problems;
}

export interface Dated {
  startDate: IsoDate;
  endDate: IsoDate | null;
}

/**
 * The first two items (by position, first < second) with the same key whose date
 * ranges share a day, or null. Within one key, sorted by start, some adjacent pair
 * overlaps whenever any pair does, so this is O(n log n).
 */
export function firstOverlap<T extends Dated>(items: readonly T[], keyOf: (item: T) => string): [number, number] | null {
  const groups = new Map<string, number[]>();
  items.forEach((item, index) => {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(index);
    else groups.set(key, [index]);
  });
  let found: [number, number] | null = null;
  for (const indices of groups.values()) {
    indices.sort((a, b) => (items[a]!.startDate < items[b]!.startDate ? -1 : items[a]!.startDate > items[b]!.startDate ? 1 : a - b));
    for (let k = 1; k < indices.length; k++) {
      const a = indices[k - 1]!;
      const b = indices[k]!;
      if (rangesOverlap(items[a]!, items[b]!)) {
        const pair: [number, number] = a < b ? [a, b] : [b, a];
        if (!found || pair[1] < found[1] || (pair[1] === found[1] && pair[0] < found[0])) found = pair;
      }
    }
  }
  return found;
}

export interface DiscountCover {
  assignmentLevel: AssignmentLevel;
  siteId: number | null;
  startDate: IsoDate;
  endDate: IsoDate | null;
}

/**
 * An INVENTORY-level discount plan assignment needs a CUSTOMER-level one (of the
 * inventory's customer) or a SITE-level one (of its site) effective on its start
 * date (elevate.md §3.7). Given inventory-level assignments and the customer's
 * other discount assignments, returns those left without such a cover.
 */
export function uncoveredInventoryAssignments<T extends { siteId: number | null; startDate: IsoDate }>(
  inventoryLevel: readonly T[],
  covers: readonly DiscountCover[],
): T[] {
  return inventoryLevel.filter(
    (inventory) =>
      !covers.some(
        (cover) =>
          (cover.assignmentLevel === 'CUSTOMER' || (cover.assignmentLevel === 'SITE' && cover.siteId === inventory.siteId)) &&
          isEffective(cover, inventory.startDate),
      ),
  );
}

/** Discount percentages (0..100, two places) are stored as integer hundredths of a percent: 12.5% = 1250. */
export const percentToStored = (value: number): number => toScaled(value, DISCOUNT_PERCENTAGE_PLACES);
export const storedToPercent = (stored: number): number => stored / 10 ** DISCOUNT_PERCENTAGE_PLACES;
