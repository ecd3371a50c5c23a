/**
 * Operating the Node server: HOST (loopback unless told otherwise), compression
 * on the wire, /ready when the database is gone, LOG_LEVEL, and a backup of the
 * libSQL file taken while the server writes to it (scripts/backup.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backupDatabase } from '../../scripts/backup';
import { createApp } from '../../src/app';
import { ConfigError, parseConfig } from '../../src/config';
import { openLocalClient, openLocalDatabase } from '../../src/db/node';
import { atLogLevel, createDeps } from '../../src/runtime';
import { freePort, spawnServer, untilListening } from '../helpers/child-server';
import { harness, signTestToken, unique } from '../helpers/harness';

const dir = mkdtempSync(join(tmpdir(), 'tenor-ops-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function stop(server: ReturnType<typeof spawnServer>) {
  server.child.kill('SIGTERM');
  await server.exited;
}

describe('the Node server', () => {
  it('listens on 127.0.0.1 unless HOST says otherwise, and compresses on the wire', async () => {
    const port = await freePort();
    const server = spawnServer({ DATABASE_URL: `file:${join(dir, 'host.db')}`, PORT: String(port) });
    try {
      await untilListening(server);
      expect(server.output()).toContain(`listening on http://127.0.0.1:${port}`);
      const res = await fetch(`http://127.0.0.1:${port}/openapi.json`, { headers: { 'accept-encoding': 'gzip' } });
      expect(res.headers.get('content-encoding')).toBe('gzip');
      expect(((await res.json()) as { openapi: string }).openapi).toMatch(/^3\.1/);
    } finally {
      await stop(server);
    }
    const everywhere = spawnServer({ DATABASE_URL: `file:${join(dir, 'host.db')}`, PORT: String(port), HOST: '0.0.0.0' });
    try {
      await untilListening(everywhere);
      expect(everywhere.output()).toContain(`listening on http://0.0.0.0:${port}`);
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    } finally {
      await stop(everywhere);
    }
  }, 120_000);

  it('is not ready while its database cannot answer, and still healthy', async () => {
    const h = await harness();
    expect((await h.request('GET', '/ready')).status).toBe(200);
    // a database without Tenor's tables (never migrated) cannot answer for the app
    const bare = createApp({ deps: () => createDeps({ config: parseConfig({ TENOR_ENV: 'test' }), database: openLocalDatabase(':memory:'), log: () => {} }) });
    const ready = await bare.fetch(new Request('http://tenor.test/ready'));
    expect(ready.status).toBe(503);
    expect(ready.headers.get('content-type')).toMatch(/problem\+json/);
    expect(((await ready.json()) as { detail: string }).detail).toMatch(/database/);
    expect((await bare.fetch(new Request('http://tenor.test/health'))).status).toBe(200);
  });

  it('logs at LOG_LEVEL and above (info by default)', () => {
    expect(parseConfig({}).LOG_LEVEL).toBe('info');
    expect(() => parseConfig({ LOG_LEVEL: 'verbose' })).toThrow(ConfigError);
    const lines: unknown[] = [];
    const deps = createDeps({ config: parseConfig({ LOG_LEVEL: 'warn' }), database: openLocalDatabase(':memory:'), log: (line) => lines.push(line.msg) });
    for (const level of ['debug', 'info', 'warn', 'error', undefined]) deps.log({ level, msg: level ?? 'none' });
    expect(lines).toEqual(['warn', 'error']);
    const all: unknown[] = [];
    const debug = atLogLevel((line) => all.push(line.level), 'debug');
    for (const level of ['debug', 'info', 'error']) debug({ level });
    expect(all).toEqual(['debug', 'info', 'error']);
  });

  it('is backed up while it writes: the copy holds everything committed before it', async () => {
    const file = join(dir, 'live.db');
    const port = await freePort();
    const server = spawnServer({ DATABASE_URL: `file:${file}`, PORT: String(port) });
    try {
      await untilListening(server);
      const token = await signTestToken();
      const create = (name: string) =>
        fetch(`http://127.0.0.1:${port}/v1/contract-owners`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ name, availableFrom: '2020-01-01' }),
        });
      const before = unique('Before ');
      expect((await create(before)).status).toBe(201);
      // writes keep landing while the copy is taken
      const writing = Promise.all(Array.from({ length: 20 }, (_, i) => create(unique(`During ${i} `))));
      const target = join(dir, 'backups', 'copy.db');
      backupDatabase(`file:${file}`, target);
      expect((await writing).every((r) => r.status === 201)).toBe(true);
      expect(() => backupDatabase(`file:${file}`, target)).toThrow(/exists/);

      const copy = openLocalClient(target);
      try {
        expect(copy.prepare('pragma integrity_check').get()).toMatchObject({ integrity_check: 'ok' });
        expect(copy.prepare('select count(*) as n from contract_owners where name = ?').get(before)).toMatchObject({ n: 1 });
      } finally {
        copy.close();
      }
    } finally {
      await stop(server);
    }
  }, 120_000);
});
