/**
 * /v2/contract-price-steps: explicit dated price changes of one customer
 * contract (simPRO calls them inflation). On its date the lifecycle job applies
 * the step once: the rental prices of the contract's RPIs change by
 * `percentage` from the periods starting on or after it, compounding with the
 * contract's price adaptation and its other steps.
 */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { percentageProblem } from '../../domain/price-adaptation';
import type { AppEnv } from '../../http/middleware';
import { outputSchema, registerResource } from '../../http/resource';
import { entityId, isoDate } from '../../http/schemas';
import { type ContractPriceStepInput as ContractPriceStepFields, contractPriceStepService } from '../../services/contract-price-steps';

export const ContractPriceStepInput = z
  .object({
    customerContractId: entityId('The contract whose prices change; fixed after creation'),
    date: isoDate('2026-04-01').openapi({ description: 'The day the change takes effect: charging periods starting on or after it are adapted' }),
    percentage: z
      .number()
      .superRefine((v, ctx) => {
        const problem = percentageProblem(v);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .openapi({ example: 2.5, description: 'The change: greater than −100 and at most 1000, up to 4 decimal places (2.5 = prices × 1.025)' }),
  })
  .strict() satisfies z.ZodType<ContractPriceStepFields>;

export const ContractPriceStep = outputSchema(
  ContractPriceStepInput,
  {
    contractOwnerId: entityId('read-only: the contract’s owner'),
    applied: z.boolean().openapi({ example: false, description: 'read-only: true once the lifecycle job has applied it (/v2/applied-price-adaptations?contractPriceStepId=…)' }),
  },
  'ContractPriceStep',
);

export function registerContractPriceSteps(app: OpenAPIHono<AppEnv>) {
  registerResource(app, {
    path: '/v2/contract-price-steps',
    tag: 'Price adaptations',
    singular: 'contract price step',
    plural: 'contract price steps',
    area: 'pricing',
    input: ContractPriceStepInput,
    output: ContractPriceStep,
    immutable: ['customerContractId'],
    service: contractPriceStepService,
    createExample: { customerContractId: 1, date: '2026-04-01', percentage: 2.5 },
    notes: {
      create: 'The lifecycle job applies the step on its date (at its next run when the date has passed), once.',
      update: 'Only while the step has not been applied (409 once it has: add another step instead).',
      delete: 'Only while the step has not been applied (409 once it has).',
    },
  });
}
