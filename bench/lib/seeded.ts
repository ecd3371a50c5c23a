/**
 * Seeded data files under bench/.data/ (git-ignored), each with a sidecar
 * `<file>.json` naming the parameters it was built with. The sidecar is written
 * last, so an interrupted seed is never reused.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDataset, DATASET_VERSION, DEFAULT_SEED, type DatasetOptions, type DatasetSummary, schemaFingerprint } from './dataset';
import { todayIn } from '../../src/domain/dates';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DATA_DIR = join(ROOT, 'bench', '.data');

export function datasetUrl(contracts: number, dueForRenewal = 0): string {
  return `file:${join(DATA_DIR, `tenor-${contracts}${dueForRenewal > 0 ? `-due${dueForRenewal}` : ''}.db`)}`;
}

function metaPath(url: string): string {
  return `${url.replace(/^file:/, '')}.json`;
}

export async function seedDataset(options: DatasetOptions): Promise<DatasetSummary> {
  const summary = await buildDataset(options);
  writeFileSync(metaPath(options.url), `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}

/** The seeded file for these parameters: reused when its sidecar matches, else built. */
export async function ensureDataset(
  options: Omit<DatasetOptions, 'url'> & { url?: string },
): Promise<{ url: string; summary: DatasetSummary; reused: boolean }> {
  const url = options.url ?? datasetUrl(options.contracts, options.dueForRenewal);
  const wanted = {
    version: DATASET_VERSION,
    schema: schemaFingerprint(),
    seed: options.seed ?? DEFAULT_SEED,
    today: options.today ?? todayIn('UTC'),
    contracts: options.contracts,
    dueForRenewal: options.dueForRenewal ?? 0,
  };
  const path = metaPath(url);
  if (existsSync(path) && existsSync(url.replace(/^file:/, ''))) {
    const summary = JSON.parse(readFileSync(path, 'utf8')) as DatasetSummary;
    if (Object.entries(wanted).every(([k, v]) => summary[k as keyof typeof wanted] === v)) return { url, summary, reused: true };
  }
  const { seed, today, contracts, dueForRenewal } = wanted;
  return { url, summary: await seedDataset({ ...options, seed, today, contracts, dueForRenewal, url }), reused: false };
}
