/**
 * Rating a batch of usage records (v2-pricing.md §Usage rating) and writing it at
 * once: the records, the allowance buckets they drew from and the
 * `inclusive_usage_balance.exhausted` events, in one batch.
 *
 * 1. References: every UPI and charge group must be visible (404 naming the
 *    record's field) and of one owner (422).
 * 2. Pricing: a handful of set-based queries load every card, rate, time band plan,
 *    plan and component the batch can need (services/pricing-lookups.ts).
 * 3. Rating: each record in order with `rateUsageRecord`; the next record sees the
 *    buckets as the previous ones left them.
 * 4. Writing: one batch of at most 8 set-based statements (rows travel as one JSON
 *    parameter each), whatever the batch size. A reference already stored for the
 *    UPI returns its first rating and writes nothing.
 *
 * Concurrency without locks: every bucket update is conditional on the `used` value
 * that was read, and the batch aborts (all or nothing) unless every conditional
 * write touched its row; the same holds for new buckets and new records (a
 * concurrent batch that stored the same key first). On such an abort the batch is
 * read and rated again, a few times, then answered 409. So two batches drawing one
 * allowance at once never overdraw it, and a reference is rated once.
 */
import { type Ctx, eventsWritten, yieldToEventLoop } from '../../db/context';
import { isGuardAbort, reserveIds } from '../../db/client';
import { conflict } from '../../errors';
import { loadPricing } from './pricing';
import { rateBatch } from './rating';
import type { UsageRecordInput, UsageRecordResult } from './records';
import { prepare } from './references';
import { writeBatch } from './writing';

export const MAX_RECORDS_PER_BATCH = 1000;
/** reads and ratings of one batch before it gives up on allowances other batches keep changing */
const MAX_ATTEMPTS = 5;

/** Rates and stores a batch; one result per record, in order. */
export async function postUsageRecords(ctx: Ctx, records: readonly UsageRecordInput[]): Promise<UsageRecordResult[]> {
  // the event loop serves others between the steps (their responses flush, their bodies are read): a batch is
  // tens of milliseconds of work that the embedded database's calls never interrupt; reading the allowances,
  // rating and writing stay one stretch, so no other batch gets in between them
  const prepared = await prepare(ctx, records);
  await yieldToEventLoop();
  const pricing = await loadPricing(ctx, prepared);
  await yieldToEventLoop();
  for (let attempt = 1; ; attempt++) {
    // ids first: between reading the buckets and writing them there is then no other await to let a
    // concurrent batch in (repeated references leave gaps in the range, as any unused id does)
    const firstId = await reserveIds(ctx.db, 'usage_records', prepared.length);
    const batch = await rateBatch(ctx, prepared, pricing);
    if (batch.fresh.length === 0) return batch.results;
    try {
      await writeBatch(ctx, batch, firstId);
    } catch (error) {
      if (!isGuardAbort(error)) throw error;
      if (attempt === MAX_ATTEMPTS) {
        throw conflict('Other requests kept changing the same inclusive usage balances or references; retry the batch (records already stored are not rated twice)');
      }
      continue;
    }
    eventsWritten(ctx, batch.events.map((e) => e.ownerId));
    return batch.results;
  }
}
