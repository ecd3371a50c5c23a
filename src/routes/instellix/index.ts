/**
 * The instellix (formerly Nitrobox) dialect (compat.md §instellix, seed 003):
 * plans, debtors and contracts with their termination actions, translated onto
 * Tenor's contract profiles, customers, customer contracts, RPIs and assignments.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../http/middleware';
import { registerContracts } from './contracts';
import { registerDebtors } from './debtors';
import { registerPlans } from './plans';

export function registerInstellix(app: OpenAPIHono<AppEnv>): void {
  registerPlans(app);
  registerDebtors(app);
  registerContracts(app);
}
