/**
 * `GET /v2/inclusive-usage-balances` (read-only, computed): per UPI, the balance of
 * every inclusive usage plan reaching it on `asOf` (default: the contract owner's
 * today), in Elevate's shape (elevate.md §3.6), most specific assignment first.
 * Each component carries its plan period (`startDate`/`endDate`, dates), its own
 * `allowance` and `used`, what `rolledOver` from earlier periods is still usable,
 * and `remaining` = allowance − used + rolledOver. VALUE components (`byValue`) in
 * pence, QUANTITY components in the usage product's unit. Tenor has no bill runs:
 * `billRunId` is null, and the billRunId filter matches nothing.
 */
import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { ASSIGNMENT_LEVELS } from '../../domain/assignments';
import { CHARGING_TYPES } from '../../domain/allowances/model';
import type { AppEnv } from '../../http/middleware';
import { type ListSpec, parseListQuery, project } from '../../http/query';
import { queryDocs, registerComputedList } from '../../http/resource';
import { entityId, isoDate } from '../../http/schemas';
import {
  anyInclusiveUsageBalance,
  type BalanceQuery,
  inclusiveUsageBalanceKeysetPage,
  inclusiveUsageBalanceQuery,
  listInclusiveUsageBalances,
} from '../../services/inclusive-usage-balances';

const BalanceComponent = z
  .object({
    componentId: entityId(),
    byValue: z.boolean().openapi({ description: 'true for a VALUE component (amounts in pence), false for QUANTITY (amounts in units)' }),
    chargingType: z.enum(CHARGING_TYPES).nullable().openapi({ example: 'DURATION' }),
    allowance: z.number().openapi({ example: 1000, description: 'This period’s allowance' }),
    used: z.number().openapi({ example: 600, description: 'Used of this period’s allowance' }),
    rolledOver: z.number().openapi({ example: 100, description: 'Unused allowance of earlier periods still usable in this one (drawn first)' }),
    remaining: z.number().openapi({ example: 500, description: 'What can still be drawn: allowance − used + rolledOver' }),
    startDate: isoDate('2025-08-01').openapi({ description: 'First day of the plan period' }),
    endDate: isoDate('2025-08-31').openapi({ description: 'Last day of the plan period' }),
  })
  .openapi('InclusiveUsageBalanceComponent');

const BalanceAssignment = z
  .object({
    assignmentId: entityId('The inclusive usage plan assignment'),
    assignmentLevel: z.enum(ASSIGNMENT_LEVELS),
    assignmentStartDate: isoDate('2025-01-01'),
    assignmentEndDate: isoDate('2025-12-31').nullable(),
    inclusiveUsagePlanId: entityId(),
    components: z.array(BalanceComponent),
  })
  .openapi('InclusiveUsageBalanceAssignment');

export const InclusiveUsageBalance = z
  .object({
    billRunId: z.number().int().nullable().openapi({ example: null, description: 'Always null: Tenor has no bill runs' }),
    periodStartDate: isoDate('2025-08-01').openapi({ description: 'The earliest period start of the components listed' }),
    periodEndDate: isoDate('2025-08-31').openapi({ description: 'The latest period end of the components listed' }),
    usageProductInventoryId: entityId(),
    inclusiveUsageBalanceAssignments: z.array(BalanceAssignment).openapi({ description: 'Most specific assignment first (the order allowances are drawn in)' }),
  })
  .openapi('InclusiveUsageBalance');

const listSpec: ListSpec = {
  query: inclusiveUsageBalanceQuery,
  fieldNames: Object.keys(InclusiveUsageBalance.shape),
  extraParams: ['asOf'],
  keyset: 'cursor',
};

const AsOfQuery = z.object({
  asOf: z
    .string()
    .optional()
    .openapi({ param: { name: 'asOf', in: 'query' }, format: 'date', description: 'The date of the balances (YYYY-MM-DD); default: the contract owner’s today', example: '2025-08-15' }),
});

/** The list query and the date as given (the service checks it). */
function queryOf(url: URL): BalanceQuery {
  return { list: parseListQuery(url, listSpec), asOf: url.searchParams.get('asOf') };
}

export function registerInclusiveUsageBalances(app: OpenAPIHono<AppEnv>) {
  registerComputedList(app, {
    path: '/v2/inclusive-usage-balances',
    tag: 'Inclusive usage balances',
    area: 'pricing',
    head: {
      operationId: 'checkInclusiveUsageBalances',
      summary: 'Check whether any balance matches',
      description: '200 when at least one visible UPI has a matching balance on the date, 404 when none does. No body.',
    },
    get: {
      operationId: 'listInclusiveUsageBalances',
      summary: 'List inclusive usage balances',
      description:
        'Computed, read-only. One item per visible UPI with at least one inclusive usage plan assignment effective on `asOf` (default: the contract owner’s today): its plans, most specific assignment first, each component’s balance for the plan period holding that date. Periods are anchored on the assignment start (MONTHLY, WEEKLY or DAILY); unused allowance rolls over for the plan’s rolloverPeriods and is drawn first. A plan assigned at customer or site level is one balance shared by the UPIs it reaches. VALUE amounts in pence, QUANTITY amounts in the usage product’s unit. Paged over UPIs, by `page` or by `cursor` (keyset: each page reads the UPIs after the last one of the page before, at the same cost however deep). `sort=periodStartDate` (or periodEndDate, `:desc`) computes the balance of every matching UPI first, so at most 2,000 UPIs may match (400 otherwise: narrow with customerId, siteId or usageProductInventoryId); its cursor pages compute them all too. Tenor has no bill runs: billRunId is always null, and a billRunId filter matches nothing.',
    },
    query: queryDocs(inclusiveUsageBalanceQuery.filters, true, 'cursor').extend(AsOfQuery.shape),
    items: { description: 'The balances, one item per UPI', counted: 'Matching UPIs in all pages', schema: z.array(InclusiveUsageBalance), name: 'InclusiveUsageBalance' },
    errors: [404],
    keyset: true,
    async page(ctx, url, head) {
      const query = queryOf(url);
      const { page, pageSize, after } = query.list;
      const output = (items: readonly unknown[]) => items.map((item) => project(item as Record<string, unknown>, query.list.fields));
      if (after !== undefined) {
        // a keyset page (HEAD: whether it would hold anything)
        const result = await inclusiveUsageBalanceKeysetPage(ctx, query, after);
        return { items: output(result.items), pageSize, next: result.next };
      }
      if (head) return { items: [], total: (await anyInclusiveUsageBalance(ctx, query)) ? 1 : 0, page, pageSize };
      const { items, total } = await listInclusiveUsageBalances(ctx, query);
      return { items: output(items), total, page, pageSize };
    },
  });
}
