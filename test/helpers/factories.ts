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

/** Assigns an RPI to a contract (both of the same customer). */
export function assignment(owner: Owner, rentalProductInventoryId: number, customerContractId: number, overrides: Fields = {}): Promise<any> {
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
