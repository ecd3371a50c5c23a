/**
 * HTTP hygiene, with Hono's own middleware: CORS for the configured origins,
 * secure headers (a strict Content-Security-Policy for the API, one /docs can
 * render under), and ETags with If-None-Match → 304 on reads.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { etag, RETAINED_304_HEADERS } from 'hono/etag';
import { secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from './middleware';

/** What a browser may send cross-origin besides the CORS-safelisted headers. */
const ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'If-Match', 'If-None-Match', 'Idempotency-Key', 'X-Request-Id', 'summary', 'X-D1-Bookmark'];
/** What a browser script may read of a cross-origin response besides the safelisted headers. */
const EXPOSED_HEADERS = ['ETag', 'Location', 'Link', 'Retry-After', 'X-Request-Id', 'X-Total-Count', 'Idempotent-Replayed', 'Server-Timing', 'Result-Total', 'Result-Pages', 'Result-Count', 'X-D1-Bookmark'];

/**
 * CORS for CORS_ORIGINS (a list of origins, or `*`). None configured: no CORS
 * headers at all, so browsers allow no cross-origin access. A preflight (OPTIONS)
 * is answered here, before authentication: it carries no token.
 */
export function corsFor(origins: readonly string[]): MiddlewareHandler<AppEnv> | null {
  if (origins.length === 0) return null;
  const allowed = new Set(origins);
  return cors({
    origin: allowed.has('*') ? '*' : (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowHeaders: ALLOWED_HEADERS,
    exposeHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  }) as MiddlewareHandler<AppEnv>;
}

/** The API answers JSON: nothing in it may load, run or be framed. */
const API_POLICY = { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] };

/**
 * /docs: Scalar's bundle from /docs/assets/, its inline configuration and styles,
 * the API document and "try it" requests to this server, nothing from elsewhere.
 */
const DOCS_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'", "'unsafe-inline'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  workerSrc: ["'self'", 'blob:'],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
};

/** hono/secure-headers on every response; the page /docs gets the policy it needs to render. */
export function secureHeadersFor(): MiddlewareHandler<AppEnv> {
  const api = secureHeaders({ contentSecurityPolicy: API_POLICY, xFrameOptions: 'DENY' });
  const docs = secureHeaders({ contentSecurityPolicy: DOCS_POLICY, xFrameOptions: 'DENY' });
  return (c, next) => (c.req.path === '/docs' ? docs(c, next) : api(c, next)) as ReturnType<MiddlewareHandler<AppEnv>>;
}

/** An object's ETag: its version (`"3"`), what If-Match compares. */
const VERSION_TAG = /^"\d+"$/;

/**
 * A response tagged with an object's version goes out untransformed
 * (`Cache-Control: no-transform`): compressing it — hono/compress on Node, or
 * Cloudflare's edge — would weaken the ETag to `W/"3"`, which If-Match, a strong
 * comparison, never matches. Single objects are small; lists and the API
 * document are still compressed.
 */
export function keepVersionTags(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (!VERSION_TAG.test(c.res.headers.get('etag') ?? '')) return;
    const cacheControl = c.res.headers.get('cache-control');
    if (!cacheControl) c.res.headers.set('cache-control', 'no-transform');
    else if (!/\bno-transform\b/i.test(cacheControl)) c.res.headers.set('cache-control', `${cacheControl}, no-transform`);
  };
}

const STREAMED = /\b(text\/csv|application\/x-ndjson)\b/i;

/** A synchronous hex digest of a text, as hono/etag makes of a body (SHA-1 of its UTF-8 bytes). */
export type TextDigest = (text: string) => string;

/**
 * A page of a list as JSON, tagged with the digest of its text where the runtime has
 * a synchronous one (Node: node:crypto): hono/etag would otherwise read the finished
 * response back through a copy, a conversion to bytes and an asynchronous digest
 * (measured: a seventh of the CPU of a 100-row page). The tag is the one hono/etag
 * makes (SHA-1 of the UTF-8 text), so both runtimes tag alike.
 */
export function listJson(c: Context<AppEnv>, body: unknown, headers: Record<string, string>): Response {
  const digest = c.get('digest');
  if (!digest) return c.json(body, 200, headers);
  const text = JSON.stringify(body);
  return c.body(text, 200, { ...headers, 'content-type': 'application/json', etag: `"${digest(text)}"` });
}

/**
 * hono/etag on GET and HEAD: a response with an ETag (an object's version, a
 * /docs file, /openapi.json, a list page tagged as rendered) keeps it; any other
 * successful read gets a digest of its body. If-None-Match naming it: 304
 * without a body. Exports (CSV, NDJSON) stream in constant memory and are not
 * read through for a digest.
 */
export function conditionalReads(): MiddlewareHandler<AppEnv> {
  const tagged = etag({
    // a 304 to a cross-origin read must still say it may be read
    retainedHeaders: [...RETAINED_304_HEADERS, 'access-control-allow-origin', 'access-control-expose-headers', 'access-control-allow-credentials'],
  });
  return (c: Context<AppEnv>, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    if (STREAMED.test(c.req.header('accept') ?? '')) return next();
    return tagged(c, next) as ReturnType<MiddlewareHandler<AppEnv>>;
  };
}
