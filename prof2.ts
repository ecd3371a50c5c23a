import { sql } from 'drizzle-orm';
import { systemCtx } from './src/context';
import { Run, planChunk, renewalStatements } from './src/jobs/lifecycle';
import { insertDueContracts } from './test/helpers/due-contracts';
import { createRuntime } from './test/helpers/runtime.node.ts';
const rt = await createRuntime();
await insertDueContracts(rt.deps.database, 20000);
const ctx = systemCtx(rt.deps, Date.now());
const run = new Run(ctx, { asOf: '2025-03-15', budgetMs: 1e9, statementBudget: Infinity, chunkSize: 1000 }, { expr: sql`'2025-03-15'`, min: '2025-03-15', max: '2025-03-15' });
let t = performance.now();
const rows: any[] = await ctx.db.all(sql`select c.*, p.contract_term as signed_term, r.contract_term as rollover_term, r.rollover_contract_profile_id as rollover_next, r.renewal_alert_days as rollover_alert_days, r.notice_period_days as rollover_notice_days, r.superseded_by_contract_profile_id as rollover_superseded_by from customer_contracts c left join contract_profiles p on p.id = c.contract_profile_id left join contract_profiles r on r.id = c.rollover_contract_profile_id where c.settled = 0 and c.end_date < '2025-03-15' and c.renewed_customer_contract_id is null and c.rollover_contract_profile_id is not null order by c.end_date, c.id limit 1000`);
console.log('select ms', performance.now() - t, rows.length);
const camel = (r: any) => { const o: any = {}; for (const k in r) o[k.replace(/_([a-z])/g, (_: any, c: string) => c.toUpperCase())] = r[k]; return o; };
t = performance.now();
const chunk = await planChunk(run, rows.map(camel));
console.log('plan ms', performance.now() - t);
const stmts = renewalStatements(ctx, chunk);
for (const [i, s] of stmts.entries()) {
  t = performance.now();
  await rt.deps.database.batch([s]);
  console.log('stmt', i, (performance.now() - t).toFixed(1), 'ms');
}
