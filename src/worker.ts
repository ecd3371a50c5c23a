/**
 * Worker entry: the app over D1, and scheduled() dispatching the hourly cron to
 * the same job functions the Node server runs.
 */
import type { D1Database, ExecutionContext, ScheduledController } from '@cloudflare/workers-types/latest';
import { createApp } from './app';
import { parseConfig } from './config';
import type { Deps } from './db/context';
import { createDeps } from './runtime';
import { d1Database } from './db/d1';
import { runScheduled } from './jobs';

export interface Env {
  DB: D1Database;
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
});

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext) {
    return app.fetch(request, env, ctx as never);
  },
  async scheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext) {
    ctx.waitUntil(runScheduled(depsFor(env), controller.cron, controller.scheduledTime));
  },
};
