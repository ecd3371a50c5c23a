/**
 * The cheap check in front of the usage-records body schema: whatever it accepts
 * zod accepts unchanged (so its problems stay zod's), and it accepts the usual body.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPlainUsageRecordsRequest, UsageRecordsRequest } from '../../src/routes/v2/usage-records';

const good = { reference: 'CDR-1', usageProductInventoryId: 1, chargeGroupId: 2, startTime: '2025-06-02T09:00:00Z', quantity: 95 };

const anyValue = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -5, max: 5 }),
  fc.constantFrom(0, 1, 1.5, 0.000001, 0.0000001, 12.3456, 12.34567, 999_999_999, 1_000_000_000, Number.MAX_SAFE_INTEGER, 2 ** 53, -0.5, 1e21),
  fc.double(),
  fc.string({ maxLength: 5 }),
  fc.constantFrom('', 'a b', 'x'.repeat(100), 'x'.repeat(101), '2025-06-02T09:00:00Z', '2025-06-02T09:00:00+01:00', '2025-02-30T09:00:00Z', '2025-06-02', 'CDR-é'),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
);

const FIELDS = ['reference', 'usageProductInventoryId', 'chargeGroupId', 'startTime', 'quantity', 'cost', 'extra'] as const;

/** The good record with some fields replaced by anything (undefined leaves the field out). */
const record = fc.dictionary(fc.constantFrom(...FIELDS), anyValue, { maxKeys: 3 }).map((changes) => {
  const r: Record<string, unknown> = { ...good };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete r[key];
    else r[key] = value;
  }
  return r;
});

describe('isPlainUsageRecordsRequest', () => {
  it('accepts only bodies zod accepts, unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 0, maxLength: 4 }), async (records) => {
        const body = JSON.parse(JSON.stringify({ records }));
        if (!isPlainUsageRecordsRequest(body)) return;
        const parsed = await UsageRecordsRequest.safeParseAsync(body);
        expect(parsed.success).toBe(true);
        expect(parsed.data).toEqual(body);
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts the usual body and leaves the rest to zod', () => {
    expect(isPlainUsageRecordsRequest({ records: [good, { ...good, reference: 'CDR-2', cost: 1.2345, quantity: 0.5 }, { ...good, cost: null }] })).toBe(true);
    expect(isPlainUsageRecordsRequest({ records: [] })).toBe(false);
    expect(isPlainUsageRecordsRequest({ records: [good], more: 1 })).toBe(false);
    expect(isPlainUsageRecordsRequest({ records: Array.from({ length: 1001 }, () => good) })).toBe(false);
    expect(isPlainUsageRecordsRequest({ records: [{ ...good, cost: 1.23456 }] })).toBe(false);
    expect(isPlainUsageRecordsRequest({ records: [{ ...good, extra: 1 }] })).toBe(false);
    expect(isPlainUsageRecordsRequest({ records: [{ ...good, startTime: '2025-06-02' }] })).toBe(false);
    expect(isPlainUsageRecordsRequest([good])).toBe(false);
  });
});
