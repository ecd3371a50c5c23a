/**
 * The composition root shared by the entries (worker.ts, server.ts, tests): the
 * dependencies with their ports wired. A write that puts events in an outbox
 * wakes webhook delivery for that owner, after the response. Work items run in
 * process unless the entry brings a queue (the Worker's, src/worker.ts).
 */
import { buildDeps, type Deps, type DepsInit, type WorkQueue } from './db/context';
import { deliverSoon } from './jobs/webhooks/delivery';
import { runWorkItem } from './jobs/work';

export function createDeps(init: Omit<DepsInit, 'eventsWritten' | 'work'> & { work?: (deps: Deps) => WorkQueue }): Deps {
  let deps: Deps | undefined;
  const inProcess: WorkQueue = {
    deferred: false,
    // here and now, one after another, by the same function the queue consumer calls
    async send(items) {
      for (const item of items) {
        let next: typeof item | undefined = item;
        while (next) next = (await runWorkItem(deps!, next, Number.POSITIVE_INFINITY)).next;
      }
    },
  };
  const { work, ...rest } = init;
  deps = buildDeps({ ...rest, eventsWritten: deliverSoon, work: inProcess });
  if (work) deps = { ...deps, work: work(deps) };
  return deps;
}
