/**
 * Rate limiting per IP address (every request but /health and /ready, before
 * authentication), per caller (the token's subject and client, after it), and
 * of POST /v1/authenticate per IP address (a tighter limit on guessing client
 * secrets). Over a limit: 429 problem+json with Retry-After.
 *
 * One port, `RateLimiter`, shaped like the Workers rate-limit binding
 * (`limit({ key }) → { success }`): on the Worker the bindings in wrangler.toml
 * (counted per Cloudflare location), on Node `FixedWindowLimiter` in the process.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { Config } from '../config';
import type { AppEnv } from './middleware';
import { HttpError } from './problem';

export interface RateLimiter {
  limit(options: { key: string }): Promise<{ success: boolean; retryAfterSeconds?: number }>;
}

/** A limiter and the period it counts over (the Retry-After when the limiter does not say). */
export interface RateLimit {
  limiter: RateLimiter;
  periodSeconds: number;
}

export interface RateLimits {
  perIp?: RateLimit;
  perCaller?: RateLimit;
  authenticate?: RateLimit;
}

/**
 * At most `limit` requests per key in each fixed window of `periodSeconds`,
 * counted in this process. Windows that have ended are swept as keys are added.
 */
export class FixedWindowLimiter implements RateLimiter {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();
  private nextSweep = 0;

  constructor(
    private readonly max: number,
    private readonly periodSeconds: number,
    private readonly clock: () => number = Date.now,
  ) {}

  async limit({ key }: { key: string }) {
    const now = this.clock();
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      this.sweep(now);
      window = { count: 0, endsAt: now + this.periodSeconds * 1000 };
      this.windows.set(key, window);
    }
    window.count++;
    if (window.count <= this.max) return { success: true };
    return { success: false, retryAfterSeconds: Math.max(1, Math.ceil((window.endsAt - now) / 1000)) };
  }

  private sweep(now: number) {
    if (now < this.nextSweep) return;
    this.nextSweep = now + this.periodSeconds * 1000;
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
  }
}

const MINUTE = 60;

/** Node's limits from the configuration (per minute; 0 turns one off), or none when RATE_LIMITS is off. */
export function inProcessRateLimits(config: Config, clock?: () => number): RateLimits {
  if (!config.RATE_LIMITS) return {};
  const make = (max: number): RateLimit | undefined => (max > 0 ? { limiter: new FixedWindowLimiter(max, MINUTE, clock), periodSeconds: MINUTE } : undefined);
  const limits: RateLimits = {};
  const perIp = make(config.RATE_LIMIT_PER_IP);
  const perCaller = make(config.RATE_LIMIT_PER_CALLER);
  const authenticate = make(config.RATE_LIMIT_AUTHENTICATE);
  if (perIp) limits.perIp = perIp;
  if (perCaller) limits.perCaller = perCaller;
  if (authenticate) limits.authenticate = authenticate;
  return limits;
}

/** The client's address on Node: the socket's peer, or with TRUST_PROXY the first X-Forwarded-For address. */
export function nodeClientIp(c: Context<AppEnv>): string | undefined {
  if (c.get('deps').config.TRUST_PROXY) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  return (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress;
}

const UNLIMITED_PATHS = new Set(['/health', '/ready']);

async function check(limit: RateLimit | undefined, key: string, what: string): Promise<void> {
  if (!limit) return;
  const outcome = await limit.limiter.limit({ key });
  if (outcome.success) return;
  const retryAfter = outcome.retryAfterSeconds ?? limit.periodSeconds;
  throw new HttpError('too-many-requests', `Too many requests ${what}; retry after ${retryAfter} s`, { 'retry-after': String(retryAfter) });
}

/** Before authentication: the IP address's limit, and /v1/authenticate's. */
export function limitByIp(limits: (c: Context<AppEnv>) => RateLimits, clientIp: (c: Context<AppEnv>) => string | undefined): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (UNLIMITED_PATHS.has(c.req.path) || c.req.method === 'OPTIONS') return next();
    const set = limits(c);
    if (set.perIp || set.authenticate) {
      const ip = clientIp(c) ?? 'unknown';
      await check(set.perIp, `ip:${ip}`, 'from this address');
      if (c.req.method === 'POST' && c.req.path === '/v1/authenticate') await check(set.authenticate, `authenticate:${ip}`, 'to authenticate from this address');
    }
    return next();
  };
}

/** After authentication: the caller's limit (its token's subject and app client). */
export function limitByCaller(limits: (c: Context<AppEnv>) => RateLimits): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get('principal');
    const perCaller = principal ? limits(c).perCaller : undefined;
    if (perCaller) await check(perCaller, `caller:${JSON.stringify([principal.sub, principal.client ?? null])}`, 'for this caller');
    return next();
  };
}
