/** instellix's contractPriceAdaptation on both runtimes: a reference of a /v2 price adaptation that the lifecycle job then applies. */
import { beforeAll, describe, expect, it } from 'vitest';
import { catalogue, contract, contractBody } from '../helpers/instellix';
import { expectProblem, type Harness, harness, unique } from '../helpers/harness';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

describe('instellix contractPriceAdaptation', () => {
  it('names a price adaptation by ident or id; the contract renews with it and its prices rise at the renewal', async () => {
    const c = await catalogue(h);
    const ident = unique('cpi-');
    const adaptation = await c.owner.api.create('/v2/price-adaptations', {
      contractOwnerId: c.owner.id,
      name: unique('Yearly '),
      externalRef: ident,
      type: 'PERCENTAGE',
      percentage: 2,
      schedule: 'RENEWAL',
    });
    const created = await contract(c, { contractPriceAdaptation: { ident } });
    expect(created.contractPriceAdaptation).toEqual({ ident, id: adaptation.id });
    expect((await c.owner.api.get(`/v1/customer-contracts/${created.contractId}`)).body.priceAdaptationId).toBe(adaptation.id);
    const byId = await contract(c, { contractPriceAdaptation: { id: adaptation.id } });
    expect(byId.contractPriceAdaptation).toEqual({ ident, id: adaptation.id });
    expect((await contract(c)).contractPriceAdaptation).toBeNull();

    const run = await c.owner.api.post('/v1/jobs/rollover', { asOf: '2026-01-10' });
    expect(run.body.report.priceAdapted).toBe(2);
    const renewed = (await c.owner.api.get(`/v2/contracts/${created.contractIdent}`)).body;
    expect(renewed.currentTerm.startDate).toBe('2026-01-01');
    expect(renewed.contractPriceAdaptation).toEqual({ ident, id: adaptation.id });
    const lines = (await c.owner.api.get('/v2/rental-charges', { customerId: c.debtorId, from: '2025-12-01', to: '2026-01-31', rentalProductInventoryId: created.options[0].rentalProductInventoryId })).body;
    // the coupon-free contract's line: €10, then €10.20 from the renewal
    expect(lines.map((l: any) => [l.periodStart, l.unitPrice])).toEqual([
      ['2025-12-01', 10],
      ['2026-01-01', 10.2],
    ]);
  });

  it('refuses an unknown ident (404), another owner’s (404 unseen), disagreeing ident and id (422) and an empty reference (400)', async () => {
    const c = await catalogue(h);
    const other = await catalogue(h);
    const foreign = await other.owner.api.create('/v2/price-adaptations', { contractOwnerId: other.owner.id, name: 'x', externalRef: 'theirs', type: 'PERCENTAGE', percentage: 1, schedule: 'RENEWAL' });
    const mine = await c.owner.api.create('/v2/price-adaptations', { contractOwnerId: c.owner.id, name: 'y', externalRef: 'mine', type: 'PERCENTAGE', percentage: 1, schedule: 'RENEWAL' });
    const post = (ref: unknown) => c.owner.api.post('/v2/contracts', contractBody(c, { contractPriceAdaptation: ref }));
    expect(expectProblem(await post({ ident: 'theirs' }), 404).errors[0].path).toBe('/contractPriceAdaptation/ident');
    expect(expectProblem(await post({ id: foreign.id }), 404).errors[0].path).toBe('/contractPriceAdaptation/id');
    expect(expectProblem(await post({ ident: 'mine', id: mine.id + 1 }), 422).errors[0].path).toBe('/contractPriceAdaptation/id');
    expect(expectProblem(await post({}), 400).errors[0].path).toBe('/contractPriceAdaptation/ident');
    expect(expectProblem(await post({ ident: 'mine', colour: 'red' }), 400).errors[0].path).toBe('/contractPriceAdaptation/colour');
    expect((await c.owner.api.get('/v2/contracts')).body).toEqual([]);
  });
});
