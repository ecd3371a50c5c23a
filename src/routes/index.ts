import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../http/middleware';
import { registerAppClients } from './v1/app-clients';
import { registerChargeGroupCategories } from './v1/charge-group-categories';
import { registerChargeGroups } from './v1/charge-groups';
import { registerContractOwners } from './v1/contract-owners';
import { registerContractProfiles } from './v1/contract-profiles';
import { registerCustomerContractAssignments } from './v1/customer-contract-assignments';
import { registerCustomerContracts } from './v1/customer-contracts';
import { registerCustomers } from './v1/customers';
import { registerRentalProductCategories } from './v1/rental-product-categories';
import { registerRentalProductInventories } from './v1/rental-product-inventories';
import { registerRentalProducts } from './v1/rental-products';
import { registerSites } from './v1/sites';
import { registerUsageProductInventories } from './v1/usage-product-inventories';
import { registerUsageProducts } from './v1/usage-products';
import { registerTimeBandPlans } from './v2/time-band-plans';
import { registerUsageRateCards } from './v2/usage-rate-cards';
import { registerUsageRates } from './v2/usage-rates';

/** Every surface's routes, in one list. */
export function registerRoutes(app: OpenAPIHono<AppEnv>): void {
  registerContractOwners(app);
  registerCustomers(app);
  registerSites(app);
  registerRentalProductCategories(app);
  registerRentalProducts(app);
  registerRentalProductInventories(app);
  registerUsageProducts(app);
  registerUsageProductInventories(app);
  registerChargeGroupCategories(app);
  registerChargeGroups(app);
  registerAppClients(app);
  registerContractProfiles(app);
  registerCustomerContracts(app);
  registerCustomerContractAssignments(app);
  registerTimeBandPlans(app);
  registerUsageRateCards(app);
  registerUsageRates(app);
}
