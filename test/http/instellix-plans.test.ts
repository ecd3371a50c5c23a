/**
 * instellix plans on both runtimes: a contract profile plus options. Units read
 * back as written and land on /v1 in months and days; a term change makes a new
 * version whose ident and options follow; a used plan changes only its name and
 * properties besides.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as f from '../helpers/factories';
import { changedTables, fingerprint } from '../helpers/fingerprint';
import { expectProblem, type Harness, harness, type Owner, unique } from '../helpers/harness';
import { catalogue, contract } from '../helpers/instellix';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

async function products(owner: Owner) {
  const category = await f.rentalProductCategory(owner);
  return [await f.rentalProduct(owner, category.id), await f.rentalProduct(owner, category.id)];
}

const planBody = (productId: number, overrides: Record<string, unknown> = {}) => ({
  planIdent: unique('plan-'),
  name: 'Office line',
  contractTerm: { value: 1, unit: 'YEAR' },
  noticePeriod: { value: 2, unit: 'MONTH' },
  autoRenewal: true,
  earlyTermination: { fixedCharge: 25, percentage: 50 },
  options: [{ optionIdent: 'line', rentalProductId: productId, name: 'Line' }],
  properties: [{ ident: 'tier', value: 'gold' }],
  ...overrides,
});

/** The PUT body for a plan as read, with changes. */
const asPut = (plan: any, changes: Record<string, unknown>) => {
  const { planId: _i, contractOwnerId: _o, versionNumber: _v, createdDate: _c, updatedDate: _u, ...body } = plan;
  return { ...body, ...changes };
};

describe('plans', () => {
  it('are contract profiles on /v1: a YEAR is 12 months, a notice MONTH 30 days, autoRenewal a rollover to itself', async () => {
    const owner = await h.newOwner();
    const [line] = await products(owner);
    const plan = await owner.api.create('/v2/plans', planBody(line.id));
    const profile = (await owner.api.get(`/v1/contract-profiles/${plan.planId}`)).body;
    expect(profile).toMatchObject({
      contractOwnerId: owner.id,
      name: 'Office line',
      contractTerm: 12,
      noticePeriodDays: 60,
      rolloverContractProfileId: plan.planId,
      earlyTerminationFixedCharge: 25,
      earlyTerminationPercentageCharge: 50,
      versionNumber: 1,
    });
    expect(plan).toMatchObject({ contractTerm: { value: 1, unit: 'YEAR' }, noticePeriod: { value: 2, unit: 'MONTH' }, autoRenewal: true });
    // defaults: 30 days' notice, no renewal, no charge, no options or properties
    const bare = await owner.api.create('/v2/plans', { planIdent: unique('bare-'), name: 'Bare', contractTerm: { value: 6, unit: 'MONTH' } });
    expect(bare).toMatchObject({ noticePeriod: { value: 30, unit: 'DAY' }, autoRenewal: false, earlyTermination: { fixedCharge: 0, percentage: 0 }, options: [], properties: [] });
    expect((await owner.api.get(`/v1/contract-profiles/${bare.planId}`)).body.rolloverContractProfileId).toBeNull();
  });

  it('refuse options named twice (400), of a product not visible (404) and units beyond the limits (400)', async () => {
    const owner = await h.newOwner();
    const [line, router] = await products(owner);
    const twice = planBody(line.id, { options: [{ optionIdent: 'x', rentalProductId: line.id }, { optionIdent: 'x', rentalProductId: router.id }] });
    expect(expectProblem(await owner.api.post('/v2/plans', twice), 400).errors[0].path).toBe('/options/1/optionIdent');
    expect(expectProblem(await owner.api.post('/v2/plans', planBody(987654321)), 404).errors[0].path).toBe('/options/0/rentalProductId');
    expect(expectProblem(await owner.api.post('/v2/plans', planBody(line.id, { contractTerm: { value: 51, unit: 'YEAR' } })), 400).errors[0].path).toBe('/contractTerm/value');
    expect(expectProblem(await owner.api.post('/v2/plans', planBody(line.id, { noticePeriod: { value: 2, unit: 'WEEK' } })), 400).errors[0].path).toBe('/noticePeriod/unit');
    expect((await owner.api.get('/v2/plans')).body).toEqual([]);
  });

  it('an unused plan changes in place, options too; a term change makes a new version that keeps the ident, options and properties', async () => {
    const owner = await h.newOwner();
    const [line, router] = await products(owner);
    const plan = await owner.api.create('/v2/plans', planBody(line.id));
    const path = `/v2/plans/${plan.planIdent}`;
    const changed = await owner.api.request('PUT', path, {
      body: asPut(plan, {
        noticePeriod: { value: 45, unit: 'DAY' },
        options: [
          { optionIdent: 'line', rentalProductId: line.id, name: 'Line (new name)' },
          { optionIdent: 'router', rentalProductId: router.id, name: 'Router' },
        ],
      }),
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ planId: plan.planId, versionNumber: 1, noticePeriod: { value: 45, unit: 'DAY' } });
    expect(changed.body.options.map((o: any) => [o.optionIdent, o.name])).toEqual([
      ['line', 'Line (new name)'],
      ['router', 'Router'],
    ]);

    const versioned = (await owner.api.request('PUT', path, { body: asPut(changed.body, { contractTerm: { value: 24, unit: 'MONTH' } }) })).body;
    expect(versioned).toMatchObject({ planIdent: plan.planIdent, versionNumber: 2, contractTerm: { value: 24, unit: 'MONTH' }, autoRenewal: true, properties: plan.properties });
    expect(versioned.planId).not.toBe(plan.planId);
    expect(versioned.options).toEqual(changed.body.options);
    expect((await owner.api.get(`/v1/contract-profiles/${plan.planId}`)).body.supersededByContractProfileId).toBe(versioned.planId);
    expect((await owner.api.get(`/v1/contract-profiles/${versioned.planId}`)).body.rolloverContractProfileId).toBe(versioned.planId);
    expect((await owner.api.get(path)).body).toEqual(versioned);
    expect((await owner.api.get('/v2/plans')).body.map((p: any) => p.planId)).toEqual([versioned.planId]);
  });

  it('a used plan changes its name and properties in place, makes a version for a term change, and refuses its notice, renewal and options (422)', async () => {
    const c = await catalogue(h);
    const signed = await contract(c);
    const path = `/v2/plans/${c.planIdent}`;
    const plan = (await c.owner.api.get(path)).body;
    const renamed = await c.owner.api.request('PUT', path, { body: asPut(plan, { name: 'Renamed', properties: [{ ident: 'campaign', value: 'spring' }] }) });
    expect(renamed.body).toMatchObject({ planId: plan.planId, name: 'Renamed', properties: [{ ident: 'campaign', value: 'spring' }] });

    const before = await fingerprint(h.runtime.deps.database, c.owner.id);
    const locked: Array<[Record<string, unknown>, string]> = [
      [{ noticePeriod: { value: 1, unit: 'MONTH' } }, '/noticePeriod'],
      [{ autoRenewal: false }, '/autoRenewal'],
      [{ options: plan.options.slice(0, 1) }, '/options'],
      [{ planIdent: 'another-ident' }, '/planIdent'],
      [{ contractOwnerId: c.owner.id + 1000 }, '/contractOwnerId'],
    ];
    for (const [change, field] of locked) {
      expect(expectProblem(await c.owner.api.request('PUT', path, { body: asPut(renamed.body, change) }), 422).errors[0].path).toBe(field);
    }
    expect(changedTables(before, await fingerprint(h.runtime.deps.database, c.owner.id))).toEqual([]);

    const versioned = (await c.owner.api.request('PUT', path, { body: asPut(renamed.body, { earlyTermination: { fixedCharge: 75, percentage: 100 } }) })).body;
    expect(versioned).toMatchObject({ versionNumber: 2, name: 'Renamed', earlyTermination: { fixedCharge: 75, percentage: 100 } });
    // the contract keeps the version it was signed on, under the same plan ident; its renewal will take the new one
    expect((await c.owner.api.get(`/v2/contracts/${signed.contractIdent}`)).body).toMatchObject({ planIdent: c.planIdent, planId: plan.planId });
    expect((await c.owner.api.get(`/v1/customer-contracts/${signed.contractId}`)).body.rolloverContractProfileId).toBe(versioned.planId);
    expect((await c.owner.api.get('/v2/contracts', { planIdent: c.planIdent })).body.map((x: any) => x.contractIdent)).toEqual([signed.contractIdent]);
  });

  it('a term change on /v1 makes a version that the plan ident and options follow', async () => {
    const owner = await h.newOwner();
    const [line] = await products(owner);
    const plan = await owner.api.create('/v2/plans', planBody(line.id, { contractTerm: { value: 12, unit: 'MONTH' } }));
    const patched = await owner.api.patch(`/v1/contract-profiles/${plan.planId}`, [{ op: 'replace', path: '/contractTerm', value: 36 }]);
    expect(patched.status).toBe(201);
    const read = (await owner.api.get(`/v2/plans/${plan.planIdent}`)).body;
    expect(read).toMatchObject({ planId: patched.body.id, versionNumber: 2, contractTerm: { value: 36, unit: 'MONTH' }, options: plan.options, properties: plan.properties, noticePeriod: plan.noticePeriod });
    // and a profile that is nobody's plan any more can be deleted with its options
    const scratch = await owner.api.create('/v2/plans', planBody(line.id, { autoRenewal: false }));
    expect((await owner.api.delete(`/v1/contract-profiles/${scratch.planId}`)).status).toBe(204);
    expectProblem(await owner.api.get(`/v2/plans/${scratch.planIdent}`), 404);
  });
});
