/** The request log: every request, none, or sampled (LOG_REQUESTS=sample:N) with every error kept. */
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { ConfigError, parseConfig } from '../../src/config';
import type { LogLine } from '../../src/db/context';
import { migrateDatabase, openLocalDatabase } from '../../src/db/node';
import { createDeps } from '../../src/runtime';
import { TEST_JWT_SECRET } from '../helpers/secrets';

async function appLogging(setting: string) {
  const database = openLocalDatabase(':memory:');
  await migrateDatabase(database);
  const lines: LogLine[] = [];
  const config = parseConfig({ JWT_SECRET: TEST_JWT_SECRET, TENOR_ENV: 'test', LOG_REQUESTS: setting, JOBS_ENABLED: 'false' });
  const deps = createDeps({ config, database, log: (line) => lines.push(line) });
  const app = createApp({ deps: () => deps });
  return { lines, get: (path: string) => app.request(path) };
}

describe('the request log', () => {
  it('logs every request by default and none when off', async () => {
    const on = await appLogging('true');
    for (let i = 0; i < 5; i++) await on.get('/health');
    expect(on.lines).toHaveLength(5);
    expect(on.lines[0]).toMatchObject({ method: 'GET', path: '/health', status: 200 });
    const off = await appLogging('false');
    for (let i = 0; i < 5; i++) await off.get('/health');
    expect(off.lines).toHaveLength(0);
  });

  it('sampled: one in N successful requests, and every error', async () => {
    const log = await appLogging('sample:4');
    for (let i = 0; i < 12; i++) await log.get('/health');
    expect(log.lines).toHaveLength(3);
    expect(log.lines.every((l) => (l as Record<string, unknown>).sampled === 4)).toBe(true);
    for (let i = 0; i < 3; i++) await log.get('/v1/customer-contracts');
    expect(log.lines.filter((l) => l.status === 401)).toHaveLength(3);
  });

  it('refuses a setting it does not know', () => {
    for (const bad of ['sometimes', 'sample:0', 'sample:x']) expect(() => parseConfig({ LOG_REQUESTS: bad })).toThrow(ConfigError);
    expect(parseConfig({ LOG_REQUESTS: 'sample:10' }).LOG_REQUESTS).toBe(10);
  });
});
