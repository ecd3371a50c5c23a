/**
 * Two lifecycle runs at the same time fire each alert once (a unique record per
 * contract, kind and end date), and their reports count what each of them
 * actually inserted: the two counts add up to the events written.
 */
import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { outboxEvents } from '../../src/db/schema';
import * as f from '../helpers/factories';
import { harness, unique } from '../helpers/harness';

it('counts in each overlapping run only the alerts it inserted', async () => {
  const h = await harness();
  const owner = await h.newOwner();
  const customer = await f.customer(owner);
  const profile = await owner.api.create('/v1/contract-profiles', {
    contractOwnerId: owner.id,
    name: unique('P '),
    contractTerm: 12,
    earlyTerminationFixedCharge: 0,
    earlyTerminationPercentageCharge: 0,
    noticePeriodDays: 60,
  });
  const contracts = 40;
  for (let i = 0; i < contracts; i++) {
    await owner.api.create('/v1/customer-contracts', { customerId: customer.id, contractProfileId: profile.id, startDate: '2025-01-01' });
  }
  // both windows are open on 2025-12-20: 2 alerts per contract
  for (let round = 0; round < 3; round++) {
    const asOf = `2025-12-2${round}`;
    const runs = await Promise.all([1, 2, 3].map(() => owner.api.post('/v1/jobs/rollover', { asOf })));
    for (const run of runs) expect(run.status, run.text).toBe(200);
    const counted = runs.reduce((sum, run) => sum + run.body.alerts, 0);
    // the first round writes every alert, once; later rounds find them all sent
    expect(counted).toBe(round === 0 ? contracts * 2 : 0);
  }
  const events = await h.runtime.deps.database.db.select({ type: outboxEvents.type }).from(outboxEvents).where(eq(outboxEvents.contractOwnerId, owner.id));
  expect(events.filter((e) => e.type === 'customer_contract.renewal_alert')).toHaveLength(contracts);
  expect(events.filter((e) => e.type === 'customer_contract.notice_period')).toHaveLength(contracts);
});
