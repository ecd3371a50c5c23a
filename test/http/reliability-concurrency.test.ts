/**
 * Concurrent changes of one customer contract (quality.md §Reliability), on both
 * runtimes: 50 JSON Patches at once, each changing one field to its own value.
 * Every accepted change is visible (version = 1 + accepted, and each accepted
 * result is the one before it plus its own change), the rest are 409, none is
 * lost and none is a 5xx; each accepted change wrote exactly one event.
 */
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { outboxEvents } from '../../src/db/schema';
import * as make from '../helpers/factories';
import { type ApiResponse, expectProblem, type Harness, harness, type Owner } from '../helpers/harness';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

const CONCURRENT = 50;
const AUDIT = ['version', 'updatedDate', 'updatedBy', 'status'];

async function contractOf(owner: Owner) {
  const customer = await make.customer(owner);
  const profile = await make.contractProfile(owner);
  return make.customerContract(owner, { customerId: customer.id, contractProfileId: profile.id, startDate: '2090-01-01' });
}

function withoutAudit(object: Record<string, unknown>) {
  return Object.fromEntries(Object.entries(object).filter(([key]) => !AUDIT.includes(key)));
}

async function updatedEvents(ownerId: number, contractId: number) {
  return h.runtime.deps.database.db
    .select()
    .from(outboxEvents)
    .where(and(eq(outboxEvents.contractOwnerId, ownerId), eq(outboxEvents.type, 'customer_contract.updated'), eq(outboxEvents.objectId, contractId)));
}

describe('50 concurrent JSON Patches of one contract', () => {
  it('land one after another or get 409; none is lost', async () => {
    const owner = await h.newOwner();
    const contract = await contractOf(owner);
    const path = `/v1/customer-contracts/${contract.id}`;
    // even requests move the notice period, odd ones the renewal alert: a lost update would undo another's field
    const changeOf = (i: number) => (i % 2 === 0 ? { field: 'noticePeriodDays', value: 100 + i } : { field: 'renewalAlertDays', value: i % 29 });
    // half start at once (one wins, the rest conflict); half over the next few milliseconds, landing on later versions
    const results: ApiResponse[] = await Promise.all(
      Array.from({ length: CONCURRENT }, async (_, i) => {
        if (i >= CONCURRENT / 2) await new Promise((resolve) => setTimeout(resolve, i % 5));
        return owner.api.patch(path, [{ op: 'replace', path: `/${changeOf(i).field}`, value: changeOf(i).value }]);
      }),
    );

    for (const res of results) {
      expect([200, 409], res.text).toContain(res.status);
      if (res.status === 409) expectProblem(res, 409);
    }
    const accepted = results.map((res, i) => ({ res, change: changeOf(i) })).filter(({ res }) => res.status === 200);
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    // the requests started together really raced
    expect(accepted.length).toBeLessThan(CONCURRENT);

    // each accepted result is exactly the previous version with its own change
    accepted.sort((x, y) => x.res.body.version - y.res.body.version);
    expect(accepted.map(({ res }) => res.body.version)).toEqual(accepted.map((_, i) => 2 + i));
    let previous: Record<string, unknown> = contract;
    for (const { res, change } of accepted) {
      expect(withoutAudit(res.body)).toEqual(withoutAudit({ ...previous, [change.field]: change.value }));
      previous = res.body;
    }

    const final = await owner.api.get(path);
    expect(final.body.version).toBe(1 + accepted.length);
    expect(final.body).toEqual(previous);
    expect(final.headers.get('etag')).toBe(`"${1 + accepted.length}"`);

    // one event per accepted change, carrying it
    const events = await updatedEvents(owner.id, contract.id);
    expect(events).toHaveLength(accepted.length);
    expect(events.map((e) => (e.data as { version: number }).version).sort((x, y) => x - y)).toEqual(accepted.map(({ res }) => res.body.version));
  });

  it('with If-Match on the version read, exactly one lands; the rest are 412 or 409', async () => {
    const owner = await h.newOwner();
    const contract = await contractOf(owner);
    const path = `/v1/customer-contracts/${contract.id}`;
    const results = await Promise.all(
      Array.from({ length: CONCURRENT }, (_, i) =>
        owner.api.patch(path, [{ op: 'replace', path: '/noticePeriodDays', value: 200 + i }], { headers: { 'if-match': '"1"' } }),
      ),
    );
    const accepted = results.filter((res) => res.status === 200);
    expect(accepted).toHaveLength(1);
    for (const res of results) if (res.status !== 200) expect([409, 412], res.text).toContain(expectProblem(res, res.status).status);
    const final = await owner.api.get(path);
    expect(final.body).toEqual(accepted[0]!.body);
    expect(final.body.version).toBe(2);
    expect(await updatedEvents(owner.id, contract.id)).toHaveLength(1);
  });
});
