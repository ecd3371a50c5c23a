/** Regular termination by notice (the service the instellix surface calls), then the lifecycle job, on both runtimes. */
import { beforeAll, describe, expect, it } from 'vitest';
import { systemCtx } from '../../src/db/context';
import { customerContractService, terminateByNotice } from '../../src/services/customer-contracts';
import * as f from '../helpers/factories';
import { type Harness, harness, type Owner, unique } from '../helpers/harness';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

async function contract(owner: Owner) {
  const p = await owner.api.create('/v1/contract-profiles', {
    contractOwnerId: owner.id, name: unique('P '), contractTerm: 12, earlyTerminationFixedCharge: 99, earlyTerminationPercentageCharge: 100, noticePeriodDays: 30,
  });
  await owner.api.patch(`/v1/contract-profiles/${p.id}`, [{ op: 'replace', path: '/rolloverContractProfileId', value: p.id }]);
  const customer = await f.customer(owner);
  return owner.api.create('/v1/customer-contracts', { customerId: customer.id, contractProfileId: p.id, startDate: '2025-01-01' });
}

async function noticeOn(id: number, noticeDate: string) {
  const ctx = systemCtx(h.runtime.deps, Date.now(), 'test');
  const row = await customerContractService.find(ctx, id);
  return terminateByNotice(ctx, row!, noticeDate, 'moving supplier');
}

const rollover = async (owner: Owner, asOf: string) => (await owner.api.post('/v1/jobs/rollover', { asOf })).body;

describe('regular termination by notice', () => {
  it('ends at this term when notice comes exactly on the cut-off day, without a charge', async () => {
    const owner = await h.newOwner();
    const c = await contract(owner);
    const row = await noticeOn(c.id, '2025-12-01'); // 2025-12-31 − 30 days
    expect(row).toMatchObject({ terminationType: 'REGULAR', terminationDate: '2025-12-31', noticeDate: '2025-12-01', rolloverContractProfileId: null, earlyTerminationCharge: null });
    expect(await rollover(owner, '2026-01-02')).toMatchObject({ renewed: 0, terminated: 1, expired: 0 });
    expect((await owner.api.get(`/v1/customer-contracts/${c.id}`)).body).toMatchObject({ status: 'TERMINATED', endDate: '2025-12-31' });
  });

  it('renews once more when notice is late, and the renewal ends at the next term end', async () => {
    const owner = await h.newOwner();
    const c = await contract(owner);
    const row = await noticeOn(c.id, '2025-12-02');
    expect(row).toMatchObject({ terminationDate: '2026-12-31', rolloverContractProfileId: c.rolloverContractProfileId });
    expect((await owner.api.get(`/v1/customer-contracts/${c.id}`)).body.status).not.toBe('TERMINATED');
    expect((await rollover(owner, '2026-01-02')).renewed).toBe(1);
    const renewalId = (await owner.api.get(`/v1/customer-contracts/${c.id}`)).body.renewedCustomerContractId;
    const renewal = (await owner.api.get(`/v1/customer-contracts/${renewalId}`)).body;
    expect(renewal).toMatchObject({ startDate: '2026-01-01', endDate: '2026-12-31', terminationDate: '2026-12-31', rolloverContractProfileId: null });
    // the chain ends there: the job settles the renewal as terminated and renews nothing more
    expect(await rollover(owner, '2027-01-02')).toMatchObject({ renewed: 0, terminated: 1 });
    expect((await owner.api.get(`/v1/customer-contracts/${renewalId}`)).body.renewedCustomerContractId).toBeNull();
  });

  it('refuses a second termination', async () => {
    const owner = await h.newOwner();
    const c = await contract(owner);
    await noticeOn(c.id, '2025-06-01');
    await expect(noticeOn(c.id, '2025-06-02')).rejects.toMatchObject({ kind: 'conflict' });
  });
});
