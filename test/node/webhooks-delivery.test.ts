/**
 * Webhook delivery against a real HTTP receiver on 127.0.0.1. Time is driven by
 * passing `now` to deliverWebhooks, so the whole retry schedule runs in
 * milliseconds.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { outboxEvents, webhookSubscriptions } from '../../src/db/schema';
import { MAX_DELIVERY_ATTEMPTS, retryDelay } from '../../src/domain/webhooks';
import { runHourly } from '../../src/jobs';
import { deliverWebhooks } from '../../src/jobs/webhooks/delivery';
import { retryDelivery } from '../../src/jobs/webhooks/retry';
import { type Harness, harness, type Owner, unique } from '../helpers/harness';

type Answer = number | 'drop';

interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
  answer: Answer;
}

let h: Harness;
let server: Server;
let base: string;
const received: Received[] = [];
const behaviours = new Map<string, (request: { n: number; body: string }) => Answer | Promise<Answer>>();
const counts = new Map<string, number>();

beforeAll(async () => {
  h = await harness();
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const path = req.url ?? '/';
      const body = Buffer.concat(chunks).toString('utf8');
      const n = (counts.get(path) ?? 0) + 1;
      counts.set(path, n);
      const answer = await (behaviours.get(path) ?? (() => 200))({ n, body });
      received.push({ path, headers: flatten(req.headers), body, answer });
      if (answer === 'drop') req.socket.destroy();
      else res.writeHead(answer, { 'content-type': 'text/plain' }).end(answer < 300 ? 'ok' : `failure ${answer}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function flatten(headers: IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
}

const deps = () => h.runtime.deps;
const db = () => h.runtime.deps.database.db;

/** A subscription of a fresh owner to a fresh receiver path. */
async function subscribe(owner: Owner, eventTypes: string[] = ['*'], behaviour?: (r: { n: number; body: string }) => Answer | Promise<Answer>) {
  const path = `/${unique('hook')}`;
  if (behaviour) behaviours.set(path, behaviour);
  const created = await owner.api.create('/v1/webhook-subscriptions', { contractOwnerId: owner.id, url: base + path, eventTypes });
  return { id: created.id as number, secret: created.secret as string, path };
}

let objectIds = 0;
async function addEvent(ownerId: number, type = 'customer_contract.created', at = Date.now()) {
  objectIds += 1;
  const [event] = await db()
    .insert(outboxEvents)
    .values({
      contractOwnerId: ownerId,
      type,
      objectType: type.split('.')[0]!,
      objectId: objectIds,
      data: { id: objectIds, name: `object ${objectIds}` },
      actor: 'test',
      createdAt: new Date(at).toISOString(),
    })
    .returning();
  return event!;
}

const at = (path: string) => received.filter((r) => r.path === path);
const eventIdOf = (r: Received) => Number(/^evt_(\d+)_/.exec(r.headers['webhook-id']!)![1]);
const succeededEventIds = (path: string) => at(path).filter((r) => r.answer !== 'drop' && r.answer < 300).map(eventIdOf);

/** Standard Webhooks verification as a receiver would do it at the time the attempt was made. */
function verify(secret: string, r: Received): unknown {
  vi.useFakeTimers({ toFake: ['Date'] });
  try {
    vi.setSystemTime(Number(r.headers['webhook-timestamp']) * 1000);
    return new Webhook(secret).verify(r.body, r.headers);
  } finally {
    vi.useRealTimers();
  }
}

const run = (ownerId: number, now: number) => deliverWebhooks(deps(), now, { ownerId, maxWaitMs: 0 });

async function deliveries(owner: Owner, subscriptionId: number) {
  const res = await owner.api.get(`/v1/webhook-subscriptions/${subscriptionId}/deliveries`);
  expect(res.status, res.text).toBe(200);
  return res.body as any[];
}

describe('webhook delivery', () => {
  it('delivers each event once, in order, signed, through two failures of the receiver', async () => {
    const owner = await h.newOwner();
    const sub = await subscribe(owner, ['*'], ({ n }) => (n <= 2 ? 500 : 200));
    const t0 = Date.now();
    const events = [await addEvent(owner.id), await addEvent(owner.id, 'customer_contract.updated'), await addEvent(owner.id, 'customer_contract.renewed')];

    expect(await run(owner.id, t0)).toMatchObject({ attempts: 1, succeeded: 0, retrying: 1, complete: true });
    // not due yet: nothing is sent, and nothing newer overtakes the waiting event
    expect(await run(owner.id, t0 + 4_000)).toMatchObject({ attempts: 0 });
    expect(at(sub.path)).toHaveLength(1);

    // attempts are stamped with `now` plus the real time the run took: a second of slack covers it
    expect(await run(owner.id, t0 + 6_000)).toMatchObject({ attempts: 1, retrying: 1 });
    expect(await run(owner.id, t0 + 6_000 + 4 * 60_000)).toMatchObject({ attempts: 0 });
    const third = await run(owner.id, t0 + 7_000 + 5 * 60_000);
    expect(third).toMatchObject({ attempts: 3, succeeded: 3, retrying: 0, failed: 0 });
    expect(await run(owner.id, t0 + 3_600_000)).toMatchObject({ attempts: 0 });

    const all = at(sub.path);
    expect(all.map(eventIdOf)).toEqual([events[0]!.id, events[0]!.id, events[0]!.id, events[1]!.id, events[2]!.id]);
    expect(succeededEventIds(sub.path)).toEqual(events.map((e) => e.id));
    expect(new Set(all.slice(0, 3).map((r) => r.headers['webhook-id']))).toEqual(new Set([`evt_${events[0]!.id}_${sub.id}`]));
    for (const r of all) {
      expect(verify(sub.secret, r)).toEqual({ type: expect.any(String), timestamp: expect.any(String), data: expect.any(Object) });
      expect(r.headers['content-type']).toBe('application/json');
    }
    expect(JSON.parse(all[4]!.body)).toEqual({ type: 'customer_contract.renewed', timestamp: events[2]!.createdAt, data: events[2]!.data });
    // each retry is signed afresh at its own time
    expect(Number(all[1]!.headers['webhook-timestamp']) - Number(all[0]!.headers['webhook-timestamp'])).toBeGreaterThanOrEqual(5);

    const list = await deliveries(owner, sub.id);
    expect(list.map((d) => [d.eventId, d.status, d.attemptCount])).toEqual([
      [events[0]!.id, 'SUCCEEDED', 3],
      [events[1]!.id, 'SUCCEEDED', 1],
      [events[2]!.id, 'SUCCEEDED', 1],
    ]);
    expect(list[0].attempts.map((a: any) => [a.attemptNumber, a.statusCode, a.trigger])).toEqual([
      [1, 500, 'SCHEDULED'],
      [2, 500, 'SCHEDULED'],
      [3, 200, 'SCHEDULED'],
    ]);
    expect(list[0].attempts[0]).toMatchObject({ error: 'the receiver answered 500', responseBody: 'failure 500' });
    expect(list[0]).toMatchObject({ lastStatusCode: 200, nextAttemptAt: null, webhookId: `evt_${events[0]!.id}_${sub.id}` });
  });

  it('waits within a run for a retry falling due in moments', async () => {
    const owner = await h.newOwner();
    const sub = await subscribe(owner, ['*'], ({ n }) => (n === 1 ? 503 : 204));
    const t0 = Date.now();
    const event = await addEvent(owner.id);
    await run(owner.id, t0);
    const report = await deliverWebhooks(deps(), t0 + retryDelay(1)! - 150, { ownerId: owner.id, maxWaitMs: 1_000 });
    expect(report).toMatchObject({ attempts: 1, succeeded: 1 });
    expect(succeededEventIds(sub.path)).toEqual([event.id]);
  });

  it('marks a delivery FAILED after 8 tries and moves on; a manual retry sends it again', async () => {
    const owner = await h.newOwner();
    let up = false;
    // down: alternately no response at all and a 503
    const sub = await subscribe(owner, ['*'], ({ n }) => (up ? 200 : n % 2 === 1 ? 'drop' : 503));
    const first = await addEvent(owner.id);
    const second = await addEvent(owner.id);
    let t = Date.now();
    for (let attempt = 1; attempt < MAX_DELIVERY_ATTEMPTS; attempt++) {
      expect(await run(owner.id, t)).toMatchObject({ attempts: 1, retrying: 1 });
      t += retryDelay(attempt)! + 1_000;
    }
    expect(at(sub.path).map(eventIdOf)).toEqual(Array(MAX_DELIVERY_ATTEMPTS - 1).fill(first.id));
    up = true;
    // the receiver recovered only after the last try: the first event is given up, the second follows at once
    behaviours.set(sub.path, ({ n }) => (n === MAX_DELIVERY_ATTEMPTS ? 503 : 200));
    expect(await run(owner.id, t)).toMatchObject({ attempts: 2, failed: 1, succeeded: 1 });
    expect(succeededEventIds(sub.path)).toEqual([second.id]);

    const list = await deliveries(owner, sub.id);
    expect(list.map((d) => [d.eventId, d.status])).toEqual([
      [first.id, 'FAILED'],
      [second.id, 'SUCCEEDED'],
    ]);
    const failed = list[0];
    expect(failed.attemptCount).toBe(8);
    expect(failed.attempts.map((a: any) => a.statusCode)).toEqual([null, 503, null, 503, null, 503, null, 503]);
    expect(failed.attempts[0].error).toMatch(/request failed/);
    const gaps = failed.attempts.slice(1).map((a: any, i: number) => Date.parse(a.attemptedAt) - Date.parse(failed.attempts[i].attemptedAt));
    gaps.forEach((gap: number, i: number) => expect(gap).toBeGreaterThanOrEqual(retryDelay(i + 1)!));

    const retried = await owner.api.post(`/v1/webhook-subscriptions/${sub.id}/deliveries/${failed.id}/retry`, undefined);
    expect(retried.status, retried.text).toBe(200);
    expect(retried.body).toMatchObject({ id: failed.id, status: 'SUCCEEDED', attemptCount: 9, lastStatusCode: 200 });
    expect(retried.body.attempts.at(-1)).toMatchObject({ attemptNumber: 9, trigger: 'MANUAL', statusCode: 200 });
    const resent = at(sub.path).at(-1)!;
    expect(resent.headers['webhook-id']).toBe(`evt_${first.id}_${sub.id}`);
    expect(verify(sub.secret, resent)).toMatchObject({ data: first.data });
  });

  it('a manual retry of a waiting delivery takes its next try now, and the events behind it follow', async () => {
    const owner = await h.newOwner();
    let up = false;
    const sub = await subscribe(owner, ['*'], () => (up ? 200 : 500));
    const first = await addEvent(owner.id);
    const second = await addEvent(owner.id);
    await run(owner.id, Date.now());
    const [pending] = await deliveries(owner, sub.id);
    expect(pending).toMatchObject({ eventId: first.id, status: 'PENDING', attemptCount: 1 });

    // still down: the manual try counts as the next scheduled one
    const again = await retryDelivery(deps(), Date.now(), sub.id, pending.id);
    expect(again).toMatchObject({ busy: false, delivery: { status: 'PENDING', attemptCount: 2 } });

    up = true;
    const retried = await owner.api.post(`/v1/webhook-subscriptions/${sub.id}/deliveries/${pending.id}/retry`, undefined);
    expect(retried.body).toMatchObject({ status: 'SUCCEEDED', attemptCount: 3 });
    // the run started after the retry delivers the rest
    await vi.waitFor(() => expect(succeededEventIds(sub.path)).toEqual([first.id, second.id]), { timeout: 5_000, interval: 20 });
  });

  it('sends only the subscribed types of its own owner, and no events from before it existed', async () => {
    const a = await h.newOwner();
    const b = await h.newOwner();
    const history = await addEvent(a.id, 'customer_contract.renewed');
    const subA = await subscribe(a, ['customer_contract.renewed', 'contract_profile.versioned']);
    const subB = await subscribe(b, ['*']);
    const renewed = await addEvent(a.id, 'customer_contract.renewed');
    await addEvent(a.id, 'customer_contract.created');
    const otherOwner = await addEvent(b.id, 'customer_contract.renewed');
    const versioned = await addEvent(a.id, 'contract_profile.versioned');
    await addEvent(a.id, 'inclusive_usage_balance.exhausted');

    const now = Date.now();
    expect(await run(a.id, now)).toMatchObject({ subscriptions: 1, succeeded: 2 });
    expect(await run(b.id, now)).toMatchObject({ subscriptions: 1, succeeded: 1 });
    expect(at(subA.path).map(eventIdOf)).toEqual([renewed.id, versioned.id]);
    expect(at(subB.path).map(eventIdOf)).toEqual([otherOwner.id]);
    expect(at(subA.path).map(eventIdOf)).not.toContain(history.id);
    expect(await run(a.id, now + 60_000)).toMatchObject({ attempts: 0, subscriptions: 0 });
  });

  it('pauses an inactive subscription and resumes where it stopped', async () => {
    const owner = await h.newOwner();
    const sub = await subscribe(owner);
    const paused = await owner.api.patch(`/v1/webhook-subscriptions/${sub.id}`, [{ op: 'replace', path: '/active', value: false }]);
    expect(paused.status, paused.text).toBe(200);
    const event = await addEvent(owner.id);
    expect(await run(owner.id, Date.now())).toMatchObject({ subscriptions: 0, attempts: 0 });
    expect(at(sub.path)).toEqual([]);
    await owner.api.patch(`/v1/webhook-subscriptions/${sub.id}`, [{ op: 'replace', path: '/active', value: true }]);
    expect(await run(owner.id, Date.now())).toMatchObject({ succeeded: 1 });
    expect(succeededEventIds(sub.path)).toEqual([event.id]);
  });

  it('never sends one subscription from two runs at once', async () => {
    const owner = await h.newOwner();
    const sub = await subscribe(owner, ['*'], async ({ n }) => {
      await new Promise((resolve) => setTimeout(resolve, 15));
      return n % 3 === 0 ? 500 : 200;
    });
    const events = [];
    for (let i = 0; i < 6; i++) events.push(await addEvent(owner.id));
    let t = Date.now();
    for (let round = 0; round < 6 && succeededEventIds(sub.path).length < events.length; round++) {
      const reports = await Promise.all([run(owner.id, t), run(owner.id, t), deliverWebhooks(deps(), t, { maxWaitMs: 0 })]);
      expect(reports.filter((r) => r.busy > 0 || r.subscriptions === 0).length).toBeGreaterThanOrEqual(2);
      t += 10 * 60_000;
    }
    expect(succeededEventIds(sub.path)).toEqual(events.map((e) => e.id));
    // every attempt of an event happened strictly after the previous one finished: never two in flight
    const ids = at(sub.path).map(eventIdOf);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
  });

  it('leaves a subscription held by another run alone until that lease expires', async () => {
    const owner = await h.newOwner();
    const sub = await subscribe(owner);
    await addEvent(owner.id);
    const now = Date.now();
    const hold = () =>
      db().update(webhookSubscriptions).set({ leaseToken: 'crashed-run', leaseExpiresAt: now + 60_000 }).where(eq(webhookSubscriptions.id, sub.id));
    await hold();
    expect(await run(owner.id, now)).toMatchObject({ busy: 1, attempts: 0 });
    expect(await deliveries(owner, sub.id)).toEqual([]);
    expect(await run(owner.id, now + 60_000)).toMatchObject({ busy: 0, succeeded: 1 });
    expect(at(sub.path)).toHaveLength(1);

    // a manual retry refuses to send beside a run holding the subscription
    const [delivery] = await deliveries(owner, sub.id);
    await hold();
    const res = await owner.api.post(`/v1/webhook-subscriptions/${sub.id}/deliveries/${delivery.id}/retry`, undefined);
    expect(res.status, res.text).toBe(409);
    expect(at(sub.path)).toHaveLength(1);
  });

  it('asks the run holding a subscription to walk again, so an event written meanwhile is not left for the hourly job', async () => {
    const owner = await h.newOwner();
    let unblock!: () => void;
    const blocked = new Promise<void>((resolve) => {
      unblock = resolve;
    });
    const sub = await subscribe(owner, ['*'], async ({ n }) => {
      if (n === 1) return 500;
      await blocked;
      return 200;
    });
    const first = await addEvent(owner.id);
    await run(owner.id, Date.now());
    const [delivery] = await deliveries(owner, sub.id);
    // a manual retry holds the subscription while the receiver is slow …
    const retrying = retryDelivery(deps(), Date.now(), sub.id, delivery.id);
    await vi.waitFor(() => expect(counts.get(sub.path)).toBe(2), { timeout: 2_000, interval: 5 });
    // … and a run with work to do finds it busy
    const second = await addEvent(owner.id);
    expect(await run(owner.id, Date.now() + 10_000)).toMatchObject({ busy: 1, attempts: 0 });
    unblock();
    expect(await retrying).toMatchObject({ busy: false, rerun: true, delivery: { status: 'SUCCEEDED', attemptCount: 2 } });
    expect(succeededEventIds(sub.path)).toEqual([first.id]);
    expect(await run(owner.id, Date.now())).toMatchObject({ succeeded: 1 });
    expect(succeededEventIds(sub.path)).toEqual([first.id, second.id]);
    const [row] = await db().select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, sub.id));
    expect(row).toMatchObject({ leaseToken: null, rerunRequested: false });
  });

  it('stops at its statement budget and leaves the rest to the next run', async () => {
    const owner = await h.newOwner();
    const sub = await subscribe(owner);
    const events = [];
    for (let i = 0; i < 5; i++) events.push(await addEvent(owner.id));
    const first = await deliverWebhooks(deps(), Date.now(), { ownerId: owner.id, maxWaitMs: 0, maxStatements: 18 });
    expect(first.complete).toBe(false);
    expect(first.succeeded).toBeGreaterThan(0);
    expect(first.succeeded).toBeLessThan(5);
    const second = await run(owner.id, Date.now());
    expect(second).toMatchObject({ complete: true, succeeded: 5 - first.succeeded });
    expect(succeededEventIds(sub.path)).toEqual(events.map((e) => e.id));
  });

  it('runs as the last step of the hourly job', async () => {
    const owner = await h.newOwner();
    const sub = await subscribe(owner);
    const event = await addEvent(owner.id);
    const report = await runHourly(deps(), Date.now());
    expect(Object.keys(report).at(-1)).toBe('webhooks');
    expect((report.webhooks as { succeeded: number }).succeeded).toBeGreaterThanOrEqual(1);
    expect(succeededEventIds(sub.path)).toEqual([event.id]);
  });
});
