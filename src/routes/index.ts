import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../http/middleware';
import { registerContractOwners } from './v1/contract-owners';
import { registerContractProfiles } from './v1/contract-profiles';
import { registerCustomerContractAssignments } from './v1/customer-contract-assignments';
import { registerCustomerContracts } from './v1/customer-contracts';
import { registerCustomers } from './v1/customers';

/** Every surface's routes, in one list. */
export function registerRoutes(app: OpenAPIHono<AppEnv>): void {
  registerContractOwners(app);
  registerCustomers(app);
  registerContractProfiles(app);
  registerCustomerContracts(app);
  registerCustomerContractAssignments(app);
}
