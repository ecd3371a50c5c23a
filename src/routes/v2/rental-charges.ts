/**
 * `GET /v2/rental-charges` (v2-pricing.md §Rental charges): what a customer's
 * rental product inventories are charged over a date range, one line per RPI
 * and charging period, priced as domain/rental-charges/ documents. Computed,
 * never stored; amounts in major units of the owner's currency.
 */
import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { microsToMajor } from '../../domain/money';
import { factorToNumber } from '../../domain/price-adaptation';
import { RENTAL_RATE_FREQUENCIES, RENTAL_RATE_PRICE_TYPES, type RentalChargeLine } from '../../domain/rental-charges/model';
import type { AppEnv } from '../../http/middleware';
import { parseCursor, parsePaging, singleValues } from '../../http/query';
import { cursorDocs, pagingDocs, registerComputedList } from '../../http/resource';
import { entityId, isoDate, queryDate, queryId } from '../../http/schemas';
import { MAX_RANGE_MONTHS, rentalChargeKeysetPage, rentalChargePage } from '../../services/rental-charges';

const PATH = '/v2/rental-charges';

const RentalChargesQuery = z.object({
  customerId: queryId('customerId', 'The customer whose rental product inventories are charged'),
  from: queryDate('from', 'First day of the range; periods whose charged days reach into [from, to] are listed whole', '2025-01-01'),
  to: queryDate('to', `Last day of the range: on or after from, and at most ${MAX_RANGE_MONTHS / 12} years after it (to < from + ${MAX_RANGE_MONTHS} months)`, '2025-12-31'),
  siteId: queryId('siteId', 'Only the RPIs at this site').optional(),
  rentalProductInventoryId: queryId('rentalProductInventoryId', 'Only this RPI').optional(),
  ...pagingDocs(),
  cursor: cursorDocs('X-Total-Count', 'The next page starts after the last line of the page, inside the same RPI’s lines when they go on'),
});
const PARAMS = new Set(Object.keys(RentalChargesQuery.shape));

const major = (description: string, example: number) => z.number().openapi({ description: `${description} In major units (e.g. pounds).`, example });

export const RentalCharge = z
  .object({
    rentalProductInventoryId: entityId('The RPI charged'),
    rentalProductId: entityId('Its rental product'),
    rentalRateCardId: entityId('The card holding the rate: the assigned SELL card, or the TEMPLATE it is based on when it has no rate for the product'),
    rentalRateId: entityId('The rate in force on the period start'),
    rentalRatePriceType: z.enum(RENTAL_RATE_PRICE_TYPES).openapi({ description: 'RENTAL: a recurring period; ONEOFF: charged once, dated on the RPI start', example: 'RENTAL' }),
    rentalRateFrequency: z.enum(RENTAL_RATE_FREQUENCIES).nullable().openapi({ description: 'RENTAL lines: the period length; null for ONEOFF', example: 'MONTHLY' }),
    periodStart: isoDate('2025-03-01').openapi({ description: 'The charging period, anchored on the RPI start (ONEOFF: the RPI start)' }),
    periodEnd: isoDate('2025-03-31'),
    chargedFrom: isoDate('2025-03-01').openapi({ description: 'First day of the period charged (later than periodStart when a price starts mid-period)' }),
    chargedTo: isoDate('2025-03-15').openapi({ description: 'Last day of the period charged (earlier than periodEnd when the RPI ends mid-period)' }),
    quantity: z.number().int().openapi({ description: 'The RPI quantity', example: 2 }),
    unitPrice: major('Price per unit per period (per charge for ONEOFF): baseUnitPrice × priceAdaptationFactor (the exact factor), rounded to 6 places (MATHEMATICAL).', 10.3),
    baseUnitPrice: major('The rate’s own price, before price adaptation.', 10),
    priceAdaptationFactor: z.number().openapi({
      description:
        'The price adaptation in force on the period start: the product of the steps the lifecycle job applied to the contract the RPI is actively assigned to (and to the contracts it renewed) effective on or before it; 1 = none. ONEOFF lines are not adapted. Shown rounded to 9 places (MATHEMATICAL).',
      example: 1.03,
    }),
    grossAmount: major('unitPrice × quantity, prorated by the days charged over the days of the period, rounded to 6 places (MATHEMATICAL).', 9.677419),
    rentalDiscountPlanId: entityId('The discount plan applied').nullable(),
    discountPercentage: z.number().nullable().openapi({ description: 'The rule applied (a product rule beats a category rule), 0..100; null = no discount', example: 10 }),
    discountAmount: major('grossAmount × discountPercentage / 100, rounded to 6 places (MATHEMATICAL).', 0.967742),
    netAmount: major('grossAmount − discountAmount.', 8.709677),
    currencyCode: z.string().openapi({ description: 'The contract owner’s currency', example: 'GBP' }),
  })
  .openapi('RentalCharge');

type RentalChargeOutput = z.infer<typeof RentalCharge>;

function toOutput(line: RentalChargeLine, currencyCode: string): RentalChargeOutput {
  return {
    rentalProductInventoryId: line.rentalProductInventoryId,
    rentalProductId: line.rentalProductId,
    rentalRateCardId: line.rentalRateCardId,
    rentalRateId: line.rentalRateId,
    rentalRatePriceType: line.rentalRatePriceType,
    rentalRateFrequency: line.rentalRateFrequency,
    periodStart: line.periodStart,
    periodEnd: line.periodEnd,
    chargedFrom: line.chargedFrom,
    chargedTo: line.chargedTo,
    quantity: line.quantity,
    unitPrice: microsToMajor(line.unitPrice),
    baseUnitPrice: microsToMajor(line.baseUnitPrice),
    priceAdaptationFactor: factorToNumber(line.priceAdaptationFactor),
    grossAmount: microsToMajor(line.grossAmount),
    rentalDiscountPlanId: line.rentalDiscountPlanId,
    discountPercentage: line.discountPercentage,
    discountAmount: microsToMajor(line.discountAmount),
    netAmount: microsToMajor(line.netAmount),
    currencyCode,
  };
}

const EXAMPLE: RentalChargeOutput[] = [
  {
    rentalProductInventoryId: 7,
    rentalProductId: 3,
    rentalRateCardId: 2,
    rentalRateId: 11,
    rentalRatePriceType: 'RENTAL',
    rentalRateFrequency: 'MONTHLY',
    periodStart: '2025-03-01',
    periodEnd: '2025-03-31',
    chargedFrom: '2025-03-01',
    chargedTo: '2025-03-15',
    quantity: 2,
    unitPrice: 10.3,
    baseUnitPrice: 10,
    priceAdaptationFactor: 1.03,
    grossAmount: 9.967742,
    rentalDiscountPlanId: 4,
    discountPercentage: 10,
    discountAmount: 0.996774,
    netAmount: 8.970968,
    currencyCode: 'GBP',
  },
];

export function registerRentalCharges(app: OpenAPIHono<AppEnv>) {
  const description = [
    'One line per rental product inventory (RPI) of the customer and charging period whose charged days overlap [from, to]; the range selects periods and never cuts them.',
    'Price: the most specific rental rate card assignment effective on the period start (INVENTORY > SITE > CUSTOMER) whose card prices the product’s category, its rate for the product effective on the period start, falling back to the TEMPLATE the card is based on; a rate change mid-period applies from the next period. Days without a price are not charged (no line).',
    'RENTAL periods repeat at the rate’s frequency, anchored on the RPI start (month ends clamp without drifting); a period cut by the RPI end is prorated by days. A ONEOFF rate is charged once, on the RPI start.',
    'Price adaptation: a RENTAL period’s unitPrice is the rate’s price (baseUnitPrice) × the factor of the price adaptation steps applied (by the lifecycle job) to the contract the RPI is actively assigned to, and to the contracts it renewed, effective on or before the period start.',
    'Discount: the most specific discount plan assignment effective on the period start whose plan has a rule for the product (a product rule beats a category rule), for periods starting within durationInMonths of the assignment start.',
    'Order: by rentalProductInventoryId, then periodStart (a ONEOFF line before the period starting the same day). Paginated with page and pageSize, or by `cursor` (keyset: each page computes only its own lines, from the line after the last one of the page before, so every page costs the same however deep; a page may end inside an RPI’s lines and the next goes on there); no sort or fields. Another owner’s customer is a 404.',
  ].join(' ');

  registerComputedList(app, {
    path: PATH,
    tag: 'Rental charges',
    area: 'pricing',
    head: {
      operationId: 'checkRentalCharges',
      summary: 'Check whether the customer has any rental charge in the range',
      description: '200 when at least one line would be listed, 404 when none would (or the customer is not visible). No body.',
    },
    get: { operationId: 'listRentalCharges', summary: 'List a customer’s rental charges over a date range', description },
    query: RentalChargesQuery,
    items: { description: 'The charge lines', counted: 'Lines in all pages', schema: z.array(RentalCharge).openapi({ example: EXAMPLE }) },
    errors: [404, 422],
    keyset: true,
    async page(ctx, url) {
      // the route's schema has checked each value; this rejects unknown and repeated parameters
      const values = singleValues(url, PARAMS);
      const paging = parsePaging(values);
      const after = parseCursor(values);
      const from = values.get('from')!;
      const to = values.get('to')!;
      const optionalId = (name: string) => (values.has(name) ? Number(values.get(name)) : undefined);
      const query = { customerId: Number(values.get('customerId')), from, to, siteId: optionalId('siteId'), rentalProductInventoryId: optionalId('rentalProductInventoryId') };
      if (after !== undefined) {
        const page = await rentalChargeKeysetPage(ctx, query, { pageSize: paging.pageSize, after });
        return { items: page.lines.map((l) => toOutput(l, page.currencyCode)), pageSize: paging.pageSize, next: page.next };
      }
      const page = await rentalChargePage(ctx, query, paging);
      return { items: page.lines.map((l) => toOutput(l, page.currencyCode)), total: page.total, ...paging };
    },
  });
}
