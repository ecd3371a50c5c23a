/** The app on Node over an in-memory libSQL database, migrated (one per test file). */
import { createApp } from '../../src/app';
import { nodeDocsAsset } from '../../src/docs-assets';
import { parseConfig } from '../../src/config';
import type { Deps } from '../../src/db/context';
import { createDeps } from '../../src/runtime';
import { migrateDatabase, openLocalDatabase } from '../../src/db/node';
import { TEST_JWT_SECRET } from './secrets';

export interface Runtime {
  kind: 'node' | 'worker';
  fetch(request: Request): Promise<Response>;
  deps: Deps;
}

export async function createRuntime(settings: Record<string, string> = {}): Promise<Runtime> {
  const database = openLocalDatabase(':memory:');
  await migrateDatabase(database);
  const config = parseConfig({ JWT_SECRET: TEST_JWT_SECRET, TENOR_ENV: 'test', LOG_REQUESTS: 'false', JOBS_ENABLED: 'false', ...settings });
  const deps = createDeps({ config, database, log: () => {} });
  const app = createApp({ deps: () => deps, docsAsset: nodeDocsAsset });
  return { kind: 'node', fetch: async (request) => app.fetch(request), deps };
}
