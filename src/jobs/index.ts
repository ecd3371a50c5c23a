/**
 * Scheduled work as plain functions `(deps, now) → report`, dispatched by cron
 * string from the Worker's scheduled() and run on a timer by the Node server.
 */
import { type Deps, systemCtx } from '../db/context';
import { purgeIdempotencyKeys } from './maintenance';
import { runRecordedLifecycle, type Trigger } from './runs';
import { deliverWebhooks } from './webhooks/delivery';
import { planHourly } from './work';

export const HOURLY = '0 * * * *';

export type JobReport = Record<string, unknown>;

/** The hourly run: terminations, renewals, expiries and alerts, then housekeeping, then webhook delivery. */
export async function runHourly(deps: Deps, now: number, trigger: Trigger = 'cron'): Promise<JobReport> {
  // a queue to fan out to (the Worker): find what is due and leave it to the queue's consumers (jobs/work.ts)
  if (deps.work.deferred) return { fanOut: await planHourly(deps, now, trigger) };
  const lifecycle = await runRecordedLifecycle(systemCtx(deps, now, 'system:lifecycle'), trigger);
  const maintenance = await purgeIdempotencyKeys(deps, now);
  // Last: delivers the events the steps before it wrote. On the real clock even when the run acts
  // as of another date: receivers check webhook-timestamp against theirs. A cron run may take minutes.
  const webhooks = await deliverWebhooks(deps, deps.clock(), { budgetMs: 5 * 60_000 });
  return { lifecycle, maintenance, webhooks };
}

const BY_CRON: Record<string, (deps: Deps, now: number, trigger: Trigger) => Promise<JobReport>> = {
  [HOURLY]: runHourly,
};

/** Dispatches a cron string (the Worker's trigger, or the Node timer's) to its job. */
export async function runScheduled(deps: Deps, cron: string, now: number, trigger: Trigger = 'cron'): Promise<JobReport> {
  const job = BY_CRON[cron];
  if (!job) {
    deps.log({ level: 'warn', msg: `no job for cron "${cron}"` });
    return {};
  }
  const report = await job(deps, now, trigger);
  deps.log({ level: 'info', msg: 'scheduled run', cron, report });
  return report;
}
