/** Every lifecycle run is recorded: start, end, as-of date, counts and outcome (GET /v1/jobs/runs). */
import { eq } from 'drizzle-orm';
import type { Ctx } from '../db/context';
import { jobRuns } from '../db/schema';
import { runLifecycle, type LifecycleReport } from './lifecycle';

export type JobRunRow = typeof jobRuns.$inferSelect;
export type Trigger = 'cron' | 'timer' | 'api';

const HOUR_MS = 60 * 60 * 1000;

/** Runs the lifecycle job for the context's owners and records the run. */
export async function runRecordedLifecycle(ctx: Ctx, trigger: Trigger, asOf?: string): Promise<JobRunRow> {
  const d1 = ctx.deps.database.kind === 'd1';
  const [run] = await ctx.db
    .insert(jobRuns)
    .values({
      job: 'rollover',
      trigger,
      owners: ctx.tenant.owners === '*' ? ['*'] : [...ctx.tenant.owners],
      startedAt: ctx.nowIso,
      asOf: asOf ?? null,
      outcome: 'RUNNING',
    })
    .returning();
  let report: LifecycleReport | undefined;
  let failure: unknown;
  try {
    report = await runLifecycle(ctx, {
      asOf,
      // D1: at most 1,000 statements per invocation and 30 s per batch; Node has neither limit, and there
      // larger chunks commit and checkpoint each page fewer times (100,000 renewals in process: 13.2 s in
      // chunks of 5,000, 12.2 s of 10,000; a chunk holds the write lock about a second)
      statementBudget: d1 ? 900 : Number.POSITIVE_INFINITY,
      chunkSize: d1 ? 200 : 10_000,
      budgetMs: d1 ? 60_000 : HOUR_MS / 2,
    });
  } catch (error) {
    failure = error;
    ctx.deps.log({ level: 'error', msg: 'lifecycle run failed', runId: run!.id, error: String(error) });
  }
  const [finished] = await ctx.db
    .update(jobRuns)
    .set({
      finishedAt: new Date().toISOString(),
      renewed: report?.renewed ?? 0,
      expired: report?.expired ?? 0,
      terminated: report?.terminated ?? 0,
      alerts: report ? report.alerts.renewal_alert + report.alerts.notice_period : 0,
      errors: report?.errors.length ?? 0,
      outcome: report ? report.outcome : 'FAILED',
      version: 2,
      report: report ? { ...report } : { error: failure instanceof Error ? failure.message : String(failure) },
    })
    .where(eq(jobRuns.id, run!.id))
    .returning();
  return finished!;
}
