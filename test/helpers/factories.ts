/**
 * Small factories over the HTTP API: each creates what it needs when a parent is
 * not given, uses unique names, and returns the created JSON (throwing unless 201).
 */
import { type Owner, unique } from './harness';

type Fields = Record<string, unknown>;

export function customer(owner: Owner, overrides: Fields = {}): Promise<any> {
  return owner.api.create('/v1/customers', { contractOwnerId: owner.id, customerName: unique('Customer '), ...overrides });
}

export async function site(owner: Owner, customerId?: number, overrides: Fields = {}): Promise<any> {
  customerId ??= (await customer(owner)).id;
  return owner.api.create('/v1/sites', { customerId, siteName: unique('Site '), ...overrides });
}

export function rentalProductCategory(owner: Owner, overrides: Fields = {}): Promise<any> {
  return owner.api.create('/v1/rental-product-categories', {
    contractOwnerId: owner.id,
    name: unique('Category '),
    startDate: '2020-01-01',
    ...overrides,
  });
}

export async function rentalProduct(owner: Owner, rentalProductCategoryId?: number, overrides: Fields = {}): Promise<any> {
  rentalProductCategoryId ??= (await rentalProductCategory(owner)).id;
  return owner.api.create('/v1/rental-products', {
    rentalProductCategoryId,
    name: unique('Product '),
    availableFrom: '2020-01-01',
    ...overrides,
  });
}

/** An RPI; `siteId` and `rentalProductId` in overrides pick the parents, else new ones are made. */
export async function rpi(owner: Owner, overrides: Fields = {}): Promise<any> {
  const siteId = (overrides.siteId as number | undefined) ?? (await site(owner)).id;
  const rentalProductId = (overrides.rentalProductId as number | undefined) ?? (await rentalProduct(owner)).id;
  return owner.api.create('/v1/rental-product-inventories', { quantity: 1, startDate: '2025-01-01', ...overrides, siteId, rentalProductId });
}

export function usageProduct(owner: Owner, overrides: Fields = {}): Promise<any> {
  return owner.api.create('/v1/usage-products', {
    contractOwnerId: owner.id,
    name: unique('Usage '),
    availableFrom: '2020-01-01',
    ...overrides,
  });
}

/** A UPI; `siteId` and `usageProductId` in overrides pick the parents, else new ones are made. */
export async function upi(owner: Owner, overrides: Fields = {}): Promise<any> {
  const siteId = (overrides.siteId as number | undefined) ?? (await site(owner)).id;
  const usageProductId = (overrides.usageProductId as number | undefined) ?? (await usageProduct(owner)).id;
  return owner.api.create('/v1/usage-product-inventories', {
    reference: unique('0163'),
    startDate: '2025-01-01',
    ...overrides,
    siteId,
    usageProductId,
  });
}

export function chargeGroupCategory(owner: Owner, overrides: Fields = {}): Promise<any> {
  return owner.api.create('/v1/charge-group-categories', { contractOwnerId: owner.id, name: unique('Charges '), ...overrides });
}

export async function chargeGroup(owner: Owner, chargeGroupCategoryId?: number, overrides: Fields = {}): Promise<any> {
  chargeGroupCategoryId ??= (await chargeGroupCategory(owner)).id;
  return owner.api.create('/v1/charge-groups', {
    chargeGroupCategoryId,
    name: unique('Group '),
    startDate: '2020-01-01',
    ...overrides,
  });
}

// ─── pricing ─────────────────────────────────────────────────────────────────

/** PEAK Mon–Fri 08:00–18:00, OFFPEAK other weekday hours, WEEKEND Sat–Sun. */
export const STANDARD_WEEK = [
  { timeband: 'OFFPEAK', days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], from: '00:00', to: '08:00' },
  { timeband: 'PEAK', days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], from: '08:00', to: '18:00' },
  { timeband: 'OFFPEAK', days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], from: '18:00', to: '24:00' },
  { timeband: 'WEEKEND', days: ['SAT', 'SUN'], from: '00:00', to: '24:00' },
];

export function timeBandPlan(owner: Owner, overrides: Fields = {}): Promise<any> {
  return owner.api.create('/v2/time-band-plans', { contractOwnerId: owner.id, name: unique('Week '), bands: STANDARD_WEEK, ...overrides });
}

/** A VARIABLE rate for a charge group (a body for `usageRates` of a card). */
export function usageRateBody(chargeGroupId: number, overrides: Fields = {}): Fields {
  return { chargeGroupId, usageRateType: 'VARIABLE', peakValue: 1.5, startDate: '2025-01-01', ...overrides };
}

/** A SELL usage rate card of the owner; a usage product is made unless `usageProductId` is given. */
export async function usageRateCard(owner: Owner, overrides: Fields = {}): Promise<any> {
  const usageProductId = (overrides.usageProductId as number | undefined) ?? (await usageProduct(owner)).id;
  return owner.api.create('/v2/usage-rate-cards', {
    contractOwnerIds: [owner.id],
    name: unique('Card '),
    availableFrom: '2020-01-01',
    decimalPlaces: 4,
    defaultMinCharge: 0,
    ...overrides,
    usageProductId,
  });
}

/** A RENTAL rate for a product, billed monthly in advance (a body for `rentalRates` of a card). */
export function rentalRateBody(rentalProductId: number, overrides: Fields = {}): Fields {
  return {
    rentalProductId,
    price: 25,
    rentalRatePriceType: 'RENTAL',
    rentalRateType: 'ADVANCE',
    periodsInAdvance: 'STANDARD',
    rentalRateFrequency: 'MONTHLY',
    startDate: '2025-01-01',
    ...overrides,
  };
}

/** A SELL rental rate card of the owner; a category is made unless `rentalProductCategoryId` is given. */
export async function rentalRateCard(owner: Owner, overrides: Fields = {}): Promise<any> {
  const rentalProductCategoryId = (overrides.rentalProductCategoryId as number | undefined) ?? (await rentalProductCategory(owner)).id;
  return owner.api.create('/v2/rental-rate-cards', {
    contractOwnerIds: [owner.id],
    name: unique('Rental card '),
    rentalRateCardType: 'SELL',
    availableFrom: '2020-01-01',
    ...overrides,
    rentalProductCategoryId,
  });
}

/** An inclusive usage plan of the owner; a usage product is made unless `usageProductId` is given. */
export async function inclusiveUsagePlan(owner: Owner, overrides: Fields = {}): Promise<any> {
  const usageProductId = (overrides.usageProductId as number | undefined) ?? (await usageProduct(owner)).id;
  return owner.api.create('/v2/inclusive-usage-plans', {
    contractOwnerId: owner.id,
    name: unique('Plan '),
    availableFrom: '2020-01-01',
    ...overrides,
    usageProductId,
  });
}

export function rentalDiscountPlan(owner: Owner, overrides: Fields = {}): Promise<any> {
  return owner.api.create('/v2/rental-discount-plans', {
    contractOwnerId: owner.id,
    name: unique('Discount '),
    durationInMonths: 12,
    availableFrom: '2020-01-01',
    ...overrides,
  });
}

export function rentalDiscountPlanRule(owner: Owner, rentalDiscountPlanId: number, productCategoryId: number, overrides: Fields = {}): Promise<any> {
  return owner.api.create('/v2/rental-discount-plan-rules', { rentalDiscountPlanId, productCategoryId, discountPercentage: 10, ...overrides });
}

export const ASSIGNMENT_PATHS = {
  usageRateCard: '/v1/usage-rate-card-assignments',
  rentalRateCard: '/v1/rental-rate-card-assignments',
  inclusiveUsagePlan: '/v1/inclusive-usage-plan-assignments',
  rentalDiscountPlan: '/v1/rental-discount-plan-assignments',
} as const;

/** An assignment of a card or plan; `body` names the level, target and card or plan. */
export function assignment(owner: Owner, kind: keyof typeof ASSIGNMENT_PATHS, body: Fields): Promise<any> {
  return owner.api.create(ASSIGNMENT_PATHS[kind], { startDate: '2025-01-01', ...body });
}

// ─── contracts, webhooks, app clients ────────────────────────────────────────
export function contractProfile(owner: Owner, overrides: Fields = {}): Promise<any> {
  return owner.api.create('/v1/contract-profiles', {
    contractOwnerId: owner.id,
    name: unique('Profile '),
    contractTerm: 12,
    earlyTerminationFixedCharge: 50,
    earlyTerminationPercentageCharge: 100,
    ...overrides,
  });
}

/** A customer contract; `customerId` and `contractProfileId` in overrides pick the parents, else new ones are made. */
export async function customerContract(owner: Owner, overrides: Fields = {}): Promise<any> {
  const customerId = (overrides.customerId as number | undefined) ?? (await customer(owner)).id;
  const contractProfileId = (overrides.contractProfileId as number | undefined) ?? (await contractProfile(owner)).id;
  return owner.api.create('/v1/customer-contracts', { startDate: '2025-01-01', ...overrides, customerId, contractProfileId });
}

/** Assigns an RPI to a customer contract (both of the same customer). */
export function contractAssignment(owner: Owner, rentalProductInventoryId: number, customerContractId: number, overrides: Fields = {}): Promise<any> {
  return owner.api.create('/v1/customer-contract-assignments', { rentalProductInventoryId, customerContractId, ...overrides });
}

/** An inactive subscription by default, so nothing is sent anywhere. */
export function webhookSubscription(owner: Owner, overrides: Fields = {}): Promise<any> {
  return owner.api.create('/v1/webhook-subscriptions', {
    contractOwnerId: owner.id,
    url: 'https://hooks.example.com/tenor',
    eventTypes: ['*'],
    active: false,
    ...overrides,
  });
}

export function appClient(owner: Owner, overrides: Fields = {}): Promise<any> {
  return owner.api.create('/v1/app-clients', { name: unique('Client '), owners: [owner.id], scope: 'customers:read', ...overrides });
}
