/**
 * A separate process that runs the lifecycle job over a database file, for the
 * crash test: `node --import tsx test/helpers/lifecycle-child.ts <file> <asOf>`.
 * It prints "started" and then runs until done (or until it is killed).
 */
import { parseConfig } from '../../src/config';
import { systemCtx } from '../../src/db/context';
import { createDeps } from '../../src/runtime';
import { openLocalDatabase } from '../../src/db/node';
import { runLifecycle } from '../../src/jobs/lifecycle';

const [file, asOf] = process.argv.slice(2);
const database = openLocalDatabase(`file:${file}`);
const deps = createDeps({ config: parseConfig({ TENOR_ENV: 'test', LOG_REQUESTS: 'false' }), database, log: () => {} });
console.log('started');
const report = await runLifecycle(systemCtx(deps, Date.now(), 'child'), {
  asOf,
  budgetMs: 600_000,
  statementBudget: Number.POSITIVE_INFINITY,
  chunkSize: 100,
});
console.log(JSON.stringify(report));
