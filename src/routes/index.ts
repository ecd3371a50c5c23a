import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../http/middleware';
import { registerContractOwners } from './v1/contract-owners';
import { registerCustomers } from './v1/customers';

/** Every surface's routes, in one list. */
export function registerRoutes(app: OpenAPIHono<AppEnv>): void {
  registerContractOwners(app);
  registerCustomers(app);
}
