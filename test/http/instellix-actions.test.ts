/**
 * The instellix termination actions on both runtimes: regular (by notice, no
 * charge), extraordinary (on a date, ETC charged as a /v1 early termination),
 * moving a termination earlier, and the bulk forms, all or nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { changedTables, fingerprint } from '../helpers/fingerprint';
import { expectProblem, type Harness, harness } from '../helpers/harness';
import { type Catalogue, catalogue, contract } from '../helpers/instellix';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

const action = (c: Catalogue, ident: string, name: string, body?: unknown) =>
  c.owner.api.request('POST', `/v2/contracts/${ident}/actions/${name}`, body === undefined ? {} : { body });
const bulk = (c: Catalogue, name: string, body: unknown) => c.owner.api.post(`/v2/contracts/actions/${name}`, body);

/** What GET /v1/rental-etcs quotes for the contract's RPIs on a date, summed. */
async function quotedEtc(c: Catalogue, contractId: number, date: string): Promise<number> {
  const res = await c.owner.api.get('/v1/rental-etcs', { customerId: c.debtorId, calculationDate: date });
  expect(res.status).toBe(200);
  const mine = res.body.filter((e: any) => e.customerContractId === contractId);
  expect(mine.length).toBeGreaterThan(0);
  return Math.round(mine.reduce((sum: number, e: any) => sum + e.amountInMajorCurrency, 0) * 100) / 100;
}

/** Every row of the owner, to show a refused request changed nothing. */
const snapshot = (c: Catalogue) => fingerprint(h.runtime.deps.database, c.owner.id);

describe('terminate (regular, by notice)', () => {
  // the plan: 12 months from 2025-01-01, renewing, 2 MONTHs' notice = 60 days → cut-off 2025-11-01
  it('ends this term for notice on the cut-off, the next one for notice a day later, and refuses a notice after the next cut-off', async () => {
    const c = await catalogue(h);
    const inTime = await contract(c);
    const res = await action(c, inTime.contractIdent, 'terminate', { noticeDate: '2025-11-01', reason: 'moving supplier' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      contractIdent: inTime.contractIdent,
      endDate: '2025-12-31',
      autoRenewal: false,
      termination: { type: 'REGULAR', noticeDate: '2025-11-01', terminationDate: '2025-12-31', reason: 'moving supplier', earlyTerminationCharge: null },
    });

    const late = await contract(c);
    const later = (await action(c, late.contractIdent, 'terminate', { noticeDate: '2025-11-02T09:00:00+01:00' })).body;
    expect(later).toMatchObject({ endDate: '2026-12-31', autoRenewal: true, currentTerm: { endDate: '2025-12-31' }, termination: { type: 'REGULAR', terminationDate: '2026-12-31', earlyTerminationCharge: null } });
    // the renewal carries the termination and ends there
    await c.owner.api.post('/v1/jobs/rollover', { asOf: '2026-01-02' });
    expect((await c.owner.api.get(`/v2/contracts/${late.contractIdent}`)).body).toMatchObject({
      currentTerm: { startDate: '2026-01-01', endDate: '2026-12-31' },
      endDate: '2026-12-31',
      autoRenewal: false,
      termination: { type: 'REGULAR', terminationDate: '2026-12-31' },
    });

    const tooLate = await contract(c);
    const before = await snapshot(c);
    const problem = expectProblem(await action(c, tooLate.contractIdent, 'terminate', { noticeDate: '2026-11-02' }), 409);
    expect(problem.cutOffDate).toBe('2026-11-01');
    expect(changedTables(before, await snapshot(c))).toEqual([]);
  });

  it('refuses to terminate a terminated contract again, by either action (409)', async () => {
    const c = await catalogue(h);
    const once = await contract(c);
    expect((await action(c, once.contractIdent, 'terminate', { noticeDate: '2025-05-01' })).status).toBe(200);
    const before = await snapshot(c);
    expectProblem(await action(c, once.contractIdent, 'terminate', { noticeDate: '2025-05-02' }), 409);
    expectProblem(await action(c, once.contractIdent, 'terminate-extraordinarily', { terminationDate: '2025-06-30' }), 409);
    expect(changedTables(before, await snapshot(c))).toEqual([]);
  });

  it('takes notice on the owner’s today when noticeDate is left out (a body is optional)', async () => {
    const c = await catalogue(h);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date());
    // starts tomorrow-ish: a term of 12 months from this month
    const created = await contract(c, { startDate: today });
    const res = await action(c, created.contractIdent, 'terminate');
    expect(res.status).toBe(200);
    expect(res.body.termination).toMatchObject({ type: 'REGULAR', noticeDate: today, terminationDate: created.currentTerm.endDate });
  });
});

describe('terminate-extraordinarily', () => {
  it('ends the contract on the date, stops its renewal and charges the ETC /v1 quotes for that date', async () => {
    const c = await catalogue(h);
    const created = await contract(c, { optionQuantities: [{ optionIdent: 'line', quantity: 2 }] });
    const quote = await quotedEtc(c, created.contractId, '2025-06-30');
    // 50 per RPI plus 100 % of the rental left (July–December): more than the fixed part alone
    expect(quote).toBeGreaterThan(100);
    const res = await action(c, created.contractIdent, 'terminate-extraordinarily', { terminationDate: '2025-06-30', reason: 'insolvency' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      endDate: '2025-06-30',
      autoRenewal: false,
      currentTerm: { startDate: '2025-01-01', endDate: '2025-06-30' },
      termination: { type: 'EXTRAORDINARY', terminationDate: '2025-06-30', reason: 'insolvency', earlyTerminationCharge: quote },
    });
    const v1 = (await c.owner.api.get(`/v1/customer-contracts/${created.contractId}`)).body;
    expect(v1).toMatchObject({ endDate: '2025-06-30', terminationDate: '2025-06-30', earlyTerminationCharge: quote, rolloverContractProfileId: null, status: 'TERMINATED' });
    // the job settles it as terminated, it does not renew
    expect((await c.owner.api.post('/v1/jobs/rollover', { asOf: '2025-07-02' })).body).toMatchObject({ renewed: 0 });
  });

  it('defaults to the owner’s today, and refuses a date outside the current term (422)', async () => {
    const c = await catalogue(h);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date());
    const current = await contract(c, { startDate: today });
    const res = await action(c, current.contractIdent, 'terminate-extraordinarily', {});
    expect(res.body.termination).toMatchObject({ type: 'EXTRAORDINARY', terminationDate: today });

    const created = await contract(c);
    const before = await snapshot(c);
    expect(expectProblem(await action(c, created.contractIdent, 'terminate-extraordinarily', { terminationDate: '2026-01-01' }), 422).errors[0].path).toBe('/terminationDate');
    expect(expectProblem(await action(c, created.contractIdent, 'terminate-extraordinarily', { terminationDate: '2024-12-31' }), 422).errors[0].path).toBe('/terminationDate');
    expectProblem(await action(c, created.contractIdent, 'terminate-extraordinarily', { terminationDate: 'soon' }), 400);
    expect(changedTables(before, await snapshot(c))).toEqual([]);
  });
});

describe('termination-adaptation', () => {
  it('moves a regular termination of the next term to this term’s end by an earlier notice, without a charge', async () => {
    const c = await catalogue(h);
    const created = await contract(c);
    await action(c, created.contractIdent, 'terminate', { noticeDate: '2025-11-15' });
    const res = await action(c, created.contractIdent, 'termination-adaptation', { noticeDate: '2025-10-01', reason: 'notice found earlier' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ endDate: '2025-12-31', autoRenewal: false, termination: { type: 'REGULAR', noticeDate: '2025-10-01', terminationDate: '2025-12-31', earlyTerminationCharge: null, reason: 'notice found earlier' } });
  });

  it('moves a termination to an earlier date as an extraordinary one, with its ETC', async () => {
    const c = await catalogue(h);
    const created = await contract(c);
    await action(c, created.contractIdent, 'terminate', { noticeDate: '2025-09-01' });
    const quote = await quotedEtc(c, created.contractId, '2025-09-30');
    const res = await action(c, created.contractIdent, 'termination-adaptation', { terminationDate: '2025-09-30' });
    expect(res.body).toMatchObject({ endDate: '2025-09-30', termination: { type: 'EXTRAORDINARY', terminationDate: '2025-09-30', earlyTerminationCharge: quote } });
    // and earlier again
    const again = await action(c, created.contractIdent, 'termination-adaptation', { terminationDate: '2025-08-31' });
    expect(again.body.termination).toMatchObject({ terminationDate: '2025-08-31' });
  });

  it('refuses an adaptation that is not earlier (422) or of a contract that is not terminated (409)', async () => {
    const c = await catalogue(h);
    const created = await contract(c);
    let before = await snapshot(c);
    expectProblem(await action(c, created.contractIdent, 'termination-adaptation', { terminationDate: '2025-06-30' }), 409);
    expect(changedTables(before, await snapshot(c))).toEqual([]);
    await action(c, created.contractIdent, 'terminate-extraordinarily', { terminationDate: '2025-06-30' });
    before = await snapshot(c);
    for (const body of [{ terminationDate: '2025-06-30' }, { terminationDate: '2025-07-15' }, { noticeDate: '2025-03-01' }]) {
      expectProblem(await action(c, created.contractIdent, 'termination-adaptation', body), 422);
    }
    expect(changedTables(before, await snapshot(c))).toEqual([]);
  });
});

describe('bulk actions', () => {
  it('terminate every contract listed (204)', async () => {
    const c = await catalogue(h);
    const [a, b] = [await contract(c), await contract(c)];
    const res = await bulk(c, 'terminate', { idents: [a.contractIdent, b.contractIdent], noticeDate: '2025-10-01', reason: 'portfolio sale' });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    for (const x of [a, b]) {
      expect((await c.owner.api.get(`/v2/contracts/${x.contractIdent}`)).body.termination).toMatchObject({ type: 'REGULAR', terminationDate: '2025-12-31', reason: 'portfolio sale' });
    }
    const [d, e] = [await contract(c), await contract(c)];
    expect((await bulk(c, 'terminate-extraordinarily', { idents: [d.contractIdent, e.contractIdent], terminationDate: '2025-03-31' })).status).toBe(204);
    const quote = await quotedEtc(c, (await contract(c)).contractId, '2025-03-31');
    for (const x of [d, e]) {
      expect((await c.owner.api.get(`/v2/contracts/${x.contractIdent}`)).body).toMatchObject({ endDate: '2025-03-31', termination: { type: 'EXTRAORDINARY', earlyTerminationCharge: quote } });
    }
  });

  it('terminate none when any ident fails, naming it: unknown (404), terminated already (409), listed twice (400), too late (409)', async () => {
    const c = await catalogue(h);
    const [a, b] = [await contract(c), await contract(c)];
    await action(c, b.contractIdent, 'terminate', { noticeDate: '2025-05-01' });
    const before = await snapshot(c);
    const cases: Array<[string, unknown, number, string]> = [
      ['terminate', { idents: [a.contractIdent, 'no-such-contract'], noticeDate: '2025-10-01' }, 404, '/idents/1'],
      ['terminate', { idents: [a.contractIdent, b.contractIdent], noticeDate: '2025-10-01' }, 409, '/idents/1'],
      ['terminate', { idents: [a.contractIdent, a.contractIdent] }, 400, '/idents/1'],
      ['terminate', { idents: [a.contractIdent], noticeDate: '2026-12-01' }, 409, '/idents/0'],
      ['terminate-extraordinarily', { idents: [a.contractIdent, b.contractIdent], terminationDate: '2025-03-31' }, 409, '/idents/1'],
      ['terminate-extraordinarily', { idents: [a.contractIdent], terminationDate: '2027-01-01' }, 422, '/idents/0'],
      ['terminate-extraordinarily', { idents: [] }, 400, '/idents'],
    ];
    for (const [name, body, status, path] of cases) {
      const problem = expectProblem(await bulk(c, name, body), status);
      expect(problem.errors[0].path, `${name} ${JSON.stringify(body)}`).toBe(path);
    }
    expect(changedTables(before, await snapshot(c))).toEqual([]);
    expect((await c.owner.api.get(`/v2/contracts/${a.contractIdent}`)).body.termination).toBeNull();
  });
});
