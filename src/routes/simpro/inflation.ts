/**
 * simPRO `…/contracts/{contractID}/inflation/` (compat.md §simPRO): dated price
 * increases of one contract, `{ID, Date, Amount}` with Amount a percentage —
 * GET list, POST (201, the object), GET item, PATCH (a partial object → 204),
 * DELETE (204); an invalid body is a 422.
 *
 * Each item is an explicit step of the contract's price adaptation, over
 * services/contract-price-steps.ts (the same rules as /v2/contract-price-steps):
 * the lifecycle job applies it on its Date, exactly once, and the rental charges
 * of the contract's RPIs change from the periods starting on or after it. An item
 * the job has applied can no longer be changed or deleted (409).
 */
import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { percentageProblem, storedToPercentage } from '../../domain/price-adaptation';
import type { AppEnv } from '../../http/middleware';
import { isoDate } from '../../http/schemas';
import {
  type ContractPriceStepRow,
  contractPriceStepOf,
  contractPriceStepService,
  createContractPriceStep,
  removeContractPriceStep,
  updateContractPriceStep,
} from '../../services/contract-price-steps';
import { CONTRACT, ContractParams, type ContractScope, contractHref, contractOf } from './contracts';
import { idParam, pathId, registerSimproResource, TAGS, within } from './edge';
import type { SimproListSpec } from './query';

const COLUMNS = ['ID', 'Date', 'Amount'] as const;

const LIST: SimproListSpec = {
  columns: COLUMNS,
  defaultColumns: COLUMNS,
  filters: {
    ID: { field: 'id', type: 'id' },
    Date: { field: 'date', type: 'date' },
    Amount: { field: 'percentage', type: 'number' },
  },
  defaultSort: [{ field: 'date', descending: false }],
};

const ItemParams = ContractParams.extend({ inflationID: idParam('inflationID', 'An inflation item of the contract') });

const Amount = z
  .number()
  .superRefine((v, ctx) => {
    const problem = percentageProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .openapi({ example: 3.5, description: 'The price increase in percent (greater than −100, at most 1000, up to 4 decimal places; negative lowers prices)' });

export const SimproInflation = z
  .object({
    ID: z.number().int().openapi({ example: 1 }),
    Date: isoDate('2026-07-01').openapi({ description: 'The day the increase takes effect: charging periods starting on or after it are adapted' }),
    Amount: z.number().openapi({ example: 3.5, description: 'The increase in percent' }),
  })
  .openapi('SimproContractInflation');

function render(row: ContractPriceStepRow) {
  return { ID: row.id, Date: row.date, Amount: storedToPercentage(row.percentage) };
}

export function registerContractInflation(app: OpenAPIHono<AppEnv>) {
  registerSimproResource<ContractScope, ContractPriceStepRow>(app, {
    tag: TAGS.contracts,
    area: 'contracts',
    singular: 'customer contract inflation item',
    plural: 'customer contract inflation items',
    name: 'ContractInflation',
    pluralName: 'ContractInflations',
    collection: `${CONTRACT}/inflation/`,
    collectionParams: ContractParams,
    item: `${CONTRACT}/inflation/{inflationID}`,
    itemParams: ItemParams,
    scope: contractOf,
    fieldNames: { date: 'Date', percentage: 'Amount' },
    detail: { schema: SimproInflation, columns: COLUMNS },
    render: async (_ctx, _scope, rows) => rows.map(render),
    list: {
      spec: LIST,
      schema: z.array(SimproInflation),
      description: 'The contract’s dated price increases (explicit steps of its price adaptation), by Date.',
      page: (ctx, scope, query) => contractPriceStepService.list(ctx, within(query, { customerContractId: scope.contract.id })),
    },
    find: (c, ctx, scope) => contractPriceStepOf(ctx, scope.contract.id, pathId(c, 'inflationID')),
    notFound: (c) => `Inflation item ${c.req.param('inflationID')} was not found`,
    version: (row) => row.version,
    create: {
      body: z.object({ Date: isoDate('2026-07-01'), Amount }).strict(),
      example: { Date: '2026-07-01', Amount: 3.5 },
      description:
        'A dated price increase of the contract: the lifecycle job applies it on its Date (at its next run when the Date has passed), once; the rental charges of the contract’s RPIs rise from the periods starting on or after it.',
      run: (ctx, scope, body) => createContractPriceStep(ctx, { customerContractId: scope.contract.id, date: body.Date as string, percentage: body.Amount as number }),
      location: (scope, row) => `${contractHref(scope, scope.contract)}/inflation/${row.id}`,
    },
    update: {
      body: z.object({ Date: isoDate('2026-07-01').optional(), Amount: Amount.optional() }).strict(),
      example: { Amount: 4 },
      description: 'Only while the lifecycle job has not applied the item (409 once it has: add another item instead).',
      async run(ctx, _scope, row, body) {
        if (body.Date === undefined && body.Amount === undefined) return;
        await updateContractPriceStep(ctx, row, {
          ...(body.Date === undefined ? {} : { date: body.Date as string }),
          ...(body.Amount === undefined ? {} : { percentage: body.Amount as number }),
        });
      },
    },
    remove: {
      description: 'Only while the lifecycle job has not applied the item (409 once it has).',
      run: (ctx, _scope, row) => removeContractPriceStep(ctx, row),
    },
  });
}
