/**
 * A scenario's requests through the app in process, one at a time, for figures
 * that other work on a shared machine disturbs little: CPU time per request and
 * the spread of single-request latencies (no HTTP, no load generator, no queue).
 *   npx tsx bench/inprocess.ts --only S4,S5 [--requests 2000] [--warmup 200] [--dir bench/.data/run] [--repeat 1] [--seed 4242]
 *
 * Uses the last benchmark run's working copy, fixtures and token secret
 * (`bench/.data/run/`, or --dir): run `npm run bench` (any mode) first. Opens
 * the file as the server does (migrations, planner statistics), then for each
 * scenario sends --warmup requests, then --requests measured ones, each awaited
 * with its body read before the next (deferred work, such as webhook delivery,
 * runs between them and is counted in the CPU time). Writing scenarios change
 * the working copy, as they do in a benchmark run. --repeat runs the list that
 * many times in turn (A B A B), to see the spread. U1's batches are numbered
 * from 1 whatever the seed, and a batch already stored is answered from the
 * stored records: on a working copy U1 has written to, give another --seed
 * (most batches then go to other lines, so they are new).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createNodeApp } from '../src/node-app';
import { parseConfig } from '../src/config';
import { createDeps } from '../src/runtime';
import { analyzeDatabase, migrateDatabase, openLocalDatabase } from '../src/db/node';
import type { Fixtures } from './lib/fixtures';
import { Random } from './lib/random';
import { DATA_DIR } from './lib/seeded';
import { loadScenario } from './scenarios';

const { values } = parseArgs({
  options: {
    only: { type: 'string', default: 'S1' },
    requests: { type: 'string', default: '2000' },
    warmup: { type: 'string', default: '200' },
    dir: { type: 'string', default: join(DATA_DIR, 'run') },
    repeat: { type: 'string', default: '1' },
    seed: { type: 'string', default: '4242' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  process.stdout.write('Usage: npx tsx bench/inprocess.ts --only S4,S5 [--requests 2000] [--warmup 200] [--dir bench/.data/run] [--repeat 1] [--seed 4242]\n');
  process.exit(0);
}
const dir = values.dir!;
const requests = Number(values.requests);
const warmup = Number(values.warmup);
const repeat = Number(values.repeat);
const seed = Number(values.seed);
const ids = values.only!.split(',').map((s) => s.trim().toUpperCase());

const fixtures = JSON.parse(readFileSync(join(dir, 'fixtures.json'), 'utf8')) as Fixtures;
const secret = readFileSync(join(dir, 'jwt-secret'), 'utf8').trim();
const database = openLocalDatabase(`file:${join(dir, 'tenor.db')}`);
await migrateDatabase(database);
await analyzeDatabase(database);
const config = parseConfig({ TENOR_ENV: 'production', JWT_SECRET: secret, LOG_REQUESTS: 'false', JOBS_ENABLED: 'false' });
const deps = createDeps({ config, database, log: () => {} });
const app = createNodeApp(deps, config);

const percentile = (sorted: Float64Array, p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
const f = (n: number) => n.toFixed(3);

for (let round = 0; round < repeat; round++) {
  for (const id of ids) {
    const next = loadScenario(id).makeRequests(fixtures, new Random(seed + round));
    const send = async () => {
      const r = next();
      const res = await app.request(r.path, { method: r.method, ...(r.headers ? { headers: r.headers } : {}), ...(r.body ? { body: r.body } : {}) });
      await res.arrayBuffer();
      return res.status;
    };
    for (let i = 0; i < warmup; i++) await send();
    const latencies = new Float64Array(requests);
    const statuses: Record<number, number> = {};
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < requests; i++) {
      const t = performance.now();
      const status = await send();
      latencies[i] = performance.now() - t;
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
    // let deferred work finish inside the measured CPU time
    await new Promise((r) => setTimeout(r, 50));
    const cpu = process.cpuUsage(cpuStart);
    const wall = performance.now() - started;
    latencies.sort();
    process.stdout.write(
      `${id}: ${requests} requests in ${(wall / 1000).toFixed(2)} s; CPU ${Math.round((cpu.user + cpu.system) / requests)} µs/req; ` +
        `latency p50 ${f(percentile(latencies, 50))} p90 ${f(percentile(latencies, 90))} p99 ${f(percentile(latencies, 99))} max ${f(latencies[requests - 1]!)} ms; ` +
        `> 5 ms: ${latencies.filter((l) => l > 5).length}; statuses ${JSON.stringify(statuses)}\n`,
    );
  }
}
await database.close();
