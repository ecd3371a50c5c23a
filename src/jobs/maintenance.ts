import { lt } from 'drizzle-orm';
import type { Deps } from '../db/context';
import { idempotencyKeys } from '../db/schema';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Drops idempotency records past their 24 hours. */
export async function purgeIdempotencyKeys(deps: Deps, now: number): Promise<{ purged: number }> {
  const deleted = await deps.database.db
    .delete(idempotencyKeys)
    .where(lt(idempotencyKeys.createdAt, now - DAY_MS))
    .returning({ key: idempotencyKeys.key });
  return { purged: deleted.length };
}
