/**
 * The instellix dialect as its clients call it, on both runtimes: requests written
 * the way instellix's documentation shows them (seed 003's field names), each
 * answer checked against the shape /openapi.json documents for it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as f from '../helpers/factories';
import { expectProblem, type Harness, harness, signTestToken, unique } from '../helpers/harness';
import { catalogue, contract, contractBody, documentedResponse, shapeProblems } from '../helpers/instellix';
import { type ApiDocument, loadDocument } from '../helpers/openapi';

let h: Harness;
let doc: ApiDocument;
beforeAll(async () => {
  h = await harness();
  doc = await loadDocument(h);
});

const conforms = (method: string, path: string, status: number, body: unknown) =>
  expect(shapeProblems(documentedResponse(doc, method, path, status), body), `${method} ${path} → ${status}`).toEqual([]);

describe('a client written against instellix’s documentation', () => {
  it('creates a debtor, a plan and a contract and reads them back in the documented shapes', async () => {
    const owner = await h.newOwner({ timezone: 'Europe/Berlin' });
    const category = await f.rentalProductCategory(owner);
    const fibre = await f.rentalProduct(owner, category.id);
    const seats = await f.rentalProduct(owner, category.id);
    const discount = await f.rentalDiscountPlan(owner, { code: 'WELCOME10', availableFrom: '2025-01-01' });

    const debtor = await owner.api.post('/v2/debtors', { debtorIdent: 'cust-4711@shop', name: 'Müller & Söhne GmbH', email: 'rechnung@mueller.example', language: 'de' });
    expect(debtor.status).toBe(201);
    conforms('POST', '/v2/debtors', 201, debtor.body);
    expect(debtor.body).toMatchObject({ debtorIdent: 'cust-4711@shop', name: 'Müller & Söhne GmbH', contractOwnerId: owner.id, email: 'rechnung@mueller.example', language: 'de' });

    const plan = await owner.api.post('/v2/plans', {
      planIdent: 'business-fibre-2y',
      name: 'Business Fibre – 2 years',
      contractTerm: { value: 2, unit: 'YEAR' },
      noticePeriod: { value: 3, unit: 'MONTH' },
      autoRenewal: true,
      earlyTermination: { fixedCharge: 99.5, percentage: 50 },
      options: [
        { optionIdent: 'fibre-500', rentalProductId: fibre.id, name: 'Fibre 500' },
        { optionIdent: 'seats', rentalProductId: seats.id, name: 'Seats' },
      ],
      properties: [{ ident: 'segment', value: 'SMB' }],
    });
    expect(plan.status).toBe(201);
    conforms('POST', '/v2/plans', 201, plan.body);
    expect(plan.body).toMatchObject({
      planIdent: 'business-fibre-2y',
      contractTerm: { value: 2, unit: 'YEAR' },
      noticePeriod: { value: 3, unit: 'MONTH' },
      autoRenewal: true,
      earlyTermination: { fixedCharge: 99.5, percentage: 50 },
      options: [
        { optionIdent: 'fibre-500', rentalProductId: fibre.id, name: 'Fibre 500' },
        { optionIdent: 'seats', rentalProductId: seats.id, name: 'Seats' },
      ],
      properties: [{ ident: 'segment', value: 'SMB' }],
      versionNumber: 1,
    });

    // "Create contract", field by field as the reference lists them
    const created = await owner.api.post('/v2/contracts', {
      billingStartDate: '2025-02-01',
      contractIdent: 'SO-2025-000123',
      couponCode: 'WELCOME10',
      date: '2024-12-31T23:30:00Z',
      debtorIdent: 'cust-4711@shop',
      language: 'en',
      lineItems: [{ name: 'Installation', amount: 149, quantity: 1 }],
      optionQuantities: [
        { optionIdent: 'fibre-500', quantity: 1 },
        { optionIdent: 'seats', quantity: 25 },
      ],
      planIdent: 'business-fibre-2y',
      properties: [
        { ident: 'salesRep', value: 'A. Schmidt' },
        { ident: 'channel', value: 'web' },
      ],
      startDate: '2025-01-01T00:00:00+01:00',
    });
    expect(created.status).toBe(201);
    conforms('POST', '/v2/contracts', 201, created.body);
    expect(created.body).toMatchObject({
      contractIdent: 'SO-2025-000123',
      contractOwnerId: owner.id,
      debtorIdent: 'cust-4711@shop',
      debtorId: debtor.body.debtorId,
      planIdent: 'business-fibre-2y',
      planId: plan.body.planId,
      planName: 'Business Fibre – 2 years',
      // signed 23:30 UTC on New Year's Eve: 1 January in Berlin
      date: '2024-12-31T23:30:00.000Z',
      signedDate: '2025-01-01',
      startDate: '2025-01-01',
      billingStartDate: '2025-02-01',
      endDate: null,
      currentTerm: { startDate: '2025-01-01', endDate: '2026-12-31' },
      autoRenewal: true,
      optionQuantities: [
        { optionIdent: 'fibre-500', quantity: 1 },
        { optionIdent: 'seats', quantity: 25 },
      ],
      couponCode: 'WELCOME10',
      properties: [
        { ident: 'salesRep', value: 'A. Schmidt' },
        { ident: 'channel', value: 'web' },
      ],
      lineItems: [{ name: 'Installation', amount: 149, quantity: 1 }],
      language: 'en',
      termination: null,
    });
    expect(created.body.options.map((o: any) => [o.optionIdent, o.name, o.rentalProductId, o.quantity])).toEqual([
      ['fibre-500', 'Fibre 500', fibre.id, 1],
      ['seats', 'Seats', seats.id, 25],
    ]);

    // the check can fail: a member the document does not list, or one of the wrong type
    const schema = documentedResponse(doc, 'POST', '/v2/contracts', 201);
    expect(shapeProblems(schema, { ...created.body, extra: 1 })).toEqual(['/extra: not documented']);
    expect(shapeProblems(schema, { ...created.body, options: [{ ...created.body.options[0], quantity: '1' }] })).toEqual(['/options/0/quantity: string, documented integer']);

    const read = await owner.api.get('/v2/contracts/SO-2025-000123');
    expect(read.status).toBe(200);
    conforms('GET', '/v2/contracts/{contractIdent}', 200, read.body);
    expect(read.body).toEqual(created.body);
    const list = await owner.api.get('/v2/contracts');
    conforms('GET', '/v2/contracts', 200, list.body);
    expect(list.body).toEqual([created.body]);
    expect(list.headers.get('x-total-count')).toBe('1');

    const readPlan = await owner.api.get('/v2/plans/business-fibre-2y');
    conforms('GET', '/v2/plans/{planIdent}', 200, readPlan.body);
    expect(readPlan.body).toEqual(plan.body);
    conforms('GET', '/v2/plans', 200, (await owner.api.get('/v2/plans')).body);
    const readDebtor = await owner.api.get(`/v2/debtors/${encodeURIComponent('cust-4711@shop')}`);
    conforms('GET', '/v2/debtors/{debtorIdent}', 200, readDebtor.body);
    expect(readDebtor.body).toEqual(debtor.body);
    conforms('GET', '/v2/debtors', 200, (await owner.api.get('/v2/debtors')).body);
    expect(discount.code).toBe('WELCOME10');
  });

  it('accepts the deprecated debtorId and planId and maps them; an ident wins and must agree with its id', async () => {
    const c = await catalogue(h);
    const { debtorIdent: _d, planIdent: _p, ...byIds } = contractBody(c, { debtorId: c.debtorId, planId: c.planId });
    const created = await c.owner.api.post('/v2/contracts', byIds);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ debtorIdent: c.debtorIdent, debtorId: c.debtorId, planIdent: c.planIdent, planId: c.planId });

    expect((await c.owner.api.post('/v2/contracts', contractBody(c, { debtorId: c.debtorId, planId: c.planId }))).status).toBe(201);
    const other = await c.owner.api.create('/v2/debtors', { debtorIdent: unique('D-'), name: 'Other' });
    expect(expectProblem(await c.owner.api.post('/v2/contracts', contractBody(c, { debtorId: other.debtorId })), 422).errors[0].path).toBe('/debtorId');
    expect(expectProblem(await c.owner.api.post('/v2/contracts', contractBody(c, { planId: c.planId + 1000 })), 422).errors[0].path).toBe('/planId');

    const { debtorIdent: _x, planIdent: _y, ...neither } = contractBody(c);
    const problem = expectProblem(await c.owner.api.post('/v2/contracts', neither), 400);
    expect(problem.errors.map((e: any) => e.path)).toEqual(['/debtorIdent', '/planIdent']);
    expect(problem.detail).toContain('deprecated debtorId');
  });

  it('refuses an unknown field by name, and takes instellix fields Tenor does not model only as null', async () => {
    const c = await catalogue(h);
    const unknown = expectProblem(await c.owner.api.post('/v2/contracts', contractBody(c, { colour: 'red', contractTerm: 12 })), 400);
    expect(unknown.errors.map((e: any) => e.path).sort()).toEqual(['/colour', '/contractTerm']);
    const nulls = { businessSegmentIdent: null, country: null, paymentInformation: null, taxLocation: null, contractPriceAdaptation: null, endDate: null };
    expect((await c.owner.api.post('/v2/contracts', contractBody(c, nulls))).status).toBe(201);
    for (const [field, value] of Object.entries({ businessSegmentIdent: 'default', country: 'DE', paymentInformation: {}, endDate: '2026-01-01T00:00:00Z' })) {
      const problem = expectProblem(await c.owner.api.post('/v2/contracts', contractBody(c, { [field]: value })), 400);
      expect(problem.errors[0].path).toBe(`/${field}`);
      expect(problem.errors[0].message).toContain('not supported');
    }
    expect(expectProblem(await c.owner.api.post('/v2/plans', { planIdent: unique('P'), name: 'x', contractTerm: { value: 1, unit: 'MONTH' }, phases: [] }), 400).errors[0].path).toBe('/phases');
  });

  it('defaults: language de, the start on the signing date in the owner’s time zone, billing from the start', async () => {
    const c = await catalogue(h);
    const { startDate: _s, ...body } = contractBody(c, { date: '2025-03-31T22:15:00Z' });
    const created = await c.owner.api.create('/v2/contracts', body);
    // 22:15 UTC on 31 March is 00:15 on 1 April in Berlin (summer time)
    expect(created).toMatchObject({ language: 'de', signedDate: '2025-04-01', startDate: '2025-04-01', billingStartDate: '2025-04-01', couponCode: null, lineItems: [], properties: [] });
    expect(created.currentTerm).toEqual({ startDate: '2025-04-01', endDate: '2026-03-31' });
    // every option of the plan is rented: one left out of optionQuantities once
    expect(created.optionQuantities).toEqual([
      { optionIdent: 'line', quantity: 1 },
      { optionIdent: 'router', quantity: 1 },
    ]);
  });

  it('leaves contractOwnerId out for a token of one owner; a token of several must name it', async () => {
    const c = await catalogue(h);
    const second = await h.newOwner();
    const both = h.client(await signTestToken({ owners: [c.owner.id, second.id], scope: '*' }));
    const ident = unique('D-');
    expect(expectProblem(await both.post('/v2/debtors', { debtorIdent: ident, name: 'Two owners' }), 400).errors[0].path).toBe('/contractOwnerId');
    expect((await both.post('/v2/debtors', { debtorIdent: ident, name: 'Two owners', contractOwnerId: second.id })).body.contractOwnerId).toBe(second.id);
    expect(expectProblem(await c.owner.api.post('/v2/debtors', { debtorIdent: unique('D-'), name: 'x', contractOwnerId: second.id }), 403));
    // the same ident at both owners: the token for both cannot tell them apart, a token for one can
    expect((await c.owner.api.post('/v2/debtors', { debtorIdent: ident, name: 'First' })).status).toBe(201);
    expectProblem(await both.get(`/v2/debtors/${ident}`), 409);
    expect((await c.owner.api.get(`/v2/debtors/${ident}`)).body.name).toBe('First');
  });

  it('keeps idents unique and addressable, and names what is not found', async () => {
    const c = await catalogue(h);
    const first = await contract(c);
    expect(expectProblem(await c.owner.api.post('/v2/contracts', contractBody(c, { contractIdent: first.contractIdent })), 409).errors[0].path).toBe('/contractIdent');
    expect(expectProblem(await c.owner.api.post('/v2/debtors', { debtorIdent: c.debtorIdent, name: 'Again' }), 409).errors[0].path).toBe('/debtorIdent');
    const planAgain = { planIdent: c.planIdent, name: 'Again', contractTerm: { value: 1, unit: 'MONTH' } };
    expect(expectProblem(await c.owner.api.post('/v2/plans', planAgain), 409).errors[0].path).toBe('/planIdent');
    for (const ident of ['.', '..']) {
      expect(expectProblem(await c.owner.api.post('/v2/contracts', contractBody(c, { contractIdent: ident })), 400).errors[0].path).toBe('/contractIdent');
    }
    expect(expectProblem(await c.owner.api.post('/v2/contracts', contractBody(c, { contractIdent: 'with space' })), 400).errors[0].path).toBe('/contractIdent');
    expect(expectProblem(await c.owner.api.post('/v2/contracts', contractBody(c, { debtorIdent: 'nobody' })), 404).errors[0].path).toBe('/debtorIdent');
    expect(expectProblem(await c.owner.api.post('/v2/contracts', contractBody(c, { planIdent: 'no-plan' })), 404).errors[0].path).toBe('/planIdent');
    expectProblem(await c.owner.api.get('/v2/contracts/nothing-here'), 404);
    expectProblem(await c.owner.api.get('/v2/plans/nothing-here'), 404);
    expectProblem(await c.owner.api.get('/v2/debtors/nothing-here'), 404);
    expectProblem(await c.owner.api.get('/v2/contracts/bad%20ident'), 400);
    expectProblem(await c.owner.api.request('DELETE', `/v2/contracts/${first.contractIdent}`), 405);
  });

  it('lists contracts paged, filtered by debtor, plan and status', async () => {
    const c = await catalogue(h);
    const otherDebtor = await c.owner.api.create('/v2/debtors', { debtorIdent: unique('D-'), name: 'Other' });
    const a = await contract(c);
    const b = await contract(c, { startDate: '2090-01-01' });
    const d = await contract(c, { debtorIdent: otherDebtor.debtorIdent });
    const idents = (res: any) => res.body.map((x: any) => x.contractIdent);
    const page = await c.owner.api.get('/v2/contracts', { pageSize: 2 });
    expect(idents(page)).toEqual([a.contractIdent, b.contractIdent]);
    expect(page.headers.get('x-total-count')).toBe('3');
    expect(page.headers.get('link')).toContain('rel="next"');
    expect(idents(await c.owner.api.get('/v2/contracts', { pageSize: 2, page: 2 }))).toEqual([d.contractIdent]);
    expect(idents(await c.owner.api.get('/v2/contracts', { debtorIdent: otherDebtor.debtorIdent }))).toEqual([d.contractIdent]);
    expect(idents(await c.owner.api.get('/v2/contracts', { planIdent: c.planIdent, status: 'PENDING' }))).toEqual([b.contractIdent]);
    expect(idents(await c.owner.api.get('/v2/contracts', { planIdent: 'in:nope,other' }))).toEqual([]);
    expectProblem(await c.owner.api.get('/v2/contracts', { colour: 'red' }), 400);
    expectProblem(await c.owner.api.get('/v2/contracts', { pageSize: 0 }), 400);
    expectProblem(await c.owner.api.get('/v2/plans', { planIdent: 'x' }), 400);
  });
});
