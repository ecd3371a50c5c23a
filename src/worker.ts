/**
 * Worker entry: the app over D1, and scheduled() dispatching the hourly cron to
 * the same job functions the Node server runs.
 */
import type { D1Database, ExecutionContext, Fetcher, ScheduledController } from '@cloudflare/workers-types/latest';
import { createApp } from './app';
import { DOCS_ASSETS_PATH } from './http/docs';
import { parseConfig } from './config';
import type { Deps } from './db/context';
import { createDeps } from './runtime';
import { d1Database } from './db/d1';
import { runScheduled } from './jobs';

export interface Env {
  DB: D1Database;
  /** the static assets (wrangler.toml [assets]): /docs's files, copied from node_modules by scripts/docs-assets.ts */
  ASSETS?: Fetcher;
  [setting: string]: unknown;
}

const depsByEnv = new WeakMap<object, Deps>();

/** Bindings arrive with each request but are fixed per deployment: build the dependencies (and parse the config) once per env object. */
export function depsFor(env: Env): Deps {
  let deps = depsByEnv.get(env);
  if (!deps) {
    deps = createDeps({ config: parseConfig(env), database: d1Database(env.DB) });
    depsByEnv.set(env, deps);
  }
  return deps;
}

const app = createApp({
  deps: (c) => depsFor(c.env as Env),
  defer: (c) => (work) => c.executionCtx.waitUntil(work),
  // Cloudflare serves these before the Worker runs; this answers where the Worker is asked (tests, run_worker_first)
  docsAsset: async (c, name) => {
    const assets = (c.env as Env).ASSETS;
    if (!assets) return new Response(null, { status: 404 });
    const file = (await assets.fetch(new URL(`${DOCS_ASSETS_PATH}${name}`, c.req.url).toString())) as unknown as Response;
    // a copy: the fetched response's headers are immutable, and the middleware adds x-request-id
    return new Response(file.body, file);
  },
});

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext) {
    return app.fetch(request, env, ctx as never);
  },
  async scheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext) {
    ctx.waitUntil(runScheduled(depsFor(env), controller.cron, controller.scheduledTime));
  },
};
