/**
 * The date range of lifecycle.md's settled questions: every date the API accepts
 * lies in 1900-01-01 … 2199-12-31 (body fields, query filters, the job's asOf);
 * outside is a 400 naming the field, and windows reaching past it are clamped.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as f from '../helpers/factories';
import { expectProblem, type Harness, harness, type Owner, unique } from '../helpers/harness';

let h: Harness;
let owner: Owner;
let customerId: number;
let profileId: number;

beforeAll(async () => {
  h = await harness();
  owner = await h.newOwner();
  customerId = (await f.customer(owner)).id;
  const p = await owner.api.create('/v1/contract-profiles', {
    contractOwnerId: owner.id,
    name: unique('Rolling '),
    contractTerm: 12,
    earlyTerminationFixedCharge: 0,
    earlyTerminationPercentageCharge: 0,
    noticePeriodDays: 2147483647,
  });
  profileId = p.id;
  const res = await owner.api.patch(`/v1/contract-profiles/${p.id}`, [{ op: 'replace', path: '/rolloverContractProfileId', value: p.id }]);
  expect(res.status, res.text).toBe(200);
});

const paths = (problem: any) => (problem.errors ?? []).map((e: any) => e.path);

describe('dates outside 1900-01-01 … 2199-12-31', () => {
  for (const startDate of ['9999-01-01', '1899-12-31', '2200-01-01', '0001-01-01']) {
    it(`refuses a contract starting ${startDate} (400 naming startDate)`, async () => {
      const res = await owner.api.post('/v1/customer-contracts', { customerId, contractProfileId: profileId, startDate });
      expect(paths(expectProblem(res, 400))).toContain('/startDate');
    });
  }

  it('accepts the first and the last day of the range', async () => {
    for (const startDate of ['1900-01-01', '2199-12-31']) {
      const res = await owner.api.post('/v1/customer-contracts', { customerId, contractProfileId: profileId, startDate });
      expect(res.status, res.text).toBe(201);
    }
  });

  it('refuses an out-of-range date in a PATCH (400 naming the path)', async () => {
    const c = await owner.api.create('/v1/customer-contracts', { customerId, contractProfileId: profileId, startDate: '2190-01-01' });
    const res = await owner.api.patch(`/v1/customer-contracts/${c.id}`, [{ op: 'replace', path: '/endDate', value: '2200-06-30' }]);
    expect(paths(expectProblem(res, 400))).toContain('/endDate');
  });

  it('refuses out-of-range dates in other resources', async () => {
    const res = await owner.api.post('/v1/rental-product-categories', { contractOwnerId: owner.id, name: unique('C '), startDate: '1899-01-01' });
    expect(paths(expectProblem(res, 400))).toContain('/startDate');
  });

  it('refuses an out-of-range date filter (400 naming the parameter)', async () => {
    for (const value of ['ge:9999-01-01', '1899-12-31', 'lt:2200-01-01,ge:2000-01-01', 'gtn:0001-01-01']) {
      const res = await owner.api.get('/v1/customer-contracts', { startDate: value });
      expect(paths(expectProblem(res, 400)), value).toContain('query.startDate');
    }
  });

  it('refuses an out-of-range query date of a computed list', async () => {
    const res = await owner.api.get('/v2/rental-charges', { customerId, from: '2199-01-01', to: '2200-01-01' });
    expect(paths(expectProblem(res, 400))).toContain('query.to');
    const etc = await owner.api.get('/v1/rental-etcs', { customerId, calculationDate: '1850-01-01' });
    expect(paths(expectProblem(etc, 400))).toContain('query.calculationDate');
  });

  it('refuses an out-of-range asOf and writes no run', async () => {
    const before = await owner.api.get('/v1/jobs/runs');
    for (const asOf of ['9999-12-31', '1899-12-31']) {
      const res = await owner.api.post('/v1/jobs/rollover', { asOf });
      expect(paths(expectProblem(res, 400))).toContain('/asOf');
    }
    const after = await owner.api.get('/v1/jobs/runs');
    expect(after.headers.get('x-total-count')).toBe(before.headers.get('x-total-count'));
  });

  it('runs a rollover at the end of the range: every renewal moves forward, and windows are clamped', async () => {
    const other = await h.newOwner();
    const cust = await f.customer(other);
    const p = await other.api.create('/v1/contract-profiles', {
      contractOwnerId: other.id,
      name: unique('Rolling '),
      contractTerm: 12,
      earlyTerminationFixedCharge: 0,
      earlyTerminationPercentageCharge: 0,
      noticePeriodDays: 2147483647,
    });
    await other.api.patch(`/v1/contract-profiles/${p.id}`, [{ op: 'replace', path: '/rolloverContractProfileId', value: p.id }]);
    const c = await other.api.create('/v1/customer-contracts', { customerId: cust.id, contractProfileId: p.id, startDate: '2197-01-01' });
    expect(c.endDate).toBe('2197-12-31');
    const res = await other.api.post('/v1/jobs/rollover', { asOf: '2199-12-31' });
    expect(res.status, res.text).toBe(200);
    expect(res.body.renewed).toBe(2);
    expect(res.body.errors).toBe(0);
    const list = await other.api.get('/v1/customer-contracts', { sort: 'startDate', includeSupersededVersions: 'true' });
    expect(list.body.map((x: any) => [x.startDate, x.endDate])).toEqual([
      ['2197-01-01', '2197-12-31'],
      ['2198-01-01', '2198-12-31'],
      ['2199-01-01', '2199-12-31'],
    ]);
    // the notice window of 2147483647 days reaches far before 1900: clamped, never an error
    const notice = await other.api.get('/v1/customer-contracts', { noticePeriod: 'true' });
    expect(notice.status, notice.text).toBe(200);
  });
});
