/**
 * Configuration from the environment (Node) or Worker vars and secrets, parsed
 * once with zod. A bad value is a ConfigError naming the setting; a missing JWT
 * key is not an error here: protected routes answer 500 naming it (conventions.md).
 */
import { z } from 'zod';

const MIN_SECRET_BYTES = 32;

function isUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}

const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .optional()
    .transform((v) => (v === undefined ? fallback : v === 'true' || v === '1' || v === 'yes'));

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));

const configSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8787),
  DATABASE_URL: z.string().min(1).default('file:data/tenor.db'),
  DATABASE_AUTH_TOKEN: optionalText,
  JWT_SECRET: optionalText.refine((v) => v === undefined || new TextEncoder().encode(v).length >= MIN_SECRET_BYTES, {
    message: `must be at least ${MIN_SECRET_BYTES} bytes`,
  }),
  JWT_JWKS_URL: optionalText.refine((v) => v === undefined || isUrl(v), { message: 'must be a URL' }),
  JWT_PUBLIC_KEY: optionalText,
  JWT_PRIVATE_KEY: optionalText,
  JWT_ISSUER: optionalText,
  JWT_AUDIENCE: optionalText,
  JOBS_ENABLED: flag(true),
  /**
   * production (the default): the Node server refuses to start without a key;
   * development, only when asked for: no key configured → it generates one and prints a token
   */
  TENOR_ENV: z.enum(['development', 'production', 'test']).default('production'),
  /**
   * The request log: every request (true), none (false), or `sample:N` — every error
   * (status ≥ 400) and every slow request (≥ LOG_SLOW_MS), and one in N of the rest.
   * Parsed as N: 1 every request, 0 none.
   */
  LOG_REQUESTS: z
    .string()
    .optional()
    .refine((v) => v === undefined || /^(true|false|1|0|yes|no|sample:[1-9]\d{0,6})$/.test(v), {
      message: 'must be true, false or sample:N (log one in N successful requests)',
    })
    .transform((v) => (v === undefined || ['true', '1', 'yes'].includes(v) ? 1 : ['false', '0', 'no'].includes(v) ? 0 : Number(v.slice('sample:'.length)))),
  /** a sampled log (LOG_REQUESTS=sample:N) still logs every request at least this slow */
  LOG_SLOW_MS: z.coerce.number().min(0).default(500),
  /**
   * Usage batches (POST /v2/usage-records) rated at once per process or isolate; the
   * rest wait in arrival order, their bodies unread (src/http/gate.ts)
   */
  USAGE_BATCHES_AT_ONCE: z.coerce.number().int().min(1).max(64).default(2),
  /** the least severe log line written: debug, info, warn or error */
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** the Node server's listening address: loopback unless told otherwise (the Docker image sets 0.0.0.0) */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** origins allowed to call the API from a browser: comma-separated origins, or `*`; none by default */
  CORS_ORIGINS: optionalText.transform((v, ctx) => {
    const origins = (v ?? '').split(',').map((o) => o.trim()).filter(Boolean);
    for (const origin of origins) {
      if (origin !== '*' && !isOrigin(origin)) ctx.addIssue({ code: 'custom', message: `${origin} is not an origin (scheme://host[:port]) or *` });
    }
    return origins;
  }),
  /**
   * rate limiting, off unless asked for (an operator turns it on in production; one caller at one address — a test
   * suite, a migration script — would otherwise be refused): the Worker's limits are its ratelimit bindings in
   * wrangler.toml, Node's the settings below
   */
  RATE_LIMITS: flag(false),
  /** Node: requests per minute one caller (token subject and client) may make; 0 for no limit */
  RATE_LIMIT_PER_CALLER: z.coerce.number().int().min(0).default(1200),
  /** Node: requests per minute from one IP address; 0 for no limit */
  RATE_LIMIT_PER_IP: z.coerce.number().int().min(0).default(1200),
  /** Node: POST /v1/authenticate attempts per minute from one IP address; 0 for no limit */
  RATE_LIMIT_AUTHENTICATE: z.coerce.number().int().min(0).default(20),
  /** Node: the client's IP is the first X-Forwarded-For address (only behind a proxy that sets it) */
  TRUST_PROXY: flag(false),
});

export type Config = z.infer<typeof configSchema>;

/** Whether a token verification key is configured (without one, protected routes answer 500). */
export function hasVerificationKey(config: Config): boolean {
  return Boolean(config.JWT_SECRET || config.JWT_JWKS_URL || config.JWT_PUBLIC_KEY);
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

export function parseConfig(env: Record<string, unknown>): Config {
  const input: Record<string, unknown> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = env[key];
    if (typeof value === 'string' || typeof value === 'number') input[key] = String(value);
  }
  const result = configSchema.safeParse(input);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || 'config'} ${i.message}`));
  }
  return result.data;
}
