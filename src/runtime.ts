/**
 * The composition root shared by the entries (worker.ts, server.ts, tests): the
 * dependencies with their ports wired. A write that puts events in an outbox
 * wakes webhook delivery for that owner, after the response. Work items run in
 * process unless the entry brings a queue (the Worker's, src/worker.ts). Log lines
 * below LOG_LEVEL are dropped; the database's time is counted for Server-Timing.
 */
import type { Config } from './config';
import { buildDeps, type Deps, type DepsInit, type LogLine, type WorkQueue } from './db/context';
import { timeDatabase } from './http/server-timing';
import { deliverSoon } from './jobs/webhooks/delivery';
import { runWorkItem } from './jobs/work';

const SEVERITY: Record<Config['LOG_LEVEL'], number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** The log, keeping lines at `level` or more severe (a line without a known level counts as info). */
export function atLogLevel(log: (line: LogLine) => void, level: Config['LOG_LEVEL']): (line: LogLine) => void {
  const least = SEVERITY[level];
  if (least <= SEVERITY.debug) return log;
  return (line) => {
    const severity = SEVERITY[line.level as Config['LOG_LEVEL']] ?? SEVERITY.info;
    if (severity >= least) log(line);
  };
}

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
  const log = rest.log ?? ((line: LogLine) => console.log(JSON.stringify(line)));
  deps = buildDeps({ ...rest, database: timeDatabase(rest.database), log: atLogLevel(log, rest.config.LOG_LEVEL), eventsWritten: deliverSoon, work: inProcess });
  if (work) deps = { ...deps, work: work(deps) };
  return deps;
}
