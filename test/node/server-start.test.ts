/**
 * Safe defaults (quality.md): a server started with no environment runs in
 * production and refuses to start without a token verification key, saying
 * what to set; development (a generated secret and a printed all-powerful
 * token) only when asked for with TENOR_ENV=development.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, spawnServer, untilListening } from '../helpers/child-server';
import { TEST_JWT_SECRET } from '../helpers/secrets';

const dir = mkdtempSync(join(tmpdir(), 'tenor-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function stop(server: ReturnType<typeof spawnServer>) {
  server.child.kill('SIGTERM');
  await server.exited;
}

describe('starting the Node server', () => {
  it('with no environment: production, refuses to start without a key, and prints no token', async () => {
    const folder = join(dir, 'bare');
    const server = spawnServer({ DATABASE_URL: `file:${join(folder, 'tenor.db')}`, PORT: String(await freePort()) }, { defaults: false });
    const exit = await Promise.race([server.exited, new Promise<'running'>((r) => setTimeout(() => r('running'), 15_000))]);
    if (exit === 'running') server.child.kill('SIGKILL');
    expect(exit, server.output()).not.toBe('running');
    expect((exit as { code: number }).code).toBe(1);
    expect(server.output()).toMatch(/production/);
    expect(server.output()).toMatch(/JWT_SECRET/);
    expect(server.output()).toMatch(/TENOR_ENV=development/);
    expect(server.output()).not.toMatch(/TOKEN=/);
    expect(existsSync(join(folder, 'dev-jwt-secret'))).toBe(false);
  }, 30_000);

  it('in production with a key: starts, and prints no token', async () => {
    const server = spawnServer(
      { DATABASE_URL: `file:${join(dir, 'prod.db')}`, PORT: String(await freePort()), JWT_SECRET: TEST_JWT_SECRET, JOBS_ENABLED: 'false' },
      { defaults: false },
    );
    await untilListening(server);
    expect(server.output()).not.toMatch(/TOKEN=/);
    await stop(server);
  }, 30_000);

  it('with TENOR_ENV=development: generates a secret in the data folder and prints a token', async () => {
    const folder = join(dir, 'dev');
    const server = spawnServer(
      { DATABASE_URL: `file:${join(folder, 'tenor.db')}`, PORT: String(await freePort()), TENOR_ENV: 'development', JOBS_ENABLED: 'false' },
      { defaults: false },
    );
    await untilListening(server);
    const deadline = Date.now() + 10_000;
    while (!/TOKEN=/.test(server.output()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(server.output()).toMatch(/TOKEN=/);
    expect(existsSync(join(folder, 'dev-jwt-secret'))).toBe(true);
    await stop(server);
  }, 30_000);
});
