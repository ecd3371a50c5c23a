/**
 * Child processes of a benchmark run: the Tenor server (the bundle `npm start`
 * builds, on plain node), the floors and the load generator (TypeScript through
 * tsx's loader; the pid is the process that serves), and a sampler of a
 * process's resident memory.
 */
import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { isAbsolute, join } from 'node:path';
import type { FloorConfig } from '../floor-server';
import type { LoadConfig, LoadMessage, LoadStats } from '../load';
import { ROOT } from './seeded';

export interface Server {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

function forkTs(
  script: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; execArgv?: string[]; logFile?: string; tsx?: boolean } = {},
) {
  const log = options.logFile ? openSync(options.logFile, 'a') : 'ignore';
  const child = fork(isAbsolute(script) ? script : join(ROOT, script), args, {
    cwd: ROOT,
    env: options.env ?? process.env,
    execArgv: [...(options.tsx === false ? [] : ['--import', 'tsx']), ...(options.execArgv ?? [])],
    stdio: ['ignore', log === 'ignore' ? 'ignore' : log, log === 'ignore' ? 'inherit' : log, 'ipc'],
  });
  if (typeof log === 'number') closeSync(log);
  return child;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function stopChild(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited(child);
  clearTimeout(timer);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, logFile: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stopChild(child);
  throw new Error(`the server did not become healthy; its log (${logFile}) ends:\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
}

/** The server as `npm start` runs it: its build step (`npm run build:node`, esbuild into dist/), then the bundle on plain node. */
export function buildServer(): string {
  try {
    execFileSync('npm', ['run', '--silent', 'build:node'], { cwd: ROOT, stdio: 'pipe', encoding: 'utf8' });
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string };
    throw new Error(`npm run build:node failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
  return join(ROOT, 'dist', 'server.mjs');
}

/** The node options `npm start` runs the bundle with (package.json's start script: `node <options> dist/server.mjs`). */
export function startNodeOptions(): string[] {
  const start = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start!;
  const match = /(?:^|&&\s*)node\s+((?:--\S+\s+)*)dist\/server\.mjs\s*$/.exec(start);
  if (!match) throw new Error(`package.json's start script does not end in "node [options] dist/server.mjs": ${start}`);
  return match[1]!.split(/\s+/).filter(Boolean);
}

/** The Tenor Node server on `databaseUrl`, logging to `logFile` (logging stays on). */
export async function startApp(options: {
  databaseUrl: string;
  jwtSecret: string;
  logFile: string;
  env?: Record<string, string>;
  /** write a V8 CPU profile of the server into this folder when it stops */
  profileDir?: string;
  /** run this bundle (buildServer) with plain node; without it, src/server.ts through tsx */
  bundle?: string;
}): Promise<Server> {
  const port = await freePort();
  if (options.profileDir) mkdirSync(options.profileDir, { recursive: true });
  const child = forkTs(options.bundle ?? 'src/server.ts', [], {
    tsx: !options.bundle,
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: options.databaseUrl,
      JWT_SECRET: options.jwtSecret,
      TENOR_ENV: 'production',
      LOG_REQUESTS: 'true',
      // the scheduled jobs would change the data under the scenarios; rollover has a scenario of its own
      JOBS_ENABLED: 'false',
      // the load generator is one caller at one address, far over any production rate limit
      RATE_LIMITS: 'false',
      ...options.env,
    },
    execArgv: [...(options.bundle ? startNodeOptions() : []), ...(options.profileDir ? ['--cpu-prof', '--cpu-prof-dir', options.profileDir] : [])],
    logFile: options.logFile,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, child, options.logFile);
  return { url, pid: child.pid!, stop: () => stopChild(child) };
}

/** A floor server (bench/floor-server.ts); it picks its own port. */
export async function startFloor(config: FloorConfig, logFile: string): Promise<Server> {
  const child = forkTs('bench/floor-server.ts', [JSON.stringify(config)], { logFile });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m: { type: string; port: number }) => (m.type === 'ready' ? resolve(m.port) : reject(new Error('floor not ready'))));
    child.once('exit', (code) => reject(new Error(`floor ${config.floor} exited with ${code}; see ${logFile}`)));
  });
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, stop: () => stopChild(child) };
}

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU seconds (user + system) a process has used so far; null where /proc is not available. */
export function cpuSeconds(pid: number): number | null {
  try {
    // fields after the parenthesised command name; utime and stime are the 12th and 13th of those
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/**
 * Runs bench/load.ts against `config.url`; `onTick` sees each second's request
 * count. With `serverPid`, the stats include the server's CPU time per response
 * over the measured run: a figure other load on the machine disturbs far less
 * than requests per second.
 */
export function runLoad(
  config: LoadConfig,
  onTick: (m: Extract<LoadMessage, { type: 'tick' }>) => void,
  serverPid?: number,
): Promise<LoadStats> {
  const child = forkTs('bench/load.ts', [JSON.stringify(config)]);
  return new Promise((resolve, reject) => {
    let stats: LoadStats | undefined;
    let cpuAtStart: number | null = null;
    child.on('message', (m: LoadMessage) => {
      if (m.type === 'tick') onTick(m);
      else if (m.type === 'measuring') cpuAtStart = serverPid ? cpuSeconds(serverPid) : null;
      else if (m.type === 'result') {
        stats = m.stats;
        const cpuAtEnd = serverPid ? cpuSeconds(serverPid) : null;
        if (cpuAtStart !== null && cpuAtEnd !== null && stats.requests > 0) {
          stats.cpuMicros = Math.round(((cpuAtEnd - cpuAtStart) * 1e6) / stats.requests);
        }
      } else reject(new Error(`load generator failed: ${m.message}`));
    });
    child.on('exit', (code) => (stats ? resolve(stats) : reject(new Error(`load generator exited with ${code}`))));
  });
}

/** Samples VmRSS of a process every `intervalMs`; `max()` is the highest seen, in MiB. */
export class RssSampler {
  private highest = 0;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly pid: number,
    intervalMs = 200,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  private sample() {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
      if (match) this.highest = Math.max(this.highest, Number(match[1]) / 1024);
    } catch {
      // the process has gone, or this is not Linux
    }
  }

  /** Stops sampling; the highest RSS seen in MiB (0 when it could not be read). */
  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return Math.round(this.highest * 10) / 10;
  }
}
