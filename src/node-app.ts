/**
 * The app as the Node server runs it (src/server.ts), and as the Node tests and the
 * benchmark's in-process runs build it: compression, the /docs page and files from
 * node_modules, the in-process rate limits, the client's address from the socket
 * (or X-Forwarded-For when trusted), and ETags digested with node:crypto as JSON is
 * rendered.
 */
import { createHash } from 'node:crypto';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { compress } from 'hono/compress';
import { createApp } from './app';
import type { Config } from './config';
import type { Deps } from './db/context';
import { nodeDocsAsset, nodeDocsPage } from './docs-assets';
import type { AppEnv } from './http/middleware';
import { inProcessRateLimits, nodeClientIp } from './http/rate-limit';

const sha1Hex = (text: string) => createHash('sha1').update(text).digest('hex');

export function createNodeApp(deps: Deps, config: Config): OpenAPIHono<AppEnv> {
  const rateLimits = inProcessRateLimits(config);
  return createApp({
    deps: () => deps,
    docsAsset: nodeDocsAsset,
    docsPage: nodeDocsPage,
    compress: compress(),
    rateLimits: () => rateLimits,
    clientIp: nodeClientIp,
    digest: sha1Hex,
  });
}
