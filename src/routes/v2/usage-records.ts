/**
 * Usage records: `POST /v2/usage-records` rates a batch of 1..1000 records
 * (services/usage-records/) and stores them with their rating; the list and
 * single GET read them back.
 *
 * Wire units, as the usage rates: money (cost, charge, inclusiveValue) in pence up
 * to 4 decimal places; quantities in the usage product's unit (seconds, megabytes,
 * events) up to 6 places. `quantity` is the quantity as rated (rounded up to the
 * rate's increment; as received when UNRATED), `receivedQuantity` the quantity as
 * posted; chargeableQuantity + inclusiveQuantity = quantity.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { gated } from '../../http/gate';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { parseApiInstant } from '../../domain/dates';
import { decimalPlaces, MAX_MAJOR } from '../../domain/money';
import { isValidQuantity } from '../../domain/quantity';
import { UNRATED_REASONS } from '../../domain/rating';
import { TIMEBANDS } from '../../domain/timebands';
import { USAGE_RECORD_STATUSES } from '../../domain/rating';
import { type AppContext, type AppEnv, ctxOf, scope } from '../../http/middleware';
import { registerResource } from '../../http/resource';
import { auditFields, entityId, errorResponses, instant, NoQuery, withFastCheck } from '../../http/schemas';
import { MAX_RECORDS_PER_BATCH, postUsageRecords } from '../../services/usage-records/batch';
import { usageRecordService } from '../../services/usage-records/records';
import { pence, quantity } from './pricing-fields';

const REFERENCE_PATTERN = /^[\x21-\x7e]{1,100}$/;

export const UsageRecordInput = z
  .object({
    reference: z
      .string()
      .regex(REFERENCE_PATTERN, 'must be 1..100 printable characters without spaces')
      .openapi({ example: 'CDR-20250602-000123', description: 'Your identifier of the record, unique per UPI: posting it again returns its first rating' }),
    usageProductInventoryId: entityId('The UPI the usage belongs to'),
    chargeGroupId: entityId('The charge group of the usage (of the UPI’s contract owner)'),
    startTime: instant('2025-06-02T09:00:00Z').openapi({ description: 'When the usage started; its time band is read on the contract owner’s wall clock' }),
    quantity: quantity(95, 'The usage.'),
    cost: pence(1.2, 'The buy cost of the record, needed by MARKUP rates.').nullish(),
  })
  .strict()
  .openapi('UsageRecordInput');

export const UsageRecordsRequest = z
  .object({
    records: z.array(UsageRecordInput).min(1).max(MAX_RECORDS_PER_BATCH).openapi({ description: `1..${MAX_RECORDS_PER_BATCH} records, rated in order` }),
  })
  .strict()
  .openapi('UsageRecordsRequest');

const RECORD_KEYS = new Set(Object.keys(UsageRecordInput.shape));

function isId(value: unknown): boolean {
  return Number.isSafeInteger(value) && (value as number) >= 1;
}

/** The cost in pence as `pence()` takes it: 0..MAX_MAJOR, at most 4 places; null or left out. */
function isCost(value: unknown): boolean {
  return value == null || (typeof value === 'number' && value >= 0 && value <= MAX_MAJOR && decimalPlaces(value) <= 4);
}

/**
 * True when a body is a valid UsageRecordsRequest as it stands (the common case):
 * zod's per-record checks cost about 1.7 ms per 1,000 records, this about a tenth.
 * Any doubt answers false and zod decides (with its field paths).
 */
export function isPlainUsageRecordsRequest(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const keys = Object.keys(body);
  if (keys.length !== 1 || keys[0] !== 'records') return false;
  const records = (body as { records: unknown }).records;
  if (!Array.isArray(records) || records.length < 1 || records.length > MAX_RECORDS_PER_BATCH) return false;
  for (const r of records) {
    if (typeof r !== 'object' || r === null || Array.isArray(r)) return false;
    for (const key in r) if (!RECORD_KEYS.has(key)) return false;
    const { reference, usageProductInventoryId, chargeGroupId, startTime, quantity, cost } = r as Record<string, unknown>;
    if (typeof reference !== 'string' || !REFERENCE_PATTERN.test(reference)) return false;
    if (!isId(usageProductInventoryId) || !isId(chargeGroupId)) return false;
    if (parseApiInstant(startTime) === null || !isValidQuantity(quantity) || !isCost(cost)) return false;
  }
  return true;
}

const EXAMPLE = {
  records: [
    { reference: 'CDR-20250602-000123', usageProductInventoryId: 1, chargeGroupId: 1, startTime: '2025-06-02T09:00:00Z', quantity: 95 },
    { reference: 'CDR-20250602-000124', usageProductInventoryId: 1, chargeGroupId: 2, startTime: '2025-06-02T09:05:00Z', quantity: 1, cost: 1.2 },
  ],
};

const ValidatedUsageRecordsRequest = withFastCheck(UsageRecordsRequest.openapi({ example: EXAMPLE }), isPlainUsageRecordsRequest);

const nullablePence = (description: string) => z.number().nullable().openapi({ example: 2.5, description: `${description} In pence; null when UNRATED.` });
const nullableQuantity = (description: string) => z.number().nullable().openapi({ example: 60, description: `${description} Null when UNRATED.` });

const ratingFields = {
  status: z.enum(USAGE_RECORD_STATUSES).openapi({ description: 'RATED, or UNRATED with a reason (nothing charged, nothing drawn)' }),
  reason: z.enum(UNRATED_REASONS).nullable().openapi({ example: null, description: 'Why the record is UNRATED' }),
  usageRateCardId: entityId('The card that priced the record').nullable(),
  usageRateId: entityId('The rate that priced the record').nullable(),
  timeband: z.enum(TIMEBANDS).openapi({ description: 'The band of startTime on the owner’s wall clock' }),
  quantity: z.number().openapi({ example: 120, description: 'The quantity as rated: rounded up to the rate’s increment (as received when UNRATED)' }),
  chargeableQuantity: nullableQuantity('The part of quantity that was charged.'),
  inclusiveQuantity: nullableQuantity('The part of quantity inclusive allowances paid for.'),
  inclusiveValue: nullablePence('What VALUE allowances paid.'),
  charge: nullablePence('The charge after allowances, at least the minimum, rounded to the card’s decimalPlaces.'),
  currencyCode: z.string().openapi({ example: 'GBP' }),
};

export const UsageRecordResult = z
  .object({ id: entityId('The stored record'), reference: z.string().openapi({ example: 'CDR-20250602-000123' }), ...ratingFields })
  .openapi('UsageRecordResult');

export const UsageRecord = z
  .object({
    id: entityId('read-only'),
    reference: z.string().openapi({ example: 'CDR-20250602-000123' }),
    usageProductInventoryId: entityId(),
    customerId: entityId('The UPI’s customer'),
    siteId: entityId('The UPI’s site'),
    chargeGroupId: entityId(),
    startTime: z.string().openapi({ format: 'date-time', example: '2025-06-02T09:00:00.000Z' }),
    receivedQuantity: z.number().openapi({ example: 95, description: 'The quantity as posted' }),
    cost: z.number().nullable().openapi({ example: 1.2, description: 'Buy cost in pence, as posted' }),
    ...ratingFields,
    ...auditFields,
  })
  .openapi('UsageRecord');

export function registerUsageRecords(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v2/usage-records',
      tags: ['Usage records'],
      operationId: 'rateUsageRecords',
      summary: 'Rate and store a batch of usage records',
      description: [
        `Rates 1..${MAX_RECORDS_PER_BATCH} records in order and stores them, with the inclusive allowances they use, all or nothing.`,
        'Each record: the most specific usage rate card assigned to the UPI on the record’s date (INVENTORY > SITE > CUSTOMER; dates on the contract owner’s wall clock), its rate for the charge group then, the time band of startTime from the card’s time band plan (or the default week), the quantity rounded up to the rate’s increment, inclusive allowances (most specific plan first; QUANTITY components absorb units, VALUE components pay charges), the rest priced (VARIABLE per started unit size after the initial charge; MARKUP on the cost), at least the minimum, rounded to the card’s decimalPlaces. No card or rate: UNRATED with the reason.',
        'A reference already stored for the UPI (or repeated in the batch) returns its first rating and changes nothing. An allowance reaching zero writes `inclusive_usage_balance.exhausted` once per component and period.',
        'Every UPI and charge group must be visible (404 naming the record’s field, e.g. `/records/3/chargeGroupId`) and the charge group of the UPI’s contract owner (422). Invalid records: 400 naming each field. Nothing is written unless the whole batch is.',
        'Answers 200 with one result per record, in order. Money in pence, quantities in the usage product’s unit. 409 when other batches kept drawing the same allowances (retry; stored references are not rated twice).',
        'Accepts `Idempotency-Key`.',
      ].join(' '),
      security: [{ bearerAuth: [] }],
      middleware: [scope('pricing', 'write'), gated((config) => config.USAGE_BATCHES_AT_ONCE)],
      request: { query: NoQuery, body: { required: true, content: { 'application/json': { schema: ValidatedUsageRecordsRequest } } } },
      responses: {
        200: {
          description: 'One result per record, in the order posted',
          content: {
            'application/json': {
              schema: z.array(UsageRecordResult).openapi({
                example: [
                  {
                    id: 101,
                    reference: 'CDR-20250602-000123',
                    status: 'RATED',
                    reason: null,
                    usageRateCardId: 1,
                    usageRateId: 1,
                    timeband: 'PEAK',
                    quantity: 120,
                    chargeableQuantity: 60,
                    inclusiveQuantity: 60,
                    inclusiveValue: 0,
                    charge: 1.5,
                    currencyCode: 'GBP',
                  },
                  {
                    id: 102,
                    reference: 'CDR-20250602-000124',
                    status: 'UNRATED',
                    reason: 'NO_USAGE_RATE_FOR_CHARGE_GROUP',
                    usageRateCardId: 1,
                    usageRateId: null,
                    timeband: 'PEAK',
                    quantity: 1,
                    chargeableQuantity: null,
                    inclusiveQuantity: null,
                    inclusiveValue: null,
                    charge: null,
                    currencyCode: 'GBP',
                  },
                ],
              }),
            },
          },
        },
        ...errorResponses(404, 409, 413, 415, 422),
      },
    }),
    (async (c: AppContext) => {
      const body = (c.req as unknown as { valid(t: 'json'): z.infer<typeof UsageRecordsRequest> }).valid('json');
      return c.json(await postUsageRecords(ctxOf(c), body.records), 200);
    }) as never,
  );

  registerResource(app, {
    path: '/v2/usage-records',
    tag: 'Usage records',
    singular: 'usage record',
    plural: 'usage records',
    area: 'pricing',
    input: z.object({}).strict(),
    output: UsageRecord,
    operations: ['list', 'get'],
    otherMethods: { collection: ['POST'] },
    service: usageRecordService,
    createExample: {},
    notes: { list: 'Rated records, as stored by POST /v2/usage-records. `startTime=ge:2025-06-01T00:00:00Z,lt:2025-07-01T00:00:00Z` selects a month.' },
  });
}
