/**
 * simPRO `…/contracts/{contractID}/laborRates/`: technician labour rates, which
 * Tenor does not have. Every method on it and on its items is a 404 problem
 * naming the sub-resource, so a client learns at once that it is not served.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { notFound } from '../../errors';
import type { AppEnv } from '../../http/middleware';
import { CONTRACT } from './contracts';

export function registerContractLaborRates(app: OpenAPIHono<AppEnv>) {
  const base = CONTRACT.replaceAll(/\{(\w+)\}/g, ':$1');
  const refuse = () => {
    throw notFound(
      'Customer contract labor rates (…/contracts/{contractID}/laborRates/) are not served: Tenor has no technician labor rates. A contract’s prices are its Markup, PricingTier, Rates.ServiceFee and service level prices.',
    );
  };
  for (const path of [`${base}/laborRates`, `${base}/laborRates/`, `${base}/laborRates/*`]) app.all(path, refuse);
}
