/**
 * The unit of work every data access, service and job runs in: the database, who
 * is acting, for which owners, at what time. Deps are built once per process
 * (Node) or isolate (Worker) by the entry (src/runtime.ts); handlers never
 * construct clients.
 */
import type { Config } from '../config';
import { toInstant } from '../domain/dates';
import type { Database, Db } from './client';
import { OwnerDirectory } from './owners';
import { ALL_OWNERS, type Tenant } from './tenancy';

export type LogLine = Record<string, unknown>;

/**
 * Lets the event loop serve what is waiting: on Node the embedded database's calls
 * never return to it, so a long piece of work holds every other request's reads,
 * writes and flushes until it yields.
 */
export const yieldToEventLoop: () => Promise<void> =
  typeof setImmediate === 'function' ? () => new Promise((resolve) => setImmediate(resolve)) : () => new Promise((resolve) => setTimeout(resolve, 0));

export interface Deps {
  readonly config: Config;
  readonly database: Database;
  readonly owners: OwnerDirectory;
  /** epoch ms; tests and the `asOf` of jobs substitute their own */
  readonly clock: () => number;
  readonly log: (line: LogLine) => void;
  /** outbound HTTP for webhook delivery */
  readonly fetch: typeof fetch;
  /**
   * Called after a write that put events in the owner's outbox has committed. The
   * entry wires it to webhook delivery; the layers that write events never know
   * what listens.
   */
  readonly eventsWritten: (ctx: Ctx, ownerId: number) => void;
  /**
   * Where scheduled work items go (jobs/work.ts): on the Worker a Cloudflare Queue whose consumer
   * runs them; on Node (and by default) run here and now, by the same job functions.
   */
  readonly work: WorkQueue;
}

/** A unit of scheduled work, small enough for one queue message (jobs/work.ts runs it). */
export interface WorkItem {
  kind: 'renew' | 'price-adapt' | 'alerts' | 'deliver-webhooks';
  /** the database binding holding the owner's data (an owner shard), stamped by the Worker's queue port */
  db?: string;
  ownerId?: number;
  /** the contracts to look at (renew, price-adapt) */
  ids?: number[];
  /** the job run it belongs to and its place in it (job_runs.report.pending) */
  runId?: number;
  seq?: number;
}

/** The port scheduled work is handed to. */
export interface WorkQueue {
  /** true where items run later, elsewhere (a queue); false where send runs them before it returns */
  readonly deferred: boolean;
  send(items: readonly WorkItem[]): Promise<void>;
}

export interface DepsInit {
  config: Config;
  database: Database;
  clock?: () => number;
  log?: (line: LogLine) => void;
  fetch?: typeof fetch;
  eventsWritten?: Deps['eventsWritten'];
  work?: WorkQueue;
}

export function buildDeps(init: DepsInit): Deps {
  return {
    config: init.config,
    database: init.database,
    owners: new OwnerDirectory(init.database.db),
    clock: init.clock ?? Date.now,
    log: init.log ?? ((line) => console.log(JSON.stringify(line))),
    // called as a plain function: workerd refuses fetch invoked as a method of another object (`deps.fetch(...)`)
    fetch: init.fetch ?? ((input, init) => fetch(input, init)),
    eventsWritten: init.eventsWritten ?? (() => {}),
    work: init.work ?? { deferred: false, send: async () => {} },
  };
}

/** Lets background work run on where nothing keeps it alive (Node, jobs), logging a failure instead of losing it. */
export function deferLoggingFailures(deps: Deps): (work: Promise<unknown>) => void {
  return (work) => {
    work.catch((error) => deps.log({ level: 'error', msg: 'deferred work failed', error: String(error) }));
  };
}

/** The context every domain service receives: who is acting, for which owners, at what time. */
export interface Ctx {
  readonly deps: Deps;
  readonly db: Db;
  readonly tenant: Tenant;
  /** the caller's scopes, for rules that compare against them (an app client may not exceed its creator's) */
  readonly scopes: ReadonlySet<string>;
  /** recorded as createdBy/updatedBy and on events */
  readonly actor: string;
  /** epoch ms of the request (or the job's run) */
  readonly now: number;
  readonly nowIso: string;
  readonly requestId: string;
  /** runs background work after the response (waitUntil on the Worker) */
  readonly defer: (work: Promise<unknown>) => void;
}

/** The context of one request or run, for a caller acting for `tenant`. */
export function ctxFor(
  deps: Deps,
  caller: { tenant: Tenant; scopes: ReadonlySet<string>; actor: string },
  requestId: string,
  defer: Ctx['defer'],
  now = deps.clock(),
): Ctx {
  return { deps, db: deps.database.db, ...caller, now, nowIso: toInstant(now), requestId, defer };
}

/** A context for scheduled work acting for every owner. */
export function systemCtx(deps: Deps, now: number, actor = 'system'): Ctx {
  return ctxFor(deps, { tenant: ALL_OWNERS, scopes: new Set(['*']), actor }, `job-${now}`, deferLoggingFailures(deps), now);
}

/** Tells the entry's listener that these owners' outboxes have new events (after the write committed). */
export function eventsWritten(ctx: Ctx, ownerIds: Iterable<number>): void {
  for (const ownerId of new Set(ownerIds)) ctx.deps.eventsWritten(ctx, ownerId);
}
