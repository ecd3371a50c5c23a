/**
 * `POST /v1/customer-contracts/{id}/terminate` (lifecycle.md, settled questions) on
 * both runtimes: the brief's example — a 12-month contract from 2025-01-01 with 60
 * days' notice — through the route and the lifecycle job.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as f from '../helpers/factories';
import { expectProblem, type Harness, harness, type Owner } from '../helpers/harness';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

/** 12 months from 2025-01-01, renewing into its own profile, 60 days' notice, with a rented and priced RPI (so an ETC would show). */
async function yearly(owner: Owner) {
  const profile = await f.contractProfile(owner, { contractTerm: 12, noticePeriodDays: 60, earlyTerminationFixedCharge: 99, earlyTerminationPercentageCharge: 100 });
  await owner.api.patch(`/v1/contract-profiles/${profile.id}`, [{ op: 'replace', path: '/rolloverContractProfileId', value: profile.id }]);
  const site = await f.site(owner);
  const contract = await f.customerContract(owner, { customerId: site.customerId, contractProfileId: profile.id, startDate: '2025-01-01' });
  const inventory = await f.rpi(owner, { siteId: site.id });
  await f.contractAssignment(owner, inventory.id, contract.id);
  return contract;
}

const terminate = (owner: Owner, id: number, body: unknown) => owner.api.post(`/v1/customer-contracts/${id}/terminate`, body);
const rollover = async (owner: Owner, asOf: string) => (await owner.api.post('/v1/jobs/rollover', { asOf })).body;

describe('regular termination on /v1', () => {
  it('ends the term on 2025-12-31 for notice given on the cut-off day 2025-11-01, with no charge', async () => {
    const owner = await h.newOwner();
    const c = await yearly(owner);
    const res = await terminate(owner, c.id, { noticeDate: '2025-11-01', reason: 'moving supplier' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: c.id, endDate: '2025-12-31', terminationDate: '2025-12-31', earlyTerminationCharge: null, rolloverContractProfileId: null });
    expect(res.headers.get('etag')).toBe(`"${res.body.version}"`);
    expect(await rollover(owner, '2026-01-02')).toMatchObject({ renewed: 0, terminated: 1 });
    expect((await owner.api.get(`/v1/customer-contracts/${c.id}`)).body).toMatchObject({ status: 'TERMINATED', endDate: '2025-12-31', renewedCustomerContractId: null });
  });

  it('renews once more for notice given a day late (2025-11-02); the renewal is marked to end on 2026-12-31, with no charge', async () => {
    const owner = await h.newOwner();
    const c = await yearly(owner);
    const res = await terminate(owner, c.id, { noticeDate: '2025-11-02' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ endDate: '2025-12-31', terminationDate: '2026-12-31', earlyTerminationCharge: null, rolloverContractProfileId: c.rolloverContractProfileId });
    expect(await rollover(owner, '2026-01-02')).toMatchObject({ renewed: 1 });
    const renewalId = (await owner.api.get(`/v1/customer-contracts/${c.id}`)).body.renewedCustomerContractId;
    const renewal = (await owner.api.get(`/v1/customer-contracts/${renewalId}`)).body;
    expect(renewal).toMatchObject({ startDate: '2026-01-01', endDate: '2026-12-31', terminationDate: '2026-12-31', rolloverContractProfileId: null, earlyTerminationCharge: null });
    // the job ends the chain there
    expect(await rollover(owner, '2027-01-02')).toMatchObject({ renewed: 0, terminated: 1 });
    expect((await owner.api.get(`/v1/customer-contracts/${renewalId}`)).body).toMatchObject({ endDate: '2026-12-31', renewedCustomerContractId: null });
  });

  it('refuses a notice later than the next cut-off (2026-11-01) with 409, changing nothing', async () => {
    const owner = await h.newOwner();
    const c = await yearly(owner);
    const before = (await owner.api.get(`/v1/customer-contracts/${c.id}`)).body;
    const problem = expectProblem(await terminate(owner, c.id, { noticeDate: '2026-11-02' }), 409);
    expect(problem.detail).toContain('2026-11-01');
    expect(problem.cutOffDate).toBe('2026-11-01');
    expect((await owner.api.get(`/v1/customer-contracts/${c.id}`)).body).toEqual(before);
    // on the next cut-off itself it is accepted
    expect((await terminate(owner, c.id, { noticeDate: '2026-11-01' })).body.terminationDate).toBe('2026-12-31');
  });

  it('refuses a second termination and a renewed contract (409), bad bodies (400), other owners and absent contracts (404)', async () => {
    const owner = await h.newOwner();
    const c = await yearly(owner);
    expect((await terminate(owner, c.id, { noticeDate: '2025-06-01' })).status).toBe(200);
    expectProblem(await terminate(owner, c.id, { noticeDate: '2025-06-02' }), 409);

    // a renewed contract: the current one of its chain is the one to terminate
    const renewing = await yearly(owner);
    await rollover(owner, '2026-01-02');
    const renewed = (await owner.api.get(`/v1/customer-contracts/${renewing.id}`)).body;
    expect(renewed.renewedCustomerContractId).not.toBeNull();
    expect(expectProblem(await terminate(owner, renewing.id, { noticeDate: '2025-06-01' }), 409).detail).toContain(String(renewed.renewedCustomerContractId));

    const fresh = await yearly(owner);
    const other = await h.newOwner();
    expectProblem(await terminate(other, fresh.id, { noticeDate: '2025-06-01' }), 404);
    expectProblem(await terminate(owner, fresh.id, {}), 400);
    expectProblem(await terminate(owner, fresh.id, { noticeDate: '2025-02-30' }), 400);
    expectProblem(await terminate(owner, fresh.id, { noticeDate: '2025-06-01', colour: 'red' }), 400);
    expect((await owner.api.get(`/v1/customer-contracts/${fresh.id}`)).body.terminationDate).toBeNull();
    expectProblem(await terminate(owner, 987654321, { noticeDate: '2025-06-01' }), 404);
    expectProblem(await owner.api.get(`/v1/customer-contracts/${c.id}/terminate`), 405);
  });
});
