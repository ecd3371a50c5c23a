/**
 * The Tenor app: one Hono app for the Worker and the Node server. Middleware,
 * the error contract, every surface's routes, /openapi.json and /docs.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { type Deps, deferLoggingFailures } from './db/context';
import { jsonPostBodies } from './http/media-type';
import { authenticate, type AppEnv, handleError, idempotency, requestLogger } from './http/middleware';
import { describeErrors, invalid, TenorError } from './errors';
import { DOCS_ASSETS, DOCS_ASSETS_PATH, docsPage } from './http/docs';
import { apiDocumentText } from './http/openapi';
import { problemResponse } from './http/problem';
import { fieldErrors, type ZodIssueLike } from './http/validation';
import { registerRoutes } from './routes';

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
}

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
    await next();
  });
  app.use('*', requestLogger());
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
  app.use('*', jsonPostBodies());
  app.use('*', idempotency());
  app.onError(handleError);
  app.notFound((c) => problemResponse(new TenorError('not-found', `No route for ${c.req.method} ${c.req.path}`), c.req.path, c.get('requestId'), c.req.method === 'HEAD'));

  app.get('/health', (c) => c.json({ status: 'ok' }));

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'A JWT with `sub`, `scope` (space-separated `<area>:read|write|*` or `*`) and `owners` (owner ids or ["*"]).',
  });
  registerRoutes(app);

  app.get('/openapi.json', (c) => c.body(apiDocumentText(app), 200, { 'content-type': 'application/json' }));
  app.get('/docs', docsPage());
  app.get(`${DOCS_ASSETS_PATH}:name`, async (c) => {
    const name = c.req.param('name');
    const response = Object.hasOwn(DOCS_ASSETS, name) ? await options.docsAsset?.(c, name) : undefined;
    if (!response || response.status === 404) throw new TenorError('not-found', `No file ${c.req.path}`);
    return response;
  });

  return app;
}
