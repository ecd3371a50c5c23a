/**
 * What the app and the jobs run on. Built once per process (Node) or isolate
 * (Worker) and handed to `createApp`; handlers never construct clients.
 */
import type { Config } from './config';
import type { Database, Db } from './db/client';
import { OwnerDirectory } from './db/owners';
import { ALL_OWNERS, type Tenant } from './db/tenancy';
import { toInstant } from './domain/dates';
import { Authenticator, type Principal } from './http/auth';

export type LogLine = Record<string, unknown>;

export interface Deps {
  readonly config: Config;
  readonly database: Database;
  readonly auth: Authenticator;
  readonly owners: OwnerDirectory;
  /** epoch ms; tests and the `asOf` of jobs substitute their own */
  readonly clock: () => number;
  readonly log: (line: LogLine) => void;
  /** outbound HTTP for webhook delivery */
  readonly fetch: typeof fetch;
}

export function createDeps(init: {
  config: Config;
  database: Database;
  clock?: () => number;
  log?: (line: LogLine) => void;
  fetch?: typeof fetch;
}): Deps {
  return {
    config: init.config,
    database: init.database,
    auth: new Authenticator(init.config),
    owners: new OwnerDirectory(init.database.db),
    clock: init.clock ?? Date.now,
    log: init.log ?? ((line) => console.log(JSON.stringify(line))),
    // called as a plain function: workerd refuses fetch invoked as a method of another object (`deps.fetch(...)`)
    fetch: init.fetch ?? ((input, init) => fetch(input, init)),
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

export function requestCtx(deps: Deps, principal: Principal, requestId: string, defer: Ctx['defer']): Ctx {
  const now = deps.clock();
  return {
    deps,
    db: deps.database.db,
    tenant: { owners: principal.owners },
    scopes: principal.scopes,
    actor: principal.sub,
    now,
    nowIso: toInstant(now),
    requestId,
    defer,
  };
}

/** A context for scheduled work acting for every owner. */
export function systemCtx(deps: Deps, now: number, actor = 'system'): Ctx {
  return {
    deps,
    db: deps.database.db,
    tenant: ALL_OWNERS,
    scopes: new Set(['*']),
    actor,
    now,
    nowIso: toInstant(now),
    requestId: `job-${now}`,
    defer: deferLoggingFailures(deps),
  };
}
