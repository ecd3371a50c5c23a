/**
 * Node entry: the same app on @hono/node-server over an embedded libSQL file
 * (created and migrated on start), with the lifecycle jobs on a timer.
 */
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { createNodeApp } from './node-app';
import { type Config, ConfigError, hasVerificationKey, parseConfig } from './config';
import type { LogLine } from './db/context';
import { apiDocumentText } from './http/openapi';
import { createDeps } from './runtime';
import { analyzeDatabase, migrateDatabase, OPTIMIZE_INTERVAL_MS, openDatabase, optimizeDatabase } from './db/node';
import { withDevelopmentSecret } from './dev-secret';
import { DRAIN_TIMEOUT_MS, drainable } from './drain';
import { signToken } from './http/auth';
import { startJobTimer } from './jobs/timer';

/**
 * JSON log lines on stdout, written once per turn of the event loop: stdout to
 * a file or pipe is a synchronous write, and one per request cost about a tenth
 * of a small read's CPU (measured with the benchmark's S1).
 */
function batchedStdoutLog(): (line: LogLine) => void {
  let pending = '';
  const flush = () => {
    if (pending === '') return;
    const chunk = pending;
    pending = '';
    process.stdout.write(chunk);
  };
  process.on('exit', flush);
  return (line) => {
    if (pending === '') setImmediate(flush);
    pending += `${JSON.stringify(line)}\n`;
  };
}

/** Where a local client reaches the server: its host, or localhost when it listens on every address. */
function localUrl(config: Config): string {
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.PORT}`;
}

function configOrExit(): Config {
  try {
    return parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

/** Production (the default) without a key would answer every protected request 500: refuse to start instead. */
function refuseProductionWithoutKey(config: Config): void {
  if (config.TENOR_ENV !== 'production' || hasVerificationKey(config)) return;
  console.error(
    'Tenor refuses to start: TENOR_ENV is production (the default) and no token verification key is configured.\n' +
      'Set JWT_SECRET (at least 32 bytes), JWT_JWKS_URL or JWT_PUBLIC_KEY.\n' +
      'For local development, set TENOR_ENV=development (npm start does): a secret is generated in the data folder and a token printed.',
  );
  process.exit(1);
}

async function main() {
  const fromEnvironment = configOrExit();
  refuseProductionWithoutKey(fromEnvironment);
  const config = withDevelopmentSecret(fromEnvironment);
  const database = openDatabase(config.DATABASE_URL, config.DATABASE_AUTH_TOKEN);
  await migrateDatabase(database);
  await analyzeDatabase(database);
  const deps = createDeps({ config, database, log: batchedStdoutLog() });
  // Node compresses itself (hono/compress); on the Worker Cloudflare does
  const app = createNodeApp(deps, config);
  // What the first requests would otherwise wait for, done before listening (measured on a fresh
  // start: the first request 0.25 s instead of 0.02 s, the first /openapi.json 1.1 s instead of 0.07 s):
  // Hono builds its router's matcher on first use, and /openapi.json its document.
  app.router.match('GET', '/health');
  apiDocumentText(app);

  // loopback unless HOST says otherwise (the Docker image listens on 0.0.0.0)
  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
    const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
    console.error(`Tenor listening on http://${host}:${info.port} (database ${config.DATABASE_URL})`);
  });

  // a development secret stands in for the missing key
  if (config.JWT_SECRET !== fromEnvironment.JWT_SECRET) {
    const token = await signToken(config, { sub: 'developer', scope: '*', owners: ['*'], ttlSeconds: 12 * 3600 });
    console.error(
      `\nDevelopment mode: no JWT key configured, so a secret was generated in the data folder.\n` +
        `A token for every owner and scope, valid 12 hours:\n\n  export TOKEN=${token}\n\n` +
        `  curl -H "Authorization: Bearer $TOKEN" ${localUrl(config)}/v1/me\n`,
    );
  }

  const stopJobs = config.JOBS_ENABLED ? startJobTimer(deps) : async () => {};
  // planner statistics stay fresh as the data grows (analyzed on start, after the migrations)
  const optimizer = setInterval(() => void optimizeDatabase(database).catch((e) => console.error('pragma optimize failed', e)), OPTIMIZE_INTERVAL_MS);
  optimizer.unref();
  const drainer = drainable(server as Server);

  // SIGTERM/SIGINT: stop accepting, finish the requests in flight (bounded), let a job run finish within the same
  // bound (one cut short is marked FAILED by the next run once its lease passes), then close the database
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      console.error(`${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    clearInterval(optimizer);
    console.error(`${signal}: draining (up to ${DRAIN_TIMEOUT_MS / 1000} s)`);
    const deadline = new Promise((resolve) => setTimeout(resolve, DRAIN_TIMEOUT_MS).unref());
    const [{ timedOut }] = await Promise.all([drainer.drain(), Promise.race([stopJobs(), deadline])]);
    if (timedOut) console.error('requests still open after the drain timeout were closed');
    try {
      await optimizeDatabase(database).catch(() => {});
      await database.close();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

void main();
