/**
 * Middleware every request passes through, in order: request id and the JSON log
 * line, body limit, authentication of protected paths, idempotency of POSTs.
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ConfigError } from '../config';
import type { Ctx, Deps } from '../db/context';
import { ctxFor } from '../db/context';
import { driverError, isUniqueViolation } from '../db/client';
import { idempotencyKeys } from '../db/schema';
import { keepLeased } from '../db/lease';
import type { Area } from '../domain/scopes';
import { type Access, Authenticator, type Principal, requireScope } from './auth';
import { sha256 } from '../domain/credentials';
import { TenorError, conflict, invalidField } from '../errors';
import { clientErrorKind, problemResponse, statusOf } from './problem';

/** The domain context a route hands to services (see ctxOf). */
export type { Ctx } from '../db/context';

/** Read these with c.get(): hono's c.var copies every variable into a new object on each access. */
export type AppEnv = {
  Variables: {
    deps: Deps;
    requestId: string;
    principal: Principal;
    defer: (work: Promise<unknown>) => void;
    /** a synchronous digest of a text for ETags, where the runtime has one (http/hygiene.ts listJson) */
    digest: ((text: string) => string) | undefined;
  };
};

export type AppContext = Context<AppEnv>;

const PUBLIC_PATHS = new Set(['/health', '/ready', '/openapi.json', '/docs', '/v1/authenticate']);
/** the files the /docs page loads */
const PUBLIC_PREFIX = '/docs/assets/';

const REQUEST_ID = /^[\x21-\x7e]{1,200}$/;

export function requestLogger(): MiddlewareHandler<AppEnv> {
  // one in N of the successful, fast requests when sampled (LOG_REQUESTS=sample:N)
  let skipped = 0;
  return async (c, next) => {
    const started = performance.now();
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
    c.set('requestId', requestId);
    await next();
    c.res.headers.set('x-request-id', requestId);
    const deps = c.get('deps');
    const every = deps.config.LOG_REQUESTS;
    if (every === 0) return;
    const status = c.res.status;
    const durationMs = performance.now() - started;
    if (every > 1 && status < 400 && durationMs < deps.config.LOG_SLOW_MS && ++skipped < every) return;
    skipped = 0;
    deps.log({
      time: new Date().toISOString(),
      level: status >= 500 ? 'error' : 'info',
      requestId,
      method: c.req.method,
      path: c.req.path,
      status,
      durationMs: Math.round(durationMs * 100) / 100,
      sub: c.get('principal')?.sub,
      ...(every > 1 ? { sampled: every } : {}),
    });
  };
}

const authenticators = new WeakMap<object, Authenticator>();

/** One authenticator per configuration (process or isolate, whichever database serves): it holds the imported keys and the token cache. */
export function authenticatorFor(deps: Deps): Authenticator {
  let auth = authenticators.get(deps.config);
  if (!auth) authenticators.set(deps.config, (auth = new Authenticator(deps.config)));
  return auth;
}

export function authenticate(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (PUBLIC_PATHS.has(c.req.path) || c.req.path.startsWith(PUBLIC_PREFIX)) return next();
    c.set('principal', await authenticatorFor(c.get('deps')).authenticate(c.req.header('authorization')));
    return next();
  };
}

/** Route middleware: the token must carry `<area>:<access>` (or a wider scope). */
export function scope(area: Area, access: Access): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    requireScope(c.get('principal'), area, access);
    return next();
  };
}

/** The domain context of this request. */
export function ctxOf(c: AppContext): Ctx {
  const principal = c.get('principal');
  return ctxFor(c.get('deps'), { tenant: { owners: principal.owners }, scopes: principal.scopes, actor: principal.sub }, c.get('requestId'), c.get('defer'));
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** How long a running request holds its key without renewing it: a request that died with its process frees it after this. */
export const IDEMPOTENCY_LEASE_MS = 10_000;
const IDEMPOTENCY_KEY = /^[\x20-\x7e]{1,255}$/;
const REPLAYED_HEADERS = ['content-type', 'location', 'etag'];
const WRITE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * "The same caller" of an Idempotency-Key (conventions.md): the token's sub with
 * its owner set (in any order) and its app client, so a key never replays a
 * response to a caller who could not have read it.
 */
export function idempotencyCaller(principal: Principal): string {
  const owners = principal.owners === '*' ? '*' : [...new Set(principal.owners)].sort((x, y) => x - y).join(',');
  return JSON.stringify([principal.sub, owners, principal.client ?? null]);
}

/**
 * `Idempotency-Key` on POST: the key is claimed before the handler runs. The same
 * key, caller, method, path and body within 24 h replays the stored response; a
 * different request under the key is a 422; a first request still running, 409.
 * A running request holds the key by a lease it renews; one whose process died
 * frees the key once the lease has passed (seconds), and a retry then runs.
 * Only successes are kept: a refused request (4xx, 5xx) changed nothing, so the key
 * is released and the caller may retry, or correct the request, under it. So are
 * `Cache-Control: no-store` responses, which hold a secret that must not be stored.
 */
export function idempotency(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (key === undefined || !c.get('principal') || !WRITE_METHODS.has(c.req.method)) return next();
    // a malformed key is refused on every write; only POSTs need one (PUT, PATCH and DELETE are idempotent or guarded by ETags)
    if (!IDEMPOTENCY_KEY.test(key)) throw invalidField('header.Idempotency-Key', 'must be 1..255 printable characters');
    if (c.req.method !== 'POST') return next();

    const deps = c.get('deps');
    const db = deps.database.db;
    const caller = idempotencyCaller(c.get('principal'));
    const bodyHash = await sha256(await c.req.text());
    const method = c.req.method;
    const path = c.req.path;
    const where = and(eq(idempotencyKeys.caller, caller), eq(idempotencyKeys.key, key));

    let claimedAt: number;
    for (let attempt = 0; ; attempt++) {
      const now = deps.clock();
      try {
        await db.insert(idempotencyKeys).values({ caller, key, method, path, bodyHash, createdAt: now, leaseExpiresAt: now + IDEMPOTENCY_LEASE_MS });
        claimedAt = now;
        break;
      } catch (error) {
        if (!isUniqueViolation(error) || attempt > 2) throw error;
      }
      const [existing] = await db.select().from(idempotencyKeys).where(where);
      if (!existing) continue;
      const abandoned = existing.status === null && (existing.leaseExpiresAt ?? 0) < now;
      if (existing.createdAt < now - DAY_MS || abandoned) {
        // expired, or its request died with its process: taken over by whoever deletes that very record
        await db.delete(idempotencyKeys).where(and(where, eq(idempotencyKeys.createdAt, existing.createdAt)));
        continue;
      }
      if (existing.method !== method || existing.path !== path || existing.bodyHash !== bodyHash) {
        throw new TenorError('business-rule', 'This Idempotency-Key was already used with a different request');
      }
      if (existing.status === null) throw conflict('A request with this Idempotency-Key is still being processed');
      const headers = new Headers(existing.responseHeaders ?? {});
      headers.set('idempotent-replayed', 'true');
      return new Response(existing.responseBody, { status: existing.status, headers });
    }

    // this request's own record: one that outlived its lease may have been taken over by a retry
    const mine = and(where, eq(idempotencyKeys.createdAt, claimedAt));
    const stopRenewing = keepLeased(
      () => db.update(idempotencyKeys).set({ leaseExpiresAt: deps.clock() + IDEMPOTENCY_LEASE_MS }).where(and(mine, isNull(idempotencyKeys.status))),
      IDEMPOTENCY_LEASE_MS,
      deps.log,
    );
    try {
      await next();
    } finally {
      stopRenewing();
    }
    const status = c.res.status;
    // a `no-store` response carries a secret (an app client's) that must never be written down, so it is not kept for replay
    if (status >= 400 || /\bno-store\b/.test(c.res.headers.get('cache-control') ?? '')) {
      await db.delete(idempotencyKeys).where(mine);
      return;
    }
    const responseHeaders: Record<string, string> = {};
    for (const h of REPLAYED_HEADERS) {
      const v = c.res.headers.get(h);
      if (v !== null) responseHeaders[h] = v;
    }
    const responseBody = await c.res.clone().text();
    await db.update(idempotencyKeys).set({ status, responseBody, responseHeaders, leaseExpiresAt: null }).where(mine);
  };
}

/** Maps anything thrown to problem+json; a fault of Tenor is logged and answered without internals. */
export function handleError(error: Error, c: AppContext): Response {
  const requestId = c.get('requestId') ?? crypto.randomUUID();
  const head = c.req.method === 'HEAD';
  let apiError: TenorError;
  if (error instanceof TenorError) {
    apiError = error;
  } else if (error instanceof HTTPException) {
    const kind = clientErrorKind(error.status);
    apiError = kind ? new TenorError(kind, error.message || 'Invalid request') : new TenorError('internal', 'An unexpected error occurred');
  } else if (error instanceof ConfigError) {
    apiError = new TenorError('misconfigured', error.message);
  } else if (isUniqueViolation(error)) {
    apiError = conflict('A record with the same unique values already exists');
  } else if (driverError(error)?.code.includes('FOREIGNKEY')) {
    apiError = conflict('The change conflicts with related records');
  } else {
    apiError = new TenorError('internal', 'An unexpected error occurred');
  }
  if (statusOf(apiError.kind) >= 500) {
    c.get('deps')?.log({
      time: new Date().toISOString(),
      level: 'error',
      requestId,
      msg: apiError.kind === 'misconfigured' ? apiError.detail : 'unhandled error',
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      stack: error instanceof Error ? error.stack : undefined,
    });
  }
  return problemResponse(apiError, c.req.path, requestId, head);
}
