/**
 * The simPRO dialect (compat.md §simPRO, seed 002): `/api/v1.0/companies/{companyID}/…`.
 *
 * A contract sub-resource is one module exporting `register…(app)` that builds
 * on ./edge.ts (registerSimproResource: list grammar, 422s, simPRO statuses)
 * and ./contracts.ts (CONTRACT, ContractParams, contractOf for the path's
 * company, customer and contract); add it to CONTRACT_SUBRESOURCES.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../http/middleware';
import { registerContractCustomFields } from './contract-custom-fields';
import { registerContractInflation } from './inflation';
import { registerContractLaborRates } from './contract-labor-rates';
import { registerContractServiceLevels } from './contract-service-levels';
import { registerContracts } from './contracts';
import { registerSetupResources } from './setup';

/** The sub-resources of `…/customers/{customerID}/contracts/{contractID}/`. */
export const CONTRACT_SUBRESOURCES: ReadonlyArray<(app: OpenAPIHono<AppEnv>) => void> = [
  registerContractCustomFields,
  registerContractServiceLevels,
  registerContractLaborRates,
  registerContractInflation,
];

export function registerSimpro(app: OpenAPIHono<AppEnv>): void {
  registerContracts(app);
  for (const register of CONTRACT_SUBRESOURCES) register(app);
  registerSetupResources(app);
}
