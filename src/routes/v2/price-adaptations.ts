/**
 * /v2/price-adaptations: how contracts' rental prices change over time — a
 * fixed percentage per step, or an index series with a value per month — and
 * when (RENEWAL or ANNIVERSARY). A customer contract refers to one
 * (`priceAdaptationId`); the lifecycle job applies the steps;
 * /v2/applied-price-adaptations lists what it applied.
 */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  indexValueProblem,
  isMonth,
  MAX_INDEX_VALUES,
  PRICE_ADAPTATION_SCHEDULES,
  PRICE_ADAPTATION_TYPES,
  PRICE_STEP_SOURCES,
  percentageProblem,
  priceAdaptationProblems,
} from '../../domain/price-adaptation';
import type { AppEnv } from '../../http/middleware';
import { outputSchema, registerResource } from '../../http/resource';
import { addProblems, entityId, externalRef, isoDate, name, text } from '../../http/schemas';
import { appliedPriceAdaptationService } from '../../services/applied-price-adaptations';
import { type PriceAdaptationInput as PriceAdaptationFields, priceAdaptationService } from '../../services/price-adaptations';

/** A number checked by a domain rule that names its own problem. */
const checked = (check: (v: number) => string | null, example: number, description: string) =>
  z
    .number()
    .superRefine((v, ctx) => {
      const problem = check(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .openapi({ example, description });

export const IndexValueItem = z
  .object({
    month: z.string().refine(isMonth, { message: 'must be a month YYYY-MM' }).openapi({ example: '2025-01', description: 'The month the value is for (valid from its first day)' }),
    value: checked(indexValueProblem, 104.2, 'The index value: greater than 0, at most 6 decimal places'),
  })
  .strict()
  .openapi('IndexValue');

export const PriceAdaptationInput = z
  .object({
    contractOwnerId: entityId('The contract owner whose contracts may use it; fixed after creation'),
    name: name(100, 'Consumer price index').openapi({ description: 'Unique for the contract owner' }),
    description: text(255, 'CPI, yearly on the anniversary').nullish(),
    externalRef: externalRef().nullish().openapi({ description: 'Your reference (the instellix surface refers to it by this); unique for the contract owner' }),
    type: z.enum(PRICE_ADAPTATION_TYPES).openapi({ example: 'PERCENTAGE', description: 'PERCENTAGE: prices × (1 + percentage/100) at each step, compounding; INDEX: prices follow indexValues from the contract’s start' }),
    percentage: checked(percentageProblem, 3, 'PERCENTAGE only (required there): the change per step, greater than −100 and at most 1000, up to 4 decimal places').nullish(),
    indexValues: z
      .array(IndexValueItem)
      .max(MAX_INDEX_VALUES)
      .default([])
      .openapi({ description: 'INDEX only: one value per month (unique months, any order; listed by month). A month without a value uses the latest earlier one.' }),
    schedule: z.enum(PRICE_ADAPTATION_SCHEDULES).openapi({ example: 'RENEWAL', description: 'RENEWAL: a step on the first day of each renewal; ANNIVERSARY: on each yearly anniversary of the start of the contract’s renewal chain' }),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.type) addProblems(ctx, priceAdaptationProblems(v));
  }) satisfies z.ZodType<PriceAdaptationFields>;

export const PriceAdaptation = outputSchema(PriceAdaptationInput, {}, 'PriceAdaptation');

export const AppliedPriceAdaptation = z
  .object({
    id: entityId('read-only'),
    contractOwnerId: entityId(),
    customerContractId: entityId('The contract the step was applied to (the one whose life holds its date)'),
    effectiveDate: isoDate('2026-01-01').openapi({ description: 'Charging periods starting on or after it are adapted' }),
    source: z.enum(PRICE_STEP_SOURCES).openapi({ example: 'RENEWAL', description: 'RENEWAL or ANNIVERSARY: the adaptation’s schedule; STEP: an explicit dated step of the contract (simPRO inflation)' }),
    priceAdaptationId: entityId('The adaptation it came from (as it was then)').nullable(),
    contractPriceStepId: entityId('The explicit step it came from').nullable(),
    percentage: z.number().nullable().openapi({ example: 3, description: 'Percentage steps: the change applied' }),
    indexMonth: z.string().nullable().openapi({ example: '2026-01', description: 'INDEX steps: the month whose value was used' }),
    indexValue: z.number().nullable().openapi({ example: 106 }),
    previousIndexMonth: z.string().nullable().openapi({ example: '2025-01', description: 'INDEX steps: the month it was measured against (the previous step’s, or the chain start’s)' }),
    previousIndexValue: z.number().nullable().openapi({ example: 104 }),
    factor: z.number().openapi({ example: 1.03, description: 'The step’s factor (exact: 1 + percentage/100, or indexValue/previousIndexValue), shown to 9 places' }),
    appliedAt: z.string().openapi({ format: 'date-time', example: '2026-01-01T01:00:00.000Z' }),
    appliedBy: z.string().nullable().openapi({ example: 'system:lifecycle' }),
  })
  .openapi('AppliedPriceAdaptation');

export function registerPriceAdaptations(app: OpenAPIHono<AppEnv>) {
  registerResource(app, {
    path: '/v2/applied-price-adaptations',
    tag: 'Price adaptations',
    singular: 'applied price adaptation',
    plural: 'applied price adaptations',
    area: 'pricing',
    input: z.object({}).strict(),
    output: AppliedPriceAdaptation,
    operations: ['list', 'get'],
    service: appliedPriceAdaptationService,
    createExample: {},
    notes: {
      list: 'Every price adaptation step the lifecycle job has applied: one per contract, effective date and source, never twice. Read-only.',
    },
  });

  registerResource(app, {
    path: '/v2/price-adaptations',
    tag: 'Price adaptations',
    singular: 'price adaptation',
    plural: 'price adaptations',
    area: 'pricing',
    input: PriceAdaptationInput,
    output: PriceAdaptation,
    immutable: ['contractOwnerId'],
    service: priceAdaptationService,
    createExample: { contractOwnerId: 1, name: 'Yearly 3 %', type: 'PERCENTAGE', percentage: 3, schedule: 'RENEWAL' },
    notes: {
      create:
        '`name` and `externalRef` are unique per contract owner (409 naming the field). A PERCENTAGE adaptation needs `percentage` and no `indexValues`; an INDEX one no `percentage` (400 naming the field).',
      update:
        'A changed definition (type, percentage, indexValues, schedule) applies to the steps that fall due from then on (and to steps still waiting for an index value); steps already applied are never recomputed. Add a month with `add /indexValues/-`.',
      delete: 'Refused (409) while a customer contract (current or renewed) refers to it.',
    },
  });
}
