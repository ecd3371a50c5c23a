/**
 * Worker entry: the app over D1, scheduled() finding the hourly cron's work and
 * queue() running it (jobs/work.ts), with the same job functions the Node server
 * runs in process.
 *
 * Owner shards: SHARDS (a JSON var, `{"DB_SHARD_1": [ownerIds…]}`) names the D1
 * binding holding each listed owner's data; every other owner is on DB. A request
 * resolves its token's owners to one database; a token whose owners live on
 * several is refused (400). Each request reads and writes through a D1 session
 * (read replicas may serve it), continued from the client's `x-d1-bookmark` and
 * answered with the session's bookmark in `x-d1-bookmark`.
 *
 * workerd takes every export of this module as a handler: only functions are exported.
 */
import type {
  D1Database,
  D1DatabaseSession,
  ExecutionContext,
  Fetcher,
  MessageBatch,
  Queue,
  RateLimit,
  ScheduledController,
} from '@cloudflare/workers-types/latest';
import type { Context } from 'hono';
import { createApp } from './app';
import { DOCS_ASSETS_PATH, DOCS_PAGE } from './http/docs';
import { type Config, parseConfig } from './config';
import type { Deps, WorkItem, WorkQueue } from './db/context';
import { createDeps } from './runtime';
import { d1Database, type QueryCounter } from './db/d1';
import { invalid } from './errors';
import type { AppEnv } from './http/middleware';
import type { RateLimits } from './http/rate-limit';
import { timeDatabase } from './http/server-timing';
import { runScheduled } from './jobs';
import { recordFailedItem, runWorkItem } from './jobs/work';

/**
 * The Worker's bindings: `Cloudflare.Env`, generated from wrangler.toml by `npm run types:worker`
 * (worker-configuration.d.ts), with the vars and secrets of .dev.vars.example / `wrangler secret put`
 * read as settings (src/config.ts). The queue, the shard map, ASSETS and the rate limits may be absent
 * (tests, older configs): without WORK work runs in the invocation; owners not in SHARDS are on DB.
 */
type Limiter = 'IP_RATE_LIMITER' | 'CALLER_RATE_LIMITER' | 'AUTHENTICATE_RATE_LIMITER';
export type Env = Omit<Cloudflare.Env, 'ASSETS' | 'WORK' | 'SHARDS' | Limiter> & {
  DB: D1Database;
  WORK?: Queue<WorkItem>;
  SHARDS?: string;
  ASSETS?: Fetcher;
} & { [limiter in Limiter]?: RateLimit } & { [setting: string]: unknown };

/** The period of the ratelimit bindings in wrangler.toml: what Retry-After says, as the binding does not. */
const RATE_LIMIT_PERIOD_SECONDS = 60;

const limitsByEnv = new WeakMap<object, RateLimits>();

/** The rate limits of these bindings (those wrangler.toml declares). */
function rateLimitsFor(env: Env): RateLimits {
  let limits = limitsByEnv.get(env);
  if (!limits) {
    limits = {};
    const periodSeconds = RATE_LIMIT_PERIOD_SECONDS;
    if (env.IP_RATE_LIMITER) limits.perIp = { limiter: env.IP_RATE_LIMITER, periodSeconds };
    if (env.CALLER_RATE_LIMITER) limits.perCaller = { limiter: env.CALLER_RATE_LIMITER, periodSeconds };
    if (env.AUTHENTICATE_RATE_LIMITER) limits.authenticate = { limiter: env.AUTHENTICATE_RATE_LIMITER, periodSeconds };
    limitsByEnv.set(env, limits);
  }
  return limits;
}

const PRIMARY = 'DB';
const BOOKMARK_HEADER = 'x-d1-bookmark';
/** D1 allows 1,000 queries per invocation: a consumer stops starting items at this many */
const QUERY_BUDGET = 900;
/** the queries an item needs at least (a few chunks and its recording); fewer left, it goes back to the queue */
const ITEM_MIN_QUERIES = 100;

interface Bindings {
  config: Config;
  /** owner id → binding name, for the owners not on DB */
  shardOf: Map<number, string>;
  /** every database binding: DB, then the shards */
  databases: string[];
  deps: Map<string, Deps>;
}

const bindingsByEnv = new WeakMap<object, Bindings>();

function bindingsOf(env: Env): Bindings {
  let b = bindingsByEnv.get(env);
  if (!b) {
    const shardOf = new Map<number, string>();
    const shards = env.SHARDS ? (JSON.parse(env.SHARDS) as Record<string, number[]>) : {};
    for (const [binding, owners] of Object.entries(shards)) {
      if (!env[binding]) throw new Error(`SHARDS names ${binding}, which is not a D1 binding of this Worker`);
      for (const owner of owners) shardOf.set(owner, binding);
    }
    b = { config: parseConfig(env), shardOf, databases: [PRIMARY, ...Object.keys(shards).filter((s) => s !== PRIMARY)], deps: new Map() };
    bindingsByEnv.set(env, b);
  }
  return b;
}

/** The Worker's work queue port: items go to the WORK queue, stamped with their database, in sends under the queue's limits. */
function queueWork(env: Env, binding: string): (deps: Deps) => WorkQueue {
  return () => ({
    deferred: true,
    async send(items) {
      const messages = items.map((item) => ({ body: { ...item, db: binding }, contentType: 'json' as const }));
      // at most 100 messages and 256 KB a send; an item of 1,000 ids is about 8 KB
      for (let i = 0; i < messages.length; i += 25) await env.WORK!.sendBatch(messages.slice(i, i + 25));
    },
  });
}

/** The dependencies over one database binding, built once per env object (bindings are fixed per deployment). */
export function depsFor(env: Env, binding = PRIMARY): Deps {
  const b = bindingsOf(env);
  let deps = b.deps.get(binding);
  if (!deps) {
    deps = createDeps({
      config: b.config,
      database: d1Database(env[binding] as D1Database),
      ...(env.WORK ? { work: queueWork(env, binding) } : {}),
    });
    b.deps.set(binding, deps);
  }
  return deps;
}

/** The database binding of a token's owners; a token for owners on several databases is refused. */
export function databaseOf(env: Env, owners: readonly number[] | '*'): string {
  const { shardOf } = bindingsOf(env);
  // a token for every owner administers DB (owners are created there); a shard's owners are reached by tokens naming them
  if (owners === '*' || shardOf.size === 0) return PRIMARY;
  const databases = new Set(owners.map((o) => shardOf.get(o) ?? PRIMARY));
  if (databases.size > 1) {
    throw invalid(
      `This token's owners are kept in ${databases.size} databases (${[...databases].sort().join(', ')}); a request is served from one. ` +
        'Use a token for the owners of one database.',
    );
  }
  return [...databases][0] ?? PRIMARY;
}

/** Each request's session, by the request's own execution context (the body limit replaces the Request object). */
const sessions = new WeakMap<object, D1DatabaseSession>();

/** The request's dependencies: its owners' database, through a D1 session continued from the client's bookmark. */
function requestDeps(c: Context, owners: readonly number[] | '*'): Deps {
  const env = c.env as Env;
  const binding = databaseOf(env, owners);
  const base = depsFor(env, binding);
  const bookmark = c.req.header(BOOKMARK_HEADER);
  const read = c.req.method === 'GET' || c.req.method === 'HEAD';
  const database = env[binding] as D1Database;
  let session: D1DatabaseSession;
  try {
    session = database.withSession(bookmark || (read ? 'first-unconstrained' : 'first-primary'));
  } catch {
    // not a bookmark D1 understands: the primary has every write
    session = database.withSession('first-primary');
  }
  sessions.set(c.executionCtx, session);
  return { ...base, database: timeDatabase(d1Database(session)) };
}

/** A file of the static assets (wrangler.toml [assets]); 404 without them. */
async function staticAsset(c: Context, path: string): Promise<Response> {
  const assets = (c.env as Env).ASSETS;
  if (!assets) return new Response(null, { status: 404 });
  const file = (await assets.fetch(new URL(path, c.req.url).toString())) as unknown as Response;
  // a copy: the fetched response's headers are immutable, and the middleware adds x-request-id
  return new Response(file.body, file);
}

const app = createApp({
  deps: (c) => depsFor(c.env as Env),
  tenantDeps: requestDeps,
  defer: (c) => (work) => c.executionCtx.waitUntil(work),
  rateLimits: (c: Context<AppEnv>) => rateLimitsFor(c.env as Env),
  // the address Cloudflare saw the request come from
  clientIp: (c: Context<AppEnv>) => c.req.header('cf-connecting-ip'),
  // Cloudflare serves these before the Worker runs; this answers where the Worker is asked (tests, run_worker_first)
  docsAsset: (c, name) => staticAsset(c, `${DOCS_ASSETS_PATH}${name}`),
  // rendered into the static assets by the build (scripts/docs-assets.ts): Scalar's renderer is not in the bundle
  docsPage: (c) => staticAsset(c, `${DOCS_ASSETS_PATH}${DOCS_PAGE}`),
});

/** Runs a batch of work items within one invocation's query budget: each acked, retried, or handed on. */
export async function consumeWork(batch: MessageBatch<WorkItem>, env: Env): Promise<{ ran: number; queries: number }> {
  const counter: QueryCounter = { queries: 0 };
  const deliveries = new Map<string, Set<number>>();
  const started = Date.now();
  let ran = 0;
  const depsByBinding = new Map<string, Deps>();
  for (const message of batch.messages) {
    const item = message.body;
    const binding = item.db ?? PRIMARY;
    const remaining = QUERY_BUDGET - counter.queries;
    if (remaining < ITEM_MIN_QUERIES) {
      // no room left in this invocation: the item goes back to the queue as a new message (not a failed attempt)
      await env.WORK!.send(item, { contentType: 'json' });
      message.ack();
      continue;
    }
    // this invocation's queries counted, on every database it touches
    let deps = depsByBinding.get(binding);
    if (!deps) {
      deps = createDeps({ config: bindingsOf(env).config, database: d1Database(env[binding] as D1Database, counter), work: queueWork(env, binding) });
      depsByBinding.set(binding, deps);
    }
    try {
      ran += 1;
      const result = await runWorkItem(deps, item, remaining - 5);
      if (result.next) await env.WORK!.send(result.next, { contentType: 'json' });
      if (result.eventsFor !== undefined) {
        const owners = deliveries.get(binding) ?? new Set();
        deliveries.set(binding, owners.add(result.eventsFor));
      }
      message.ack();
    } catch (error) {
      deps.log({ level: 'error', msg: 'work item failed', attempt: message.attempts, item: { kind: item.kind, ownerId: item.ownerId, runId: item.runId, seq: item.seq }, error: String(error) });
      message.retry({ delaySeconds: Math.min(60, 5 * 2 ** (message.attempts - 1)) });
    }
  }
  // webhook delivery of what these items wrote goes the same way, one item per owner
  for (const [binding, owners] of deliveries) {
    await env.WORK!.sendBatch([...owners].map((ownerId) => ({ body: { kind: 'deliver-webhooks', db: binding, ownerId }, contentType: 'json' as const })));
  }
  depsFor(env).log({ level: 'info', msg: 'work batch', queue: batch.queue, messages: batch.messages.length, ran, queries: counter.queries, ms: Date.now() - started });
  return { ran, queries: counter.queries };
}

/** The dead-letter queue: items that used every retry are recorded as failed in their run. */
async function deadLetters(batch: MessageBatch<WorkItem>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    const item = message.body;
    await recordFailedItem(depsFor(env, item.db ?? PRIMARY), item, 'it failed on every attempt (max_retries) and was dead-lettered; its errors are in the Worker logs');
    message.ack();
  }
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext) {
    const requestCtx = { waitUntil: (work: Promise<unknown>) => ctx.waitUntil(work), passThroughOnException: () => ctx.passThroughOnException(), props: ctx.props };
    const response = await app.fetch(request, env, requestCtx as never);
    const bookmark = sessions.get(requestCtx)?.getBookmark();
    if (!bookmark) return response;
    try {
      response.headers.set(BOOKMARK_HEADER, bookmark);
      return response;
    } catch {
      // immutable headers (a fetched response): a copy takes the header
      const copy = new Response(response.body, response);
      copy.headers.set(BOOKMARK_HEADER, bookmark);
      return copy;
    }
  },
  async scheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext) {
    // every database at once: each shard's month-end is planned, and its items consumed, in parallel
    const counter: QueryCounter = { queries: 0 };
    const run = (binding: string) => {
      const deps = createDeps({ config: bindingsOf(env).config, database: d1Database(env[binding] as D1Database, counter), ...(env.WORK ? { work: queueWork(env, binding) } : {}) });
      return runScheduled(deps, controller.cron, controller.scheduledTime);
    };
    ctx.waitUntil(
      Promise.all(bindingsOf(env).databases.map(run)).then(() => depsFor(env).log({ level: 'info', msg: 'scheduled invocation', queries: counter.queries })),
    );
  },
  async queue(batch: MessageBatch<WorkItem>, env: Env, _ctx: ExecutionContext) {
    if (batch.queue.endsWith('-dlq')) return deadLetters(batch, env);
    await consumeWork(batch, env);
  },
};
