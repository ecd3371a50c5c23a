/**
 * The Node server (src/server.ts) as a child process on a database file, for the
 * crash, drain and start-up tests: started with `node --import tsx`, on a free
 * port, and ready once it says it is listening.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { TEST_JWT_SECRET } from './secrets';

export interface ChildServer {
  child: ChildProcess;
  url: string;
  /** stdout and stderr so far */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Spawns the server; `env` replaces the defaults (a key, test mode, no jobs, no request log) where given. */
export function spawnServer(env: Record<string, string | undefined>, options: { defaults?: boolean } = {}): ChildServer {
  const base: Record<string, string | undefined> =
    options.defaults === false ? {} : { JWT_SECRET: TEST_JWT_SECRET, TENOR_ENV: 'test', JOBS_ENABLED: 'false', LOG_REQUESTS: 'false', RATE_LIMITS: 'false' };
  const merged = { ...base, ...env };
  const childEnv: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  for (const [k, v] of Object.entries(merged)) if (v !== undefined) childEnv[k] = v;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, url: `http://127.0.0.1:${merged.PORT ?? 8787}`, output: () => output, exited };
}

/** Waits until the server says it is listening (or fails, naming what it printed). */
export async function untilListening(server: ChildServer, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  void server.exited.then(() => (gone = true));
  while (!/listening on/.test(server.output())) {
    if (gone) throw new Error(`the server exited: ${server.output()}`);
    if (Date.now() > deadline) throw new Error(`the server did not start: ${server.output()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
