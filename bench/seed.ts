/**
 * Builds the benchmark data set (bench/lib/dataset.ts):
 *   npm run seed -- [--contracts 100000] [--due 100000] [--db file:bench/.data/tenor-100000-due100000.db] [--seed 20260501] [--today 2026-05-01]
 * The file is replaced. `npm run bench` seeds by itself and reuses a file whose
 * parameters match; this command is for inspecting or reusing the data elsewhere.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_CONTRACTS, DEFAULT_SEED } from './lib/dataset';
import { datasetUrl, seedDataset } from './lib/seeded';

const { values } = parseArgs({
  options: {
    contracts: { type: 'string', default: String(DEFAULT_CONTRACTS) },
    due: { type: 'string', default: '0' },
    db: { type: 'string' },
    seed: { type: 'string', default: String(DEFAULT_SEED) },
    today: { type: 'string' },
  },
});

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const contracts = Number(values.contracts);
if (!Number.isSafeInteger(contracts) || contracts < 1) fail('--contracts takes a positive whole number');
const dueForRenewal = Number(values.due);
if (!Number.isSafeInteger(dueForRenewal) || dueForRenewal < 0) fail('--due takes a whole number (contracts due for renewal, for R1)');
const seed = Number(values.seed);
if (!Number.isSafeInteger(seed)) fail('--seed takes a whole number');
if (values.today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.today)) fail('--today takes a date, YYYY-MM-DD');
const url = values.db ?? datasetUrl(contracts, dueForRenewal);
if (!url.startsWith('file:')) fail('--db takes a local file: file:path');

const summary = await seedDataset({ contracts, dueForRenewal, url, seed, ...(values.today ? { today: values.today } : {}), progress: (m) => console.error(m) });
console.error(`seed: ${url} in ${summary.seconds} s`);
console.log(JSON.stringify(summary, null, 2));
