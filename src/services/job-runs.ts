/** The recorded runs of the lifecycle job (GET /v1/jobs/runs): read-only, visible to a caller acting for every owner a run acted for. */
import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { Ctx } from '../db/context';
import { queryExists, queryPage, type ResourceService } from '../db/crud';
import type { QuerySpec } from '../db/query';
import { jobRuns } from '../db/schema';
import type { Tenant } from '../db/tenancy';
import { TenorError } from '../errors';

export type JobRunRow = typeof jobRuns.$inferSelect;

/** Runs are visible to a caller acting for every owner the run acted for. */
function visibleRuns(tenant: Tenant): SQL | undefined {
  if (tenant.owners === '*') return undefined;
  return sql`not exists (select 1 from json_each(${jobRuns.owners}) j where j.value = '*' or j.value not in (select value from json_each(${JSON.stringify(tenant.owners)})))`;
}

/** A run as the API shows it: every column. */
export function jobRunOutput(r: JobRunRow) {
  const { leaseExpiresAt: _lease, ...run } = r;
  return run;
}

const jobRunQuery: QuerySpec = {
  filters: {
    id: { type: 'id', column: jobRuns.id },
    job: { type: 'string', column: jobRuns.job },
    trigger: { type: 'string', column: jobRuns.trigger },
    outcome: { type: 'string', column: jobRuns.outcome },
    startedAt: { type: 'instant', column: jobRuns.startedAt },
    asOf: { type: 'date', column: jobRuns.asOf },
  },
  sorts: { id: jobRuns.id, startedAt: jobRuns.startedAt, renewed: jobRuns.renewed },
};

export const jobRunService: ResourceService<JobRunRow, ReturnType<typeof jobRunOutput>, Record<string, never>> = {
  singular: 'job run',
  query: jobRunQuery,
  list: (ctx, query) => queryPage(ctx, jobRuns, jobRunQuery, [visibleRuns(ctx.tenant)], query),
  exists: (ctx, query) => queryExists(ctx, jobRuns, jobRunQuery, [visibleRuns(ctx.tenant)], query),
  async find(ctx, id) {
    const [row] = await ctx.db.select().from(jobRuns).where(and(eq(jobRuns.id, id), visibleRuns(ctx.tenant)));
    return row ?? null;
  },
  async render(_ctx: Ctx, rows) {
    return rows.map(jobRunOutput);
  },
  async create() {
    throw new TenorError('method-not-allowed', 'Runs are created by running a job');
  },
  async update() {
    throw new TenorError('method-not-allowed', 'Runs cannot be changed');
  },
  async remove() {
    throw new TenorError('method-not-allowed', 'Runs cannot be deleted');
  },
};
