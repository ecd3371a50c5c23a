/**
 * The load generator, run by bench/run.ts as a separate process so it does not
 * share an event loop with the server: autocannon with the scenario's request
 * generator, a warm-up whose figures are discarded, then the measured run.
 * Latencies are taken from every response (float ms), not autocannon's
 * whole-millisecond histogram. Talks to its parent over IPC.
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import type { Fixtures } from './lib/fixtures';
import { Random } from './lib/random';
import type { RequestGenerator } from './lib/scenario';
import { loadScenario } from './scenarios';

export interface LoadConfig {
  url: string;
  /** the scenario whose requests are sent */
  scenario: string;
  fixturesPath: string;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  seed: number;
}

export interface LoadStats {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** non-2xx responses plus connection errors and timeouts */
  errors: number;
  /** CPU time of the server process per response in µs (user + system), when known */
  cpuMicros?: number;
  statuses: Record<string, number>;
}

export type LoadMessage =
  | { type: 'tick'; phase: 'warm-up' | 'measure'; second: number; rps: number }
  /** sent just before the measured run starts */
  | { type: 'measuring' }
  | { type: 'result'; stats: LoadStats }
  | { type: 'error'; message: string };

function send(message: LoadMessage) {
  process.send?.(message);
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

async function run(config: LoadConfig, next: RequestGenerator, phase: 'warm-up' | 'measure', seconds: number): Promise<LoadStats> {
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  const statuses: Record<string, number> = {};
  const instance = autocannon({
    url: config.url,
    connections: config.connections,
    duration: seconds,
    requests: [
      {
        setupRequest: (request: Record<string, unknown>) => {
          const spec = next();
          return { ...request, method: spec.method, path: spec.path, headers: { ...spec.headers }, body: spec.body };
        },
      },
    ],
  });
  instance.on('response', (_client: unknown, status: number, _bytes: number, responseTime: number) => {
    if (count === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[count++] = responseTime;
    statuses[status] = (statuses[status] ?? 0) + 1;
  });
  let second = 0;
  instance.on('tick', (tick: { counter: number }) => send({ type: 'tick', phase, second: ++second, rps: tick.counter }));
  const result = await instance;
  const sorted = latencies.subarray(0, count).sort();
  const non2xx = Object.entries(statuses).reduce((n, [status, c]) => (status.startsWith('2') ? n : n + c), 0);
  return {
    requests: count,
    seconds: result.duration,
    rps: Math.round(count / result.duration),
    p50: round2(percentile(sorted, 50)),
    p90: round2(percentile(sorted, 90)),
    p99: round2(percentile(sorted, 99)),
    max: round2(sorted[sorted.length - 1] ?? 0),
    errors: non2xx + result.errors + result.timeouts,
    statuses,
  };
}

async function main() {
  const config = JSON.parse(process.argv[2]!) as LoadConfig;
  const fixtures = JSON.parse(readFileSync(config.fixturesPath, 'utf8')) as Fixtures;
  const next = loadScenario(config.scenario).makeRequests(fixtures, new Random(config.seed));
  if (config.warmupSeconds > 0) await run(config, next, 'warm-up', config.warmupSeconds);
  send({ type: 'measuring' });
  send({ type: 'result', stats: await run(config, next, 'measure', config.durationSeconds) });
}

main().then(
  () => process.disconnect?.(),
  (error: unknown) => {
    send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exitCode = 1;
    process.disconnect?.();
  },
);
