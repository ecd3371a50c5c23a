/**
 * The composition root shared by the entries (worker.ts, server.ts, tests): the
 * dependencies with their ports wired. A write that puts events in an outbox
 * wakes webhook delivery for that owner, after the response.
 */
import { buildDeps, type Deps, type DepsInit } from './db/context';
import { deliverSoon } from './jobs/webhooks/delivery';

export function createDeps(init: Omit<DepsInit, 'eventsWritten'>): Deps {
  return buildDeps({ ...init, eventsWritten: deliverSoon });
}
