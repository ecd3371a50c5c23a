/** Every lifecycle run is recorded: start, end, as-of date, counts and outcome (GET /v1/jobs/runs). */
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import type { Ctx } from '../db/context';
import { jobRuns } from '../db/schema';
import { toInstant } from '../domain/dates';
import { keepLeased } from '../db/lease';
import { runLifecycle, type LifecycleReport } from './lifecycle';

export type JobRunRow = typeof jobRuns.$inferSelect;
export type Trigger = 'cron' | 'timer' | 'api';

const HOUR_MS = 60 * 60 * 1000;
/** How long a run is taken to be alive without renewing its lease (it renews every third of it). */
export const JOB_RUN_LEASE_MS = 60_000;

/**
 * Runs whose process died (killed, crashed, a Worker evicted) stay RUNNING: once
 * their lease has passed, the next run records them as FAILED. Returns their ids.
 */
export async function failAbandonedRuns(ctx: Ctx): Promise<number[]> {
  const now = ctx.deps.clock();
  const abandoned = await ctx.db
    .update(jobRuns)
    .set({
      outcome: 'FAILED',
      finishedAt: toInstant(now),
      leaseExpiresAt: null,
      version: 2,
      report: { error: 'abandoned: its process stopped before the run finished (its lease expired); the next run continued its work' },
    })
    .where(and(eq(jobRuns.outcome, 'RUNNING'), or(isNull(jobRuns.leaseExpiresAt), lt(jobRuns.leaseExpiresAt, now))))
    .returning({ id: jobRuns.id });
  for (const { id } of abandoned) ctx.deps.log({ level: 'warn', msg: 'abandoned lifecycle run marked FAILED', runId: id });
  return abandoned.map((r) => r.id);
}

/**
 * Records a new rollover run as RUNNING, leased for `leaseMs`, after failing the
 * runs whose process died (failAbandonedRuns): the one start of every run, run in
 * place or queued.
 */
export async function startRun(
  ctx: Ctx,
  fields: { trigger: Trigger; owners: JobRunRow['owners']; leaseMs: number; asOf?: string; report?: Record<string, unknown> },
): Promise<{ run: JobRunRow; abandonedRuns: number[] }> {
  const abandonedRuns = await failAbandonedRuns(ctx);
  const [run] = await ctx.db
    .insert(jobRuns)
    .values({
      job: 'rollover',
      trigger: fields.trigger,
      owners: fields.owners,
      startedAt: ctx.nowIso,
      asOf: fields.asOf ?? null,
      outcome: 'RUNNING',
      leaseExpiresAt: ctx.deps.clock() + fields.leaseMs,
      ...(fields.report ? { report: fields.report } : {}),
    })
    .returning();
  return { run: run!, abandonedRuns };
}

/** Runs the lifecycle job for the context's owners and records the run. */
export async function runRecordedLifecycle(ctx: Ctx, trigger: Trigger, asOf?: string): Promise<JobRunRow> {
  const d1 = ctx.deps.database.kind === 'd1';
  const { run, abandonedRuns } = await startRun(ctx, {
    trigger,
    owners: ctx.tenant.owners === '*' ? ['*'] : [...ctx.tenant.owners],
    leaseMs: JOB_RUN_LEASE_MS,
    ...(asOf ? { asOf } : {}),
  });
  const stopRenewing = keepLeased(
    () => ctx.db.update(jobRuns).set({ leaseExpiresAt: ctx.deps.clock() + JOB_RUN_LEASE_MS }).where(and(eq(jobRuns.id, run.id), eq(jobRuns.outcome, 'RUNNING'))),
    JOB_RUN_LEASE_MS,
    ctx.deps.log,
  );
  let report: LifecycleReport | undefined;
  let failure: unknown;
  try {
    report = await runLifecycle(ctx, {
      asOf,
      // D1: at most 1,000 statements per invocation and 30 s per batch. Node has neither limit, but its
      // embedded database runs a chunk synchronously on the event loop: chunks are sized to a slice of
      // about 25 ms (up to 10,000 contracts) and the job yields between them, so other requests wait at
      // most about a slice (lifecycle.md: the job yields to other requests between chunks)
      statementBudget: d1 ? 900 : Number.POSITIVE_INFINITY,
      chunkSize: d1 ? 200 : 10_000,
      ...(d1 ? {} : { sliceMs: 25 }),
      budgetMs: d1 ? 60_000 : HOUR_MS / 2,
    });
  } catch (error) {
    failure = error;
    ctx.deps.log({ level: 'error', msg: 'lifecycle run failed', runId: run.id, error: String(error) });
  } finally {
    stopRenewing();
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
      leaseExpiresAt: null,
      version: 2,
      report: {
        ...(report ? { ...report } : { error: failure instanceof Error ? failure.message : String(failure) }),
        ...(abandonedRuns.length ? { abandonedRuns } : {}),
      },
    })
    .where(eq(jobRuns.id, run.id))
    .returning();
  return finished!;
}
