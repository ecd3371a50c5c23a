/**
 * The work port on Node: items the Worker would queue run in process, by the same
 * function its queue consumer calls, and a second run of an item changes nothing.
 */
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { checkChains, insertDueContracts } from '../helpers/due-contracts';
import { createRuntime } from '../helpers/runtime.node';

it('runs a renew item in process: its contracts and their catch-up renewals, once', async () => {
  const { deps } = await createRuntime();
  expect(deps.work.deferred).toBe(false);
  const d = new Date();
  const start = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 2, 1)).toISOString().slice(0, 10);
  const { ownerId } = await insertDueContracts(deps.database, 5, start);
  const ids = (await deps.database.db.all<{ id: number }>(sql`select id from customer_contracts where contract_owner_id = ${ownerId} order by id`)).map((r) => r.id);
  // four of the five: the fifth is left alone
  await deps.work.send([{ kind: 'renew', ownerId, ids: ids.slice(0, 4) }]);
  const after = await checkChains(deps.database, ownerId);
  // two terms behind: each of the four renewed twice (the item follows its own renewals)
  expect(after).toMatchObject({ renewals: 8, problems: [], activeAssignments: 5 });
  await deps.work.send([{ kind: 'renew', ownerId, ids: ids.slice(0, 4) }]);
  expect(await checkChains(deps.database, ownerId)).toEqual(after);
});
