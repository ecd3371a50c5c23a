/**
 * Webhook subscriptions on both runtimes. Outbound delivery is exercised by
 * replacing the global fetch with a recording receiver: `deps.fetch` calls the
 * global late, and the app runs in this test's isolate on both runtimes.
 */
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { outboxEvents } from '../../src/db/schema';
import { deliverWebhooks } from '../../src/jobs/webhooks/delivery';
import { expectProblem, type Harness, harness, type Owner, signTestToken } from '../helpers/harness';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
});

interface Sent {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** Replaces the global fetch with a receiver answering with `answer(n)` for the n-th request (from 1). */
function receiver(answer: (n: number) => number): Sent[] {
  const sent: Sent[] = [];
  globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    sent.push({ url: String(input), headers: { ...(init?.headers as Record<string, string>) }, body: String(init?.body) });
    const status = answer(sent.length);
    return new Response(status === 204 ? null : `answer ${status}`, { status });
  }) as typeof fetch;
  return sent;
}

async function addEvent(ownerId: number, type = 'customer_contract.created') {
  const [event] = await h.runtime.deps.database.db
    .insert(outboxEvents)
    .values({ contractOwnerId: ownerId, type, objectType: 'customer_contract', objectId: 1, data: { id: 1, name: 'Contract' }, actor: 'test', createdAt: new Date().toISOString() })
    .returning();
  return event!;
}

const body = (owner: Owner, extra: Record<string, unknown> = {}) => ({
  contractOwnerId: owner.id,
  url: 'https://hooks.example.com/tenor',
  eventTypes: ['customer_contract.created'],
  ...extra,
});

describe('webhook subscriptions', () => {
  it('creates, reads, lists, patches and deletes, showing the secret once', async () => {
    const owner = await h.newOwner();
    const created = await owner.api.post('/v1/webhook-subscriptions', body(owner, { description: 'CRM' }));
    expect(created.status, created.text).toBe(201);
    expect(created.headers.get('location')).toBe(`/v1/webhook-subscriptions/${created.body.id}`);
    const { secret, ...subscription } = created.body;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(subscription).toMatchObject({
      contractOwnerId: owner.id,
      url: 'https://hooks.example.com/tenor',
      eventTypes: ['customer_contract.created'],
      active: true,
      description: 'CRM',
      version: 1,
    });

    const got = await owner.api.get(`/v1/webhook-subscriptions/${subscription.id}`);
    expect(got.body).toEqual(subscription);
    const list = await owner.api.get('/v1/webhook-subscriptions', { active: true });
    expect(list.body).toEqual([subscription]);
    const patched = await owner.api.patch(`/v1/webhook-subscriptions/${subscription.id}`, [
      { op: 'replace', path: '/eventTypes', value: ['*'] },
      { op: 'replace', path: '/url', value: 'http://localhost:9/x' },
    ]);
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({ eventTypes: ['*'], url: 'http://localhost:9/x', version: 2 });
    for (const res of [got, list, patched]) expect(res.text).not.toContain(secret.slice(6));
    expectProblem(await owner.api.patch(`/v1/webhook-subscriptions/${subscription.id}`, [{ op: 'add', path: '/secret', value: 'whsec_x' }]), 400);

    expect((await owner.api.delete(`/v1/webhook-subscriptions/${subscription.id}`)).status).toBe(204);
    expectProblem(await owner.api.get(`/v1/webhook-subscriptions/${subscription.id}`), 404);
  });

  it('takes https anywhere and plain http only to this machine', async () => {
    const owner = await h.newOwner();
    for (const url of ['http://example.com/hook', 'ftp://example.com/x', 'not a url', 'https://user:pw@example.com/x']) {
      const problem = expectProblem(await owner.api.post('/v1/webhook-subscriptions', body(owner, { url })), 400);
      expect(problem.errors[0].path, url).toBe('/url');
    }
    for (const url of ['http://localhost:9/x', 'http://127.0.0.1:8080/hook', 'http://[::1]:3000/', 'https://10.1.2.3/x']) {
      expect((await owner.api.post('/v1/webhook-subscriptions', body(owner, { url }))).status, url).toBe(201);
    }
    const [first] = (await owner.api.get('/v1/webhook-subscriptions')).body;
    const patch = await owner.api.patch(`/v1/webhook-subscriptions/${first.id}`, [{ op: 'replace', path: '/url', value: 'http://example.com/' }]);
    expect(expectProblem(patch, 400).errors[0].path).toBe('/url');
  });

  it('takes known event types or "*" alone', async () => {
    const owner = await h.newOwner();
    const unknown = expectProblem(await owner.api.post('/v1/webhook-subscriptions', body(owner, { eventTypes: ['customer_contract.created', 'contract.exploded'] })), 400);
    expect(unknown.errors[0]).toMatchObject({ path: '/eventTypes/1', message: expect.stringMatching(/known event type/) });
    expectProblem(await owner.api.post('/v1/webhook-subscriptions', body(owner, { eventTypes: [] })), 400);
    expectProblem(await owner.api.post('/v1/webhook-subscriptions', body(owner, { eventTypes: ['*', 'customer_contract.created'] })), 400);
    expectProblem(await owner.api.post('/v1/webhook-subscriptions', body(owner, { eventTypes: 'customer_contract.created' })), 400);
    expectProblem(await owner.api.post('/v1/webhook-subscriptions', body(owner, { secret: 'whsec_mine' })), 400);
    const all = await owner.api.post('/v1/webhook-subscriptions', body(owner, { eventTypes: ['*'] }));
    expect(all.status).toBe(201);
  });

  it("keeps owners apart and needs the webhooks scope", async () => {
    const a = await h.newOwner();
    const b = await h.newOwner();
    const sub = await a.api.create('/v1/webhook-subscriptions', body(a));
    expectProblem(await b.api.get(`/v1/webhook-subscriptions/${sub.id}`), 404);
    expectProblem(await b.api.get(`/v1/webhook-subscriptions/${sub.id}/deliveries`), 404);
    expect((await b.api.get('/v1/webhook-subscriptions')).body).toEqual([]);
    expectProblem(await b.api.post('/v1/webhook-subscriptions', body(a)), 403);
    expectProblem(await a.api.post('/v1/webhook-subscriptions', body(a, { contractOwnerId: 999_999_999 })), 403);

    const customersOnly = h.client(await signTestToken({ owners: [a.id], scope: 'customers:*' }));
    expectProblem(await customersOnly.get('/v1/webhook-subscriptions'), 403);
    expectProblem(await customersOnly.get(`/v1/webhook-subscriptions/${sub.id}/deliveries`), 403);
    const readOnly = h.client(await signTestToken({ owners: [a.id], scope: 'webhooks:read' }));
    expect((await readOnly.get(`/v1/webhook-subscriptions/${sub.id}/deliveries`)).status).toBe(200);
    expectProblem(await readOnly.post('/v1/webhook-subscriptions', body(a)), 403);
    expectProblem(await readOnly.post(`/v1/webhook-subscriptions/${sub.id}/deliveries/1/retry`, undefined), 403);

    // an owner with subscriptions cannot be deleted under them
    expectProblem(await h.admin.delete(`/v1/contract-owners/${a.id}`), 409);
  });

  it('delivers signed events, lists deliveries with their attempts, and retries one', async () => {
    const owner = await h.newOwner();
    const before = await addEvent(owner.id);
    const created = await owner.api.create('/v1/webhook-subscriptions', body(owner, { url: 'https://hooks.example.com/in', eventTypes: ['customer_contract.created', 'customer_contract.renewed'] }));
    const first = await addEvent(owner.id);
    await addEvent(owner.id, 'customer_contract.updated');
    const second = await addEvent(owner.id, 'customer_contract.renewed');

    const sent = receiver((n) => (n === 1 ? 503 : 204));
    const t0 = Date.now();
    expect(await deliverWebhooks(h.runtime.deps, t0, { ownerId: owner.id, maxWaitMs: 0 })).toMatchObject({ attempts: 1, retrying: 1 });
    expect(await deliverWebhooks(h.runtime.deps, t0 + 10_000, { ownerId: owner.id, maxWaitMs: 0 })).toMatchObject({ attempts: 2, succeeded: 2 });
    globalThis.fetch = realFetch;

    expect(sent.map((s) => s.url)).toEqual(Array(3).fill('https://hooks.example.com/in'));
    expect(sent.map((s) => JSON.parse(s.body).type)).toEqual(['customer_contract.created', 'customer_contract.created', 'customer_contract.renewed']);
    expect(sent.map((s) => s.headers['webhook-id'])).toEqual([`evt_${first.id}_${created.id}`, `evt_${first.id}_${created.id}`, `evt_${second.id}_${created.id}`]);
    expect(sent.some((s) => s.headers['webhook-id']!.startsWith(`evt_${before.id}_`))).toBe(false);
    const verified = new Webhook(created.secret).verify(sent[2]!.body, sent[2]!.headers);
    expect(verified).toEqual({ type: 'customer_contract.renewed', timestamp: second.createdAt, data: { id: 1, name: 'Contract' } });

    const path = `/v1/webhook-subscriptions/${created.id}/deliveries`;
    const list = await owner.api.get(path);
    expect(list.status, list.text).toBe(200);
    expect(list.headers.get('x-total-count')).toBe('2');
    expect(list.body.map((d: any) => [d.eventId, d.status, d.attempts.map((a: any) => a.statusCode)])).toEqual([
      [first.id, 'SUCCEEDED', [503, 204]],
      [second.id, 'SUCCEEDED', [204]],
    ]);
    expect(list.body[0].attempts[0]).toMatchObject({ attemptNumber: 1, trigger: 'SCHEDULED', error: 'the receiver answered 503', responseBody: 'answer 503' });

    const newestFirst = await owner.api.get(path, { sort: 'id:desc', pageSize: 1 });
    expect(newestFirst.body.map((d: any) => d.eventId)).toEqual([second.id]);
    expect(newestFirst.headers.get('link')).toContain('rel="next"');
    const filtered = await owner.api.get(path, { eventType: 'customer_contract.renewed', fields: 'status' });
    expect(filtered.body).toEqual([{ id: list.body[1].id, status: 'SUCCEEDED' }]);
    expect((await owner.api.head(path, { status: 'FAILED' })).status).toBe(404);
    expect((await owner.api.head(path, { status: 'SUCCEEDED' })).status).toBe(200);
    expectProblem(await owner.api.get(path, { colour: 'red' }), 400);
    expectProblem(await owner.api.get(path, { pageSize: 5000 }), 400);

    const resent = receiver(() => 200);
    const retried = await owner.api.post(`${path}/${list.body[0].id}/retry`, undefined);
    expect(retried.status, retried.text).toBe(200);
    expect(retried.body).toMatchObject({ id: list.body[0].id, status: 'SUCCEEDED', attemptCount: 3, lastStatusCode: 200 });
    expect(retried.body.attempts.map((a: any) => [a.statusCode, a.trigger])).toEqual([
      [503, 'SCHEDULED'],
      [204, 'SCHEDULED'],
      [200, 'MANUAL'],
    ]);
    expect(resent.map((s) => s.headers['webhook-id'])).toEqual([`evt_${first.id}_${created.id}`]);

    expectProblem(await owner.api.post(`${path}/999999999/retry`, undefined), 404);
    const other = await owner.api.create('/v1/webhook-subscriptions', body(owner));
    expectProblem(await owner.api.post(`/v1/webhook-subscriptions/${other.id}/deliveries/${list.body[0].id}/retry`, undefined), 404);
    expectProblem(await owner.api.post(`${path}/abc/retry`, undefined), 400);
    expectProblem(await owner.api.delete(path), 405);
  });

  it('delivers right after a write that emitted an event', async () => {
    const owner = await h.newOwner();
    const sent = receiver(() => 200);
    const sub = await owner.api.create(
      '/v1/webhook-subscriptions',
      body(owner, { eventTypes: ['contract_profile.created', 'contract_profile.versioned', 'customer_contract.created'] }),
    );
    const profile = await owner.api.create('/v1/contract-profiles', {
      contractOwnerId: owner.id,
      name: 'Fibre 12',
      contractTerm: 12,
      earlyTerminationFixedCharge: 100,
      earlyTerminationPercentageCharge: 50,
    });
    const customer = await owner.api.create('/v1/customers', { contractOwnerId: owner.id, customerName: 'Northwind' });
    const contract = await owner.api.create('/v1/customer-contracts', { customerId: customer.id, contractProfileId: profile.id, startDate: '2025-01-01' });
    await vi.waitFor(() => expect(sent).toHaveLength(2), { timeout: 5_000, interval: 20 });
    const payloads = sent.map((s) => new Webhook(sub.secret).verify(s.body, s.headers) as { type: string; data: { id: number } });
    expect(payloads.map((p) => [p.type, p.data.id])).toEqual([
      ['contract_profile.created', profile.id],
      ['customer_contract.created', contract.id],
    ]);
    expect(payloads[1]!.data).toMatchObject({ customerId: customer.id, startDate: '2025-01-01', endDate: '2025-12-31' });

    const versioned = await owner.api.patch(`/v1/contract-profiles/${profile.id}`, [{ op: 'replace', path: '/contractTerm', value: 24 }]);
    expect(versioned.status, versioned.text).toBe(201);
    await vi.waitFor(() => expect(sent).toHaveLength(3), { timeout: 5_000, interval: 20 });
    expect(JSON.parse(sent[2]!.body)).toMatchObject({ type: 'contract_profile.versioned', data: { id: versioned.body.id, contractTerm: 24 } });
  });

  it('delivers the events of a job run on demand right after it', async () => {
    const owner = await h.newOwner();
    const sent = receiver(() => 200);
    const sub = await owner.api.create('/v1/webhook-subscriptions', body(owner, { eventTypes: ['customer_contract.renewed'] }));
    const profile = await owner.api.create('/v1/contract-profiles', {
      contractOwnerId: owner.id,
      name: 'Rolling 12',
      contractTerm: 12,
      earlyTerminationFixedCharge: 0,
      earlyTerminationPercentageCharge: 0,
    });
    await owner.api.patch(`/v1/contract-profiles/${profile.id}`, [{ op: 'replace', path: '/rolloverContractProfileId', value: profile.id }]);
    const customer = await owner.api.create('/v1/customers', { contractOwnerId: owner.id, customerName: 'Rolling' });
    const contract = await owner.api.create('/v1/customer-contracts', { customerId: customer.id, contractProfileId: profile.id, startDate: '2025-01-01' });
    const run = await owner.api.post('/v1/jobs/rollover', { asOf: '2026-01-15' });
    expect(run.body).toMatchObject({ renewed: 1 });
    await vi.waitFor(() => expect(sent).toHaveLength(1), { timeout: 5_000, interval: 20 });
    const payload = new Webhook(sub.secret).verify(sent[0]!.body, sent[0]!.headers) as { type: string; data: Record<string, unknown> };
    expect(payload).toMatchObject({ type: 'customer_contract.renewed' });
    expect(JSON.stringify(payload.data)).toContain(String(contract.id));
  });

  it('records a receiver that cannot be reached', async () => {
    const owner = await h.newOwner();
    const created = await owner.api.create('/v1/webhook-subscriptions', body(owner));
    await addEvent(owner.id);
    globalThis.fetch = (async () => {
      throw new TypeError('network connection lost');
    }) as typeof fetch;
    const report = await deliverWebhooks(h.runtime.deps, Date.now(), { ownerId: owner.id, maxWaitMs: 0 });
    globalThis.fetch = realFetch;
    expect(report).toMatchObject({ attempts: 1, retrying: 1 });
    const [delivery] = (await owner.api.get(`/v1/webhook-subscriptions/${created.id}/deliveries`)).body;
    expect(delivery).toMatchObject({ status: 'PENDING', attemptCount: 1, lastStatusCode: null, lastError: expect.stringMatching(/network connection lost/) });
    expect(Date.parse(delivery.nextAttemptAt) - Date.parse(delivery.lastAttemptAt)).toBe(5_000);
  });

  it('documents the routes', async () => {
    const doc = (await h.request('GET', '/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/webhook-subscriptions',
        '/v1/webhook-subscriptions/{id}',
        '/v1/webhook-subscriptions/{id}/deliveries',
        '/v1/webhook-subscriptions/{id}/deliveries/{deliveryId}/retry',
      ]),
    );
    const created = doc.paths['/v1/webhook-subscriptions'].post.responses['201'].content['application/json'].schema;
    expect(created.$ref).toBe('#/components/schemas/WebhookSubscriptionCreated');
    const withSecret = JSON.stringify(doc.components.schemas.WebhookSubscriptionCreated);
    expect(withSecret).toContain('#/components/schemas/WebhookSubscription"');
    expect(withSecret).toContain('"secret"');
    expect(doc.components.schemas.WebhookSubscription.properties).not.toHaveProperty('secret');
    expect(Object.keys(doc.paths['/v1/webhook-subscriptions/{id}/deliveries/{deliveryId}/retry'].post.responses)).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '404', '409']),
    );
  });
});
