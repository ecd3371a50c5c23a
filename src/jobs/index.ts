/**
 * Scheduled work as plain functions `(deps, now) → report`, dispatched by cron
 * string from the Worker's scheduled() and run on a timer by the Node server.
 */
import { type Deps, systemCtx } from '../context';
import { purgeIdempotencyKeys } from './maintenance';
import { runRecordedLifecycle, type Trigger } from './runs';

export const HOURLY = '0 * * * *';

export type JobReport = Record<string, unknown>;

/** The hourly run: terminations, renewals, expiries and alerts, then housekeeping. */
export async function runHourly(deps: Deps, now: number, trigger: Trigger = 'cron'): Promise<JobReport> {
  const lifecycle = await runRecordedLifecycle(systemCtx(deps, now, 'system:lifecycle'), trigger);
  return { lifecycle, maintenance: await purgeIdempotencyKeys(deps, now) };
}

const BY_CRON: Record<string, (deps: Deps, now: number) => Promise<JobReport>> = {
  [HOURLY]: runHourly,
};

export async function runScheduled(deps: Deps, cron: string, now: number): Promise<JobReport> {
  const job = BY_CRON[cron];
  if (!job) {
    deps.log({ level: 'warn', msg: `no job for cron "${cron}"` });
    return {};
  }
  const report = await job(deps, now);
  deps.log({ level: 'info', msg: 'scheduled run', cron, report });
  return report;
}
