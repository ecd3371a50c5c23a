/**
 * `fields=` on the resource lists reads only the asked-for columns (db/crud.ts: a
 * service whose output fields are its columns, pickFields, and the customer
 * contracts, which say which columns a computed field needs): a list asked for some
 * fields answers exactly what the full list says for them, on both runtimes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as f from '../helpers/factories';
import { type Harness, harness } from '../helpers/harness';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

describe('fields= on resource lists', () => {
  it('answers the same values as the full list for the fields asked, every other field left out', async () => {
    const owner = await h.newOwner();
    const rpi = await f.rpi(owner);
    const contract = await f.customerContract(owner, { customerId: rpi.customerId, startDate: '2026-01-01', notes: 'Keys at reception' });
    await f.contractAssignment(owner, rpi.id, contract.id);
    await f.upi(owner);
    await f.chargeGroup(owner);
    await f.timeBandPlan(owner);
    await f.rentalDiscountPlan(owner);
    await f.webhookSubscription(owner);
    const paths = [
      '/v1/customers',
      '/v1/sites',
      '/v1/rental-product-categories',
      '/v1/rental-products',
      '/v1/rental-product-inventories',
      '/v1/customer-contract-assignments',
      '/v1/usage-products',
      '/v1/usage-product-inventories',
      '/v1/charge-group-categories',
      '/v1/charge-groups',
      '/v2/time-band-plans',
      '/v2/rental-discount-plans',
      '/v1/webhook-subscriptions',
      '/v1/customer-contracts',
    ];
    for (const path of paths) {
      const full = await owner.api.get(path);
      expect(full.status, `${path}: ${full.text}`).toBe(200);
      const items = full.body as Array<Record<string, unknown>>;
      expect(items.length, path).toBeGreaterThan(0);
      // every field but id, one at a time and two together, as the full list has them
      const names = Object.keys(items[0]!).filter((k) => k !== 'id' && typeof items[0]![k] !== 'object');
      const asked = [names.slice(0, 2), names.slice(-1), names.slice(2, 5)].filter((set) => set.length > 0);
      for (const set of asked) {
        const part = await owner.api.get(path, { fields: set.join(',') });
        expect(part.status, `${path}?fields=${set}: ${part.text}`).toBe(200);
        const expected = items.map((item) => Object.fromEntries(['id', ...set].map((k) => [k, item[k]])));
        expect(part.body, `${path}?fields=${set}`).toEqual(expected);
      }
    }
  });
});
