/** Running the lifecycle job on demand, and its run history (admin). */
import { createRoute, z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { type AppContext, type AppEnv, ctxOf, scope } from '../../http/middleware';
import { registerResource } from '../../http/resource';
import { entityId, errorResponses, isoDate, NoQuery } from '../../http/schemas';
import { runRecordedLifecycle } from '../../jobs/runs';
import { deliverSoonForTenant } from '../../jobs/webhooks/delivery';
import { jobRunOutput, jobRunService } from '../../services/job-runs';

export const JobRun = z
  .object({
    id: entityId(),
    job: z.string().openapi({ example: 'rollover' }),
    trigger: z.enum(['cron', 'timer', 'api']).openapi({ example: 'api' }),
    owners: z.array(z.union([z.number().int(), z.literal('*')])).openapi({ example: ['*'] }),
    startedAt: z.string().openapi({ format: 'date-time', example: '2026-11-21T09:00:00.000Z' }),
    finishedAt: z.string().nullable().openapi({ format: 'date-time', example: '2026-11-21T09:00:02.125Z' }),
    asOf: isoDate('2026-03-01').nullable().openapi({ description: 'The date the run acted as if it were today; null = each owner’s own today' }),
    renewed: z.number().int().openapi({ example: 12 }),
    expired: z.number().int().openapi({ example: 1 }),
    terminated: z.number().int().openapi({ example: 0 }),
    alerts: z.number().int().openapi({ example: 5 }),
    errors: z.number().int().openapi({ example: 0 }),
    outcome: z.enum(['RUNNING', 'COMPLETED', 'PARTIAL', 'FAILED']).openapi({
      description: 'COMPLETED: nothing due is left; PARTIAL: the time or statement budget ran out and the next run continues',
      example: 'COMPLETED',
    }),
    report: z.record(z.string(), z.unknown()).nullable().openapi({ description: 'Counts by kind and the contracts that failed (skipped)' }),
    version: z.number().int().openapi({ description: '1 while running, 2 once finished', example: 2 }),
  })
  .openapi('JobRun');

const RolloverRequest = z
  .object({ asOf: isoDate('2026-03-01').optional().openapi({ description: 'Act as if this date were every owner’s today' }) })
  .strict()
  .openapi('RolloverRequest');

export function registerJobs(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/jobs/rollover',
      tags: ['Jobs'],
      operationId: 'runRollover',
      summary: 'Run the lifecycle job now',
      description:
        'Runs, for the owners of the token: terminations due, renewals (catching up over missed terms), expiries, price adaptation steps due (report.priceAdapted), renewal-alert and notice-period events, then webhook delivery — the same work the hourly cron does. `asOf` acts as if that date were every owner’s today (for backfills and tests). Returns the recorded run. Safe to repeat: each term renews exactly once, each price adaptation step applies once and each alert fires once.',
      security: [{ bearerAuth: [] }],
      middleware: [scope('admin', 'write')],
      request: { query: NoQuery, body: { required: false, content: { 'application/json': { schema: RolloverRequest } } } },
      responses: {
        200: { description: 'The finished run', content: { 'application/json': { schema: JobRun } } },
        ...errorResponses(413, 415),
      },
    }),
    (async (c: AppContext) => {
      const ctx = ctxOf(c);
      const body = (c.req as unknown as { valid(t: 'json'): z.infer<typeof RolloverRequest> }).valid('json');
      const run = await runRecordedLifecycle(ctx, 'api', body.asOf);
      deliverSoonForTenant(ctx);
      return c.json(jobRunOutput(run), 200);
    }) as never,
  );

  registerResource(app, {
    path: '/v1/jobs/runs',
    tag: 'Jobs',
    singular: 'job run',
    plural: 'job runs',
    area: 'admin',
    input: z.object({}).strict(),
    output: JobRun,
    service: jobRunService,
    operations: ['list', 'get'],
    createExample: {},
    notes: { list: 'Runs of the lifecycle job, by the cron, the Node timer or POST /v1/jobs/rollover. Sort with sort=id:desc for the newest first.' },
  });
}
