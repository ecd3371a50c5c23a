/**
 * Development convenience (Node only): with no key configured, the server keeps a
 * generated HS256 secret in the data folder so `npm start` and `npm run token`
 * agree on it, and a new user can call the API within a minute.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type Config, hasVerificationKey } from './config';
import { isRemoteUrl, localPath } from './db/node';

function dataFolder(databaseUrl: string): string {
  const path = localPath(databaseUrl);
  return isRemoteUrl(databaseUrl) || path === ':memory:' ? 'data' : dirname(path);
}

/** Reads (or first creates) data/dev-jwt-secret and returns the config with it as JWT_SECRET. */
export function withDevelopmentSecret(config: Config): Config {
  if (hasVerificationKey(config) || config.TENOR_ENV !== 'development') return config;
  const folder = dataFolder(config.DATABASE_URL);
  const file = join(folder, 'dev-jwt-secret');
  if (!existsSync(file)) {
    mkdirSync(folder, { recursive: true });
    writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600 });
  }
  return { ...config, JWT_SECRET: readFileSync(file, 'utf8').trim() };
}
