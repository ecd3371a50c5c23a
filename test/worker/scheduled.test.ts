/** The Worker's scheduled() inside workerd against D1: the hourly cron runs the lifecycle job. */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, expect, it } from 'vitest';
import worker, { type Env } from '../../src/worker';
import * as f from '../helpers/factories';
import { capturingEnv, drain } from './work-queue';
import { type Harness, harness, unique } from '../helpers/harness';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

it('renews due contracts and records a cron run when the hourly trigger fires', async () => {
  const owner = await h.newOwner();
  const p = await owner.api.create('/v1/contract-profiles', {
    contractOwnerId: owner.id, name: unique('P '), contractTerm: 12, earlyTerminationFixedCharge: 0, earlyTerminationPercentageCharge: 0,
  });
  await owner.api.patch(`/v1/contract-profiles/${p.id}`, [{ op: 'replace', path: '/rolloverContractProfileId', value: p.id }]);
  const customer = await f.customer(owner);
  // started two years ago: two terms have ended, so the cron renews twice (catch-up)
  const c = await owner.api.create('/v1/customer-contracts', { customerId: customer.id, contractProfileId: p.id, startDate: '2024-11-01' });

  // the trigger queues what is due (its producer keeps the messages here); the consumer then runs them
  const { env: testEnv, sent } = capturingEnv();
  const controller = createScheduledController({ scheduledTime: Date.now(), cron: '0 * * * *' });
  const ctx = createExecutionContext();
  await worker.scheduled(controller as never, testEnv, ctx as never);
  await waitOnExecutionContext(ctx);
  expect(sent.some((i) => i.kind === 'renew')).toBe(true);
  await drain(testEnv, sent);

  const first = (await owner.api.get(`/v1/customer-contracts/${c.id}`)).body;
  expect(first.status).toBe('RENEWED');
  const second = (await owner.api.get(`/v1/customer-contracts/${first.renewedCustomerContractId}`)).body;
  expect(second).toMatchObject({ startDate: '2025-11-01', endDate: '2026-10-31', status: 'RENEWED' });
  const third = (await owner.api.get(`/v1/customer-contracts/${second.renewedCustomerContractId}`)).body;
  expect(third).toMatchObject({ startDate: '2026-11-01', endDate: '2027-10-31', renewedCustomerContractId: null });

  const runs = (await h.admin.get('/v1/jobs/runs', { trigger: 'cron' })).body;
  expect(runs.length).toBeGreaterThanOrEqual(1);
  expect(runs.at(-1)).toMatchObject({ trigger: 'cron', outcome: 'COMPLETED', owners: ['*'] });
  expect(runs.at(-1).renewed).toBeGreaterThanOrEqual(2);
});

it('runs nothing for a cron string it has no job for', async () => {
  const before = (await h.admin.get('/v1/jobs/runs')).headers.get('x-total-count');
  const controller = createScheduledController({ scheduledTime: Date.now(), cron: '*/5 * * * *' });
  const ctx = createExecutionContext();
  await worker.scheduled(controller as never, env as unknown as Env, ctx as never);
  await waitOnExecutionContext(ctx);
  expect((await h.admin.get('/v1/jobs/runs')).headers.get('x-total-count')).toBe(before);
});
