/** Seed 001's assignment PATCH example sends `"value": "false"`: the documented string booleans are accepted on /active. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as f from '../helpers/factories';
import { expectProblem, type Harness, harness } from '../helpers/harness';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

describe('PATCH /v1/customer-contract-assignments/{id} as the seed sends it', () => {
  it('deactivates with "false" and reactivates with "true"; other strings stay a 400', async () => {
    const owner = await h.newOwner();
    const site = await f.site(owner);
    const contract = await f.customerContract(owner, { customerId: site.customerId, startDate: '2090-01-01' });
    const inventory = await f.rpi(owner, { siteId: site.id });
    const assignment = await f.contractAssignment(owner, inventory.id, contract.id);
    const path = `/v1/customer-contract-assignments/${assignment.id}`;

    const off = await owner.api.patch(path, [{ op: 'replace', path: '/active', value: 'false' }]);
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    expect((await owner.api.get(path)).body.active).toBe(false);
    const on = await owner.api.patch(path, [{ op: 'replace', path: '/active', value: 'true' }]);
    expect(on.status).toBe(200);
    expect(on.body.active).toBe(true);

    for (const value of ['no', 'FALSE', '', 0]) {
      expectProblem(await owner.api.patch(path, [{ op: 'replace', path: '/active', value }]), 400);
    }
    expect((await owner.api.get(path)).body).toMatchObject({ active: true, version: on.body.version });
  });
});
