/**
 * The Tenor app: one Hono app for the Worker and the Node server. Middleware,
 * the error contract, every surface's routes, /openapi.json and /docs.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { sql } from 'drizzle-orm';
import { type Deps, deferLoggingFailures } from './db/context';
import { jsonPostBodies } from './http/media-type';
import { authenticate, type AppEnv, handleError, idempotency, requestLogger } from './http/middleware';
import { describeErrors, invalid, TenorError } from './errors';
import { DOCS_ASSETS, DOCS_ASSETS_PATH } from './http/docs';
import { apiDocumentText } from './http/openapi';
import { problemResponse } from './http/problem';
import { fieldErrors, type ZodIssueLike } from './http/validation';
import { registerRoutes } from './routes';
import { conditionalReads, corsFor, keepVersionTags, secureHeadersFor, type TextDigest } from './http/hygiene';
import { limitByCaller, limitByIp, type RateLimits } from './http/rate-limit';
import { serverTiming } from './http/server-timing';
import { sha256 } from './domain/credentials';

const BODY_LIMIT_BYTES = 1024 * 1024;

export interface AppOptions {
  /** the dependencies for this request (fixed on Node; per bindings on the Worker) */
  deps: (c: Context) => Deps;
  /**
   * The dependencies for an authenticated caller's owners, when they differ from `deps` (the Worker: the
   * owners' shard, through a D1 session); may refuse the owners with a TenorError.
   */
  tenantDeps?: (c: Context, owners: readonly number[] | '*') => Deps;
  /** how to keep background work alive after the response (waitUntil on the Worker); by default it runs on, failures logged */
  defer?: (c: Context) => (work: Promise<unknown>) => void;
  /** a file of /docs/assets/ (http/docs.ts), from the installed package: read from node_modules on Node, the static assets on the Worker */
  docsAsset?: (c: Context, name: string) => Promise<Response>;
  /** the /docs page (http/docs.ts DOCS_PAGE_CONFIG rendered): Node renders it, the Worker reads it from its static assets */
  docsPage?: (c: Context) => Promise<Response>;
  /** the compression middleware (Node: hono/compress, brought by its entry); on the Worker Cloudflare compresses at its edge */
  compress?: MiddlewareHandler;
  /** the rate limits (http/rate-limit.ts): Node's in the process, the Worker's its ratelimit bindings; none by default */
  rateLimits?: (c: Context<AppEnv>) => RateLimits;
  /** the client's IP address, for the per-IP limits */
  clientIp?: (c: Context<AppEnv>) => string | undefined;
  /** a synchronous digest for the ETags of list pages, made as they are rendered (Node: node:crypto; http/hygiene.ts listJson); without it hono/etag digests the body */
  digest?: TextDigest;
}

const NO_LIMITS: RateLimits = {};

const TARGETS: Record<string, string> = { json: '', query: 'query.', param: 'path.', header: 'header.' };

/** zod failures of any request part become one 400 problem naming every field. */
function validationHook(result: { success: boolean; target?: string; error?: { issues: ZodIssueLike[] } }) {
  if (result.success) return;
  const errors = fieldErrors(result.error?.issues ?? [], TARGETS[result.target ?? 'json'] ?? '');
  throw invalid(describeErrors(errors), errors);
}

export function createApp(options: AppOptions): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook as never });

  app.use('*', async (c, next) => {
    const deps = options.deps(c);
    c.set('deps', deps);
    c.set('defer', options.defer?.(c) ?? deferLoggingFailures(deps));
    c.set('digest', options.digest);
    await next();
  });
  app.use('*', requestLogger());
  app.use('*', ...serverTiming());
  if (options.compress) app.use('*', options.compress);
  app.use('*', keepVersionTags());
  app.use('*', secureHeadersFor());
  // CORS_ORIGINS is read per set of dependencies (the Worker's vars arrive with the request)
  const corsByOrigins = new Map<string, ReturnType<typeof corsFor>>();
  app.use('*', (c, next) => {
    const origins = c.get('deps').config.CORS_ORIGINS;
    const key = origins.join(',');
    if (!corsByOrigins.has(key)) corsByOrigins.set(key, corsFor(origins));
    const handler = corsByOrigins.get(key);
    return handler ? handler(c, next) : next();
  });
  const rateLimits = (c: Context<AppEnv>) => (c.get('deps').config.RATE_LIMITS && options.rateLimits?.(c)) || NO_LIMITS;
  app.use('*', limitByIp(rateLimits, options.clientIp ?? (() => undefined)));
  const limitBody = bodyLimit({
    maxSize: BODY_LIMIT_BYTES,
    onError: (c) => problemResponse(new TenorError('payload-too-large', 'The request body is larger than 1 MiB'), c.req.path, c.get('requestId')),
  });
  // GET and HEAD bodies are never read; asking for one makes @hono/node-server build a full Request per call
  app.use('*', (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limitBody(c, next)));
  app.use('*', authenticate());
  if (options.tenantDeps) {
    const tenantDeps = options.tenantDeps;
    app.use('*', async (c, next) => {
      const principal = c.get('principal');
      if (principal) c.set('deps', tenantDeps(c, principal.owners));
      return next();
    });
  }
  app.use('*', limitByCaller(rateLimits));
  app.use('*', conditionalReads());
  app.use('*', jsonPostBodies());
  app.use('*', idempotency());
  app.onError(handleError);
  app.notFound((c) => problemResponse(new TenorError('not-found', `No route for ${c.req.method} ${c.req.path}`), c.req.path, c.get('requestId'), c.req.method === 'HEAD'));

  // cheap: the process answers (a liveness probe); /ready asks the database (a readiness probe)
  app.get('/health', (c) => c.json({ status: 'ok' }, 200, { 'cache-control': 'no-store' }));
  app.get('/ready', async (c) => {
    try {
      await c.get('deps').database.db.run(sql`select 1 from contract_owners limit 1`);
    } catch (error) {
      c.get('deps').log({ time: new Date().toISOString(), level: 'error', requestId: c.get('requestId'), msg: 'readiness check failed', error: String(error) });
      throw new TenorError('unavailable', 'The database cannot be reached');
    }
    return c.json({ status: 'ready' }, 200, { 'cache-control': 'no-store' });
  });

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'A JWT with `sub`, `scope` (space-separated `<area>:read|write|*` or `*`) and `owners` (owner ids or ["*"]).',
  });
  registerRoutes(app);

  // the document is built once, and so is its ETag: a client revalidates it with If-None-Match
  let documentEtag: Promise<string> | undefined;
  app.get('/openapi.json', async (c) => {
    const text = apiDocumentText(app);
    documentEtag ??= sha256(text).then((digest) => `"${digest.slice(0, 32)}"`);
    return c.body(text, 200, { 'content-type': 'application/json', etag: await documentEtag, 'cache-control': 'no-cache' });
  });
  app.get('/docs', async (c) => {
    const response = await options.docsPage?.(c);
    if (!response || response.status === 404) throw new TenorError('not-found', 'No /docs page in this deployment');
    return response;
  });
  app.get(`${DOCS_ASSETS_PATH}:name`, async (c) => {
    const name = c.req.param('name');
    const response = Object.hasOwn(DOCS_ASSETS, name) ? await options.docsAsset?.(c, name) : undefined;
    if (!response || response.status === 404) throw new TenorError('not-found', `No file ${c.req.path}`);
    return response;
  });

  return app;
}
