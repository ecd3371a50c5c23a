/**
 * `GET /v1/rental-etcs` (v1-contracts.md §Early termination charges; Elevate's
 * Rental API): what ending each of a customer's contracted RPIs on a date would
 * cost. Computed by services/etc.ts, the same code that records the charge when
 * a contract is ended early.
 */
import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { microsToMajor } from '../../domain/money';
import type { AppEnv } from '../../http/middleware';
import { parseCursor, parsePaging, singleValues } from '../../http/query';
import { cursorDocs, pagingDocs, registerComputedList } from '../../http/resource';
import { entityId, isoDate, queryDate, queryId } from '../../http/schemas';
import { type RentalEtcItem, rentalEtcKeysetPage, rentalEtcPage } from '../../services/etc';

const PATH = '/v1/rental-etcs';

const RentalEtcsQuery = z.object({
  customerId: queryId('customerId', 'The customer'),
  calculationDate: queryDate('calculationDate', 'The proposed last day of the contracts (D); the remaining rental runs from D + 1', '2025-09-30'),
  rentalProductInventoryId: queryId('rentalProductInventoryId', 'Only this RPI').optional(),
  ...pagingDocs(),
  cursor: cursorDocs('X-Total-Count', 'The next page starts after the last RPI of the page'),
});
const PARAMS = new Set(Object.keys(RentalEtcsQuery.shape));

export const RentalEtc = z
  .object({
    customerId: entityId('The customer'),
    rentalProductInventoryId: entityId('The RPI'),
    customerContractId: entityId('The contract the RPI is actively assigned to, whose term covers the date'),
    amountInMajorCurrency: z.number().openapi({
      description: 'earlyTerminationFixedCharge + earlyTerminationPercentageCharge / 100 × the RPI’s remaining rental from calculationDate + 1 to the contract’s term end, rounded to 2 places (MATHEMATICAL). On the last day of the term: the fixed charge only.',
      example: 44.99,
    }),
    currencyCode: z.string().openapi({ description: 'The contract owner’s currency', example: 'GBP' }),
    calculationDate: isoDate('2025-09-30'),
  })
  .openapi('RentalEtc');

type RentalEtcOutput = z.infer<typeof RentalEtc>;

function toOutput(item: RentalEtcItem): RentalEtcOutput {
  return {
    customerId: item.customerId,
    rentalProductInventoryId: item.rentalProductInventoryId,
    customerContractId: item.customerContractId,
    amountInMajorCurrency: microsToMajor(item.amount),
    currencyCode: item.currencyCode,
    calculationDate: item.calculationDate,
  };
}

export function registerRentalEtcs(app: OpenAPIHono<AppEnv>) {
  registerComputedList(app, {
    path: PATH,
    tag: 'Customer contracts',
    area: 'contracts',
    head: {
      operationId: 'checkRentalEtcs',
      summary: 'Check whether any RPI of the customer would carry an early termination charge on the date',
      description: '200 when at least one row would be listed, 404 when none would (or the customer is not visible). No body.',
    },
    get: {
      operationId: 'listRentalEtcs',
      summary: 'Quote the early termination charges of a customer’s RPIs on a date',
      description: [
        'One row per rental product inventory of the customer actively assigned to a contract whose term covers calculationDate (startDate ≤ D ≤ endDate).',
        'The remaining rental is what the RPI would still be charged from D + 1 to the contract’s term end at the price in force on D, prorated by days, discounts included (see GET /v2/rental-charges); 0 where no price applies.',
        'Ending the contract on D (PATCH endDate) records the sum of these amounts as its earlyTerminationCharge.',
        'Order: by rentalProductInventoryId. Paginated with page and pageSize, or by `cursor` (keyset: each page starts after the last RPI of the one before, at the same cost however deep); no sort or fields. Another owner’s customer is a 404.',
      ].join(' '),
    },
    query: RentalEtcsQuery,
    items: {
      description: 'The early termination charges',
      counted: 'Rows in all pages',
      schema: z.array(RentalEtc).openapi({
        example: [{ customerId: 5, rentalProductInventoryId: 7, customerContractId: 12, amountInMajorCurrency: 44.99, currencyCode: 'GBP', calculationDate: '2025-09-30' }],
      }),
    },
    errors: [404, 422],
    keyset: true,
    async page(ctx, url) {
      // the route's schema has checked each value; this rejects unknown and repeated parameters
      const values = singleValues(url, PARAMS);
      const paging = parsePaging(values);
      const after = parseCursor(values);
      const rpiId = values.get('rentalProductInventoryId');
      const query = {
        customerId: Number(values.get('customerId')),
        calculationDate: values.get('calculationDate')!,
        rentalProductInventoryId: rpiId === undefined ? undefined : Number(rpiId),
      };
      if (after !== undefined) {
        const page = await rentalEtcKeysetPage(ctx, query, { pageSize: paging.pageSize, after });
        return { items: page.items.map(toOutput), pageSize: paging.pageSize, next: page.next };
      }
      const page = await rentalEtcPage(ctx, query, paging);
      return { items: page.items.map(toOutput), total: page.total, ...paging };
    },
  });
}
