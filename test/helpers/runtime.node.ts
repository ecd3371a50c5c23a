/** The app on Node over an in-memory libSQL database, migrated (one per test file). */
import { createNodeApp } from '../../src/node-app';
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
  // rate limits off unless a test asks (every test shares one caller and address); the client's address from X-Forwarded-For
  const config = parseConfig({ JWT_SECRET: TEST_JWT_SECRET, TENOR_ENV: 'test', LOG_REQUESTS: 'false', JOBS_ENABLED: 'false', RATE_LIMITS: 'false', TRUST_PROXY: 'true', ...settings });
  const deps = createDeps({ config, database, log: () => {} });
  const app = createNodeApp(deps, config);
  return { kind: 'node', fetch: async (request) => app.fetch(request), deps };
}
