/**
 * Rate limits on both runtimes: per IP address (before authentication), per
 * caller (after it), and of POST /v1/authenticate per address, each answering
 * 429 problem+json with Retry-After. Node counts in the process with the
 * RATE_LIMIT_* settings; the Worker uses its ratelimit bindings (wrangler.toml:
 * 1200, 1200 and 20 a minute). Every test uses its own address and caller.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiResponse, expectProblem, type Harness, harness, signTestToken, unique } from '../helpers/harness';

let h: Harness;
/** the limits in force: small on Node (set here), wrangler.toml's on the Worker */
let limits: { perIp: number; perCaller: number; authenticate: number };
beforeAll(async () => {
  const probe = await harness();
  limits = probe.kind === 'node' ? { perIp: 40, perCaller: 30, authenticate: 5 } : { perIp: 1200, perCaller: 1200, authenticate: 20 };
  h = await harness({
    RATE_LIMITS: 'true',
    RATE_LIMIT_PER_IP: String(limits.perIp),
    RATE_LIMIT_PER_CALLER: String(limits.perCaller),
    RATE_LIMIT_AUTHENTICATE: String(limits.authenticate),
  });
});

let addresses = 0;
/** A fresh client address, as the runtime reads it (X-Forwarded-For behind TRUST_PROXY on Node, CF-Connecting-IP on the Worker). */
function address(): Record<string, string> {
  addresses++;
  const ip = `198.51.${Math.floor(Date.now() / 1000) % 250}.${addresses}`;
  return h.kind === 'node' ? { 'x-forwarded-for': ip } : { 'cf-connecting-ip': ip };
}

/**
 * Sends requests in parallel batches until one is refused, at most 2 × limit + 1.
 * The Worker's limiter counts in windows aligned to the period (a burst may cross
 * into the next window); Node's starts its window at a key's first request.
 * Either way at least `limit` requests pass before the first refusal.
 */
async function untilRefused(limit: number, send: () => Promise<ApiResponse>): Promise<{ passed: number[]; refused: ApiResponse | undefined }> {
  const passed: number[] = [];
  while (passed.length <= 2 * limit) {
    const batch = await Promise.all(Array.from({ length: Math.min(50, 2 * limit + 1 - passed.length) }, send));
    const refused = batch.find((r) => r.status === 429);
    passed.push(...batch.filter((r) => r.status !== 429).map((r) => r.status));
    if (refused) return { passed, refused };
  }
  return { passed, refused: undefined };
}

/** Sends `count` requests in parallel batches; returns the statuses. */
async function burst(count: number, send: () => Promise<{ status: number }>): Promise<number[]> {
  const statuses: number[] = [];
  for (let sent = 0; sent < count; sent += 50) {
    const batch = await Promise.all(Array.from({ length: Math.min(50, count - sent) }, send));
    statuses.push(...batch.map((r) => r.status));
  }
  return statuses;
}

function expectTooMany(res: ApiResponse) {
  const problem = expectProblem(res, 429);
  expect(problem.type).toMatch(/too-many-requests$/);
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${res.headers.get('retry-after')}`).toBe(true);
}

// wrangler.toml's limits take 1,200 requests to reach on the Worker: seconds, longer on a loaded machine
describe('rate limits', { timeout: 120_000 }, () => {
  it('limit an address, before authentication, and leave other addresses alone', async () => {
    const from = address();
    const { passed, refused } = await untilRefused(limits.perIp, () => h.request('GET', '/v1/nothing-here', { headers: from }));
    expect(passed.length).toBeGreaterThanOrEqual(limits.perIp);
    expect(passed.every((s) => s === 401)).toBe(true);
    expectTooMany(refused!);
    // another address is not limited; /health and /ready never are
    expect((await h.request('GET', '/v1/nothing-here', { headers: address() })).status).toBe(401);
    expect((await h.request('GET', '/health', { headers: from })).status).toBe(200);
    expect((await h.request('GET', '/ready', { headers: from })).status).toBe(200);
  });

  it('limit a caller across addresses, and not another caller', async () => {
    const sub = unique('busy-');
    const token = await signTestToken({ sub });
    const { passed, refused } = await untilRefused(limits.perCaller, () => h.request('GET', '/v1/me', { token, headers: address() }));
    expect(passed.length).toBeGreaterThanOrEqual(limits.perCaller);
    expect(passed.filter((s) => s !== 200)).toEqual([]);
    expectTooMany(refused!);
    // the same subject under another token is the same caller; another subject is not
    expectTooMany(await h.request('GET', '/v1/me', { token: await signTestToken({ sub }), headers: address() }));
    const other = await h.request('GET', '/v1/me', { token: await signTestToken({ sub: unique('calm-') }), headers: address() });
    expect(other.status).toBe(200);
  });

  it('limit attempts to authenticate from one address', async () => {
    const from = address();
    const attempt = () => h.request('POST', '/v1/authenticate', { headers: from, body: { clientId: 'nobody', clientSecret: 'guess-guess-guess-guess' } });
    const { passed, refused } = await untilRefused(limits.authenticate, attempt);
    expect(passed.length).toBeGreaterThanOrEqual(limits.authenticate);
    expect(passed.every((s) => s === 401), passed.join()).toBe(true);
    expectTooMany(refused!);
    // reads from the same address are still within their own limit
    expect((await h.request('GET', '/v1/me', { token: await signTestToken({ sub: unique('reader-') }), headers: from })).status).toBe(200);
  });

  it('are off with RATE_LIMITS=false (the default of every other test)', async () => {
    const unlimited = await harness();
    const from = address();
    const statuses = await burst(limits.authenticate + 5, () => unlimited.request('POST', '/v1/authenticate', { headers: from, body: { clientId: 'nobody', clientSecret: 'guess' } }));
    expect(statuses.includes(429)).toBe(false);
  });
});
